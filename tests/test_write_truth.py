"""A write's answer tells the truth: stored and answered 2xx, or answered 503 and not stored.

The writer's revision (tracker/page_cache.py) moves in the write's own transaction, so a
lock held on the profile row, or a failure while the answer is drawn, can no longer
answer "503, try again" for a write already stored.
"""

import json
import threading
from datetime import date

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client

from tracker import page_cache
from tracker.models import ApiToken, Cramp, Entry, Profile

DAY = date(2026, 11, 22)
LOCK_WAIT_MS = 300


class HeldProfileLock:
    """Another connection holds the user's profile row (on SQLite: the write lock) until
    the block ends, while this connection waits at most LOCK_WAIT_MS for a lock."""

    def __init__(self, user) -> None:
        self.user = user
        self.locked = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self.hold)

    def hold(self) -> None:
        try:
            with transaction.atomic():
                list(Profile.objects.select_for_update().filter(user=self.user))
                Profile.objects.filter(user=self.user).update(time_zone="UTC")  # SQLite's lock
                self.locked.set()
                self.release.wait(30)
        finally:
            connection.close()

    def __enter__(self) -> "HeldProfileLock":
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET lock_timeout = '{LOCK_WAIT_MS}ms'")
            else:
                cursor.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
        self.thread.start()
        assert self.locked.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET lock_timeout = 0")


def assert_truthful(response, stored: int) -> None:
    if response.status_code == 503:
        assert stored == 0, "answered 503 with the write stored"
        assert response["Retry-After"]
    else:
        assert 200 <= response.status_code < 400, response.status_code
        assert stored == 1, "answered as stored with nothing stored"


def api_client(user) -> Client:
    _, token = ApiToken.create_for(user, "tests")
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db(transaction=True)
def test_an_api_entry_while_the_profile_row_is_locked_is_stored_and_2xx_or_503_and_not_stored(
    user, foods
):
    client = api_client(user)
    body = {"date": DAY.isoformat(), "food": foods["banana"].pk, "meal": "lunch", "grams": 118}

    with HeldProfileLock(user):
        response = client.post("/api/entries/", json.dumps(body), content_type="application/json")

    assert_truthful(response, Entry.objects.filter(meal__user=user).count())
    if response.status_code == 503:
        assert response.json()["detail"]  # the API's own error shape, not a page


@pytest.mark.django_db(transaction=True)
def test_an_api_cramp_while_the_profile_row_is_locked_is_stored_and_2xx_or_503_and_not_stored(
    user,
):
    client = api_client(user)

    with HeldProfileLock(user):
        response = client.post("/api/cramps/", "{}", content_type="application/json")

    assert_truthful(response, Cramp.objects.filter(user=user).count())
    if response.status_code == 503:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db(transaction=True)
def test_cramp_now_while_the_profile_row_is_locked_is_stored_and_2xx_or_503_and_not_stored(
    user,
):
    client = Client(raise_request_exception=False)
    client.force_login(user)

    with HeldProfileLock(user):
        response = client.post("/cramps/now/")

    assert_truthful(response, Cramp.objects.filter(user=user).count())


@pytest.mark.django_db(transaction=True)
def test_the_revision_moves_with_the_write_and_never_without_it(user, foods, monkeypatch):
    client = api_client(user)
    body = {"date": DAY.isoformat(), "food": foods["banana"].pk, "meal": "lunch", "grams": 118}
    before = Profile.objects.get(user=user).revision

    def locked(request):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(page_cache, "bump_revisions", locked)
    refused = client.post("/api/entries/", json.dumps(body), content_type="application/json")
    monkeypatch.undo()
    stored = client.post("/api/entries/", json.dumps(body), content_type="application/json")

    assert refused.status_code == 503
    assert stored.status_code == 201
    assert Entry.objects.filter(meal__user=user).count() == 1
    assert Profile.objects.get(user=user).revision == before + 1


@pytest.mark.django_db(transaction=True)
def test_an_add_whose_answer_cannot_be_drawn_is_stored_and_says_so(user, foods, monkeypatch):
    """The day page's answer is drawn after the write has committed (DrawnAfterCommit):
    losing the database then cannot undo the add, so the answer must not say "try
    again" either."""
    from tracker import day_page

    client = Client(raise_request_exception=False)
    client.force_login(user)
    before = Profile.objects.get(user=user).revision

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(day_page, "render_to_string", broken)
    response = client.post(
        f"/day/{DAY.isoformat()}/entries/",
        {"food": foods["banana"].pk, "quantity": "118", "unit": "g", "slot": "lunch"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Saved." in response.text and response["HX-Refresh"] == "true"
    assert response["Content-Length"] == str(len(response.content))
    assert Entry.objects.filter(meal__user=user).count() == 1
    assert Profile.objects.get(user=user).revision == before + 1  # kept pages moved on


@pytest.mark.django_db(transaction=True)
def test_an_answer_drawn_after_the_write_shows_its_message_once(user, foods):
    client = Client()
    client.force_login(user)

    response = client.post(
        f"/day/{DAY.isoformat()}/entries/",
        {"food": foods["banana"].pk, "quantity": "118", "unit": "g", "slot": "lunch"},
        headers={"HX-Request": "true"},
    )

    assert "Added Bananas, raw" in response.text
    assert "Added Bananas, raw" not in client.get(f"/day/{DAY.isoformat()}/").text
