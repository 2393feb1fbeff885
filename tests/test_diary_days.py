"""The diary's days, defined once (tracker/diary_days.py) and read everywhere."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tracker.diary_days import (
    FIRST_DAY,
    ISO_DAY_IN_RANGE_PATTERN,
    LAST_DAY,
    OUT_OF_RANGE,
    DiaryDayField,
    parse_diary_day,
)


@pytest.mark.parametrize(
    "day, in_range",
    [
        (FIRST_DAY - timedelta(days=1), False),
        (FIRST_DAY, True),
        (date(2026, 11, 22), True),
        (LAST_DAY, True),
        (LAST_DAY + timedelta(days=1), False),
        (date(1000, 1, 1), False),
        (date(9999, 12, 31), False),
    ],
)
def test_the_api_schemas_pattern_takes_exactly_the_diarys_days(day, in_range):
    assert bool(re.fullmatch(ISO_DAY_IN_RANGE_PATTERN, day.isoformat())) is in_range
    if in_range:
        assert parse_diary_day(day.isoformat()) == day
    else:
        with pytest.raises(ValueError, match=OUT_OF_RANGE):
            parse_diary_day(day.isoformat())


@pytest.mark.parametrize(
    "text, message",
    [
        ("22/11/2026", "Enter a date as YYYY-MM-DD."),
        ("20261122", "Enter a date as YYYY-MM-DD."),
        ("2026-02-30", "That date does not exist."),
    ],
)
def test_a_day_that_is_no_diary_day_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_diary_day(text)


def test_date_inputs_offer_only_the_diarys_days():
    attrs = DiaryDayField().widget.attrs

    assert (attrs["min"], attrs["max"]) == (FIRST_DAY.isoformat(), LAST_DAY.isoformat())


def test_the_day_pages_date_picker_offers_only_the_diarys_days(client, user):
    client.force_login(user)

    page = client.get(reverse("tracker:day", args=[date(2026, 11, 22)])).content.decode()

    assert f'min="{FIRST_DAY.isoformat()}" max="{LAST_DAY.isoformat()}"' in page


def test_a_day_url_outside_the_diarys_days_is_404(client, user):
    client.force_login(user)

    assert client.get(f"/day/{LAST_DAY + timedelta(days=1)}/").status_code == 404
    assert client.get(f"/day/{LAST_DAY}/").status_code == 200
