"""Odd input in every form and in the JSON API: never a server error, never half a change.

Hypothesis fills each form with a valid example, some of whose fields it replaces by odd
values: NUL and other control characters, right-to-left marks, emoji, digits of other
scripts, huge and negative numbers, NaN and Infinity, blanks, 10,000 characters,
impossible dates, or nothing at all. Whatever comes in, the answer is below 500; and it
is either accepted (the change made, whole) or refused (the page says what is wrong and
the database is exactly as before).
"""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from nutrients.models import Portion
from tracker.models import ApiToken, Entry

DAY = date(2026, 11, 22)


def add_url() -> str:
    return reverse("tracker:add_entry", kwargs={"day": DAY})


# --- Bugs odd input found: each kept as a plain example ------------------------------


@pytest.mark.parametrize("food_id", ["²", "9" * 5000])
def test_picking_a_food_by_an_id_that_is_no_number_is_404(user_client, foods, food_id):
    response = user_client.get(reverse("tracker:day", kwargs={"day": DAY}), {"food": food_id})

    assert response.status_code == 404


@pytest.mark.parametrize("food_id", ["²", "9" * 5000])
def test_adding_a_food_whose_id_is_no_number_says_so_and_adds_nothing(user_client, foods, food_id):
    response = user_client.post(
        add_url(), {"food": food_id, "quantity": "1", "unit": "g", "slot": "lunch"}
    )

    assert response.status_code == 200
    assert "That food is not in your food list." in response.content.decode()
    assert not Entry.objects.exists()


@pytest.fixture
def pinch(foods) -> Portion:
    """A portion lighter than half of 0.01 g… times 0.01 of it rounds to 0.00 g."""
    return Portion.objects.create(food=foods["almonds"], seq=2, description="1 pinch", grams="0.4")


def test_an_amount_that_weighs_less_than_001_g_is_refused(user_client, foods, pinch):
    response = user_client.post(
        add_url(), {"food": pinch.food_id, "quantity": "0.01", "unit": pinch.pk, "slot": "lunch"}
    )

    assert response.status_code == 200
    assert "less than 0.01 g" in response.content.decode()
    assert not Entry.objects.exists()


def test_the_api_refuses_an_amount_that_weighs_less_than_001_g(user, foods, pinch):
    _, raw_token = ApiToken.create_for(user, "phone")
    body = {"date": "2026-11-22", "food": pinch.food_id, "portion": pinch.pk, "count": 0.01}

    response = Client().post(
        "/api/entries/",
        json.dumps({**body, "meal": "lunch"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw_token}"},
    )

    assert response.status_code == 422
    assert "less than 0.01 g" in response.json()["errors"]["count"][0]
    assert not Entry.objects.exists()
