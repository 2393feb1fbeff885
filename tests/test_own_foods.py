"""A user's own foods from a nutrition label: list, add, edit; only the owner sees them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.models import Food, FoodNutrient, Nutrient, Portion
from tracker import own_foods
from tracker.own_foods import LABEL_NUTRIENTS, per_100_g, per_serving

POTASSIUM, CALCIUM, MAGNESIUM, PROTEIN, VITAMIN_D = 1092, 1087, 1090, 1003, 1114


def label(**values: str) -> dict[str, str]:
    """A POST for the form: a 40 g bar, every nutrient empty unless given."""
    data = {"name": "Peanut bar", "serving_description": "1 bar", "serving_grams": "40"}
    data.update({nutrient.field: "" for nutrient in LABEL_NUTRIENTS})
    data.update(values)
    return data


def amounts(food: Food) -> dict[int, Decimal]:
    return {row.nutrient_id: row.amount for row in food.nutrient_amounts.all()}


def make_own_food(owner, name: str = "Peanut bar", per_100_g: dict[int, str] | None = None) -> Food:
    """A food as the form saves it: a 40 g bar, amounts per 100 g."""
    food = Food.objects.create(
        description=name, source=Food.Source.USER, owner=owner, category="My foods"
    )
    Portion.objects.create(food=food, seq=1, description="1 bar", grams=Decimal(40))
    for nutrient_id, amount in (per_100_g or {}).items():
        nutrient, _ = Nutrient.objects.get_or_create(
            id=nutrient_id, defaults={"name": str(nutrient_id), "unit": "mg"}
        )
        FoodNutrient.objects.create(food=food, nutrient=nutrient, amount=Decimal(amount))
    return food


def edit_url(food: Food) -> str:
    return reverse("own_food_edit", kwargs={"pk": food.pk})


# --- Adding a food ---------------------------------------------------------------------


def test_adding_a_food_stores_its_values_per_100_g_and_its_serving(user_client, user):
    response = user_client.post(
        reverse("own_food_create"),
        label(potassium="200", calcium="30", magnesium="12.5", energy="190", protein="8"),
    )

    assert response.status_code == 302
    assert response.url == reverse("own_foods")
    food = Food.objects.get()
    assert food.description == "Peanut bar"
    assert food.source == Food.Source.USER
    assert food.owner == user
    assert food.category == "My foods"
    assert amounts(food) == {
        POTASSIUM: Decimal("500.000"),
        CALCIUM: Decimal("75.000"),
        MAGNESIUM: Decimal("31.250"),
        1008: Decimal("475.000"),
        PROTEIN: Decimal("20.000"),
    }
    portion = food.portions.get()
    assert (portion.seq, portion.description, portion.grams) == (1, "1 bar", Decimal("40.000"))


def test_adding_a_food_says_it_was_saved(user_client):
    response = user_client.post(reverse("own_food_create"), label(potassium="200"), follow=True)

    assert "Saved “Peanut bar”." in response.content.decode()


def test_amounts_per_100_g_are_rounded_to_three_places(user_client):
    user_client.post(reverse("own_food_create"), label(serving_grams="30", potassium="100"))

    assert amounts(Food.objects.get()) == {POTASSIUM: Decimal("333.333")}


def test_empty_fields_create_no_rows_and_zero_is_stored_as_zero(user_client):
    user_client.post(reverse("own_food_create"), label(calcium="0"))

    assert amounts(Food.objects.get()) == {CALCIUM: Decimal(0)}


def test_an_empty_serving_description_becomes_one_serving(user_client):
    user_client.post(reverse("own_food_create"), label(serving_description=""))

    assert Portion.objects.get().description == "1 serving"


def test_nutrient_rows_are_created_on_a_fresh_database(user_client):
    assert not Nutrient.objects.exists()

    user_client.post(reverse("own_food_create"), label(potassium="200", vitamin_d="2.5"))

    potassium = Nutrient.objects.get(pk=POTASSIUM)
    assert (potassium.name, potassium.unit) == ("Potassium, K", "mg")
    assert Nutrient.objects.get(pk=VITAMIN_D).unit == "µg"


def test_an_existing_nutrient_row_is_used_as_it_is(user_client):
    Nutrient.objects.create(id=POTASSIUM, name="Potassium, K", unit="mg", display_order=7)

    user_client.post(reverse("own_food_create"), label(potassium="200"))

    assert Nutrient.objects.get(pk=POTASSIUM).display_order == 7


def test_a_new_food_is_visible_to_its_owner_and_not_to_another_user(user_client, user, other_user):
    user_client.post(reverse("own_food_create"), label(potassium="200"))

    food = Food.objects.get()
    assert food in Food.objects.visible_to(user)
    assert food not in Food.objects.visible_to(other_user)


def test_the_add_page_shows_the_form_with_units_in_the_labels(user_client):
    response = user_client.get(reverse("own_food_create"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_potassium">Potassium (mg)</label>' in content
    assert "Vitamin B-12 (µg)" in content
    assert "Vitamin D (µg or IU)" in content
    assert "millilitres count as grams" in content
    # The serving starts empty, with an example in its placeholder, not the word "serving".
    assert 'placeholder="1 bar"' in content
    assert 'name="serving_description" value=' not in content
    assert re.search(r'name="basis" value="serving"[^>]* checked', content)  # unless chosen


# --- Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"serving_grams": "0"}, "serving_grams", "more than 0 g"),
        ({"serving_grams": "-5"}, "serving_grams", "more than 0 g"),
        ({"serving_grams": ""}, "serving_grams", "Enter the serving size"),
        ({"serving_grams": "2001"}, "serving_grams", "at most 2,000 g"),
        ({"potassium": "-1"}, "potassium", "Enter 0 or more"),
        ({"calcium": "lots"}, "calcium", "Enter a number"),
        ({"magnesium": "NaN"}, "magnesium", "Enter a number"),
        ({"potassium": "100001"}, "potassium", "At most 100,000 mg per serving"),
        ({"sodium": "1e30"}, "sodium", "At most 100,000 mg"),
        ({"potassium": "50000"}, "potassium", "cannot weigh more than the whole serving"),
        ({"protein": "41"}, "protein", "cannot weigh more than the whole serving (40 g)"),
        ({"energy": "900"}, "energy", "Is this kJ?"),
        ({"vitamin_d": "100001"}, "vitamin_d", "At most 100,000 µg"),
        ({"name": ""}, "name", "Give the food a name."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        # 150 characters, 451 once "½" is spelled out for the search's 400-character column
        ({"name": "½" * 150}, "name", "too long once its symbols are spelled out"),
    ],
)
def test_bad_input_shows_a_message_at_the_field_and_saves_nothing(
    user_client, values, field, message
):
    response = user_client.post(reverse("own_food_create"), label(**{"potassium": "200", **values}))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert 'aria-invalid="true"' in content
    assert not Food.objects.exists()
    assert not FoodNutrient.objects.exists()


def test_a_value_as_heavy_as_the_serving_is_allowed(user_client):
    user_client.post(reverse("own_food_create"), label(water="40", energy="365"))

    assert amounts(Food.objects.get()) == {1051: Decimal("100.000"), 1008: Decimal("912.500")}


def test_energy_rounded_up_on_the_label_of_a_tiny_serving_is_allowed(user_client):
    # A teaspoon of oil: 4.4 g at 9 kcal/g is 39.6 kcal, which the label rounds to 40.
    response = user_client.post(
        reverse("own_food_create"), label(serving_grams="4.4", energy="40", fat="4.4")
    )

    assert response.status_code == 302
    assert Food.objects.exists()


def test_a_failure_while_saving_leaves_no_half_saved_food(user_client, monkeypatch):
    def broken(nutrient):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(own_foods, "nutrient_row", broken)

    with pytest.raises(RuntimeError):
        user_client.post(reverse("own_food_create"), label(potassium="200"))

    assert not Food.objects.exists()
    assert not Portion.objects.exists()


def test_an_empty_post_asks_for_the_required_fields(user_client):
    response = user_client.post(reverse("own_food_create"), {})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "serving_grams"}


# --- Editing a food --------------------------------------------------------------------


def test_the_edit_form_shows_the_values_per_serving_again(user_client, user):
    user_client.post(
        reverse("own_food_create"), label(serving_grams="30", potassium="100", vitamin_d="2.5")
    )
    food = Food.objects.get()

    form = user_client.get(edit_url(food)).context["form"]

    assert form.initial["name"] == "Peanut bar"
    assert form.initial["serving_description"] == "1 bar"
    assert form.initial["serving_grams"] == "30"
    assert form.initial["potassium"] == "100"
    assert form.initial["vitamin_d"] == "2.5"
    assert "calcium" not in form.initial


def test_saving_the_edit_form_unchanged_changes_nothing(user_client):
    user_client.post(
        reverse("own_food_create"), label(serving_grams="30", potassium="100", magnesium="7")
    )
    food = Food.objects.get()
    before = amounts(food)
    form = user_client.get(edit_url(food)).context["form"]

    unchanged = {name: form.initial.get(name, "") for name in form.fields}
    user_client.post(edit_url(food), unchanged)

    assert amounts(food) == before == {POTASSIUM: Decimal("333.333"), MAGNESIUM: Decimal("23.333")}


def test_editing_updates_the_food_its_serving_and_its_amounts(user_client):
    user_client.post(reverse("own_food_create"), label(potassium="200", calcium="30"))
    food = Food.objects.get()

    response = user_client.post(
        edit_url(food),
        label(
            name="Peanut bar, large",
            serving_description="1 large bar",
            serving_grams="80",
            potassium="400",
            calcium="",
            magnesium="40",
        ),
    )

    assert response.status_code == 302
    food.refresh_from_db()
    assert food.description == "Peanut bar, large"
    assert food.search_text == " peanut bar large"
    portion = food.portions.get()
    assert (portion.description, portion.grams) == ("1 large bar", Decimal(80))
    assert amounts(food) == {POTASSIUM: Decimal(500), MAGNESIUM: Decimal(50)}
    assert Food.objects.count() == 1


def test_a_cleared_field_removes_that_row(user_client):
    user_client.post(reverse("own_food_create"), label(potassium="200", calcium="30"))
    food = Food.objects.get()

    user_client.post(edit_url(food), label(potassium="200"))

    assert amounts(food) == {POTASSIUM: Decimal(500)}


def test_bad_input_on_edit_changes_nothing(user_client):
    user_client.post(reverse("own_food_create"), label(potassium="200", calcium="30"))
    food = Food.objects.get()

    response = user_client.post(
        edit_url(food), label(name="Renamed", serving_grams="80", calcium="", potassium="-3")
    )

    assert response.status_code == 200
    assert "Enter 0 or more" in str(response.context["form"].errors["potassium"])
    food.refresh_from_db()
    assert food.description == "Peanut bar"
    assert food.portions.get().grams == Decimal(40)
    assert amounts(food) == {POTASSIUM: Decimal(500), CALCIUM: Decimal(75)}


def test_a_failure_while_saving_an_edit_changes_nothing(user_client, monkeypatch):
    user_client.post(reverse("own_food_create"), label(potassium="200"))
    food = Food.objects.get()

    def broken(nutrient):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(own_foods, "nutrient_row", broken)

    with pytest.raises(RuntimeError):
        user_client.post(edit_url(food), label(name="Renamed", serving_grams="80", calcium="5"))

    food.refresh_from_db()
    assert food.description == "Peanut bar"
    assert food.portions.get().grams == Decimal(40)
    assert amounts(food) == {POTASSIUM: Decimal(500)}


def test_another_users_food_is_404(user_client, other_user):
    food = make_own_food(other_user, per_100_g={POTASSIUM: "500"})

    assert user_client.get(edit_url(food)).status_code == 404
    assert user_client.post(edit_url(food), label(name="Mine now")).status_code == 404
    food.refresh_from_db()
    assert food.description == "Peanut bar"


def test_a_shared_food_is_404(user_client):
    food = Food.objects.create(description="Bananas, raw", source=Food.Source.SEED)

    assert user_client.get(edit_url(food)).status_code == 404
    assert user_client.post(edit_url(food), label()).status_code == 404


def test_a_food_id_that_does_not_exist_is_404(user_client):
    assert user_client.get(reverse("own_food_edit", kwargs={"pk": 999_999})).status_code == 404


# --- The list --------------------------------------------------------------------------


def test_the_list_shows_only_my_own_foods_with_minerals_per_serving(user_client, user, other_user):
    make_own_food(user, "Peanut bar", {POTASSIUM: "500", MAGNESIUM: "31.25"})
    make_own_food(other_user, "Someone else's shake", {POTASSIUM: "100"})
    Food.objects.create(description="Bananas, raw", source=Food.Source.SEED)

    response = user_client.get(reverse("own_foods"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Peanut bar" in content
    assert "Someone else" not in content
    assert "Bananas" not in content
    assert "Per 1 bar (40 g)" in content
    assert "200 mg" in content  # potassium
    assert "13 mg" in content  # magnesium, 12.5 mg to the nearest mg
    assert "no data" in content  # calcium
    assert [row.food.description for row in response.context["rows"]] == ["Peanut bar"]
    assert f'href="{reverse("own_food_create")}"' in content


def test_the_list_links_to_each_foods_edit_page(user_client, user):
    food = make_own_food(user)

    content = user_client.get(reverse("own_foods")).content.decode()

    assert f'href="{edit_url(food)}"' in content


def test_the_list_says_when_there_are_no_foods_yet(user_client):
    response = user_client.get(reverse("own_foods"))

    assert "You have not added any foods yet." in response.content.decode()


# --- Who may come in -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["own_foods", "own_food_create"])
def test_anonymous_visitors_are_sent_to_log_in(client, db, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_anonymous_visitors_cannot_edit_or_add(client, user):
    food = make_own_food(user)

    assert client.get(edit_url(food)).status_code == 302
    assert client.post(edit_url(food), label(name="Changed")).status_code == 302
    assert client.post(reverse("own_food_create"), label()).status_code == 302
    assert Food.objects.get().description == "Peanut bar"


def test_the_list_does_not_accept_post(user_client):
    assert user_client.post(reverse("own_foods")).status_code == 405


# --- Conversions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "grams"),
    [("100", "30"), ("1", "1500"), ("0.005", "7"), ("2.4", "250"), ("0", "40"), ("365", "40")],
)
def test_a_per_serving_value_comes_back_as_typed(typed, grams):
    amount = per_100_g(Decimal(typed), Decimal(grams))

    assert per_serving(amount, Decimal(grams)) == Decimal(typed)


# --- Labels as they are printed: per 100 g, decimal commas, units, IU ---------------------


def test_values_per_100_g_are_stored_as_they_are_with_or_without_a_serving(user_client):
    user_client.post(
        reverse("own_food_create"),
        label(name="Skyr", basis="100g", serving_description="", serving_grams="", calcium="150"),
    )
    user_client.post(
        reverse("own_food_create"),
        label(name="Oat drink", basis="100g", serving_description="1 glass", serving_grams="250",
              potassium="12,5"),
    )  # fmt: skip

    skyr, oat_drink = Food.objects.order_by("description").reverse()
    assert amounts(skyr) == {CALCIUM: Decimal(150)}
    assert not skyr.portions.exists()
    assert amounts(oat_drink) == {POTASSIUM: Decimal("12.5")}
    assert oat_drink.portions.get().grams == 250  # a glass to log by, values still per 100 g


def test_values_per_serving_still_need_the_serving_size(user_client):
    response = user_client.post(reverse("own_food_create"), label(serving_grams="", calcium="1"))

    assert "Enter the serving size in grams" in response.content.decode()
    assert not Food.objects.exists()


def test_the_edit_form_of_a_food_per_100_g_shows_the_values_per_100_g(user_client):
    user_client.post(
        reverse("own_food_create"), label(basis="100g", serving_grams="", magnesium="31.5")
    )

    form = user_client.get(edit_url(Food.objects.get())).context["form"]

    assert form.initial["basis"] == "100g"
    assert form.initial["magnesium"] == "31.5"
    assert "serving_grams" not in form.initial


@pytest.mark.parametrize(
    ("typed", "stored_per_100_g"),
    [
        ("2,5", "6.25"),  # a decimal comma: 2.5 mg in 40 g
        ("350 mg", "875"),  # the unit the field already means
        ("350mg", "875"),
        ("1,200", "3000"),  # a comma before three digits groups thousands
        ("1,200.5", "3001.25"),
        (" 12 ", "30"),
    ],
)
def test_numbers_are_read_as_labels_print_them(user_client, typed, stored_per_100_g):
    user_client.post(reverse("own_food_create"), label(potassium=typed))

    assert amounts(Food.objects.get()) == {POTASSIUM: Decimal(stored_per_100_g)}


@pytest.mark.parametrize("typed", ["350 g", "3,5,0", "350 kcal", "mg", "IU"])
def test_a_unit_the_field_does_not_mean_is_refused_at_the_field(user_client, typed):
    response = user_client.post(reverse("own_food_create"), label(potassium=typed))

    assert 'id="id_potassium_error"' in response.content.decode()
    assert not Food.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored_per_100_g"),
    [
        ("400 IU", "25"),
        ("400 iu", "25"),
        ("400IU", "25"),
        ("10", "25"),
        ("10 µg", "25"),
        ("10 mcg", "25"),
    ],
)
def test_vitamin_d_is_taken_in_micrograms_or_international_units(
    user_client, typed, stored_per_100_g
):
    # 400 IU = 10 µg (40 IU per µg) in a 40 g serving: 25 µg per 100 g.
    user_client.post(reverse("own_food_create"), label(vitamin_d=typed))

    assert amounts(Food.objects.get()) == {VITAMIN_D: Decimal(stored_per_100_g)}


# --- Deleting a food -------------------------------------------------------------------


def delete_url(food: Food) -> str:
    return reverse("own_food_delete", kwargs={"pk": food.pk})


def test_deleting_a_food_without_entries_removes_it(user_client, user):
    food = make_own_food(user, per_100_g={POTASSIUM: "500"})

    response = user_client.post(delete_url(food), follow=True)

    assert not Food.objects.exists()
    assert not FoodNutrient.objects.exists() and not Portion.objects.exists()
    assert "Deleted “Peanut bar”." in response.content.decode()


def test_deleting_a_food_with_entries_hides_it_from_search_and_keeps_it_for_them(user_client, user):
    import datetime as dt

    from tracker.models import Entry, Meal

    food = make_own_food(user, per_100_g={POTASSIUM: "500"})
    meal = Meal.objects.create(user=user, day=dt.date(2026, 11, 22), slot="lunch")
    Entry.objects.create(meal=meal, food=food, grams=40, quantity=40)
    listed = user_client.get(reverse("own_foods")).content.decode()

    response = user_client.post(delete_url(food), follow=True)

    content = response.content.decode()
    assert "In 1 diary entry: deleting it takes it out of search" in listed
    assert "stays in the 1 diary entry that use it" in content
    assert "Peanut bar" not in content.split("</h1>")[1].split("site-footer")[0].replace(
        "“Peanut bar”", ""
    )
    assert Food.objects.get().hidden is True
    search = user_client.get(
        reverse("tracker:day", kwargs={"day": dt.date(2026, 11, 22)}), {"q": "peanut"}
    )
    assert search.context["results"] == []
    # The day still adds up with it: 500 mg per 100 g × 40 g.
    day = user_client.get(reverse("tracker:day", kwargs={"day": dt.date(2026, 11, 22)}))
    assert 'data-testid="total-potassium">200 mg<' in day.content.decode()
    assert user_client.get(edit_url(food)).status_code == 404
    assert user_client.post(delete_url(food)).status_code == 404


def test_deleting_another_users_or_a_shared_food_is_404(user_client, other_user):
    theirs = make_own_food(other_user)
    shared = Food.objects.create(description="Bananas, raw", source=Food.Source.SEED)

    assert user_client.post(delete_url(theirs)).status_code == 404
    assert user_client.post(delete_url(shared)).status_code == 404
    assert Food.objects.count() == 2


def test_deleting_needs_a_post(user_client, user):
    food = make_own_food(user)

    assert user_client.get(delete_url(food)).status_code == 405
    assert Food.objects.exists()
