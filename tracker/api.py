"""The JSON API under /api/: foods, the diary's entries and a day's report.

Built with django-ninja, which serves the OpenAPI schema at /api/openapi.json and the
docs at /api/docs. A request is signed in by a personal token
(`Authorization: Bearer <token>`) or by the browser's session, which then needs the
CSRF token on writes, as every form of the site does.

Entries are validated by the web's own EntryForm, so the limits and their messages are
the same in both. Every error answers with one shape, ErrorOut:
{"detail": "<one sentence>", "errors": {"<field>": ["<message>", …]}}, with "errors"
empty when no field is to blame.
"""

import re
import zoneinfo
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import ConfigDict, PlainValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from nutrients.insights import ASSOCIATION_NOT_DIAGNOSIS, DEFAULT_SPAN_DAYS, SPANS_DAYS, Comparison
from nutrients.models import Food, FoodNutrient
from nutrients.report import HEADLINE_MINERALS, Risk, Suggestion, SupportingLine
from nutrients.report import Status as MineralStatusWord
from nutrients.search import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH
from nutrients.supplements import SUPPLEMENT_NUTRIENTS
from tracker.cramps import CrampForm, cramps_of
from tracker.day_data import DayReport, MineralLine, day_report
from tracker.diary_days import ISO_DAY_IN_RANGE_PATTERN, OUT_OF_RANGE_TIME, parse_diary_day
from tracker.forms import MAX_GRAMS, MAX_PORTIONS, EntryForm
from tracker.health import RETRY_AFTER_S, UNAVAILABLE
from tracker.insights import Insights, gather
from tracker.models import (
    REQUEST_KEY_MAX_LENGTH,
    ApiToken,
    Cramp,
    DayTotal,
    Entry,
    Meal,
    Profile,
    RequestKey,
    Supplement,
    SupplementAmount,
    SupplementIntake,
    request_fingerprint,
)
from tracker.supplements import IntakeForm, intakes_of, supplements_with_amounts

# Search pages: the diary shows 20; a program may ask for up to 100.
DEFAULT_SEARCH_RESULTS = 20
MAX_SEARCH_RESULTS = 100
# Longer digit strings are no id of ours (and int() refuses past 4,300 digits).
MAX_ID_DIGITS = 30

SIGN_IN = "Sign in, or send a token as “Authorization: Bearer <token>”."
NOTHING_LOGGED = "Nothing logged yet for this day, so there is nothing to rate."
OVER_UPPER = "over the upper limit"
PORTION_NOT_OF_FOOD = "That portion is not one of this food’s portions."


# --- Authentication ---------------------------------------------------------------------


class BearerToken(HttpBearer):
    """A personal token. A request that sends one is judged by it alone: a wrong or
    revoked token is 401 even when a session cookie comes along."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token)
        if user is None:
            raise AuthenticationError(message="That token is not valid: it may have been revoked.")
        return user


class SignedInSession(SessionAuth):
    """ninja's django_auth, CSRF check included, but only for a signed-in session: a
    request with no session at all is 401 (sign in), not 403 (CSRF)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="Cramp Tracker API",
    version="1",
    description=(
        "Foods with their nutrients, your diary's entries and each day's report. "
        "Send `Authorization: Bearer <token>` (make a token in your profile), or use "
        "your signed-in browser session with the CSRF token on writes. Errors answer "
        '`{"detail": "…", "errors": {"<field>": ["…"]}}`.'
    ),
    urls_namespace="api",
    auth=[BearerToken(), SignedInSession()],
)


# --- Errors: one shape for all ----------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class FieldErrors(Exception):
    """A request the API understood but cannot accept: 422 with a message per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def error_response(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(FieldErrors)
def field_errors(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
    return error_response(request, 422, "Some fields are not valid.", exc.errors)


@api.exception_handler(ValidationError)
def invalid_params(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """pydantic's errors, keyed by the field a person sent: "grams", "date", "q"."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        source, *where = error["loc"]
        if source == "body":
            where = where[1:]  # the view's parameter name ("payload") means nothing outside
            if not where:
                # Not an object at all (a list, a number, nothing): no field to blame.
                return error_response(request, 400, "The request body must be a JSON object.")
        field = str(where[0]) if where else source
        errors.setdefault(field, []).append(message_for(error))
    return error_response(request, 422, "Some fields are not valid.", errors)


