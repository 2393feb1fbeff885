"""The session's row is read with its user (tracker/sessions.py): Django's checks of a
signed-in user still decide who is signed in, with one query fewer."""

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tracker.models import UserSession

DAY_URL = reverse("tracker:day", kwargs={"day": date(2026, 3, 1)})


def signed_in_as(client: Client) -> str | None:
    response = client.get(DAY_URL)
    if response.status_code != 200:
        return None
    return response.context["user"].username


def test_a_signed_in_page_shows_the_user_of_the_session(user_client):
    assert signed_in_as(user_client) == "alice"


def test_the_sessions_data_decides_the_user_not_the_rows_user_column(user_client, user, other_user):
    # Were the column ever to name someone else, the session's signed-in user (its data,
    # as Django reads it) is the one signed in.
    UserSession.objects.update(user=other_user)

    assert signed_in_as(user_client) == "alice"


def test_a_user_made_inactive_is_signed_out_of_their_sessions(user_client, user):
    user.is_active = False
    user.save()

    assert signed_in_as(user_client) is None


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(user_client, user):
    user.set_password(PASSWORD + "-new")
    user.save()

    assert signed_in_as(user_client) is None
    assert user_client.get(DAY_URL).status_code == 302


def test_an_unknown_session_is_nobody(client, user):
    client.cookies["sessionid"] = "no-such-session-key-at-all-0123456789"

    assert signed_in_as(client) is None


def test_an_expired_session_is_nobody(user_client):
    UserSession.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert signed_in_as(user_client) is None


def test_each_session_is_its_own_users(client, user, other_user):
    alice, bob = Client(), Client()
    alice.force_login(user)
    bob.force_login(other_user)

    assert [signed_in_as(c) for c in (alice, bob, alice, client)] == ["alice", "bob", "alice", None]
