"""The stored per-day totals (DayTotal, DayNutrientTotal) always equal the entries' sums.

Hypothesis drives random sequences of every write path that moves a day's numbers: the
diary's add, edit, delete, water, copy and logging a recent food again; the JSON API's create, update and delete;
editing an own food; a staff change in the admin; a re-import of a food's values. After
each step, every stored day of every user is compared with a fresh recomputation done in
Python from the entries and the foods' values, to 0.001; and the pages the user is shown,
kept between requests or not (tracker/page_cache.py), equal the same pages made afresh.
"""

import json
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutrients.models import Food, FoodNutrient, Portion
from nutrients.report import REPORT_NUTRIENT_IDS, TAP_WATER_FDC_ID, WATER
from tests.conftest import food_change_form
from tests.test_import_fdc import (
    AMOUNT_HEADER,
    BANANAS,
    FOOD_HEADER,
    NUTRIENT_HEADER,
    amount_row,
    write_folder,
)
from tests.test_odd_input import undone
from tests.test_own_foods import label
from tracker.models import ApiToken, DayNutrientTotal, DayTotal, Entry, Meal

DAY = date(2026, 11, 22)
DAYS = st.integers(0, 2).map(lambda offset: DAY + timedelta(days=offset))
SLOTS = st.sampled_from([slot for slot, _ in Meal.Slot.choices])
GRAMS = st.decimals("0.01", "800", places=2)
AMOUNTS = st.one_of(st.none(), st.decimals("0", "2000", places=3))
FOOD_KEYS = st.sampled_from(["banana", "almonds", "no_magnesium", "bar"])
PICK = st.integers(0, 50)  # which of the current entries, modulo their number

STEPS = st.one_of(
    st.tuples(st.just("add"), DAYS, FOOD_KEYS, GRAMS, SLOTS),
    st.tuples(st.just("add_portion"), DAYS, SLOTS),
    st.tuples(st.just("edit"), PICK, GRAMS, SLOTS),
    st.tuples(st.just("delete"), PICK),
    st.tuples(st.just("water"), DAYS, st.integers(1, 1000)),
    st.tuples(st.just("copy"), DAYS, DAYS, st.sampled_from(["", "breakfast", "lunch"])),
    st.tuples(st.just("recent"), PICK, DAYS, SLOTS),
    st.tuples(st.just("api_create"), DAYS, FOOD_KEYS, GRAMS, st.booleans()),
    st.tuples(st.just("api_update"), PICK, st.one_of(st.none(), GRAMS), SLOTS),
    st.tuples(st.just("api_delete"), PICK),
    st.tuples(st.just("own_food"), AMOUNTS),
    st.tuples(st.just("admin"), st.sampled_from(["banana", "almonds"]), AMOUNTS),
    st.tuples(st.just("import"), st.decimals("0", "2000", places=3)),
)


def expected_totals() -> dict[tuple[int, date], tuple[int, dict[int, tuple[Decimal, int]]]]:
    """Every user's days recomputed in Python: entries, and per nutrient (sum, known)."""
    values = defaultdict(dict)
    for food_id, nutrient_id, amount in FoodNutrient.objects.filter(
        nutrient_id__in=REPORT_NUTRIENT_IDS
    ).values_list("food_id", "nutrient_id", "amount"):
        values[food_id][nutrient_id] = amount
    days: dict = {}
    for user_id, day, food_id, fdc_id, grams in Entry.objects.values_list(
        "meal__user_id", "meal__day", "food_id", "food__fdc_id", "grams"
    ):
        count, sums = days.setdefault((user_id, day), (0, {}))
        for nutrient_id, amount in values[food_id].items():
            total, known = sums.get(nutrient_id, (Decimal(0), 0))
            # Water logged as tap water counts in full: its millilitres (#14).
            if nutrient_id == WATER and fdc_id == TAP_WATER_FDC_ID:
                added = grams
            else:
                added = amount * grams / 100
            sums[nutrient_id] = (total + added, known + 1)
        days[(user_id, day)] = (count + 1, sums)
    return days


