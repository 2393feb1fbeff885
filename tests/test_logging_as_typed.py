"""Logging that never surprises, without a browser: numbers read as typed, "really?"
before an amount far beyond a meal, the meal kept from add to add, and the time zone
taken at sign-up and switched in one click."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from nutrients.numbers import typed_number
from nutrients.portions import unlikely_at_once
from tests.conftest import PASSWORD
from tracker.cramp_models import Cramp, diary_day_of
from tracker.forms import WaterForm
from tracker.models import ApiToken, Entry, Profile
from tracker.number_fields import TypedDecimalField, TypedIntegerField


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2,5", "2.5"),
        (" 2,5 ", "2.5"),
        ("0,250", "0.250"),  # a quarter, not 250
        ("1,200", "1200"),
        ("12,500,000", "12500000"),
        ("1,200.5", "1200.5"),
        ("1,5", "1.5"),
        ("1,2345", "1.2345"),
        ("40", "40"),
        ("1.5", "1.5"),
        ("2,5,5", "2.5.5"),  # for the field to refuse
        ("abc", "abc"),
    ],
)
def test_a_typed_number_reads_a_decimal_comma_as_a_point(typed, read):
    assert typed_number(typed) == read


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("4E+1"), "40"),
        (Decimal("1.4E+2"), "140"),
        (Decimal("1.5E+3"), "1500"),
        (Decimal("40.00"), "40"),
        (Decimal("1.50"), "1.5"),
        (Decimal("0.25"), "0.25"),
    ],
)
def test_a_number_field_shows_a_number_as_people_write_it(value, shown):
    field = TypedDecimalField()
    assert field.prepare_value(value) == shown
    assert f'value="{shown}"' in field.widget.render("amount", field.prepare_value(value))


def test_number_fields_are_text_inputs_with_a_decimal_keyboard():
    """A number input drops or refuses "2,5" before the server sees it."""
    html = TypedDecimalField(min_value=0).widget.render("amount", "1")
    assert 'type="text"' in html and 'inputmode="decimal"' in html and "step" not in html
    assert TypedIntegerField().clean("2,600") == 2600


def test_water_says_whole_ml_to_a_decimal():
    form = WaterForm({"ml": "1,5"})
    form.is_valid()
    assert form.errors["ml"] == ["Enter whole millilitres, like 330."]


class FakePortion(SimpleNamespace):
    description: str
    grams: Decimal


BANANA = [
    FakePortion(description="1 cup, sliced", grams=Decimal(150)),
    FakePortion(description='1 medium (7" to 7-7/8" long)', grams=Decimal(118)),
]


@pytest.mark.parametrize(
    ("grams", "portions", "unlikely"),
    [
        (Decimal(2950), BANANA, True),  # 25 medium: "2,5" read as 25
        (Decimal(1500), BANANA, False),  # ten cups: a lot, but said on purpose
        (Decimal(1501), BANANA, True),
        (Decimal(295), BANANA, False),
        (Decimal(3001), [], True),  # grams alone: over 3 kg
        (Decimal(3000), [], False),
        (Decimal(1500), [FakePortion(description="1 fl oz", grams=Decimal(30))], True),
    ],
)
def test_an_amount_is_unlikely_beyond_ten_household_portions_or_3_kg(grams, portions, unlikely):
    assert unlikely_at_once(grams, portions) is unlikely


def add(client, food, quantity, unit, slot="lunch", **extra):
    return client.post(
        reverse("tracker:add_entry", args=[timezone.localdate()]),
        {"food": food.pk, "quantity": quantity, "unit": unit, "slot": slot, **extra},
        headers={"HX-Request": "true"},
    )


def test_25_bananas_ask_really_and_are_added_once_the_person_says_yes(user_client, foods):
    banana = foods["banana"]
    medium = banana.portions.get(description__startswith="1 medium").pk

    asked = add(user_client, banana, "25", medium)

    assert "Really 25 medium" in asked.content.decode()
    assert "2,950 g" in asked.content.decode()
    assert not Entry.objects.exists()

    add(user_client, banana, "25", medium, really="on")
    assert Entry.objects.get().grams == Decimal("2950.00")


def test_2_comma_5_bananas_are_two_and_a_half(user_client, foods):
    banana = foods["banana"]
    medium = banana.portions.get(description__startswith="1 medium").pk

    add(user_client, banana, "2,5", medium)

    entry = Entry.objects.get()
    assert (entry.quantity, entry.grams) == (Decimal("2.5"), Decimal("295.00"))


def test_the_api_adds_what_its_client_sends_without_asking(user, foods, client):
    """The question is the web form's: an API client sends what it means."""
    _, raw_token = ApiToken.create_for(user, "tests")
    response = client.post(
        "/api/entries/",
        {
            "date": str(timezone.localdate()),
            "food": foods["banana"].pk,
            "grams": 2950,
            "meal": "lunch",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw_token}"},
    )
    assert response.status_code == 201, response.content


