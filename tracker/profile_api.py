"""The profile in the API: who the targets are for, the set chosen, medicines and diet.

PATCH goes through the profile page's own form (tracker.forms.ProfileForm), so a rule is
never written twice, and records a change of targets as the page does (TargetChange).
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from nutrients.report import HEADLINE_MINERALS, Diet, Diuretic
from nutrients.targets import LifeStage, Sex, TargetSource
from tracker.api_kit import READ_ERRORS, WRITE_ERRORS, FieldErrors, check_if_match
from tracker.forms import ProfileForm
from tracker.models import Profile, TargetChange, settings_of

router = Router(tags=["profile"])

CUSTOM = "custom"
SexName = Literal[tuple(sex.value for sex in Sex)]  # type: ignore[valid-type]
LifeStageName = Literal[tuple(stage.value for stage in LifeStage)]  # type: ignore[valid-type]
DiureticName = Literal[tuple(kind.value for kind in Diuretic)]  # type: ignore[valid-type]
DietName = Literal[tuple(diet.value for diet in Diet)]  # type: ignore[valid-type]
SourceName = Literal["defaults", "reference", "custom"]


class TargetsSetting(Schema):
    """The set chosen: "defaults", "reference" (for age, sex and life stage) or "custom"
    (the person's own numbers; a mineral left null takes the defaults' or reference's).
    water_ml: the person's own water target; null: the set's."""

    model_config = ConfigDict(extra="forbid")
    source: SourceName
    potassium_mg: int | None = None
    calcium_mg: int | None = None
    magnesium_mg: int | None = None
    water_ml: int | None = None


class TargetsToday(Schema):
    potassium_mg: int
    calcium_mg: int
    magnesium_mg: int
    water_ml: int


class ProfileOut(Schema):
    version: int = Field(description="goes up at every change; send it as If-Match")
    sex: SexName | None  # type: ignore[valid-type]
    birth_year: int | None
    birth_month: int | None
    life_stage: LifeStageName | None  # type: ignore[valid-type]
    targets: TargetsSetting
    diuretic: DiureticName  # type: ignore[valid-type]
    raises_potassium: bool
    potassium_limited: bool
    diet: list[DietName]  # type: ignore[valid-type]
    targets_today: TargetsToday


class ProfilePatch(Schema):
    """Any of the fields; those left out stay as they are (null clears sex, birth date
    and life stage)."""

    model_config = ConfigDict(extra="forbid")
    sex: SexName | None = None  # type: ignore[valid-type]
    birth_year: int | None = None
    birth_month: int | None = None
    life_stage: LifeStageName | None = None  # type: ignore[valid-type]
    targets: TargetsSetting | None = None
    diuretic: DiureticName | None = None  # type: ignore[valid-type]
    raises_potassium: bool | None = None
    potassium_limited: bool | None = None
    diet: list[DietName] | None = None  # type: ignore[valid-type]


def profile_out(profile: Profile) -> dict[str, Any]:
    own = {m.key: getattr(profile, m.target_field) for m in HEADLINE_MINERALS}
    today = profile.targets()
    return {
        "version": profile.version,
        "sex": profile.sex or None,
        "birth_year": profile.birth_year,
        "birth_month": profile.birth_month,
        "life_stage": profile.life_stage or None,
        "targets": {
            "source": CUSTOM if any(own.values()) else profile.target_source,
            **{f"{key}_mg": value for key, value in own.items()},
            "water_ml": profile.water_target_ml,
        },
        "diuretic": profile.diuretic,
        "raises_potassium": profile.raises_potassium,
        "potassium_limited": profile.potassium_limited,
        "diet": list(profile.diet),
        "targets_today": {
            **{m.mg_field: int(today.target_mg(m)) for m in HEADLINE_MINERALS},
            "water_ml": today.water_ml,
        },
    }


# The form's field → the API's field it came from, for messages.
FORM_TO_API = {
    "target_source": "targets",
    "water_target_ml": "targets",
    **{m.target_field: "targets" for m in HEADLINE_MINERALS},
}


def form_data(profile: Profile, patch: dict[str, Any]) -> dict[str, Any]:
    """The profile page's form as it would be posted: what the profile holds, with the
    patch's fields in place."""
    data: dict[str, Any] = {
        "time_zone": profile.time_zone,
        "sex": profile.sex,
        "birth_year": profile.birth_year or "",
        "birth_month": profile.birth_month or "",
        "life_stage": profile.life_stage,
        "target_source": profile.target_source,
        **{m.target_field: getattr(profile, m.target_field) or "" for m in HEADLINE_MINERALS},
        "water_target_ml": profile.water_target_ml or "",
        "diuretic": profile.diuretic,
        "raises_potassium": profile.raises_potassium,
        "potassium_limited": profile.potassium_limited,
        "diet": list(profile.diet),
    }
    for name in ("sex", "birth_year", "birth_month", "life_stage", "diuretic", "diet",
                 "raises_potassium", "potassium_limited"):  # fmt: skip
        if name in patch:
            value = patch[name]
            data[name] = "" if value is None else value
    targets = patch.get("targets")
    if targets:
        custom = targets["source"] == CUSTOM
        if not custom:
            data["target_source"] = targets["source"]
        for mineral in HEADLINE_MINERALS:
            own = targets.get(f"{mineral.key}_mg") if custom else None
            data[mineral.target_field] = "" if own is None else own
        if "water_ml" in targets:
            data["water_target_ml"] = targets["water_ml"] or ""
        if custom and not any(targets.get(f"{m.key}_mg") for m in HEADLINE_MINERALS):
            raise FieldErrors({"targets": ["Give at least one of your own numbers for custom."]})
    # Checkboxes are absent when off, as a browser posts them.
    for name in ("raises_potassium", "potassium_limited"):
        if not data[name]:
            del data[name]
    return data


@router.get("/", response={200: ProfileOut, **READ_ERRORS}, url_name="profile")
def get_profile(request: HttpRequest) -> dict[str, Any]:
    """Who the targets are for, the set chosen, medicines, diet, and today's targets."""
    return profile_out(Profile.of(request.auth))


@router.patch("/", response={200: ProfileOut, **WRITE_ERRORS}, url_name="profile")
def update_profile(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    """Any of the fields, by the profile page's rules; a change of targets is dated
    today, and past days keep theirs."""
    profile = Profile.of(request.auth)
    check_if_match(request, profile)
    before = settings_of(profile)
    patch = payload.model_dump(exclude_unset=True)
    explicit_source = "targets" in patch
    form = ProfileForm(form_data(profile, patch), instance=profile)
    if not form.is_valid():
        errors: dict[str, list[str]] = {}
        for field, messages in form.errors.items():
            errors.setdefault(FORM_TO_API.get(field, field), []).extend(messages)
        raise FieldErrors(errors)
    if explicit_source and form.switched_to_reference:
        form.instance.target_source = TargetSource.DEFAULTS  # asked for in so many words
    TargetChange.record(form.save(), before)
    return profile_out(Profile.objects.get(pk=profile.pk))
