"""The diary: each user's profile, meals and the entries in them."""

import bisect
import hashlib
import secrets
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from nutrients.models import DiaryDays, Food, Nutrient, Portion, amount_per_100_g
from nutrients.report import (
    DIET_LABELS,
    ENERGY,
    HEADLINE_MINERALS,
    REPORT_NUTRIENT_IDS,
    TAP_WATER_FDC_ID,
    WATER,
    Care,
    Diuretic,
    Mineral,
    describe_amount,
)
from nutrients.targets import (
    LifeStage,
    Sex,
    Targets,
    TargetSource,
    age_on,
    resolve_targets,
)
from tracker.built_once import (
    SOME_DAY,
    SOME_USER_ID,
    BuiltRead,
    replaced,
    some_ids,
    stand_ins_checked,
)
from tracker.cramp_models import Versioned
from tracker.diary_days import FIRST_DAY, LAST_DAY

# A value not read (see Profile.targets_on).
UNKNOWN = object()

# A year of birth before this is a typing mistake.
FIRST_BIRTH_YEAR = 1900

TARGET_SOURCE_CHOICES = [
    (TargetSource.DEFAULTS.value, "The product’s defaults: 4,700 / 1,000 / 420 mg"),
    (TargetSource.REFERENCE.value, "Reference intakes for my age, sex and life stage"),
]
LIFE_STAGE_CHOICES = [
    (LifeStage.PREGNANT.value, "Pregnant"),
    (LifeStage.LACTATING.value, "Breastfeeding"),
]
DIURETIC_CHOICES = [
    (Diuretic.NONE.value, "No diuretic"),
    (Diuretic.LOOP.value, "Loop diuretic: furosemide, bumetanide, torsemide"),
    (Diuretic.THIAZIDE.value, "Thiazide: hydrochlorothiazide, chlorthalidone, indapamide"),
    (
        Diuretic.POTASSIUM_SPARING.value,
        "Potassium-sparing: spironolactone, eplerenone, amiloride, triamterene",
    ),
    (Diuretic.UNSURE.value, "A diuretic, but I am not sure which kind"),
]
DIET_CHOICES = [(diet.value, label) for diet, label in DIET_LABELS.items()]

# Read once: listing the zone database takes about 20 ms.
TIME_ZONES = frozenset(zoneinfo.available_timezones())

# The zone database's regions. Names outside them ("US/Eastern", "Etc/GMT+5", "Factory",
# "localtime") are legacy aliases or technical names nobody picks from a list.
TIME_ZONE_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def _zone_tab_names() -> frozenset[str] | None:
    """The zones of zone.tab, the database's list of one zone per populated region of
    each country, without backward-compatible aliases ("Asia/Calcutta"); None when this
    system's zone database has no zone.tab."""
    for directory in zoneinfo.TZPATH:
        try:
            with open(f"{directory}/zone.tab", encoding="utf-8") as table:
                lines = [line.split("\t") for line in table if not line.startswith("#")]
        except OSError:
            continue
        return frozenset(fields[2].strip() for fields in lines if len(fields) >= 3)
    return None


def common_time_zones() -> list[str]:
    """The zones a person would pick: regional ones (without aliases where the database
    says which are aliases) and UTC."""
    listed = _zone_tab_names()
    names = [
        name
        for name in TIME_ZONES
        if name.partition("/")[0] in TIME_ZONE_REGIONS and (listed is None or name in listed)
    ]
    return ["UTC", *sorted(names)]


COMMON_TIME_ZONES = common_time_zones()


def time_zone_choices(current: str | None = None) -> list[tuple[str, Any]]:
    """Grouped by region for a <select>: ("Europe", [("Europe/Paris", "Paris"), …]).

    A browser's select finds an option by its first letters, so each option reads as the
    city ("Buenos Aires (Argentina)"). `current`, a zone outside the list that a profile
    already holds, stays choosable so that saving the profile keeps it.
    """
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in COMMON_TIME_ZONES:
        region, _, place = name.partition("/")
        if not place:
            groups["Universal"].append((name, name))
            continue
        *within, city = place.split("/")
        label = city.replace("_", " ")
        if within:
            label += f" ({', '.join(part.replace('_', ' ') for part in within)})"
        groups[region].append((name, label))
    if current and current in TIME_ZONES and current not in COMMON_TIME_ZONES:
        groups["Universal"].append((current, current.replace("_", " ")))
    return [
        (region, sorted(options, key=lambda option: option[1]))
        for region, options in groups.items()
    ]


# The users whose Profile.revision the write request running moved already (set per
# request by page_cache.one_write_transaction; None outside one).
revised_users: ContextVar[set[int] | None] = ContextVar("revised_users", default=None)


