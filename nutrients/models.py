"""Foods and their nutrients, as rows: a new nutrient is an import, never a migration.

Amounts are per 100 g of edible portion, as in FoodData Central. A nutrient a food was
not analysed for has no FoodNutrient row: "no data", which is not zero.
"""

import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Concat, Length
from django.db.models.lookups import Contains
from django.utils.module_loading import import_string

from nutrients.numbers import plain


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


# One letter matches a large part of any food table and helps nobody choose.
SEARCH_MIN_LENGTH = 2
# Longer queries are cut: no food name needs more, and every word costs a LIKE.
SEARCH_MAX_LENGTH = 100


class FoodQuerySet(models.QuerySet["Food"]):
    def visible_to(self, user: "settings.AUTH_USER_MODEL | None") -> "FoodQuerySet":
        """The shared food table plus the user's own foods."""
        if user is None or not user.is_authenticated:
            return self.filter(owner=None)
        return self.filter(Q(owner=None) | Q(owner=user))

    def search(self, query: str) -> "FoodQuerySet":
        """Foods in which every query word starts a word, best match first.

        "banan" finds "Bananas, raw"; words match in any order, ignoring case and
        accents; a plural finds the singular too ("sardines" → "Fish, sardine, …"). An
        empty query finds nothing. Callers take a page: `.search(q)[:20]`.

        Best first: seed foods and the user's own foods; then foods whose description
        starts with the first word; then foods that hold the words as typed (before
        plural folding); then raw foods; then shorter descriptions; then A to Z.
        """
        typed_words = search_text(query).split()
        if not typed_words:
            return self.none()
        prefixes = [singular_prefix(word) for word in typed_words]
        matches = self
        for prefix in prefixes:
            # search_text is already lower-case and accent-free, so a plain LIKE (not
            # UPPER(...) LIKE) is enough, and PostgreSQL serves it from the trigram index.
            matches = matches.filter(search_text__contains=" " + prefix)
        # Every food matches its folded prefixes; holding the typed words is a bonus.
        as_typed = Q()
        for typed, prefix in zip(typed_words, prefixes, strict=True):
            if typed != prefix:
                as_typed &= Q(search_text__contains=" " + typed)
        return matches.annotate(
            search_source_rank=_rank(Q(source__in=[Food.Source.SEED, Food.Source.USER])),
            search_start_rank=_starts_with_rank(prefixes[0]),
            search_typed_rank=_rank(as_typed),
            search_raw_rank=_rank(_has_word("raw")),
            search_length=Length("description"),
        ).order_by(
            "search_source_rank",
            "search_start_rank",
            "search_typed_rank",
            "search_raw_rank",
            "search_length",
            "description",
            "pk",
        )


def singular_prefix(word: str) -> str:
    """The part of `word` that its singular starts with too: "sardines" → "sardine".

    Always a prefix of `word`, so folding only ever finds more foods. Words ending in
    "ss", "us" or "ies" stay as typed: "swiss", "hummus"; "cookies" cut to "cooki"
    would still miss "cookie", and cut to "cook" would find every cooked food.
    """
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "ies")):
        return word
    if word.endswith("oes"):  # potatoes → potato
        return word[:-2]
    return word[:-1]


def _rank(condition: Q | Contains) -> Case | Value:
    """0 when the condition holds, else 1: a rank to order by, ascending."""
    if isinstance(condition, Q) and not condition:
        return Value(0)
    return Case(When(condition, then=Value(0)), default=Value(1))


def _has_word(word: str) -> Contains:
    """search_text holds `word` as a whole word."""
    # One LIKE on "search_text + ' '" costs less per row than two on search_text.
    return Contains(Concat("search_text", Value(" ")), f" {word} ")


def _starts_with_rank(prefix: str) -> Case:
    """0: the description's first word is `prefix` or its plural ("banana" → "Bananas");
    1: its first word merely starts with `prefix` ("salmon" → "Salmonberries");
    2: `prefix` starts a later word.
    """
    whole_first_word = Q()
    for form in (prefix, prefix + "s", prefix + "es"):
        whole_first_word |= Q(search_text=f" {form}") | Q(search_text__startswith=f" {form} ")
    # Most matches do not start with the prefix: test that first, so that the database
    # skips the six whole-word tests for them (CASE stops at the first true WHEN).
    return Case(
        When(~Q(search_text__startswith=f" {prefix}"), then=Value(2)),
        When(whole_first_word, then=Value(0)),
        default=Value(1),
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
        indexes = [
            # The dashboard's suggestions start from the seed foods: a few dozen rows,
            # found without reading a food table that may hold 500,000 branded foods.
            models.Index(fields=["source"], condition=Q(source="seed"), name="food_seed"),
        ]
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


def amount_per_100_g(food: OuterRef, nutrient_id: int) -> Subquery:
    """The food's amount of the nutrient per 100 g, as a subquery: NULL where it has none."""
    # order_by(): the model's ordering would join the nutrient table for nothing.
    return Subquery(
        FoodNutrient.objects.filter(food=food, nutrient_id=nutrient_id)
        .order_by()
        .values("amount")[:1]
    )


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
        return f"{self.description} ({plain(self.grams)} g)"


class FoodTableVersion(models.Model):
    """One row whose number goes up with every staff change to the food table (admin,
    importer), so that a process can tell, with one cheap query, whether what it read
    once (the seed foods and portions for suggestions) still holds."""

    version = models.PositiveBigIntegerField(default=0)

    ROW = 1

    def __str__(self) -> str:
        return f"food table version {self.version}"

    @classmethod
    def current(cls) -> int:
        """One query; 0 before the first change."""
        return cls.objects.filter(pk=cls.ROW).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=cls.ROW).update(version=F("version") + 1):
            cls.objects.get_or_create(pk=cls.ROW, defaults={"version": 1})


def food_values_changed(food_ids: Iterable[int]) -> None:
    """Call once after staff or the importer changed foods (their values per 100 g, their
    portions, their source), in the same transaction: bumps FoodTableVersion and calls
    each function settings.FOOD_VALUES_CHANGED names with the foods' ids (the diary's
    per-day totals of every user who logged them are recomputed there)."""
    food_ids = list(food_ids)
    FoodTableVersion.bump()
    for path in getattr(settings, "FOOD_VALUES_CHANGED", ()):
        import_string(path)(food_ids)
