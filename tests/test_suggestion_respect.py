"""Suggestions that respect the person, over 1,000 random short days on the shipped
everyday list: no poorly absorbed calcium offered for calcium, at most 500 mg calcium at
once, nothing pushed to or over its upper limit, the diet's exclusions kept, all three
minerals in every text, and a real share of the largest gap closed."""

import random
from decimal import Decimal

import pytest

from nutrients.report import (
    CALCIUM,
    DIET_EXCLUDES,
    HEADLINE_MINERALS,
    HELD_BACK_POTASSIUM_MAX_MG,
    MAX_CALCIUM_AT_ONCE_MG,
    Diet,
    Gap,
    Respect,
    excluded_by,
    plain_portion,
    suggestions,
)
from nutrients.shipped import _mark_poorly_absorbed_calcium
from nutrients.supplements import LIMIT_TABLE
from tracker.day_data import gap_candidates

from . import test_suggestions as shipped

everyday_cut, everyday = shipped.everyday_cut, shipped.everyday
K, CA, MG = HEADLINE_MINERALS
RANDOM_DAYS = 1000


@pytest.fixture
def candidates(user, everyday):
    _mark_poorly_absorbed_calcium()  # as load_foods does for the shipped table
    return gap_candidates(user, recent=[])


def random_day(rng: random.Random):
    """Gaps of random sizes (each mineral short or met), a random diet, random room left
    under the limits food counts toward, potassium held back or not."""
    day_gaps = [
        Gap(mineral, Decimal(rng.randint(1, int(mineral.default_target_mg))), mineral.default_target_mg)
        for mineral in HEADLINE_MINERALS
        if rng.random() < 0.7
    ] or [Gap(CA, Decimal(rng.randint(1, 1000)), Decimal(1000))]  # fmt: skip
    diets = rng.sample(list(Diet), rng.randint(0, 2))
    headroom = {
        nutrient_id: Decimal(rng.choice([0, 50, 200, 600, 5000]))
        for nutrient_id, (_, _, counts_food, _) in LIMIT_TABLE.items()
        if counts_food and rng.random() < 0.3
    }
    return day_gaps, diets, headroom, rng.random() < 0.3


def test_a_thousand_random_days_never_break_the_persons_rules(candidates):
    by_id = {candidate.food_id: candidate for candidate in candidates}
    poorly_absorbed = {c.food_id for c in candidates if c.calcium_poorly_absorbed}
    assert poorly_absorbed  # spinach, raw and boiled, are on the shipped list
    rng = random.Random(25)
    seen_diets = set()
    suggested = 0
    for _ in range(RANDOM_DAYS):
        day_gaps, diets, headroom, held = random_day(rng)
        respect = Respect(excluded_by(diets), headroom, potassium_held_back=held)
        for suggestion in suggestions(candidates, day_gaps, respect):
            suggested += 1
            candidate = by_id[suggestion.food_id]
            if candidate.calcium_poorly_absorbed:
                assert CA not in suggestion.closes, suggestion.description
            assert (suggestion.adds_mg["calcium"] or 0) <= MAX_CALCIUM_AT_ONCE_MG
            for nutrient_id, left in headroom.items():
                assert (candidate.adds(nutrient_id, suggestion.grams) or 0) < left
            assert not candidate.contains & respect.avoid, (diets, suggestion.description)
            if held:
                assert (suggestion.adds_mg["potassium"] or 0) <= HELD_BACK_POTASSIUM_MAX_MG
            for mineral in HEADLINE_MINERALS:
                assert mineral.name.lower() in suggestion.adds_text
            assert "NS as to" not in suggestion.amount_text
            assert "yields" not in suggestion.amount_text
        seen_diets.update(diets)
    assert seen_diets == set(Diet)
    assert suggested > RANDOM_DAYS  # the days were not all left without suggestions


