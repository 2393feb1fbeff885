"""The API's diary entries, validated by the web's own EntryForm."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, create_model

from nutrients.models import Food
from nutrients.report import HEADLINE_MINERALS
from tracker.api_kit import (
    NO_KEY,
    READ_ERRORS,
    WRITE_ERRORS,
    Count,
    Day,
    FieldErrors,
    FoodRefOut,
    Grams,
    Id,
    IdempotencyKeyHeader,
    Slot,
    idempotency_key,
    replay,
)
from tracker.forms import EntryForm
from tracker.models import (
    DayTotal,
    Entry,
    Meal,
    RequestKey,
    request_fingerprint,
)

PORTION_NOT_OF_FOOD = "That portion is not one of this food’s portions."

router = Router(tags=["entries"])


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


@router.get("/", response={200: list[EntryOut], **READ_ERRORS}, url_name="entries")
def list_entries(request: HttpRequest, filters: Query[EntriesQuery]) -> Any:
    """Your entries of one day, in the order you logged them."""
    return entries_of(request.auth).filter(meal__day=filters.date)


@router.post("/", response={201: EntryOut, **WRITE_ERRORS}, url_name="entries")
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


@router.get("/{entry_id}/", response={200: EntryOut, **READ_ERRORS}, url_name="entry")
def get_entry(request: HttpRequest, entry_id: Id) -> Entry:
    return own_entry(request.auth, entry_id)


@router.patch("/{entry_id}/", response={200: EntryOut, **WRITE_ERRORS}, url_name="entry")
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


@router.delete("/{entry_id}/", response={204: None, **WRITE_ERRORS}, url_name="entry")
def delete_entry(request: HttpRequest, entry_id: Id) -> Status:
    entry = own_entry(request.auth, entry_id)
    with transaction.atomic():
        entry.delete()
        DayTotal.refresh(request.auth, [entry.meal.day])
    return Status(204, None)
