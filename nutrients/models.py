"""Foods and their nutrients, as rows: a new nutrient is an import, never a migration.

Amounts are per 100 g of edible portion, as in FoodData Central. A nutrient a food was
not analysed for has no FoodNutrient row: "no data", which is not zero.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Least, Length
from django.db.models.lookups import Contains
from django.utils.module_loading import import_string

from nutrients.numbers import plain
from nutrients.search import (
    SearchPlan,
    barcode,
    barcode_forms,
    plan_search,
    query_words,
    search_text,
    singular_prefix,
    term_key,
    term_spans,
    vocabulary_filter,
)

# Re-exported: the importer, the seed script and tests import them from here.
__all__ = ["search_text", "singular_prefix"]

BRANDED = "branded_food"  # FoodData Central's data type of branded products
# Search ranks at most this many generic and this many branded foods per query: 10
# pages of 20, and one more to know that there are more.
SEARCH_CANDIDATES = 201

# Food.search_rank, a number to sort by ascending: seed foods first, then the foods
# logged most across the site, then raw foods, then shorter descriptions.
SEED_WEIGHT = 10**10
LOGGED_WEIGHT = 10**4
RAW_WEIGHT = 10**3
MAX_TIMES_LOGGED = 999_999
MAX_LENGTH_RANK = 999
# A food never logged, not a seed food, not raw, with a long name: rows that bulk
# loaders write without the column start here.
DEFAULT_SEARCH_RANK = SEED_WEIGHT + MAX_TIMES_LOGGED * LOGGED_WEIGHT + RAW_WEIGHT + MAX_LENGTH_RANK


def static_search_rank(source: str, times_logged: int, text: str, description: str) -> int:
    """Food.search_rank for these values; FoodQuerySet.refresh_search_rank() in SQL."""
    return (
        (0 if source == "seed" else 1) * SEED_WEIGHT
        + (MAX_TIMES_LOGGED - min(times_logged, MAX_TIMES_LOGGED)) * LOGGED_WEIGHT
        + (0 if " raw " in text + " " else 1) * RAW_WEIGHT
        + min(len(description), MAX_LENGTH_RANK)
    )


# search_text's column. Normalising may lengthen a text ("½" becomes " 1 2"), so a
# description within its own 255 characters can still overflow this: check it first.
SEARCH_TEXT_MAX_LENGTH = 400
SEARCH_TEXT_TOO_LONG = (
    "This is too long once its symbols are spelled out for the search (“½” counts as "
    "“1 2”): shorten it."
)


def search_text_fits(text: str) -> bool:
    return len(search_text(text)) <= SEARCH_TEXT_MAX_LENGTH


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

    def search(
        self,
        query: str,
        *,
        preferred_food_ids: "Iterable[int] | QuerySet | None" = None,
        limit: int = SEARCH_CANDIDATES,
    ) -> "FoodQuerySet":
        """Foods in which every query word starts a word, best match first.

        "banan" finds "Bananas, raw"; words match in any order, ignoring case and
        accents; a plural finds the singular too ("sardines" → "Fish, sardine, …"); a
        synonym finds what it means ("courgette" → zucchini); a word that starts no word
        of the food table is corrected to the nearest ones ("bananna" → banana); digits
        of a barcode find the branded food with that GTIN. An empty query finds nothing.
        Callers take a page: `.search(q, limit=21)[:20]`; limit (at most
        SEARCH_CANDIDATES) is how many foods they may read, the fewer the faster.

        Best first: the user's own foods and preferred_food_ids (the foods they logged
        lately); the everyday food the whole query names ("coffee" → brewed coffee);
        other everyday foods; then, among everyday foods and among the rest: foods whose
        description starts with the first word; foods that hold the words as typed
        (before plural folding); the curated list's order; then by search_rank: seed
        foods, foods logged most across the site, raw foods, shorter descriptions; then
        A to Z.

        Generic foods (SR Legacy, the user's own) come before branded products, except
        branded foods the user logged lately; a barcode finds a branded food directly.

        How, and why: measured at 500,000 branded foods on PostgreSQL, ranking every food
        that holds a common word ("milk": 28,000 foods) cost most of the time. So the
        matches are taken in parts of at most `limit` foods: the generic ones, ranked in
        full (a trigram index over the generic foods alone finds them); the user's recent
        branded foods; and only when the generic ones do not fill `limit`, the branded
        ones by search_rank alone (a plain column, cheap to sort by). A last query ranks
        those candidates in full. What does not depend on the query is kept in columns
        (everyday_rank, search_rank). Queries: the hints, the generic part, the recent
        branded foods (when preferred_food_ids is given), the branded part (when
        needed), then the foods themselves: three to five.
        """
        words = query_words(query)
        if not words:
            return self.none()
        digits = barcode(words)
        if digits is not None:
            return self.filter(gtin__in=barcode_forms(digits), hidden=False).order_by(
                "description", "pk"
            )
        plan = search_hints(words)
        text = _plan_filter(plan) & Q(hidden=False)
        mine = Q(owner__isnull=False)
        if preferred_food_ids is not None:
            mine |= Q(pk__in=preferred_food_ids)
        limit = max(1, min(limit, SEARCH_CANDIDATES))
        generic = _ranked(self.filter(text).exclude(data_type=BRANDED), plan, words, mine)
        candidates = list(generic.values_list("pk", flat=True)[:limit])
        generic_found = len(candidates)
        branded = self.filter(text, data_type=BRANDED)
        if preferred_food_ids is not None:
            recent = branded.filter(pk__in=preferred_food_ids).order_by()
            candidates += recent.values_list("pk", flat=True)[:limit]
        if generic_found < limit:
            # Branded foods rank after the generic ones: needed only to fill the page.
            by_rank = branded.order_by("search_rank", "pk").values_list("pk", flat=True)
            candidates += by_rank[: limit - generic_found]
        found = self.filter(pk__in=candidates)
        return _ranked(
            found.annotate(search_branded_tier=_rank(~Q(data_type=BRANDED))), plan, words, mine
        )

    def refresh_search_rank(self) -> int:
        """Recompute search_rank in one UPDATE, as static_search_rank() does in Python."""
        raw = Contains(Concat("search_text", Value(" ")), " raw ")
        # 64-bit throughout: PostgreSQL's integer products overflow at 2**31.
        big = BigIntegerField()
        seed = Case(When(source=Food.Source.SEED, then=Value(0)), default=Value(1))
        never_logged = Value(MAX_TIMES_LOGGED) - Least("times_logged", Value(MAX_TIMES_LOGGED))
        not_raw = Case(When(raw, then=Value(0)), default=Value(1))
        return self.update(
            search_rank=Cast(seed, big) * Value(SEED_WEIGHT, big)
            + Cast(never_logged, big) * Value(LOGGED_WEIGHT, big)
            + Cast(not_raw, big) * Value(RAW_WEIGHT, big)
            + Cast(Least(Length("description"), Value(MAX_LENGTH_RANK)), big)
        )

    def refresh_times_logged(self) -> int:
        """Set each food's times_logged to its diary entries; return the foods changed."""
        counts = dict(
            self.filter(entries__isnull=False)
            .values("pk")
            .annotate(times=Count("entries"))
            .values_list("pk", "times")
        )
        changed = []
        stale = self.filter(Q(pk__in=counts) | Q(times_logged__gt=0)).only("pk", "times_logged")
        for food in stale:
            times = counts.get(food.pk, 0)
            if food.times_logged != times:
                food.times_logged = times
                changed.append(food)
        self.model.objects.bulk_update(changed, ["times_logged"], batch_size=1000)
        self.model.objects.filter(pk__in=[food.pk for food in changed]).refresh_search_rank()
        return len(changed)


def search_hints(words: list[str]) -> SearchPlan:
    """One query for everything search needs to know besides the foods: the synonyms of
    the query's word runs, the everyday foods the whole query names, and the vocabulary
    near each word that may be misspelt."""
    spans = term_spans(words)
    whole = term_key(" ".join(words))
    text = CharField()
    parts = [
        Synonym.objects.filter(term_key__in=spans)
        .annotate(hint=Value("synonym", text), key=F("term_key"), value=F("means"))
        .order_by()
        .values_list("hint", "key", "value"),
        EverydayFood.objects.filter(terms_key__contains=f";{whole};")
        .annotate(hint=Value("term", text), key=F("terms_key"), value=Cast("food_id", text))
        .order_by()
        .values_list("hint", "key", "value"),
    ]
    near = Q()
    for prefix, first_letter, shortest, longest in vocabulary_filter(words):
        near |= Q(word__startswith=prefix) | Q(
            word__startswith=first_letter, length__gte=shortest, length__lte=longest
        )
    if near:
        parts.append(
            SearchWord.objects.filter(near)
            .annotate(hint=Value("word", text), key=F("word"), value=Cast("foods", text))
            .order_by()
            .values_list("hint", "key", "value")
        )
    rows = list(parts[0].union(*parts[1:], all=True))
    return plan_search(
        words,
        synonyms=[(key, value) for kind_, key, value in rows if kind_ == "synonym"],
        term_food_ids=[int(value) for kind_, _, value in rows if kind_ == "term"],
        vocabulary={key: int(value) for kind_, key, value in rows if kind_ == "word"},
    )


def _ranked(foods: "FoodQuerySet", plan: SearchPlan, words: list[str], mine: Q) -> "FoodQuerySet":
    """foods in search's order (see FoodQuerySet.search)."""
    first = singular_prefix(plan.groups[0][0][0])
    # Holding the typed words (before plural folding) is a bonus.
    as_typed = Q()
    for word in words:
        if singular_prefix(word) != word:
            as_typed &= Q(search_text__contains=" " + word)
    named = Q(pk__in=plan.term_food_ids) if plan.term_food_ids else None
    branded_tier = (
        ["search_branded_tier"] if "search_branded_tier" in foods.query.annotations else []
    )
    return foods.annotate(
        search_mine_rank=_rank(mine),
        search_term_rank=_rank(named) if named else Value(1),
        search_everyday_tier=_rank(Q(everyday_rank__isnull=False)),
        search_start_rank=_starts_with_rank(first),
        search_typed_rank=_rank(as_typed),
    ).order_by(
        "search_mine_rank",
        *branded_tier,
        "search_term_rank",
        "search_everyday_tier",
        "search_start_rank",
        "search_typed_rank",
        "everyday_rank",  # NULL for most foods: their tier already put them after
        "search_rank",
        "description",
        "pk",
    )


def _plan_filter(plan: SearchPlan) -> Q:
    """Every group matched by one of its alternatives; or one of the foods the query names."""
    every_group = Q()
    for alternatives in plan.groups:
        any_alternative = Q()
        for alternative in alternatives:
            all_words = Q()
            for word in alternative:
                # search_text is already lower-case and accent-free, so a plain LIKE (not
                # UPPER(...) LIKE) is enough, and PostgreSQL serves it from the trigram index.
                all_words &= Q(search_text__contains=" " + singular_prefix(word))
            any_alternative |= all_words
        every_group &= any_alternative
    if plan.term_food_ids:
        return every_group | Q(pk__in=plan.term_food_ids)
    return every_group


def _rank(condition: Q | Contains) -> Case | Value:
    """0 when the condition holds, else 1: a rank to order by, ascending."""
    if isinstance(condition, Q) and not condition:
        return Value(0)
    return Case(When(condition, then=Value(0)), default=Value(1))


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


# Foods whose description starts with one of these are marked calcium_poorly_absorbed when
# the shipped table loads ("Spinach souffle", a dish made with milk and cheese, is not).
POORLY_ABSORBED_CALCIUM_NAMES = ("Spinach,", "Chard, swiss,", "Beet greens,", "Rhubarb,")


class Food(models.Model):
    class Source(models.TextChoices):
        SEED = "seed", "Seed food"
        FDC = "fdc", "FoodData Central import"
        USER = "user", "User's own"
        DISH = "dish", "Everyday dish"  # shipped, made of the table's foods: a Recipe

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
    search_text = models.CharField(max_length=SEARCH_TEXT_MAX_LENGTH, editable=False, default="")
    staff_edited = models.BooleanField(
        default=False,
        db_default=False,
        help_text="set when staff change the food in the admin: loading a newer version of "
        "the shipped food table then leaves the food as staff left it",
    )
    # Diary entries of this food across the site, refreshed by `manage.py
    # count_food_logs`; search puts often-logged foods first.
    # A database default too: bulk loaders that write rows with COPY leave both out.
    times_logged = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Kept in step by load_foods from the curated everyday list (EverydayFood.rank).
    everyday_rank = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # What search sorts by after the query's own ranks: see static_search_rank(). Kept in
    # step by save(), the importer, load_foods and count_food_logs.
    search_rank = models.BigIntegerField(
        default=DEFAULT_SEARCH_RANK, db_default=DEFAULT_SEARCH_RANK, editable=False
    )
    # An own food its owner deleted while diary entries still use it: kept for them
    # (entries protect their food), left out of search and the owner's list.
    # A database default too: bulk loaders that write rows with COPY leave it out.
    hidden = models.BooleanField(
        default=False,
        db_default=False,
        help_text="deleted by its owner; kept for the entries that use it",
    )
    # Oxalate binds the calcium of a few greens (about 5% absorbed, against 30% from milk):
    # totals still count it, but it is never suggested for calcium. Set by load_foods for
    # POORLY_ABSORBED_CALCIUM_NAMES; staff may set it on other foods.
    calcium_poorly_absorbed = models.BooleanField(
        default=False,
        db_default=False,
        help_text="oxalate binds most of this food's calcium (spinach, Swiss chard, beet "
        "greens, rhubarb): its calcium counts in totals but it is never suggested for calcium",
    )

    objects = FoodQuerySet.as_manager()

    class Meta:
        ordering = ["description"]
        indexes = [
            # The dashboard's suggestions start from the seed foods: a few dozen rows,
            # found without reading a food table that may hold 500,000 branded foods.
            models.Index(fields=["source"], condition=Q(source="seed"), name="food_seed"),
            # A barcode typed into search: found at once among 500,000 branded foods.
            models.Index(fields=["gtin"], name="food_gtin"),
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
        self.search_rank = static_search_rank(
            self.source, self.times_logged, self.search_text, self.description
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if not search_text_fits(self.description):
            raise ValidationError({"description": SEARCH_TEXT_TOO_LONG})


class FoodNutrient(models.Model):
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="nutrient_amounts")
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="amounts")
    # Six decimal places: a recipe's values are worked out from its ingredients, and a
    # day that logs 5,000 g of it must still add up to within 0.001 mg.
    amount = models.DecimalField(
        max_digits=15, decimal_places=6, help_text="per 100 g of edible portion"
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


def diet_tags(contains: str | None) -> frozenset[str]:
    """ "dairy;egg" → {"dairy", "egg"}."""
    return frozenset(tag.strip() for tag in (contains or "").split(";") if tag.strip())


class EverydayFood(models.Model):
    """A food people eat often, from the curated list shipped as
    nutrients/data/everyday_foods.csv (loaded by nutrients/everyday.py).

    Search puts these first, in rank order; a query that is one of the terms finds the
    food first even when its description lacks the words ("oatmeal" → oats cooked with
    water). The report suggests only these foods, at their typical serving, at most one
    of a kind at once.
    """

    food = models.OneToOneField(Food, on_delete=models.CASCADE, related_name="everyday")
    rank = models.PositiveIntegerField(unique=True, help_text="1 is the most everyday")
    terms = models.CharField(
        max_length=255, blank=True, help_text="what people type for it, separated by ';'"
    )
    # ";egg;egg;" for "egg;eggs": one LIKE finds the food for a whole query.
    terms_key = models.CharField(max_length=1000, editable=False, default="")
    serving = models.CharField(
        max_length=255,
        help_text="the typical serving: one of the food's USDA portions (“1 can (3.75 oz)”), "
        "or a share of one (“2 tbsp”, logged in grams)",
    )
    serving_grams = models.DecimalField(max_digits=7, decimal_places=2)
    kind = models.CharField(
        max_length=50, help_text="at most one food of a kind is suggested at once (beans, milk…)"
    )
    suggest = models.BooleanField(
        "may be suggested",
        default=True,
        help_text="off for what no dietitian would suggest for minerals: salt, oil, coffee…",
    )
    contains = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="what a diet may leave out, separated by ';': meat, fish (shellfish too), "
        "dairy, egg, nuts (peanuts too), honey",
    )

    class Meta:
        ordering = ["rank"]
        verbose_name_plural = "everyday foods"
        constraints = [
            models.CheckConstraint(
                condition=Q(serving_grams__gt=0) & Q(serving_grams__lte=1000),
                name="everyday_serving_grams_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.food}"

    def save(self, *args, **kwargs) -> None:
        self.terms_key = everyday_terms_key(self.terms)
        super().save(*args, **kwargs)


def everyday_terms_key(terms: str) -> str:
    keys = [term_key(term) for term in terms.split(";")]
    return ";" + ";".join(key for key in keys if key) + ";"


class Synonym(models.Model):
    """Another way to write a food: typing term also finds what it means."""

    term = models.CharField(max_length=100, help_text="what people type, e.g. courgette")
    means = models.CharField(
        max_length=200, help_text="words as the food table writes them, e.g. zucchini"
    )
    # NFKD may lengthen a term ("ﬃ" → "ffi"): room to spare.
    term_key = models.CharField(max_length=400, unique=True, editable=False)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.means}"

    def save(self, *args, **kwargs) -> None:
        self.term_key = term_key(self.term)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        key = term_key(self.term)
        if not key:
            raise ValidationError({"term": "Enter a word or two, in letters or digits."})
        if Synonym.objects.filter(term_key=key).exclude(pk=self.pk).exists():
            raise ValidationError({"term": f"There is a synonym for “{key}” already."})
        if not search_text(self.means).split():
            raise ValidationError({"means": "Enter the words the food table uses."})


class SearchWordQuerySet(models.QuerySet["SearchWord"]):
    def rebuild(self) -> int:
        """Replace the vocabulary with the words of the shared food table; return its size."""
        counts: dict[str, int] = {}
        shared = Food.objects.filter(owner=None).values_list("search_text", flat=True)
        for text in shared.iterator(chunk_size=5000):
            for word in set(text.split()):
                counts[word] = counts.get(word, 0) + 1
        words = [
            SearchWord(word=word, length=len(word), foods=foods)
            for word, foods in counts.items()
            if not word.isdigit()
        ]
        self.all().delete()
        self.bulk_create(words, batch_size=2000)
        return len(words)

    def add_words_of(self, food: Food) -> None:
        """A food staff added or renamed: its new words join the vocabulary."""
        words = [
            SearchWord(word=word, length=len(word), foods=1)
            for word in set(food.search_text.split())
            if not word.isdigit()
        ]
        self.bulk_create(words, ignore_conflicts=True)


class SearchWord(models.Model):
    """A word of the shared food table, for correcting typos in search queries."""

    word = models.CharField(max_length=100, unique=True)
    length = models.PositiveSmallIntegerField()
    foods = models.PositiveIntegerField(help_text="foods whose description holds the word")

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["length"], name="searchword_length")]

    def __str__(self) -> str:
        return self.word