def message_for(error: dict[str, Any]) -> str:
    if error["type"] == "missing":
        return "This field is required."
    if error["type"] == "extra_forbidden":
        return "Unknown field."
    return error["msg"]  # our own validators' words (PydanticCustomError)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's only 400: a body json.loads cannot read.
        return error_response(request, 400, "The request body is not valid JSON.")
    if exc.status_code == 401:
        # ninja's own 401, when no way of signing in came along, says only "Unauthorized".
        detail = SIGN_IN if exc.message == "Unauthorized" else exc.message
        response = error_response(request, 401, detail)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if exc.status_code == 403:
        return error_response(
            request,
            403,
            "CSRF check failed: with a session, send the csrftoken cookie’s value as the "
            "X-CSRFToken header, or use a token instead.",
        )
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, str(exc) or "Not found.")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_trouble(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A lost connection or a statement past its time-out: try again shortly. Every write
    is one transaction, so nothing of it was stored."""
    response = error_response(request, 503, UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


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


# --- Foods ------------------------------------------------------------------------------


# The output schemas read model instances and report objects directly. A field whose
# value lies elsewhere names the path to it (`validation_alias="nutrient.name"`, which
# ninja follows attribute by attribute); a value to compute has a resolve_… method.
# Comments, not docstrings: a docstring would enter the published schema.


class NutrientAmountOut(Schema):
    # From a FoodNutrient with its nutrient fetched.
    id: int = Field(
        validation_alias="nutrient_id",
        description="FoodData Central nutrient id: 1092 potassium, 1087 calcium…",
    )
    name: str = Field(validation_alias="nutrient.name")
    unit: str = Field(validation_alias="nutrient.unit")
    amount: float = Field(description="per 100 g")


class PortionOut(Schema):
    id: int
    description: str
    grams: float


class FoodOut(Schema):
    # From a Food, through foods_with_details().
    id: int
    description: str
    fdc_id: int | None
    category: str
    source: str = Field(description="seed, fdc (FoodData Central) or user (your own food)")
    nutrients: list[NutrientAmountOut] = Field(description="per 100 g; a missing one: no data")
    portions: list[PortionOut]

    @staticmethod
    def resolve_nutrients(food: Food) -> Any:
        return food.nutrient_amounts.all()


class FoodsQuery(Schema):
    q: str | None = Field(None, description="words as in the diary's search", examples=["banana"])
    fdc_id: Id | None = Field(None, description="a FoodData Central id", examples=[173944])
    limit: Limit = DEFAULT_SEARCH_RESULTS


def foods_with_details(foods: Any) -> Any:
    """Nutrients and portions in two more queries, however many foods."""
    return foods.prefetch_related(
        Prefetch(
            "nutrient_amounts",
            queryset=FoodNutrient.objects.select_related("nutrient"),
        ),
        "portions",
    )


@api.get("/foods/", response={200: list[FoodOut], **READ_ERRORS}, url_name="foods")
def list_foods(request: HttpRequest, filters: Query[FoodsQuery]) -> Any:
    """Foods you may log (the shared table and your own), searched as the diary does."""
    query = (filters.q or "").strip()[:SEARCH_MAX_LENGTH]
    errors: dict[str, list[str]] = {}
    if not query and filters.fdc_id is None:
        errors["q"] = ["Send q (words to search for) or fdc_id."]
    elif query and len(query) < SEARCH_MIN_LENGTH:
        errors["q"] = [f"Enter at least {SEARCH_MIN_LENGTH} characters."]
    if filters.limit > MAX_SEARCH_RESULTS:
        errors["limit"] = [f"Choose a limit from 1 to {MAX_SEARCH_RESULTS}."]
    if errors:
        raise FieldErrors(errors)
    foods = Food.objects.visible_to(request.auth)
    if query:
        foods = foods.search(query)
    if filters.fdc_id is not None:
        foods = foods.filter(fdc_id=filters.fdc_id)
    return foods_with_details(foods)[: filters.limit]


@api.get("/foods/{food_id}/", response={200: FoodOut, **READ_ERRORS}, url_name="food")
def get_food(request: HttpRequest, food_id: Id) -> Food:
    food = foods_with_details(Food.objects.visible_to(request.auth).filter(pk=food_id)).first()
    if food is None:
        raise Http404("No such food among those you may see.")
    return food


# --- Entries ----------------------------------------------------------------------------


class FoodRefOut(Schema):
    id: int
    description: str


class EntryBase(Schema):
    # From an Entry with its meal and food fetched and with_minerals() applied; EntryOut
    # adds each headline mineral's mg_field.
    id: int
    date: date
    meal: str = Field(validation_alias="meal.slot")
    food: FoodRefOut
    quantity: float = Field(description="the number typed: grams, ml or a count of portions")
    unit: str = Field(description="g, ml, or the portion's description")
    amount: str = Field(
        validation_alias="amount_as_entered",
        description='as entered: "150 g", "1 medium (7\\" to 7-7/8\\" long)"',
    )
    grams: float
    portion: int | None = Field(validation_alias="portion_id")

    # A resolver, not an alias: a field named date cannot be given a default.
    @staticmethod
    def resolve_date(entry: Entry) -> date:
        return entry.meal.day


EntryOut = create_model(
    "EntryOut",
    __base__=EntryBase,
    **{mineral.mg_field: (float | None, ...) for mineral in HEADLINE_MINERALS},
)


# For the schemas' "exactly one way of giving the amount".
NULL = {"type": "null"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
BY_GRAMS = {"required": ["grams"], "properties": {"grams": NUMBER, "portion": NULL, "count": NULL}}


class EntriesQuery(Schema):
    date: Day


class EntryIn(Schema):
    """grams, or portion and count: exactly one of the two."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Exactly one way of giving the amount, said in the schema too.
            "oneOf": [
                BY_GRAMS,
                {
                    "required": ["portion", "count"],
                    "properties": {"grams": NULL, "portion": INTEGER, "count": NUMBER},
                },
            ],
            "examples": [
                {"date": "2026-11-22", "food": 1, "grams": 118, "meal": "breakfast"},
                {"date": "2026-11-22", "food": 1, "portion": 1, "count": 1, "meal": "snacks"},
            ],
        },
    )

    date: Day
    food: Id
    meal: Slot
    grams: Grams | None = None
    portion: Id | None = Field(None, description="one of the food's portions")
    count: Count | None = Field(None, description="how many of the portion")


