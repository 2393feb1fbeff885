"""Personal API tokens: made on the profile page or by a command, stored hashed, revoked."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from tracker.models import ApiToken

FOODS = "/api/foods/?q=banana"


def bearer(raw_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_token}"}


def make_token_on_the_profile_page(user_client, name="phone") -> str:
    response = user_client.post(reverse("api_token_create"), {"name": name}, follow=True)
    assert response.redirect_chain == [(reverse("profile") + "#api-tokens", 302)]
    return response.context["new_token"]


def test_a_token_is_stored_as_its_sha256_hash_and_a_short_prefix_only(user):
    token, raw_token = ApiToken.create_for(user, "phone")

    assert len(raw_token) >= 40  # 32 random bytes, URL-safe
    assert token.token_hash == hashlib.sha256(raw_token.encode()).hexdigest()
    assert token.prefix == raw_token[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tracker_apitoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert not any(raw_token in value for value in stored)


def test_two_tokens_are_never_the_same(user):
    assert ApiToken.create_for(user, "a")[1] != ApiToken.create_for(user, "b")[1]


def test_a_token_signs_in_and_notes_when_it_was_last_used(client, user, foods):
    token, raw_token = ApiToken.create_for(user, "phone")
    assert token.last_used_at is None

    response = client.get(FOODS, headers=bearer(raw_token))

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "authorization",
    ["Bearer wrong", "Bearer ", "Bearer", "bearer wrong", "Token abc", "Basic YTpi", "garbage"],
)
def test_a_wrong_or_malformed_authorization_is_401(client, user, foods, authorization):
    ApiToken.create_for(user, "phone")

    response = client.get(FOODS, headers={"Authorization": authorization})

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_a_revoked_token_is_401(client, user, foods):
    token, raw_token = ApiToken.create_for(user, "phone")
    assert client.get(FOODS, headers=bearer(raw_token)).status_code == 200

    token.delete()

    assert client.get(FOODS, headers=bearer(raw_token)).status_code == 401


def test_a_deactivated_users_token_is_401(client, user, foods):
    _, raw_token = ApiToken.create_for(user, "phone")
    user.is_active = False
    user.save()

    assert client.get(FOODS, headers=bearer(raw_token)).status_code == 401


# --- The profile page ------------------------------------------------------------------


def test_the_profile_page_makes_a_token_and_shows_it_once(client, user_client, user, foods):
    raw_token = make_token_on_the_profile_page(user_client, "phone")

    token = ApiToken.objects.get()
    assert (token.user, token.name) == (user, "phone")
    assert client.get(FOODS, headers=bearer(raw_token)).status_code == 200
    page = user_client.get(reverse("profile")).content.decode()
    assert "phone" in page and token.prefix in page
    assert raw_token not in page


def test_the_page_showing_a_new_token_is_never_cached(user_client):
    response = user_client.post(reverse("api_token_create"), {"name": "phone"}, follow=True)

    assert "no-store" in response["Cache-Control"]
    assert response.context["new_token"] in response.content.decode()


def test_making_a_token_answers_with_a_redirect_so_a_reload_makes_no_other(user_client):
    made = user_client.post(reverse("api_token_create"), {"name": "phone"})
    shown = user_client.get(made.url)
    reloaded = user_client.get(made.url)

    assert made.status_code == 302
    assert shown.context["new_token"] in shown.content.decode()
    assert shown.context["target_lines"]  # the whole profile page, its targets too
    assert reloaded.context["new_token"] is None  # shown once, then kept nowhere
    assert ApiToken.objects.count() == 1


def test_the_token_form_sent_twice_with_its_key_makes_one_token(user_client):
    page = user_client.get(reverse("profile")).content.decode()
    key = re.search(r'name="once" value="([0-9a-f]{32})"', page).group(1)

    for _ in range(2):
        user_client.post(reverse("api_token_create"), {"name": "phone", "once": key})

    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the token a name."), ("x" * 101, "Use at most 100 characters.")],
)
def test_a_token_needs_a_short_name(user_client, name, message):
    response = user_client.post(reverse("api_token_create"), {"name": name})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["new_token"] is None
    assert not ApiToken.objects.exists()


def test_revoking_a_token_on_the_profile_page_stops_it(client, user_client, foods):
    raw_token = make_token_on_the_profile_page(user_client)
    token = ApiToken.objects.get()

    response = user_client.post(reverse("api_token_revoke", kwargs={"pk": token.pk}))

    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert client.get(FOODS, headers=bearer(raw_token)).status_code == 401


def test_revoking_another_users_token_is_404_and_keeps_it(user_client, other_user):
    theirs, _ = ApiToken.create_for(other_user, "bob's phone")

    response = user_client.post(reverse("api_token_revoke", kwargs={"pk": theirs.pk}))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_profile_page_lists_only_the_users_own_tokens(user_client, user, other_user):
    ApiToken.create_for(user, "my phone")
    ApiToken.create_for(other_user, "bob's laptop")

    page = user_client.get(reverse("profile")).content.decode()

    assert "my phone" in page
    assert "bob&#x27;s laptop" not in page and "bob's laptop" not in page


@pytest.mark.django_db
def test_token_pages_need_a_signed_in_user(client):
    response = client.post(reverse("api_token_create"), {"name": "phone"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not ApiToken.objects.exists()


def test_token_pages_take_only_post(user_client):
    assert user_client.get(reverse("api_token_create")).status_code == 405


# --- The command -----------------------------------------------------------------------


def test_the_command_prints_a_token_that_works(client, user, foods):
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "alice", "--name", "spreadsheet", stdout=out, stderr=err)

    raw_token = out.getvalue().strip()
    assert ApiToken.objects.get().name == "spreadsheet"
    assert "shown only this once" in err.getvalue()
    assert client.get(FOODS, headers=bearer(raw_token)).status_code == 200


def test_the_command_names_a_token_by_default(user):
    call_command("create_api_token", "alice", stdout=io.StringIO(), stderr=io.StringIO())

    assert ApiToken.objects.get().name == "command line"


@pytest.mark.django_db
def test_the_command_for_an_unknown_user_is_one_line_of_error():
    with pytest.raises(CommandError, match=r"^No user named “nobody”\.$"):
        call_command("create_api_token", "nobody")
    assert not ApiToken.objects.exists()
