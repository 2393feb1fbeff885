"""Foods that close the gap, read from the database: only everyday foods, at their typical
servings (or the user's usual amount), on the report, the day page and the API.

The foods are the everyday list's own, imported with their real values from the shared
SR Legacy folder, plus cocoa powder and baking powder, which are not on it.
"""

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from nutrients.everyday import EVERYDAY_FOODS_CSV, load_everyday_foods, read_everyday_rows
from nutrients.models import EverydayFood, Food, FoodNutrient, Portion
from nutrients.report import (
    HEADLINE_MINERALS,
    MAX_SUGGESTION_GRAMS,
    MAX_SUGGESTION_KCAL,
    SERVING_COUNTS,
)
from tests.conftest import SR_LEGACY
from tracker.day_data import day_report
from tracker.models import Entry, Meal, Profile

DAY = dt.date(2026, 11, 22)
COCOA = 169593  # Cocoa, dry powder, unsweetened: 1 cup is 86 g
BAKING_POWDER = 172805  # Leavening agents, baking powder, low-sodium: 4,332 mg Ca per 100 g
BANANA = 173944


def cut_of_sr_legacy(folder: Path, fdc_ids: set[str]) -> Path:
    """The SR Legacy folder's rows for these foods, in the same layout, for import_fdc."""
    folder.mkdir(exist_ok=True)
    for name, keep in [
        ("food.csv", lambda row: row["fdc_id"] in fdc_ids),
        ("food_nutrient.csv", lambda row: row["fdc_id"] in fdc_ids),
        ("food_portion.csv", lambda row: row["fdc_id"] in fdc_ids),
        ("nutrient.csv", lambda row: True),
        ("food_category.csv", lambda row: True),
        ("measure_unit.csv", lambda row: True),
    ]:
        with (SR_LEGACY / name).open(newline="", encoding="utf-8") as source:
            reader = csv.DictReader(source)
            rows = [row for row in reader if keep(row)]
        with (folder / name).open("w", newline="", encoding="utf-8") as target:
            writer = csv.DictWriter(target, reader.fieldnames or [], quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture(scope="session")
def everyday_cut(tmp_path_factory) -> Path:
    listed = {row["fdc_id"] for row in read_everyday_rows()}
    return cut_of_sr_legacy(
        tmp_path_factory.mktemp("everyday"), listed | {str(COCOA), str(BAKING_POWDER)}
    )


@pytest.fixture
def everyday(db, everyday_cut) -> dict[int, EverydayFood]:
    call_command("import_fdc", str(everyday_cut), stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_everyday_foods()
    return {row.food.fdc_id: row for row in EverydayFood.objects.select_related("food")}


def log(user, fdc_id, grams, slot="breakfast", day=DAY, portion=None, quantity=None):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    return Entry.objects.create(
        meal=meal,
        food=Food.objects.get(fdc_id=fdc_id) if isinstance(fdc_id, int) else fdc_id,
        grams=grams,
        quantity=quantity or grams,
        portion=portion,
        unit=portion.description if portion else "g",
    )


def set_targets(user, **targets) -> Profile:
    profile = Profile.objects.get(user=user)
    for key, value in targets.items():
        setattr(profile, f"{key}_target_mg", value)
    profile.save()
    return profile


# One medium banana (118 g): 422 mg potassium, 5.9 mg calcium, 31.9 mg magnesium. The
# targets make the gaps: below those amounts a mineral is met.
SHORT_DAYS = {
    "all three short": {},
    "potassium alone": {"calcium": 5, "magnesium": 31},
    "calcium alone": {"potassium": 400, "magnesium": 31},
    "magnesium alone": {"potassium": 400, "calcium": 5},
}


@pytest.mark.parametrize("targets", SHORT_DAYS.values(), ids=SHORT_DAYS.keys())
def test_every_suggestion_is_an_everyday_food_at_its_servings_closing_15_percent_of_its_gap(
    user, everyday, targets
):
    log(user, BANANA, Decimal(118))
    profile = set_targets(user, **targets)

    report = day_report(profile, DAY, with_suggestions=True)

    gaps = {line.status.mineral.key: line.status.shortfall_mg for line in report.minerals}
    short = {key for key, gap in gaps.items() if gap}
    assert short == ({m.key for m in HEADLINE_MINERALS} if not targets else short)
    assert len(short) == (3 if not targets else 1)
    assert report.suggestions
    kinds = [everyday[s.fdc_id].kind for s in report.suggestions]
    assert len(kinds) == len(set(kinds))
    listed_for = set()
    for suggestion in report.suggestions:
        row = everyday[suggestion.fdc_id]
        assert row.suggest
        if suggestion.fdc_id != BANANA:  # the user's own food comes at their usual amount
            assert suggestion.serving.description == row.serving
            assert suggestion.serving.grams == row.serving_grams
        assert suggestion.count in SERVING_COUNTS
        assert suggestion.grams <= MAX_SUGGESTION_GRAMS
        assert suggestion.kcal <= MAX_SUGGESTION_KCAL
        food = Food.objects.get(pk=suggestion.food_id)
        for mineral in suggestion.closes:
            assert mineral.key in short
            per_100_g = FoodNutrient.objects.get(food=food, nutrient_id=mineral.nutrient_id).amount
            adds = per_100_g * suggestion.grams / 100
            assert adds == suggestion.adds_mg[mineral.key]
            assert adds * 100 >= gaps[mineral.key] * 15
            listed_for.add(mineral.key)
    assert listed_for == short


def test_cocoa_baking_powder_and_a_capsule_logged_often_are_never_suggested(user, everyday):
    capsule = Food.objects.create(description="Magnesium capsule", source="user", owner=user)
    FoodNutrient.objects.create(food=capsule, nutrient_id=1090, amount=50000)
    one_capsule = Portion.objects.create(food=capsule, seq=1, description="1 capsule", grams=1)
    cocoa_cup = Portion.objects.get(food__fdc_id=COCOA, description="1 cup")
    teaspoon = Portion.objects.get(food__fdc_id=BAKING_POWDER, description="1 tsp")
    for days_ago in range(1, 11):
        day = DAY - dt.timedelta(days=days_ago)
        log(user, COCOA, cocoa_cup.grams, day=day, portion=cocoa_cup, quantity=1)
        log(user, BAKING_POWDER, teaspoon.grams, day=day, portion=teaspoon, quantity=1)
        log(user, capsule, Decimal(1), day=day, portion=one_capsule, quantity=1)
    log(user, 173647, Decimal(250))  # a glass of water: every mineral short

    report = day_report(Profile.objects.get(user=user), DAY, with_suggestions=True)

    suggested = {s.description for s in report.suggestions}
    assert report.suggestions
    assert not suggested & {"Magnesium capsule", *Food.objects.filter(
        fdc_id__in=[COCOA, BAKING_POWDER]).values_list("description", flat=True)}  # fmt: skip
    assert all(s.fdc_id in everyday for s in report.suggestions)


def test_a_frequent_everyday_food_is_suggested_at_the_users_usual_amount(user, everyday):
    medium = Portion.objects.get(food__fdc_id=BANANA, description__startswith="1 medium")
    for days_ago in range(1, 6):
        log(user, BANANA, Decimal(236), day=DAY - dt.timedelta(days=days_ago), portion=medium,
            quantity=2)  # fmt: skip
    log(user, 173647, Decimal(250))
    # Potassium short alone, by 1,000 mg: two bananas (845 mg) close most of it.
    profile = set_targets(user, potassium=1000, calcium=5, magnesium=1)

    report = day_report(profile, DAY, with_suggestions=True)

    banana = next(s for s in report.suggestions if s.fdc_id == BANANA)
    assert banana.amount_text == '2 medium (7" to 7-7/8" long)'
    assert (banana.grams, banana.log_quantity, banana.log_unit) == (236, 2, str(medium.pk))


def test_a_met_day_has_no_suggestions(user, everyday):
    log(user, BANANA, Decimal(118))
    profile = set_targets(user, potassium=100, calcium=1, magnesium=1)

    assert day_report(profile, DAY, with_suggestions=True).suggestions == []


def test_the_report_lists_each_suggestion_with_what_it_adds_and_its_energy(
    user_client, user, everyday
):
    log(user, BANANA, Decimal(118))
    set_targets(user, potassium=400, calcium=5)  # magnesium alone: 388 mg to go

    html = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()

    # Pumpkin seeds, 1 oz (28.35 g): 592 mg magnesium and 559 kcal per 100 g.
    assert (
        "1 oz (28.35 g) Seeds, pumpkin and squash seed kernels, dried: "
        "<strong>adds 229 mg potassium, 13 mg calcium, 168 mg magnesium</strong>, 158 kcal" in html
    )


def test_log_it_logs_into_the_chosen_meal_and_answers_htmx_with_the_updated_report(
    user_client, user, everyday
):
    log(user, BANANA, Decimal(118))
    report = day_report(Profile.objects.get(user=user), DAY, with_suggestions=True)
    first = report.suggestions[0]

    response = user_client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": first.food_id, "quantity": first.log_quantity, "unit": first.log_unit,
         "slot": "dinner", "next": "report"},
        headers={"HX-Request": "true"},
    )  # fmt: skip

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report-body"')
    entry = Entry.objects.get(food_id=first.food_id)
    assert (entry.meal.slot, entry.grams) == ("dinner", first.grams.quantize(Decimal("0.01")))
    assert f"Added {first.description}" in html
    # The whole report follows, the 7-day average too: banana and the new entry.
    assert "over 1 logged day" in html
    assert "7-day average 422 mg" not in html