class EntryPatch(Schema):
    """Any of: grams, or portion and count (count alone keeps the portion), and meal."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # Grams, or a count (with a portion, or of the entry's own), or neither.
            "oneOf": [
                BY_GRAMS,
                {"required": ["count"], "properties": {"grams": NULL, "count": NUMBER}},
                {"properties": {"grams": NULL, "portion": NULL, "count": NULL}},
            ],
            "examples": [{"grams": 150}, {"meal": "lunch"}, {"count": 2}],
        },
    )

    meal: Slot | None = None
    grams: Grams | None = None
    portion: Id | None = None
    count: Count | None = None


def entries_of(user: "settings.AUTH_USER_MODEL") -> Any:
    return Entry.objects.filter(meal__user=user).select_related("meal", "food").with_minerals()


def own_entry(user: "settings.AUTH_USER_MODEL", entry_id: int) -> Entry:
    """The user's entry; another user's is as missing as one that never was."""
    entry = entries_of(user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry in your diary.")
    return entry


def amount_as_form_data(
    grams: Decimal | None, portion_id: int | None, count: Decimal | None
) -> dict[str, str]:
    """EntryForm's quantity and unit from grams, or from portion and count."""
    if grams is not None and (portion_id is not None or count is not None):
        raise FieldErrors({"grams": ["Send grams, or portion and count, not both."]})
    if grams is not None:
        return {"quantity": str(grams), "unit": "g"}
    if portion_id is None and count is None:
        raise FieldErrors({"grams": ["Send grams, or portion and count."]})
    if portion_id is None:
        raise FieldErrors({"portion": ["Send the portion the count is of."]})
    if count is None:
        raise FieldErrors({"count": ["Send how many of the portion."]})
    return {"quantity": str(count), "unit": str(portion_id)}


def validated_form(data: dict[str, str], user: Any, food: Food | None = None) -> EntryForm:
    """EntryForm, the web's own rules; its errors keyed by the API's field names."""
    form = EntryForm(data, user=user, food=food)
    form.fields["unit"].error_messages["invalid_choice"] = PORTION_NOT_OF_FOOD
    if form.is_valid():
        return form
    quantity_field = "grams" if data.get("unit") == "g" else "count"
    names = {"food": "food", "slot": "meal", "unit": "portion", "quantity": quantity_field}
    errors = {names.get(field, field): list(messages) for field, messages in form.errors.items()}
    if "food" in errors:
        errors.pop("portion", None)  # a portion can only be judged against a known food
    raise FieldErrors(errors)


@api.get("/entries/", response={200: list[EntryOut], **READ_ERRORS}, url_name="entries")
def list_entries(request: HttpRequest, filters: Query[EntriesQuery]) -> Any:
    """Your entries of one day, in the order you logged them."""
    return entries_of(request.auth).filter(meal__day=filters.date)


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