class Profile(Versioned):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(
        max_length=64,
        default=settings.TIME_ZONE,
        help_text="Your day starts and ends at midnight in this zone.",
    )
    # One per headline mineral, named by its Mineral.target_field: a new headline mineral
    # adds its field here, to the constraint below, and a migration. Empty: the default
    # target (4,700 / 1,000 / 420 mg).
    potassium_target_mg = models.PositiveIntegerField(
        "potassium target (mg)", null=True, blank=True
    )
    calcium_target_mg = models.PositiveIntegerField("calcium target (mg)", null=True, blank=True)
    magnesium_target_mg = models.PositiveIntegerField(
        "magnesium target (mg)", null=True, blank=True
    )
    # Empty: the water target of the set in force (the reference intake, or the default).
    water_target_ml = models.PositiveIntegerField(
        "water target (ml)",
        null=True,
        blank=True,
        help_text="From food and drink together. Leave empty for your reference intake or "
        "the default.",
    )
    diuretic = models.CharField(
        "diuretic (water pill)", max_length=20, choices=DIURETIC_CHOICES, default=Diuretic.NONE
    )
    raises_potassium = models.BooleanField(
        "I take a medicine that raises potassium (an ACE inhibitor or an ARB)", default=False
    )
    potassium_limited = models.BooleanField(
        "I have kidney disease, or a doctor limits my potassium or fluids", default=False
    )
    # Diet choices (Diet values) that filter the suggestions.
    diet = models.JSONField(default=list, blank=True)
    # Optional, asked to offer the reference intakes for the person's age, sex and life stage.
    sex = models.CharField(
        max_length=6, blank=True, choices=[(sex.value, sex.value.capitalize()) for sex in Sex]
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    life_stage = models.CharField(max_length=10, blank=True, choices=LIFE_STAGE_CHOICES)
    target_source = models.CharField(
        "targets",
        max_length=10,
        choices=TARGET_SOURCE_CHOICES,
        default=TargetSource.DEFAULTS,
    )
    # Goes up after every write request of this user's (tracker/page_cache.py): a page
    # kept for this user is served only while the number it was kept under is current.
    revision = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(potassium_target_mg__gt=0)
                & Q(calcium_target_mg__gt=0)
                & Q(magnesium_target_mg__gt=0)
                & Q(water_target_ml__gt=0),
                name="targets_positive",
                violation_error_message="Targets must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=FIRST_BIRTH_YEAR) & Q(birth_year__lte=LAST_DAY.year),
                name="birth_year_sensible",
                violation_error_message="Enter a year of birth from 1900 on.",
            ),
            models.CheckConstraint(condition=Q(sex__in=["", *Sex]), name="profile_sex_known"),
            models.CheckConstraint(
                condition=Q(birth_month__gte=1) & Q(birth_month__lte=12),
                name="profile_birth_month_sensible",
            ),
            models.CheckConstraint(
                condition=Q(life_stage__in=["", *(stage.value for stage in LifeStage)]),
                name="profile_life_stage_known",
            ),
            models.CheckConstraint(
                condition=Q(diuretic__in=[kind.value for kind in Diuretic]),
                name="profile_diuretic_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def care(self) -> Care:
        """The medicines and conditions the profile holds, and what they change."""
        return Care(self.diuretic, self.raises_potassium, self.potassium_limited)

    @classmethod
    def of(cls, user: "settings.AUTH_USER_MODEL") -> "Profile":
        """The user's profile; an account made without one (createsuperuser) gets it now."""
        profile, _ = cls.objects.get_or_create(user=user)
        profile.user = user  # already at hand: reading profile.user costs no query
        return profile

    @classmethod
    def move_revision(cls, user_id: int) -> bool:
        """The user's kept pages (tracker/page_cache.py) may be out of date: their
        revision goes up, once per write request (revised_users). The row stays locked
        until the transaction ends, so that concurrent writes to one diary run one after
        the other from here. False when the user has no profile (nothing moved or locked).
        """
        moved = revised_users.get()
        if moved is not None and user_id in moved:
            return True
        if not cls.objects.filter(user_id=user_id).update(revision=F("revision") + 1):
            return False
        if moved is not None:
            moved.add(user_id)
        return True

    def today(self) -> date:
        """The date it is now where the user lives: the day still in progress."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))

    def target_mg(self, mineral: Mineral) -> Decimal:
        """Today's target (see targets_on for another day's)."""
        return self.targets().target_mg(mineral)

    def targets(self, day: date | None = None) -> Targets:
        """The targets these settings give on `day` (ages move on; default: today)."""
        return targets_from(self, day or self.today())

    def targets_on(self, day: date) -> Targets:
        """The targets in force on `day`: the settings of the latest change made on or
        before it (one query), or today's settings when none was recorded. From the
        latest change's day on those are the profile's own: no query when the user was
        read with that day (user.targets_changed_on: tracker/middleware.py)."""
        changed_on = getattr(self.user, "targets_changed_on", UNKNOWN)
        if changed_on is None or (changed_on is not UNKNOWN and day >= changed_on):
            return targets_from(self, day)
        change = self.user.target_changes.filter(valid_from__lte=day).first()
        return targets_from(change or self, day)

    def targets_by_day(self, first_day: date, last_day: date) -> Callable[[date], Targets]:
        """targets_on for every day of a range, in one query."""
        changes = list(
            self.user.target_changes.filter(valid_from__lte=last_day).order_by("valid_from")
        )
        starts = [change.valid_from for change in changes]

        def on(day: date) -> Targets:
            index = bisect.bisect_right(starts, day) - 1
            return targets_from(changes[index] if index >= 0 else self, day)

        return on


def targets_from(settings_row: "Profile | TargetChange", day: date) -> Targets:
    """Targets from a profile's settings or a recorded change of them, for a day: the
    age is the person's on that day."""
    return resolve_targets(
        settings_row.target_source,
        settings_row.sex or None,
        age_on(day, settings_row.birth_year, settings_row.birth_month),
        {m.key: getattr(settings_row, m.target_field) for m in HEADLINE_MINERALS},
        settings_row.water_target_ml,
        settings_row.life_stage or None,
    )


TARGET_SETTINGS = (
    "target_source",
    "sex",
    "birth_year",
    "birth_month",
    "life_stage",
    "water_target_ml",
    *(mineral.target_field for mineral in HEADLINE_MINERALS),
)