def test_log_it_without_javascript_returns_to_the_report(user_client, user, everyday):
    log(user, BANANA, Decimal(118))
    first = day_report(Profile.objects.get(user=user), DAY, with_suggestions=True).suggestions[0]

    response = user_client.post(
        reverse("tracker:add_entry", kwargs={"day": DAY}),
        {"food": first.food_id, "quantity": first.log_quantity, "unit": first.log_unit,
         "slot": "snacks", "next": "report"},
    )  # fmt: skip

    assert response.url == reverse("tracker:report", kwargs={"day": DAY})
    assert Entry.objects.get(food_id=first.food_id).meal.slot == "snacks"


def test_the_day_page_shows_a_compact_block_of_suggestions(user_client, user, everyday):
    log(user, BANANA, Decimal(118))

    response = user_client.get(reverse("tracker:day", kwargs={"day": DAY}))

    block = response.content.decode().split('data-testid="day-suggestions"', 1)[1]
    block = block.split("</ul>", 1)[0]
    assert block.count('data-testid="suggestion"') == 3
    assert 'hx-swap="none"' in block  # the add answers with the parts it changed


def test_the_api_day_answer_carries_the_suggestions(user_client, user, everyday):
    log(user, BANANA, Decimal(118))
    report = day_report(Profile.objects.get(user=user), DAY, with_suggestions=True)

    answer = user_client.get(f"/api/days/{DAY}/").json()

    assert len(answer["suggestions"]) == len(report.suggestions)
    first, expected = answer["suggestions"][0], report.suggestions[0]
    assert first["food"] == {"id": expected.food_id, "description": expected.description}
    assert first["fdc_id"] == expected.fdc_id
    assert first["amount"] == expected.amount_text
    assert first["grams"] == float(expected.grams)
    assert first["energy_kcal"] == pytest.approx(float(expected.kcal))
    assert first["closes"] == [mineral.key for mineral in expected.closes]
    for mineral in HEADLINE_MINERALS:
        assert first[mineral.mg_field] == pytest.approx(float(expected.adds_mg[mineral.key]))
    # What the API takes back to log it.
    if first["portion"] is None:
        body = {
            "date": DAY.isoformat(),
            "meal": "lunch",
            "food": first["food"]["id"],
            "grams": first["grams"],
        }
    else:
        body = {"date": DAY.isoformat(), "meal": "lunch", "food": first["food"]["id"],
                "portion": first["portion"], "count": first["count"]}  # fmt: skip
    logged = user_client.post("/api/entries/", json.dumps(body), content_type="application/json")
    assert logged.status_code == 201, logged.content


