"""Odd input in the cramp diary's forms and API: never a server error, never half a
change (the cases and helpers of tests/test_odd_input.py)."""

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given

from tests import test_odd_input as odd_input
from tests.test_odd_input import (
    api_body,
    form_data,
    odd_examples,
    odd_fields,
    odd_json_fields,
    shows_an_error,
    sign_in,
    undone,
)
from tracker.models import Cramp, Supplement, SupplementAmount, SupplementIntake

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")


DAY = date(2026, 11, 22)
HTMX = {"HX-Request": "true"}
bearer = odd_input.bearer  # the token fixture


def counts() -> dict[str, int]:
    models = (Cramp, Supplement, SupplementAmount, SupplementIntake)
    return {model.__name__: model.objects.count() for model in models}


CRAMP_FIELDS = ("started_at", "muscle", "severity", "duration_minutes", "activity", "note")
VALID_CRAMP = {
    "started_at": "2026-11-22T03:10",
    "muscle": "calf",
    "severity": "6",
    "duration_minutes": "4",
    "activity": "night",
    "note": "",
}


@odd_examples
@given(odd=odd_fields(*CRAMP_FIELDS))
def test_a_new_cramp_with_odd_input_is_logged_whole_or_explained(client, user, odd):
    with undone():
        sign_in(client, user)
        before = counts()
        response = client.post(reverse("cramp_new"), form_data(VALID_CRAMP, odd))
        if response.status_code == 302:
            assert counts() == {**before, "Cramp": before["Cramp"] + 1}
        else:
            assert response.status_code == 200 and shows_an_error(response)
            assert counts() == before


@odd_examples
@given(odd=odd_fields(*CRAMP_FIELDS))
def test_editing_a_cramp_with_odd_input_changes_it_or_leaves_it(client, user, odd):
    cramp = Cramp.objects.create(user=user, started_at=timezone.now(), day=DAY, severity=2)
    with undone():
        sign_in(client, user)
        before = model_to_dict(Cramp.objects.get(pk=cramp.pk))
        response = client.post(reverse("cramp_edit", args=[cramp.pk]), form_data(VALID_CRAMP, odd))
        if response.status_code != 302:
            assert response.status_code == 200 and shows_an_error(response)
            assert model_to_dict(Cramp.objects.get(pk=cramp.pk)) == before


@odd_examples
@given(odd=odd_fields(*CRAMP_FIELDS))
def test_editing_a_cramp_in_place_with_odd_input_changes_it_or_explains_in_its_row(
    client, user, odd
):
    cramp = Cramp.objects.create(user=user, started_at=timezone.now(), day=DAY, severity=2)
    with undone():
        sign_in(client, user)
        before = model_to_dict(Cramp.objects.get(pk=cramp.pk))
        response = client.post(
            reverse("cramp_edit", args=[cramp.pk]), form_data(VALID_CRAMP, odd), headers=HTMX
        )
        assert response.status_code == 200
        if response.get("HX-Retarget") == f"#cramp-{cramp.pk}":  # refused, in its row
            assert shows_an_error(response)
            assert model_to_dict(Cramp.objects.get(pk=cramp.pk)) == before
        else:
            assert 'id="cramp-list"' in response.content.decode()


@odd_examples
@given(odd=odd_fields("count"))
def test_a_new_count_in_place_with_odd_input_changes_it_or_explains_in_its_row(client, user, odd):
    intake = SupplementIntake.objects.create(
        user=user, day=DAY, supplement=Supplement.objects.first(), count=2
    )
    with undone():
        sign_in(client, user)
        response = client.post(
            reverse("intake_edit", args=[intake.pk]), form_data({"count": "3"}, odd), headers=HTMX
        )
        assert response.status_code == 200
        count = SupplementIntake.objects.get(pk=intake.pk).count
        if response.get("HX-Retarget") == f"#intake-{intake.pk}":  # refused, in its row
            assert shows_an_error(response) and count == 2
        else:
            assert 'id="day-supplements"' in response.content.decode() and 0 < count <= 20


@odd_examples
@given(odd=odd_fields("supplement", "count"))
def test_a_supplement_with_odd_input_is_logged_once_or_explained(client, user, odd):
    valid = {"supplement": str(Supplement.objects.first().pk), "count": "2"}
    with undone():
        sign_in(client, user)
        before = counts()
        response = client.post(reverse("intake_add", args=[DAY]), form_data(valid, odd))
        if response.status_code == 302:
            assert counts() == {**before, "SupplementIntake": before["SupplementIntake"] + 1}
        else:
            assert response.status_code == 200 and shows_an_error(response)
            assert counts() == before


@odd_examples
@given(odd=odd_fields("name", "unit", "ingredient", "amount"))
def test_a_product_from_a_label_with_odd_input_is_saved_whole_or_not_at_all(client, user, odd):
    valid = {"name": "Mag", "unit": "tablet", "ingredient": "nutrient:1090", "amount": "250"}
    with undone():
        sign_in(client, user)
        before = counts()
        response = client.post(reverse("supplements"), form_data(valid, odd))
        if response.status_code == 302:
            grown = {"Supplement": 1, "SupplementAmount": 1}
            assert counts() == {name: n + grown.get(name, 0) for name, n in before.items()}
        else:
            assert response.status_code == 200 and shows_an_error(response)
            assert counts() == before


@odd_examples
@given(odd=odd_json_fields(*CRAMP_FIELDS))
def test_an_api_cramp_with_odd_json_is_logged_whole_or_refused_in_json(bearer, odd):
    valid = {"started_at": "2026-11-22T03:10:00Z", "severity": 5}
    with undone():
        before = counts()
        response = Client().post(
            "/api/cramps/", api_body(valid, odd), content_type="application/json", headers=bearer
        )
        if response.status_code == 201:
            assert counts()["Cramp"] == before["Cramp"] + 1
        else:
            assert response.status_code in {400, 422} and response.json()["detail"]
            assert counts() == before


@odd_examples
@given(odd=odd_json_fields("date", "supplement", "count"))
def test_an_api_supplement_with_odd_json_is_logged_once_or_refused_in_json(bearer, odd):
    valid = {"date": "2026-11-22", "supplement": Supplement.objects.first().pk, "count": 1}
    with undone():
        before = counts()
        response = Client().post(
            "/api/supplements/",
            api_body(valid, odd),
            content_type="application/json",
            headers=bearer,
        )
        if response.status_code == 201:
            assert counts()["SupplementIntake"] == before["SupplementIntake"] + 1
        else:
            assert response.status_code in {400, 404, 422} and response.json()["detail"]
            assert counts() == before
