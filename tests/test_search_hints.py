"""Search beyond plain prefixes: synonyms, typos, everyday foods first, barcodes, odd input.

Each test builds the few foods it needs; tests/test_search_quality.py runs the same
search against the whole shipped table.
"""

import pytest
from django.core.exceptions import ValidationError

from nutrients.models import EverydayFood, Food, SearchWord, Synonym
from nutrients.search import barcode_forms, edit_distance, plan_search, term_key

pytestmark = pytest.mark.django_db


def food(description: str, source: str = Food.Source.FDC, **fields) -> Food:
    return Food.objects.create(description=description, source=source, **fields)


def found(query: str, user=None, **options) -> list[str]:
    foods = Food.objects.visible_to(user).search(query, **options)
    return [f.description for f in foods[:20]]


def everyday(made: Food, rank: int, terms: str = "") -> EverydayFood:
    """On the everyday list, as load_foods puts it there."""
    Food.objects.filter(pk=made.pk).update(everyday_rank=rank)
    return EverydayFood.objects.create(
        food=made, rank=rank, terms=terms, serving="1 cup", serving_grams=100, kind="test"
    )


# --- Synonyms ---------------------------------------------------------------------------


def test_a_synonym_finds_what_it_means():
    food("Squash, summer, zucchini, includes skin, raw")
    Synonym.objects.create(term="courgette", means="zucchini")

    assert found("courgette") == ["Squash, summer, zucchini, includes skin, raw"]
    assert found("Courgettes") == ["Squash, summer, zucchini, includes skin, raw"]


def test_a_synonym_keeps_the_word_as_typed_and_combines_with_other_words():
    food("Yogurt, plain, low fat")
    food("Yoghurt bar, homemade")
    food("Yogurt, Greek, plain, nonfat")
    Synonym.objects.create(term="yoghurt", means="yogurt")

    assert sorted(found("yoghurt")) == [
        "Yoghurt bar, homemade",
        "Yogurt, Greek, plain, nonfat",
        "Yogurt, plain, low fat",
    ]
    assert found("greek yoghurt") == ["Yogurt, Greek, plain, nonfat"]


def test_a_synonym_of_several_words_means_several_words():
    food("Beef, ground, 85% lean meat / 15% fat, raw")
    food("Beef, chuck, raw")
    Synonym.objects.create(term="minced beef", means="beef ground")

    assert found("minced beef") == ["Beef, ground, 85% lean meat / 15% fat, raw"]


def test_a_synonym_term_is_unique_however_it_is_written():
    Synonym.objects.create(term="Prawn", means="shrimp")

    with pytest.raises(ValidationError):
        Synonym(term="prawns", means="shrimp").full_clean()
    with pytest.raises(ValidationError):
        Synonym(term="%%", means="shrimp").full_clean()


# --- Typos ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("bananna", "Bananas, raw"),
        ("brocoli", "Broccoli, raw"),
        ("spinnach", "Spinach, raw"),
        ("avacado", "Avocados, raw, all commercial varieties"),
        ("strawbery", "Strawberries, raw"),
    ],
)
def test_a_word_with_a_typo_or_two_finds_the_food(typed, meant):
    for description in (
        "Bananas, raw",
        "Broccoli, raw",
        "Spinach, raw",
        "Avocados, raw, all commercial varieties",
        "Strawberries, raw",
        "Bread, rye",
    ):
        food(description)
    SearchWord.objects.rebuild()

    assert found(typed)[0] == meant


def test_a_word_that_starts_a_known_word_is_not_corrected():
    food("Broccoli, raw")
    food("Brocade cake, made up")
    SearchWord.objects.rebuild()

    assert sorted(found("broc")) == ["Brocade cake, made up", "Broccoli, raw"]


def test_short_words_and_far_words_are_not_corrected():
    food("Peas, green, raw")
    food("Bananas, raw")
    SearchWord.objects.rebuild()

    assert found("pez") == []
    assert found("bnnnaxx") == []


