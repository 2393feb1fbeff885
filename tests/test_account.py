"""Download all my data, and delete my account: every row of the user goes, nobody else's."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from nutrients.models import Food, FoodNutrient, Portion
from tests.conftest import PASSWORD
from tracker.account import LEFT_OUT, SECTIONS, erase_account
from tracker.models import (
    ApiToken,
    Cramp,
    DayNote,
    Entry,
    Meal,
    Profile,
    RequestKey,
    SavedMeal,
    SavedMealItem,
    Supplement,
    SupplementAmount,
    SupplementIntake,
    TargetChange,
    UserSession,
)
from tracker.recipes import IngredientData, create_recipe

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")


DAY = date(2026, 11, 22)
# A name no food, nutrient or other row would hold by chance, so that the walk below can
# look for it in every text column.
DOOMED = "doomed-user-7f3a"


def own_food(owner, name="Peanut bar"):
    food = Food.objects.create(description=name, source=Food.Source.USER, owner=owner)
    FoodNutrient.objects.create(food=food, nutrient_id=1092, amount=Decimal("200"))
    Portion.objects.create(food=food, seq=1, description="1 bar", grams=Decimal("50"))
    return food


def fill_account(user, foods) -> None:
    """One of every kind of row a user can have."""
    profile = Profile.of(user)
    profile.potassium_target_mg = 3500
    profile.diuretic = "loop"
    profile.save()
    meal = Meal.objects.create(user=user, day=DAY, slot="breakfast")
    bar = own_food(user)
    Entry.objects.create(meal=meal, food=bar, grams=50, quantity=1, unit="1 bar")
    Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)
    Entry.objects.create(meal=meal, food=foods["water"], grams=250, quantity=250, unit="ml")
    recipe = create_recipe(
        user,
        "Bar and banana",
        2,
        None,
        [
            IngredientData(bar, Decimal(50), Decimal(1), None, "g"),
            IngredientData(foods["banana"], Decimal(118), Decimal(118), None, "g"),
        ],
    )
    Entry.objects.create(meal=meal, food=recipe.food, grams=84, quantity=84)
    saved = SavedMeal.objects.create(user=user, name="Usual breakfast")
    SavedMealItem.objects.create(saved_meal=saved, food=bar, grams=50, quantity=50)
    DayNote.objects.create(user=user, day=DAY, intense_workout=True)
    ApiToken.create_for(user, "phone")
    RequestKey.objects.create(user=user, key="k1", fingerprint="f")
    Cramp.objects.create(user=user, started_at=timezone.now(), day=DAY, muscle="calf", severity=6)
    own_pills = Supplement.objects.create(owner=user, name="My magnesium", unit="tablet")
    SupplementAmount.objects.create(supplement=own_pills, nutrient_id=1090, amount=Decimal(100))
    SupplementIntake.objects.create(user=user, day=DAY, supplement=own_pills, count=2)
    SupplementIntake.objects.create(
        user=user, day=DAY, supplement=Supplement.objects.filter(owner=None).first(), count=1
    )
    where = {"username": user.username, "ip_address": "127.0.0.1", "user_agent": "test"}
    AccessAttempt.objects.create(**where, failures_since_start=2)
    AccessLog.objects.create(**where)
    AccessFailureLog.objects.create(**where)


def downloaded(client) -> dict:
    response = client.get(reverse("account_data"))
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def doomed(make_user):
    return make_user(DOOMED)


def rows_naming(user_pk: int, username: str) -> list[str]:
    """Every row, in every model of the project, that still points at or names the user."""
    found = []
    user_model = get_user_model()
    for model in apps.get_models():
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                points_at_user = (
                    isinstance(field, models.ForeignKey)
                    and field.related_model is user_model
                    and value == user_pk
                )
                names_user = isinstance(value, str) and username in value
                if points_at_user or names_user or (model is user_model and row.pk == user_pk):
                    found.append(f"{model._meta.label} {row.pk}.{field.name}")
            if model in (Session, UserSession) and row.get_decoded().get("_auth_user_id") == str(
                user_pk
            ):
                found.append(f"session {row.pk}")
    return found


def test_deleting_an_account_leaves_no_row_of_it_in_any_model(doomed, other_user, foods):
    fill_account(doomed, foods)
    fill_account(other_user, foods)
    client = Client()
    client.force_login(doomed)
    Client().force_login(other_user)  # bob's session stays
    before = {model: model.objects.count() for model in apps.get_models()}
    pk = doomed.pk
    assert rows_naming(pk, DOOMED)  # the walk finds them while they are there

    response = client.post(reverse("delete_account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert rows_naming(pk, DOOMED) == []
    # Bob keeps everything: the same kinds of rows, still his.
    assert Food.objects.filter(owner=other_user).count() == 2  # the bar and the recipe
    assert Entry.objects.filter(meal__user=other_user).count() == 4
    assert SavedMeal.objects.filter(user=other_user).count() == 1
    assert ApiToken.objects.filter(user=other_user).count() == 1
    assert AccessAttempt.objects.filter(username="bob").count() == 1
    assert UserSession.objects.count() == 1
    # The shared food table is untouched.
    assert Food.objects.filter(owner=None).count() == before[Food] - 4  # two foods of each user


def test_deleting_needs_the_password_and_a_wrong_one_deletes_nothing(user_client, user, foods):
    fill_account(user, foods)

    response = user_client.post(reverse("delete_account"), {"password": "not-it"})

    assert response.status_code == 200
    assert "That is not your password; nothing was deleted." in response.text
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert Entry.objects.filter(meal__user=user).count() == 4


def test_after_deleting_the_account_its_browser_is_signed_out(user_client, user):
    response = user_client.post(reverse("delete_account"), {"password": PASSWORD}, follow=True)

    assert "Your account and all its data are deleted." in response.text
    assert user_client.get(reverse("profile")).status_code == 302  # to the login page
    assert not get_user_model().objects.filter(username="alice").exists()


def test_the_delete_page_asks_for_the_password_and_offers_the_download(user_client):
    response = user_client.get(reverse("delete_account"))

    assert 'type="password"' in response.text
    assert reverse("account_data") in response.text


def test_the_admins_user_delete_takes_own_foods_and_their_entries(
    admin_client, doomed, other_user, foods
):
    fill_account(doomed, foods)
    fill_account(other_user, foods)
    url = reverse("admin:auth_user_delete", args=[doomed.pk])

    confirm = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert "Cannot delete" not in confirm.text
    assert response.status_code == 302
    assert rows_naming(doomed.pk, DOOMED) == []
    assert Entry.objects.filter(meal__user=other_user).count() == 4


def test_the_admins_bulk_user_delete_erases_each_user(admin_client, doomed, foods):
    fill_account(doomed, foods)
    pk = doomed.pk

    admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
    )

    assert rows_naming(pk, DOOMED) == []


def test_the_delete_command_needs_yes_and_then_erases(doomed, foods):
    fill_account(doomed, foods)
    pk = doomed.pk

    with pytest.raises(CommandError, match="--yes"):
        call_command("delete_account", DOOMED)
    assert get_user_model().objects.filter(pk=pk).exists()
    call_command("delete_account", DOOMED, "--yes")

    assert rows_naming(pk, DOOMED) == []


def test_commands_name_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("export_account", "nobody")


# --- Download -----------------------------------------------------------------------


def test_the_download_holds_every_section_of_the_users_own_data(
    user_client, user, other_user, foods
):
    fill_account(user, foods)
    fill_account(other_user, foods)
    own_food(other_user, "Bob's secret bar")

    response = user_client.get(reverse("account_data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="cramp-tracker-')
    assert response["Cache-Control"] == "private, no-store"
    assert response.streaming  # sent as it is made, never whole in memory
    text = b"".join(response.streaming_content).decode()
    data = json.loads(text)
    assert set(SECTIONS) <= set(data)
    assert data["account"]["username"] == "alice"
    assert data["profile"]["targets"]["potassium_target_mg"] == 3500
    assert data["profile"]["targets"]["calcium_target_mg"] is None  # the default
    assert data["profile"]["diuretic"] == "loop"
    assert [food["description"] for food in data["own_foods"]] == ["Peanut bar"]
    assert data["own_foods"][0]["nutrients_per_100_g"][0]["amount"] == "200.000000"
    assert data["own_foods"][0]["portions"] == [{"description": "1 bar", "grams": "50.000"}]
    foods_logged = [entry["food"]["description"] for entry in data["entries"]]
    assert foods_logged == ["Peanut bar", "Bananas, raw", "Bar and banana"]
    [recipe] = data["recipes"]
    assert (recipe["name"], recipe["servings"], recipe["cooked_grams"]) == (
        "Bar and banana",
        2,
        None,
    )
    assert [i["food"]["description"] for i in recipe["ingredients"]] == [
        "Peanut bar",
        "Bananas, raw",
    ]
    assert recipe["ingredients"][1]["grams"] == "118.00"
    [saved] = data["saved_meals"]
    assert saved["name"] == "Usual breakfast" and saved["items"][0]["amount"] == "50 g"
    assert data["entries"][1]["food"]["fdc_id"] == 173944
    assert data["entries"][1]["grams"] == "118.00"
    assert data["water"][0]["ml"] == "250.00"
    assert data["water"][0]["date"] == "2026-11-22"
    assert data["day_notes"] == [{"intense_workout": True, "date": "2026-11-22"}]
    assert [token["name"] for token in data["api_tokens"]] == ["phone"]
    assert "token_hash" not in data["api_tokens"][0]
    assert [(c["date"], c["muscle"], c["severity"]) for c in data["cramps"]] == [
        ("2026-11-22", "calf", 6)
    ]
    assert data["own_supplements"] == [
        {"name": "My magnesium", "unit": "tablet", "per_unit": ["100 mg magnesium"]}
    ]
    taken = {(intake["supplement"], intake["count"]) for intake in data["supplements_taken"]}
    assert ("My magnesium", "2.00") in taken
    assert len(taken) == 2
    assert "Bob" not in text


def test_the_download_of_a_new_account_has_empty_sections(user_client):
    data = downloaded(user_client)

    assert data["entries"] == [] and data["own_foods"] == [] and data["water"] == []


def test_the_export_command_prints_the_same_document(doomed, foods, capsys):
    fill_account(doomed, foods)

    call_command("export_account", DOOMED)

    data = json.loads(capsys.readouterr().out)
    assert data["account"]["username"] == DOOMED
    assert len(data["entries"]) == 3


def test_the_pages_need_signing_in(client):
    for name in ("account_data", "delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_profile_links_to_both(user_client):
    response = user_client.get(reverse("profile"))

    assert reverse("account_data") in response.text
    assert reverse("delete_account") in response.text


def test_a_days_entries_are_dated_in_the_download(user_client, user, foods):
    meal = Meal.objects.create(user=user, day=DAY + timedelta(days=1), slot="lunch")
    Entry.objects.create(meal=meal, food=foods["almonds"], grams=28, quantity=28)

    data = downloaded(user_client)

    assert data["entries"][0]["date"] == "2026-11-23"
    assert data["entries"][0]["meal"] == "lunch"
    assert data["entries"][0]["amount"] == "28 g"


# --- The download against the models -------------------------------------------------------


def fill_everything(user, foods) -> None:
    """fill_account, and the rows only staff, history or sign-ins make."""
    fill_account(user, foods)
    profile = Profile.of(user)
    profile.sex, profile.birth_year = "female", 1970
    profile.save()
    TargetChange.objects.create(
        user=user,
        valid_from=DAY,
        target_source="reference",
        sex="female",
        birth_year=1970,
        potassium_target_mg=2600,
        water_target_ml=2000,
    )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Food),
        object_id="1",
        object_repr="Bananas",
        action_flag=2,
        change_message="[]",
    )
    user.last_login = timezone.now()
    user.first_name, user.last_name = "Alice", "Example"
    user.save()


def models_about_a_user() -> list[tuple[type[models.Model], list[str]]]:
    """Every model of the project that points at a user (a foreign key to the user model)
    or names one (a username column), the user model itself, and their concrete fields
    but the pointer and the id."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        pointers = [
            f.name
            for f in model._meta.concrete_fields
            if (f.is_relation and f.related_model is user_model)
            or (f.name == "username" and model is not user_model)
        ]
        if pointers or model is user_model:
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if f.name not in pointers and not f.primary_key
            ]
            found.append((model, fields))
    return found


