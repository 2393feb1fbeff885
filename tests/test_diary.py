"""Logging meals on the day page: add, edit, delete, water, copy, recent foods, search."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from nutrients.models import Food, Portion
from tracker.models import DayTotal, Entry, Meal, describe_amount

DAY = dt.date(2026, 11, 22)
HTMX = {"HX-Request": "true"}


def oob_parts(html: str) -> set[str]:
    """The ids of the parts an htmx answer swaps into the page out of band."""
    return set(re.findall(r'<[a-z]+ [^>]*\bid="([^"]+)"[^>]*\bhx-swap-oob="true"', html))


def day_url(day=DAY):
    return reverse("tracker:day", kwargs={"day": day})


def add_url(day=DAY):
    return reverse("tracker:add_entry", kwargs={"day": day})


def portion(food, label_start):
    return food.portions.get(description__startswith=label_start)


def log(user, food, grams, slot="breakfast", day=DAY, **fields):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    fields.setdefault("quantity", grams)
    entry = Entry.objects.create(meal=meal, food=food, grams=grams, **fields)
    DayTotal.refresh(user, [day])
    return entry


def test_adding_one_medium_banana_logs_118_g_and_422_mg_potassium(user_client, user, foods):
    banana = foods["banana"]
    medium = portion(banana, "1 medium")

    response = user_client.post(
        add_url(), {"food": banana.pk, "quantity": "1", "unit": medium.pk, "slot": "breakfast"}
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.meal.user, entry.meal.day, entry.meal.slot) == (user, DAY, "breakfast")
    assert entry.grams == Decimal("118.00")
    assert entry.amount_as_entered == '1 medium (7" to 7-7/8" long)'
    page = user_client.get(day_url()).content.decode()
    assert "422 mg" in page  # 358 mg per 100 g × 118 g


def test_adding_by_grams_keeps_the_amount_as_typed(user_client, foods):
    user_client.post(
        add_url(), {"food": foods["almonds"].pk, "quantity": "28", "unit": "g", "slot": "snacks"}
    )

    entry = Entry.objects.get()
    assert entry.grams == Decimal("28.00")
    assert entry.amount_as_entered == "28 g"


def test_htmx_add_answers_with_the_parts_it_changed_showing_the_entry_and_new_totals(
    user_client, foods
):
    banana = foods["banana"]

    response = user_client.post(
        add_url(),
        {
            "food": banana.pk,
            "quantity": "2",
            "unit": portion(banana, "1 medium").pk,
            "slot": "lunch",
        },
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    # Not the whole day: each changed part, swapped into its place by id (day_page.py).
    assert 'id="day-body"' not in content
    assert oob_parts(content) == {
        "day-messages", "meal-in-use", "add-entry", "meal-card-lunch", "recent-foods", "day-totals"
    }  # fmt: skip
    assert "Bananas, raw" in content
    assert "845 mg" in content  # 358 × 2.36 = 844.88
    assert "Added Bananas, raw, 2 medium" in content


def entry_rows(html: str) -> dict[str, str]:
    """Each entry's row as drawn, by its id (each drawing masks the CSRF token anew)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    rows = re.findall(r'(<li class="entry" id="(entry-\d+)">.*?</li>)', html, re.S)
    return {row_id: row for row, row_id in rows}


def test_an_add_to_a_meal_with_rows_appends_the_row_a_fresh_page_shows(user_client, foods):
    banana = foods["banana"]
    data = {"food": banana.pk, "quantity": "1", "unit": portion(banana, "1 medium").pk}
    user_client.post(add_url(), {**data, "slot": "lunch"})  # without htmx: the whole page

    response = user_client.post(add_url(), {**data, "slot": "lunch"}, headers=HTMX)

    content = response.content.decode()
    first, second = Entry.objects.order_by("id")
    # Not the lunch card again: its energy, and the new row after the first.
    assert "meal-card-lunch" not in oob_parts(content)
    assert "meal-kcal-lunch" in oob_parts(content)
    appended = content[content.index('hx-swap-oob="beforeend:#meal-entries-lunch"') :]
    fresh = entry_rows(user_client.get(day_url()).content.decode())
    assert entry_rows(appended) == {f"entry-{second.pk}": fresh[f"entry-{second.pk}"]}
    assert f"entry-{first.pk}" in fresh
    kcal = re.search(r'id="meal-kcal-lunch"[^>]*>([^<]*)<', content).group(1)
    assert kcal.strip() == "210 kcal"  # 89 kcal per 100 g × 118 g, twice


