"""Every POST of the API goes through one Idempotency-Key, every PATCH and DELETE through
one If-Match check (tracker/api_kit.py): nothing doubled, no stale change saved."""

import json
import uuid
from datetime import date
from functools import partial

import pytest
from django.test import Client

from nutrients.models import Recipe
from tests.conftest import concurrently
from tracker.models import ApiToken, Cramp, Entry, SavedMeal, Supplement, SupplementIntake

DAY = date(2026, 11, 22)
KINDS = ["entries", "cramps", "supplements", "recipes", "saved-meals"]
# A change of each kind of row: in a PATCH, or in a POST that reuses another's key.
PATCHES = {
    "entries": {"grams": 150},
    "cramps": {"severity": 3},
    "supplements": {"count": 1},
    "recipes": {"servings": 3},
    "saved-meals": {"name": "Usual snack, renamed"},
}


def token_client(user) -> Client:
    _, token = ApiToken.create_for(user, "tests")
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {token}"})


def citrate() -> Supplement:
    return Supplement.objects.get(owner=None, name="Magnesium citrate")


def post(client: Client, path: str, body: dict | str, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, text, content_type="application/json", headers=headers)


def bodies(foods) -> dict[str, tuple[str, dict, type]]:
    """Each POST of the API with a body, and the model it adds to."""
    banana = foods["banana"].pk
    return {
        "entries": (
            "/api/entries/",
            {"date": DAY.isoformat(), "food": foods["banana"].pk, "meal": "lunch", "grams": 118},
            Entry,
        ),
        "cramps": ("/api/cramps/", {"muscle": "calf", "severity": 6}, Cramp),
        "supplements": (
            "/api/supplements/",
            {"date": DAY.isoformat(), "supplement": citrate().pk, "count": 2},
            SupplementIntake,
        ),
        "recipes": (
            "/api/recipes/",
            {"name": "Banana mash", "servings": 2, "ingredients": [{"food": banana, "grams": 236}]},
            Recipe,
        ),
        "saved-meals": (
            "/api/saved-meals/",
            {"name": "Usual snack", "items": [{"food": banana, "grams": 118}]},
            SavedMeal,
        ),
    }


def rows(model, user) -> int:
    owner = {Entry: "meal__user", Recipe: "food__owner"}.get(model, "user")
    return model.objects.filter(**{owner: user}).count()


@pytest.mark.parametrize("kind", KINDS)
def test_every_post_sent_twice_with_one_key_stores_once_and_replays_the_answer(
    user, foods, shipped_supplements, kind
):
    client = token_client(user)
    path, body, model = bodies(foods)[kind]

    first = post(client, path, body, key="k-1")
    again = post(client, path, body, key="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert rows(model, user) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_every_post_with_one_key_and_another_request_is_a_422(
    user, foods, shipped_supplements, kind
):
    client = token_client(user)
    path, body, model = bodies(foods)[kind]
    post(client, path, body, key="k-2")

    response = post(client, path, {**body, **PATCHES[kind]}, key="k-2")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert rows(model, user) == 1


@pytest.mark.parametrize("grams", ["10.0", "10.00", "1e1", '"10"'])
def test_the_same_amount_spelled_otherwise_is_the_same_request(user, foods, grams):
    client = token_client(user)
    template = '{"date": "2026-11-22", "food": %d, "meal": "lunch", "grams": %s}'
    post(client, "/api/entries/", template % (foods["banana"].pk, "10"), key="spelling")

    again = post(client, "/api/entries/", template % (foods["banana"].pk, grams), key="spelling")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert rows(Entry, user) == 1


def test_a_refused_cramp_keeps_its_key_free_for_the_corrected_one(user):
    client = token_client(user)

    refused = post(client, "/api/cramps/", {"severity": 11}, key="fix-me")
    corrected = post(client, "/api/cramps/", {"severity": 10}, key="fix-me")

    assert refused.status_code == 422
    assert corrected.status_code == 201
    assert "Idempotent-Replayed" not in corrected
    assert rows(Cramp, user) == 1


