"""The report's rules (nutrients/report.py): plain numbers in, statuses and words out.

No database: these are pure functions, so each test builds exactly the values it needs.
Amounts are real USDA SR Legacy values where a food is named.
"""

import re
from decimal import Decimal

import pytest

from nutrients.numbers import whole
from nutrients.report import (
    HEADLINE_MINERALS,
    PERSISTENT_SHORT_DAYS,
    SUPPORTING_NUTRIENTS,
    Candidate,
    MineralStatus,
    Risk,
    RiskFactors,
    Serving,
    Status,
    SupportingLine,
    cramp_risk,
    gaps,
    scaled,
    status_for,
    suggestions,
    week_summary,
)

POTASSIUM, CALCIUM, MAGNESIUM = HEADLINE_MINERALS
SODIUM = next(reference for reference in SUPPORTING_NUTRIENTS if reference.name == "Sodium")
ENERGY = next(reference for reference in SUPPORTING_NUTRIENTS if reference.name == "Energy")


def day_of(potassium_mg, calcium_mg, magnesium_mg) -> list[MineralStatus]:
    """The three headline minerals of one day, against the default targets."""

    def status(mineral, mg) -> MineralStatus:
        return MineralStatus(
            mineral, None if mg is None else Decimal(mg), mineral.default_target_mg
        )

    return [
        status(POTASSIUM, potassium_mg),
        status(CALCIUM, calcium_mg),
        status(MAGNESIUM, magnesium_mg),
    ]


# --- status_for: the thresholds -------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "status"),
    [
        (0, Status.WELL_SHORT),
        (49, Status.WELL_SHORT),
        (50, Status.SHORT),
        (74, Status.SHORT),
        (75, Status.LITTLE_LOW),
        (99, Status.LITTLE_LOW),
        (100, Status.MET),
        (250, Status.MET),
    ],
)
def test_status_follows_the_thresholds_exactly_at_their_boundaries(percent, status):
    assert status_for(percent) == status


def test_status_words_are_the_ones_the_user_reads():
    assert [str(status) for status in Status] == ["met", "a little low", "short", "well short"]


# --- MineralStatus ----------------------------------------------------------------------


def test_percent_rounds_down_so_just_under_target_is_not_met():
    status = MineralStatus(POTASSIUM, Decimal(4699), Decimal(4700))

    assert status.percent == 99
    assert status.status == Status.LITTLE_LOW


def test_exactly_the_target_is_met():
    status = MineralStatus(POTASSIUM, Decimal(4700), Decimal(4700))

    assert status.percent == 100
    assert status.status == Status.MET


def test_no_data_has_no_percent_no_status_and_no_shortfall():
    status = MineralStatus(MAGNESIUM, None, Decimal(420))

    assert status.percent is None
    assert status.status is None
    assert status.shortfall_mg is None


def test_shortfall_is_what_is_left_to_reach_the_target():
    status = MineralStatus(CALCIUM, Decimal("612.5"), Decimal(1000))

    assert status.shortfall_mg == Decimal("387.5")


def test_shortfall_is_never_negative_above_the_target():
    status = MineralStatus(CALCIUM, Decimal(1500), Decimal(1000))

    assert status.shortfall_mg == 0


# --- cramp_risk: the rating -------------------------------------------------------------


def test_risk_is_high_when_any_mineral_is_well_short():
    risk = cramp_risk(day_of(2000, 1000, 420), RiskFactors())  # potassium at 42%

    assert risk.level == Risk.HIGH


def test_risk_is_high_when_two_minerals_are_short():
    risk = cramp_risk(day_of(3000, 600, 420), RiskFactors())  # 63% and 60%

    assert risk.level == Risk.HIGH


def test_risk_is_elevated_when_exactly_one_mineral_is_short_and_the_others_met():
    risk = cramp_risk(day_of(3000, 1000, 420), RiskFactors())  # potassium at 63%

    assert risk.level == Risk.ELEVATED


def test_risk_is_low_when_every_mineral_is_met():
    risk = cramp_risk(day_of(4700, 1000, 420), RiskFactors())

    assert risk.level == Risk.LOW


def test_risk_is_low_when_one_mineral_is_a_little_low_and_there_is_no_risk_factor():
    risk = cramp_risk(day_of(4000, 1000, 420), RiskFactors())  # potassium at 85%

    assert risk.level == Risk.LOW


