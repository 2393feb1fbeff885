"""Nothing lost, nothing doubled: retries, double submits, lost answers and stale edits."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tracker import entries_api
from tracker.models import ApiToken, Entry, Meal, RequestKey
from tracker.once import new_key

DAY = date(2026, 11, 22)
HTMX = {"HX-Request": "true"}
ONCE = re.compile(r'name="once" value="([0-9a-f]{32})"')


@pytest.fixture
def bearer(user) -> dict[str, str]:
    _, raw_token = ApiToken.create_for(user, "tests")
    return {"Authorization": f"Bearer {raw_token}"}


def post_entry(headers: dict[str, str], grams: int = 118, **extra: str):
    body = {"date": DAY.isoformat(), "food": extra.pop("food"), "meal": "breakfast", "grams": grams}
    return Client(raise_request_exception=False).post(
        "/api/entries/", json.dumps(body), content_type="application/json", headers=headers
    )


# --- The API's Idempotency-Key --------------------------------------------------------


def test_a_retry_with_the_same_key_stores_one_entry_and_answers_the_first_answer(
    bearer, user, foods
):
    headers = {**bearer, "Idempotency-Key": "3f1c-retry-1"}

    first = post_entry(headers, food=foods["banana"].pk)
    retry = post_entry(headers, food=foods["banana"].pk)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Entry.objects.filter(meal__user=user).count() == 1


def test_the_same_key_with_another_body_is_a_422_and_stores_nothing(bearer, user, foods):
    headers = {**bearer, "Idempotency-Key": "key-1"}
    post_entry(headers, food=foods["banana"].pk)

    response = post_entry(headers, grams=50, food=foods["banana"].pk)

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "Idempotency-Key": ["This key came with another request; use a new key for this one."]
    }
    assert Entry.objects.filter(meal__user=user).count() == 1


def test_requests_without_a_key_or_with_different_keys_each_store_an_entry(bearer, user, foods):
    post_entry(bearer, food=foods["banana"].pk)
    post_entry(bearer, food=foods["banana"].pk)
    post_entry({**bearer, "Idempotency-Key": "a"}, food=foods["banana"].pk)
    post_entry({**bearer, "Idempotency-Key": "b"}, food=foods["banana"].pk)

    assert Entry.objects.filter(meal__user=user).count() == 4


def test_another_users_key_of_the_same_name_is_theirs_alone(bearer, user, other_user, foods):
    _, bobs_token = ApiToken.create_for(other_user, "bob")
    key = {"Idempotency-Key": "shared-name"}

    post_entry({**bearer, **key}, food=foods["banana"].pk)
    bobs = post_entry({"Authorization": f"Bearer {bobs_token}", **key}, food=foods["banana"].pk)

    assert bobs.status_code == 201
    assert "Idempotent-Replayed" not in bobs
    assert Entry.objects.filter(meal__user=other_user).count() == 1


def test_a_key_older_than_24_hours_counts_as_new(bearer, user, foods):
    headers = {**bearer, "Idempotency-Key": "old"}
    post_entry(headers, food=foods["banana"].pk)
    RequestKey.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))

    response = post_entry(headers, food=foods["banana"].pk)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Entry.objects.filter(meal__user=user).count() == 2
    assert RequestKey.objects.count() == 1  # the old one is gone


@pytest.mark.parametrize("key", ["", "has space", "x" * 101, "ключ"])
def test_a_key_that_is_not_1_to_100_printable_ascii_characters_is_a_422(bearer, foods, key):
    response = post_entry({**bearer, "Idempotency-Key": key}, food=foods["banana"].pk)

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Entry.objects.exists()


def test_a_refused_entry_keeps_its_key_free_for_the_corrected_request(bearer, user, foods):
    headers = {**bearer, "Idempotency-Key": "fix-me"}
    refused = post_entry(headers, grams=9000, food=foods["banana"].pk)

    fixed = post_entry(headers, grams=90, food=foods["banana"].pk)

    assert refused.status_code == 422
    assert fixed.status_code == 201
    assert Entry.objects.get(meal__user=user).grams == Decimal(90)


def test_a_connection_lost_before_the_read_back_stores_nothing_and_answers_503(
    bearer, user, foods, monkeypatch
):
    """The reproduction: the entry was saved in autocommit, the read-back failed, the
    client got a 500 and its retry doubled the entry."""
    real_own_entry = entries_api.own_entry
    calls = []

    def lost_once(user, entry_id):
        calls.append(entry_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_own_entry(user, entry_id)

    monkeypatch.setattr(entries_api, "own_entry", lost_once)
    headers = {**bearer, "Idempotency-Key": "lost-answer"}

    lost = post_entry(headers, food=foods["banana"].pk)
    stored_after_the_loss = Entry.objects.count()
    retry = post_entry(headers, food=foods["banana"].pk)

    assert lost.status_code == 503
    assert lost["Retry-After"] == "2"
    assert lost.json()["detail"].startswith("The diary’s database is busy")
    assert stored_after_the_loss == 0
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry  # nothing of the first was kept
    assert Entry.objects.filter(meal__user=user).count() == 1


def test_the_keys_answer_is_within_the_query_budget(bearer, foods, django_assert_max_num_queries):
    headers = {**bearer, "Idempotency-Key": "budget"}
    post_entry(headers, food=foods["banana"].pk)

    with django_assert_max_num_queries(6):  # with the writer's revision (page_cache.py)
        replayed = post_entry(headers, food=foods["banana"].pk)

    assert replayed.status_code == 201


# --- One-time keys in web forms --------------------------------------------------------


def day_url(name: str) -> str:
    return reverse(f"tracker:{name}", kwargs={"day": DAY})


def test_the_add_form_sent_twice_with_its_key_adds_one_entry(user_client, user, foods):
    data = {
        "food": foods["banana"].pk,
        "quantity": "100",
        "unit": "g",
        "slot": "lunch",
        "once": new_key(),
    }

    first = user_client.post(day_url("add_entry"), data, headers=HTMX)
    second = user_client.post(day_url("add_entry"), data, headers=HTMX)

    assert "Added Bananas, raw, 100 g, to lunch." in first.text
    assert "That was sent twice; it is saved once." in second.text
    assert Entry.objects.filter(meal__user=user).count() == 1


def test_a_suggestion_logged_twice_from_the_report_is_added_once_and_returns_there(
    user_client, user, foods
):
    medium = foods["banana"].portions.get(description__startswith="1 medium")
    data = {
        "food": foods["banana"].pk,
        "quantity": "1",
        "unit": medium.pk,
        "slot": "snacks",
        "next": "report",
        "once": new_key(),
    }

    user_client.post(day_url("add_entry"), data)
    second = user_client.post(day_url("add_entry"), data)

    assert second.status_code == 302
    assert second["Location"] == day_url("report")
    assert Entry.objects.filter(meal__user=user).count() == 1


def test_each_showing_of_the_day_page_gives_its_forms_fresh_keys(user_client, foods):
    page = user_client.get(day_url("day"), {"food": foods["banana"].pk})
    keys = ONCE.findall(page.text)
    again = user_client.get(day_url("day"), {"food": foods["banana"].pk})

    assert len(keys) >= 3  # the entry form, two water forms, the copy form
    assert len(set(keys)) == len(keys)
    assert not set(keys) & set(ONCE.findall(again.text))


def test_water_sent_twice_with_its_key_is_added_once(user_client, user, foods):
    data = {"ml": "250", "once": new_key()}

    user_client.post(day_url("add_water"), data)
    response = user_client.post(day_url("add_water"), data, follow=True)

    assert "That was sent twice; it is saved once." in response.text
    assert Entry.objects.filter(meal__user=user).count() == 1


def test_a_recent_food_sent_twice_with_its_key_is_logged_once(user_client, user, foods):
    meal = Meal.objects.create(user=user, day=DAY - timedelta(days=1), slot="breakfast")
    old = Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)
    data = {"entry": old.pk, "slot": "lunch", "once": new_key()}

    user_client.post(day_url("log_recent"), data)
    response = user_client.post(day_url("log_recent"), data, follow=True)

    assert "That was sent twice; it is saved once." in response.text
    assert Entry.objects.filter(meal__user=user, meal__day=DAY).count() == 1


def test_the_recent_foods_form_carries_a_one_time_key(user_client, user, foods):
    meal = Meal.objects.create(user=user, day=DAY - timedelta(days=1), slot="breakfast")
    Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)

    page = user_client.get(reverse("tracker:day", kwargs={"day": DAY})).text
    recent_form = page[page.index('class="recent-form"') : page.index('class="recent"')]

    assert ONCE.search(recent_form)


def test_copying_a_day_twice_with_its_key_copies_once(user_client, user, foods):
    meal = Meal.objects.create(user=user, day=DAY - timedelta(days=1), slot="breakfast")
    Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)
    data = {"from_day": (DAY - timedelta(days=1)).isoformat(), "slot": "", "once": new_key()}

    user_client.post(day_url("copy"), data, headers=HTMX)
    user_client.post(day_url("copy"), data, headers=HTMX)

    assert Entry.objects.filter(meal__user=user, meal__day=DAY).count() == 1


def test_a_garbled_key_is_no_error_and_guards_nothing(user_client, user, foods):
    data = {"ml": "250", "once": "not-a-key"}

    user_client.post(day_url("add_water"), data)
    user_client.post(day_url("add_water"), data)

    assert Entry.objects.filter(meal__user=user).count() == 2


def test_a_web_add_that_fails_midway_stores_nothing_and_answers_503(
    user_client, user, foods, monkeypatch
):
    from tracker import views

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.EntryForm, "save", lost)
    user_client.raise_request_exception = False
    data = {"food": foods["banana"].pk, "quantity": "1", "unit": "g", "slot": "lunch"}

    response = user_client.post(day_url("add_entry"), {**data, "once": new_key()})

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert not Entry.objects.exists()
    assert not RequestKey.objects.exists()


# --- Stale edits -----------------------------------------------------------------------


def edit_url(entry: Entry) -> str:
    return reverse("tracker:edit_entry", kwargs={"pk": entry.pk})


@pytest.fixture
def entry(user, foods) -> Entry:
    meal = Meal.objects.create(user=user, day=DAY, slot="breakfast")
    return Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)


def test_the_edit_form_carries_the_entrys_version(user_client, entry):
    page = user_client.get(edit_url(entry))

    assert 'name="version" value="1"' in page.text


def test_an_edit_from_a_form_opened_before_another_change_is_not_saved(user_client, bearer, entry):
    # Tab 1 opens the form (version 1); tab 2 (here the API) changes the entry.
    Client().patch(
        f"/api/entries/{entry.pk}/",
        json.dumps({"grams": 200, "meal": "lunch"}),
        content_type="application/json",
        headers=bearer,
    )

    stale = user_client.post(
        edit_url(entry), {"quantity": "50", "unit": "g", "slot": "dinner", "version": "1"}
    )

    entry.refresh_from_db()
    assert entry.grams == Decimal(200) and entry.meal.slot == "lunch"
    assert stale.status_code == 200
    assert (
        "This entry was changed elsewhere since you opened it: it is now 200 g in lunch."
        in stale.text
    )
    assert 'value="50"' in stale.text  # what the user typed stays in the form
    assert 'name="version" value="2"' in stale.text  # the API's change made it 2


def test_saving_again_after_seeing_the_current_values_replaces_them(user_client, entry):
    Entry.objects.filter(pk=entry.pk).update(grams=200, quantity=200, version=2)
    form = {"quantity": "50", "unit": "g", "slot": "dinner", "version": "1"}
    user_client.post(edit_url(entry), form)

    response = user_client.post(edit_url(entry), {**form, "version": "2"})

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.grams == Decimal(50) and entry.meal.slot == "dinner"
    assert entry.version == 3


def test_an_edit_of_the_current_version_is_saved_and_moves_the_version_on(user_client, entry):
    user_client.post(
        edit_url(entry), {"quantity": "50", "unit": "g", "slot": "breakfast", "version": "1"}
    )

    entry.refresh_from_db()
    assert entry.grams == Decimal(50)
    assert entry.version == 2


def test_the_htmx_edit_form_shows_the_stale_message_in_place(user_client, entry):
    Entry.objects.filter(pk=entry.pk).update(version=5)

    response = user_client.post(
        edit_url(entry),
        {"quantity": "50", "unit": "g", "slot": "breakfast", "version": "1"},
        headers=HTMX,
    )

    assert response["HX-Retarget"] == f"#edit-entry-{entry.pk}"
    assert "changed elsewhere" in response.text
    entry.refresh_from_db()
    assert entry.grams == Decimal(118)


def test_another_users_entry_cannot_be_edited_whatever_its_version(client, other_user, entry):
    client.force_login(other_user)

    response = client.post(
        edit_url(entry), {"quantity": "1", "unit": "g", "slot": "lunch", "version": "1"}
    )

    assert response.status_code == 404