def test_the_schema_offers_the_key_on_every_post(client, db):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        if "post" in operations:
            headers = [p["name"] for p in operations["post"].get("parameters", [])]
            assert "Idempotency-Key" in headers, path


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_twenty_double_posts_at_once_store_twenty_rows(user, foods, shipped_supplements, kind):
    _, token = ApiToken.create_for(user, "tests")
    path, body, model = bodies(foods)[kind]
    keys = [uuid.uuid4().hex for _ in range(20)]

    def send(key: str):
        client = Client(raise_request_exception=False)
        return client.post(
            path,
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        )

    answers = concurrently([partial(send, key) for key in keys for _ in range(2)])

    assert sorted({a.status_code for a in answers}) == [201]
    assert rows(model, user) == 20
    for first, second in zip(answers[::2], answers[1::2], strict=True):
        assert first.json() == second.json()  # the same row, answered twice


# --- If-Match on every PATCH and DELETE ------------------------------------------------


def made(client: Client, kind: str, foods) -> dict:
    path, body, _ = bodies(foods)[kind]
    return post(client, path, body).json()


@pytest.mark.parametrize("kind", KINDS)
def test_a_patch_from_a_stale_version_is_412_with_the_current_one(
    user, foods, shipped_supplements, kind
):
    client = token_client(user)
    row = made(client, kind, foods)
    url = f"/api/{kind}/{row['id']}/"
    seen = client.get(url)["ETag"]
    assert seen == '"1"'
    client.patch(url, json.dumps(PATCHES[kind]), content_type="application/json")  # elsewhere

    stale = client.patch(
        url, json.dumps(PATCHES[kind]), content_type="application/json", headers={"If-Match": seen}
    )

    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'
    assert "version 2" in stale.json()["detail"]
    assert list(stale.json()["errors"]) == ["If-Match"]
    assert client.get(url).json()["version"] == 2  # the stale change was not saved


@pytest.mark.parametrize("kind", KINDS)
def test_a_patch_of_the_current_version_is_saved_and_answers_the_next(
    user, foods, shipped_supplements, kind
):
    client = token_client(user)
    row = made(client, kind, foods)
    url = f"/api/{kind}/{row['id']}/"

    saved = client.patch(
        url, json.dumps(PATCHES[kind]), content_type="application/json", headers={"If-Match": '"1"'}
    )

    assert saved.status_code == 200
    assert saved["ETag"] == '"2"'
    assert saved.json()["version"] == 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_delete_from_a_stale_version_is_412_and_deletes_nothing(
    user, foods, shipped_supplements, kind
):
    client = token_client(user)
    row = made(client, kind, foods)
    url = f"/api/{kind}/{row['id']}/"
    client.patch(url, json.dumps(PATCHES[kind]), content_type="application/json")

    stale = client.delete(url, headers={"If-Match": '"1"'})
    current = client.delete(url, headers={"If-Match": '"2"'})

    assert stale.status_code == 412
    assert current.status_code == 204
    assert client.get(url).status_code == 404


def test_another_users_row_is_404_whatever_its_if_match(user, other_user, foods):
    theirs = made(token_client(other_user), "cramps", foods)

    response = token_client(user).patch(
        f"/api/cramps/{theirs['id']}/",
        "{}",
        content_type="application/json",
        headers={"If-Match": "*"},
    )

    assert response.status_code == 404


def test_a_profile_patch_from_a_stale_version_is_412_and_changes_nothing(user):
    client = token_client(user)
    seen = client.get("/api/profile/")["ETag"]
    client.patch("/api/profile/", json.dumps({"diet": ["vegan"]}), content_type="application/json")

    stale = client.patch(
        "/api/profile/",
        json.dumps({"diet": ["nut_free"]}),
        content_type="application/json",
        headers={"If-Match": seen},
    )
    current = client.get("/api/profile/")

    assert stale.status_code == 412
    assert stale["ETag"] == current["ETag"] != seen
    assert current.json()["diet"] == ["vegan"]