@api.post("/entries/", response={201: EntryOut, **WRITE_ERRORS}, url_name="entries")
def create_entry(
    request: HttpRequest,
    payload: EntryIn,
    key_header: IdempotencyKeyHeader = NO_KEY,
) -> Any:
    """Log an entry. With an `Idempotency-Key` header (a UUID, say), sending the same
    request again within 24 hours stores nothing new and answers the first answer again,
    with `Idempotent-Replayed: true`; the same key with another body is a 422."""
    key = idempotency_key(request)
    data = {
        "food": str(payload.food),
        "slot": payload.meal,
        **amount_as_form_data(payload.grams, payload.portion, payload.count),
    }
    # The write, its key and its read-back in one transaction: a connection lost midway
    # leaves nothing stored, so a retry cannot double it.
    with transaction.atomic():
        if key is not None:
            fields = sorted((name, str(value)) for name, value in payload.__dict__.items())
            fingerprint = request_fingerprint("POST", request.path, repr(fields))
            claimed, new = RequestKey.claim(request.auth, key, fingerprint)
            if not new:
                return replay(request, claimed, fingerprint)
        form = validated_form(data, request.auth)
        entry = own_entry(request.auth, form.save(user=request.auth, day=payload.date).pk)
        if key is not None:
            claimed.status_code = 201
            claimed.response_body = EntryOut.from_orm(entry).model_dump_json()
            claimed.save(update_fields=["status_code", "response_body"])
    return Status(201, entry)


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


@api.get("/entries/{entry_id}/", response={200: EntryOut, **READ_ERRORS}, url_name="entry")
def get_entry(request: HttpRequest, entry_id: Id) -> Entry:
    return own_entry(request.auth, entry_id)


@api.patch("/entries/{entry_id}/", response={200: EntryOut, **WRITE_ERRORS}, url_name="entry")
def update_entry(request: HttpRequest, entry_id: Id, payload: EntryPatch) -> Entry:
    """The food of an entry stays, as on the web; its amount and meal may change."""
    with transaction.atomic():  # the change and its read-back: both or neither
        return changed_entry(request.auth, entry_id, payload)


def changed_entry(user: Any, entry_id: int, payload: EntryPatch) -> Entry:
    entry = own_entry(user, entry_id)
    slot = payload.meal or entry.meal.slot
    if payload.grams is None and payload.portion is None and payload.count is None:
        # Only the meal: the amount stays exactly as entered (water stays in ml).
        if slot != entry.meal.slot:
            entry.meal, _ = Meal.objects.get_or_create(user=user, day=entry.meal.day, slot=slot)
            entry.version += 1
            # The same day: its totals stay as they are.
            entry.save(update_fields=["meal", "version"])
        return own_entry(user, entry.pk)
    portion_id = payload.portion
    if payload.count is not None and portion_id is None and payload.grams is None:
        portion_id = entry.portion_id  # "2 more of the same": count alone keeps the portion
    data = {
        "food": str(entry.food_id),
        "slot": slot,
        **amount_as_form_data(payload.grams, portion_id, payload.count),
    }
    form = validated_form(data, user, food=entry.food)
    form.save(user=user, day=entry.meal.day, entry=entry)
    return own_entry(user, entry.pk)


@api.delete("/entries/{entry_id}/", response={204: None, **WRITE_ERRORS}, url_name="entry")
def delete_entry(request: HttpRequest, entry_id: Id) -> Status:
    entry = own_entry(request.auth, entry_id)
    with transaction.atomic():
        entry.delete()
        DayTotal.refresh(request.auth, [entry.meal.day])
    return Status(204, None)


# --- A day's report ---------------------------------------------------------------------
# Each schema reads (a part of) the same DayReport the dashboard renders.


class HeadlineOut(Schema):
    # From a MineralLine.
    nutrient_id: int = Field(validation_alias="status.mineral.nutrient_id")
    name: str = Field(validation_alias="status.mineral.name")
    amount: float | None = Field(
        validation_alias="status.eaten_mg", description="null: no food logged has a value for it"
    )
    unit: str
    target: float = Field(validation_alias="status.target_mg")
    percent: int | None = Field(
        validation_alias="status.percent", description="of target, rounded down"
    )
    status: MineralStatusWord | None = Field(validation_alias="status.status")
    known_entries: int = Field(description="entries whose food has a value for it")
    entries: int
    from_supplements: float | None = Field(
        validation_alias="from_supplements_mg",
        description="of the amount, what supplements gave; null: none with this mineral",
    )
    target_source: str = Field(description="where the day's target comes from, in words")

    @staticmethod
    def resolve_unit(line: MineralLine) -> str:
        return "mg"


