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
    PortionOption,
    Risk,
    RiskFactors,
    Status,
    Suggestion,
    SupportingLine,
    cramp_risk,
    realistic_portion,
    status_for,
    suggestions,
    week_summary,
)

POTASSIUM, CALCIUM, MAGNESIUM = HEADLINE_MINERALS
SODIUM = next(reference for reference in SUPPORTING_NUTRIENTS if reference.name == "Sodium")
ENERGY = next(reference for reference in SUPPORTING_NUTRIENTS if reference.name == "Energy")

# Bananas, raw (FDC 173944): 358 mg potassium and 89 kcal per 100 g, and its household
# portions exactly as in fdc-sr-legacy/food_portion.csv (amount + modifier, grams).
BANANA_PORTIONS = (
    PortionOption(11712, "1 cup, mashed", Decimal("225")),
    PortionOption(11713, "1 cup, sliced", Decimal("150")),
    PortionOption(11714, '1 extra small (less than 6" long)', Decimal("81")),
    PortionOption(11715, '1 small (6" to 6-7/8" long)', Decimal("101")),
    PortionOption(11716, '1 medium (7" to 7-7/8" long)', Decimal("118")),
    PortionOption(11717, '1 large (8" to 8-7/8" long)', Decimal("136")),
    PortionOption(11718, '1 extra large (9" or longer)', Decimal("152")),
    PortionOption(11719, "1 NLEA serving", Decimal("126")),
)
BANANA = Candidate(173944, "Bananas, raw", Decimal("358"), Decimal("89"), BANANA_PORTIONS)

# Nuts, almonds (FDC 170567): 733 mg potassium and 579 kcal per 100 g.
ALMOND_PORTIONS = (
    PortionOption(5259, "1 cup, whole", Decimal("143")),
    PortionOption(5260, "1 cup, sliced", Decimal("92")),
    PortionOption(5261, "1 cup, slivered", Decimal("108")),
    PortionOption(5262, "1 cup, ground", Decimal("95")),
    PortionOption(5263, "1 oz (23 whole kernels)", Decimal("28.35")),
    PortionOption(5264, "1 almond", Decimal("1.2")),
)
ALMONDS = Candidate(170567, "Nuts, almonds", Decimal("733"), Decimal("579"), ALMOND_PORTIONS)


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


def food(food_id: int, mg_per_100_g, grams, *, frequent: bool = False) -> Candidate:
    """A food with a single household portion, so the portion chosen is that one."""
    portion = PortionOption(food_id, "1 serving", Decimal(grams))
    amount = None if mg_per_100_g is None else Decimal(mg_per_100_g)
    return Candidate(food_id, f"Food {food_id}", amount, Decimal(100), [portion], frequent)


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
        RiskFactors(diuretic=True),
    ],
    ids=["water below target", "intense workout", "diuretic"],
)
def test_risk_is_elevated_when_one_mineral_is_a_little_low_on_a_day_with_a_risk_factor(factors):
    risk = cramp_risk(day_of(4000, 1000, 420), factors)

    assert risk.level == Risk.ELEVATED


def test_risk_is_low_when_everything_is_met_even_with_every_risk_factor():
    factors = RiskFactors(water_below_target=True, intense_workout=True, diuretic=True)

    assert cramp_risk(day_of(4700, 1000, 420), factors).level == Risk.LOW


def test_risk_stays_high_with_risk_factors():
    factors = RiskFactors(water_below_target=True, intense_workout=True, diuretic=True)

    assert cramp_risk(day_of(2000, 1000, 420), factors).level == Risk.HIGH


def test_a_mineral_with_no_data_is_left_out_of_the_rating():
    # Magnesium has no data: it counts neither as met nor as short.
    risk = cramp_risk(day_of(3000, 1000, None), RiskFactors())

    assert risk.level == Risk.ELEVATED
    assert not any("Magnesium" in reason for reason in risk.reasons)


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
        (RiskFactors(water_below_target=True), "less than your water target"),
        (RiskFactors(intense_workout=True), "intense-workout day"),
        (RiskFactors(diuretic=True), "diuretic"),
    ],
    ids=["water below target", "intense workout", "diuretic"],
)
def test_a_risk_factor_gives_a_reason_saying_what_it_is(factors, words):
    risk = cramp_risk(day_of(4000, 1000, 420), factors)

    assert len(risk.reasons) == 2  # potassium a little low, and the factor
    assert words in risk.reasons[1]


