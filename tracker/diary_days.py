"""The days a diary can hold, defined once for the URLs, forms, API, export and templates.

Dates outside this range are typing mistakes ("0026-11-22"), not diary days.
"""

import re
from datetime import date
from typing import Any

from django import forms

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
OUT_OF_RANGE = f"Choose a day between {FIRST_DAY.year} and {LAST_DAY.year}."
OUT_OF_RANGE_TIME = f"Choose a time between {FIRST_DAY.year} and {LAST_DAY.year}."

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The same range as a pattern, for the API's schema (a test holds it to the two days).
ISO_DAY_IN_RANGE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$"


def parse_diary_day(text: str) -> date:
    """YYYY-MM-DD within the diary's days; a ValueError says what is wrong, for a person."""
    if not ISO_DAY.fullmatch(text):
        raise ValueError("Enter a date as YYYY-MM-DD.")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError("That date does not exist.") from None
    if not is_diary_day(day):
        raise ValueError(OUT_OF_RANGE)
    return day


def is_diary_day(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def check_diary_day(day: date) -> None:
    """The forms' validator."""
    if not is_diary_day(day):
        raise forms.ValidationError(OUT_OF_RANGE)


class DiaryDayField(forms.DateField):
    """A date input that offers and accepts only diary days, as YYYY-MM-DD."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()},
                format="%Y-%m-%d",
            ),
        )
        super().__init__(**kwargs)
        self.validators.append(check_diary_day)


class IsoDateConverter:
    """/day/2026-11-22/ → date(2026, 11, 22); an impossible date is a 404."""

    regex = ISO_DAY.pattern

    def to_python(self, value: str) -> date:
        return parse_diary_day(value)  # ValueError: no match, so 404

    def to_url(self, value: date) -> str:
        return value.isoformat()