class FoodDataVersion(models.Model):
    """A version of the shipped food data that has been loaded, by checksum."""

    name = models.CharField(max_length=100)
    checksum = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the files")
    loaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.TextField(blank=True, help_text="what loading it changed")

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.checksum[:12]}…), loaded {self.loaded_at:%Y-%m-%d %H:%M}"


class FoodTableVersion(models.Model):
    """The site's revision: one row whose number goes up with every change to what all
    users share (staff writes in the admin, the importer and loaders, the search ranks),
    so that a process can tell, with one cheap query, whether what it kept still holds
    (the pages of tracker/page_cache.py are kept under it)."""

    version = models.PositiveBigIntegerField(default=0)

    ROW = 1

    def __str__(self) -> str:
        return f"food table version {self.version}"

    @classmethod
    def current(cls) -> int:
        """One query; 0 before the first change."""
        return cls.objects.filter(pk=cls.ROW).values_list("version", flat=True).first() or 0

    @classmethod
    def read_with(cls, user: "settings.AUTH_USER_MODEL") -> int:
        """current() as read in the user's own query (user.site_revision, which
        tracker.middleware.UserWithProfileBackend annotates at the request's start), else
        anew: one revision for the whole request, read once."""
        revision = getattr(user, "site_revision", None)
        return cls.current() if revision is None else revision

    @classmethod
    def current_expression(cls) -> Coalesce:
        """current() as an expression, to read it within another query."""
        version = cls.objects.filter(pk=cls.ROW).values("version")[:1]
        return Coalesce(Subquery(version), 0)

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=cls.ROW).update(version=F("version") + 1):
            cls.objects.get_or_create(pk=cls.ROW, defaults={"version": 1})