def test_a_users_own_food_with_a_word_the_table_lacks_is_still_found(user):
    food("Bananas, raw")
    SearchWord.objects.rebuild()
    Food.objects.create(description="Bananna bread, grandma's", source="user", owner=user)

    assert found("bananna", user) == ["Bananna bread, grandma's", "Bananas, raw"]


def test_edit_distance_counts_a_swap_of_neighbours_as_one():
    assert edit_distance("spinach", "spinahc", 2) == 1
    assert edit_distance("banana", "bananna", 2) == 1
    assert edit_distance("broccoli", "brocoli", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2  # stops past the limit


def test_plan_search_keeps_the_typed_word_beside_its_corrections():
    plan = plan_search(["bananna"], [], [], {"banana": 3, "bananas": 1, "bread": 9})

    assert plan.groups == [[["bananna"], ["banana"], ["bananas"]]]


# --- Everyday foods first ---------------------------------------------------------------


def test_the_everyday_food_a_query_names_comes_first():
    food("Beverages, coffee, brewed, prepared with tap water")
    food("SILK Coffee, soymilk")
    food("Coffeecake, cheese")
    brewed = Food.objects.get(description__startswith="Beverages, coffee")
    everyday(brewed, 1, "coffee")

    assert found("coffee")[0] == "Beverages, coffee, brewed, prepared with tap water"


def test_a_term_finds_its_food_even_without_the_word_in_its_description():
    oats = food("Cereals, oats, regular and quick, cooked with water")
    food("Bread, oatmeal")
    everyday(oats, 1, "oatmeal;porridge")

    assert found("oatmeal") == [
        "Cereals, oats, regular and quick, cooked with water",
        "Bread, oatmeal",
    ]
    assert found("porridge") == ["Cereals, oats, regular and quick, cooked with water"]


def test_everyday_foods_come_before_others_in_list_order():
    food("Egg, yolk, raw, fresh")
    food("Egg, white, raw, fresh")
    whole = food("Egg, whole, raw, fresh")
    boiled = food("Egg, whole, cooked, hard-boiled")
    everyday(whole, 1)
    everyday(boiled, 2)

    assert found("egg") == [
        "Egg, whole, raw, fresh",
        "Egg, whole, cooked, hard-boiled",
        "Egg, yolk, raw, fresh",  # shorter first, as before
        "Egg, white, raw, fresh",
    ]


def test_the_users_recent_and_own_foods_come_before_everyday_ones(user):
    whole = food("Milk, whole")
    food("Milk, chocolate")
    skim = food("Milk, nonfat")
    everyday(whole, 1, "milk")
    own = Food.objects.create(description="Milk, my goat's", source="user", owner=user)

    results = found("milk", user, preferred_food_ids=[skim.pk])
    assert sorted(results[:2]) == ["Milk, my goat's", "Milk, nonfat"]
    assert results[2:] == ["Milk, whole", "Milk, chocolate"]
    assert own.pk  # only alice sees it
    assert "Milk, my goat's" not in found("milk")


def test_foods_logged_more_across_the_site_come_first_among_the_rest():
    food("Kale, raw")
    food("Kale, frozen, cooked", times_logged=7)

    assert found("kale") == ["Kale, frozen, cooked", "Kale, raw"]


def test_search_rank_is_the_same_from_python_and_from_sql():
    made = [
        food("Spinach, raw"),
        food("Spinach, cooked, boiled, drained, without salt", source=Food.Source.SEED),
        food("Kale, frozen", times_logged=12),
        food("Rawhide chew, made up"),
        food("x" * 255),
    ]
    saved = {f.pk: f.search_rank for f in made}
    Food.objects.update(search_rank=0)

    Food.objects.refresh_search_rank()

    assert dict(Food.objects.values_list("pk", "search_rank")) == saved
    assert len(set(saved.values())) == len(saved)


def test_refresh_times_logged_counts_diary_entries(user):
    from tracker.models import Entry, Meal

    kale = food("Kale, raw")
    stale = food("Kale, frozen", times_logged=3)
    meal = Meal.objects.create(user=user, day="2026-11-20", slot="lunch")
    for _ in range(2):
        Entry.objects.create(meal=meal, food=kale, grams=50, quantity=50, unit="g")

    assert Food.objects.refresh_times_logged() == 2
    kale.refresh_from_db()
    stale.refresh_from_db()
    assert (kale.times_logged, stale.times_logged) == (2, 0)
    assert kale.search_rank < stale.search_rank  # search puts it first


# --- Barcodes ---------------------------------------------------------------------------


def test_a_barcode_typed_or_pasted_finds_the_branded_food():
    food("SUNNY VALLEY almond milk", data_type="branded_food", gtin="012345678905")
    food("Almond milk, other", data_type="branded_food", gtin="098765432109")

    assert found("012345678905") == ["SUNNY VALLEY almond milk"]
    assert found(" 0 12345 67890 5 ") == ["SUNNY VALLEY almond milk"]
    # The same product as EAN-13 and GTIN-14: leading zeros differ.
    assert found("0012345678905") == ["SUNNY VALLEY almond milk"]
    assert found("00012345678905") == ["SUNNY VALLEY almond milk"]
    assert found("012345678906") == []


def test_barcode_forms_differ_only_in_leading_zeros():
    assert barcode_forms("012345678905") == [
        "00012345678905",
        "0012345678905",
        "012345678905",
    ]


# --- Odd input --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["100%", "%%", "_", "__", "\\", "\\%", "'", '"', "' OR 1=1 --"])
def test_wildcards_backslashes_and_quotes_match_only_literally(query):
    food("Milk, reduced fat, fluid, 2% milkfat")
    food("Bananas, raw")
    SearchWord.objects.rebuild()
    Synonym.objects.create(term="mayo", means="mayonnaise")

    assert found(query) == []


def test_a_long_query_is_cut_not_refused():
    food("Bananas, raw")
    SearchWord.objects.rebuild()

    assert found("banana " * 1000) == ["Bananas, raw"]
    assert found("b" * 5000) == []


def test_term_key_folds_plurals_case_and_accents():
    assert term_key("Prawns") == "prawn"
    assert term_key("  Crème  Fraîches ") == "creme fraiche"


def test_search_takes_four_queries_with_typos_synonyms_and_terms(django_assert_num_queries):
    oats = food("Cereals, oats, cooked")
    food("Bananas, raw")
    everyday(oats, 1, "porridge")
    Synonym.objects.create(term="porridge", means="oats")
    SearchWord.objects.rebuild()

    # The hints, the generic foods, the branded ones to fill the page, the foods (none
    # to fetch when nothing matched).
    for query in ("bananna", "porridge", "banana"):
        with django_assert_num_queries(4):
            found(query)
    with django_assert_num_queries(3):
        found("bananna porridge extra words here")
    # One more for the user's recent branded foods; one less when generic foods fill it.
    with django_assert_num_queries(4):
        list(Food.objects.search("banana", preferred_food_ids=[oats.pk], limit=1))


# --- Branded products -------------------------------------------------------------------


def branded(description: str, **fields) -> Food:
    return food(description, data_type="branded_food", **fields)


def test_generic_foods_come_before_branded_ones_which_fill_the_page():
    branded("ALMONDS, ROASTED")
    food("Nuts, almonds")
    branded("SUNNY VALLEY almonds")

    assert found("almonds") == ["Nuts, almonds", "ALMONDS, ROASTED", "SUNNY VALLEY almonds"]


def test_a_branded_food_the_user_logged_lately_comes_first(user):
    logged = branded("SUNNY VALLEY almonds")
    food("Nuts, almonds")

    results = found("almonds", user, preferred_food_ids=[logged.pk])

    assert results == ["SUNNY VALLEY almonds", "Nuts, almonds"]


def test_branded_foods_are_taken_by_search_rank_to_fill_the_limit():
    for number in range(5):
        branded(f"BRAND {number} almonds" + " extra" * number)
    popular = branded("BRAND Z almonds, the longest name of them all")
    Food.objects.filter(pk=popular.pk).update(times_logged=50)
    Food.objects.filter(pk=popular.pk).refresh_search_rank()

    results = [f.description for f in Food.objects.search("almonds", limit=2)]

    assert results == ["BRAND Z almonds, the longest name of them all", "BRAND 0 almonds"]
