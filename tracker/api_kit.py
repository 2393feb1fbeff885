"""What every router of the JSON API shares: the error shape, our own input types
(so that every message is ours), @idempotent (the Idempotency-Key every POST goes
through) and check_if_match (the ETag / If-Match every PATCH and DELETE goes through)."""

import functools
import inspect
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Header, Schema
from ninja.parser import Parser
from pydantic import BaseModel, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from tracker.cramp_models import stored_version
from tracker.diary_days import ISO_DAY_IN_RANGE_PATTERN, parse_diary_day
from tracker.forms import MAX_GRAMS, MAX_PORTIONS, SURROGATES, UNSTORABLE_TEXT
from tracker.models import (
    REQUEST_KEY_MAX_LENGTH,
    Meal,
    RequestKey,
    request_fingerprint,
)

# Search pages: the diary shows 20; a program may ask for up to 100.
DEFAULT_SEARCH_RESULTS = 20
MAX_SEARCH_RESULTS = 100
# A list that grows with the diary (cramps) comes in pages of this many at most.
DEFAULT_PAGE_ROWS = 100
MAX_PAGE_ROWS = 500
# Past any diary, and within what every database takes as an OFFSET.
MAX_OFFSET = 1_000_000_000
# Longer digit strings are no id of ours (and int() refuses past 4,300 digits).
MAX_ID_DIGITS = 30


# --- Errors: one shape for all ----------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class FieldErrors(Exception):
    """A request the API understood but cannot accept: 422 with a message per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 503: ErrorOut}
WRITE_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    412: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    503: ErrorOut,
}


# --- The body: JSON of a bounded size and depth, with text the database can store -------

# An API body is a few fields: far below Django's own limit for any body (2.5 MB).
MAX_BODY_BYTES = 64 * 1024
MAX_BODY_DEPTH = 8


class BodyTooLarge(Exception):
    """A body past MAX_BODY_BYTES or nested past MAX_BODY_DEPTH: 413, in the API's shape."""


class CheckedJson(Parser):
    """ninja's JSON parser, bounded: a body too large or nested too deeply is BodyTooLarge,
    and a string anywhere in it that the database cannot store (a lone surrogate) is a
    422 naming the top-level field it came in. ninja turns any error here into a 400,
    whose cause the API's handler answers instead (tracker/api.py)."""

    def parse_body(self, request: HttpRequest) -> Any:
        if len(request.body) > MAX_BODY_BYTES:
            raise BodyTooLarge(f"Send at most {MAX_BODY_BYTES // 1024} KB of JSON.")
        try:
            data = json.loads(request.body)
        except RecursionError:
            raise BodyTooLarge(too_deep()) from None
        check_text(data)
        return data


def too_deep() -> str:
    return f"Send JSON nested at most {MAX_BODY_DEPTH} levels deep."


def check_text(value: object, field: str = "body", depth: int = 0) -> None:
    if depth >= MAX_BODY_DEPTH:  # depth 0 is the first level
        raise BodyTooLarge(too_deep())
    if isinstance(value, str):
        if SURROGATES.search(value):
            raise FieldErrors({field: [UNSTORABLE_TEXT]})
    elif isinstance(value, dict):
        for name, item in value.items():
            inner = name if depth == 0 else field
            check_text(name, inner, depth + 1)
            check_text(item, inner, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_text(item, field, depth + 1)


# --- Input types: our own parsing, so that every message is ours ------------------------


def invalid(message: str) -> PydanticCustomError:
    return PydanticCustomError("invalid", message)


def parse_day(value: object) -> date:
    """YYYY-MM-DD within the diary's days, as the day pages' URLs."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise invalid("Enter a date as YYYY-MM-DD.")
    try:
        return parse_diary_day(value)
    except ValueError as error:
        raise invalid(str(error)) from None


WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def parse_id(value: object) -> int:
    """An id: a whole number from 1, as a JSON integer or digits in a query string or path."""
    if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value):
        if len(value) > MAX_ID_DIGITS:
            raise invalid("That number is too large.")
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise invalid("Enter a whole number.")
    if number < 1:
        raise invalid("Enter a whole number from 1 up.")
    return number


def parse_amount(value: object) -> Decimal:
    """A number for EntryForm to check: the form says what is too much or too little."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise invalid("Enter a number, like 1 or 150.")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise invalid("Enter a number, like 1 or 150.") from None
    if amount.is_nan():
        raise invalid("Enter a number, like 1 or 150.")
    if amount.is_infinite():  # what json.loads makes of 1e400
        raise invalid("That amount is too large.")
    return amount


SLOTS = [slot.value for slot in Meal.Slot]


def parse_slot(value: object) -> str:
    if value not in SLOTS:
        raise invalid("Choose breakfast, lunch, dinner or snacks.")
    return str(value)


Day = Annotated[
    date,
    PlainValidator(parse_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": ISO_DAY_IN_RANGE_PATTERN,
            "examples": ["2026-11-22"],
        }
    ),
]
Id = Annotated[int, PlainValidator(parse_id), WithJsonSchema({"type": "integer", "minimum": 1})]
Limit = Annotated[
    int,
    PlainValidator(parse_id),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_SEARCH_RESULTS}),
]