@dataclass(frozen=True)
class DiaryDays:
    """Days of people's diaries: those a change to some foods re-adds."""

    days: int = 0
    people: int = 0

    def __add__(self, other: "DiaryDays") -> "DiaryDays":
        return DiaryDays(self.days + other.days, self.people + other.people)

    def __str__(self) -> str:
        days = "1 diary day" if self.days == 1 else f"{self.days:,} diary days"
        people = "1 person" if self.people == 1 else f"{self.people:,} people"
        return f"{days} of {people}"


def food_values_changed(food_ids: Iterable[int]) -> DiaryDays:
    """Call once after staff or the importer changed foods (their values per 100 g, their
    portions, their source), in the same transaction: recomputes the recipes made with
    them (nutrients/recipe_models.py), bumps FoodTableVersion and calls
    each function settings.FOOD_VALUES_CHANGED names with the foods' ids (the diary's
    per-day totals of every user who logged them are recomputed there). Returns the
    diary days they re-added."""
    food_ids = list(food_ids)
    # Recipes made with these foods follow them, and so do the days that logged those.
    food_ids += recompute_recipes_with(set(food_ids))
    FoodTableVersion.bump()
    moved = DiaryDays()
    for path in getattr(settings, "FOOD_VALUES_CHANGED", ()):
        moved += import_string(path)(food_ids) or DiaryDays()
    return moved


def diary_days_with_foods(food_ids: Iterable[int]) -> DiaryDays:
    """The diary days food_values_changed(food_ids) would re-add now, counted by the
    function settings.FOOD_DIARY_DAYS names (nutrients/ knows no diaries)."""
    path = getattr(settings, "FOOD_DIARY_DAYS", None)
    return import_string(path)(list(food_ids)) if path else DiaryDays()


# Recipes are foods made of foods: their models live in their own module.
from nutrients.recipe_models import (  # noqa: E402, F401
    Recipe,
    RecipeIngredient,
    recompute_recipes_with,
)
