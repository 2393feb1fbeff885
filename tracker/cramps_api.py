"""The API's cramp diary: cramps and what came before them, validated by CrampForm."""

import zoneinfo
from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, PlainValidator, WithJsonSchema

from nutrients.insights import ASSOCIATION_NOT_DIAGNOSIS, DEFAULT_SPAN_DAYS, SPANS_DAYS, Comparison
from tracker.api_kit import (
    DEFAULT_PAGE_ROWS,
    MAX_PAGE_ROWS,
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    FieldErrors,
    Id,
    Moment,
    Offset,
    PageRows,
    WholeNumber,
    check_if_match,
    idempotent,
    invalid,
    page_of,
    parse_id,
)
from tracker.cramps import CrampForm, cramps_of
from tracker.diary_days import OUT_OF_RANGE_TIME
from tracker.insights import Insights, gather
from tracker.models import (
    Cramp,
    Profile,
)

router = Router(tags=["cramps"])


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
    version: int = Field(description="goes up at every change; send it as If-Match")

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
    limit: PageRows = Field(DEFAULT_PAGE_ROWS, description=f"at most {MAX_PAGE_ROWS}")
    offset: Offset = Field(0, description="how many to skip: the next page's is offset + limit")


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


@router.get("/", response={200: list[CrampOut], **READ_ERRORS}, url_name="cramps")
def list_cramps(request: HttpRequest, filters: Query[CrampsQuery]) -> Any:
    """Your cramps, oldest first; from and to (both optional) choose diary days. A page
    of `limit` at a time (100 unless said), from `offset`."""
    cramps = cramps_of(request.auth)
    if filters.date_from:
        cramps = cramps.filter(day__gte=filters.date_from)
    if filters.date_to:
        cramps = cramps.filter(day__lte=filters.date_to)
    return page_of(cramps, filters.limit, filters.offset)


@router.post("/", response={201: CrampOut, **WRITE_ERRORS}, url_name="cramps")
@idempotent
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
    logged_days: int = Field(description="whole days with food logged (today left out)")
    before_cramp_days: int = Field(description="days before a cramp compared (food logged)")
    other_days: int = Field(description="other days compared")
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


@router.get("/insights/", response={200: InsightsOut, **READ_ERRORS}, url_name="cramp_insights")
def cramp_insights(request: HttpRequest, filters: Query[InsightsQuery]) -> Insights:
    """What came before your cramps over the last 30, 90 or 365 days, as on the page."""
    profile = Profile.of(request.auth)
    with timezone.override(zoneinfo.ZoneInfo(profile.time_zone)):
        return gather(profile, timezone.localdate(), filters.days)


@router.get("/{cramp_id}/", response={200: CrampOut, **READ_ERRORS}, url_name="cramp")
def get_cramp(request: HttpRequest, cramp_id: Id) -> Cramp:
    return own_cramp(request.auth, cramp_id)


@router.patch("/{cramp_id}/", response={200: CrampOut, **WRITE_ERRORS}, url_name="cramp")
def update_cramp(request: HttpRequest, cramp_id: Id, payload: CrampPatch) -> Cramp:
    """Any of the fields; those left out stay as they are (null clears one). With
    `If-Match: "<version>"`, a change made since that version answers 412."""
    cramp = own_cramp(request.auth, cramp_id)
    check_if_match(request, cramp)
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


@router.delete("/{cramp_id}/", response={204: None, **WRITE_ERRORS}, url_name="cramp")
def delete_cramp(request: HttpRequest, cramp_id: Id) -> Status:
    cramp = own_cramp(request.auth, cramp_id)
    check_if_match(request, cramp)
    cramp.delete()
    return Status(204, None)