def parse_offset(value: object) -> int:
    """How many rows to skip: 0 to MAX_OFFSET."""
    offset = 0 if value in (0, "0") else parse_id(value)
    if offset > MAX_OFFSET:
        raise invalid(f"Choose an offset from 0 to {MAX_OFFSET:,}.")
    return offset


Offset = Annotated[
    int,
    PlainValidator(parse_offset),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}),
]
PageRows = Annotated[
    int,
    PlainValidator(parse_id),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_ROWS}),
]


def page_of(rows: Any, limit: int, offset: int) -> Any:
    """One page of a list, as every list that grows with the diary is answered."""
    if limit > MAX_PAGE_ROWS:
        raise FieldErrors({"limit": [f"Choose a limit from 1 to {MAX_PAGE_ROWS}."]})
    return rows[offset : offset + limit]


Grams = Annotated[
    Decimal,
    PlainValidator(parse_amount),
    WithJsonSchema(
        {"type": "number", "exclusiveMinimum": 0, "maximum": float(MAX_GRAMS), "examples": [118]}
    ),
]
Count = Annotated[
    Decimal,
    PlainValidator(parse_amount),
    WithJsonSchema(
        {"type": "number", "exclusiveMinimum": 0, "maximum": float(MAX_PORTIONS), "examples": [1]}
    ),
]
Slot = Annotated[str, PlainValidator(parse_slot), WithJsonSchema({"type": "string", "enum": SLOTS})]


def parse_whole_number(value: object) -> int:
    """A JSON integer, not true, false or 2.5: the web's form then says what is too much."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid("Enter a whole number.")
    return value


WholeNumber = Annotated[
    int, PlainValidator(parse_whole_number), WithJsonSchema({"type": "integer"})
]


def parse_moment(value: object) -> datetime:
    """An ISO 8601 date and time as text ("2026-11-22T03:15:00+01:00"), not a number."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise invalid("Enter a date and time, like 2026-11-22T03:15:00+01:00.")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise invalid("Enter a date and time, like 2026-11-22T03:15:00+01:00.") from None


Moment = Annotated[
    datetime,
    PlainValidator(parse_moment),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class FoodRefOut(Schema):
    id: int
    description: str


# --- Idempotency-Key: every POST goes through @idempotent --------------------------------

IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENCY_KEY_PATTERN = re.compile(rf"[!-~]{{1,{REQUEST_KEY_MAX_LENGTH}}}")  # printable ASCII
REPLAYED = "Idempotent-Replayed"
KEY_REUSED = "This key came with another request; use a new key for this one."
# Where @idempotent leaves the claimed key for keep_answer().
CLAIM_ATTRIBUTE = "idempotency_claim"


def idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is not None and not IDEMPOTENCY_KEY_PATTERN.fullmatch(key):
        raise FieldErrors(
            {
                IDEMPOTENCY_KEY: [
                    f"Send 1 to {REQUEST_KEY_MAX_LENGTH} printable ASCII characters, "
                    "such as a UUID, without spaces."
                ]
            }
        )
    return key


# Declared for the schema (and the fuzzer); idempotency_key() reads and checks it.
IdempotencyKeyHeader = Annotated[
    str | None,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^[!-~]{{1,{REQUEST_KEY_MAX_LENGTH}}}$",
            "description": "a new UUID per request; send it again with a retry",
        }
    ),
]
KEY_PARAMETER = "idempotency_key_header"


