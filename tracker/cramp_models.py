"""The cramp diary's models: cramps, supplement products and the supplements taken.

Imported by tracker/models.py, so that Django finds them in the tracker app.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone

from nutrients.numbers import plain
from nutrients.supplements import (
    IU_PER_MICROGRAM_VITAMIN_D,
    MAX_MG_PER_UNIT,
    MAX_UNITS_PER_DOSE,
    SHIPPED_SUPPLEMENTS,
    SUPPLEMENT_NUTRIENTS,
    VITAMIN_D,
)

# A cramp that starts before this hour belongs to the night before: a calf cramp at 3 am
# follows the evening's meals, so it is that day's cramp in the diary.
NIGHT_ENDS_HOUR = 6
# One noted "asleep or resting at night" belongs to the night before until noon: a late
# sleeper's 06:30 cramp is still the night's.
ASLEEP_NIGHT_ENDS_HOUR = 12
NIGHT_ACTIVITY = "night"  # Cramp.Activity.NIGHT
MAX_SEVERITY = 10
MAX_DURATION_MINUTES = 24 * 60


class Versioned(models.Model):
    """A row that may be edited from two places (two tabs, a page and the API): its
    version goes up at every change, so that an edit made from an older reading is
    caught (the web's hidden version, the API's If-Match: tracker/api_kit.py)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def stored_version(row: Versioned) -> int:
    """The row's version as stored, with the row locked until the transaction ends (every
    signed-in write request is one: tracker/page_cache.py), so that two saves of the
    same version cannot both win."""
    return (
        type(row)
        ._default_manager.select_for_update()
        .values_list("version", flat=True)
        .get(pk=row.pk)
    )


def changed_elsewhere(what: str, now: str) -> str:
    """The message of an edit made from a form shown before another change."""
    return (
        f"This {what} was changed elsewhere since you opened it: it is now {now}. Your "
        "change is not saved yet: save again to replace it, or cancel to keep it."
    )


def belongs_to_night_before(started_at: datetime, activity: str = "") -> bool:
    """The night rule, on the local start time: before 06:00, or noted asleep or resting
    at night before noon."""
    if activity == NIGHT_ACTIVITY:
        return started_at.hour < ASLEEP_NIGHT_ENDS_HOUR
    return started_at.hour < NIGHT_ENDS_HOUR


def diary_day_of(started_at: datetime, activity: str = "") -> date:
    """The diary day a cramp belongs to, from its local start time and what the person
    was doing: a night's cramp is the evening before's."""
    if belongs_to_night_before(started_at, activity):
        return started_at.date() - timedelta(days=1)
    return started_at.date()


