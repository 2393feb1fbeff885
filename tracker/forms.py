import calendar
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from axes.utils import reset as reset_login_failures
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from nutrients.models import Food, Portion
from nutrients.numbers import grouped
from nutrients.portions import unlikely_at_once
from nutrients.report import DEFAULT_WATER_TARGET_ML, HEADLINE_MINERALS
from nutrients.supplements import MAX_UNITS_PER_DOSE
from nutrients.targets import (
    LIFE_STAGE_AGES,
    YOUNGEST_AGE,
    ReferenceIntakes,
    Sex,
    TargetSource,
    age_on,
    reference_intakes,
    why_no_reference,
)
from tracker.built_once import SOME_USER_ID, BuiltRead, some_ids
from tracker.cramp_models import Supplement
from tracker.diary_days import DiaryDayField
from tracker.models import (
    DIET_CHOICES,
    FIRST_BIRTH_YEAR,
    LIFE_STAGE_CHOICES,
    DayTotal,
    Entry,
    Meal,
    Profile,
    describe_amount,
    time_zone_choices,
)
from tracker.number_fields import TypedDecimalField, TypedIntegerField, whole_number_input
from tracker.once import OneTimeKeyField

# A lone UTF-16 surrogate ("\ud800", which JSON can spell) is no character: neither
# PostgreSQL nor SQLite can store it. NUL is refused by every CharField already.
SURROGATES = re.compile("[\ud800-\udfff]")
UNSTORABLE_TEXT = (
    "This text holds a broken character (a lone UTF-16 surrogate) that cannot be stored; "
    "type or paste it again."
)


def refuse_unstorable_text(value: object) -> None:
    if isinstance(value, str) and SURROGATES.search(value):
        raise ValidationError(UNSTORABLE_TEXT, code="unstorable")


