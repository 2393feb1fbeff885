"""What every router of the JSON API shares: the error shape, our own input types
(so that every message is ours), and the Idempotency-Key that makes a POST safe to resend."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Header, Schema
from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from tracker.diary_days import ISO_DAY_IN_RANGE_PATTERN, parse_diary_day
from tracker.forms import MAX_GRAMS, MAX_PORTIONS
from tracker.models import (
    REQUEST_KEY_MAX_LENGTH,
    Meal,
    RequestKey,
)

# Search pages: the diary shows 20; a program may ask for up to 100.
DEFAULT_SEARCH_RESULTS = 20
MAX_SEARCH_RESULTS = 100
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
    422: ErrorOut,
    503: ErrorOut,
}


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


IDEMPOTENCY_KEY = "Idempotency-Key"
IDEMPOTENCY_KEY_PATTERN = re.compile(rf"[!-~]{{1,{REQUEST_KEY_MAX_LENGTH}}}")  # printable ASCII
REPLAYED = "Idempotent-Replayed"


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
            "description": "a new UUID per entry; send it again with a retry",
        }
    ),
]


NO_KEY = Header(None, alias=IDEMPOTENCY_KEY)


def replay(request: HttpRequest, claimed: RequestKey, fingerprint: str) -> HttpResponse:
    if claimed.fingerprint != fingerprint:
        raise FieldErrors(
            {IDEMPOTENCY_KEY: ["This key came with another request; use a new key for this one."]}
        )
    response = HttpResponse(
        claimed.response_body, status=claimed.status_code, content_type="application/json"
    )
    response[REPLAYED] = "true"
    return response
