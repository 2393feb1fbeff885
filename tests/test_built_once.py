"""Statements built once with stand-ins (tracker/built_once.py) read and write what the
same statements built for the user and the day do."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Value

from tests.test_diary import DAY, log
from tracker.built_once import SOME_DAY, SOME_USER_ID, stand_ins_checked
from tracker.models import RECENT_FOODS, Entry


def as_shown(entry: Entry) -> tuple:
    """What the day page shows of an entry read with its food, meal and amounts."""
    return (
        entry.pk, entry.on_day, entry.food.description, entry.meal.slot, entry.meal.day,
        entry.grams, entry.quantity, entry.unit, entry.created_at,
        entry.potassium_mg, entry.calcium_mg, entry.magnesium_mg, entry.kcal,
    )  # fmt: skip


def built_for(user, day, recent_ids) -> list[tuple]:
    """The day's and the recent entries as the ORM reads them when built for this user and
    day."""
    read = Entry.objects.select_related("food", "meal").with_minerals().with_kcal().order_by()
    union = (
        read.for_day(user, day)
        .annotate(on_day=Value(True))
        .union(read.filter(id__in=recent_ids).annotate(on_day=Value(False)), all=True)
    )
    return sorted(as_shown(entry) for entry in union)


@pytest.mark.parametrize("history_days", [0, 3, 12])
def test_the_day_and_recent_entries_read_as_the_orm_reads_them(
    user, other_user, foods, history_days
):
    menu = [foods["banana"], foods["almonds"], foods["no_magnesium"]]
    for person in (user, other_user):
        for offset in range(history_days):
            for index, food in enumerate(menu[: 1 + offset % 3]):
                day = DAY - dt.timedelta(days=offset)
                log(person, food, Decimal(30 + 7 * index + offset), day=day, slot="lunch")
    log(user, foods["banana"], Decimal("118.5"), slot="dinner")

    for person in (user, other_user):
        for day in (DAY, DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)):
            on_day, recent = Entry.objects.day_and_recent(person, day)
            latest_ids = Entry.objects.all().most_logged_food_ids(person, RECENT_FOODS)
            read = sorted(as_shown(entry) for entry in on_day + recent)

            assert read == built_for(person, day, [entry.pk for entry in recent])
            assert len(recent) == len(latest_ids)
            assert {entry.food_id for entry in recent} == set(latest_ids)
            assert all(entry.meal.user_id == person.pk for entry in on_day + recent)


def test_a_stand_in_missing_from_the_parameters_is_refused():
    stand_ins_checked((1, SOME_USER_ID, "x", SOME_USER_ID), [SOME_USER_ID])
    with pytest.raises(ValueError):
        stand_ins_checked((1, "x"), [SOME_USER_ID])
    with pytest.raises(ValueError):
        stand_ins_checked((SOME_USER_ID,), [SOME_USER_ID, SOME_DAY])
