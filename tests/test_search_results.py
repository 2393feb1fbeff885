"""The diary's search results: "More results", the user's recent foods first, few queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.models import Food
from tracker.models import Entry, Meal

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)
FRAGMENT = {"HX-Request": "true", "HX-Target": "search-results"}


def day_url() -> str:
    return reverse("tracker:day", args=[DAY])


@pytest.fixture
def cheeses() -> list[Food]:
    """45 cheeses, named so that they sort 00 to 44."""
    return [
        Food.objects.create(description=f"Cheese, kind {number:02d}", source="fdc")
        for number in range(45)
    ]


def results(response) -> list[str]:
    """The foods listed, as the page shows them."""
    return re.findall(r'<a class="result"[^>]*>([^<]*)</a>', response.content.decode())


def test_twenty_foods_then_a_more_results_link(user_client, cheeses):
    response = user_client.get(day_url(), {"q": "cheese"}, headers=FRAGMENT)

    assert results(response) == [f"Cheese, kind {n:02d}" for n in range(20)]
    content = response.content.decode()
    assert "More results" in content
    assert f'href="{day_url()}?q=cheese&amp;page=2"' in content


def test_more_results_shows_the_next_twenty_and_focuses_the_first_new_one(user_client, cheeses):
    response = user_client.get(day_url(), {"q": "cheese", "page": "2"}, headers=FRAGMENT)

    assert results(response) == [f"Cheese, kind {n:02d}" for n in range(40)]
    content = response.content.decode()
    assert content.count(" autofocus") == 1
    assert content.index(" autofocus") > content.index("Cheese, kind 19")
    assert content.index(" autofocus") < content.index("Cheese, kind 20")
    assert "page=3" in content


def test_the_last_page_has_no_more_link(user_client, cheeses):
    response = user_client.get(day_url(), {"q": "cheese", "page": "3"}, headers=FRAGMENT)

    assert len(results(response)) == 45
    assert "More results" not in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "²", "99999999999999999999", "11"])
def test_an_odd_page_number_is_the_first_page(user_client, cheeses, page):
    response = user_client.get(day_url(), {"q": "cheese", "page": page}, headers=FRAGMENT)

    assert response.status_code == 200
    assert len(results(response)) == 20


def test_more_results_works_without_javascript(user_client, cheeses):
    response = user_client.get(day_url(), {"q": "cheese", "page": "2"})

    assert "<html" in response.content.decode()
    assert len(results(response)) == 40


def test_the_users_recent_foods_come_first(user_client, user, cheeses):
    meal = Meal.objects.create(user=user, day=DAY, slot=Meal.Slot.LUNCH)
    Entry.objects.create(
        meal=meal, food=cheeses[44], grams=Decimal(30), quantity=Decimal(30), unit="g"
    )

    response = user_client.get(day_url(), {"q": "cheese"}, headers=FRAGMENT)

    assert results(response)[0] == "Cheese, kind 44"


def test_another_users_recent_foods_do_not_move_mine(user_client, other_user, cheeses):
    meal = Meal.objects.create(user=other_user, day=DAY, slot=Meal.Slot.LUNCH)
    Entry.objects.create(
        meal=meal, food=cheeses[44], grams=Decimal(30), quantity=Decimal(30), unit="g"
    )

    response = user_client.get(day_url(), {"q": "cheese"}, headers=FRAGMENT)

    assert results(response)[0] == "Cheese, kind 00"


def test_the_search_fragment_takes_four_queries_beside_the_session_and_user(
    user_client, cheeses, django_assert_num_queries
):
    user_client.get(day_url(), {"q": "cheese"}, headers=FRAGMENT)  # warm up

    # The session read with the user and their profile, then the search's hints, generic
    # foods, recent branded foods and the foods themselves: 45 generic cheeses fill the
    # page, so no branded ones are looked for.
    with django_assert_num_queries(5):
        response = user_client.get(day_url(), {"q": "chese kind"}, headers=FRAGMENT)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "query", ["%", "_", "\\", "'", '"', "50%", "a_b", "x" * 5000, "0" * 13, "😀😀"]
)
def test_odd_queries_answer_without_an_error(user_client, cheeses, query):
    response = user_client.get(day_url(), {"q": query}, headers=FRAGMENT)

    assert response.status_code == 200
    assert results(response) == []