def test_the_meal_an_add_went_to_is_the_next_picks(user_client, foods):
    day = timezone.localdate()
    banana = foods["banana"]
    add(user_client, banana, "1", "g", slot="breakfast")

    picked = user_client.get(
        reverse("tracker:day", args=[day]),
        {"food": foods["almonds"].pk, "meal": "breakfast"},
        headers={"HX-Request": "true", "HX-Target": "entry-form"},
    )

    assert picked.context["entry_form"].initial["slot"] == "breakfast"


def test_an_add_answers_with_the_meal_it_went_to_in_use(user_client, foods):
    answer = add(user_client, foods["banana"], "1", "g", slot="dinner")
    assert 'id="meal-in-use" name="meal" value="dinner"' in answer.content.decode()


def test_water_goes_to_the_meal_in_use(user_client, foods):
    day = timezone.localdate()
    user_client.post(
        reverse("tracker:add_water", args=[day]),
        {"ml": "1,500", "meal": "breakfast"},
        headers={"HX-Request": "true"},
    )
    entry = Entry.objects.get()
    assert (entry.grams, entry.meal.slot) == (Decimal("1500"), "breakfast")


def sign_up(client, username: str, time_zone: str) -> Profile:
    client.post(
        reverse("signup"),
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": time_zone,
        },
    )
    return Profile.objects.get(user__username=username)


def test_sign_up_keeps_the_time_zone_the_browser_filled_in(client, db):
    assert sign_up(client, "lena", "America/Los_Angeles").time_zone == "America/Los_Angeles"


def test_sign_up_accepts_an_alias_a_browser_still_reports(client, db):
    assert sign_up(client, "ravi", "Asia/Calcutta").time_zone == "Asia/Calcutta"


def test_the_sign_up_form_asks_the_browser_for_the_zone(client, db):
    page = client.get(reverse("signup")).content.decode()
    assert 'data-browser-zone="fill"' in page


def test_switching_the_time_zone_in_one_click_goes_back_to_the_page(user_client, user):
    day_url = reverse("tracker:day", args=[dt.date(2026, 11, 22)])
    response = user_client.post(
        reverse("switch_time_zone"), {"time_zone": "Asia/Tokyo", "next": day_url}
    )
    assert response.url == day_url
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Asia/Tokyo"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "x" * 100])
def test_an_unknown_zone_changes_nothing(user_client, user, zone):
    response = user_client.post(reverse("switch_time_zone"), {"time_zone": zone})
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "UTC"


def test_switching_never_sends_the_person_to_another_site(user_client):
    response = user_client.post(
        reverse("switch_time_zone"),
        {"time_zone": "Asia/Tokyo", "next": "https://evil.example/"},
    )
    assert response.url == reverse("tracker:today")


