"""The foods and nutrients admin, as a superuser (admin_client) and as a plain user."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from nutrients.models import Food, FoodNutrient, Nutrient, Portion
from tests.conftest import log, make_food

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:nutrients_food_changelist")
ADD = reverse("admin:nutrients_food_add")


def change_url(food: Food) -> str:
    return reverse("admin:nutrients_food_change", args=[food.pk])


def delete_url(food: Food) -> str:
    return reverse("admin:nutrients_food_delete", args=[food.pk])


def listed(response) -> list[str]:
    return [food.description for food in response.context["cl"].result_list]


def test_the_food_list_shows_potassium_calcium_and_magnesium_per_100_g(admin_client, banana):
    make_food("Water, tap", category="Beverages", source=Food.Source.SEED)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assertContains(response, '<td class="field-potassium_mg">358</td>', html=True)
    assertContains(response, '<td class="field-calcium_mg">5</td>', html=True)
    assertContains(response, '<td class="field-magnesium_mg">27</td>', html=True)
    # Water has no mineral rows: "no data" shows as the empty value, not as 0.
    assertContains(response, '<td class="field-potassium_mg">-</td>', html=True)
    assertNotContains(response, "search_text")


def test_the_food_list_sorts_by_a_mineral_column(admin_client, minerals):
    make_food("Nuts, almonds", {1092: "733"})
    make_food("Bananas, raw", {1092: "358"})
    make_food("Apples, raw", {1092: "107"})

    response = admin_client.get(CHANGELIST, {"o": "-5"})  # fifth column: potassium

    assert listed(response) == ["Nuts, almonds", "Bananas, raw", "Apples, raw"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("banana", ["Bananas, raw"]),
        ("173944", ["Bananas, raw"]),
        ("00012345678905", ["EXAMPLE BRAND, TRAIL MIX"]),
        ("example foods", ["EXAMPLE BRAND, TRAIL MIX"]),
        ("almonds", []),
    ],
)
def test_the_food_list_searches_description_fdc_id_gtin_and_brand(
    admin_client, banana, term, expected
):
    make_food(
        "EXAMPLE BRAND, TRAIL MIX",
        fdc_id=9000001,
        gtin="00012345678905",
        brand_owner="Example Foods Inc.",
        data_type="branded_food",
        category="Trail Mix",
    )

    response = admin_client.get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"source__exact": "seed"}, ["Spinach, raw"]),
        ({"data_type": "branded_food"}, ["EXAMPLE BRAND, TRAIL MIX"]),
        ({"category": "Fruits and Fruit Juices"}, ["Bananas, raw"]),
    ],
)
def test_the_food_list_filters_by_source_data_type_and_category(
    admin_client, banana, filters, expected
):
    make_food("Spinach, raw", category="Vegetables", source=Food.Source.SEED)
    make_food("EXAMPLE BRAND, TRAIL MIX", category="Trail Mix", data_type="branded_food")

    response = admin_client.get(CHANGELIST, filters)

    assert response.status_code == 200
    assert listed(response) == expected


def test_the_food_list_runs_as_many_queries_for_30_foods_as_for_2(
    admin_client, minerals, django_assert_max_num_queries
):
    def add_foods(count: int) -> None:
        for number in range(count):
            make_food(f"Food {number}", {1092: "100", 1087: "20", 1090: "3"})

    add_foods(2)
    with CaptureQueriesContext(connection) as two_foods:
        assert admin_client.get(CHANGELIST).status_code == 200
    add_foods(28)

    with django_assert_max_num_queries(len(two_foods.captured_queries)):
        response = admin_client.get(CHANGELIST)
    assert len(listed(response)) == 30


def test_adding_a_food_with_an_amount_and_a_portion(admin_client, minerals):
    response = admin_client.post(
        ADD,
        {
            "description": "Crème fraîche, homemade",
            "category": "Dairy and Egg Products",
            "source": Food.Source.SEED,
            "fdc_id": "",
            "data_type": "",
            "brand_owner": "",
            "gtin": "",
            "owner": "",
            "nutrient_amounts-TOTAL_FORMS": "2",
            "nutrient_amounts-INITIAL_FORMS": "0",
            "nutrient_amounts-MIN_NUM_FORMS": "0",
            "nutrient_amounts-MAX_NUM_FORMS": "1000",
            "nutrient_amounts-0-nutrient": "1087",
            "nutrient_amounts-0-amount": "101",
            "nutrient_amounts-1-nutrient": "",
            "nutrient_amounts-1-amount": "",
            "portions-TOTAL_FORMS": "2",
            "portions-INITIAL_FORMS": "0",
            "portions-MIN_NUM_FORMS": "0",
            "portions-MAX_NUM_FORMS": "1000",
            "portions-0-description": "1 tbsp",
            "portions-0-grams": "15",
            "portions-1-description": "1 cup",
            "portions-1-grams": "240",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    food = Food.objects.get(description="Crème fraîche, homemade")
    assert food.search_text == " creme fraiche homemade"
    assert [(a.nutrient_id, a.amount) for a in food.nutrient_amounts.all()] == [
        (1087, Decimal("101.000"))
    ]
    assert [(p.seq, p.description, p.grams) for p in food.portions.all()] == [
        (1, "1 tbsp", Decimal("15.000")),
        (2, "1 cup", Decimal("240.000")),
    ]


def test_a_description_whose_search_text_would_overflow_is_refused_at_the_field(
    admin_client, banana
):
    response = admin_client.post(
        change_url(banana),
        {
            "description": "½" * 150,
            "category": "",
            "source": Food.Source.FDC,
            "data_type": "",
            "brand_owner": "",
            "gtin": "",
            "owner": "",
            "nutrient_amounts-TOTAL_FORMS": "0",
            "nutrient_amounts-INITIAL_FORMS": "0",
            "portions-TOTAL_FORMS": "0",
            "portions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "too long once its symbols are spelled out" in response.text
    banana.refresh_from_db()
    assert banana.description == "Bananas, raw"


def test_the_change_page_shows_amounts_with_their_nutrient_and_unit(admin_client, banana):
    response = admin_client.get(change_url(banana))

    assert response.status_code == 200
    assertContains(
        response,
        '<label for="id_nutrient_amounts-0-amount">Potassium, mg per 100 g</label>',
        html=True,
    )
    assertContains(response, 'value="1 medium"')
    # fdc_id is shown but cannot be changed; search_text is not shown at all.
    assertContains(response, '<div class="readonly">173944</div>', html=True)
    assertNotContains(response, 'name="fdc_id"')
    assertNotContains(response, "search_text")


def test_changing_a_food_keeps_its_fdc_id_and_its_search_text_in_step(admin_client, banana):
    amount = banana.nutrient_amounts.get(nutrient_id=1092)
    portion = banana.portions.get()

    response = admin_client.post(
        change_url(banana),
        {
            "description": "Bananas, ripe, raw",
            "category": "Fruits and Fruit Juices",
            "source": Food.Source.FDC,
            "fdc_id": "999",
            "data_type": "sr",
            "brand_owner": "",
            "gtin": "",
            "owner": "",
            "nutrient_amounts-TOTAL_FORMS": "3",
            "nutrient_amounts-INITIAL_FORMS": "3",
            "nutrient_amounts-MIN_NUM_FORMS": "0",
            "nutrient_amounts-MAX_NUM_FORMS": "1000",
            **{
                f"nutrient_amounts-{index}-{key}": value
                for index, row in enumerate(banana.nutrient_amounts.all())
                for key, value in {
                    "id": row.pk,
                    "food": banana.pk,
                    "nutrient": row.nutrient_id,
                    "amount": "400" if row.pk == amount.pk else row.amount,
                }.items()
            },
            "portions-TOTAL_FORMS": "1",
            "portions-INITIAL_FORMS": "1",
            "portions-MIN_NUM_FORMS": "0",
            "portions-MAX_NUM_FORMS": "1000",
            "portions-0-id": portion.pk,
            "portions-0-food": banana.pk,
            "portions-0-description": "1 medium",
            "portions-0-grams": "120",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    banana.refresh_from_db()
    assert banana.description == "Bananas, ripe, raw"
    assert banana.search_text == " bananas ripe raw"
    assert banana.fdc_id == 173944
    assert banana.nutrient_amounts.get(nutrient_id=1092).amount == Decimal("400.000")
    assert banana.portions.get().grams == Decimal("120.000")


def test_deleting_a_food_that_a_diary_uses_is_refused_with_a_reason(admin_client, banana, user):
    log(banana, user)

    page = admin_client.get(delete_url(banana))
    response = admin_client.post(delete_url(banana), {"post": "yes"})

    assert page.status_code == 200
    assert "Cannot delete food" in page.content.decode()
    assert "“Bananas, raw” is in 1 diary entry" in page.content.decode()
    assert response.status_code == 200
    assert "“Bananas, raw” is in 1 diary entry" in response.content.decode()
    assert Food.objects.filter(pk=banana.pk).exists()


def test_the_delete_selected_action_refuses_foods_that_diaries_use(
    admin_client, banana, user, other_user
):
    log(banana, user)
    log(banana, other_user)
    unused = make_food("Apples, raw")
    action = {"action": "delete_selected", "_selected_action": [banana.pk, unused.pk]}

    page = admin_client.post(CHANGELIST, action)
    response = admin_client.post(CHANGELIST, {**action, "post": "yes"})

    assert page.status_code == 200
    assert "“Bananas, raw” is in 2 diary entries" in page.content.decode()
    assert "Apples, raw" not in page.content.decode()
    assert response.status_code == 200
    assert "“Bananas, raw” is in 2 diary entries" in response.content.decode()
    assert Food.objects.filter(pk__in=[banana.pk, unused.pk]).count() == 2


def test_deleting_an_unused_food_deletes_it_with_its_amounts_and_portions(admin_client, banana):
    page = admin_client.get(delete_url(banana))
    response = admin_client.post(delete_url(banana), {"post": "yes"})

    assert "Are you sure" in page.content.decode()
    assert response.status_code == 302
    assert not Food.objects.filter(pk=banana.pk).exists()
    assert not FoodNutrient.objects.exists()
    assert not Portion.objects.exists()


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(user_client):
    response = user_client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_nutrients_are_listed_and_edited_in_the_list(admin_client, minerals):
    changelist = reverse("admin:nutrients_nutrient_changelist")
    rows = list(Nutrient.objects.order_by("display_order"))
    form = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, nutrient in enumerate(rows):
        form |= {
            f"form-{index}-id": nutrient.pk,
            f"form-{index}-name": nutrient.name,
            f"form-{index}-unit": nutrient.unit,
            f"form-{index}-display_order": nutrient.display_order,
        }
    form["form-2-display_order"] = "0"  # magnesium first

    page = admin_client.get(changelist)
    response = admin_client.post(changelist, form)

    assert page.status_code == 200
    assert [n.name for n in page.context["cl"].result_list] == ["Potassium", "Calcium", "Magnesium"]
    assert response.status_code == 302
    assert Nutrient.objects.first().name == "Magnesium"


def test_the_nutrient_autocomplete_finds_nutrients_by_name(admin_client, minerals):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "magn",
            "app_label": "nutrients",
            "model_name": "foodnutrient",
            "field_name": "nutrient",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": "1090", "text": "Magnesium (mg)"}]


def test_the_delete_selected_action_deletes_unused_foods(admin_client, banana):
    unused = make_food("Apples, raw", {1092: "107"})
    action = {"action": "delete_selected", "_selected_action": [banana.pk, unused.pk]}

    response = admin_client.post(CHANGELIST, {**action, "post": "yes"})

    assert response.status_code == 302
    assert not Food.objects.exists()
    assert not FoodNutrient.objects.exists()
