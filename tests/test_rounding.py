"""One rounding rule on every page, fragment, CSV and API text: amounts to the nearest
whole mg (halves up), percents rounded down, statuses from the exact amounts."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tracker.models import ApiToken, DayTotal, Entry, Meal

DAY = dt.date(2026, 11, 22)


def log_one_banana(user, foods):
    # 118 g × 27 mg per 100 g = 31.86 mg magnesium; 118 × 358 / 100 = 422.44 mg potassium.
    meal = Meal.objects.create(user=user, day=DAY, slot="breakfast")
    medium = foods["banana"].portions.get(description__startswith="1 medium")
    entry = Entry.objects.create(
        meal=meal,
        food=foods["banana"],
        grams=118,
        quantity=1,
        portion=medium,
        unit=medium.description,
    )
    DayTotal.refresh(user, [DAY])  # as every write path does
    return entry


def test_one_banana_reads_32_mg_magnesium_as_an_entry_as_the_total_and_as_the_average(
    user_client, user, foods
):
    entry = log_one_banana(user, foods)

    day_page = user_client.get(reverse("tracker:day", kwargs={"day": DAY})).content.decode()
    report = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()

    entry_html = day_page.split(f'id="entry-{entry.pk}"')[1].split("</li>")[0]
    assert re.search(r">Mg</abbr> 32 mg", entry_html)
    assert 'data-testid="total-magnesium">32 mg<' in day_page
    assert 'data-testid="total-magnesium">32 mg<' in report
    assert "7-day average 32 mg, 7% of target" in report  # 7.58%: rounded down
    assert "7-day average 422 mg, 8% of target" in report


def test_the_api_text_and_the_csv_follow_the_same_rule(client, user, foods):
    log_one_banana(user, foods)
    _, token = ApiToken.create_for(user, "tests")

    day = client.get(f"/api/days/{DAY}/", headers={"Authorization": f"Bearer {token}"}).json()
    client.force_login(user)
    response = client.get(f"{reverse('export_days')}?from={DAY}&to={DAY}")
    row = next(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )

    assert any(
        r.startswith("Magnesium is well short: you ate 32 of 420 mg (7%), 388 mg to go.")
        for r in day["cramp_risk"]["reasons"]
    )
    # The CSV keeps the exact amount (for sums in a spreadsheet), and the same percent.
    assert row["magnesium_mg"] == "31.86"
    assert row["magnesium_percent"] == "7"
    assert row["magnesium_status"] == "well short"


@pytest.mark.parametrize(
    ("eaten_mg", "band"),
    [
        ("0", "even less good"),
        ("200", "even less good"),  # well short
        ("314.9", "even less good"),  # 74%: short
        ("314.9999", "even less good"),
        ("315", "suboptimum"),  # 75%: a little low
        ("419.6", "suboptimum"),  # 99%: a little low, though it reads 420 mg
        ("419.9999", "suboptimum"),
        ("420", "optimum"),  # met
        ("900", "optimum"),
    ],
)
def test_the_meters_colour_says_what_its_status_word_says(eaten_mg, band):
    from nutrients.report import HEADLINE_MINERALS, MineralStatus, Status

    magnesium = next(m for m in HEADLINE_MINERALS if m.key == "magnesium")
    status = MineralStatus(magnesium, Decimal(eaten_mg), Decimal(420))
    colour_of = {
        Status.MET: "optimum",
        Status.LITTLE_LOW: "suboptimum",
        Status.SHORT: "even less good",
        Status.WELL_SHORT: "even less good",
    }
    assert status.meter_band == band == colour_of[status.status]


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("982.8", "983"),
        ("1733.5", "1,734"),
        ("10", "10"),
        ("9.96", "10"),
        ("1.25", "1.3"),
        ("4.0", "4"),
        ("0.04", "0"),
        ("0", "0"),
    ],
)
def test_a_nutrient_amount_is_shown_whole_or_to_a_tenth_under_10(amount, text):
    from nutrients.numbers import shown

    assert shown(Decimal(amount)) == text


@pytest.mark.parametrize(
    "amount",
    ["0", "0.4999", "0.5", "31.86", "422.44", "999.5", "1733.5", "4700", "12345678.5", 2, 2.5],
)
def test_whole_amounts_read_as_floatformat_showed_them(amount):
    # The pages' "whole" filter took floatformat:"0g"'s place in the hot templates: the
    # same text, halves up and grouped by thousands.
    from django.template.defaultfilters import floatformat

    from tracker.templatetags.amounts import whole

    value = Decimal(amount) if isinstance(amount, str) else amount
    assert whole(value) == floatformat(value, "0g")
    assert whole(None) == ""