def stored_totals() -> dict[tuple[int, date], tuple[int, dict[int, tuple[Decimal, int]]]]:
    days = {
        (user_id, day): (entries, {})
        for user_id, day, entries in DayTotal.objects.values_list("user_id", "day", "entries")
    }
    for user_id, day, nutrient_id, amount, known in DayNutrientTotal.objects.values_list(
        "user_id", "day", "nutrient_id", "amount", "known_entries"
    ):
        assert (user_id, day) in days, f"a nutrient total of a day without entries: {day}"
        days[(user_id, day)][1][nutrient_id] = (amount, known)
    return days


def assert_totals_are_exact() -> None:
    expected, stored = expected_totals(), stored_totals()
    assert stored.keys() == expected.keys()
    for key, (entries, sums) in expected.items():
        stored_entries, stored_sums = stored[key]
        assert stored_entries == entries, key
        # No row where no entry knows the nutrient: "no data" stays apart from zero.
        assert stored_sums.keys() == sums.keys(), key
        for nutrient_id, (total, known) in sums.items():
            stored_total, stored_known = stored_sums[nutrient_id]
            assert stored_known == known, (key, nutrient_id)
            assert abs(Decimal(stored_total) - total) <= Decimal("0.001"), (key, nutrient_id)


def entry_at(user, pick: int) -> Entry | None:
    entries = list(Entry.objects.filter(meal__user=user).order_by("pk"))
    return entries[pick % len(entries)] if entries else None


def admin_change(admin_client: Client, food: Food, potassium: Decimal | None) -> None:
    """Staff set (or, with None, delete) the food's potassium in the admin's food page."""
    rows = list(food.nutrient_amounts.all())
    data = food_change_form(food) | {
        "nutrient_amounts-TOTAL_FORMS": str(len(rows) + 1),
        "nutrient_amounts-INITIAL_FORMS": str(len(rows)),
        "nutrient_amounts-MIN_NUM_FORMS": "0",
        "nutrient_amounts-MAX_NUM_FORMS": "1000",
    }
    had_potassium = False
    for index, row in enumerate(rows):
        prefix = f"nutrient_amounts-{index}-"
        data |= {
            prefix + "id": row.pk,
            prefix + "food": food.pk,
            prefix + "nutrient": row.nutrient_id,
            prefix + "amount": row.amount,
        }
        if row.nutrient_id == 1092:
            had_potassium = True
            if potassium is None:
                data[prefix + "DELETE"] = "on"
            else:
                data[prefix + "amount"] = potassium
    if not had_potassium and potassium is not None:
        prefix = f"nutrient_amounts-{len(rows)}-"
        data |= {prefix + "food": food.pk, prefix + "nutrient": 1092, prefix + "amount": potassium}
    change_url = reverse("admin:nutrients_food_change", args=[food.pk])
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["errors"]


def reimport_banana(folder, potassium: Decimal) -> None:
    """import_fdc with a new potassium value for the banana (by its FDC id)."""
    write_folder(
        folder,
        {
            "nutrient.csv": (NUTRIENT_HEADER, [["1092", "Potassium, K", "MG", "306", "5700"]]),
            "food.csv": (
                FOOD_HEADER,
                [[str(BANANAS), "sr_legacy_food", "Bananas, raw", "", "2019-04-01"]],
            ),
            "food_nutrient.csv": (AMOUNT_HEADER, [amount_row(1, BANANAS, 1092, str(potassium))]),
        },
    )
    call_command("import_fdc", str(folder), stdout=StringIO())


@pytest.fixture
def diary_foods(foods, user):
    bar = Food.objects.create(
        description="Protein bar", source=Food.Source.USER, owner=user, category="My foods"
    )
    Portion.objects.create(food=bar, seq=1, description="1 bar", grams=40)
    FoodNutrient.objects.create(food=bar, nutrient_id=1092, amount=500)
    return {**foods, "bar": bar}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=8))
