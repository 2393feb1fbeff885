"""A stalled or lost database is contained: 503 with Retry-After, a readiness check, and
nothing personal kept in a cache."""

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from tracker import day_page, health
from tracker.models import ApiToken

DAY = date(2026, 11, 22)


def lost_connection(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


# --- Readiness -------------------------------------------------------------------------


@pytest.mark.django_db
def test_readiness_answers_ready_when_the_database_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ready"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_answers_503_when_the_database_does_not(client, monkeypatch):
    monkeypatch.setattr(health.connection, "cursor", lost_connection)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"


@pytest.mark.django_db
def test_readiness_answers_head_as_load_balancers_ask(client):
    assert client.head("/readyz").status_code == 200


# --- 503 instead of 500 ----------------------------------------------------------------


def test_a_page_that_loses_its_database_answers_503_with_retry_after(user, monkeypatch):
    monkeypatch.setattr(day_page, "day_report", lost_connection)
    client = Client(raise_request_exception=False)
    client.force_login(user)

    response = client.get(reverse("tracker:day", kwargs={"day": DAY}))

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "busy or out of reach" in response.text


def test_other_errors_stay_500(user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(day_page, "day_report", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user)

    response = client.get(reverse("tracker:day", kwargs={"day": DAY}))

    assert response.status_code == 500


def test_the_api_answers_database_trouble_with_503_in_its_error_shape(user, monkeypatch):
    from tracker import days_api

    monkeypatch.setattr(days_api, "day_report", lost_connection)
    _, token = ApiToken.create_for(user, "t")

    response = Client(raise_request_exception=False).get(
        f"/api/days/{DAY}/", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["errors"] == {}


@pytest.mark.django_db(transaction=True)
def test_a_write_stuck_behind_a_lock_answers_503_within_the_lock_timeout(make_user, foods):
    """The reproduction: a 10 s table lock held every worker. Now the request gives up
    after lock_timeout (lowered here to 0.2 s; on SQLite its busy timeout) and says to
    try again."""
    user = make_user("alice")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    locked, release = threading.Event(), threading.Event()
    postgresql = connection.vendor == "postgresql"

    def hold_the_lock() -> None:
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                if postgresql:
                    cursor.execute("BEGIN")
                    cursor.execute("LOCK TABLE tracker_entry IN ACCESS EXCLUSIVE MODE")
                else:
                    cursor.execute("BEGIN IMMEDIATE")
                    cursor.execute("DELETE FROM tracker_entry")
                locked.set()
                release.wait(10)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(5)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 200" if postgresql else "PRAGMA busy_timeout = 200")
        response = client.post(reverse("tracker:add_water", kwargs={"day": DAY}), {"ml": "250"})
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout" if postgresql else "PRAGMA busy_timeout = 20000")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"


# --- Cache-Control ---------------------------------------------------------------------


def private_and_not_stored(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize(
    "path",
    [
        "/day/2026-11-22/",
        "/day/2026-11-22/report/",
        "/day/2026-11-22/?q=ban",
        "/export/entries.csv?from=2026-11-22&to=2026-11-22",
        "/accounts/profile/",
        "/accounts/data/",
        "/foods/",
    ],
)
def test_personal_pages_fragments_and_files_are_private_and_not_stored(user_client, foods, path):
    response = user_client.get(path, headers={"HX-Request": "true"} if "q=" in path else {})

    assert response.status_code == 200
    assert private_and_not_stored(response)


def test_api_answers_are_private_and_not_stored(user, foods):
    _, token = ApiToken.create_for(user, "t")
    client = Client(headers={"Authorization": f"Bearer {token}"})

    for path in ("/api/foods/?q=banana", f"/api/days/{DAY}/", "/api/entries/?date=2026-11-22"):
        assert private_and_not_stored(client.get(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_load_balancers_plain_http_check_is_answered_not_redirected(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(path).status_code == 200
    assert client.get("/accounts/login/").status_code == 301  # every page else goes to HTTPS