class TargetChange(models.Model):
    """The target settings a user chose, in force from valid_from until the next change:
    past days keep the targets they were rated with. The first change also records the
    settings before it, from FIRST_DAY."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="target_changes"
    )
    valid_from = models.DateField()
    target_source = models.CharField(max_length=10, choices=TARGET_SOURCE_CHOICES)
    sex = models.CharField(max_length=6, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    life_stage = models.CharField(max_length=10, blank=True)
    potassium_target_mg = models.PositiveIntegerField(null=True, blank=True)
    calcium_target_mg = models.PositiveIntegerField(null=True, blank=True)
    magnesium_target_mg = models.PositiveIntegerField(null=True, blank=True)
    water_target_ml = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["user", "valid_from"], name="one_target_change_a_day"),
            models.CheckConstraint(
                condition=Q(potassium_target_mg__gt=0)
                & Q(calcium_target_mg__gt=0)
                & Q(magnesium_target_mg__gt=0)
                & Q(water_target_ml__gt=0),
                name="target_change_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Targets of {self.user} from {self.valid_from:%Y-%m-%d}"

    @classmethod
    def latest_expression(cls, user_id: str = "pk") -> Subquery:
        """The first day of the user's latest change (None: never changed), to read with
        the user (by default) or with a row whose `user_id` names the user."""
        return Subquery(cls.objects.filter(user=OuterRef(user_id)).values("valid_from")[:1])

    @classmethod
    def record(cls, profile: Profile, before: dict[str, object]) -> None:
        """After the profile's target settings were saved: keep the change, dated today
        in the user's zone. `before` is settings_of(profile) read before the change."""
        after = settings_of(profile)
        if after == before:
            return
        user = profile.user
        with transaction.atomic():
            if not cls.objects.filter(user=user).exists():
                cls.objects.create(user=user, valid_from=FIRST_DAY, **before)
            cls.objects.update_or_create(user=user, valid_from=profile.today(), defaults=after)
        user.targets_changed_on = profile.today()  # as the user's query would read it now


def settings_of(row: "Profile | TargetChange") -> dict[str, object]:
    return {name: getattr(row, name) for name in TARGET_SETTINGS}


class Meal(models.Model):
    class Slot(models.TextChoices):
        BREAKFAST = "breakfast", "Breakfast"
        LUNCH = "lunch", "Lunch"
        DINNER = "dinner", "Dinner"
        SNACKS = "snacks", "Snacks"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meals"
    )
    day = models.DateField()
    slot = models.CharField(max_length=10, choices=Slot.choices)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day", "slot"], name="one_meal_per_slot_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_slot_display()} on {self.day:%Y-%m-%d}"


class NutrientTotal(NamedTuple):
    amount: Decimal
    known_entries: int  # how many of the entries have a value for this nutrient


def nutrient_in_grams(amount_per_100_g: F | Subquery, grams: F) -> ExpressionWrapper:
    """amount per 100 g × grams / 100, as a database expression.

    It multiplies by 0.01 instead of dividing by 100 because SQLite keeps whole-number
    decimals as integers and divides those as integers: 358 × 236 / 100 gives 844 there,
    not 844.88.
    """
    return ExpressionWrapper(
        amount_per_100_g * grams * Value(Decimal("0.01")),
        output_field=DecimalField(max_digits=20, decimal_places=5),
    )


# Built once (cached): a query copies an expression when it uses it, and building these
# anew took about a millisecond of every read of the diary's entries (bench/profile_page.py).
@cache
def entry_minerals() -> dict[str, ExpressionWrapper]:
    """An entry's headline minerals, each by its mg_field (potassium_mg…)."""
    return {
        mineral.mg_field: nutrient_in_grams(
            amount_per_100_g(OuterRef("food_id"), mineral.nutrient_id), F("grams")
        )
        for mineral in HEADLINE_MINERALS
    }


@cache
def entry_kcal() -> ExpressionWrapper:
    """An entry's energy."""
    return nutrient_in_grams(amount_per_100_g(OuterRef("food_id"), ENERGY), F("grams"))


