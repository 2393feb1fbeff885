"""Foods and their nutrients, as rows: a new nutrient is an import, never a migration.

Amounts are per 100 g of edible portion, as in FoodData Central. A nutrient a food was
not analysed for has no FoodNutrient row: "no data", which is not zero.
"""

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Length


def search_text(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces, with a leading space.

    The leading space lets " banan" match the start of any word with a plain LIKE, the
    same on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return " " + " ".join(words)


class Nutrient(models.Model):
    # The FoodData Central nutrient id (1092 potassium, 1087 calcium, 1090 magnesium…).
    id = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, help_text="mg, µg, g, kcal or IU")
    display_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class FoodQuerySet(models.QuerySet["Food"]):
    def visible_to(self, user: "settings.AUTH_USER_MODEL | None") -> "FoodQuerySet":
        """The shared food table plus the user's own foods."""
        if user is None or not user.is_authenticated:
            return self.filter(owner=None)
        return self.filter(Q(owner=None) | Q(owner=user))

    def search(self, query: str) -> "FoodQuerySet":
        """Foods in which every query word starts a word, best match first.

        "banan" finds "Bananas, raw"; words match in any order, ignoring case and
        accents. An empty query finds nothing. Callers take a page: `.search(q)[:20]`.
        """
        words = search_text(query).split()
        if not words:
            return self.none()
        matches = self
        for word in words:
            # search_text is already lower-case and accent-free, so a plain LIKE (not
            # ILIKE/UPPER) does: PostgreSQL serves it from the trigram index.
            matches = matches.filter(search_text__contains=" " + word)
        return matches.annotate(
            search_source_rank=Case(
                When(source__in=[Food.Source.SEED, Food.Source.USER], then=Value(0)),
                default=Value(1),
            ),
            search_start_rank=_starts_with_rank(words[0]),
            search_raw_rank=Case(When(_has_word("raw"), then=Value(0)), default=Value(1)),
            search_length=Length("description"),
        ).order_by(
            "search_source_rank",
            "search_start_rank",
            "search_raw_rank",
            "search_length",
            "description",
            "pk",
        )


def _has_word(word: str) -> Q:
    """search_text holds `word` as a whole word."""
    return Q(search_text__contains=f" {word} ") | Q(search_text__endswith=f" {word}")


def _starts_with_rank(word: str) -> Case:
    """0: the description's first word is `word` or its plural ("banana" → "Bananas");
    1: its first word merely starts with `word` ("salmon" → "Salmonberries");
    2: `word` comes later in the description.
    """
    whole_first_word = Q()
    for form in (word, word + "s", word + "es"):
        whole_first_word |= Q(search_text=f" {form}") | Q(search_text__startswith=f" {form} ")
    return Case(
        When(whole_first_word, then=Value(0)),
        When(search_text__startswith=f" {word}", then=Value(1)),
        default=Value(2),
    )


class Food(models.Model):
    class Source(models.TextChoices):
        SEED = "seed", "Seed food"
        FDC = "fdc", "FoodData Central import"
        USER = "user", "User's own"

    description = models.CharField(max_length=255)
    category = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FDC)
    fdc_id = models.PositiveIntegerField(
        "FDC id", null=True, blank=True, unique=True, help_text="FoodData Central id"
    )
    data_type = models.CharField(max_length=40, blank=True, help_text="FDC data type")
    brand_owner = models.CharField(max_length=255, blank=True)
    gtin = models.CharField("GTIN/UPC", max_length=20, blank=True, help_text="barcode, as text")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_foods",
        help_text="set for a user's own food, which only that user sees",
    )
    # Kept in step with description by save() and the importer; see search_text().
    search_text = models.CharField(max_length=400, editable=False, default="")

    objects = FoodQuerySet.as_manager()

    class Meta:
        ordering = ["description"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="user", owner__isnull=False)
                | (~Q(source="user") & Q(owner__isnull=True)),
                name="food_owner_iff_user_source",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_text(self.description)
        super().save(*args, **kwargs)


class FoodNutrient(models.Model):
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="nutrient_amounts")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="amounts")
    amount = models.DecimalField(
        max_digits=12, decimal_places=3, help_text="per 100 g of edible portion"
    )

    class Meta:
        ordering = ["nutrient__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["food", "nutrient"], name="one_amount_per_nutrient"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.nutrient.name}: {self.amount} {self.nutrient.unit} per 100 g"


class Portion(models.Model):
    """A household measure: "1 medium (7\" to 7-7/8\" long)" weighs 118 g."""

    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="portions")
    seq = models.PositiveIntegerField(default=1, help_text="order among the food's portions")
    description = models.CharField(max_length=255)
    grams = models.DecimalField(max_digits=10, decimal_places=3)

    class Meta:
        ordering = ["seq", "id"]
        constraints = [
            models.UniqueConstraint(fields=["food", "seq"], name="one_portion_per_seq"),
            models.CheckConstraint(condition=Q(grams__gt=0), name="portion_grams_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.grams.normalize():f} g)"

    def grams_for(self, count: Decimal) -> Decimal:
        return count * self.grams