def keys_in(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_in(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_in(item)}
    return set()


def test_the_download_holds_every_field_of_every_model_about_the_user(user_client, user, foods):
    fill_everything(user, foods)
    data = downloaded(user_client)

    missing = []
    for model, fields in models_about_a_user():
        label = model._meta.label
        if label in LEFT_OUT:
            continue
        sections = [name for name, section in SECTIONS.items() if section.model is model]
        assert sections, f"{label} points at the user: add a Section or say in LEFT_OUT why not"
        rows = [
            row
            for name in sections
            for row in (data[name] if isinstance(data[name], list) else [data[name]])
        ]
        assert rows, f"the test made no {label} row"
        keys = keys_in(rows)
        for name in fields:
            wanted = next(
                (
                    s.renamed.get(name, name)
                    for s in map(SECTIONS.get, sections)
                    if name in s.renamed
                ),
                name,
            )
            if f"{label}.{name}" not in LEFT_OUT and wanted not in keys:
                missing.append(f"{label}.{name}")
    assert missing == []


def test_everything_left_out_of_the_download_says_why_and_exists(db):
    fields = {
        f"{model._meta.label}.{name}" for model, names in models_about_a_user() for name in names
    }
    labels = {model._meta.label for model, _ in models_about_a_user()}
    for left_out, reason in LEFT_OUT.items():
        assert left_out in fields | labels, left_out
        assert reason


def test_the_download_has_the_login_records_kept_about_the_person(user_client, user, foods):
    fill_account(user, foods)

    data = downloaded(user_client)

    assert ("127.0.0.1", "test") in {(s["ip_address"], s["user_agent"]) for s in data["sign_ins"]}
    assert data["failed_sign_ins"][0]["ip_address"] == "127.0.0.1"
    assert data["sign_in_throttling"][0]["failures_since_start"] == 2


def test_the_downloads_link_says_what_is_in_it(user_client):
    page = user_client.get(reverse("profile")).text

    for section in SECTIONS.values():
        assert escape(section.title) in page


def test_the_download_reads_a_long_diary_in_a_fixed_number_of_queries(
    user_client, user, foods, django_assert_max_num_queries
):
    meal = Meal.objects.create(user=user, day=DAY, slot="lunch")
    Entry.objects.bulk_create(
        Entry(meal=meal, food=foods["banana"], grams=100 + n, quantity=100 + n) for n in range(300)
    )

    with django_assert_max_num_queries(30):
        data = downloaded(user_client)

    assert len(data["entries"]) == 300


def test_deleting_an_account_takes_its_expired_sessions_without_reading_the_others(
    doomed, make_user, django_assert_max_num_queries
):
    mine = Client()
    mine.force_login(doomed)
    old = Client()
    old.force_login(doomed)
    UserSession.objects.filter(user=doomed).exclude(session_key=mine.session.session_key).update(
        expire_date=timezone.now() - timedelta(days=30)
    )  # expired, still stored
    for number in range(30):  # other people's sessions, which nothing may decode
        Client().force_login(make_user(f"someone{number}"))

    with django_assert_max_num_queries(60):
        response = mine.post(reverse("delete_account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not UserSession.objects.filter(
        session_key__in=[mine.session.session_key, old.session.session_key]
    ).exists()
    assert UserSession.objects.count() == 30


def test_deleting_reads_no_session_but_the_users_own(doomed, monkeypatch):
    for _ in range(3):
        Client().force_login(doomed)
    decoded = []
    monkeypatch.setattr(UserSession, "get_decoded", lambda self: decoded.append(self.pk) or {})

    erase_account(doomed)

    assert decoded == []
    assert not UserSession.objects.exists()
