"""Kept pages (tracker/page_cache.py): shown again only while nothing on them has changed."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nutrients.models import Food
from tests.test_day_totals import admin_change
from tracker.models import ApiToken, Cramp, Entry

DAY = date(2026, 11, 22)
DAY_URL = reverse("tracker:day", kwargs={"day": DAY})


def potassium_shown(response) -> str:
    found = re.search(r'data-testid="total-potassium">([^<]*)<', response.content.decode())
    assert found, "no potassium total on the page"
    return found.group(1)


def add_banana(client: Client, grams: str = "100") -> None:
    banana = Food.objects.get(fdc_id=173944)
    data = {"food": banana.pk, "quantity": grams, "unit": "g", "slot": "lunch"}
    response = client.post(reverse("tracker:add_entry", kwargs={"day": DAY}), data)
    assert response.status_code == 302


@pytest.fixture
def kept_day(user_client, foods):
    """The day page with 100 g of banana, shown once so that it is kept."""
    add_banana(user_client)
    user_client.get(DAY_URL)  # shows the "Added" message: not kept
    assert potassium_shown(user_client.get(DAY_URL)) == "358 mg"  # kept from here
    return user_client


def test_a_kept_page_is_shown_again_for_one_query(kept_day, django_assert_num_queries):
    # The session, read with the user, their profile (and its revision) and the site's
    # revision (tracker/sessions.py). Nothing else is read.
    with django_assert_num_queries(1):
        again = kept_day.get(DAY_URL)

    assert potassium_shown(again) == "358 mg"
    assert "Bananas, raw" in again.content.decode()


def test_an_entry_added_in_the_page_shows_at_once(kept_day):
    add_banana(kept_day, "50")

    kept_day.get(DAY_URL)  # the message
    assert potassium_shown(kept_day.get(DAY_URL)) == "537 mg"  # 150 g × 358 mg / 100 g


def test_an_entry_added_through_the_api_shows_at_once(kept_day, user, foods):
    _, token = ApiToken.create_for(user, "phone")
    body = {"date": DAY.isoformat(), "food": foods["almonds"].pk, "grams": 100, "meal": "lunch"}
    response = Client().post(
        "/api/entries/", json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 201

    assert potassium_shown(kept_day.get(DAY_URL)) == "1,091 mg"  # 358 + 733


def test_a_cramp_logged_shows_on_the_kept_page(kept_day, user):
    # A cramp in the small hours belongs to the night before: both days' pages are kept.
    today = timezone.localdate()
    urls = [reverse("tracker:day", kwargs={"day": day}) for day in (today - timedelta(1), today)]
    for url in urls * 2:
        kept_day.get(url)

    kept_day.post(reverse("cramp_now"))

    cramp = Cramp.objects.get(user=user)
    day_url = reverse("tracker:day", kwargs={"day": cramp.day})
    kept_day.get(day_url)  # the message, if any
    assert reverse("cramp_edit", kwargs={"pk": cramp.pk}) in kept_day.get(day_url).content.decode()


def test_a_staff_change_to_a_food_shows_on_every_users_kept_page(kept_day, admin_client, foods):
    admin_change(admin_client, foods["banana"], Decimal("400"))

    assert potassium_shown(kept_day.get(DAY_URL)) == "400 mg"


def test_a_command_that_changes_shared_data_shows_on_kept_pages(kept_day, foods):
    # Staff without the admin: the day totals rebuilt after a change made in SQL.
    foods["banana"].nutrient_amounts.filter(nutrient_id=1092).update(amount=Decimal("100"))
    call_command("rebuild_day_totals", stdout=None)

    assert potassium_shown(kept_day.get(DAY_URL)) == "100 mg"


def test_another_user_never_sees_a_kept_page_of_someone_else(kept_day, other_user):
    bob = Client()
    bob.force_login(other_user)
    bob.cookies["csrftoken"] = kept_day.cookies["csrftoken"].value  # even with the same cookie

    page = bob.get(DAY_URL)

    assert potassium_shown(page) == "0 mg"
    assert "Bananas, raw" not in page.content.decode()


def test_each_showing_of_a_kept_page_has_one_time_keys_of_its_own(kept_day, user):
    key = re.compile(r'name="once" value="([0-9a-f]{32})"')
    first = key.findall(kept_day.get(DAY_URL).content.decode())
    second = key.findall(kept_day.get(DAY_URL).content.decode())

    assert first and len(first) == len(second)
    assert not set(first) & set(second)
    # Two tabs of the same page, each adding an apple's worth: both are stored.
    for once in (first[0], second[0]):
        kept_day.post(
            reverse("tracker:add_entry", kwargs={"day": DAY}),
            {"food": Entry.objects.first().food_id, "quantity": "10", "unit": "g",
             "slot": "lunch", "once": once},
        )  # fmt: skip
    assert Entry.objects.filter(meal__user=user).count() == 3


def test_another_browser_of_the_same_user_gets_forms_its_own_csrf_cookie_accepts(
    kept_day, user, foods
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(DAY_URL)  # sets this browser's CSRF cookie
    page = browser.get(DAY_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = browser.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"csrfmiddlewaretoken": token, "food": foods["almonds"].pk, "quantity": "10",
         "unit": "g", "slot": "lunch"},
    )  # fmt: skip

    assert response.status_code == 302


def test_a_message_is_shown_once_even_on_a_kept_page(kept_day):
    add_banana(kept_day, "10")

    with_message = kept_day.get(DAY_URL).content.decode()
    after = kept_day.get(DAY_URL).content.decode()

    assert "Added Bananas, raw" in with_message
    assert "Added Bananas, raw" not in after


def test_a_page_is_not_kept_past_the_hour_it_was_made_in(kept_day, monkeypatch):
    # The meal a new entry defaults to follows the clock: an hour later, the page is made
    # anew (more than the three queries of a kept one).
    real_localtime = timezone.localtime
    later = real_localtime() + timedelta(hours=1)
    monkeypatch.setattr(
        timezone, "localtime", lambda value=None, *args: later if value is None else
        real_localtime(value, *args),
    )  # fmt: skip

    with CaptureQueriesContext(connection) as captured:
        page = kept_day.get(DAY_URL)

    assert len(captured) > 3
    assert potassium_shown(page) == "358 mg"