@pytest.mark.parametrize(
    "factors",
    [
        RiskFactors(water_below_target=True),
        RiskFactors(intense_workout=True),
        RiskFactors(diuretic="loop"),
    ],
    ids=["water below target", "intense workout", "diuretic"],
)
def test_risk_is_elevated_when_one_mineral_is_a_little_low_on_a_day_with_a_risk_factor(factors):
    risk = cramp_risk(day_of(4000, 1000, 420), factors)

    assert risk.level == Risk.ELEVATED


def test_risk_is_low_when_everything_is_met_even_with_every_risk_factor():
    factors = RiskFactors(water_below_target=True, intense_workout=True, diuretic="loop")

    assert cramp_risk(day_of(4700, 1000, 420), factors).level == Risk.LOW


def test_risk_stays_high_with_risk_factors():
    factors = RiskFactors(water_below_target=True, intense_workout=True, diuretic="loop")

    assert cramp_risk(day_of(2000, 1000, 420), factors).level == Risk.HIGH


def test_a_day_with_no_data_for_any_mineral_is_not_enough_data_to_rate_never_low():
    risk = cramp_risk(day_of(None, None, None), RiskFactors(), {}, entries=1)

    assert risk.level == Risk.NOT_ENOUGH_DATA
    assert str(risk.level) == "not enough data to rate"
    assert "No food logged has a potassium value" in risk.reasons[0]


def test_a_mineral_with_no_data_makes_an_otherwise_low_day_not_enough_data_to_rate():
    risk = cramp_risk(day_of(4700, 1000, None), RiskFactors())

    assert risk.level == Risk.NOT_ENOUGH_DATA
    assert any("magnesium cannot be rated" in reason for reason in risk.reasons)


def test_a_mineral_with_no_data_leaves_a_high_day_high():
    # Potassium well short is high whatever magnesium is: a missing value can only add.
    risk = cramp_risk(day_of(2000, 1000, None), RiskFactors())

    assert risk.level == Risk.HIGH
    assert any("magnesium cannot be rated" in reason for reason in risk.reasons)


def test_a_mineral_known_for_1_of_5_entries_is_named_in_the_reasons():
    known = {"potassium": 5, "calcium": 5, "magnesium": 1}

    risk = cramp_risk(day_of(4700, 1000, 400), RiskFactors(), known, entries=5)

    assert "Magnesium known for 1 of 5 entries: the true total is likely higher." in risk.reasons


@pytest.mark.parametrize(
    ("known", "entries", "partial"),
    [(4, 5, False), (3, 5, True), (8, 10, False), (7, 10, True), (1, 1, False)],
)
def test_partial_data_starts_below_four_in_five_entries(known, entries, partial):
    counts = {"potassium": entries, "calcium": entries, "magnesium": known}

    risk = cramp_risk(day_of(4700, 1000, 420), RiskFactors(), counts, entries)

    assert any("Magnesium known for" in reason for reason in risk.reasons) == partial


# --- cramp_risk: the reasons ------------------------------------------------------------


def test_a_short_mineral_has_a_reason_with_its_status_how_far_below_and_why_it_matters():
    risk = cramp_risk(day_of(2914, 1000, 420), RiskFactors())  # potassium at 62%

    assert len(risk.reasons) == 1
    reason = risk.reasons[0]
    assert "Potassium" in reason
    assert "short" in reason
    assert "1,786 mg to go" in reason
    assert "62%" in reason
    assert POTASSIUM.why in reason


def test_every_mineral_below_target_has_its_own_reason():
    risk = cramp_risk(day_of(2000, 800, 400), RiskFactors())

    assert len(risk.reasons) == 3
    potassium, calcium, magnesium = risk.reasons
    assert potassium.startswith("Potassium is well short")
    assert calcium.startswith("Calcium is a little low")
    assert magnesium.startswith("Magnesium is a little low")
    assert "200 mg to go" in calcium
    assert "20 mg to go" in magnesium


def test_a_day_with_everything_met_and_no_risk_factor_has_no_reasons():
    assert cramp_risk(day_of(4700, 1000, 420), RiskFactors()).reasons == []


@pytest.mark.parametrize(
    ("factors", "words"),
    [
        (RiskFactors(water_below_target=True), "Water from food and drink is below your target"),
        (RiskFactors(intense_workout=True), "intense-workout day"),
        (RiskFactors(diuretic="loop"), "loop diuretic"),
    ],
    ids=["water below target", "intense workout", "diuretic"],
)
def test_a_risk_factor_gives_a_reason_saying_what_it_is(factors, words):
    risk = cramp_risk(day_of(4000, 1000, 420), factors)

    assert len(risk.reasons) == 2  # potassium a little low, and the factor
    assert words in risk.reasons[1]


