from datetime import date, datetime, timedelta
from decimal import Decimal

from axes.utils import reset as reset_login_failures
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.core.validators import MaxValueValidator, MinValueValidator

from nutrients.models import Food
from nutrients.report import DEFAULT_WATER_TARGET_ML, HEADLINE_MINERALS
from tracker.diary_days import DiaryDayField
from tracker.models import DayTotal, Entry, Meal, Profile, time_zone_choices


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only used to reset your password if you forget it.",
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class NewPasswordForm(SetPasswordForm):
    """The password reset's last step. A new password also lifts a lockout for too many
    failed logins, as the lockout page promises: whoever got here owns the email address,
    and the guesses were against the old password anyway."""

    def save(self, commit: bool = True):
        user = super().save(commit)
        reset_login_failures(username=user.get_username())
        return user


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = Profile
        fields = (
            "time_zone",
            *(mineral.target_field for mineral in HEADLINE_MINERALS),
            "water_target_ml",
            "takes_diuretic",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for mineral in HEADLINE_MINERALS:
            field = self.fields[mineral.target_field]
            field.validators.append(MinValueValidator(1))
            field.validators.append(MaxValueValidator(MAX_TARGET_MG))
            field.widget.attrs.update(placeholder=f"{mineral.default_target_mg:,.0f}", min=1)
            field.help_text = f"Leave empty for the default, {mineral.default_target_mg:,.0f} mg."
        water = self.fields["water_target_ml"]
        water.validators.append(MinValueValidator(MIN_WATER_TARGET_ML))
        water.validators.append(MaxValueValidator(MAX_WATER_TARGET_ML))

    def target_fields(self) -> list[forms.BoundField]:
        """The headline minerals' targets, then water's, as the profile page lists them."""
        names = [mineral.target_field for mineral in HEADLINE_MINERALS] + ["water_target_ml"]
        return [self[name] for name in names]

    def reset_targets(self) -> Profile:
        profile = self.instance
        for mineral in HEADLINE_MINERALS:
            setattr(profile, mineral.target_field, None)
        profile.water_target_ml = DEFAULT_WATER_TARGET_ML
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


class EntryForm(forms.Form):
    """An amount of one food in one meal: grams, or a count of one of its portions."""

    food = forms.ModelChoiceField(
        queryset=Food.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a food first.",
            "invalid_choice": "That food is not in your food list.",
        },
    )
    quantity = forms.DecimalField(
        label="Amount",
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "Enter an amount.",
            "invalid": "Enter a number, like 1 or 150.",
            "max_digits": "That amount is too large.",
            "max_whole_digits": "That amount is too large.",
            "max_decimal_places": "Use at most two decimal places.",
        },
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    unit = forms.ChoiceField(label="Unit", choices=[("g", "g")])
    slot = forms.ChoiceField(label="Meal", choices=Meal.Slot.choices)

    def __init__(self, *args, user, food: Food | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        visible = Food.objects.visible_to(user)
        self.fields["food"].queryset = visible
        if food is None and self.is_bound:
            # The unit choices depend on the food, so it is looked up before validation.
            try:
                food = self.fields["food"].clean(self.data.get("food"))
            except forms.ValidationError:
                food = None  # the field says why when the form is validated
        self.chosen_food = food
        if food is not None:
            self.portions = {str(portion.pk): portion for portion in food.portions.all()}
            self.fields["unit"].choices = [
                *((key, str(portion)) for key, portion in self.portions.items()),
                ("g", "g"),
            ]
        else:
            self.portions = {}

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
        entry.save()
        DayTotal.refresh(user, days)
        return entry


class WaterForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "water_%s")  # unique ids beside the entry form
        super().__init__(*args, **kwargs)

    ml = forms.DecimalField(
        label="Millilitres",
        max_digits=7,
        decimal_places=0,
        min_value=1,
        max_value=MAX_WATER_ML,
        error_messages={
            "required": "Enter how much you drank.",
            "invalid": "Enter whole millilitres, like 330.",
            "min_value": "Enter at least 1 ml.",
            "max_value": "At most 5,000 ml at once.",
        },
        widget=forms.NumberInput(attrs={"step": "1", "min": "1", "inputmode": "numeric"}),
    )


class CopyForm(forms.Form):
    from_day = DiaryDayField(
        label="From",
        error_messages={"required": "Choose a day.", "invalid": "Enter a date."},
    )
    slot = forms.ChoiceField(
        label="What",
        choices=[("", "The whole day"), *Meal.Slot.choices],
        required=False,
    )

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