class DayNote(models.Model):
    """What a user says about a day beyond its meals."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_notes"
    )
    day = models.DateField()
    intense_workout = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_note_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.day:%Y-%m-%d}"


# Recent foods come from this many of the latest entries: a few weeks of habits, and a
# bounded amount of work however long the diary grows.
RECENT_ENTRIES = 500
# How many of the most logged foods the day page offers again (Entry.recent_for).
RECENT_FOODS = 8


class Copied(NamedTuple):
    copied: int
    skipped: int  # already on the day


# What makes an entry "already there" for copying: the same meal, food and amount.
COPY_IDENTITY = ("meal__slot", "food_id", "grams", "quantity", "unit")


class EntryQuerySet(models.QuerySet["Entry"]):
    def for_day(self, user: "settings.AUTH_USER_MODEL", day: date) -> "EntryQuerySet":
        return self.filter(meal__user=user, meal__day=day)

    def nutrient_totals(self, nutrient_ids: Iterable[int]) -> dict[int, "NutrientTotal"]:
        """Sum of grams × amount per 100 g for each of these nutrients, in one query, with
        the number of entries whose food has a value for it.

        A nutrient appears only when at least one entry's food has a value for it.
        """
        return {
            row["nutrient_id"]: NutrientTotal(row["total"], row["known_entries"])
            for row in self._nutrient_sums(nutrient_ids)
        }

    def _nutrient_sums(self, nutrient_ids: Iterable[int], *group_by: str) -> models.QuerySet:
        # From the entries to their foods' amounts, so that the database starts from the
        # few entries (by the meal's user and day) and not from every food's amounts.
        amount = "food__nutrient_amounts"
        return (
            self.filter(**{f"{amount}__nutrient_id__in": list(nutrient_ids)})
            .values(*group_by, nutrient_id=F(f"{amount}__nutrient_id"))
            .annotate(
                total=Sum(
                    Case(
                        # Tap water is 99.9% water in the food table, but a glass of water
                        # logged is a glass drunk: 2,700 ml logged meets a 2,700 ml target.
                        When(
                            Q(**{f"{amount}__nutrient_id": WATER}, food__fdc_id=TAP_WATER_FDC_ID),
                            then=F("grams"),
                        ),
                        default=nutrient_in_grams(F(f"{amount}__amount"), F("grams")),
                        output_field=DecimalField(max_digits=20, decimal_places=5),
                    )
                ),
                known_entries=Count("id"),
            )
        )

    def with_minerals(self) -> "EntryQuerySet":
        """Annotate each headline mineral's mg_field (potassium_mg…): None where the food
        has no value."""
        return self.annotate(**entry_minerals())

    def with_kcal(self) -> "EntryQuerySet":
        """Annotate kcal, the entry's energy: None where the food has no value."""
        return self.annotate(kcal=entry_kcal())

    def copy_to(self, user: "settings.AUTH_USER_MODEL", day: date) -> "Copied":
        """Copy these entries into the same meal slots of another day; all or nothing.

        An entry already there (same meal, food and amount) is skipped, not doubled: copying
        yesterday's breakfast twice logs it once. Two equal entries copied onto one stay two.
        """
        with transaction.atomic():
            there = Counter(Entry.objects.for_day(user, day).values_list(*COPY_IDENTITY).order_by())
            meals: dict[str, Meal] = {}
            copies = []
            skipped = 0
            for entry in self.select_related("meal"):
                slot = entry.meal.slot
                identity = (slot, entry.food_id, entry.grams, entry.quantity, entry.unit)
                if there[identity] > 0:
                    there[identity] -= 1
                    skipped += 1
                    continue
                if slot not in meals:
                    meals[slot], _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
                copies.append(
                    Entry(
                        meal=meals[slot],
                        food_id=entry.food_id,
                        grams=entry.grams,
                        quantity=entry.quantity,
                        portion_id=entry.portion_id,
                        unit=entry.unit,
                    )
                )
            Entry.objects.bulk_create(copies)
            DayTotal.refresh(user, [day], only_added=True)
        return Copied(len(copies), skipped)

    def most_logged_food_ids(
        self, user: "settings.AUTH_USER_MODEL", limit: int = RECENT_FOODS
    ) -> list[int]:
        """The foods most often logged in the user's latest RECENT_ENTRIES entries (by
        day), most often first. Water is left out: it has buttons of its own."""
        return [food_id for food_id, _ in self._most_logged(user, limit)]

    def recent_for(
        self, user: "settings.AUTH_USER_MODEL", limit: int = RECENT_FOODS
    ) -> list["Entry"]:
        """The most logged foods (as above), each as its latest entry, for its amount."""
        latest_ids = [latest_id for _, latest_id in self._most_logged(user, limit)]
        by_id = (
            self.filter(id__in=latest_ids).select_related("food", "meal").with_minerals().in_bulk()
        )
        return [by_id[entry_id] for entry_id in latest_ids if entry_id in by_id]

    def day_and_recent(
        self, user: "settings.AUTH_USER_MODEL", day: date
    ) -> tuple[list["Entry"], list["Entry"]]:
        """The day's entries (as day_data.day_report reads them) and recent_for()'s, each
        read with its food, meal, minerals and energy: two queries.

        The entries of both are read by one UNION ALL, each half by its own index. Not by
        "on the day OR among these ids": PostgreSQL answers that by reading every entry of
        the site (bench/scale.py: 2.8 s with 1,000 people)."""
        latest_ids = [latest_id for _, latest_id in self._most_logged(user, RECENT_FOODS)]
        values = {SOME_USER_ID: user.pk, SOME_DAY: day}
        values.update(zip(some_ids(len(latest_ids)), latest_ids, strict=True))
        rows = day_and_recent_read(len(latest_ids)).read(values)
        # A union keeps no order: the day's in the order they were logged, as Meta orders.
        on_day = sorted((e for e in rows if e.on_day), key=lambda e: (e.created_at, e.id))
        recent = {entry.id: entry for entry in rows if not entry.on_day}
        return on_day, [recent[entry_id] for entry_id in latest_ids if entry_id in recent]

    def _most_logged(self, user: "settings.AUTH_USER_MODEL", limit: int) -> list[tuple[int, int]]:
        """(food id, its latest entry's id) of all the user's entries, most often logged
        first."""
        sql, params = most_logged_statement(RECENT_ENTRIES)
        with connection.cursor() as cursor:
            cursor.execute(sql, (*replaced(params, {SOME_USER_ID: user.pk}), limit))
            return [(food_id, entry_id) for food_id, entry_id in cursor.fetchall()]


