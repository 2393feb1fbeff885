"""Medicines and conditions: each diuretic kind, a medicine that raises potassium, and
kidney disease or a doctor's potassium or fluid limit, with their effects on the rating,
the suggestions and the words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.report import (
    HEADLINE_MINERALS,
    HELD_BACK_POTASSIUM_MAX_MG,
    Care,
    Diuretic,
    MineralStatus,
    RiskFactors,
    cramp_risk,
)
from tracker.day_data import day_report
from tracker.insights import person_lines
from tracker.models import Profile

from . import test_suggestions as shipped
from .test_suggestions import BANANA, DAY, log

# The shipped everyday list, as the suggestions' tests load it.
everyday_cut, everyday = shipped.everyday_cut, shipped.everyday

K, CA, MG = HEADLINE_MINERALS


def day_of(k, ca, mg):
    return [
        MineralStatus(mineral, Decimal(amount), mineral.default_target_mg)
        for mineral, amount in zip(HEADLINE_MINERALS, (k, ca, mg), strict=True)
    ]


@pytest.mark.parametrize(
    ("kind", "counted"),
    [
        (Diuretic.NONE, set()),
        (Diuretic.LOOP, {"potassium", "calcium", "magnesium"}),
        (Diuretic.THIAZIDE, {"potassium", "magnesium"}),
        (Diuretic.POTASSIUM_SPARING, set()),
        (Diuretic.UNSURE, {"magnesium"}),
    ],
)
def test_each_diuretic_kind_is_a_risk_factor_for_the_minerals_it_drains_only(kind, counted):
    factors = RiskFactors(diuretic=kind)
    # One mineral a little low (80%) at a time: elevated only where the diuretic counts.
    for mineral, day in ((K, day_of(3760, 1000, 420)), (CA, day_of(4700, 800, 420)),
                         (MG, day_of(4700, 1000, 336))):  # fmt: skip
        level = cramp_risk(day, factors).level
        assert level == ("elevated" if mineral.key in counted else "low"), mineral.key


def test_a_thiazide_is_never_a_reason_for_extra_calcium():
    reasons = RiskFactors(diuretic=Diuretic.THIAZIDE).reasons()

    assert "potassium and magnesium leaves in urine" in reasons[0]
    assert "no reason for extra calcium" in reasons[0]


@pytest.mark.parametrize(
    ("care", "potassium_held", "fluids_held", "words"),
    [
        (Care(), False, False, []),
        (Care(Diuretic.LOOP), False, False, []),
        (Care(Diuretic.THIAZIDE), False, False, []),
        (Care(Diuretic.POTASSIUM_SPARING), True, False, ["ask your doctor before eating more potassium"]),
        (Care(Diuretic.UNSURE), True, False, ["ask your pharmacist"]),
        (Care(raises_potassium=True), True, False, ["ACE inhibitor or ARB", "ask your doctor"]),
        (Care(potassium_limited=True), True, True, ["Follow your doctor’s or dietitian’s advice"]),
    ],
    ids=["none", "loop", "thiazide", "sparing", "unsure", "ace", "kidneys"],
)  # fmt: skip
def test_what_each_medicine_or_condition_holds_back_and_says(
    care, potassium_held, fluids_held, words
):
    assert (care.potassium_held_back, care.fluids_held_back) == (potassium_held, fluids_held)
    cautions = " ".join(care.cautions())
    for word in words:
        assert word in cautions
    assert bool(cautions) == bool(words)


def set_care(user, **fields) -> Profile:
    profile = Profile.of(user)
    # Potassium the only gap, large: 4,700 mg target, a banana logged.
    for name, value in {"calcium_target_mg": 5, "magnesium_target_mg": 31, **fields}.items():
        setattr(profile, name, value)
    profile.save()
    return profile


HOLDING_BACK = [
    {"diuretic": "potassium_sparing"},
    {"diuretic": "unsure"},
    {"raises_potassium": True},
    {"potassium_limited": True},
]


@pytest.mark.parametrize("care", HOLDING_BACK, ids=lambda care: next(iter(care.items()))[0])
def test_where_potassium_is_held_back_no_food_is_suggested_for_it_nor_rich_in_it(
    user, everyday, care
):
    log(user, BANANA, Decimal(118))
    pushed = day_report(set_care(user), DAY, with_suggestions=True)
    assert any(K in suggestion.closes for suggestion in pushed.suggestions)

    held = day_report(set_care(user, **care), DAY, with_suggestions=True)

    assert all(K not in s.closes for s in held.suggestions)
    assert all(s.adds_mg["potassium"] <= HELD_BACK_POTASSIUM_MAX_MG for s in held.suggestions)
    # Potassium's numbers are shown, but it is not rated: nothing else is short.
    assert held.minerals[0].status.status == "well short"
    assert held.risk.level == "low"
    assert held.cautions


@pytest.mark.parametrize("care", HOLDING_BACK, ids=lambda care: next(iter(care.items()))[0])
def test_the_report_shows_the_caution_where_potassium_is_held_back(
    user_client, user, everyday, care
):
    log(user, BANANA, Decimal(118))
    set_care(user, **care)

    html = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()
    day_html = user_client.get(reverse("tracker:day", kwargs={"day": DAY})).content.decode()

    assert 'data-testid="caution"' in html and 'data-testid="caution"' in day_html
    assert "not suggested" in html or "does not suggest" in html


def test_with_kidney_disease_water_is_no_risk_factor_and_drinking_more_is_not_urged(
    user_client, user, everyday
):
    log(user, BANANA, Decimal(118))  # 88 ml of water: far below 2,700 ml
    set_care(user, potassium_limited=True)

    report = day_report(Profile.of(user), DAY)
    html = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()

    assert not report.factors.water_below_target
    assert "Drink water through the day" not in html


def test_a_loop_diuretic_keeps_potassium_suggestions_and_names_the_minerals_it_drains(
    user, everyday
):
    log(user, BANANA, Decimal(118))
    report = day_report(set_care(user, diuretic="loop"), DAY, with_suggestions=True)

    assert any(K in s.closes for s in report.suggestions)
    assert any("potassium, calcium and magnesium leaves in urine" in r for r in report.risk.reasons)
    assert report.cautions == []


def test_the_old_diuretic_box_became_the_cautious_case():
    # tracker/migrations/0009_i25_…: takes_diuretic=True → "unsure".
    care = Care(Diuretic.UNSURE)
    assert care.potassium_held_back and care.losses == {"magnesium"}


def test_the_summary_says_age_sex_life_stage_medicines_and_diet(user):
    profile = Profile.of(user)
    today = profile.today()
    profile.sex, profile.birth_year, profile.birth_month = "female", today.year - 30, 1
    profile.life_stage, profile.diuretic, profile.diet = "pregnant", "thiazide", ["vegan"]
    profile.save()

    lines = dict(person_lines(profile, dt.date(today.year, 6, 1)))

    assert lines["Age"] == f"30 (born 01/{today.year - 30})"
    assert lines["Sex"] == "Female"
    assert lines["Life stage"] == "pregnancy"
    assert lines["Medicines and conditions"].startswith("a thiazide")
    assert lines["Diet"] == "vegan"