def test_a_cramp_at_0330_in_los_angeles_belongs_to_the_night_before_at_any_server_hour():
    """The night rule reads the stored instant in the person's zone: 11:30 UTC is 03:30
    in Los Angeles (the night of the 6th) and 12:30 in Paris (the 7th)."""
    instant = dt.datetime(2026, 12, 7, 11, 30, tzinfo=dt.UTC)
    assert diary_day_of(instant.astimezone(ZoneInfo("America/Los_Angeles"))) == dt.date(2026, 12, 6)
    assert diary_day_of(instant.astimezone(ZoneInfo("Europe/Paris"))) == dt.date(2026, 12, 7)


def test_cramp_now_files_the_cramp_by_the_persons_zone(user_client, user):
    user.profile.time_zone = "Pacific/Kiritimati"  # UTC+14: a day ahead of most
    user.profile.save()

    user_client.post(reverse("cramp_now"))

    cramp = Cramp.objects.get()
    local = timezone.localtime(cramp.started_at, ZoneInfo("Pacific/Kiritimati"))
    assert cramp.day == diary_day_of(local)


@pytest.mark.parametrize("typed", ["alice", "Alice", "ALICE", "  alice"])
def test_login_takes_the_user_name_in_any_case(client, user, typed):
    response = client.post(reverse("login"), {"username": typed.strip(), "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_still_fails_in_another_case(client, user):
    response = client.post(reverse("login"), {"username": "ALICE", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_up_refuses_a_name_that_differs_only_in_case(client, user):
    client.post(
        reverse("signup"),
        {
            "username": "ALICE",
            "email": "a2@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert not Profile.objects.filter(user__username="ALICE").exists()


def test_an_unknown_insights_span_is_answered_with_a_message(user_client):
    content = user_client.get(reverse("insights"), {"days": "7"}).content.decode()

    assert "The insights cover 30, 90 or 365 days, not “7”: here are 90." in content


@pytest.mark.parametrize(
    "page",
    [
        "tracker/report.html",
        "tracker/trend_chart.html",
        "tracker/cramp_timeline.html",
        "tracker/profile.html",
        "tracker/supplements.html",
    ],
)
def test_every_sideways_scrolling_table_is_reachable_by_keyboard(page):
    """axe's scrollable-region-focusable: a region the keyboard can scroll has a name."""
    from pathlib import Path

    from django.conf import settings

    html = (Path(settings.BASE_DIR) / "templates" / page).read_text()
    for found in re.finditer(r'<div class="table-scroll"([^>]*)>', html):
        assert 'tabindex="0"' in found.group(1) and "aria-label=" in found.group(1)


DJANGO_WORDS = (
    "This field is required",
    "Select a valid choice",
    "Ensure this value",
    "Ensure that there are no more than",
    "Enter a whole number.",
)


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("tracker:add_entry", {"food": "", "quantity": "", "unit": "", "slot": "teatime"}),
        ("tracker:add_entry", {"quantity": "1,234,5", "unit": "cup", "slot": ""}),
        ("tracker:add_water", {"ml": "1,5"}),
        ("tracker:add_water", {"ml": "99999"}),
        ("tracker:copy", {"from_day": "", "slot": "elevenses"}),
        (
            "cramp_new",
            {
                "started_at": "",
                "muscle": "tongue",
                "activity": "x",
                "severity": "a",
                "duration_minutes": "1.5",
                "note": "n" * 501,
            },
        ),
        (
            "profile",
            {"time_zone": "Mars/Base", "water_target_ml": "-1", "potassium_target_mg": "1.5"},
        ),
    ],
)
def test_every_field_error_is_in_our_own_words(user_client, foods, url_name, data):
    day_urls = {"tracker:add_entry", "tracker:add_water", "tracker:copy"}
    args = [timezone.localdate()] if url_name in day_urls else []
    if url_name == "tracker:add_entry" and "food" not in data:
        data = {**data, "food": foods["banana"].pk}

    content = user_client.post(reverse(url_name, args=args), data).content.decode()

    assert "errorlist" in content
    for words in DJANGO_WORDS:
        assert words not in content, words
