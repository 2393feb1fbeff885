"""Saved meals: save a day's meal, log it into any day's meal in one step and once,
rename it, take a food out, delete it; only its owner sees it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_diary import oob_parts
from tracker.models import DayNutrientTotal, Entry, Meal, SavedMeal

DAY = dt.date(2026, 11, 22)
NEXT_DAY = DAY + dt.timedelta(days=1)
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def lunch(user, foods):
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    medium = foods["banana"].portions.get(description__startswith="1 medium")
    Entry.objects.create(
        meal=meal,
        food=foods["banana"],
        grams=118,
        quantity=1,
        portion=medium,
        unit=medium.description,
    )
    Entry.objects.create(meal=meal, food=foods["almonds"], grams=30, quantity=30)
    return meal


@pytest.fixture
def saved(user_client, lunch) -> SavedMeal:
    user_client.post(
        reverse("tracker:save_meal", kwargs={"day": DAY, "slot": "lunch"}),
        {"name": "My usual lunch", "as": "meal"},
    )
    return SavedMeal.objects.get()


def log_url(saved: SavedMeal) -> str:
    return reverse("saved_meal_log", kwargs={"pk": saved.pk})


def test_saving_a_meal_keeps_its_foods_and_amounts(saved, foods):
    rows = list(saved.items.values_list("food_id", "grams", "quantity", "unit"))
    medium = foods["banana"].portions.get(description__startswith="1 medium")
    assert saved.name == "My usual lunch"
    assert rows == [
        (foods["banana"].pk, Decimal("118.00"), Decimal("1.00"), medium.description),
        (foods["almonds"].pk, Decimal("30.00"), Decimal("30.00"), "g"),
    ]


def test_saving_an_empty_meal_or_without_a_name_saves_nothing(user_client, lunch):
    url = reverse("tracker:save_meal", kwargs={"day": DAY, "slot": "dinner"})
    user_client.post(url, {"name": "Nothing", "as": "meal"})
    url = reverse("tracker:save_meal", kwargs={"day": DAY, "slot": "lunch"})
    response = user_client.post(url, {"name": "  ", "as": "meal"}, follow=True)

    assert "Give the meal a name" in response.content.decode()
    assert not SavedMeal.objects.exists()


def test_logging_a_saved_meal_adds_each_food_to_the_chosen_meal_of_any_day(
    user_client, user, saved, foods
):
    response = user_client.post(
        log_url(saved), {"day": NEXT_DAY.isoformat(), "slot": "dinner", "once": KEY}
    )

    assert response.status_code == 302
    entries = Entry.objects.filter(meal__day=NEXT_DAY)
    assert sorted(entries.values_list("meal__slot", "food_id", "grams")) == sorted(
        [
            ("dinner", foods["banana"].pk, Decimal("118.00")),
            ("dinner", foods["almonds"].pk, Decimal("30.00")),
        ]
    )
    potassium = DayNutrientTotal.objects.get(user=user, day=NEXT_DAY, nutrient_id=1092).amount
    assert potassium == Decimal("118") * 358 / 100 + Decimal(30) * 733 / 100


def test_a_saved_meal_sent_twice_with_one_key_is_logged_once(user_client, saved):
    data = {"day": NEXT_DAY.isoformat(), "slot": "breakfast", "once": KEY}
    user_client.post(log_url(saved), data)
    response = user_client.post(log_url(saved), data, follow=True)

    assert Entry.objects.filter(meal__day=NEXT_DAY).count() == 2
    assert "saved once" in response.content.decode()


def test_logging_from_the_day_page_answers_htmx_with_the_day(user_client, saved):
    day_page = user_client.get(reverse("tracker:day", kwargs={"day": NEXT_DAY})).content.decode()
    assert "My usual lunch" in day_page and log_url(saved) in day_page

    response = user_client.post(
        log_url(saved),
        {"day": NEXT_DAY.isoformat(), "slot": "lunch", "next": "day"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert "meal-card-lunch" in oob_parts(content)  # the changed parts, not the page
    assert content.count("Bananas, raw") >= 1 and "<html" not in content
    assert Entry.objects.filter(meal__day=NEXT_DAY, meal__slot="lunch").count() == 2


def test_a_bad_day_logs_nothing_and_says_why(user_client, saved):
    response = user_client.post(log_url(saved), {"day": "2026-02-30", "slot": "lunch"})

    assert response.status_code == 200
    assert "Enter a date" in response.content.decode() or "date" in response.content.decode()
    assert Entry.objects.filter(meal__day__gt=DAY).count() == 0


def test_renaming_taking_a_food_out_and_deleting(user_client, saved, foods):
    user_client.post(reverse("saved_meal_rename", kwargs={"pk": saved.pk}), {"name": "Work lunch"})
    almonds = saved.items.get(food=foods["almonds"])
    user_client.post(
        reverse("saved_meal_item_delete", kwargs={"pk": saved.pk, "item_pk": almonds.pk})
    )

    saved.refresh_from_db()
    assert saved.name == "Work lunch" and saved.items.count() == 1
    page = user_client.get(reverse("saved_meals")).content.decode()
    assert "Work lunch" in page

    user_client.post(reverse("saved_meal_delete", kwargs={"pk": saved.pk}))
    assert not SavedMeal.objects.exists() and Entry.objects.count() == 2  # the day keeps its meal


def test_another_users_saved_meal_is_not_found(other_user, saved):
    client = Client()
    client.force_login(other_user)
    item = saved.items.first()
    urls = [
        log_url(saved),
        reverse("saved_meal_rename", kwargs={"pk": saved.pk}),
        reverse("saved_meal_delete", kwargs={"pk": saved.pk}),
        reverse("saved_meal_item_delete", kwargs={"pk": saved.pk, "item_pk": item.pk}),
    ]
    for url in urls:
        response = client.post(url, {"day": NEXT_DAY.isoformat(), "slot": "lunch", "name": "Mine"})
        assert response.status_code == 404, url
    assert "My usual lunch" not in client.get(reverse("saved_meals")).content.decode()
    assert SavedMeal.objects.get().name == "My usual lunch" and Entry.objects.count() == 2


@pytest.mark.parametrize("foods_in_meal", [2, 30])
def test_logging_a_saved_meal_runs_a_constant_number_of_queries(
    user_client, user, foods, foods_in_meal, django_assert_num_queries
):
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    for index in range(foods_in_meal):
        Entry.objects.create(meal=meal, food=foods["banana"], grams=10 + index, quantity=10 + index)
    user_client.post(
        reverse("tracker:save_meal", kwargs={"day": DAY, "slot": "lunch"}),
        {"name": "Big lunch", "as": "meal"},
    )
    saved = SavedMeal.objects.get()

    # The session with the user; the saved meal, its items; the key; the meal; the entries in one
    # insert; the day's totals (DayTotal.refresh, set-based); the revision; inside the
    # request's one transaction (tracker/page_cache.py).
    with django_assert_num_queries(14):
        user_client.post(
            log_url(saved), {"day": NEXT_DAY.isoformat(), "slot": "lunch", "once": KEY}
        )
    assert Entry.objects.filter(meal__day=NEXT_DAY).count() == foods_in_meal


def test_a_saved_meal_logged_into_a_meal_with_rows_appends_its_rows(user_client, saved):
    # Lunch on DAY shows the banana and the almonds the meal was saved from.
    response = user_client.post(
        log_url(saved),
        {"day": DAY.isoformat(), "slot": "lunch", "next": "day", "once": KEY},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    first, second, *added = Entry.objects.filter(meal__day=DAY).order_by("id")
    assert len(added) == 2
    assert "meal-card-lunch" not in oob_parts(content) and "meal-kcal-lunch" in oob_parts(content)
    appended = content[content.index('hx-swap-oob="beforeend:#meal-entries-lunch"') :]
    assert [f'id="entry-{entry.pk}"' in appended for entry in (first, second, *added)] == [
        False, False, True, True,
    ]  # fmt: skip
