"""The API reference at /api/docs: a page drawn on the server from the OpenAPI document.

django-ninja's own page (Swagger UI) builds itself in the browser and fails axe (contrast,
buttons inside buttons, no main landmark, no language). This one is plain HTML in the
site's style: for each path its method, summary, parameters, request body, answers and a
curl example; then every schema's fields. Everything comes from api.get_openapi_schema(),
so a router mounted anywhere appears here with its real paths.
"""

import json
import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.views.decorators.http import require_safe

from tracker.api import api

METHODS = ("get", "post", "put", "patch", "delete")
REF_PREFIX = "#/components/schemas/"
# Example values for a parameter or field whose schema gives none.
EXAMPLE_BY_FORMAT = {"date": "2026-11-22", "date-time": "2026-11-22T08:30:00+01:00"}
EXAMPLE_BY_TYPE: dict[str, Any] = {"integer": 1, "number": 1, "boolean": True, "string": "text"}
CONSTRAINT_WORDS = {
    "minimum": "at least {}",
    "exclusiveMinimum": "more than {}",
    "maximum": "at most {}",
    "exclusiveMaximum": "less than {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "default": "default {}",
}


@dataclass(frozen=True)
class TypeWords:
    """A schema in words ("list of FoodOut", "integer or null") and the named schemas it
    refers to, which the page links to."""

    words: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: TypeWords
    required: bool
    description: str
    rules: str  # "at least 1; at most 100"
    where: str = ""  # a parameter's place: query, path, header


@dataclass(frozen=True)
class BodyDoc:
    content_type: str
    type: TypeWords
    description: str
    fields: list[FieldDoc]
    example: str  # JSON


@dataclass(frozen=True)
class AnswerDoc:
    status: str
    description: str
    type: TypeWords | None


@dataclass(frozen=True)
class OperationDoc:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    signed_in: bool
    parameters: list[FieldDoc]
    body: BodyDoc | None
    answers: list[AnswerDoc]
    curl: str


@dataclass(frozen=True)
class SchemaDoc:
    name: str
    description: str
    fields: list[FieldDoc]
    words: str  # for a schema that is not an object: an enum's values, say


@dataclass
class Reference:
    title: str
    version: str
    description: str
    openapi_url: str
    sections: dict[str, list[OperationDoc]] = field(default_factory=dict)  # by tag
    schemas: list[SchemaDoc] = field(default_factory=list)


def prose(text: str) -> SafeString:
    """A description as the schema holds it (a docstring: hard-wrapped lines, blank lines
    between paragraphs, `code` in backticks) as HTML paragraphs."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text.strip())]
    html = "".join(
        format_html("<p>{}{}</p>", capfirst(paragraph), "" if paragraph[-1] in ".!?:" else ".")
        for paragraph in paragraphs
        if paragraph
    )
    # The text was escaped above; backticks are no HTML.
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", html))


def type_words(schema: dict[str, Any]) -> TypeWords:
    """What a JSON schema holds, in words a reader knows."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return TypeWords(name, (name,))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [type_words(part) for part in schema[key]]
            not_null = [part for part in parts if part.words != "null"]
            words = " or ".join(part.words for part in not_null)
            if len(not_null) < len(parts):
                words += " or null"
            return TypeWords(words, tuple(ref for part in parts for ref in part.refs))
    if "enum" in schema:
        return TypeWords("one of " + ", ".join(json.dumps(value) for value in schema["enum"]))
    kind = schema.get("type", "any value")
    if kind == "array":
        items = type_words(schema.get("items", {}))
        return TypeWords(f"list of {items.words}", items.refs)
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        values = type_words(schema["additionalProperties"])
        return TypeWords(f"object of {values.words} by name", values.refs)
    if isinstance(kind, list):
        return TypeWords(" or ".join(kind))
    if "format" in schema:
        return TypeWords(f"{kind} ({schema['format']})")
    return TypeWords(kind)


def rules(schema: dict[str, Any]) -> str:
    """A schema's limits in words: "at least 1; at most 100"."""
    found = []
    for part in [schema, *schema.get("anyOf", [])]:
        for key, words in CONSTRAINT_WORDS.items():
            if key in part:
                found.append(words.format(json.dumps(part[key])))
        if "pattern" in part:
            found.append(f"matching {part['pattern']}")
    return "; ".join(dict.fromkeys(found))


def first_example(examples: list[Any] | dict[str, Any]) -> Any:
    """The first of a JSON Schema's `examples` list or of an OpenAPI parameter's
    `examples` map ({"name": {"value": ...}}): django-ninja writes either, by version."""
    if isinstance(examples, dict):
        return next(iter(examples.values())).get("value")
    return examples[0]


