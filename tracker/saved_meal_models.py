"""Saved meals: a named set of foods and amounts ("my usual breakfast"), logged into any
day's meal in one step (imported by tracker/models.py)."""

from django.conf import settings
from django.db import models

from nutrients.models import Food
from nutrients.recipe_models import FoodAmount
from tracker.cramp_models import Versioned

MAX_SAVED_MEAL_ITEMS = 50


class SavedMeal(Versioned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_meals"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SavedMealItem(FoodAmount):
    """One food of a saved meal, with its amount as the diary takes it."""

    saved_meal = models.ForeignKey(SavedMeal, on_delete=models.CASCADE, related_name="items")
    # RESTRICT: an own food in a saved meal is hidden rather than deleted (as with entries).
    food = models.ForeignKey(Food, on_delete=models.RESTRICT, related_name="in_saved_meals")

    class Meta(FoodAmount.Meta):
        pass
