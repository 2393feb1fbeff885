"""Food search: Food.objects.visible_to(user).search(query), best match first."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from nutrients.models import Food, singular_prefix
from tests.conftest import SR_LEGACY

pytestmark = pytest.mark.django_db


def food(description: str, source: str = Food.Source.FDC, **fields) -> Food:
    return Food.objects.create(description=description, source=source, **fields)


def found(query: str, user=None) -> list[str]:
    return [f.description for f in Food.objects.visible_to(user).search(query)[:20]]


def test_a_word_prefix_finds_the_food():
    food("Bananas, raw")

    assert found("banan") == ["Bananas, raw"]


def test_a_query_must_start_a_word_not_sit_inside_one():
    food("Bananas, raw")

    assert found("anana") == []


def test_words_match_in_any_order():
    food("Spinach, raw")

    assert found("raw spinach") == ["Spinach, raw"]
    assert found("spin ra") == ["Spinach, raw"]


def test_case_and_accents_are_ignored_both_ways():
    food("Crème fraîche")
    food("Creme brulee")

    assert found("CRÈME FRAÎCHE") == ["Crème fraîche"]
    assert found("creme fraiche") == ["Crème fraîche"]
    assert sorted(found("crème")) == ["Creme brulee", "Crème fraîche"]


def test_every_word_must_match():
    food("Bananas, raw")
    food("Banana chips")

    assert found("banana chips") == ["Banana chips"]
    assert found("banana kiwi") == []


def test_punctuation_in_the_query_is_ignored():
    food("Milk, reduced fat, fluid, 2% milkfat")

    assert found("milk, 2%") == ["Milk, reduced fat, fluid, 2% milkfat"]


@pytest.mark.parametrize("query", ["", "   ", ",;-", "%", "_"])
def test_an_empty_query_finds_nothing(query):
    food("Bananas, raw")

    assert found(query) == []


def test_a_plural_query_finds_the_singular():
    food("Fish, sardine, Atlantic, canned in oil, drained solids with bone")
    food("Nuts, cashew nuts, raw")
    food("Tomato powder")

    assert found("sardines") == ["Fish, sardine, Atlantic, canned in oil, drained solids with bone"]
    assert found("cashews") == ["Nuts, cashew nuts, raw"]
    assert found("tomatoes") == ["Tomato powder"]


@pytest.mark.parametrize(
    ("word", "prefix"),
    [
        ("sardines", "sardine"),
        ("potatoes", "potato"),
        ("oats", "oat"),
        ("peas", "pea"),
        ("cookies", "cookies"),
        ("hummus", "hummus"),
        ("swiss", "swiss"),
        ("gas", "gas"),
        ("banana", "banana"),
    ],
)
def test_singular_prefix_only_shortens_plain_plurals(word, prefix):
    assert singular_prefix(word) == prefix


def test_foods_holding_the_words_as_typed_come_before_singular_matches():
    food("Oil, almond")
    food("Nuts, almonds")

    assert found("almonds") == ["Nuts, almonds", "Oil, almond"]
    assert found("almond") == ["Oil, almond", "Nuts, almonds"]


def test_seed_foods_come_before_imported_ones():
    food("Milk, chocolate, fluid, commercial, whole")
    food("Milk, whole, 3.25% milkfat, with added vitamin D", source=Food.Source.SEED)
    food("Milk, reduced fat, fluid, 2% milkfat", source=Food.Source.SEED)

    assert found("milk") == [
        "Milk, reduced fat, fluid, 2% milkfat",
        "Milk, whole, 3.25% milkfat, with added vitamin D",
        "Milk, chocolate, fluid, commercial, whole",
    ]


def test_foods_starting_with_the_first_word_come_before_foods_that_only_contain_it():
    food("Pepper, banana, raw")
    food("Bananas, dehydrated, or banana powder")

    assert found("banana") == ["Bananas, dehydrated, or banana powder", "Pepper, banana, raw"]


def test_the_whole_first_word_comes_before_a_longer_word_it_starts():
    food("Salmonberries, raw (Alaska Native)")
    food("Salmon, sockeye, canned, drained solids, with bone")

    assert found("salmon") == [
        "Salmon, sockeye, canned, drained solids, with bone",
        "Salmonberries, raw (Alaska Native)",
    ]


def test_raw_foods_come_before_prepared_ones():
    food("Spinach, cooked")
    food("Spinach, raw, baby leaves, washed and trimmed")

    assert found("spinach") == ["Spinach, raw, baby leaves, washed and trimmed", "Spinach, cooked"]


def test_raw_counts_only_as_a_whole_word():
    food("Beef, rawhide style chew")
    food("Beef, aged")

    assert found("beef") == ["Beef, aged", "Beef, rawhide style chew"]


def test_shorter_descriptions_come_before_longer_ones_then_alphabetical():
    food("Kale, frozen, cooked, boiled, drained, without salt")
    food("Kale, frozen, unprepared")
    food("Kale, cooked, boiled")
    food("Kale, chopped, frozen")

    assert found("kale") == [
        "Kale, cooked, boiled",
        "Kale, chopped, frozen",
        "Kale, frozen, unprepared",
        "Kale, frozen, cooked, boiled, drained, without salt",
    ]


def test_typical_ranking_among_imported_and_seed_foods():
    food("Bananas, raw")
    food("Snacks, banana chips")
    food("Babyfood, fruit, bananas with tapioca, strained")
    food("Nuts, almonds")
    food("Candies, milk chocolate, with almonds")
    food("Nuts, almonds, honey roasted, unblanched")
    food("Spinach souffle")
    food("Spinach, cooked, boiled, drained, without salt")
    food("Spinach, raw", source=Food.Source.SEED)

    assert found("banana")[0] == "Bananas, raw"
    assert found("almonds")[0] == "Nuts, almonds"
    assert found("spinach")[0] == "Spinach, raw"
    assert found("almond choc") == ["Candies, milk chocolate, with almonds"]


def test_a_users_own_food_is_found_by_its_owner_and_ranked_with_seed_foods(user):
    food("Yogurt, plain, low fat")
    food("Yogurt, greek, my favourite brand", source=Food.Source.USER, owner=user)

    assert found("yogurt", user) == ["Yogurt, greek, my favourite brand", "Yogurt, plain, low fat"]


def test_a_users_own_food_is_invisible_to_other_users_and_to_visitors(user, other_user):
    food("Yogurt, plain, low fat")
    food("Yogurt, greek, my favourite brand", source=Food.Source.USER, owner=user)

    assert found("yogurt", other_user) == ["Yogurt, plain, low fat"]
    assert found("yogurt", AnonymousUser()) == ["Yogurt, plain, low fat"]
    assert found("yogurt", None) == ["Yogurt, plain, low fat"]


def test_search_returns_a_queryset_the_caller_can_page():
    for number in range(30):
        food(f"Crackers, variety {number:02d}")

    results = Food.objects.visible_to(None).search("crackers")

    assert results.count() == 30
    assert [f.description for f in results[:3]] == [
        "Crackers, variety 00",
        "Crackers, variety 01",
        "Crackers, variety 02",
    ]
    assert len(results[20:40]) == 10


@pytest.mark.slow
@pytest.mark.skipif(not SR_LEGACY.is_dir(), reason=f"no SR Legacy folder at {SR_LEGACY}")
def test_typical_queries_on_the_whole_sr_legacy_table(user):
    call_command("import_fdc", SR_LEGACY, verbosity=0)
    assert Food.objects.count() > 7000

    first_results = {
        "banana": "Bananas, raw",
        "bananas": "Bananas, raw",
        "almonds": "Nuts, almonds",
        "spinach": "Spinach, raw",
        "spinach raw": "Spinach, raw",
        "raw spinach": "Spinach, raw",
        "kale": "Kale, raw",
        "broccoli": "Broccoli, raw",
        "lentils": "Lentils, raw",
        "figs": "Figs, raw",
        "collards": "Collards, raw",
        "oat bran": "Oat bran, raw",
        "wheat bran": "Wheat bran, crude",
        "cashews": "Nuts, cashew nuts, raw",
    }
    for query, first in first_results.items():
        assert found(query, user)[:1] == [first], query

    assert "Fish, sardine, Atlantic, canned in oil, drained solids with bone" in found("sardines")
    assert "Tofu, raw, firm, prepared with calcium sulfate" in found("tofu")[:3]
    assert "Nuts, almonds" in found("almond")[:3]
    milks = found("milk")
    assert all(d.startswith("Milk") for d in milks[:10]), milks