class StorableText:
    """For a form: every text field refuses what the database cannot store, with a
    message beside the field (the API's JSON can carry it; a form post cannot)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(refuse_unstorable_text)


def birth_year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Year of birth (optional)",
        required=False,
        min_value=FIRST_BIRTH_YEAR,
        max_value=date.today().year,
        error_messages={
            "invalid": "Enter a year, like 1980.",
            "min_value": f"Enter a year from {FIRST_BIRTH_YEAR} on.",
            "max_value": "Enter a year that has begun.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


MONTH_CHOICES = [("", "Month"), *((str(n), calendar.month_name[n]) for n in range(1, 13))]


TIME_ZONE_HELP = "Your day starts and ends at midnight in this zone. Zones are grouped by region; type a city's first letters to find it."


def time_zone_field(current: str | None, help_text: str = TIME_ZONE_HELP) -> forms.ChoiceField:
    """The zone list, with `current` choosable even when it is an alias the list leaves
    out ("Asia/Calcutta", which some browsers still report)."""
    return forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices(current),
        help_text=help_text,
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )


SEX_CHOICES = [("", "Prefer not to say"), *((sex.value, sex.value.capitalize()) for sex in Sex)]
LIFE_STAGE_FIELD_CHOICES = [("", "Neither"), *LIFE_STAGE_CHOICES]
PERSONAL_HELP = (
    "Only to offer the reference intakes and the upper limits for your age, sex and life "
    "stage; never required."
)


class PersonFields(forms.Form):
    """Sex, month and year of birth, pregnancy or breastfeeding: asked at sign-up and in
    the profile (and the API's profile), with one set of rules."""

    sex = forms.ChoiceField(label="Sex (optional)", choices=SEX_CHOICES, required=False)
    birth_month = forms.TypedChoiceField(
        label="Birth month (optional)",
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a month from the list."},
    )
    life_stage = forms.ChoiceField(
        label="Pregnant or breastfeeding? (optional)",
        choices=LIFE_STAGE_FIELD_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose pregnant, breastfeeding, or neither."},
        help_text="Your targets follow it; clear it when it no longer applies.",
    )

    def person_today(self) -> date:
        return date.today()

    def person_age(self) -> int | None:
        cleaned = self.cleaned_data
        return age_on(self.person_today(), cleaned.get("birth_year"), cleaned.get("birth_month"))

    def clean_person(self) -> None:
        """The rules for age and life stage; call from clean()."""
        cleaned = self.cleaned_data
        if "birth_year" not in cleaned or "birth_month" not in cleaned:
            return  # already refused at the field
        year, month = cleaned["birth_year"], cleaned["birth_month"]
        if month is not None and year is None:
            self.add_error("birth_year", "Give the year of birth with the month.")
            return
        today = self.person_today()
        if year is not None and month is not None and (year, month) > (today.year, today.month):
            self.add_error("birth_month", "Enter a month that has begun.")
            return
        age = self.person_age()
        if age is not None and age < YOUNGEST_AGE:
            self.add_error(
                "birth_year",
                "Cramp Tracker rates days from 1 year of age: under 1, breast milk or "
                "formula is out of scope.",
            )
            return
        if cleaned.get("life_stage"):
            lowest, highest = LIFE_STAGE_AGES
            if age is None:
                self.add_error(
                    "life_stage",
                    "Give your month and year of birth too: the intakes depend on age.",
                )
            elif not lowest <= age <= highest:
                self.add_error(
                    "life_stage",
                    f"The reference intakes for pregnancy and breastfeeding cover ages "
                    f"{lowest} to {highest}.",
                )

    def reference_offered(self) -> ReferenceIntakes | None:
        cleaned = self.cleaned_data
        return reference_intakes(
            cleaned.get("sex") or None, self.person_age(), cleaned.get("life_stage") or None
        )


class SignUpForm(StorableText, PersonFields, UserCreationForm):
    email = forms.EmailField(
        help_text="Only used to reset your password if you forget it.",
        error_messages={
            "required": "Enter your email address: it is only used to reset a forgotten password.",
            "invalid": "Enter an email address, like name@example.org.",
        },
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        field_order = ("username", "email", "sex", "birth_month", "birth_year", "life_stage")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_year"] = birth_year_field()  # this year's, not the server start's
        self.fields["sex"].help_text = PERSONAL_HELP
        # Our words, not Django's "This field is required."
        self.fields["username"].error_messages["required"] = "Choose a user name."
        self.fields["password1"].error_messages["required"] = "Choose a password."
        self.fields["password2"].error_messages["required"] = "Type the password again."
        # The browser's zone fills it (static/js/diary.js: data-browser-zone); without
        # JavaScript the person picks it, and can change it later in the profile.
        self.fields["time_zone"] = time_zone_field(
            self.data.get("time_zone") if self.is_bound else None,
            help_text="Your diary's days, meals and cramp times follow this clock. It is "
            "filled in from your browser's; change it if it is wrong.",
        )
        self.fields["time_zone"].initial = settings.TIME_ZONE
        self.fields["time_zone"].required = False  # not sent (a script): the site's zone
        if not self.is_bound:
            self.fields["time_zone"].widget.attrs["data-browser-zone"] = "fill"
        self.fields["birth_year"].help_text = (
            "With your sex and month and year of birth, your targets are the reference "
            "intakes for your age, sex and life stage; change that in your profile."
        )
        self.order_fields(
            ["username", "email", "password1", "password2", "sex", "birth_month", "birth_year",
             "life_stage"]
        )  # fmt: skip

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_person()
        return cleaned

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"] or settings.TIME_ZONE

    def profile(self, user) -> Profile:
        """The new user's profile: the reference intakes when they can be given."""
        cleaned = self.cleaned_data
        profile = Profile(
            user=user,
            sex=cleaned.get("sex", ""),
            birth_year=cleaned.get("birth_year"),
            birth_month=cleaned.get("birth_month"),
            life_stage=cleaned.get("life_stage", ""),
            time_zone=cleaned["time_zone"],
        )
        if self.reference_offered():
            profile.target_source = TargetSource.REFERENCE
        profile.save()
        return profile

    # No check that the email is new: saying "already registered" would tell anyone
    # whose address has an account here. The owner of the address hears of it instead
    # (views.signup).


def account_name(typed: str) -> str:
    """The user name as the account has it, for a name typed in another case ("Alice" for
    "alice"): logging in is case-insensitive, as sign-up refuses names that differ only in
    case. An exact match wins should two old accounts differ only in case."""
    names = list(
        get_user_model()
        .objects.filter(username__iexact=typed)
        .values_list("username", flat=True)[:10]
    )
    if typed in names or len(names) != 1:
        return typed
    return names[0]


class LoginForm(AuthenticationForm):
    """Django's login form, with its user name bounded before anything looks it up, and
    found whatever its case (account_name).

    AuthenticationForm sets the field's max_length without its validator, so a longer
    name (or one that NFKC normalisation lengthens: "ﷺ" is 18 letters) went on to the
    password check, and django-axes failed to record it in its 255-character column.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your user name."
        self.fields["password"].error_messages["required"] = "Enter your password."

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]  # already NFKC-normalised by the field
        limit = self.fields["username"].max_length
        if len(username) > limit:
            raise forms.ValidationError(
                f"No user name is that long: they have at most {limit} characters."
            )
        return account_name(username)


class NewPasswordForm(SetPasswordForm):
    """The password reset's last step. A new password also lifts a lockout for too many
    failed logins, as the lockout page promises: whoever got here owns the email address,
    and the guesses were against the old password anyway."""

    @transaction.atomic
    def save(self, commit: bool = True):
        user = super().save(commit)
        reset_login_failures(username=user.get_username())
        user.api_tokens.all().delete()  # as a password change does: see below
        return user


class TokenRevokingPasswordChangeForm(PasswordChangeForm):
    """A new password also revokes the user's API tokens: whoever may have learnt the old
    password may have made a token with it, and the change should lock them out too."""

    @transaction.atomic
    def save(self, commit: bool = True):
        user = super().save(commit)
        user.api_tokens.all().delete()
        return user


class ProfileForm(StorableText, PersonFields, forms.ModelForm):
    diet = forms.MultipleChoiceField(
        label="Your diet",
        choices=DIET_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Suggested foods leave out what your diet does.",
        error_messages={"invalid_choice": "Choose among the diets listed."},
    )

    class Meta:
        model = Profile
        fields = (
            "time_zone",
            "sex",
            "birth_month",
            "birth_year",
            "life_stage",
            "target_source",
            *(mineral.target_field for mineral in HEADLINE_MINERALS),
            "water_target_ml",
            "diuretic",
            "raises_potassium",
            "potassium_limited",
            "diet",
        )
        widgets = {"target_source": forms.RadioSelect, "diuretic": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = time_zone_field(self.instance.time_zone)
        in_force = self.instance.targets() if self.instance.pk else None
        for mineral in HEADLINE_MINERALS:
            now = in_force.target_mg(mineral) if in_force else mineral.default_target_mg
            self.fields[mineral.target_field] = TypedIntegerField(
                label=self.fields[mineral.target_field].label.capitalize(),
                required=False,
                min_value=1,
                max_value=MAX_TARGET_MG,
                widget=whole_number_input(placeholder=f"{now:,.0f}"),
                help_text="Your own number, from a health professional. Leave empty for the "
                "set chosen above.",
                error_messages={
                    "invalid": "Enter whole milligrams, like 3,400, or leave it empty.",
                    "min_value": "Enter at least 1 mg, or leave it empty for the set chosen.",
                    "max_value": f"At most {MAX_TARGET_MG:,} mg: check the number.",
                },
            )
        self.fields["target_source"].required = False
        self.fields["diuretic"].required = False
        self.fields["sex"].help_text = PERSONAL_HELP
        self.fields["birth_year"] = birth_year_field()
        self.fields["birth_year"].help_text = (
            "With the month, your age on each day is exact; from the year alone it may be a "
            "year early."
        )
        self.fields["water_target_ml"] = TypedIntegerField(
            label=self.fields["water_target_ml"].label.capitalize(),
            required=False,
            min_value=MIN_WATER_TARGET_ML,
            max_value=MAX_WATER_TARGET_ML,
            widget=whole_number_input(
                placeholder=f"{in_force.water_ml if in_force else DEFAULT_WATER_TARGET_ML:,}"
            ),
            help_text="From food and drink together. Leave empty for the set chosen above.",
            error_messages={
                "invalid": "Enter whole millilitres, like 2,700, or leave it empty.",
                "min_value": f"Enter at least {MIN_WATER_TARGET_ML:,} ml.",
                "max_value": f"At most {MAX_WATER_TARGET_ML:,} ml a day.",
            },
        )
        # What the reference intakes could be given for before this change: giving sex and
        # birth date for the first time switches to them, as at sign-up.
        self.offered_before = self.instance.pk and reference_intakes(
            self.instance.sex or None,
            age_on(self.instance.today(), self.instance.birth_year, self.instance.birth_month),
            self.instance.life_stage or None,
        )
        self.switched_to_reference = False

    def person_today(self) -> date:
        return self.instance.today()

    def clean_target_source(self) -> str:
        # Not sent (an older form, a script): the choice stays as it was.
        return self.cleaned_data["target_source"] or self.instance.target_source

    def clean_diuretic(self) -> str:
        return self.cleaned_data["diuretic"] or self.instance.diuretic

    def clean_diet(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["diet"]))  # once each, in order

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_person()
        if self.errors:
            return cleaned
        offered = self.reference_offered()
        source = cleaned.get("target_source")
        if source == TargetSource.DEFAULTS and offered and not self.offered_before:
            cleaned["target_source"] = TargetSource.REFERENCE
            self.switched_to_reference = True
        elif source == TargetSource.REFERENCE and offered is None:
            cleaned_age = self.person_age()
            self.add_error(
                "target_source",
                f"Not yet: {why_no_reference(cleaned.get('sex'), cleaned_age, None)}. Give "
                "it above, or keep the defaults.",
            )
        return cleaned

    def target_fields(self) -> list[forms.BoundField]:
        """The headline minerals' targets, then water's, as the profile page lists them."""
        names = [mineral.target_field for mineral in HEADLINE_MINERALS] + ["water_target_ml"]
        return [self[name] for name in names]

    def reset_targets(self) -> Profile:
        profile = self.instance
        for mineral in HEADLINE_MINERALS:
            setattr(profile, mineral.target_field, None)
        profile.water_target_ml = None
        profile.target_source = TargetSource.DEFAULTS
        profile.save()
        return profile


# Targets beyond these are typing mistakes.
MAX_TARGET_MG = 100_000
MIN_WATER_TARGET_ML = 500
MAX_WATER_TARGET_ML = 10_000

# One entry's limits: more than this is a typing mistake, not a meal.
MAX_GRAMS = Decimal(5000)
MAX_PORTIONS = Decimal(100)
MAX_WATER_ML = Decimal(5000)


def default_slot(moment: datetime) -> str:
    """The meal a person is most likely logging at this local time."""
    if 4 <= moment.hour < 11:
        return Meal.Slot.BREAKFAST
    if 11 <= moment.hour < 15:
        return Meal.Slot.LUNCH
    if 17 <= moment.hour < 22:
        return Meal.Slot.DINNER
    return Meal.Slot.SNACKS


class FoodChoiceField(forms.ModelChoiceField):
    """A food by id, read from the database once: the entry form looks it up before
    validation (the unit's choices depend on it), and validation takes it from `found`."""

    found: Food | None = None

    def to_python(self, value: Any) -> Food | None:
        if self.found is not None and str(value) == str(self.found.pk):
            return self.found
        return super().to_python(value)


class EntryForm(StorableText, forms.Form):
    """An amount of one food in one meal: grams, or a count of one of its portions."""

    food = FoodChoiceField(
        queryset=Food.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a food first.",
            "invalid_choice": "That food is not in your food list.",
        },
    )
    quantity = TypedDecimalField(
        label="Amount",
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "Enter an amount.",
            "invalid": "Enter a number, like 1, 2.5 or 150.",
            "max_digits": "That amount is too large.",
            "max_whole_digits": "That amount is too large.",
            "max_decimal_places": "Use at most two decimal places.",
        },
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=[("g", "g")],
        error_messages={
            "required": "Choose a portion or grams.",
            "invalid_choice": "Choose one of this food's portions, or grams.",
        },
    )
    slot = forms.ChoiceField(
        label="Meal",
        choices=Meal.Slot.choices,
        error_messages={
            "required": "Choose a meal.",
            "invalid_choice": "Choose breakfast, lunch, dinner or snacks.",
        },
    )
    once = OneTimeKeyField()
    # The edit form's: the entry's version when the form was shown (see edit_entry).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # The answer to "really?" (ask_really): shown as a checkbox only once asked.
    really = forms.BooleanField(
        label="Yes, I had that much", required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args,
        user,
        food: Food | None = None,
        ask_really: bool = False,
        foods: QuerySet[Food] | None = None,
        **kwargs,
    ) -> None:
        """`ask_really`: an amount far beyond what people eat at once (unlikely_at_once)
        is not valid until the person ticks "Yes, I had that much"; the web's forms ask,
        the API (whose clients send what they mean) does not. `foods`: those that may be
        chosen (a recipe's ingredients: no recipe), else every food the user may log."""
        super().__init__(*args, **kwargs)
        self.ask_really = ask_really
        self.asks_really = False
        self.user = user
        self.user_foods = foods is None and user.is_authenticated  # all the user may log
        self.fields["food"].queryset = Food.objects.visible_to(user) if foods is None else foods
        if food is not None:
            portions = list(food.portions.all())
        elif self.is_bound:
            # The unit choices depend on the food, so it is looked up before validation.
            food, portions = self.food_and_portions(self.data.get("food"))
        else:
            portions = []
        self.fields["food"].found = food
        self.chosen_food = food
        self.portions = {str(portion.pk): portion for portion in portions}
        if food is not None:
            self.fields["unit"].choices = [
                *((key, str(portion)) for key, portion in self.portions.items()),
                ("g", "g"),
            ]

    def food_and_portions(self, value: Any) -> tuple[Food | None, list[Portion]]:
        """The food chosen, if it may be, and its portions: one query for a food with
        portions (most foods), its portions read with it; two for one without."""
        try:
            if self.user_foods:
                food_id = int(value)
                # Beyond any id: no food (Django's own lookup below says so).
                portions = (
                    food_and_portions_read().read(
                        {SOME_USER_ID: self.user.pk, SOME_FOOD_ID: food_id}
                    )
                    if abs(food_id) < 2**63
                    else []
                )
            else:
                chosen = self.fields["food"].queryset.filter(pk=value)
                portions = list(Portion.objects.filter(food__in=chosen).select_related("food"))
        except (TypeError, ValueError):  # no id: the field below says so
            portions = []
        if portions:
            return portions[0].food, portions
        try:
            return self.fields["food"].clean(value), []
        except forms.ValidationError:
            return None, []  # the field says why when the form is validated

    def clean(self) -> dict:
        cleaned = super().clean()
        quantity, unit = cleaned.get("quantity"), cleaned.get("unit")
        if quantity is None or unit is None:
            return cleaned
        if quantity <= 0:
            self.add_error("quantity", "Enter an amount greater than zero.")
        elif unit == "g":
            if quantity > MAX_GRAMS:
                self.add_error("quantity", "One entry can be at most 5,000 g.")
            cleaned["grams"] = quantity
        else:
            if quantity > MAX_PORTIONS:
                self.add_error("quantity", "One entry can be at most 100 portions.")
            grams = (quantity * self.portions[unit].grams).quantize(Decimal("0.01"))
            if grams == 0:
                self.add_error("quantity", "That is less than 0.01 g: enter a larger amount.")
            cleaned["grams"] = grams
        if (
            self.ask_really
            and not self.errors
            and not cleaned.get("really")
            and unlikely_at_once(cleaned["grams"], list(self.portions.values()))
        ):
            self.asks_really = True
            self.fields["really"].widget = forms.CheckboxInput(attrs={"autofocus": True})
            self.add_error(
                None,
                f"Really {describe_amount(quantity, self.portions[unit].description if unit != 'g' else 'g')}? "
                f"That is {grouped(cleaned['grams'])} g, far more than people eat at once. "
                "Check the amount, or tick “Yes, I had that much” and add it again.",
            )
            self.add_error("quantity", "Check this amount.")
        return cleaned

    def save(self, *, user, day: date, entry: Entry | None = None) -> Entry:
        data = self.cleaned_data
        meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=data["slot"])
        portion = self.portions.get(data["unit"])
        days = {day, entry.meal.day} if entry else {day}  # an entry may move to another day
        entry = entry or Entry()
        entry.meal = meal
        entry.food = data["food"]
        entry.quantity = data["quantity"]
        entry.grams = data["grams"]
        entry.portion = portion
        entry.unit = portion.description if portion else "g"
        added = not entry.pk
        if not added:
            entry.version += 1
        entry.save()
        # The days' totals as stored, for the answer to draw (tracker/day_page.py).
        self.stored = DayTotal.refresh(user, days, only_added=added)
        return entry