def test_each_risk_factor_set_gives_its_own_reason():
    factors = RiskFactors(water_below_target=True, intense_workout=True, diuretic=True)

    assert len(cramp_risk(day_of(2000, 1000, 420), factors).reasons) == 4


def test_a_mineral_just_under_target_still_has_some_mg_to_go_in_its_reason():
    # 4,699.6 mg is 99%, "a little low": the reason must not say "0 mg to go".
    reason = cramp_risk(day_of("4699.6", 1000, 420), RiskFactors()).reasons[0]

    assert reason.startswith("Potassium is a little low")
    assert not re.search(r"\b0 mg to go", reason)


def test_a_mineral_just_under_target_rounds_its_amount_but_not_its_percent_or_status():
    # One rule: amounts to the nearest mg, percents down, the status from the exact value.
    reason = cramp_risk(day_of("4699.6", 1000, 420), RiskFactors()).reasons[0]

    assert reason.startswith("Potassium is a little low: 4,700 of 4,700 mg (99%), 1 mg to go.")


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


# --- realistic_portion ------------------------------------------------------------------


def test_a_medium_portion_is_preferred():
    portion = realistic_portion(BANANA)

    assert portion is not None
    assert portion.description == '1 medium (7" to 7-7/8" long)'
    assert portion.grams == Decimal(118)


def test_the_nlea_serving_is_preferred_when_there_is_no_medium():
    portions = [p for p in BANANA_PORTIONS if "medium" not in p.description]
    banana = Candidate(173944, "Bananas, raw", Decimal(358), Decimal(89), portions)

    assert realistic_portion(banana).description == "1 NLEA serving"


def test_an_energy_dense_food_gets_the_portion_nearest_an_ounce():
    portion = realistic_portion(ALMONDS)

    assert portion.description == "1 oz (23 whole kernels)"
    assert portion.grams == Decimal("28.35")


def test_a_food_is_energy_dense_from_400_kcal_per_100_g():
    portions = [PortionOption(1, "1 oz", Decimal(28)), PortionOption(2, "1 cup", Decimal(120))]
    dense = Candidate(1, "Seeds", Decimal(500), Decimal(400), portions)
    not_dense = Candidate(2, "Bread", Decimal(500), Decimal(399), portions)

    assert realistic_portion(dense).grams == 28
    assert realistic_portion(not_dense).grams == 120


def test_other_foods_get_the_portion_nearest_120_g_on_a_ratio_scale():
    # 180 g is 1.5 times 120 g, 70 g is 1.7 times smaller: 180 g is nearer, although
    # it is further in grams.
    portions = [
        PortionOption(1, "1 small bowl", Decimal(70)),
        PortionOption(2, "1 bowl", Decimal(180)),
    ]
    stew = Candidate(1, "Stew", Decimal(200), Decimal(90), portions)

    assert realistic_portion(stew).grams == 180


def test_a_portion_over_250_g_is_never_chosen():
    portions = [
        PortionOption(1, "1 medium melon", Decimal(552)),
        PortionOption(2, "1 wedge", Decimal(69)),
    ]
    melon = Candidate(1, "Melons, cantaloupe, raw", Decimal(267), Decimal(34), portions)

    assert realistic_portion(melon).description == "1 wedge"


def test_a_bag_of_spinach_is_not_a_portion():
    portions = [
        PortionOption(1, "1 cup", Decimal(30)),
        PortionOption(2, "1 package (10 oz)", Decimal(284)),
    ]
    spinach = Candidate(1, "Spinach, raw", Decimal(558), Decimal(23), portions)

    assert realistic_portion(spinach).description == "1 cup"


def test_a_food_without_portions_has_no_realistic_portion():
    assert realistic_portion(Candidate(1, "Own soup", Decimal(300), Decimal(50), [])) is None


# --- suggestions ------------------------------------------------------------------------