class Cramp(Versioned):
    class Muscle(models.TextChoices):
        CALF = "calf", "Calf"
        FOOT = "foot", "Foot"
        THIGH = "thigh", "Thigh"
        HAMSTRING = "hamstring", "Hamstring"
        HAND = "hand", "Hand"
        OTHER = "other", "Other"

    class Activity(models.TextChoices):
        NIGHT = NIGHT_ACTIVITY, "Asleep or resting at night"
        DURING_EXERCISE = "during_exercise", "During exercise"
        AFTER_EXERCISE = "after_exercise", "After exercise"
        REST = "rest", "At rest by day"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cramps"
    )
    started_at = models.DateTimeField("started")
    # The diary day the cramp belongs to (diary_day_of, in the user's zone when logged):
    # stored, so that a range of days finds its cramps through an index.
    day = models.DateField()
    muscle = models.CharField(max_length=10, choices=Muscle.choices, blank=True)
    severity = models.PositiveSmallIntegerField(
        "severity (0–10)", null=True, blank=True, help_text="0: barely, 10: the worst you know."
    )
    duration_minutes = models.PositiveIntegerField("duration (minutes)", null=True, blank=True)
    activity = models.CharField(
        "what you were doing", max_length=16, choices=Activity.choices, blank=True
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["user", "day"], name="cramp_user_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__lte=MAX_SEVERITY), name="cramp_severity_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="cramp_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_muscle_display() or 'Cramp'} on {self.day:%Y-%m-%d}"

    @property
    def at_night(self) -> bool:
        """In the night (in the active time zone, the user's): before 06:00, or noted
        asleep or resting at night (the 06:30 one before noon, the 23:00 one that
        evening's). Its diary day is then the day whose evening came before it."""
        local = timezone.localtime(self.started_at)
        return local.hour < NIGHT_ENDS_HOUR or self.activity == NIGHT_ACTIVITY

    @property
    def details(self) -> str:
        """ "calf, severity 7, 5 minutes, during exercise"; "no details yet" when none."""
        parts = []
        if self.muscle:
            parts.append(self.get_muscle_display().lower())
        if self.severity is not None:
            parts.append(f"severity {self.severity}")
        if self.duration_minutes:
            minutes = self.duration_minutes
            parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        if self.activity:
            parts.append(self.get_activity_display().lower())
        return ", ".join(parts) or "no details yet"


class Supplement(models.Model):
    """A product: the shipped list (no owner) or one a user entered from its label."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supplements",
    )
    name = models.CharField(max_length=100)
    unit = models.CharField(max_length=20, help_text="tablet, capsule, scoop…")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @classmethod
    def add_shipped(cls) -> None:
        """The shipped list, owned by no one; idempotent. The migration that adds them
        keeps its own copy of these steps, as migrations do."""
        for shipped in SHIPPED_SUPPLEMENTS:
            supplement, _ = cls.objects.get_or_create(
                owner=None, name=shipped.name, defaults={"unit": shipped.unit}
            )
            for nutrient_id, amount in shipped.amounts.items():
                SupplementAmount.objects.update_or_create(
                    supplement=supplement, nutrient_id=nutrient_id, defaults={"amount": amount}
                )

    @classmethod
    def visible_to(cls, user: "settings.AUTH_USER_MODEL") -> models.QuerySet["Supplement"]:
        """The shipped products and the user's own."""
        return cls.objects.filter(Q(owner__isnull=True) | Q(owner=user))

    @property
    def amounts_text(self) -> str:
        """ "100 mg magnesium per tablet"; needs the amounts prefetched."""
        return f"{', '.join(str(amount) for amount in self.amounts.all())} per {self.unit}"


class SupplementAmount(models.Model):
    """How much of a nutrient one unit of a supplement holds (elemental, in the unit
    SUPPLEMENT_NUTRIENTS gives)."""

    supplement = models.ForeignKey(Supplement, on_delete=models.CASCADE, related_name="amounts")
    nutrient_id = models.PositiveIntegerField(
        choices=[(nid, f"{name} ({unit})") for nid, (name, unit) in SUPPLEMENT_NUTRIENTS.items()]
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["nutrient_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplement", "nutrient_id"], name="one_amount_per_supplement_nutrient"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_MG_PER_UNIT),
                name="supplement_amount_in_range",
            ),
        ]

    def __str__(self) -> str:
        """ "100 mg magnesium"; vitamin D in both of its label units: "25 µg (1,000 IU)
        vitamin d"."""
        name, unit = SUPPLEMENT_NUTRIENTS[self.nutrient_id]
        if self.nutrient_id == VITAMIN_D:
            units = self.amount * IU_PER_MICROGRAM_VITAMIN_D
            return f"{plain(self.amount)} {unit} ({units:,.0f} IU) {name.lower()}"
        return f"{plain(self.amount)} {unit} {name.lower()}"


class IntakeQuerySet(models.QuerySet["SupplementIntake"]):
    def of(self, user: "settings.AUTH_USER_MODEL") -> "IntakeQuerySet":
        return self.filter(user=user)

    def nutrient_totals(self) -> dict[int, Decimal]:
        """count × amount per unit, summed per nutrient: one query."""
        return {nutrient_id: Decimal(total) for nutrient_id, total in self.nutrient_sums()}

    def nutrient_sums(self) -> models.QuerySet:
        """nutrient_totals' rows, (nutrient id, total), as a query to read with another."""
        return (
            self.order_by()
            .values(nutrient_id=F("supplement__amounts__nutrient_id"))
            .filter(nutrient_id__isnull=False)
            .annotate(total=Sum(F("count") * F("supplement__amounts__amount")))
            .values_list("nutrient_id", "total")
        )

    def daily_totals(self) -> dict[date, dict[int, Decimal]]:
        """The same per day: one query."""
        rows = (
            self.order_by()
            .values("day", nutrient_id=F("supplement__amounts__nutrient_id"))
            .filter(nutrient_id__isnull=False)
            .annotate(total=Sum(F("count") * F("supplement__amounts__amount")))
        )
        by_day: dict[date, dict[int, Decimal]] = defaultdict(dict)
        for row in rows:
            by_day[row["day"]][row["nutrient_id"]] = Decimal(row["total"])
        return by_day


class SupplementIntake(Versioned):
    """A supplement taken on a day: "2 capsules of magnesium glycinate"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplement_intakes"
    )
    day = models.DateField()
    # RESTRICT, not PROTECT: a product with intakes cannot be deleted on its own, but a
    # user's own product goes with the user and their intakes (as Entry.food).
    supplement = models.ForeignKey(Supplement, on_delete=models.RESTRICT, related_name="intakes")
    count = models.DecimalField(max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["day", "created_at", "id"]
        indexes = [models.Index(fields=["user", "day"], name="intake_user_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gt=0) & Q(count__lte=MAX_UNITS_PER_DOSE),
                name="intake_count_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_text} of {self.supplement.name} on {self.day:%Y-%m-%d}"

    @property
    def amount_text(self) -> str:
        """ "2 capsules", "1 tablet", "0.5 scoop"."""
        unit = self.supplement.unit
        plural = self.count > 1 and not unit.endswith("s")
        return f"{plain(self.count)} {unit}{'s' if plural else ''}"