@cache
def most_logged_statement(window: int) -> tuple[str, tuple]:
    """EntryQuerySet._most_logged's query over the latest `window` entries, built once
    (tracker/built_once.py), with the number of foods it returns as its last parameter.

    By the meal's day only, so that the database walks the (user, day, slot) index
    backwards and stops, instead of sorting years of entries on every page. Counted as
    they are read (GROUP BY over them), not by a second query over their ids: on a site of
    many people that one fetched each entry again from a page of its own (bench/scale.py).
    Only as many rows as foods asked for come back."""
    latest = (
        Entry.objects.filter(meal__user_id=SOME_USER_ID)
        .exclude(food__fdc_id=TAP_WATER_FDC_ID)
        .order_by("-meal__day", "-meal__slot")
        .values(latest_food=F("food_id"), latest_entry=F("id"))[:window]
    )
    sql, params = latest.query.sql_with_params()
    ranked = (
        f"SELECT latest_food, MAX(latest_entry) FROM ({sql}) AS latest GROUP BY latest_food "
        "ORDER BY COUNT(*) DESC, MAX(latest_entry) DESC LIMIT %s"
    )
    return ranked, stand_ins_checked(params, (SOME_USER_ID,))


class Entry(models.Model):
    meal = models.ForeignKey(Meal, on_delete=models.CASCADE, related_name="entries")
    # RESTRICT, not PROTECT: a food with entries cannot be deleted on its own, but a user
    # who goes takes their own foods and their entries with them in one delete.
    food = models.ForeignKey(Food, on_delete=models.RESTRICT, related_name="entries")
    grams = models.DecimalField(max_digits=9, decimal_places=2)
    # What the user typed, kept as typed: 1.5 × "cup, sliced", or 150 × "g".
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    portion = models.ForeignKey(
        Portion, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    unit = models.CharField(max_length=255, default="g")
    created_at = models.DateTimeField(auto_now_add=True)
    # One more at every change: an edit form carries the version it showed, so that a
    # change made meanwhile elsewhere (another tab, the API) is not silently overwritten.
    version = models.PositiveIntegerField(default=1)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(condition=Q(grams__gt=0), name="entry_grams_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="entry_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_as_entered} {self.food}"

    @property
    def amount_as_entered(self) -> str:
        return describe_amount(self.quantity, self.unit)

    @property
    def mineral_amounts(self) -> list[tuple[Mineral, Decimal | None]]:
        """Each headline mineral and the mg this entry adds (None: no data); needs
        with_minerals()."""
        return [(mineral, getattr(self, mineral.mg_field)) for mineral in HEADLINE_MINERALS]


@cache
def day_and_recent_read(recent_count: int) -> BuiltRead:
    """EntryQuerySet.day_and_recent's one query for this many recent entries, built once
    (tracker/built_once.py): building its ten subqueries took Django four times as long
    as the database takes to run it."""
    recent_ids = some_ids(recent_count)
    read = Entry.objects.select_related("food", "meal").with_minerals().with_kcal().order_by()
    union = (
        read.filter(meal__user_id=SOME_USER_ID, meal__day=SOME_DAY)
        .annotate(on_day=Value(True))
        .union(read.filter(id__in=recent_ids).annotate(on_day=Value(False)), all=True)
    )
    return BuiltRead(union, (SOME_USER_ID, SOME_DAY, *recent_ids))


# Shown beside a token's name: enough to tell tokens apart, far too little to guess one.
TOKEN_PREFIX_LENGTH = 8
# last_used_at is only moved on when it is older than this.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class UserSession(AbstractBaseSession):
    """A session, as Django's database sessions keep it, with the user it is signed in
    as (tracker/sessions.py fills it in): deleting an account takes its sessions, expired
    ones too, by an index, instead of decoding every session in the table."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from tracker.sessions import SessionStore

        return SessionStore


# A sign-up with an address in use tells the address at most this often.
EMAIL_NOTICE_INTERVAL = timedelta(days=1)


class EmailNotice(models.Model):
    """When an address was last told that a new account uses it, kept by the address's
    hash (the address itself is the accounts' to keep): so that sign-ups cannot make the
    app flood anyone's inbox."""

    address_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"notice of {self.sent_at:%Y-%m-%d %H:%M}"

    @classmethod
    def claim(cls, address: str) -> bool:
        """True when the address may be emailed now (and the notice is counted as sent):
        at most once per EMAIL_NOTICE_INTERVAL, whatever runs at the same time."""
        address_hash = hashlib.sha256(address.strip().lower().encode()).hexdigest()
        now = timezone.now()
        with transaction.atomic():
            due = cls.objects.filter(
                address_hash=address_hash, sent_at__lte=now - EMAIL_NOTICE_INTERVAL
            )
            if due.update(sent_at=now):
                return True
            _, created = cls.objects.get_or_create(
                address_hash=address_hash, defaults={"sent_at": now}
            )
            return created


class ApiToken(models.Model):
    """A personal token for the JSON API, sent as `Authorization: Bearer <token>`.

    Only a SHA-256 hash of the token is kept: the token itself is shown once, when it is
    made. A plain hash is enough (no salt, no slow hash) because the token is 32 random
    bytes, not a password a person chose: there is nothing to guess.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “phone”.")
    # The first characters of the token, so that a person can tell their tokens apart.
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @classmethod
    def create_for(cls, user: "settings.AUTH_USER_MODEL", name: str) -> tuple["ApiToken", str]:
        """A new token for the user: the saved row and the token, which is never kept."""
        raw_token = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw_token[:TOKEN_PREFIX_LENGTH],
            token_hash=hash_token(raw_token),
        )
        return token, raw_token

    @classmethod
    def user_for(cls, raw_token: str) -> "settings.AUTH_USER_MODEL | None":
        """The active user this token belongs to, or None; notes when it was last used."""
        token = cls.objects.filter(token_hash=hash_token(raw_token)).select_related("user").first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        # Coarse on purpose: a burst of API reads should not each take the write lock.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


# --- Per-day totals, kept with the diary ---------------------------------------------------

# Stored sums keep the expression's precision: 0.00001 of a unit, far below 0.001 mg.
TOTAL_DIGITS = {"max_digits": 20, "decimal_places": 5}


class DayTotal(models.Model):
    """One row per user and day with at least one entry: how many entries the day holds.

    Its nutrients' sums are DayNutrientTotal rows. Both are recomputed from the entries
    (never incremented) by refresh(), which every write that moves a day's numbers calls
    once, in its own transaction: adding, editing, deleting and copying entries, water,
    own-food edits and staff changes to a food's values (refresh_for_foods).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_totals"
    )
    day = models.DateField()
    entries = models.PositiveIntegerField()

    class Meta:
        # A range of days (the insights' year, the trend's month) read from the index
        # alone: on a site of many people one person's rows lie on as many pages as days.
        indexes = [models.Index(fields=["user", "day", "entries"], name="day_total_range")]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_total_per_day"),
            models.CheckConstraint(condition=Q(entries__gt=0), name="day_total_has_entries"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.day:%Y-%m-%d}: {self.entries} entries"

    @classmethod
    def refresh(
        cls, user: "settings.AUTH_USER_MODEL", days: Iterable[date], *, only_added: bool = False
    ) -> "dict[date, StoredDay]":
        """Recompute the user's totals of these days from their entries, and return them
        as stored (a day with no entry left: StoredDay(0, {})).

        Call it once in every write path that moves a day's numbers, after the write and
        in the same transaction. The user's revision moves first (Profile.move_revision:
        their pages changed), which locks their profile's row on PostgreSQL (SQLite's
        IMMEDIATE transactions serialise writers anyway), so that of two concurrent writes
        to one user's diary the later one recomputes after the earlier one has committed:
        the last refresh always sees every entry.

        Set-based: the database adds up and writes each table's rows in one statement
        (INSERT … SELECT … ON CONFLICT DO UPDATE), and hands back what it wrote. A write
        that only added entries (`only_added`) cannot empty a day or take a nutrient's
        last value away, so it stops there: three queries (two when the write request had
        moved the revision already). Any other write first clears the days, so that no
        row outlives its last entry: two more.
        """
        days = sorted(set(days))
        if not days:
            return {}
        with transaction.atomic(savepoint=False):
            if not Profile.move_revision(user.pk):  # an account made without a profile
                list(
                    get_user_model()
                    .objects.select_for_update(no_key=True)
                    .filter(pk=user.pk)
                    .values_list("pk")
                )
            if not only_added:
                DayNutrientTotal.objects.filter(user=user, day__in=days).delete()
                cls.objects.filter(user=user, day__in=days).delete()
            if len(days) == 1:  # every write of the diary's pages and API
                counts_sql, sums_sql = (
                    statement.with_values(user.pk, days[0]) for statement in one_day_upserts()
                )
            else:
                entries = Entry.objects.filter(meal__user=user, meal__day__in=days)
                counts_sql, sums_sql = cls._upsert(entries), DayNutrientTotal.upsert(entries)
            counts = cls.read_upserted(counts_sql.run())
            sums = DayNutrientTotal.read_upserted(sums_sql.run())
        return {
            day: StoredDay(counts.get((user.pk, day), 0), sums.get((user.pk, day), {}))
            for day in days
        }

    @classmethod
    def refresh_for_foods(cls, food_ids: Iterable[int]) -> DiaryDays:
        """Recompute every day of every user who logged one of these foods, after staff
        or the importer changed their values per 100 g. Returns how many days of how many
        people (what the admin announced beforehand: days_with_foods counts both)."""
        days_by_user = days_with_foods(food_ids)
        user_model = get_user_model()
        # In the order of user ids, so that two of these never wait on each other.
        for user_id in sorted(days_by_user):
            cls.refresh(user_model(pk=user_id), days_by_user[user_id])
        return diary_days(days_by_user)

    @classmethod
    def rebuild_all(cls) -> int:
        """Every user's totals from scratch (manage.py rebuild_day_totals). Returns the
        number of days stored."""
        with transaction.atomic():
            DayNutrientTotal.objects.all().delete()
            cls.objects.all().delete()
            entries = Entry.objects.all()
            DayNutrientTotal.upsert(entries).run()
            return len(cls._upsert(entries).run())

    @classmethod
    def _upsert(cls, entries: EntryQuerySet) -> "Upsert":
        """The statement that writes how many entries each day these entries fall on
        holds; it returns (user id, day, entries) as written."""
        counts = entries.order_by().values("meal__user_id", "meal__day").annotate(count=Count("id"))
        return insert_from_select(
            cls, {"user": "meal__user_id", "day": "meal__day", "entries": "count"}, counts,
            unique=("user", "day"), returning=("user", "day", "entries"),
        )  # fmt: skip

    @staticmethod
    def read_upserted(rows: list[tuple]) -> dict[tuple[int, date], int]:
        """(user id, day) → entries, from the rows _upsert's statement returned."""
        return {(user_id, day): count for user_id, day, count in rows}


class StoredDay(NamedTuple):
    """A day's stored totals, as DayTotal.refresh wrote them."""

    entries: int
    totals: dict[int, NutrientTotal]  # nutrient id → its sum; absent: no data


@dataclass(frozen=True)
class Upsert:
    """An INSERT … SELECT … ON CONFLICT DO UPDATE … RETURNING statement (insert_from_select)."""

    sql: str
    params: tuple
    returning: tuple[models.Field, ...]  # the fields RETURNING reads, in order

    def run(self) -> list[tuple]:
        """Run it; the `returning` fields of every row written, converted as the model's
        fields read them."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        return [
            tuple(read_back(field, value) for field, value in zip(self.returning, row, strict=True))
            for row in rows
        ]

    def with_values(self, user_id: int, day: date) -> "Upsert":
        """The statement with this user and day in place of one_day_upserts' stand-ins."""
        params = replaced(self.params, {SOME_USER_ID: user_id, SOME_DAY: day})
        return Upsert(self.sql, params, self.returning)


@cache
def one_day_upserts() -> tuple[Upsert, Upsert]:
    """DayTotal's and DayNutrientTotal's statements for one user's day, built once per
    process with stand-ins that Upsert.with_values replaces by each write's user and day:
    Django took three times as long to build them as the database takes to run them
    (about 1.5 ms of every write, bench/profile_page.py)."""
    entries = Entry.objects.filter(meal__user_id=SOME_USER_ID, meal__day__in=[SOME_DAY])
    statements = (DayTotal._upsert(entries), DayNutrientTotal.upsert(entries))
    for statement in statements:
        stand_ins_checked(statement.params, (SOME_USER_ID, SOME_DAY))
    return statements


def insert_from_select(
    model: type[models.Model],
    columns: dict[str, str],
    select: models.QuerySet,
    *,
    unique: tuple[str, ...],
    returning: tuple[str, ...],
) -> Upsert:
    """The statement that INSERTs INTO model's table the rows a queryset selects, which
    the database runs on its own (no row travels through Python), updating the rows that
    already hold the `unique` fields' values, and RETURNING the `returning` fields of
    every row written. `columns` maps each model field to the name of the select's column
    that fills it. PostgreSQL and SQLite alike.
    """
    quote = connection.ops.quote_name
    fields = {name: model._meta.get_field(name) for name in {*columns, *unique, *returning}}
    sql, params = select.query.sql_with_params()
    targets = ", ".join(quote(fields[name].column) for name in columns)
    picked = ", ".join(quote(alias) for alias in columns.values())
    updates = ", ".join(
        f"{quote(fields[name].column)} = excluded.{quote(fields[name].column)}"
        for name in columns
        if name not in unique
    )
    # "WHERE true": SQLite would otherwise read the ON of ON CONFLICT as a join's.
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({targets}) "
        f"SELECT {picked} FROM ({sql}) AS selected WHERE true "
        f"ON CONFLICT ({', '.join(quote(fields[name].column) for name in unique)}) "
        f"DO UPDATE SET {updates} "
        f"RETURNING {', '.join(quote(fields[name].column) for name in returning)}"
    )
    return Upsert(statement, tuple(params), tuple(fields[name] for name in returning))


