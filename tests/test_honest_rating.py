"""A rating that admits what it does not know: the no-data day, the partial-data day and
today in progress, on the day page, the report, the API and the day-summary CSV."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nutrients.models import Food, FoodNutrient
from tracker.models import DayTotal, Entry, Meal

DAY = dt.date(2026, 11, 22)
NOT_ENOUGH = "not enough data to rate"


def log(user, food, grams, day=DAY, slot="lunch"):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    entry = Entry.objects.create(meal=meal, food=food, grams=grams, quantity=grams)
    DayTotal.refresh(user, [day])  # as every write path does
    return entry


@pytest.fixture
def energy_only(user, foods) -> Food:
    """An own food from a label that gives energy only."""
    food = Food.objects.create(description="Protein bar", source="user", owner=user)
    FoodNutrient.objects.create(food=food, nutrient_id=1008, amount=400)
    return food


def page(client, name, day=DAY) -> str:
    return client.get(reverse(f"tracker:{name}", kwargs={"day": day})).content.decode()


def api_day(client, day=DAY) -> dict:
    return client.get(f"/api/days/{day}/").json()


def csv_day(client, day=DAY) -> dict[str, str]:
    response = client.get(reverse("export_days"), {"from": day, "to": day})
    text = b"".join(response.streaming_content).decode()
    [row] = list(csv.DictReader(io.StringIO(text)))
    return row


# --- No data -------------------------------------------------------------------------------


def test_a_day_of_foods_without_mineral_values_is_not_enough_data_to_rate_everywhere(
    user_client, user, energy_only
):
    log(user, energy_only, Decimal(60))

    report = page(user_client, "report")
    day_page = page(user_client, "day")
    answer = api_day(user_client)
    row = csv_day(user_client)

    assert f'data-testid="risk">{NOT_ENOUGH}</strong>' in report
    assert "No food logged has a potassium value" in report
    assert f'data-testid="risk">{NOT_ENOUGH}</strong>' in day_page
    assert ">low<" not in report + day_page
    assert answer["cramp_risk"]["level"] == NOT_ENOUGH
    assert any("magnesium cannot be rated" in reason for reason in answer["cramp_risk"]["reasons"])
    assert row["cramp_risk"] == NOT_ENOUGH
    assert "No food logged has a calcium value" in row["cramp_risk_reasons"]


def test_a_no_data_meter_says_no_data_to_screen_readers(user_client, user, energy_only):
    log(user, energy_only, Decimal(60))

    html = page(user_client, "day")

    assert 'aria-label="Potassium: no data">no data</meter>' in html
    assert "0% of target" not in html


def test_an_empty_day_still_reads_nothing_logged(user_client, user):
    assert "Nothing logged yet" in page(user_client, "report")
    assert api_day(user_client)["cramp_risk"]["level"] is None


# --- Partial data ---------------------------------------------------------------------------


def test_magnesium_known_for_1_of_5_entries_is_said_in_page_api_and_csv(user_client, user, foods):
    log(user, foods["almonds"], Decimal(200))  # enough of everything on its own…
    for _ in range(4):
        log(user, foods["no_magnesium"], Decimal(100))  # …and four entries without magnesium
    reason = "Magnesium known for 1 of 5 entries: the true total is likely higher."

    assert reason in page(user_client, "report")
    assert reason in api_day(user_client)["cramp_risk"]["reasons"]
    assert reason in csv_day(user_client)["cramp_risk_reasons"]


# --- Today in progress ------------------------------------------------------------------------


def test_today_reads_so_far_and_rates_if_the_day_ended_now(user_client, user, foods):
    today = timezone.localdate()
    log(user, foods["banana"], Decimal(118), day=today)

    report = page(user_client, "report", today)
    day_page = page(user_client, "day", today)

    assert "Cramp risk so far today" in report
    assert "If the day ended now, its cramp risk from diet would be" in report
    assert "Minerals so far today" in day_page
    assert "Cramp risk if the day ended now:" in day_page
    assert api_day(user_client, today)["in_progress"] is True
    assert csv_day(user_client, today)["day_in_progress"] == "yes"


def test_a_past_day_is_not_in_progress(user_client, user, foods):
    log(user, foods["banana"], Decimal(118))

    assert "so far today" not in page(user_client, "report")
    assert "This day’s cramp risk from diet:" in page(user_client, "report")
    assert api_day(user_client)["in_progress"] is False
    assert csv_day(user_client)["day_in_progress"] == "no"


def test_today_follows_the_users_time_zone(user_client, user, foods):
    # Far east of UTC the date is often a day ahead: "today" is the user's.
    profile = user.profile
    profile.time_zone = "Pacific/Kiritimati"
    profile.save()
    their_today = profile.today()
    log(user, foods["banana"], Decimal(118), day=their_today)

    assert api_day(user_client, their_today)["in_progress"] is True
