"""Saved meals: a named set of foods and amounts ("my usual breakfast"), logged into any
day's meal in one step (imported by tracker/models.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from nutrients.models import Food, Portion
from nutrients.report import describe_amount

MAX_SAVED_MEAL_ITEMS = 50


class SavedMeal(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_meals"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SavedMealItem(models.Model):
    """One food of a saved meal, with its amount as the diary takes it."""

    saved_meal = models.ForeignKey(SavedMeal, on_delete=models.CASCADE, related_name="items")
    # RESTRICT: an own food in a saved meal is hidden rather than deleted (as with entries).
    food = models.ForeignKey(Food, on_delete=models.RESTRICT, related_name="in_saved_meals")
    grams = models.DecimalField(max_digits=9, decimal_places=2)
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    portion = models.ForeignKey(
        Portion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField(max_length=255, default="g")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(grams__gt=0), name="saved_item_grams_positive"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="saved_item_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_as_entered} {self.food}"

    @property
    def amount_as_entered(self) -> str:
        return describe_amount(self.quantity, self.unit)