def test_each_risk_factor_set_gives_its_own_reason():
    factors = RiskFactors(water_below_target=True, intense_workout=True, diuretic="loop")

    assert len(cramp_risk(day_of(2000, 1000, 420), factors).reasons) == 4


def test_a_mineral_just_under_target_still_has_some_mg_to_go_in_its_reason():
    # 4,699.6 mg is 99%, "a little low": the reason must not say "0 mg to go".
    reason = cramp_risk(day_of("4699.6", 1000, 420), RiskFactors()).reasons[0]

    assert reason.startswith("Potassium is a little low")
    assert not re.search(r"\b0 mg to go", reason)


def test_a_mineral_just_under_target_rounds_its_amount_but_not_its_percent_or_status():
    # One rule: amounts to the nearest mg, percents down, the status from the exact value.
    reason = cramp_risk(day_of("4699.6", 1000, 420), RiskFactors()).reasons[0]

    assert reason.startswith(
        "Potassium is a little low: you ate 4,700 of 4,700 mg (99%), 1 mg to go."
    )


@pytest.mark.parametrize(
    ("exact", "shown"),
    [("31.86", 32), ("31.5", 32), ("31.49", 31), ("1733.62", 1734), ("0.4", 0), ("0", 0)],
)
def test_amounts_round_to_the_nearest_whole_mg_halves_up(exact, shown):
    assert whole(Decimal(exact)) == shown
    status = MineralStatus(HEADLINE_MINERALS[0], Decimal(exact), Decimal(4700))
    assert status.eaten_whole_mg == shown


def test_a_day_total_and_a_7_day_average_of_that_one_day_read_the_same():
    day = MineralStatus(HEADLINE_MINERALS[0], Decimal("1733.62"), Decimal(4700))
    week = week_summary(HEADLINE_MINERALS[0], Decimal(4700), [Decimal("1733.62")])

    assert day.eaten_whole_mg == week.average.eaten_whole_mg == 1734
    assert day.percent == week.average.percent == 36


# --- week_summary -----------------------------------------------------------------------


def test_week_average_counts_only_the_days_with_data():
    week = week_summary(CALCIUM, Decimal(1000), [Decimal(800), None, Decimal(1000), None])

    assert week.average.eaten_mg == Decimal(900)
    assert week.days_logged == 2


def test_week_counts_the_days_short_or_worse():
    daily_mg = [Decimal(mg) for mg in (1000, 800, 740, 500, 100)]  # met, low, short, short, well

    assert week_summary(CALCIUM, Decimal(1000), daily_mg).days_short == 3


def test_a_shortfall_on_four_days_is_persistent():
    daily_mg = [Decimal(600)] * PERSISTENT_SHORT_DAYS + [Decimal(1000)] * 3

    assert week_summary(CALCIUM, Decimal(1000), daily_mg).persistent


def test_a_shortfall_on_three_days_is_not_persistent():
    daily_mg = [Decimal(600)] * 3 + [Decimal(1000)] * 4

    assert not week_summary(CALCIUM, Decimal(1000), daily_mg).persistent


def test_a_week_with_no_days_has_no_average():
    week = week_summary(POTASSIUM, Decimal(4700), [])

    assert week.average.eaten_mg is None
    assert week.average.status is None
    assert week.days_logged == 0
    assert week.days_short == 0


# --- SupportingLine ---------------------------------------------------------------------


def test_a_supporting_nutrient_shows_its_percent_of_the_reference():
    line = SupportingLine(SODIUM, Decimal(1200), known_entries=3, entries=3)

    assert line.percent == 80
    assert not line.over_upper


def test_sodium_above_2300_mg_is_over_the_upper_limit():
    assert SupportingLine(SODIUM, Decimal(2301), known_entries=1, entries=1).over_upper
    assert not SupportingLine(SODIUM, Decimal(2300), known_entries=1, entries=1).over_upper


def test_a_supporting_nutrient_with_no_data_has_no_percent():
    line = SupportingLine(SODIUM, None, known_entries=0, entries=2)

    assert line.percent is None
    assert not line.over_upper


def test_a_nutrient_without_a_reference_amount_has_no_percent():
    assert SupportingLine(ENERGY, Decimal(1800), known_entries=2, entries=2).percent is None


