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
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import ConfigDict, PlainValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from nutrients.models import SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH, Food, FoodNutrient
from nutrients.report import HEADLINE_MINERALS, Risk, SupportingLine
from nutrients.report import Status as MineralStatusWord
from tracker.day_data import DayReport, MineralLine, day_report
from tracker.diary_days import ISO_DAY_IN_RANGE_PATTERN, parse_diary_day
from tracker.forms import MAX_GRAMS, MAX_PORTIONS, EntryForm
from tracker.models import ApiToken, DayTotal, Entry, Meal, Profile

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


READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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


@api.post("/entries/", response={201: EntryOut, **WRITE_ERRORS}, url_name="entries")
def create_entry(request: HttpRequest, payload: EntryIn) -> Status:
    data = {
        "food": str(payload.food),
        "slot": payload.meal,
        **amount_as_form_data(payload.grams, payload.portion, payload.count),
    }
    form = validated_form(data, request.auth)
    entry = form.save(user=request.auth, day=payload.date)
    return Status(201, own_entry(request.auth, entry.pk))


@api.get("/entries/{entry_id}/", response={200: EntryOut, **READ_ERRORS}, url_name="entry")
def get_entry(request: HttpRequest, entry_id: Id) -> Entry:
    return own_entry(request.auth, entry_id)


@api.patch("/entries/{entry_id}/", response={200: EntryOut, **WRITE_ERRORS}, url_name="entry")
def update_entry(request: HttpRequest, entry_id: Id, payload: EntryPatch) -> Entry:
    """The food of an entry stays, as on the web; its amount and meal may change."""
    user = request.auth
    entry = own_entry(user, entry_id)
    slot = payload.meal or entry.meal.slot
    if payload.grams is None and payload.portion is None and payload.count is None:
        # Only the meal: the amount stays exactly as entered (water stays in ml).
        if slot != entry.meal.slot:
            entry.meal, _ = Meal.objects.get_or_create(user=user, day=entry.meal.day, slot=slot)
            entry.save(update_fields=["meal"])  # the same day: its totals stay as they are
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


class DayOut(Schema):
    # From the DayReport.
    date: date
    entries: int
    minerals: list[HeadlineOut]
    supporting: list[SupportingOut]
    water: WaterOut
    risk_factors: RiskFactorsOut = Field(validation_alias="factors")
    cramp_risk: CrampRiskOut

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
    return day_report(Profile.of(request.auth), day)