def example(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """An example value for a schema: its own example, else one made from its type."""
    for source in (schema, *schema.get("anyOf", [])):
        if source.get("examples"):
            return first_example(source["examples"])
    if "$ref" in schema:
        if depth > 3:
            return {}
        return example(components[schema["$ref"].removeprefix(REF_PREFIX)], components, depth + 1)
    if "anyOf" in schema:
        not_null = [part for part in schema["anyOf"] if part.get("type") != "null"]
        return example(not_null[0], components, depth) if not_null else None
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    if schema.get("type") == "object":
        return {
            name: example(prop, components, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if schema.get("type") == "array":
        return [example(schema.get("items", {}), components, depth + 1)]
    if schema.get("format") in EXAMPLE_BY_FORMAT:
        return EXAMPLE_BY_FORMAT[schema["format"]]
    if schema.get("minimum", 0) > 0 and schema.get("type") in ("integer", "number"):
        return schema["minimum"]
    return EXAMPLE_BY_TYPE.get(schema.get("type", "string"), "text")


def field_docs(schema: dict[str, Any]) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    return [
        FieldDoc(
            name=name,
            type=type_words(prop),
            required=name in required,
            description=prose(prop.get("description", "")),
            rules=rules(prop),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def curl_example(
    base_url: str,
    method: str,
    path: str,
    parameters: list[dict[str, Any]],
    body: Any,
    signed_in: bool,
    components: dict[str, Any],
) -> str:
    """A command that works once $TOKEN is set: required parameters (and those with an
    example) filled in, the body's example sent as JSON."""
    query = []
    for parameter in parameters:
        value = example(parameter.get("schema", {}) | parameter, components)
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query" and (parameter.get("required") or "examples" in parameter):
            query.append(f"{parameter['name']}={value}")
    url = base_url + path + ("?" + "&".join(query) if query else "")
    lines = ["curl -s" + ("" if method == "get" else f" -X {method.upper()}")]
    if signed_in:
        lines.append('-H "Authorization: Bearer $TOKEN"')
    if body is not None:
        lines.append('-H "Content-Type: application/json"')
        lines.append("-d " + shlex.quote(json.dumps(body)))
    lines.append(f'"{url}"')
    return " \\\n  ".join(lines)


def operation_doc(
    method: str, path: str, operation: dict[str, Any], components: dict[str, Any], base_url: str
) -> OperationDoc:
    parameters = operation.get("parameters", [])
    body = None
    body_example = None
    for content_type, content in operation.get("requestBody", {}).get("content", {}).items():
        schema = content.get("schema", {})
        resolved = components.get(schema.get("$ref", "").removeprefix(REF_PREFIX), schema)
        body_example = example(schema, components)
        body = BodyDoc(
            content_type=content_type,
            type=type_words(schema),
            description=prose(resolved.get("description", "")),
            fields=field_docs(resolved),
            example=json.dumps(body_example, indent=2),
        )
    signed_in = bool(operation.get("security"))
    return OperationDoc(
        method=method.upper(),
        path=path,
        anchor=operation.get("operationId", f"{method}-{path}"),
        summary=operation.get("summary", ""),
        description=prose(operation.get("description", "")),
        signed_in=signed_in,
        parameters=[
            FieldDoc(
                name=parameter["name"],
                type=type_words(parameter.get("schema", {})),
                required=parameter.get("required", False),
                description=prose(
                    parameter.get("description", "")
                    or parameter.get("schema", {}).get("description", "")
                ),
                rules=rules(parameter.get("schema", {})),
                where=parameter["in"],
            )
            for parameter in parameters
        ],
        body=body,
        answers=[
            AnswerDoc(
                status=status,
                description=answer.get("description", ""),
                type=next(
                    (type_words(c["schema"]) for c in answer.get("content", {}).values()), None
                ),
            )
            for status, answer in operation.get("responses", {}).items()
        ],
        curl=curl_example(base_url, method, path, parameters, body_example, signed_in, components),
    )


def build_reference(document: dict[str, Any], base_url: str, openapi_url: str) -> Reference:
    """The page's content from an OpenAPI document, pure."""
    components = document.get("components", {}).get("schemas", {})
    info = document.get("info", {})
    reference = Reference(
        title=info.get("title", "API"),
        version=info.get("version", ""),
        description=prose(info.get("description", "")),
        openapi_url=openapi_url,
    )
    for path, operations in document.get("paths", {}).items():
        for method in METHODS:
            if method in operations:
                operation = operations[method]
                tag = (operation.get("tags") or ["API"])[0]
                reference.sections.setdefault(tag, []).append(
                    operation_doc(method, path, operation, components, base_url)
                )
    reference.schemas = [
        SchemaDoc(
            name=name,
            description=prose(schema.get("description", "")),
            fields=field_docs(schema),
            words="" if "properties" in schema else type_words(schema).words,
        )
        for name, schema in sorted(components.items())
    ]
    return reference


@cache
def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, made once per process (routers mount at start-up)."""
    return api.get_openapi_schema()


@require_safe
def api_reference(request: HttpRequest) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    openapi_url = reverse(f"{api.urls_namespace}:openapi-json")
    reference = build_reference(openapi_document(), base_url, openapi_url)
    return render(request, "api/docs.html", {"reference": reference})
