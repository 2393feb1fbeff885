"""Text the database cannot store, and bodies too large or too deep, are refused in the
API's own JSON error shape: never a 500, never Django's HTML page."""

import json
from datetime import date

import pytest
from django.test import Client

from tracker.api_kit import MAX_BODY_BYTES, MAX_BODY_DEPTH
from tracker.cramps import CrampForm
from tracker.forms import UNSTORABLE_TEXT
from tracker.models import ApiToken, Cramp

DAY = date(2026, 11, 22)
SURROGATES = ["\ud800", "\udfff", "ok \udc00 ok", "\ud83d"]  # lone halves of a pair


@pytest.fixture
def api(user) -> Client:
    _, token = ApiToken.create_for(user, "tests")
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})


def send(api: Client, method: str, path: str, body: object | str):
    text = body if isinstance(body, str) else json.dumps(body)  # json.dumps spells \ud800
    return getattr(api, method)(path, text, content_type="application/json")


@pytest.mark.parametrize("text", SURROGATES)
def test_a_lone_surrogate_in_a_cramp_note_is_a_422_in_json(api, user, text):
    response = send(api, "post", "/api/cramps/", {"note": text})

    assert response.status_code == 422
    assert response.json()["errors"] == {"note": [UNSTORABLE_TEXT]}
    assert not Cramp.objects.exists()


def test_a_surrogate_in_a_field_name_is_a_422_too(api):
    response = send(api, "post", "/api/cramps/", {"no\ud800te": "x"})

    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("text", SURROGATES)
def test_the_cramp_form_refuses_a_surrogate_with_a_message_beside_the_field(db, text):
    form = CrampForm({"started_at": "2026-11-22T08:00", "note": text})

    assert not form.is_valid()
    assert form.errors["note"] == [UNSTORABLE_TEXT]


def test_a_body_past_the_limit_is_a_413_in_json(api):
    response = send(api, "post", "/api/cramps/", {"note": "x" * MAX_BODY_BYTES})

    assert response.status_code == 413
    assert response.json() == {"detail": "Send at most 64 KB of JSON.", "errors": {}}


def test_a_body_past_djangos_own_limit_is_a_413_in_json_too(api):
    response = send(api, "post", "/api/cramps/", {"note": "x" * 5_000_000})  # 5 MB

    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is too large."


@pytest.mark.parametrize("depth", [MAX_BODY_DEPTH + 1, 100, 20_000])
def test_a_body_nested_too_deeply_is_a_413_in_json(api, depth):
    response = send(api, "post", "/api/cramps/", "[" * depth + "]" * depth)

    assert response.status_code == 413
    assert response.json()["detail"] == f"Send JSON nested at most {MAX_BODY_DEPTH} levels deep."


def string_fields(schema: dict, body_schema: dict) -> list[str]:
    if "$ref" in body_schema:
        body_schema = schema["components"]["schemas"][body_schema["$ref"].split("/")[-1]]
    return list(body_schema.get("properties", {}))


def test_a_surrogate_in_every_field_of_every_write_is_refused_without_a_server_error(
    api, user, foods, shipped_supplements
):
    # Rows to PATCH, then each body field of each POST and PATCH with a lone surrogate.
    cramp = send(api, "post", "/api/cramps/", {}).json()
    entry = send(
        api,
        "post",
        "/api/entries/",
        {"date": "2026-11-22", "food": foods["banana"].pk, "meal": "lunch", "grams": 10},
    ).json()
    banana = {"food": foods["banana"].pk, "grams": 100}
    recipe = send(api, "post", "/api/recipes/", {"name": "Mash", "ingredients": [banana]}).json()
    saved = send(api, "post", "/api/saved-meals/", {"name": "Usual", "items": [banana]}).json()
    schema = Client().get("/api/openapi.json").json()
    ids = {
        "cramp_id": cramp["id"],
        "entry_id": entry["id"],
        "intake_id": 1,
        "recipe_id": recipe["id"],
        "saved_id": saved["id"],
    }
    tried = 0
    for path, operations in schema["paths"].items():
        for method in ("post", "patch"):
            if method not in operations or "requestBody" not in operations[method]:
                continue
            body = operations[method]["requestBody"]["content"]["application/json"]["schema"]
            for field in string_fields(schema, body):
                response = send(api, method, path.format(**ids), {field: "\ud800"})
                tried += 1
                assert response.status_code == 422, (method, path, field)
                assert response.json()["errors"] == {field: [UNSTORABLE_TEXT]}
    assert tried >= 20  # every field of cramps, entries and supplements taken


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("put", "/api/entries/", 405),
        ("post", "/api/days/2026-11-22/", 405),
        ("get", "/api/nope/", 404),
        ("delete", "/api/cramps/", 405),
    ],
)
def test_a_path_or_method_the_api_lacks_answers_in_its_json_shape(api, method, path, status):
    response = getattr(api, method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert set(response.json()) == {"detail", "errors"}
    if status == 405:
        assert response["Allow"]