@pytest.mark.parametrize("diet", list(Diet))
def test_each_diet_leaves_out_what_it_must_on_a_day_short_of_everything(candidates, diet):
    day_gaps = [
        Gap(m, m.default_target_mg * 9 / 10, m.default_target_mg) for m in HEADLINE_MINERALS
    ]
    by_id = {candidate.food_id: candidate for candidate in candidates}

    found = suggestions(candidates, day_gaps, Respect(excluded_by([diet])))

    assert found
    for suggestion in found:
        assert not by_id[suggestion.food_id].contains & DIET_EXCLUDES[diet]


def test_a_vegan_is_offered_no_yogurt_nor_sardines(candidates, everyday):
    day_gaps = [Gap(CA, Decimal(900), Decimal(1000))]
    names = [
        s.description for s in suggestions(candidates, day_gaps, Respect(excluded_by(["vegan"])))
    ]

    assert names
    assert not any("Yogurt" in name or "sardine" in name or "Milk" in name for name in names)


def test_the_everyday_list_tags_animal_foods_and_nuts(everyday):
    tags = {row.food.fdc_id: row.contains for row in everyday.values()}

    assert tags[170886] == "dairy"  # yogurt
    assert tags[175139] == "fish"  # sardines
    assert tags[170567] == "nuts"  # almonds
    assert tags[171477] == "meat"  # chicken
    assert tags[173424] == "egg"
    assert tags[172475] == ""  # tofu: vegan


def test_spinach_is_never_offered_for_calcium_even_on_a_calcium_only_day(candidates):
    found = suggestions(candidates, [Gap(CA, Decimal(800), Decimal(1000))])

    assert found
    assert not any("Spinach" in s.description for s in found)


def test_the_everyday_bagel_is_the_plain_one(everyday):
    assert 175049 in everyday and 174899 not in everyday
    assert everyday[175049].food.description.startswith("Bagels, plain, enriched, without")


def test_no_raw_egg_nor_single_leaf_is_suggested(everyday):
    assert not everyday[171287].suggest  # raw egg
    assert not everyday[169387].suggest  # one leaf of arugula


def test_a_large_potassium_gap_gets_foods_that_close_a_real_share_of_it(candidates):
    # The day: 1,691 mg potassium to go, calcium and magnesium short a little.
    day_gaps = [Gap(K, Decimal(1691), Decimal(4700)), Gap(CA, Decimal(120), Decimal(1000)),
                Gap(MG, Decimal(40), Decimal(420))]  # fmt: skip

    found = suggestions(candidates, day_gaps)

    potassium = sum(s.adds_mg["potassium"] or 0 for s in found)
    assert potassium >= Decimal(1691)  # they could close it between them
    best = found[0].adds_mg["potassium"]
    assert best >= Decimal(1691) * 4 / 10, found[0].description  # 40% at once


def test_at_the_calcium_limit_nothing_adding_calcium_is_suggested(candidates):
    day_gaps = [Gap(K, Decimal(2000), Decimal(4700)), Gap(MG, Decimal(200), Decimal(420))]

    assert suggestions(candidates, day_gaps, Respect(headroom={CALCIUM: Decimal(0)})) == []
    # 40 mg from the limit: only what adds less than that.
    found = suggestions(candidates, day_gaps, Respect(headroom={CALCIUM: Decimal(40)}))
    assert found
    assert all((s.adds_mg["calcium"] or 0) < 40 for s in found)


@pytest.mark.parametrize(
    ("portion", "plain"),
    [
        ("1 avocado, NS as to Florida or California", "1 avocado"),
        ('1 ear, large (7-3/4" to 9" long) yields', '1 ear, large (7-3/4" to 9" long)'),
        ("1 cup, with pits, yields", "1 cup, with pits"),
        ("8 fl oz (approximate weight, 1 serving)", "8 fl oz"),
        ("1 cup", "1 cup"),
    ],
)
def test_portions_read_in_plain_words(portion, plain):
    assert plain_portion(portion) == plain
