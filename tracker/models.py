"""The diary: each user's profile, meals and the entries in them."""

import hashlib
import secrets
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from nutrients.models import Food, Portion, amount_per_100_g
from nutrients.numbers import plain
from nutrients.report import (
    DEFAULT_WATER_TARGET_ML,
    HEADLINE_MINERALS,
    TAP_WATER_FDC_ID,
    WATER,
    Mineral,
)

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


class Profile(models.Model):
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
    water_target_ml = models.PositiveIntegerField(
        "water target (ml)",
        default=DEFAULT_WATER_TARGET_ML,
        help_text="From food and drinks together: about 2,700 ml for women, 3,700 ml for men.",
    )
    takes_diuretic = models.BooleanField(
        "I take a diuretic",
        default=False,
        help_text="Diuretics (water pills) drain potassium, magnesium and calcium.",
    )

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
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @classmethod
    def of(cls, user: "settings.AUTH_USER_MODEL") -> "Profile":
        """The user's profile; an account made without one (createsuperuser) gets it now."""
        profile, _ = cls.objects.get_or_create(user=user)
        profile.user = user  # already at hand: reading profile.user costs no query
        return profile

    def target_mg(self, mineral: Mineral) -> Decimal:
        custom = getattr(self, mineral.target_field)
        return Decimal(custom) if custom else mineral.default_target_mg


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

    def daily_totals(self, nutrient_ids: Iterable[int]) -> dict[date, dict[int, Decimal]]:
        """The same sums per day, for a range of days, in one query."""
        by_day: dict[date, dict[int, Decimal]] = defaultdict(dict)
        for row in self._nutrient_sums(nutrient_ids, "meal__day"):
            by_day[row["meal__day"]][row["nutrient_id"]] = row["total"]
        return by_day

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
        return self.annotate(
            **{
                mineral.mg_field: nutrient_in_grams(
                    amount_per_100_g(OuterRef("food_id"), mineral.nutrient_id), F("grams")
                )
                for mineral in HEADLINE_MINERALS
            }
        )

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
        return Copied(len(copies), skipped)

    def most_logged_food_ids(self, user: "settings.AUTH_USER_MODEL", limit: int = 8) -> list[int]:
        """The foods most often logged in the user's latest RECENT_ENTRIES entries (by
        day), most often first. Water is left out: it has buttons of its own."""
        return [food_id for food_id, _ in self._most_logged(user, limit)]

    def recent_for(self, user: "settings.AUTH_USER_MODEL", limit: int = 8) -> list["Entry"]:
        """The most logged foods (as above), each as its latest entry, for its amount."""
        latest_ids = [latest_id for _, latest_id in self._most_logged(user, limit)]
        by_id = (
            self.filter(id__in=latest_ids).select_related("food", "meal").with_minerals().in_bulk()
        )
        return [by_id[entry_id] for entry_id in latest_ids if entry_id in by_id]

    def _most_logged(self, user: "settings.AUTH_USER_MODEL", limit: int) -> list[tuple[int, int]]:
        """(food id, its latest entry's id), most often logged first."""
        # By the meal's day only, so that the database walks the (user, day, slot) index
        # backwards and stops, instead of sorting years of entries on every page.
        latest = (
            self.filter(meal__user=user)
            .exclude(food__fdc_id=TAP_WATER_FDC_ID)
            .order_by("-meal__day", "-meal__slot")
            .values("id")[:RECENT_ENTRIES]
        )
        return list(
            self.filter(id__in=latest)
            .values("food_id")
            .annotate(latest_id=Max("id"), times=Count("id"))
            .order_by("-times", "-latest_id")
            .values_list("food_id", "latest_id")[:limit]
        )


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


# The household measures FoodData Central's portions start with, and their plurals.
# Adjectives ("medium", "large") and abbreviations ("oz", "tbsp") stay as they are.
PORTION_PLURALS = {
    word: plural
    for words, ending in (
        (
            "bar bagel biscuit bottle bun can cake container cookie cracker cup drumstick "
            "egg fillet fruit muffin packet package piece pie roll scoop serving slice "
            "spear stalk steak stick strip tablespoon teaspoon tortilla wedge wing",
            "s",
        ),
        ("box dash glass pouch", "es"),
    )
    for word in words.split()
    for plural in [word + ending]
} | {"leaf": "leaves", "patty": "patties", "loaf": "loaves"}


def describe_amount(quantity: Decimal, unit: str) -> str:
    """ "150 g", "250 ml", "1.5 cups, sliced" (of the portion "1 cup, sliced"),
    "2 medium (7" long)", "2 × 3 oz"."""
    number = plain(quantity)
    if unit in ("g", "ml"):
        return f"{number} {unit}"
    if unit.startswith("1 "):
        measure = unit.removeprefix("1 ")
        if quantity > 1:
            word, separator, rest = measure.partition(" ")
            bare = word.rstrip(",")
            if bare in PORTION_PLURALS:
                measure = PORTION_PLURALS[bare] + word[len(bare) :] + separator + rest
        return f"{number} {measure}"
    return f"{number} × {unit}"


# Shown beside a token's name: enough to tell tokens apart, far too little to guess one.
TOKEN_PREFIX_LENGTH = 8
# last_used_at is only moved on when it is older than this.
LAST_USED_RESOLUTION = timedelta(minutes=1)


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


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# A client may send the same write again (a double click, a retry after a lost answer):
# within this long, the same key stores nothing new.
REQUEST_KEY_LIFETIME = timedelta(hours=24)
REQUEST_KEY_MAX_LENGTH = 100


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
        at the write lock that an IMMEDIATE transaction takes. Keys past their lifetime
        are forgotten first, so an old key counts as new.
        """
        cls.objects.filter(user=user, created_at__lt=timezone.now() - REQUEST_KEY_LIFETIME).delete()
        return cls.objects.get_or_create(user=user, key=key, defaults={"fingerprint": fingerprint})


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
