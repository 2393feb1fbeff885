"""Download all my data, and delete my account: every row of the user goes, nobody else's."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nutrients.models import Food, FoodNutrient, Portion
from tests.conftest import PASSWORD
from tracker.account import SECTIONS
from tracker.models import (
    ApiToken,
    Cramp,
    DayNote,
    Entry,
    Meal,
    Profile,
    RequestKey,
    Supplement,
    SupplementAmount,
    SupplementIntake,
)

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
            if model is Session and row.get_decoded().get("_auth_user_id") == str(user_pk):
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
    assert Food.objects.filter(owner=other_user).count() == 1
    assert Entry.objects.filter(meal__user=other_user).count() == 3
    assert ApiToken.objects.filter(user=other_user).count() == 1
    assert AccessAttempt.objects.filter(username="bob").count() == 1
    assert Session.objects.count() == 1
    # The shared food table is untouched.
    assert Food.objects.filter(owner=None).count() == before[Food] - 2


def test_deleting_needs_the_password_and_a_wrong_one_deletes_nothing(user_client, user, foods):
    fill_account(user, foods)

    response = user_client.post(reverse("delete_account"), {"password": "not-it"})

    assert response.status_code == 200
    assert "That is not your password; nothing was deleted." in response.text
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert Entry.objects.filter(meal__user=user).count() == 3


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
    assert Entry.objects.filter(meal__user=other_user).count() == 3


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
    data = json.loads(response.content)
    assert set(SECTIONS) <= set(data)
    assert data["account"]["username"] == "alice"
    assert data["profile"]["targets"]["potassium_target_mg"] == 3500
    assert data["profile"]["targets"]["calcium_target_mg"] is None  # the default
    assert data["profile"]["diuretic"] == "loop"
    assert [food["description"] for food in data["own_foods"]] == ["Peanut bar"]
    assert data["own_foods"][0]["nutrients_per_100_g"][0]["amount"] == "200.000"
    assert data["own_foods"][0]["portions"] == [{"description": "1 bar", "grams": "50.000"}]
    foods_logged = [entry["food"]["description"] for entry in data["entries"]]
    assert foods_logged == ["Peanut bar", "Bananas, raw"]
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
    assert "Bob" not in response.text


def test_the_download_of_a_new_account_has_empty_sections(user_client):
    data = json.loads(user_client.get(reverse("account_data")).content)

    assert data["entries"] == [] and data["own_foods"] == [] and data["water"] == []


def test_the_export_command_prints_the_same_document(doomed, foods, capsys):
    fill_account(doomed, foods)

    call_command("export_account", DOOMED)

    data = json.loads(capsys.readouterr().out)
    assert data["account"]["username"] == DOOMED
    assert len(data["entries"]) == 2


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

    data = json.loads(user_client.get(reverse("account_data")).content)

    assert data["entries"][0]["date"] == "2026-11-23"
    assert data["entries"][0]["meal"] == "lunch"
    assert data["entries"][0]["amount"] == "28 g"