@pytest.mark.parametrize(
    ("quantity", "unit", "message"),
    [
        ("0", "g", "greater than zero"),
        ("-5", "g", "greater than zero"),
        ("abc", "g", "Enter a number"),
        ("", "g", "Enter an amount"),
        ("5001", "g", "at most 5,000 g"),
        ("101", "portion", "at most 100 portions"),
        ("1e400", "g", "too large"),
        ("99999999999", "g", "too large"),
        ("2,5,5", "g", "Enter a number"),
        ("0.001", "g", "two decimal places"),
        ("NaN", "g", "Enter a number"),
    ],
)
def test_a_bad_amount_is_explained_at_the_field_and_logs_nothing(
    user_client, foods, quantity, unit, message
):
    banana = foods["banana"]
    unit_value = portion(banana, "1 medium").pk if unit == "portion" else unit

    response = user_client.post(
        add_url(), {"food": banana.pk, "quantity": quantity, "unit": unit_value, "slot": "lunch"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="id_quantity_error"' in response.content.decode()
    assert not Entry.objects.exists()
    assert not Meal.objects.exists()


def test_a_bad_amount_over_htmx_is_retargeted_to_the_form(user_client, foods):
    response = user_client.post(
        add_url(),
        {"food": foods["banana"].pk, "quantity": "0", "unit": "g", "slot": "lunch"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#entry-form"
    assert "greater than zero" in response.content.decode()


def test_a_portion_of_another_food_is_refused(user_client, foods):
    almond_portion = foods["almonds"].portions.first()

    response = user_client.post(
        add_url(),
        {"food": foods["banana"].pk, "quantity": "1", "unit": almond_portion.pk, "slot": "lunch"},
    )

    assert "Choose one of this food&#x27;s portions, or grams." in response.content.decode()
    assert not Entry.objects.exists()


def test_another_users_own_food_cannot_be_logged(user_client, other_user, foods):
    secret = Food.objects.create(description="Bob's shake", source="user", owner=other_user)

    response = user_client.post(
        add_url(), {"food": secret.pk, "quantity": "100", "unit": "g", "slot": "lunch"}
    )

    assert "not in your food list" in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.parametrize("owned_by_me", [True, False])
def test_an_own_food_with_portions_is_logged_by_its_owner_only(
    user_client, user, other_user, foods, owned_by_me
):
    # A food with portions is read with them in one statement built once per process
    # (EntryForm.food_and_portions): the owner it checks must be the one signed in.
    shake = Food.objects.create(
        description="Oat shake", source="user", owner=user if owned_by_me else other_user
    )
    glass = Portion.objects.create(food=shake, seq=1, description="1 glass", grams=Decimal(250))

    response = user_client.post(
        add_url(), {"food": shake.pk, "quantity": "1", "unit": glass.pk, "slot": "lunch"}
    )

    if owned_by_me:
        assert Entry.objects.get().grams == Decimal(250)
    else:
        assert "not in your food list" in response.content.decode()
        assert not Entry.objects.exists()


@pytest.mark.parametrize("day", ["2026-02-30", "1800-01-01"])
def test_adding_to_an_impossible_date_is_not_found(user_client, foods, day):
    response = user_client.post(
        f"/day/{day}/entries/",
        {"food": foods["banana"].pk, "quantity": "1", "unit": "g", "slot": "lunch"},
    )

    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_editing_an_entry_changes_its_amount_portion_and_meal(user_client, user, foods):
    banana = foods["banana"]
    medium = portion(banana, "1 medium")
    entry = log(user, banana, Decimal(118), portion=medium, quantity=1, unit=medium.description)

    response = user_client.post(
        reverse("tracker:edit_entry", args=[entry.pk]),
        {"quantity": "2", "unit": medium.pk, "slot": "dinner"},
        headers=HTMX,
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.grams == Decimal("236.00")
    assert entry.meal.slot == "dinner"
    assert "845 mg" in response.content.decode()


def test_the_edit_form_comes_filled_in(user_client, user, foods):
    medium = portion(foods["banana"], "1 medium")
    entry = log(user, foods["banana"], Decimal(118), portion=medium, quantity=1, unit="x")

    response = user_client.get(reverse("tracker:edit_entry", args=[entry.pk]), headers=HTMX)

    content = response.content.decode()
    assert f'id="edit-entry-{entry.pk}"' in content
    assert f'<option value="{medium.pk}" selected>' in content
    assert "<html" not in content


def test_an_edit_with_a_bad_amount_changes_nothing(user_client, user, foods):
    entry = log(user, foods["banana"], Decimal(100), unit="g")

    response = user_client.post(
        reverse("tracker:edit_entry", args=[entry.pk]),
        {"quantity": "-1", "unit": "g", "slot": "lunch"},
    )

    assert "greater than zero" in response.content.decode()
    entry.refresh_from_db()
    assert entry.grams == Decimal(100)


def test_deleting_an_entry_removes_it(user_client, user, foods):
    entry = log(user, foods["banana"], Decimal(100))

    response = user_client.post(reverse("tracker:delete_entry", args=[entry.pk]), headers=HTMX)

    assert response.status_code == 200
    assert "Removed" in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_entry_cannot_be_edited(user_client, other_user, foods, method):
    entry = log(other_user, foods["banana"], Decimal(100))

    response = getattr(user_client, method)(
        reverse("tracker:edit_entry", args=[entry.pk]),
        {"quantity": "1", "unit": "g", "slot": "lunch"},
    )

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.grams == Decimal(100)


def test_another_users_entry_cannot_be_deleted(user_client, other_user, foods):
    entry = log(other_user, foods["banana"], Decimal(100))

    response = user_client.post(reverse("tracker:delete_entry", args=[entry.pk]))

    assert response.status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_another_users_entries_are_not_on_my_day(user_client, other_user, foods):
    log(other_user, foods["almonds"], Decimal(100))

    content = user_client.get(day_url()).content.decode()

    assert "Nuts, almonds" not in content


def test_water_buttons_log_tap_water_in_millilitres(user_client, foods):
    response = user_client.post(
        reverse("tracker:add_water", kwargs={"day": DAY}), {"ml": "250"}, headers=HTMX
    )

    entry = Entry.objects.get()
    assert entry.food == foods["water"]
    assert entry.grams == Decimal(250)
    assert entry.amount_as_entered == "250 ml"
    assert "250 ml" in response.content.decode()


def test_water_from_food_and_drinks_adds_up(user_client, user, foods):
    log(user, foods["banana"], Decimal(100))
    log(user, foods["water"], Decimal(500), unit="ml")

    response = user_client.get(day_url())

    # A banana is 74.91% water; water logged as water counts in full.
    assert response.context["report"].water_ml == pytest.approx(Decimal("74.91") + 500)


def test_water_logged_to_the_target_meets_it_and_its_minerals_still_count(user_client, user, foods):
    for _ in range(9):
        user_client.post(reverse("tracker:add_water", kwargs={"day": DAY}), {"ml": "300"})

    report = user_client.get(day_url()).context["report"]
    page = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()

    assert report.water_ml == 2700
    assert report.factors.water_below_target is False
    assert "2,700 ml" in page
    calcium = next(line for line in report.minerals if line.status.mineral.key == "calcium")
    assert calcium.status.eaten_mg == pytest.approx(Decimal("81"))  # 3 mg per 100 g × 2,700 g


@pytest.mark.parametrize("ml", ["0", "-250", "5001", "lots", ""])
def test_a_bad_water_amount_is_explained_and_logs_nothing(user_client, foods, ml):
    response = user_client.post(reverse("tracker:add_water", kwargs={"day": DAY}), {"ml": ml})

    assert response.status_code == 200
    assert 'id="water_ml_error"' in response.content.decode()
    assert not Entry.objects.exists()


def test_copying_yesterdays_breakfast_copies_only_breakfast(user_client, user, foods):
    yesterday = DAY - dt.timedelta(days=1)
    log(user, foods["banana"], Decimal(118), slot="breakfast", day=yesterday)
    log(user, foods["almonds"], Decimal(28), slot="breakfast", day=yesterday)
    log(user, foods["almonds"], Decimal(50), slot="dinner", day=yesterday)

    response = user_client.post(
        reverse("tracker:copy", kwargs={"day": DAY}),
        {"from_day": yesterday.isoformat(), "slot": "breakfast"},
        headers=HTMX,
    )

    copied = Entry.objects.for_day(user, DAY)
    assert sorted(e.grams for e in copied) == [Decimal(28), Decimal(118)]
    assert {e.meal.slot for e in copied} == {"breakfast"}
    assert "Copied 2 entries" in response.content.decode()


def test_copying_a_whole_day_keeps_each_entrys_meal(user_client, user, other_user, foods):
    source = DAY - dt.timedelta(days=3)
    log(user, foods["banana"], Decimal(118), slot="breakfast", day=source)
    log(user, foods["almonds"], Decimal(50), slot="dinner", day=source)
    log(other_user, foods["almonds"], Decimal(999), slot="lunch", day=source)

    user_client.post(reverse("tracker:copy", kwargs={"day": DAY}), {"from_day": source.isoformat()})

    copied = Entry.objects.for_day(user, DAY)
    assert sorted((e.meal.slot, e.grams) for e in copied) == [
        ("breakfast", Decimal(118)),
        ("dinner", Decimal(50)),
    ]


def test_copying_the_same_meal_twice_skips_what_is_already_there_and_says_so(
    user_client, user, foods
):
    yesterday = DAY - dt.timedelta(days=1)
    log(user, foods["banana"], Decimal(118), slot="breakfast", day=yesterday)
    log(user, foods["almonds"], Decimal(28), slot="breakfast", day=yesterday)
    copy = {"from_day": yesterday.isoformat(), "slot": "breakfast"}
    url = reverse("tracker:copy", kwargs={"day": DAY})

    first = user_client.post(url, copy, headers=HTMX).content.decode()
    second = user_client.post(url, copy, headers=HTMX).content.decode()

    assert Entry.objects.for_day(user, DAY).count() == 2
    assert "Copied 2 entries from breakfast on Saturday 21 November." in first
    assert (
        "Nothing copied from breakfast on Saturday 21 November: all 2 entries are already here."
        in second
    )


def test_copying_onto_a_day_with_some_of_the_entries_copies_only_the_rest(user_client, user, foods):
    yesterday = DAY - dt.timedelta(days=1)
    log(user, foods["banana"], Decimal(118), slot="breakfast", day=yesterday)
    log(user, foods["banana"], Decimal(118), slot="breakfast", day=yesterday)  # two bananas
    log(user, foods["almonds"], Decimal(28), slot="dinner", day=yesterday)
    log(user, foods["banana"], Decimal(118), slot="breakfast", day=DAY)  # one is there
    log(user, foods["almonds"], Decimal(28), slot="lunch", day=DAY)  # another meal: not the same

    response = user_client.post(
        reverse("tracker:copy", kwargs={"day": DAY}),
        {"from_day": yesterday.isoformat()},
        headers=HTMX,
    )

    assert sorted((e.meal.slot, e.food_id) for e in Entry.objects.for_day(user, DAY)) == sorted(
        [("breakfast", foods["banana"].pk)] * 2
        + [("dinner", foods["almonds"].pk), ("lunch", foods["almonds"].pk)]
    )
    assert (
        "Copied 2 entries from Saturday 21 November; 1 entry already here was skipped."
        in response.content.decode()
    )


def test_copying_one_entry_says_entry_in_the_singular(user_client, user, foods):
    yesterday = DAY - dt.timedelta(days=1)
    log(user, foods["banana"], Decimal(118), slot="lunch", day=yesterday)

    response = user_client.post(
        reverse("tracker:copy", kwargs={"day": DAY}),
        {"from_day": yesterday.isoformat(), "slot": "lunch"},
        headers=HTMX,
    )

    assert "Copied 1 entry from lunch on Saturday 21 November." in response.content.decode()


def test_copying_from_an_empty_day_says_there_was_nothing(user_client, foods):
    response = user_client.post(
        reverse("tracker:copy", kwargs={"day": DAY}), {"from_day": "2026-11-01"}, follow=True
    )

    assert "Nothing to copy" in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("from_day", "message"),
    [
        (DAY.isoformat(), "another day"),
        ("not-a-date", "Enter a date"),
        ("1066-10-14", "between 1900"),
    ],
)
def test_a_bad_copy_source_is_explained(user_client, foods, from_day, message):
    response = user_client.post(
        reverse("tracker:copy", kwargs={"day": DAY}), {"from_day": from_day}
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_recent_foods_offer_the_last_amount_in_one_click(user_client, user, foods):
    medium = portion(foods["banana"], "1 medium")
    log(
        user,
        foods["banana"],
        Decimal(118),
        portion=medium,
        quantity=1,
        unit=medium.description,
        day=DAY - dt.timedelta(days=1),
    )

    response = user_client.get(day_url())

    recent = response.context["recent"]
    assert [entry.food for entry in recent] == [foods["banana"]]
    button = response.content.decode().split(f'name="entry" value="{recent[0].pk}"')[1]
    button = button.split("</button>")[0]
    # The usual portion and what it adds, as the entry itself would show them.
    assert '1 medium (7" to 7-7/8" long)' in button.replace("&quot;", '"')
    assert ">K</abbr> 422 mg" in button and ">Mg</abbr> 32 mg" in button


@pytest.mark.parametrize(("hour", "slot"), [(8, "breakfast"), (13, "lunch"), (19, "dinner")])
def test_a_recent_food_goes_into_the_meal_of_the_moment(
    user_client, user, foods, monkeypatch, hour, slot
):
    moment = dt.datetime(2026, 11, 22, hour, 5, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    medium = portion(foods["banana"], "1 medium")
    old = log(
        user, foods["banana"], Decimal(118), slot="snacks", portion=medium, quantity=1,
        unit=medium.description, day=DAY - dt.timedelta(days=1),
    )  # fmt: skip

    page = user_client.get(day_url()).content.decode()
    response = user_client.post(
        reverse("tracker:log_recent", kwargs={"day": DAY}), {"entry": old.pk, "slot": slot}
    )

    assert f'<option value="{slot}" selected>' in page
    assert response.status_code == 302
    added = Entry.objects.for_day(user, DAY).get()
    assert (added.meal.slot, added.portion, added.quantity, added.grams) == (
        slot, medium, 1, Decimal(118),
    )  # fmt: skip


def test_a_recent_food_goes_into_the_meal_chosen_instead(user_client, user, foods):
    old = log(user, foods["almonds"], Decimal(28), slot="snacks", day=DAY - dt.timedelta(days=1))

    response = user_client.post(
        reverse("tracker:log_recent", kwargs={"day": DAY}),
        {"entry": old.pk, "slot": "dinner"},
        headers=HTMX,
    )

    added = Entry.objects.for_day(user, DAY).get()
    assert (added.meal.slot, added.grams, added.unit) == ("dinner", Decimal(28), "g")
    assert "Added Nuts, almonds, 28 g, to dinner." in response.content.decode()


@pytest.mark.parametrize("entry_id", ["other", "", "abc", "²", "9" * 30])
def test_logging_a_recent_food_by_another_users_or_no_entry_is_404(
    user_client, other_user, foods, entry_id
):
    theirs = log(other_user, foods["almonds"], Decimal(28), day=DAY - dt.timedelta(days=1))
    entry = theirs.pk if entry_id == "other" else entry_id

    response = user_client.post(
        reverse("tracker:log_recent", kwargs={"day": DAY}), {"entry": entry, "slot": "lunch"}
    )

    assert response.status_code == 404
    assert Entry.objects.count() == 1


def test_recent_foods_are_the_most_logged_of_the_latest_entries(
    user_client, user, foods, monkeypatch
):
    monkeypatch.setattr("tracker.models.RECENT_ENTRIES", 3)
    for days_ago in range(10, 15):  # often, but long ago
        log(user, foods["almonds"], Decimal(28), day=DAY - dt.timedelta(days=days_ago))
    for days_ago in range(3):
        log(user, foods["banana"], Decimal(118), day=DAY - dt.timedelta(days=days_ago))

    recent = user_client.get(day_url()).context["recent"]

    assert [entry.food for entry in recent] == [foods["banana"]]


def test_search_fragment_lists_matching_foods(user_client, foods):
    response = user_client.get(
        day_url(), {"q": "banan"}, headers={**HTMX, "HX-Target": "search-results"}
    )

    content = response.content.decode()
    assert "<html" not in content
    assert "Bananas, raw" in content
    assert "Nuts, almonds" not in content


def test_a_one_letter_search_asks_for_more(user_client, foods):
    response = user_client.get(
        day_url(), {"q": "b"}, headers={**HTMX, "HX-Target": "search-results"}
    )

    assert "at least two letters" in response.content.decode()
    assert "Bananas, raw" not in response.content.decode()


def test_search_works_without_javascript(user_client, foods):
    response = user_client.get(day_url(), {"q": "almond"})

    content = response.content.decode()
    assert "<html" in content
    assert "Nuts, almonds" in content


def test_search_with_no_match_suggests_an_own_food_or_a_recipe(user_client, foods):
    content = user_client.get(day_url(), {"q": "zzzz"}).content.decode()

    assert "Nothing matches “zzzz”" in content
    assert f"{reverse('own_food_create')}?name=zzzz" in content  # named already
    assert "name=zzzz" in content[content.index(reverse("recipe_create")) :]


def test_the_recipe_form_starts_with_the_name_searched_for(user_client):
    content = user_client.get(reverse("recipe_create"), {"name": "Kedgeree"}).content
    assert 'value="Kedgeree"' in content.decode()


def test_the_own_food_form_starts_with_the_name_searched_for(user_client):
    content = user_client.get(reverse("own_food_create"), {"name": "Skyr, plain"}).content
    assert 'value="Skyr, plain"' in content.decode()


def test_picking_a_food_shows_its_portions(user_client, foods):
    response = user_client.get(
        day_url(), {"food": foods["banana"].pk}, headers={**HTMX, "HX-Target": "entry-form"}
    )

    content = response.content.decode()
    assert "1 medium (7&quot; to 7-7/8&quot; long) (118 g)" in content
    assert "<html" not in content


@pytest.mark.parametrize("food", ["other", "abc", "999999"])
def test_picking_a_food_the_user_may_not_see_is_not_found(user_client, other_user, foods, food):
    secret = Food.objects.create(description="Bob's shake", source="user", owner=other_user)
    food_id = secret.pk if food == "other" else food

    assert user_client.get(day_url(), {"food": food_id}).status_code == 404


def test_an_entry_without_magnesium_data_says_no_data(user_client, user, foods):
    log(user, foods["no_magnesium"], Decimal(100))

    content = user_client.get(day_url()).content.decode()

    assert "no data" in content


def test_day_totals_are_the_sum_of_grams_times_value_per_100_g(user, foods):
    log(user, foods["banana"], Decimal(118))
    log(user, foods["banana"], Decimal(150), slot="lunch")
    log(user, foods["almonds"], Decimal("28.35"), slot="snacks")
    log(user, foods["no_magnesium"], Decimal(200), slot="dinner")
    log(user, foods["almonds"], Decimal(1000), day=DAY + dt.timedelta(days=1))

    totals = Entry.objects.for_day(user, DAY).nutrient_totals([1092, 1090])

    potassium = Decimal(358) * Decimal("2.68") + Decimal(733) * Decimal("0.2835") + 200
    magnesium = Decimal(27) * Decimal("2.68") + Decimal(270) * Decimal("0.2835")
    assert totals[1092].amount == pytest.approx(potassium, abs=Decimal("0.1"))
    assert totals[1090].amount == pytest.approx(magnesium, abs=Decimal("0.1"))
    assert (totals[1092].known_entries, totals[1090].known_entries) == (4, 3)


@pytest.mark.parametrize("entries", [1, 60])
def test_the_day_page_runs_a_constant_number_of_queries(
    user_client, user, foods, entries, django_assert_max_num_queries
):
    slots = ["breakfast", "lunch", "dinner", "snacks"]
    for index in range(entries):
        food = foods["banana"] if index % 2 else foods["almonds"]
        log(user, food, Decimal(10 + index), slot=slots[index % 4])

    # 8; 4 for the cramp diary (the day's supplement totals, its cramps, its supplements
    # and the list of supplements to log); the targets in force on the day; one more for
    # the suggestions on a day below target.
    with django_assert_max_num_queries(14):
        response = user_client.get(day_url())

    assert len(response.context["report"].entries) == entries


@pytest.mark.parametrize("days", [1, 60])
def test_an_add_answered_with_its_parts_runs_a_constant_number_of_queries(
    user_client, user, foods, days, django_assert_num_queries
):
    for offset in range(days):
        for slot in ("breakfast", "lunch", "dinner"):
            log(
                user,
                foods["almonds"],
                Decimal(20 + offset),
                slot=slot,
                day=DAY - dt.timedelta(offset),
            )
    data = {"food": foods["banana"].pk, "quantity": "1", "slot": "lunch", "once": "a" * 32,
            "unit": portion(foods["banana"], "1 medium").pk}  # fmt: skip
    user_client.get(day_url())  # the page the add is made on (the suggestable foods read)

    # The session with the user and their profile; the food with its portions; the
    # one-time key; the meal; the entry; the day's totals (the owner's revision, which
    # locks the diary, then one statement per table); the answer's: the most logged foods,
    # the day's and the recent foods' entries (one union), the supplements' totals with
    # the day's note (one union). The request's one transaction is a savepoint and its
    # release here.
    with django_assert_num_queries(11 + 2):
        response = user_client.post(add_url(), data, headers=HTMX)

    content = response.content.decode()
    assert "meal-kcal-lunch" in oob_parts(content)  # lunch had rows: the new one is appended
    assert 'hx-swap-oob="beforeend:#meal-entries-lunch"' in content


def test_entry_grams_must_be_positive_in_the_database(user, foods):
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")

    with pytest.raises(IntegrityError):
        Entry.objects.create(meal=meal, food=foods["banana"], grams=0, quantity=1)


def test_a_food_with_diary_entries_cannot_be_deleted(user, foods):
    from django.db.models import RestrictedError

    log(user, foods["banana"], Decimal(100))

    with pytest.raises(RestrictedError):
        foods["banana"].delete()


def test_deleting_a_portion_keeps_the_entry_and_its_grams(user, foods):
    medium = portion(foods["banana"], "1 medium")
    entry = log(
        user, foods["banana"], Decimal(118), portion=medium, quantity=1, unit=medium.description
    )

    Portion.objects.filter(pk=medium.pk).delete()

    entry.refresh_from_db()
    assert entry.portion is None
    assert entry.grams == Decimal(118)
    assert entry.amount_as_entered.startswith("1 medium")


@pytest.mark.parametrize(
    ("quantity", "unit", "expected"),
    [
        ("150", "g", "150 g"),
        ("250", "ml", "250 ml"),
        ("1.50", "1 cup, sliced", "1.5 cups, sliced"),
        ("1", "1 cup, sliced", "1 cup, sliced"),
        ("0.5", "1 cup", "0.5 cup"),
        ("2", "1 cup", "2 cups"),
        ("3", "1 slice", "3 slices"),
        ("2", "1 oz (23 whole kernels)", "2 oz (23 whole kernels)"),
        ("2", "1 leaf", "2 leaves"),
        ("2", '1 medium (7" to 7-7/8" long)', '2 medium (7" to 7-7/8" long)'),
        ("2", "3 oz", "2 × 3 oz"),
    ],
)
def test_amounts_read_as_the_user_entered_them(quantity, unit, expected):
    assert describe_amount(Decimal(quantity), unit) == expected