class SupportingOut(Schema):
    # From a SupportingLine.
    nutrient_id: int | None = Field(validation_alias="reference.nutrient_id")
    name: str = Field(validation_alias="reference.name")
    amount: float | None = Field(description="null: no data")
    unit: str = Field(validation_alias="reference.unit")
    target: float | None = Field(
        validation_alias="reference.amount", description="the adult reference intake"
    )
    upper: float | None = Field(validation_alias="reference.upper", description="keep under this")
    percent: int | None
    status: str | None = Field(description=f'"{OVER_UPPER}" or null')
    known_entries: int
    entries: int
    from_supplements: float | None = Field(
        description="of the amount, what supplements gave; null: none with this nutrient"
    )

    @staticmethod
    def resolve_status(line: SupportingLine) -> str | None:
        return OVER_UPPER if line.over_upper else None


class WaterOut(Schema):
    # From the DayReport.
    amount_ml: float
    target_ml: int = Field(validation_alias="water_target_ml")
    below_target: bool = Field(validation_alias="factors.water_below_target")

    @staticmethod
    def resolve_amount_ml(report: DayReport) -> Decimal:
        return report.water_ml or Decimal(0)  # the dashboard shows 0 ml too


class RiskFactorsOut(Schema):
    # From RiskFactors.
    water_below_target: bool
    intense_workout: bool
    diuretic: bool


class CrampRiskOut(Schema):
    # From the DayReport: its risk, or no level before anything is logged.
    level: Risk | None = Field(description="null: nothing logged yet")
    reasons: list[str]

    @staticmethod
    def resolve_level(report: DayReport) -> Risk | None:
        return report.risk.level if report.risk else None

    @staticmethod
    def resolve_reasons(report: DayReport) -> list[str]:
        return report.risk.reasons if report.risk else [NOTHING_LOGGED]


class SuggestionBase(Schema):
    # From a report's Suggestion; SuggestionOut adds what it adds of each headline
    # mineral (mg_field). portion and count, or grams, are what POST /api/entries/ takes.
    food: FoodRefOut
    fdc_id: int | None
    amount: str = Field(validation_alias="amount_text", description='"1 can (3.75 oz)"')
    portion: int | None = Field(
        validation_alias="serving.portion_id", description="null: log it by grams"
    )
    count: float | None = Field(description="portions to log; null when by grams")
    grams: float
    energy_kcal: float | None = Field(validation_alias="kcal", description="null: no data")
    closes: list[str] = Field(description="the short minerals it closes at least 15% of")

    @staticmethod
    def resolve_food(suggestion: Suggestion) -> dict:
        return {"id": suggestion.food_id, "description": suggestion.description}

    @staticmethod
    def resolve_count(suggestion: Suggestion) -> Decimal | None:
        return None if suggestion.serving.portion_id is None else suggestion.log_quantity

    @staticmethod
    def resolve_closes(suggestion: Suggestion) -> list[str]:
        return [mineral.key for mineral in suggestion.closes]


SuggestionOut = create_model(
    "SuggestionOut",
    __base__=SuggestionBase,
    **{
        mineral.mg_field: (float | None, Field(validation_alias=f"adds_mg.{mineral.key}"))
        for mineral in HEADLINE_MINERALS
    },
)


class DayOut(Schema):
    # From the DayReport.
    date: date
    entries: int
    in_progress: bool = Field(description="today: the totals so far, rated as if the day ended now")
    minerals: list[HeadlineOut]
    supporting: list[SupportingOut]
    water: WaterOut
    risk_factors: RiskFactorsOut = Field(validation_alias="factors")
    cramp_risk: CrampRiskOut
    suggestions: list[SuggestionOut] = Field(  # type: ignore[valid-type]
        description="everyday foods that close the day's gaps, best first"
    )

    @staticmethod
    def resolve_date(report: DayReport) -> date:
        return report.day

    @staticmethod
    def resolve_entries(report: DayReport) -> int:
        return len(report.entries)

    @staticmethod
    def resolve_supporting(report: DayReport) -> list[SupportingLine]:
        return report.supporting()

    @staticmethod
    def resolve_water(report: DayReport) -> DayReport:
        return report  # WaterOut reads the report's water fields

    @staticmethod
    def resolve_cramp_risk(report: DayReport) -> DayReport:
        return report  # CrampRiskOut reads report.risk


