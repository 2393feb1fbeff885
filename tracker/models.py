"""The diary: each user's profile, meals and the entries in them."""

import zoneinfo
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum

from nutrients.models import Food, FoodNutrient, Portion

# Read once: listing the zone database takes about 20 ms.
TIME_ZONES = frozenset(zoneinfo.available_timezones())


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(TIME_ZONES)]


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(
        max_length=64,
        default=settings.TIME_ZONE,
        help_text="Your day starts and ends at midnight in this zone.",
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @classmethod
    def for_user(cls, user: "settings.AUTH_USER_MODEL") -> "Profile":
        profile, _ = cls.objects.get_or_create(user=user)
        return profile


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


class EntryQuerySet(models.QuerySet["Entry"]):
    def for_day(self, user: "settings.AUTH_USER_MODEL", day: date) -> "EntryQuerySet":
        return self.filter(meal__user=user, meal__day=day)

    def nutrient_totals(self) -> dict[int, Decimal]:
        """Sum of grams × amount per 100 g for each nutrient, in one query.

        A nutrient appears only when at least one entry's food has a value for it.
        """
        rows = (
            FoodNutrient.objects.filter(food__entries__in=self)
            .values("nutrient_id")
            .annotate(total=Sum(F("amount") * F("food__entries__grams") / 100))
        )
        return {row["nutrient_id"]: row["total"] for row in rows}


class Entry(models.Model):
    meal = models.ForeignKey(Meal, on_delete=models.CASCADE, related_name="entries")
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="entries")
    grams = models.DecimalField(max_digits=9, decimal_places=2)
    # What the user typed, kept as typed: 1.5 × "cup, sliced", or 150 × "g".
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    portion = models.ForeignKey(
        Portion, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    unit = models.CharField(max_length=255, default="g")
    created_at = models.DateTimeField(auto_now_add=True)

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
        return f"{self.quantity.normalize():f} {self.unit}"