# The stand-in for the food's id in food_and_portions_read.
SOME_FOOD_ID = some_ids(1)[0]


@cache
def food_and_portions_read() -> BuiltRead:
    """EntryForm.food_and_portions' query for a food the user may log, built once
    (tracker/built_once.py): every add runs it."""
    chosen = Food.objects.visible_to(get_user_model()(pk=SOME_USER_ID)).filter(pk=SOME_FOOD_ID)
    portions = Portion.objects.filter(food__in=chosen).select_related("food")
    return BuiltRead(portions, (SOME_USER_ID, SOME_FOOD_ID))


class WaterForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "water_%s")  # unique ids beside the entry form
        super().__init__(*args, **kwargs)

    ml = TypedDecimalField(
        label="Millilitres",
        decimal_places=0,
        min_value=1,
        max_value=MAX_WATER_ML,  # bounds the digits too: no message of theirs beside it
        error_messages={
            "required": "Enter how much you drank.",
            "invalid": "Enter whole millilitres, like 330.",
            "min_value": "Enter at least 1 ml.",
            "max_value": "At most 5,000 ml at once.",
            "max_decimal_places": "Enter whole millilitres, like 330.",
        },
        widget=whole_number_input(),
    )
    once = OneTimeKeyField()


class CopyForm(forms.Form):
    from_day = DiaryDayField(
        label="From",
        error_messages={"required": "Choose a day.", "invalid": "Enter a date."},
    )
    slot = forms.ChoiceField(
        label="What",
        choices=[("", "The whole day"), *Meal.Slot.choices],
        required=False,
        error_messages={"invalid_choice": "Choose the whole day or one of its meals."},
    )
    once = OneTimeKeyField()

    def __init__(self, *args, day: date, **kwargs) -> None:
        kwargs.setdefault("initial", {"from_day": day - timedelta(days=1)})
        kwargs.setdefault("auto_id", "copy_%s")  # unique ids beside the entry form
        super().__init__(*args, **kwargs)
        self.day = day

    def clean_from_day(self) -> date:
        from_day = self.cleaned_data["from_day"]
        if from_day == self.day:
            raise forms.ValidationError("Choose another day than this one.")
        return from_day


def count_field() -> forms.DecimalField:
    return TypedDecimalField(
        label="How many",
        min_value=Decimal("0.01"),
        max_value=MAX_UNITS_PER_DOSE,  # bounds the digits too: no message of theirs beside it
        decimal_places=2,
        initial=1,
        error_messages={
            "required": "Enter how many you took, for example 1 or 2.",
            "invalid": "Enter a number, for example 1 or 2.",
            "min_value": "Enter how many you took: more than 0.",
            "max_value": (
                f"At most {MAX_UNITS_PER_DOSE:,} at a time: check the number, or log "
                "the rest separately."
            ),
            "max_decimal_places": "Use at most 2 decimals, for example 0.5.",
        },
    )


class IntakeForm(forms.Form):
    """A product (shipped or the user's own) and how many units."""

    supplement = forms.ModelChoiceField(
        queryset=Supplement.objects.none(),
        label="Supplement",
        empty_label="Choose a supplement",
        error_messages={
            "required": "Choose a supplement.",
            "invalid_choice": "Choose one of the supplements in the list.",
        },
    )

    def __init__(self, *args: Any, user: "settings.AUTH_USER_MODEL", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplement"].queryset = Supplement.visible_to(user)
        self.fields["count"] = count_field()
