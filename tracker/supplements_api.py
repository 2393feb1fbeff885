"""The API's supplements taken, validated by the web's IntakeForm."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from nutrients.supplements import SUPPLEMENT_NUTRIENTS
from tracker.api_kit import (
    READ_ERRORS,
    WRITE_ERRORS,
    Count,
    Day,
    FieldErrors,
    Id,
    check_if_match,
    idempotent,
)
from tracker.forms import IntakeForm
from tracker.models import (
    Supplement,
    SupplementAmount,
    SupplementIntake,
)
from tracker.supplements import intakes_of, supplements_with_amounts

router = Router(tags=["supplements"])


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
    version: int = Field(description="goes up at every change; send it as If-Match")

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


@router.get(
    "/products/",
    response={200: list[SupplementOut], **READ_ERRORS},
    url_name="supplement_products",
)
def list_supplement_products(request: HttpRequest) -> Any:
    """The supplements you may log: the shipped list and your own."""
    return supplements_with_amounts(Supplement.visible_to(request.auth))


@router.get("/", response={200: list[IntakeOut], **READ_ERRORS}, url_name="intakes")
def list_intakes(request: HttpRequest, filters: Query[IntakesQuery]) -> Any:
    """The supplements you took on one day."""
    return intakes_with_details(request.auth).filter(day=filters.date)


@router.post("/", response={201: IntakeOut, **WRITE_ERRORS}, url_name="intakes")
@idempotent
def create_intake(request: HttpRequest, payload: IntakeIn) -> Status:
    form = validated_intake(request.auth, payload.supplement, payload.count)
    intake = SupplementIntake.objects.create(
        user=request.auth,
        day=payload.date,
        supplement=form.cleaned_data["supplement"],
        count=form.cleaned_data["count"],
    )
    return Status(201, own_intake(request.auth, intake.pk))


@router.get("/{intake_id}/", response={200: IntakeOut, **READ_ERRORS}, url_name="intake")
def get_intake(request: HttpRequest, intake_id: Id) -> SupplementIntake:
    return own_intake(request.auth, intake_id)


@router.patch("/{intake_id}/", response={200: IntakeOut, **WRITE_ERRORS}, url_name="intake")
def update_intake(request: HttpRequest, intake_id: Id, payload: IntakePatch) -> SupplementIntake:
    intake = own_intake(request.auth, intake_id)
    check_if_match(request, intake)
    form = validated_intake(request.auth, intake.supplement_id, payload.count)
    intake.count = form.cleaned_data["count"]
    intake.save(update_fields=["count"])
    return own_intake(request.auth, intake.pk)


@router.delete("/{intake_id}/", response={204: None, **WRITE_ERRORS}, url_name="intake")
def delete_intake(request: HttpRequest, intake_id: Id) -> Status:
    intake = own_intake(request.auth, intake_id)
    check_if_match(request, intake)
    intake.delete()
    return Status(204, None)
