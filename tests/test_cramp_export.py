"""The cramp diary as CSV: cramps and supplements taken, only one's own, in a fixed
number of queries."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tracker.models import Cramp, Supplement, SupplementIntake

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")


DAY = date(2026, 11, 22)
RANGE = {"from": "2026-11-01", "to": "2026-11-30"}


def rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_cramps_csv_has_one_row_per_cramp_of_the_range(user_client, user, other_user):
    Cramp.objects.create(
        user=user,
        started_at=datetime(2026, 11, 23, 3, 10, tzinfo=UTC),
        day=DAY,
        muscle="calf",
        severity=7,
        activity="night",
        note="=woke me",
    )
    Cramp.objects.create(
        user=user, started_at=datetime(2026, 12, 5, tzinfo=UTC), day=date(2026, 12, 5)
    )
    Cramp.objects.create(
        user=other_user, started_at=datetime(2026, 11, 2, tzinfo=UTC), day=date(2026, 11, 2)
    )

    response = user_client.get(reverse("export_cramps"), RANGE)

    assert response.status_code == 200
    assert "cramp-tracker-cramps-2026-11-01-to-2026-11-30.csv" in response["Content-Disposition"]
    assert rows(response) == [
        [
            "date",
            "started_at",
            "muscle",
            "severity",
            "duration_minutes",
            "what_you_were_doing",
            "note",
        ],
        ["2026-11-22", "2026-11-23T03:10+00:00", "calf", "7", "", "night", "'=woke me"],
    ]


def test_supplements_csv_gives_what_each_held(user_client, user):
    mix = Supplement.objects.get(owner=None, name="Electrolyte drink mix")
    SupplementIntake.objects.create(user=user, day=DAY, supplement=mix, count=Decimal("1.5"))

    table = rows(user_client.get(reverse("export_supplements"), RANGE))

    assert table[0] == [
        "date", "supplement", "unit", "count",
        "potassium_mg", "calcium_mg", "magnesium_mg", "sodium_mg", "vitamin_d_ug",
        "vitamin_b6_mg", "vitamin_e_mg", "selenium_ug", "phosphorus_mg",
    ]  # fmt: skip
    assert table[1] == [
        "2026-11-22",
        "Electrolyte drink mix",
        "scoop",
        "1.5",
        "300",
        "",
        "90",
        "750",
        "",
        "",
        "",
        "",
        "",
    ]


def test_a_bad_range_shows_the_form_with_its_message(user_client, user):
    response = user_client.get(reverse("export_cramps"), {"from": "2026-11-30", "to": "2026-11-01"})
    assert "Choose a day on or after the first day" in response.content.decode()


@pytest.mark.parametrize("days", [1, 200])
def test_the_supplements_csv_runs_a_constant_number_of_queries(
    user_client, user, days, django_assert_num_queries
):
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    for offset in range(days):
        SupplementIntake.objects.create(
            user=user, day=date(2026, 1, 1) + timedelta(days=offset), supplement=citrate, count=1
        )
    response = user_client.get(
        reverse("export_supplements"), {"from": "2026-01-01", "to": "2026-12-31"}
    )
    # Streaming the rows: the intakes, then their products' amounts.
    with django_assert_num_queries(2):
        table = rows(response)
    assert len(table) == days + 1
