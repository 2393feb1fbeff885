"""What the admin gives a food curator: filters to find the foods to fix, a food page with
every nutrient labelled and grouped, the diary days a save re-adds, the shipped values
beside a staff edit."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from nutrients.admin import (
    HEADLINE,
    MACROS,
    MINERALS,
    OTHER,
    VITAMINS,
    amount_label,
    nutrient_group,
)
from nutrients.models import EverydayFood, Food, FoodNutrient, Nutrient, Portion
from tests.conftest import food_change_form, log, make_food
from tracker.models import DayNutrientTotal, DayTotal, Entry, Meal

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:nutrients_food_changelist")
EVERYDAY_LIST = reverse("admin:nutrients_everydayfood_changelist")
K, CA, MG = 1092, 1087, 1090


def change_url(food: Food) -> str:
    return reverse("admin:nutrients_food_change", args=[food.pk])


def listed(response) -> list[str]:
    assert response.status_code == 200
    return sorted(str(row) for row in response.context["cl"].result_list)


@pytest.fixture
def pantry(minerals) -> dict[str, Food]:
    """Foods that each lack something a curator looks for."""
    foods = {
        "banana": make_food("Bananas, raw", {K: "358", CA: "5", MG: "27"}),
        "no_mg": make_food("Mystery stew", {K: "100", CA: "10"}),
        "zero_mg": make_food("Sugar, white", {K: "2", CA: "1", MG: "0"}),  # 0 is a value
        "no_k": make_food("Tofu, firm", {CA: "350", MG: "58"}),
        "nothing": make_food("Water, tap"),
        "spinach": make_food(
            "Spinach, raw", {K: "558", CA: "99", MG: "79"}, calcium_poorly_absorbed=True
        ),
        "edited": make_food("Nuts, almonds", {K: "733", CA: "269", MG: "270"}, staff_edited=True),
    }
    for key in ("banana", "no_k", "edited"):
        Portion.objects.create(food=foods[key], seq=1, description="1 cup", grams=Decimal(150))
    for rank, key in enumerate(("banana", "no_mg", "spinach"), start=1):
        EverydayFood.objects.create(
            food=foods[key], rank=rank, serving="1 cup", serving_grams=Decimal(100), kind=key
        )
    return foods


@pytest.mark.parametrize(
    ("nutrient_id", "expected"),
    [
        (MG, ["Mystery stew", "Water, tap"]),
        (K, ["Tofu, firm", "Water, tap"]),
        (CA, ["Water, tap"]),
    ],
)
def test_the_missing_mineral_filter_lists_foods_without_a_value_not_those_at_zero(
    admin_client, pantry, nutrient_id, expected
):
    assert listed(admin_client.get(CHANGELIST, {"missing": nutrient_id})) == expected


def test_the_missing_mineral_filter_offers_the_three_minerals_and_ignores_another_value(
    admin_client, pantry
):
    page = admin_client.get(CHANGELIST)
    for words in ("No potassium (K) value", "No calcium (Ca) value", "No magnesium (Mg) value"):
        assertContains(page, words)
    assert len(listed(admin_client.get(CHANGELIST, {"missing": "1008"}))) == len(pantry)


@pytest.mark.parametrize(
    ("portion", "expected"),
    [
        ("none", ["Mystery stew", "Spinach, raw", "Sugar, white", "Water, tap"]),
        ("some", ["Bananas, raw", "Nuts, almonds", "Tofu, firm"]),
    ],
)
def test_the_household_portion_filter(admin_client, pantry, portion, expected):
    assert listed(admin_client.get(CHANGELIST, {"portion": portion})) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"everyday": "yes"}, ["Bananas, raw", "Mystery stew", "Spinach, raw"]),
        ({"everyday": "no"}, ["Nuts, almonds", "Sugar, white", "Tofu, firm", "Water, tap"]),
        ({"staff_edited__exact": "1"}, ["Nuts, almonds"]),
        ({"calcium_poorly_absorbed__exact": "1"}, ["Spinach, raw"]),
        # Everyday foods a person cannot log by a household measure.
        ({"everyday": "yes", "portion": "none"}, ["Mystery stew", "Spinach, raw"]),
        ({"everyday": "yes", "missing": MG}, ["Mystery stew"]),
    ],
)
def test_the_everyday_staff_edited_and_poorly_absorbed_calcium_filters(
    admin_client, pantry, filters, expected
):
    assert listed(admin_client.get(CHANGELIST, filters)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"missing": MG}, ["2. Mystery stew"]),
        ({"portion": "none"}, ["2. Mystery stew", "3. Spinach, raw"]),
        ({"portion": "some"}, ["1. Bananas, raw"]),
    ],
)
def test_the_everyday_list_filters_by_missing_mineral_and_portion(
    admin_client, pantry, filters, expected
):
    assert listed(admin_client.get(EVERYDAY_LIST, filters)) == expected


def test_a_blank_data_type_or_category_is_a_filter_link_with_words(admin_client, pantry):
    page = admin_client.get(CHANGELIST)

    assertContains(page, '<a href="?data_type=">None given</a>', html=True)
    assertNotContains(page, '<a href="?category="></a>', html=True)


def test_editable_lists_name_each_input_by_column_and_row(admin_client, pantry):
    page = admin_client.get(EVERYDAY_LIST)

    assertContains(page, 'aria-label="Kind, 1. Bananas, raw"')
    assertContains(page, 'aria-label="May be suggested, 3. Spinach, raw"')


# --- The food page ------------------------------------------------------------------------


@pytest.fixture
def nutrient_table(minerals) -> None:
    """Nutrients of every group, as the shipped table names them."""
    for pk, name, unit, order in [
        (1008, "Energy", "kcal", 300),
        (1051, "Water", "g", 100),
        (1003, "Protein", "g", 600),
        (1089, "Iron, Fe", "mg", 5400),
        (1162, "Vitamin C, total ascorbic acid", "mg", 6300),
        (1175, "Vitamin B-6", "mg", 6800),
        (2047, "Energy (Atwater General Factors)", "kcal", 280),
    ]:
        Nutrient.objects.create(id=pk, name=name, unit=unit, display_order=order)


@pytest.mark.parametrize(
    ("nutrient_id", "group"),
    [
        (K, HEADLINE),
        (CA, HEADLINE),
        (MG, HEADLINE),
        (1008, HEADLINE),
        (1089, MINERALS),
        (1103, MINERALS),
        (1162, VITAMINS),
        (1114, VITAMINS),
        (1003, MACROS),
        (1051, MACROS),
        (1258, MACROS),
        (2000, MACROS),
        (2047, OTHER),
    ],
)
def test_nutrients_are_grouped_by_their_fooddata_central_id(nutrient_id, group):
    assert nutrient_group(nutrient_id) == group


def test_an_amount_is_labelled_by_nutrient_and_unit_without_the_chemical_symbol():
    assert amount_label(Nutrient(name="Potassium, K", unit="mg")) == "Potassium, mg per 100 g"
    assert amount_label(Nutrient(name="Vitamin A, IU", unit="IU")) == "Vitamin A, IU, IU per 100 g"
    assert amount_label(Nutrient(name="Vitamin B-6", unit="mg")) == "Vitamin B-6, mg per 100 g"


def test_the_food_page_has_a_labelled_row_for_every_nutrient_headline_group_first_and_open(
    admin_client, nutrient_table
):
    food = make_food("Bananas, raw", {K: "358", 1089: "0.26"})

    page = admin_client.get(change_url(food))

    groups = page.context["inline_admin_formsets"][0].formset.groups
    assert [group.title for group in groups] == [HEADLINE, MINERALS, VITAMINS, MACROS, OTHER]
    assert [row.nutrient.pk for row in groups[0].rows] == [K, CA, MG, 1008]
    assert [(group.open, group.known) for group in groups] == [
        (True, 1),
        (False, 1),
        (False, 0),
        (False, 0),
        (False, 0),
    ]
    text = page.content.decode()
    assert text.index("Potassium, mg per 100 g") < text.index("Iron, mg per 100 g")
    assert '<details class="amount-group" id="amounts-other-minerals">' in text
    assert "Vitamin C, total ascorbic acid, mg per 100 g" in text


def amounts_form(food: Food, response, **changes: str) -> dict[str, str]:
    """The change form as the page drew it, with amounts changed by nutrient id."""
    formset = response.context["inline_admin_formsets"][0].formset
    data = food_change_form(food)
    management = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{formset.prefix}-{name}"] = str(management[name].value())
    for form in formset.forms:
        nutrient_id = form.instance.nutrient_id or form.initial["nutrient"]
        data[form.add_prefix("nutrient")] = str(nutrient_id)
        data[form.add_prefix("food")] = str(food.pk)
        data[form.add_prefix("id")] = str(form.instance.pk or "")
        amount = "" if form.instance.amount is None else str(form.instance.amount)
        data[form.add_prefix("amount")] = changes.get(f"n{nutrient_id}", amount)
    return data


def amounts_of(food: Food) -> dict[int, Decimal]:
    return dict(food.nutrient_amounts.values_list("nutrient_id", "amount"))


def test_typing_into_a_blank_row_adds_the_value_and_clearing_one_removes_it(
    admin_client, nutrient_table
):
    food = make_food("Mystery stew", {K: "100", CA: "10"})
    page = admin_client.get(change_url(food))

    response = admin_client.post(change_url(food), amounts_form(food, page, n1090="27", n1087=""))

    assert response.status_code == 302, response.context["errors"]
    assert amounts_of(food) == {K: Decimal(100), MG: Decimal(27)}


def test_a_negative_amount_is_refused_at_its_row_and_nothing_is_saved(admin_client, nutrient_table):
    food = make_food("Mystery stew", {K: "100"})
    page = admin_client.get(change_url(food))

    response = admin_client.post(
        change_url(food), amounts_form(food, page, n1090="-3", n1092="200")
    )

    assert response.status_code == 200
    groups = response.context["inline_admin_formsets"][0].formset.groups
    magnesium = next(row for row in groups[0].rows if row.nutrient.pk == MG)
    assert magnesium.form.errors
    assert groups[0].open
    assert amounts_of(food) == {K: Decimal(100)}


def test_a_staff_edited_food_shows_the_shipped_values_beside_its_own(admin_client, minerals):
    # FDC 173944 is the shipped table's banana: 358 mg K, 5 mg Ca, 27 mg Mg per 100 g.
    food = make_food(
        "Bananas, raw, as staff corrected", {K: "400", CA: "5"}, fdc_id=173944, staff_edited=True
    )

    page = admin_client.get(change_url(food))

    assertContains(page, "Shipped value (USDA)")
    rows = {
        row.nutrient.pk: row
        for row in page.context["inline_admin_formsets"][0].formset.groups[0].rows
    }
    assert (rows[K].shipped, rows[CA].shipped, rows[MG].shipped) == (
        Decimal("358.000"),
        Decimal("5.000"),
        Decimal("27.000"),
    )
    assertContains(
        page, '<td class="shipped">358 <span class="differs">(differs)</span></td>', html=True
    )
    assertContains(page, '<td class="shipped">5</td>', html=True)
    assertContains(page, 'value="400"')


def test_a_food_not_staff_edited_or_not_shipped_shows_no_shipped_column(admin_client, minerals):
    plain_food = make_food("Bananas, raw", {K: "358"}, fdc_id=173944)
    unknown = make_food("Test food", {K: "1"}, fdc_id=99999999, staff_edited=True)

    assertNotContains(admin_client.get(change_url(plain_food)), "Shipped value")
    page = admin_client.get(change_url(unknown))
    assertNotContains(page, "Shipped value")
    assertContains(page, "This food is not in the shipped table")


# --- The diary days a save re-adds ---------------------------------------------------------


def log_on(food: Food, user, day: date, grams: int = 100) -> None:
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=Meal.Slot.LUNCH)
    Entry.objects.create(
        meal=meal, food=food, grams=Decimal(grams), quantity=Decimal(grams), unit="g"
    )
    DayTotal.refresh(user, [day])


def potassium_by_day() -> dict[tuple[int, date], Decimal]:
    return {
        (row.user_id, row.day): row.amount for row in DayNutrientTotal.objects.filter(nutrient_id=K)
    }


def test_the_change_page_says_how_many_days_a_save_re_adds_and_the_save_re_adds_them(
    admin_client, minerals, make_user
):
    stew = make_food("Mystery stew", {K: "100", CA: "10"})
    other = make_food("Apples, raw", {K: "107"})
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    log_on(stew, alice, date(2026, 11, 1))
    log_on(stew, alice, date(2026, 11, 2))
    log_on(stew, alice, date(2026, 11, 2), grams=50)  # the same day twice: one day
    log_on(stew, bob, date(2026, 11, 2))
    log_on(other, carol, date(2026, 11, 3))  # another food's day: not moved
    log_on(other, alice, date(2026, 11, 4))
    before = potassium_by_day()

    page = admin_client.get(change_url(stew))
    assertContains(page, "Saving re-adds the totals of 3 diary days of 2 people")
    response = admin_client.post(
        change_url(stew), amounts_form(stew, page, n1092="200"), follow=True
    )

    assertContains(response, "Re-added the totals of 3 diary days of 2 people.")
    after = potassium_by_day()
    moved = {key for key in after if after[key] != before[key]}
    assert moved == {
        (alice.pk, date(2026, 11, 1)),
        (alice.pk, date(2026, 11, 2)),
        (bob.pk, date(2026, 11, 2)),
    }
    assert after[alice.pk, date(2026, 11, 2)] == Decimal(300)  # 150 g at 200 mg per 100 g


def test_a_food_no_diary_holds_says_so_and_a_save_moves_no_day(admin_client, minerals):
    food = make_food("Mystery stew", {K: "100"})

    page = admin_client.get(change_url(food))
    response = admin_client.post(change_url(food), amounts_form(food, page), follow=True)

    assertContains(page, "No diary holds this food: saving it re-adds no day")
    assertContains(response, "No diary holds this food: no day&#x27;s totals to re-add.")


def test_one_day_of_one_person_is_said_in_the_singular(admin_client, banana, user):
    log(banana, user)

    page = admin_client.get(change_url(banana))

    assertContains(page, "Saving re-adds the totals of 1 diary day of 1 person who logged")


def test_the_change_page_counts_days_in_one_query_whatever_the_diaries(
    admin_client, minerals, make_user, django_assert_num_queries
):
    stew = make_food("Mystery stew", {K: "100"})
    log_on(stew, make_user("alice"), date(2026, 11, 1))
    admin_client.get(change_url(stew))  # the first request reads what later ones keep
    with CaptureQueriesContext(connection) as one_diary:
        admin_client.get(change_url(stew))
    for number in range(5):
        log_on(stew, make_user(f"user{number}"), date(2026, 11, number + 2))

    with django_assert_num_queries(len(one_diary.captured_queries)):
        admin_client.get(change_url(stew))
    assert FoodNutrient.objects.filter(food=stew).count() == 1


def test_staff_who_may_not_delete_amounts_cannot_clear_one(client, make_user, nutrient_table):
    from django.contrib.auth.models import Permission

    curator = make_user("curator", is_staff=True)
    curator.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_food",
                "change_food",
                "add_foodnutrient",
                "change_foodnutrient",
                "view_foodnutrient",
                "add_portion",
                "change_portion",
                "view_portion",
            ]
        )
    )
    client.force_login(curator)
    food = make_food("Mystery stew", {K: "100", CA: "10"})
    page = client.get(change_url(food))

    response = client.post(change_url(food), amounts_form(food, page, n1087="", n1090="27"))

    assert response.status_code == 200
    assertContains(response, "This field is required.")
    assert amounts_of(food) == {K: Decimal(100), CA: Decimal(10)}