@api.get("/days/{day}/", response={200: DayOut, **READ_ERRORS}, url_name="day")
def get_day(request: HttpRequest, day: Day) -> DayReport:
    """The dashboard's numbers for one day: minerals, supporting nutrients, water, risk."""
    # The profile middleware knows only session users; a token's user is looked up the
    # same way here.
    return day_report(Profile.of(request.auth), day, with_suggestions=True)


# --- The cramp diary: cramps, supplements taken, what came before the cramps ------------
# Validated by the web's own forms (tracker/cramps.py, tracker/supplements.py), so the
# limits and their messages are the same in both.


class CrampOut(Schema):
    # From a Cramp.
    id: int
    started_at: datetime
    date: date  # the diary day: a cramp before 6 am is the night before's
    muscle: str | None = Field(
        description="calf, foot, thigh, hamstring, hand, other; null: not said"
    )
    severity: int | None = Field(description="0 to 10")
    duration_minutes: int | None
    activity: str | None = Field(description="night, during_exercise, after_exercise, rest")
    note: str
    details: str = Field(description='in words: "calf, severity 7, 5 minutes"')

    @staticmethod
    def resolve_date(cramp: Cramp) -> date:
        return cramp.day

    @staticmethod
    def resolve_muscle(cramp: Cramp) -> str | None:
        return cramp.muscle or None

    @staticmethod
    def resolve_activity(cramp: Cramp) -> str | None:
        return cramp.activity or None


class CrampsQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="first day, included")
    date_to: Day | None = Field(None, alias="to", description="last day, included")


class CrampIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {},
                {"started_at": "2026-11-22T03:15:00+01:00", "muscle": "calf", "severity": 7},
            ]
        },
    )

    started_at: Moment | None = Field(
        None, description="with its offset (without one: your time zone's); default: now"
    )
    muscle: str | None = None
    severity: WholeNumber | None = None
    duration_minutes: WholeNumber | None = None
    activity: str | None = None
    note: str | None = None


class CrampPatch(CrampIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"severity": 4}]})


def own_cramp(user: Any, cramp_id: int) -> Cramp:
    cramp = Cramp.objects.filter(user=user, pk=cramp_id).first()
    if cramp is None:
        raise Http404("No such cramp in your diary.")
    return cramp


def saved_cramp(user: Any, values: dict[str, Any], cramp: Cramp | None = None) -> Cramp:
    """CrampForm's rules in the user's own time zone, whose midnight starts their days."""
    profile = Profile.of(user)
    with timezone.override(zoneinfo.ZoneInfo(profile.time_zone)):
        started_at = values.get("started_at") or timezone.now()
        try:
            # Without an offset, a time is the user's own local time.
            if timezone.is_naive(started_at):
                started_at = timezone.make_aware(started_at)
            local_start = timezone.localtime(started_at).strftime("%Y-%m-%dT%H:%M")
        except (OverflowError, ValueError):  # year 1 or 9999 moved across a day boundary
            raise FieldErrors({"started_at": [OUT_OF_RANGE_TIME]}) from None
        data = {
            "started_at": local_start,
            **{
                name: "" if values.get(name) is None else str(values[name])
                for name in ("muscle", "severity", "duration_minutes", "activity", "note")
            },
        }
        form = CrampForm(data, instance=cramp)
        if not form.is_valid():
            raise FieldErrors({field: list(errors) for field, errors in form.errors.items()})
        saved = form.save(commit=False)
        saved.user = user
        saved.save()
        return saved


@api.get("/cramps/", response={200: list[CrampOut], **READ_ERRORS}, url_name="cramps")
def list_cramps(request: HttpRequest, filters: Query[CrampsQuery]) -> Any:
    """Your cramps, oldest first; from and to (both optional) choose diary days."""
    cramps = cramps_of(request.auth)
    if filters.date_from:
        cramps = cramps.filter(day__gte=filters.date_from)
    if filters.date_to:
        cramps = cramps.filter(day__lte=filters.date_to)
    return cramps


@api.post("/cramps/", response={201: CrampOut, **WRITE_ERRORS}, url_name="cramps")
def create_cramp(request: HttpRequest, payload: CrampIn) -> Status:
    """Log a cramp: an empty object is "cramp now"."""
    return Status(201, saved_cramp(request.auth, payload.model_dump()))