# --- Closing the gap --------------------------------------------------------------------
# Amounts per 100 g are real SR Legacy values (fdc-sr-legacy/food_nutrient.csv) and the
# servings those of nutrients/data/everyday_foods.csv.


def candidate(fdc_id, description, kind, serving, grams, k, ca, mg, kcal, **fields):
    amounts = {1092: k, 1087: ca, 1090: mg, 1008: kcal}
    return Candidate(
        food_id=fdc_id,
        fdc_id=fdc_id,
        description=description,
        kind=kind,
        serving=Serving(serving, Decimal(grams), fields.pop("portion_id", 1)),
        per_100_g={key: Decimal(value) for key, value in amounts.items() if value is not None},
        **fields,
    )


BLACK_BEANS = candidate(173735, "Beans, black, cooked", "beans", "1 cup", 172, 355, 27, 70, 132)
LIMA_BEANS = candidate(174253, "Lima beans, large, cooked", "beans", "1 cup", 188, 508, 17, 43, 115)
BANANA = candidate(
    173944, "Bananas, raw", "banana", '1 medium (7" to 7-7/8" long)', 118, 358, 5, 27, 89
)
MILK = candidate(171265, "Milk, whole", "milk", "1 cup", 244, 132, 113, 10, 61)
SARDINES = candidate(
    175139, "Fish, sardine, canned", "oily fish", "1 can (3.75 oz)", 92, 397, 382, 39, 208
)
WHEAT_BRAN = candidate(
    169722, "Wheat bran, crude", "bran", "2 tbsp", "7.3", 1182, 73, 611, 216, portion_id=None
)
ALMONDS = candidate(
    170567, "Nuts, almonds", "nuts", "1 oz (23 whole kernels)", "28.35", 733, 269, 270, 579
)
SPINACH = candidate(168463, "Spinach, cooked", "leafy greens", "1 cup", 180, 466, 136, 87, 23)
YOGURT = candidate(
    170886, "Yogurt, plain, low fat", "yogurt", "1 container (6 oz)", 170, 234, 183, 17, 63
)
EVERYDAY = [BLACK_BEANS, LIMA_BEANS, BANANA, MILK, SARDINES, WHEAT_BRAN, ALMONDS, SPINACH, YOGURT]


def gaps_of(k, ca, mg):
    return gaps(day_of(k, ca, mg))


def test_gaps_are_the_minerals_below_target_with_data():
    assert [(gap.mineral.key, gap.shortfall_mg) for gap in gaps_of(4000, 1000, None)] == [
        ("potassium", 700)
    ]


def test_black_beans_read_as_in_the_issue():
    [beans] = suggestions([BLACK_BEANS], gaps_of(0, 1000, 0))

    # 172 g: 355 × 1.72 = 610.6 mg potassium, 70 × 1.72 = 120.4 mg magnesium, 227 kcal.
    assert beans.count == 1
    assert beans.amount_text == "1 cup"
    assert beans.text == "1 cup (172 g)"
    # Listed for magnesium only: 610 mg is 13% of a 4,700 mg gap; its potassium shows too.
    assert beans.closes == (MAGNESIUM,)
    assert beans.adds_text == "adds 611 mg potassium, 46 mg calcium, 120 mg magnesium"
    assert beans.kcal == Decimal("227.04")


def test_a_food_that_helps_two_gaps_goes_before_one_that_helps_one_more():
    found = suggestions([BANANA, SPINACH], gaps_of(2000, 1000, 300))

    assert next(s.description for s in found) == "Spinach, cooked"


def test_at_most_one_food_of_a_kind():
    found = suggestions([BLACK_BEANS, LIMA_BEANS], gaps_of(0, 0, 0))

    assert len(found) == 1


def test_a_90_mg_calcium_gap_gets_half_a_can_of_sardines_not_a_cup():
    [sardines] = suggestions([SARDINES], gaps_of(4700, 910, 420))

    assert sardines.count == Decimal("0.5")
    assert sardines.grams == 46
    assert sardines.amount_text == "0.5 can (3.75 oz)"


def test_a_share_of_a_portion_is_logged_in_grams_and_a_portion_by_its_count():
    [bran] = suggestions([WHEAT_BRAN], gaps_of(4700, 1000, 370))
    [banana] = suggestions([BANANA], gaps_of(4400, 1000, 420))

    # 2 tbsp add 44.6 mg magnesium; 1.5 servings (3 tbsp) close the 50 mg gap.
    assert (bran.count, bran.log_quantity, bran.log_unit) == (Decimal("1.5"), Decimal("10.95"), "g")
    assert (banana.count, banana.log_quantity, banana.log_unit) == (1, 1, "1")