def meaning(value: object) -> object:
    """What a request says, not how it spelled it: 10, 10.0 and "10.00" grams are one
    number; dates, ids and the rest as the schema read them."""
    if isinstance(value, BaseModel):
        return meaning(value.model_dump())
    if isinstance(value, dict):
        return {str(name): meaning(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [meaning(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        return {"number": format(number.normalize(), "f") if number.is_finite() else str(number)}
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make a POST operation safe to resend: with an `Idempotency-Key` header, a second
    request with the same key within 24 hours stores nothing new and answers the first
    answer again (`Idempotent-Replayed: true`); the same key with a request that means
    something else (its path or its parsed body differ) is a 422. A request refused
    (4xx) keeps its key free for the corrected one.

    How a router opts in: put it right under the route's decorator,

        @router.post("/", response={201: ThingOut, **WRITE_ERRORS}, url_name="things")
        @idempotent
        def create_thing(request, payload: ThingIn) -> Status: ...

    It adds the header to the operation's schema. The key is claimed in a savepoint
    around the view, and the answer kept by keep_answer() (TrackerApi.create_response),
    both inside the request's one transaction (tracker/page_cache.one_write_transaction):
    a key is kept if and only if its write and its answer were.
    """
    signature = inspect.signature(view)
    key_parameter = inspect.Parameter(
        KEY_PARAMETER,
        inspect.Parameter.KEYWORD_ONLY,
        default=Header(None, alias=IDEMPOTENCY_KEY),
        annotation=IdempotencyKeyHeader,
    )

    @functools.wraps(view)
    def wrapper(request: HttpRequest, **values: Any) -> Any:
        values.pop(KEY_PARAMETER, None)
        key = idempotency_key(request)
        if key is None:
            return view(request, **values)
        fingerprint = request_fingerprint(
            "POST", request.path, json.dumps(meaning(values), sort_keys=True)
        )
        try:
            with transaction.atomic():
                claimed, new = RequestKey.claim(request.auth, key, fingerprint)
                if not new:
                    return replay(request, claimed, fingerprint)
                setattr(request, CLAIM_ATTRIBUTE, claimed)
                return view(request, **values)
        except Exception:
            setattr(request, CLAIM_ATTRIBUTE, None)  # rolled back with the write
            raise

    positional = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    wrapper.__signature__ = signature.replace(parameters=[*positional, key_parameter])
    return wrapper


def keep_answer(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a keyed POST's answer with its key, for a retry (called for every answer of
    the API; only @idempotent's claimed keys with a 2xx answer are kept)."""
    claimed: RequestKey | None = getattr(request, CLAIM_ATTRIBUTE, None)
    if claimed is None or claimed.status_code is not None or response.status_code >= 300:
        return
    claimed.status_code = response.status_code
    claimed.response_body = response.content.decode()
    claimed.save(update_fields=["status_code", "response_body"])


def replay(request: HttpRequest, claimed: RequestKey, fingerprint: str) -> HttpResponse:
    if claimed.fingerprint != fingerprint:
        raise FieldErrors({IDEMPOTENCY_KEY: [KEY_REUSED]})
    response = HttpResponse(
        claimed.response_body, status=claimed.status_code, content_type="application/json"
    )
    response[REPLAYED] = "true"
    return response


# --- ETag and If-Match: every PATCH and DELETE goes through check_if_match ----------------

IF_MATCH = "If-Match"


class StaleVersion(Exception):
    """An If-Match naming another version than the row's: 412, with the current one."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(request: HttpRequest, row: Any) -> None:
    """For a PATCH or DELETE of one row with a `version` field: when the request sends
    `If-Match`, lock the row until the request's transaction ends and go ahead only if
    it names the row's current version (or is `*`); else StaleVersion, which the API
    answers 412 with the current version in its ETag and message. Without If-Match the
    change goes ahead, as before (no query).

    How a router opts in: give the model a version that goes up at every change
    (tracker.cramp_models.Versioned), put `version: int` in the row's output schema (every
    answer whose JSON has an integer "version" carries it as its ETag:
    TrackerApi.create_response), and call this first in the PATCH and DELETE views,
    right after finding the user's row.
    """
    wanted = request.headers.get(IF_MATCH)
    if wanted is None:
        return
    try:
        current = stored_version(row)
    except ObjectDoesNotExist:
        return  # gone meanwhile: the view's own lookup answers 404
    row.version = current
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if "*" not in tags and etag(current) not in tags:
        raise StaleVersion(current)