def test_a_medium_banana_adds_422_mg_potassium_8_percent_of_the_target():
    found = suggestions([BANANA], shortfall_mg=Decimal(1786), target_mg=Decimal(4700))

    assert len(found) == 1
    banana = found[0]
    assert banana.food_id == 173944
    assert banana.portion.grams == 118
    assert banana.adds_mg == Decimal("422.44")
    assert banana.percent_of_target == 8  # 8.99%, rounded down


def test_the_suggestion_text_names_the_portion_and_its_grams():
    banana = suggestions([BANANA], Decimal(1786), Decimal(4700))[0]

    assert banana.text == '1 medium (7" to 7-7/8" long) (118 g)'


def test_an_ounce_of_almonds_adds_76_mg_magnesium_and_keeps_the_decimals_of_its_grams():
    # Nuts, almonds: 270 mg magnesium per 100 g; 28.35 g adds 76.5 mg, 18% of 420 mg.
    almonds = Candidate(170567, "Nuts, almonds", Decimal(270), Decimal(579), ALMOND_PORTIONS)

    found = suggestions([almonds], shortfall_mg=Decimal(200), target_mg=Decimal(420))

    assert found[0].adds_mg == Decimal("76.545")
    assert found[0].percent_of_target == 18
    assert found[0].text == "1 oz (23 whole kernels) (28.35 g)"


def test_the_suggestion_text_writes_whole_hundreds_of_grams_plainly():
    suggestion = Suggestion(
        1, "Soup", PortionOption(1, "1 bowl", Decimal("200.000")), Decimal(1), 1
    )

    assert suggestion.text == "1 bowl (200 g)"


@pytest.mark.parametrize("mg_per_100_g", [None, 0], ids=["no data", "zero"])
def test_a_food_without_the_mineral_is_never_suggested(mg_per_100_g):
    assert suggestions([food(1, mg_per_100_g, 120)], Decimal(1000), Decimal(4700)) == []


def test_a_food_without_portions_is_never_suggested():
    no_portions = Candidate(1, "Own soup", Decimal(3000), Decimal(50), [])

    assert suggestions([no_portions], Decimal(1000), Decimal(4700)) == []


def test_a_food_adding_less_than_5_percent_of_the_target_is_dropped():
    # 195 mg of 4,700 is 4.1%; 235 mg is exactly 5%.
    found = suggestions(
        [food(1, 195, 100), food(2, 235, 100)], shortfall_mg=Decimal(2000), target_mg=Decimal(4700)
    )

    assert [suggestion.food_id for suggestion in found] == [2]


def test_at_most_three_suggestions():
    candidates = [food(food_id, 500, 100) for food_id in range(1, 6)]

    assert len(suggestions(candidates, Decimal(2000), Decimal(4700))) == 3


def test_suggestions_are_ordered_by_how_much_of_the_gap_they_close():
    candidates = [food(1, 300, 100), food(2, 900, 100), food(3, 600, 100)]

    found = suggestions(candidates, shortfall_mg=Decimal(2000), target_mg=Decimal(4700))

    assert [suggestion.food_id for suggestion in found] == [2, 3, 1]


def test_a_food_adding_more_than_the_gap_counts_as_closing_it_and_frequent_foods_go_first():
    # Both close the 300 mg gap; the bigger one is no better, the frequent one goes first.
    candidates = [food(1, 900, 100), food(2, 400, 100, frequent=True), food(3, 250, 100)]

    found = suggestions(candidates, shortfall_mg=Decimal(300), target_mg=Decimal(4700))

    assert [suggestion.food_id for suggestion in found] == [2, 1, 3]


def test_suggestions_for_potassium_pick_the_real_portions_of_real_foods():
    found = suggestions([BANANA, ALMONDS], shortfall_mg=Decimal(1786), target_mg=Decimal(4700))

    # Banana: 422 mg in 118 g. Almonds: 1 oz (28.35 g) adds 207.8 mg, 4%: dropped.
    assert [(s.description, s.text) for s in found] == [
        ("Bananas, raw", '1 medium (7" to 7-7/8" long) (118 g)')
    ]