def test_every_write_path_keeps_the_stored_totals_exact(
    client, admin_client, user, other_user, diary_foods, tmp_path, steps
):
    foods = diary_foods
    _, alice_token = ApiToken.create_for(user, "phone")
    _, bob_token = ApiToken.create_for(other_user, "phone")
    with undone():
        client.force_login(user)
        for step in steps:
            run_step(client, admin_client, user, alice_token, bob_token, foods, tmp_path, step)
            assert_totals_are_exact()
            assert_kept_pages_are_fresh(client)


# Pages the diary's user sees, kept by tracker/page_cache.py between the steps.
KEPT_PAGES = [
    reverse("tracker:day", kwargs={"day": DAY + timedelta(days=1)}),
    reverse("tracker:report", kwargs={"day": DAY}),
    reverse("insights") + "?days=30",
]
# What differs between two showings of one page: CSRF tokens and one-time keys.
MADE_PER_SHOWING = re.compile(r"\b(?:[A-Za-z0-9]{64}|[0-9a-f]{32})\b")


def assert_kept_pages_are_fresh(client: Client) -> None:
    """Each page as the user is shown it (kept or not) equals the page made afresh."""
    client.get(KEPT_PAGES[0])  # shows the step's message, if any: a page with one is not kept

    def pages() -> list[str]:
        return [MADE_PER_SHOWING.sub("…", client.get(url).content.decode()) for url in KEPT_PAGES]

    shown = pages()
    caches["pages"].clear()
    assert shown == pages()  # made afresh, and kept for the next step


