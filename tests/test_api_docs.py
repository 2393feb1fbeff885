"""The API reference at /api/docs, drawn from the OpenAPI document."""

import json
import re

import pytest
from ninja import NinjaAPI, Router, Schema

from tracker.api import api
from tracker.api_docs import (
    TypeWords,
    build_reference,
    first_example,
    openapi_document,
    type_words,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(client) -> str:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_every_path_and_method_of_the_openapi_document_is_on_the_page(docs):
    document = api.get_openapi_schema()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert f'id="{operation["operationId"]}"' in docs
            assert re.search(rf">{method.upper()}</span> <code>{re.escape(path)}</code>", docs), (
                f"{method} {path}"
            )


def test_each_operation_has_its_answers_and_a_curl_example(docs):
    entries = docs[docs.index('id="tracker_api_create_entry"') :]
    entries = entries[: entries.index("</article>")]

    assert "Request body" in entries
    assert '<a href="#schema-EntryIn"><code>EntryIn</code></a>' in entries
    assert '<th scope="row">201</th>' in entries
    assert "curl -s -X POST" in entries
    assert "-H &quot;Authorization: Bearer $TOKEN&quot;" in entries
    assert "&#x27;{&quot;date&quot;: &quot;2026-11-22&quot;, &quot;food&quot;: 1" in entries
    assert "http://testserver/api/entries/" in entries


def test_a_required_query_parameter_and_a_path_parameter_are_filled_in_the_example(docs):
    assert "&quot;http://testserver/api/entries/?date=2026-11-22&quot;" in docs
    assert "&quot;http://testserver/api/entries/1/&quot;" in docs
    assert "-X DELETE" in docs


def test_a_query_parameters_own_example_fills_the_example(docs):
    # django-ninja writes a parameter's examples as a list in older versions and as an
    # OpenAPI map ({"example0": {"value": ...}}) in newer ones: both must fill the curl.
    assert "&quot;http://testserver/api/foods/?q=banana&amp;fdc_id=173944&quot;" in docs


@pytest.mark.parametrize(
    "examples", [["banana", "apple"], {"example0": {"value": "banana"}, "example1": {"value": "x"}}]
)
def test_the_first_example_is_read_from_a_list_or_a_map(examples):
    assert first_example(examples) == "banana"


def test_the_page_has_no_inline_script_or_style_and_links_the_openapi_document(docs):
    assert not re.search(r"<script(?![^>]*\bsrc=)", docs)
    assert "style=" not in docs
    assert "<style" not in docs
    assert 'href="/api/openapi.json"' in docs


def test_the_openapi_document_is_still_served(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["paths"] == json.loads(json.dumps(openapi_document()["paths"]))


def test_a_router_mounted_elsewhere_appears_with_its_own_paths_and_tag():
    router = Router(tags=["recipes"])

    class RecipeIn(Schema):
        name: str
        servings: int = 1

    @router.post("/{recipe_id}/copy/", summary="Copy a recipe")
    def copy_recipe(request, recipe_id: int, payload: RecipeIn) -> dict:
        return {}

    other = NinjaAPI(urls_namespace="docs-test", docs_url=None)
    other.add_router("/recipes", router)

    reference = build_reference(
        other.get_openapi_schema(path_prefix="/v2/"), "https://example.org", "/v2/openapi.json"
    )

    [operation] = reference.sections["recipes"]
    assert (operation.method, operation.path) == ("POST", "/v2/recipes/{recipe_id}/copy/")
    assert '"https://example.org/v2/recipes/1/copy/"' in operation.curl
    assert """-d '{"name": "text"}'""" in operation.curl
    assert [field.name for field in operation.body.fields] == ["name", "servings"]
    assert [schema.name for schema in reference.schemas] == ["RecipeIn"]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer"}, TypeWords("integer")),
        ({"type": "string", "format": "date"}, TypeWords("string (date)")),
        ({"anyOf": [{"type": "number"}, {"type": "null"}]}, TypeWords("number or null")),
        (
            {"type": "array", "items": {"$ref": "#/components/schemas/FoodOut"}},
            TypeWords("list of FoodOut", ("FoodOut",)),
        ),
        ({"enum": ["breakfast", "lunch"]}, TypeWords('one of "breakfast", "lunch"')),
        (
            {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            TypeWords("object of list of string by name"),
        ),
        ({}, TypeWords("any value")),
    ],
)
def test_a_schema_is_said_in_words(schema, expected):
    assert type_words(schema) == expected