def test_a_listed_food_waits_until_its_food_is_in_the_table(db):
    assert load_everyday_foods() == 0


def test_the_everyday_list_loads_once_and_keeps_what_staff_changed(everyday):
    assert len(everyday) == len(read_everyday_rows())  # the fixture loaded it
    EverydayFood.objects.filter(food__fdc_id=BANANA).update(suggest=False)

    assert load_everyday_foods() == 0
    assert not EverydayFood.objects.get(food__fdc_id=BANANA).suggest


def test_every_row_of_the_everyday_list_has_its_usda_serving():
    """Each serving is one of the food's USDA portions with its grams, or a share of one
    given in grams; the documents' foods are all on the list."""
    portions: dict[str, list[tuple[str, str]]] = {}
    with (SR_LEGACY / "food_portion.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            amount = (
                row["amount"].rstrip("0").rstrip(".") if "." in row["amount"] else row["amount"]
            )
            amount = "0" + amount if amount.startswith(".") else amount
            text = row["portion_description"] or " ".join(p for p in (amount, row["modifier"]) if p)
            portions.setdefault(row["fdc_id"], []).append((text, row["gram_weight"]))
    with EVERYDAY_FOODS_CSV.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    shares = {"169722": "2 tbsp", "168872": "0.25 cup", "170562": "1 oz", "173904": "0.5 cup"}
    for row in rows:
        if row["fdc_id"] in shares:
            assert row["serving"] == shares[row["fdc_id"]]
            continue
        grams = [Decimal(g) for text, g in portions[row["fdc_id"]] if text == row["serving"]]
        assert Decimal(row["serving_grams"]) == grams[0], row
    seed_ids = {line.split(",")[0].strip('"') for line in (
        Path(__file__).resolve().parent.parent / "nutrients" / "seed" / "food.csv"
    ).read_text().splitlines()[1:]}  # fmt: skip
    assert seed_ids <= {row["fdc_id"] for row in rows}


def test_a_usual_amount_of_one_portion_reads_as_the_portion(user, everyday):
    half_cup = Portion.objects.get(food__fdc_id=172475, description="0.5 cup")  # tofu
    for days_ago in range(1, 4):
        log(user, 172475, half_cup.grams, day=DAY - dt.timedelta(days=days_ago),
            portion=half_cup, quantity=1)  # fmt: skip
    log(user, BANANA, Decimal(118))
    profile = set_targets(user, potassium=400, magnesium=30)  # calcium alone, 995 mg to go

    tofu = next(s for s in day_report(profile, DAY, with_suggestions=True).suggestions
                if s.fdc_id == 172475)  # fmt: skip

    # Half the usual half cup: a whole one adds 861 mg calcium, over the 500 mg absorbed
    # best at once; read as the portion, never "0.5 × 0.5 cup".
    assert (tofu.count, tofu.amount_text) == (Decimal("0.5"), "0.25 cup")