def test_servings_are_whole_or_half_at_most_two_and_250_g_in_all():
    found = suggestions(EVERYDAY, gaps_of(0, 0, 0))

    for suggestion in found:
        assert suggestion.count in (Decimal("0.5"), 1, Decimal("1.5"), 2)
        assert suggestion.grams <= 250


def test_a_serving_over_250_g_is_at_most_half_and_a_food_with_no_fitting_amount_is_left_out():
    melon = candidate(1, "Melon", "melon", "1 melon", 552, 267, 9, 12, 34)
    half_fits = candidate(2, "Squash", "squash", "1 squash", 400, 600, 50, 50, 40)

    found = suggestions([melon, half_fits], gaps_of(0, 1000, 420))

    assert [(s.description, s.count) for s in found] == [("Squash", Decimal("0.5"))]


def test_a_food_closing_less_than_15_percent_of_any_gap_is_left_out():
    # One cup of milk adds 322 mg potassium: 14.9% of a 2,160 mg gap, 15.0% of 2,146 mg.
    assert suggestions([MILK], gaps_of(2540, 1000, 420)) == []
    assert len(suggestions([MILK], gaps_of(2554, 1000, 420))) == 1


def test_a_food_without_a_value_for_the_short_mineral_is_never_suggested():
    no_data = candidate(1, "Own soup", "soup", "1 bowl", 200, None, None, None, 90)

    assert suggestions([no_data], gaps_of(0, 0, 0)) == []


def test_no_gap_no_suggestion():
    assert suggestions(EVERYDAY, gaps_of(4700, 1000, 420)) == []


def test_ties_go_to_the_users_frequent_foods():
    banana = candidate(1, "A", "a", "1", 100, 5000, 0, 0, 90)
    frequent = candidate(2, "B", "b", "1", 100, 5000, 0, 0, 90, frequent=True)

    found = suggestions([banana, frequent], gaps_of(4000, 1000, 420))

    assert [s.description for s in found] == ["B", "A"]


@pytest.mark.parametrize(
    "day",
    [(0, 0, 0), (1000, 1000, 420), (4700, 200, 420), (4700, 1000, 100), (4700, 910, 420)],
    ids=["all three short", "potassium alone", "calcium alone", "magnesium alone", "90 mg Ca"],
)
def test_every_suggestion_closes_15_percent_of_a_gap_it_is_listed_for(day):
    day_gaps = gaps_of(*day)

    found = suggestions(EVERYDAY, day_gaps)

    assert found
    shortfall = {gap.mineral.key: gap.shortfall_mg for gap in day_gaps}
    for suggestion in found:
        assert suggestion.closes
        for mineral in suggestion.closes:
            assert suggestion.adds_mg[mineral.key] * 100 >= shortfall[mineral.key] * 15
    assert len({s.description.split(",")[0] for s in found}) == len(found)
    # Every gap has a food listed for it.
    assert {gap.mineral for gap in day_gaps} <= {m for s in found for m in s.closes}


@pytest.mark.parametrize(
    ("count", "serving", "text"),
    [
        ("1", "1 can (3.75 oz)", "1 can (3.75 oz)"),
        ("0.5", "1 can (3.75 oz)", "0.5 can (3.75 oz)"),
        ("1.5", "0.5 cup", "0.75 cup"),
        ("1.5", "2 tbsp", "3 tbsp"),
        ("2", "3 oz", "6 oz"),
        ("2", "a bowl", "2 × a bowl"),
    ],
)
def test_servings_read_as_amounts(count, serving, text):
    assert scaled(Decimal(count), serving) == text


def test_an_energy_dense_food_is_suggested_one_serving_at_most():
    [almonds] = suggestions([ALMONDS], gaps_of(4700, 1000, 0))

    assert almonds.count == 1
    assert almonds.amount_text == "1 oz (23 whole kernels)"


def test_no_suggestion_brings_more_than_250_kcal():
    # Two cans of sardines would be 383 kcal; one is 191 kcal.
    [sardines] = suggestions([SARDINES], gaps_of(4700, 0, 420))

    assert sardines.count == 1
    assert all(s.kcal <= 250 for s in suggestions(EVERYDAY, gaps_of(0, 0, 0)))