class MeasureOut(Schema):
    # From a nutrients.insights.Comparison.
    key: str = Field(
        validation_alias="measure.key",
        description="potassium, calcium, magnesium, water, workouts, supplements",
    )
    name: str = Field(validation_alias="measure.name")
    unit: str = Field(validation_alias="measure.unit")
    test: str = Field(description="the test's name; every test is two-sided")
    before_cramp_average: int | None = Field(
        validation_alias="before_average",
        description="the mean of the days' percents, as their day reports give them",
    )
    no_cramp_average: int | None = Field(description="the same over the other days")
    before_cramp_days: int
    no_cramp_days: int
    p_value: float | None = Field(description="two-sided; null: not compared")
    p_adjusted: float | None = Field(
        description="Holm-adjusted across the measures compared; null: not compared"
    )
    pattern: bool = Field(validation_alias="is_pattern", description="p_adjusted < 0.05")
    cramp_days_needed: int
    logged_days_needed: int
    text: str

    @staticmethod
    def resolve_before_cramp_days(comparison: Comparison) -> int:
        return len(comparison.before_cramp)

    @staticmethod
    def resolve_no_cramp_days(comparison: Comparison) -> int:
        return len(comparison.no_cramp)


class InsightsOut(Schema):
    # From tracker.insights.Insights.
    days: int
    first_day: date
    last_day: date
    cramps: int
    logged_days: int
    before_cramp_days: int
    other_days: int
    measures_compared: int = Field(description="how many measures the p-values are adjusted for")
    cramp_days_needed: int = Field(
        validation_alias="groups.cramp_days_needed",
        description="more distinct days with a cramp before it can compare",
    )
    logged_days_needed: int = Field(
        validation_alias="groups.logged_days_needed",
        description="more days to log food on (days that exist in the span) before it can compare",
    )
    needs: str = Field(validation_alias="groups.needs_text", description='"" when it can compare')
    small_sample: str = Field(
        validation_alias="groups.small_sample_text",
        description='"With 6 days before a cramp, only a large difference would show."; "" else',
    )
    measures: list[MeasureOut] = Field(validation_alias="comparisons")
    note: str

    @staticmethod
    def resolve_days(insights: Insights) -> int:
        return len(insights.days)

    @staticmethod
    def resolve_first_day(insights: Insights) -> date:
        return insights.days[0]

    @staticmethod
    def resolve_last_day(insights: Insights) -> date:
        return insights.days[-1]

    @staticmethod
    def resolve_cramps(insights: Insights) -> int:
        return len(insights.cramps)

    @staticmethod
    def resolve_before_cramp_days(insights: Insights) -> int:
        return len(insights.groups.before)

    @staticmethod
    def resolve_other_days(insights: Insights) -> int:
        return len(insights.groups.other)

    @staticmethod
    def resolve_note(insights: Insights) -> str:
        return ASSOCIATION_NOT_DIAGNOSIS


def parse_span(value: object) -> int:
    number = parse_id(value)
    if number not in SPANS_DAYS:
        raise invalid(f"Choose {', '.join(map(str, SPANS_DAYS[:-1]))} or {SPANS_DAYS[-1]} days.")
    return number


Span = Annotated[
    int, PlainValidator(parse_span), WithJsonSchema({"type": "integer", "enum": list(SPANS_DAYS)})
]


class InsightsQuery(Schema):
    days: Span = DEFAULT_SPAN_DAYS


@api.get("/cramps/insights/", response={200: InsightsOut, **READ_ERRORS}, url_name="cramp_insights")
def cramp_insights(request: HttpRequest, filters: Query[InsightsQuery]) -> Insights:
    """What came before your cramps over the last 30, 90 or 365 days, as on the page."""
    profile = Profile.of(request.auth)
    with timezone.override(zoneinfo.ZoneInfo(profile.time_zone)):
        return gather(profile, timezone.localdate(), filters.days)


@api.get("/cramps/{cramp_id}/", response={200: CrampOut, **READ_ERRORS}, url_name="cramp")
def get_cramp(request: HttpRequest, cramp_id: Id) -> Cramp:
    return own_cramp(request.auth, cramp_id)


@api.patch("/cramps/{cramp_id}/", response={200: CrampOut, **WRITE_ERRORS}, url_name="cramp")
def update_cramp(request: HttpRequest, cramp_id: Id, payload: CrampPatch) -> Cramp:
    """Any of the fields; those left out stay as they are (null clears one)."""
    cramp = own_cramp(request.auth, cramp_id)
    values = {
        "started_at": cramp.started_at,
        "muscle": cramp.muscle,
        "severity": cramp.severity,
        "duration_minutes": cramp.duration_minutes,
        "activity": cramp.activity,
        "note": cramp.note,
        **payload.model_dump(exclude_unset=True),
    }
    return saved_cramp(request.auth, values, cramp)


@api.delete("/cramps/{cramp_id}/", response={204: None, **WRITE_ERRORS}, url_name="cramp")
def delete_cramp(request: HttpRequest, cramp_id: Id) -> Status:
    own_cramp(request.auth, cramp_id).delete()
    return Status(204, None)