def read_back(field: models.Field, value: Any) -> Any:
    """A value RETURNING gave, as the field reads it from the database (SQLite gives dates
    as text and decimals as floats)."""
    if isinstance(field, models.DecimalField):
        return field.to_python(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python(value)
    return field.to_python(value)


FOOD_IDS_AT_ONCE = 1000


class DayNutrientTotal(models.Model):
    """A day's sum of one of the report's nutrients (REPORT_NUTRIENT_IDS), and how many of
    its entries know it. No row: none of the day's entries has a value for it (no data,
    which is not zero). Written only by DayTotal.refresh and its siblings."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**TOTAL_DIGITS)
    known_entries = models.PositiveIntegerField()

    class Meta:
        # stored_totals' reads (a few nutrients over a range of days) from the index alone,
        # nutrient before day so that it reads only the nutrients asked for: bench/scale.py.
        indexes = [
            models.Index(
                fields=["user", "nutrient", "day", "amount", "known_entries"],
                name="day_nutrient_total_range",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day", "nutrient"], name="one_total_per_day_and_nutrient"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="day_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(known_entries__gt=0), name="day_amount_known_by_an_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.day:%Y-%m-%d}: {self.amount} of {self.nutrient_id}"

    @classmethod
    def upsert(cls, entries: EntryQuerySet) -> Upsert:
        """The statement that writes the sums of the report's nutrients over these
        entries, per user and day; read what it returns with read_upserted."""
        sums = entries.order_by()._nutrient_sums(REPORT_NUTRIENT_IDS, "meal__user_id", "meal__day")
        return insert_from_select(
            cls,
            {"user": "meal__user_id", "day": "meal__day", "nutrient": "nutrient_id",
             "amount": "total", "known_entries": "known_entries"},
            sums,
            unique=("user", "day", "nutrient"),
            returning=("user", "day", "nutrient", "amount", "known_entries"),
        )  # fmt: skip

    @staticmethod
    def read_upserted(rows: list[tuple]) -> dict[tuple[int, date], dict[int, NutrientTotal]]:
        """(user id, day) → nutrient id → the sum as written, from upsert's rows."""
        by_day: dict[tuple[int, date], dict[int, NutrientTotal]] = defaultdict(dict)
        for user_id, day, nutrient_id, amount, known in rows:
            by_day[user_id, day][nutrient_id] = NutrientTotal(amount, known)
        return by_day


def days_with_foods(food_ids: Iterable[int]) -> dict[int, set[date]]:
    """user id → the days of their diary that hold one of these foods: the days a change
    to the foods' values moves. One query per FOOD_IDS_AT_ONCE foods (plus one to narrow
    down a longer list)."""
    food_ids = set(food_ids)
    if len(food_ids) > FOOD_IDS_AT_ONCE:
        # An import hands in every food it wrote: keep only those in some diary.
        logged = Entry.objects.order_by().values_list("food_id", flat=True).distinct()
        food_ids &= set(logged)
    days_by_user: dict[int, set[date]] = defaultdict(set)
    ids = sorted(food_ids)
    for start in range(0, len(ids), FOOD_IDS_AT_ONCE):
        pairs = (
            Entry.objects.filter(food_id__in=ids[start : start + FOOD_IDS_AT_ONCE])
            .order_by()
            .values_list("meal__user_id", "meal__day")
            .distinct()
        )
        for user_id, day in pairs:
            days_by_user[user_id].add(day)
    return days_by_user


def diary_days(days_by_user: dict[int, set[date]]) -> DiaryDays:
    return DiaryDays(
        days=sum(len(days) for days in days_by_user.values()), people=len(days_by_user)
    )


def refresh_days_with_foods(food_ids: Iterable[int]) -> DiaryDays:
    """settings.FOOD_VALUES_CHANGED: what nutrients.models.food_values_changed calls after
    staff or the importer change foods' values (nutrients/ never imports tracker/)."""
    return DayTotal.refresh_for_foods(food_ids)


def count_days_with_foods(food_ids: Iterable[int]) -> DiaryDays:
    """settings.FOOD_DIARY_DAYS: the days refresh_days_with_foods would re-add, counted
    without writing (the admin says so before a save)."""
    return diary_days(days_with_foods(food_ids))


def stored_totals(
    user: "settings.AUTH_USER_MODEL", first_day: date, last_day: date, nutrient_ids: Iterable[int]
) -> tuple[dict[date, int], dict[date, dict[int, NutrientTotal]]]:
    """The stored totals of a range of days, in two queries: entries per logged day, and
    per day the nutrients' sums (absent: no data)."""
    entries = dict(
        DayTotal.objects.filter(user=user, day__range=(first_day, last_day)).values_list(
            "day", "entries"
        )
    )
    by_day: dict[date, dict[int, NutrientTotal]] = defaultdict(dict)
    for day, nutrient_id, amount, known in DayNutrientTotal.objects.filter(
        user=user, day__range=(first_day, last_day), nutrient_id__in=list(nutrient_ids)
    ).values_list("day", "nutrient_id", "amount", "known_entries"):
        by_day[day][nutrient_id] = NutrientTotal(amount, known)
    return entries, by_day


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# A client may send the same write again (a double click, a retry after a lost answer):
# within this long, the same key stores nothing new.
REQUEST_KEY_LIFETIME = timedelta(hours=24)
REQUEST_KEY_MAX_LENGTH = 100
# Keys past their lifetime are deleted after every this many claims.
FORGET_KEYS_EVERY = 100


class RequestKey(models.Model):
    """A one-time key that came with a write: the API's Idempotency-Key header, or the
    hidden key of a web form. Saved in the same transaction as the write, so that a key
    is seen if and only if its write was stored. For the API it keeps the answer too, to
    give it again to a retry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_keys"
    )
    key = models.CharField(max_length=REQUEST_KEY_MAX_LENGTH)
    # SHA-256 of what was asked (method, path and body): the same key with another
    # request is a client's mistake, not a retry.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_request_per_key"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="request_key_age")]

    def __str__(self) -> str:
        return f"{self.key} of {self.user}"

    @classmethod
    def claim(
        cls, user: "settings.AUTH_USER_MODEL", key: str, fingerprint: str
    ) -> tuple["RequestKey", bool]:
        """The key's row, and whether it is new (the write is to be done now).

        Call inside the write's transaction. A concurrent request with the same key waits
        here for the first one's transaction: on PostgreSQL at the unique index, on SQLite
        at the write lock that an IMMEDIATE transaction takes. A key past its lifetime
        counts as new (its row is taken over). One statement for a new key, the cost of
        every add; a second reads the earlier claim of a key sent again.
        """
        now = timezone.now()
        row = cls(user=user, key=key, fingerprint=fingerprint, created_at=now)
        table, quote = cls._meta.db_table, connection.ops.quote_name
        columns = ("user_id", "key", "fingerprint", "status_code", "response_body", "created_at")
        # As the fields save them (SQLite keeps datetimes as text, in UTC).
        values = [
            row._meta.get_field(name.removesuffix("_id")).get_db_prep_save(
                getattr(row, name), connection
            )
            for name in columns
        ]
        expired = cls._meta.get_field("created_at").get_db_prep_value(
            now - REQUEST_KEY_LIFETIME, connection
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
                f"VALUES ({', '.join(['%s'] * len(columns))}) "
                f"ON CONFLICT (user_id, {quote('key')}) DO UPDATE SET "
                + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns[2:])
                + f" WHERE {quote(table)}.created_at < %s RETURNING id",
                [*values, expired],
            )
            taken = cursor.fetchone()
        if taken is None:  # sent before, within the key's lifetime
            return cls.objects.get(user=user, key=key), False
        row.id = taken[0]
        if row.id % FORGET_KEYS_EVERY == 0:  # now and then, rather than on every add
            cls.objects.filter(created_at__lt=now - REQUEST_KEY_LIFETIME).delete()
        return row, True


def request_fingerprint(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


# The cramp diary's models live in their own module; importing them here registers them.
from tracker.cramp_models import (  # noqa: E402, F401
    Cramp,
    Supplement,
    SupplementAmount,
    SupplementIntake,
)
from tracker.saved_meal_models import SavedMeal, SavedMealItem  # noqa: E402, F401