def api(token: str, method: str, path: str, body: dict | None = None):
    response = getattr(Client(), method)(
        path,
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code < 500
    return response


def run_step(client, admin_client, user, alice_token, bob_token, foods, tmp_path, step) -> None:
    kind, *args = step
    if kind == "add":
        day, food_key, grams, slot = args
        food = foods[food_key]
        data = {"food": food.pk, "quantity": str(grams), "unit": "g", "slot": slot}
        assert client.post(reverse("tracker:add_entry", kwargs={"day": day}), data).status_code
    elif kind == "add_portion":
        day, slot = args
        medium = foods["banana"].portions.get(description__startswith="1 medium")
        data = {"food": medium.food_id, "quantity": "1.5", "unit": medium.pk, "slot": slot}
        client.post(reverse("tracker:add_entry", kwargs={"day": day}), data)
    elif kind == "edit":
        pick, grams, slot = args
        if entry := entry_at(user, pick):
            data = {"quantity": str(grams), "unit": "g", "slot": slot}
            client.post(reverse("tracker:edit_entry", kwargs={"pk": entry.pk}), data)
    elif kind == "delete":
        if entry := entry_at(user, args[0]):
            client.post(reverse("tracker:delete_entry", kwargs={"pk": entry.pk}))
    elif kind == "water":
        day, ml = args
        client.post(reverse("tracker:add_water", kwargs={"day": day}), {"ml": ml})
    elif kind == "copy":
        from_day, to_day, slot = args
        data = {"from_day": from_day.isoformat(), "slot": slot}
        client.post(reverse("tracker:copy", kwargs={"day": to_day}), data)
    elif kind == "recent":
        pick, day, slot = args
        if entry := entry_at(user, pick):
            data = {"entry": entry.pk, "slot": slot}
            client.post(reverse("tracker:log_recent", kwargs={"day": day}), data)
    elif kind == "api_create":
        day, food_key, grams, as_bob = args
        food = foods["banana"] if as_bob and food_key == "bar" else foods[food_key]
        body = {"date": day.isoformat(), "food": food.pk, "grams": float(grams), "meal": "lunch"}
        api(bob_token if as_bob else alice_token, "post", "/api/entries/", body)
    elif kind == "api_update":
        pick, grams, slot = args
        if entry := entry_at(user, pick):
            body = {"meal": slot} if grams is None else {"grams": float(grams)}
            api(alice_token, "patch", f"/api/entries/{entry.pk}/", body)
    elif kind == "api_delete":
        if entry := entry_at(user, args[0]):
            api(alice_token, "delete", f"/api/entries/{entry.pk}/")
    elif kind == "own_food":
        potassium = args[0]
        values = label(serving_grams="40", potassium="" if potassium is None else str(potassium))
        client.post(reverse("own_food_edit", kwargs={"pk": foods["bar"].pk}), values)
    elif kind == "admin":
        food_key, potassium = args
        admin_change(admin_client, foods[food_key], potassium)
    elif kind == "import":
        reimport_banana(tmp_path / "cut", args[0])
    else:  # pragma: no cover
        raise AssertionError(kind)


# --- Plain examples -----------------------------------------------------------------------


def test_a_day_whose_last_entry_is_deleted_has_no_stored_total(user_client, user, foods):
    data = {"food": foods["banana"].pk, "quantity": "118", "unit": "g", "slot": "lunch"}
    user_client.post(reverse("tracker:add_entry", kwargs={"day": DAY}), data)
    assert DayTotal.objects.get(user=user, day=DAY).entries == 1

    entry = Entry.objects.get()
    user_client.post(reverse("tracker:delete_entry", kwargs={"pk": entry.pk}))

    assert not DayTotal.objects.exists()
    assert not DayNutrientTotal.objects.exists()


def test_a_nutrient_no_entry_knows_is_no_row_and_a_zero_is_a_row(user_client, user, foods):
    data = {"food": foods["no_magnesium"].pk, "quantity": "100", "unit": "g", "slot": "lunch"}
    user_client.post(reverse("tracker:add_entry", kwargs={"day": DAY}), data)

    stored = dict(DayNutrientTotal.objects.values_list("nutrient_id", "known_entries"))
    assert 1090 not in stored  # magnesium: no data, not zero
    assert stored[1092] == 1


def test_copying_a_day_stores_the_copied_days_totals(user_client, user, foods):
    data = {"food": foods["almonds"].pk, "quantity": "28", "unit": "g", "slot": "snacks"}
    user_client.post(reverse("tracker:add_entry", kwargs={"day": DAY}), data)

    user_client.post(
        reverse("tracker:copy", kwargs={"day": DAY + timedelta(days=1)}),
        {"from_day": DAY.isoformat(), "slot": ""},
    )

    copied = DayNutrientTotal.objects.get(user=user, day=DAY + timedelta(days=1), nutrient_id=1092)
    assert copied.amount == Decimal("205.24")  # 733 mg per 100 g × 28 g


def test_rebuild_day_totals_restores_what_was_lost(user_client, user, foods):
    data = {"food": foods["banana"].pk, "quantity": "118", "unit": "g", "slot": "lunch"}
    user_client.post(reverse("tracker:add_entry", kwargs={"day": DAY}), data)
    DayNutrientTotal.objects.all().delete()
    DayTotal.objects.all().delete()

    out = StringIO()
    call_command("rebuild_day_totals", stdout=out)

    assert "1 days" in out.getvalue()
    assert_totals_are_exact()
    assert DayNutrientTotal.objects.get(nutrient_id=1092).amount == Decimal("422.44")


def test_a_staff_change_re_adds_the_days_of_every_user_who_logged_the_food(
    admin_client, user, other_user, foods
):
    for person in (user, other_user):
        meal = Meal.objects.create(user=person, day=DAY, slot="lunch")
        Entry.objects.create(meal=meal, food=foods["banana"], grams=100, quantity=100)
        DayTotal.refresh(person, [DAY])

    admin_change(admin_client, foods["banana"], Decimal("400"))

    amounts = DayNutrientTotal.objects.filter(nutrient_id=1092).values_list("amount", flat=True)
    assert sorted(amounts) == [Decimal("400"), Decimal("400")]


# --- Query counts do not grow with the diary's history -------------------------------------


def history(user, foods, days: int) -> None:
    for offset in range(days):
        meal = Meal.objects.create(user=user, day=DAY - timedelta(days=offset), slot="lunch")
        for food in (foods["banana"], foods["almonds"], foods["water"]):
            Entry.objects.create(meal=meal, food=food, grams=100, quantity=100)
    DayTotal.refresh(user, [DAY - timedelta(days=offset) for offset in range(days)])


def api_queries(user, foods) -> dict[str, int]:
    """How many queries each API answer takes, counted after one warm-up of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, token = ApiToken.create_for(user, "phone")
    created = api(token, "post", "/api/entries/", {"date": DAY.isoformat(),
                  "food": foods["banana"].pk, "grams": 50, "meal": "snacks"}).json()  # fmt: skip
    calls = {
        "day": ("get", f"/api/days/{DAY}/", None),
        "entries": ("get", f"/api/entries/?date={DAY}", None),
        "create": ("post", "/api/entries/", {"date": DAY.isoformat(), "food": foods["banana"].pk,
                                              "grams": 50, "meal": "snacks"}),
        "update": ("patch", f"/api/entries/{created['id']}/", {"grams": 60}),
        "delete": ("delete", f"/api/entries/{created['id']}/", None),
    }  # fmt: skip
    counts = {}
    for name, (method, path, body) in calls.items():
        with CaptureQueriesContext(connection) as captured:
            assert api(token, method, path, body).status_code in (200, 201, 204)
        counts[name] = len(captured)
    return counts


@pytest.mark.parametrize("days", [1, 40])
def test_api_answers_run_a_constant_number_of_queries(user, foods, days):
    history(user, foods, days)

    # Token (and its user), then the answer's own (the day: main's report with its
    # supplements' totals and workout note in one query, and targets, the suggestable foods
    # read first in this process); writes add
    # DayTotal.refresh's (two for an add, four else: its first moves the writer's revision,
    # once per request, Profile.move_revision), with the
    # request's one transaction a savepoint and its release under the test's (page_cache.py).
    # A create reads the food with its portions (EntryForm.food_and_portions).
    assert api_queries(user, foods) == {
        "day": 10,
        "entries": 2,
        "create": 12,
        "update": 15,
        "delete": 12,
    }


@pytest.mark.parametrize("days", [1, 40])
def test_the_trend_and_day_export_run_a_constant_number_of_queries(
    user_client, user, foods, days, django_assert_num_queries
):
    history(user, foods, days)
    # As in tests/test_report_page.py and tests/test_export.py.
    with django_assert_num_queries(11):
        user_client.get(reverse("tracker:report", kwargs={"day": DAY}))
    with django_assert_num_queries(6):
        response = user_client.get(
            reverse("export_days"), {"from": DAY - timedelta(days=60), "to": DAY}
        )
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + days


def test_staff_deleting_a_meal_in_the_admin_removes_its_days_total(admin_client, user, foods):
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    Entry.objects.create(meal=meal, food=foods["banana"], grams=100, quantity=100)
    DayTotal.refresh(user, [DAY])

    response = admin_client.post(
        reverse("admin:tracker_meal_delete", args=[meal.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not DayTotal.objects.filter(user=user).exists()
    assert_totals_are_exact()


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 11, 22)])
def test_a_days_statements_built_once_are_the_ones_built_for_that_user_and_day(
    user, other_user, day
):
    from tracker.models import one_day_upserts

    for person in (user, other_user):
        entries = Entry.objects.filter(meal__user_id=person.pk, meal__day__in=[day])
        built = (DayTotal._upsert(entries), DayNutrientTotal.upsert(entries))
        reused = [statement.with_values(person.pk, day) for statement in one_day_upserts()]

        assert [(s.sql, s.params) for s in reused] == [(s.sql, s.params) for s in built]