class SupplementAmountOut(Schema):
    nutrient_id: int
    name: str
    unit: str
    amount: float

    @staticmethod
    def resolve_name(amount: SupplementAmount) -> str:
        return SUPPLEMENT_NUTRIENTS[amount.nutrient_id][0]

    @staticmethod
    def resolve_unit(amount: SupplementAmount) -> str:
        return SUPPLEMENT_NUTRIENTS[amount.nutrient_id][1]


class SupplementOut(Schema):
    # From a Supplement with its amounts prefetched.
    id: int
    name: str
    unit: str = Field(description="tablet, capsule, scoop…")
    own: bool = Field(description="one you entered; false: from the shipped list")
    amounts: list[SupplementAmountOut] = Field(description="elemental, per unit")

    @staticmethod
    def resolve_own(supplement: Supplement) -> bool:
        return supplement.owner_id is not None

    @staticmethod
    def resolve_amounts(supplement: Supplement) -> Any:
        return supplement.amounts.all()


class IntakeOut(Schema):
    # From a SupplementIntake with its supplement and amounts fetched.
    id: int
    date: date
    supplement: SupplementOut
    count: float
    amount: str = Field(validation_alias="amount_text", description='"2 capsules"')

    @staticmethod
    def resolve_date(intake: SupplementIntake) -> date:
        return intake.day


class IntakesQuery(Schema):
    date: Day


class IntakeIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"date": "2026-11-22", "supplement": 1, "count": 2}]},
    )

    date: Day
    supplement: Id = Field(description="a supplement from /api/supplements/products/")
    count: Count


class IntakePatch(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"count": 1}]})

    count: Count


def intakes_with_details(user: Any) -> Any:
    return intakes_of(user).prefetch_related("supplement__amounts")


def own_intake(user: Any, intake_id: int) -> SupplementIntake:
    intake = intakes_with_details(user).filter(pk=intake_id).first()
    if intake is None:
        raise Http404("No such supplement taken in your diary.")
    return intake


def validated_intake(user: Any, supplement_id: int, count: Decimal) -> IntakeForm:
    form = IntakeForm({"supplement": str(supplement_id), "count": str(count)}, user=user)
    if not form.is_valid():
        raise FieldErrors({field: list(errors) for field, errors in form.errors.items()})
    return form


@api.get(
    "/supplements/products/",
    response={200: list[SupplementOut], **READ_ERRORS},
    url_name="supplement_products",
)
def list_supplement_products(request: HttpRequest) -> Any:
    """The supplements you may log: the shipped list and your own."""
    return supplements_with_amounts(Supplement.visible_to(request.auth))


@api.get("/supplements/", response={200: list[IntakeOut], **READ_ERRORS}, url_name="intakes")
def list_intakes(request: HttpRequest, filters: Query[IntakesQuery]) -> Any:
    """The supplements you took on one day."""
    return intakes_with_details(request.auth).filter(day=filters.date)


@api.post("/supplements/", response={201: IntakeOut, **WRITE_ERRORS}, url_name="intakes")
def create_intake(request: HttpRequest, payload: IntakeIn) -> Status:
    form = validated_intake(request.auth, payload.supplement, payload.count)
    intake = SupplementIntake.objects.create(
        user=request.auth,
        day=payload.date,
        supplement=form.cleaned_data["supplement"],
        count=form.cleaned_data["count"],
    )
    return Status(201, own_intake(request.auth, intake.pk))


@api.get("/supplements/{intake_id}/", response={200: IntakeOut, **READ_ERRORS}, url_name="intake")
def get_intake(request: HttpRequest, intake_id: Id) -> SupplementIntake:
    return own_intake(request.auth, intake_id)


@api.patch(
    "/supplements/{intake_id}/", response={200: IntakeOut, **WRITE_ERRORS}, url_name="intake"
)
def update_intake(request: HttpRequest, intake_id: Id, payload: IntakePatch) -> SupplementIntake:
    intake = own_intake(request.auth, intake_id)
    form = validated_intake(request.auth, intake.supplement_id, payload.count)
    intake.count = form.cleaned_data["count"]
    intake.save(update_fields=["count"])
    return own_intake(request.auth, intake.pk)


@api.delete("/supplements/{intake_id}/", response={204: None, **WRITE_ERRORS}, url_name="intake")
def delete_intake(request: HttpRequest, intake_id: Id) -> Status:
    own_intake(request.auth, intake_id).delete()
    return Status(204, None)
