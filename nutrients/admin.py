"""Staff keep the shared food table and the nutrient list here."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db.models import Count, Exists, Max, Model, OuterRef, QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst

from nutrients.models import (
    EverydayFood,
    Food,
    FoodDataVersion,
    FoodNutrient,
    Nutrient,
    Portion,
    Recipe,
    RecipeIngredient,
    SearchWord,
    Synonym,
    amount_per_100_g,
    diary_days_with_foods,
    food_values_changed,
)
from nutrients.numbers import plain
from nutrients.report import HEADLINE_MINERALS, Mineral
from nutrients.shipped import shipped_amounts

# --- Inputs in a table are labelled by their row ----------------------------------------
# A column header is no label for a screen reader: each input of an editable list or a
# tabular inline is named by its column and its row ("Kind, 1. Bananas, raw").


def label_row_inputs(form: forms.BaseForm, row: str) -> None:
    for name, field in form.fields.items():
        if not field.widget.is_hidden:
            column = "Delete" if name == DELETION_FIELD_NAME else str(field.label or name)
            field.widget.attrs["aria-label"] = f"{capfirst(column)}, {row}"


class LabelledRowsFormSet(BaseModelFormSet):
    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        label_row_inputs(form, row_name(form.instance, index))


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        label_row_inputs(form, row_name(form.instance, index))


def row_name(instance: Model, index: int | None) -> str:
    if instance.pk:
        return str(instance)
    return f"new {instance._meta.verbose_name}" + ("" if index is None else f" {index + 1}")


class LabelledListEditable:
    """A ModelAdmin with list_editable whose inputs are named by column and row."""

    def get_changelist_formset(self, request: HttpRequest, **kwargs):
        return super().get_changelist_formset(request, formset=LabelledRowsFormSet, **kwargs)


@admin.register(Nutrient)
class NutrientAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ("id", "name", "unit", "display_order")
    list_editable = ("name", "unit", "display_order")
    search_fields = ("name",)  # also serves the nutrient autocomplete of the food page
    ordering = ("display_order", "id")

    def get_readonly_fields(self, request: HttpRequest, obj: Nutrient | None = None):
        # The id is FoodData Central's; changing it would save a copy under a new key.
        return ("id",) if obj else ()


# --- A food's nutrient amounts: one row per nutrient, grouped ----------------------------

ENERGY = 1008  # kcal: shown with the headline minerals
HEADLINE_IDS = (*(mineral.nutrient_id for mineral in HEADLINE_MINERALS), ENERGY)
# FoodData Central's nutrient ids run in blocks: 1087–1103 the minerals, 1104–1190 the
# vitamins and carotenoids, below 1087 the macronutrients and water, 1253–1340
# cholesterol and the fatty acids, 2000 the sugars.
HEADLINE = "Potassium, calcium, magnesium and energy"
MINERALS = "Other minerals"
VITAMINS = "Vitamins"
MACROS = "Macronutrients, water and fats"
OTHER = "Other nutrients"
GROUP_ORDER = (HEADLINE, MINERALS, VITAMINS, MACROS, OTHER)


def nutrient_group(nutrient_id: int) -> str:
    if nutrient_id in HEADLINE_IDS:
        return HEADLINE
    if 1087 <= nutrient_id <= 1103:
        return MINERALS
    if 1104 <= nutrient_id <= 1190:
        return VITAMINS
    if nutrient_id < 1087 or 1253 <= nutrient_id <= 1340 or nutrient_id == 2000:
        return MACROS
    return OTHER


def amount_label(nutrient: Nutrient) -> str:
    """ "Potassium, mg per 100 g": the nutrient's name without its chemical symbol."""
    name = re.sub(r", [A-Z][a-z]?$", "", nutrient.name)
    return f"{name}, {nutrient.unit} per 100 g"


@dataclass(frozen=True)
class AmountRow:
    form: forms.ModelForm
    nutrient: Nutrient
    shipped: Decimal | None  # the shipped table's value, for a staff-edited food

    @property
    def shipped_text(self) -> str:
        return "no data" if self.shipped is None else plain(self.shipped)

    @property
    def differs(self) -> bool:
        return self.shipped != self.form.instance.amount


@dataclass(frozen=True)
class AmountGroup:
    title: str
    rows: list[AmountRow]

    @property
    def known(self) -> int:
        return sum(1 for row in self.rows if row.form.instance.pk)

    @property
    def open(self) -> bool:
        return self.title == HEADLINE or any(row.form.errors for row in self.rows)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z]+", "-", self.title.lower()).strip("-")


class NutrientAmountFormSet(BaseInlineFormSet):
    """Every nutrient, with the food's amount per 100 g or blank: no data, which is not
    zero. Typing a value into a blank row adds it; clearing a value removes the row."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nutrients = {nutrient.pk: nutrient for nutrient in Nutrient.objects.all()}
        have = {amount.nutrient_id for amount in self.get_queryset()}
        missing = [pk for pk in self.nutrients if pk not in have]
        self.extra = len(missing)
        self.initial_extra = [{"nutrient": pk} for pk in missing]
        food = self.instance
        self.shipped = (
            shipped_amounts(food.fdc_id) if food.pk and food.staff_edited and food.fdc_id else None
        )

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.label_suffix = ""
        form.fields["nutrient"].widget = forms.HiddenInput()
        amount = form.fields["amount"]
        # Clearing a saved value deletes its row: only for staff who may delete amounts.
        amount.required = bool(form.instance.pk) and not self.can_delete
        amount.help_text = ""
        if form.instance.amount is not None:
            form.initial["amount"] = plain(form.instance.amount)  # "358", not "358.000"
        nutrient = self.nutrients.get(form.instance.nutrient_id or form.initial.get("nutrient"))
        if nutrient is not None:
            amount.label = amount_label(nutrient)

    def _should_delete_form(self, form: forms.ModelForm) -> bool:
        # A row left blank, or cleared, holds no data: no FoodNutrient row.
        blank = form.cleaned_data.get("amount") is None and "amount" not in form.errors
        return super()._should_delete_form(form) or blank

    @property
    def groups(self) -> list[AmountGroup]:
        rows: dict[str, list[AmountRow]] = {title: [] for title in GROUP_ORDER}
        for form in self.forms:
            nutrient = self.nutrients.get(form.instance.nutrient_id or form.initial.get("nutrient"))
            if nutrient is None:  # a nutrient deleted since the page was drawn
                nutrient = Nutrient(pk=0, name="Unknown nutrient", unit="")
            shipped = None if self.shipped is None else self.shipped.get(nutrient.pk)
            rows[nutrient_group(nutrient.pk)].append(AmountRow(form, nutrient, shipped))
        for group in rows.values():
            group.sort(key=lambda row: (row.nutrient.display_order, row.nutrient.pk))
        rows[HEADLINE].sort(key=lambda row: HEADLINE_IDS.index(row.nutrient.pk))
        return [AmountGroup(title, group) for title, group in rows.items() if group]


class FoodNutrientInline(admin.TabularInline):
    model = FoodNutrient
    formset = NutrientAmountFormSet
    fields = ("nutrient", "amount")
    template = "admin/nutrients/food/nutrient_amounts.html"
    verbose_name = "nutrient amount"
    verbose_name_plural = "nutrient amounts per 100 g"

    def get_queryset(self, request: HttpRequest) -> QuerySet[FoodNutrient]:
        return super().get_queryset(request).select_related("nutrient")


class PortionFormSet(LabelledInlineFormSet):
    def save_new(self, form, commit: bool = True) -> Portion:
        # A new portion goes after the food's existing ones; staff need not pick a number.
        last_seq = self.instance.portions.aggregate(last=Max("seq"))["last"] or 0
        form.instance.seq = last_seq + 1
        return super().save_new(form, commit=commit)


class PortionInline(admin.TabularInline):
    model = Portion
    formset = PortionFormSet
    fields = ("description", "grams")
    extra = 1
    verbose_name_plural = "portions (household measures and what they weigh)"


def per_100_g_annotation(mineral: Mineral) -> str:
    return f"{mineral.mg_field}_per_100_g"


def mineral_column(mineral: Mineral) -> Callable[[Food], str | None]:
    """A list column with the food's amount of the mineral per 100 g: "358", "0.5"; empty
    (the admin's "-") for no data."""

    @admin.display(description=f"{mineral.symbol} mg/100 g", ordering=per_100_g_annotation(mineral))
    def column(food: Food) -> str | None:
        amount = getattr(food, per_100_g_annotation(mineral))
        return None if amount is None else plain(amount)

    column.__name__ = mineral.mg_field  # names the column's cells: class="field-potassium_mg"
    return column


# --- Filters a curator works from --------------------------------------------------------


class MissingMineralFilter(admin.SimpleListFilter):
    """Foods with no value for a headline mineral (no data, which is not zero)."""

    title = "missing a mineral"
    parameter_name = "missing"
    food_path = "pk"  # how the listed model reaches its food

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            (str(mineral.nutrient_id), f"No {mineral.name.lower()} ({mineral.symbol}) value")
            for mineral in HEADLINE_MINERALS
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        nutrient_ids = {str(mineral.nutrient_id) for mineral in HEADLINE_MINERALS}
        if self.value() not in nutrient_ids:
            return queryset
        known = FoodNutrient.objects.filter(
            food=OuterRef(self.food_path), nutrient_id=int(self.value())
        )
        return queryset.filter(~Exists(known))


class HouseholdPortionFilter(admin.SimpleListFilter):
    title = "household portion"
    parameter_name = "portion"
    food_path = "pk"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("none", "No household portion"), ("some", "At least one")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("none", "some"):
            return queryset
        has_portion = Exists(Portion.objects.filter(food=OuterRef(self.food_path)))
        return queryset.filter(has_portion if self.value() == "some" else ~has_portion)


class EverydayFilter(admin.SimpleListFilter):
    title = "everyday"
    parameter_name = "everyday"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "On the everyday list"), ("no", "Not on it")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Food]) -> QuerySet[Food]:
        if self.value() not in ("yes", "no"):
            return queryset
        return queryset.filter(everyday__isnull=self.value() == "no")


class NamedBlankValuesFilter(admin.AllValuesFieldListFilter):
    """The field's values, with the blank one named (Django's link for "" has no text)."""

    def choices(self, changelist) -> Iterator[dict]:
        for choice in super().choices(changelist):
            if not str(choice["display"]).strip():
                choice = {**choice, "display": "None given"}
            yield choice


@admin.register(Food)
class FoodAdmin(admin.ModelAdmin):
    list_display = (
        "description",
        "fdc_id",
        "category",
        "source",
        *(mineral_column(mineral) for mineral in HEADLINE_MINERALS),
    )
    list_filter = (
        MissingMineralFilter,
        HouseholdPortionFilter,
        EverydayFilter,
        "staff_edited",
        "calcium_poorly_absorbed",
        "source",
        ("data_type", NamedBlankValuesFilter),
        ("category", NamedBlankValuesFilter),
    )
    # fdc_id__exact compares the id as text, so a word in the search box is no error.
    search_fields = ("description", "brand_owner", "=gtin", "fdc_id__exact")
    fieldsets = (
        (
            None,
            {"fields": ("description", "category", "staff_edited", "calcium_poorly_absorbed")},
        ),
        (
            "Where it comes from",
            {
                "fields": (
                    "source",
                    "owner",
                    "fdc_id",
                    "data_type",
                    "brand_owner",
                    "gtin",
                    "times_logged",
                ),
                "classes": ("collapse",),
            },
        ),
    )
    raw_id_fields = ("owner",)
    inlines = (FoodNutrientInline, PortionInline)
    # The table can hold hundreds of thousands of foods: skip the unfiltered count.
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Food]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                **{
                    per_100_g_annotation(mineral): amount_per_100_g(
                        OuterRef("pk"), mineral.nutrient_id
                    )
                    for mineral in HEADLINE_MINERALS
                }
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Food | None = None):
        # The importer finds a food again by its fdc_id: set it once, when adding.
        return ("fdc_id", "times_logged") if obj else ("times_logged",)

    def save_model(self, request: HttpRequest, obj: Food, form, change: bool) -> None:
        # A food staff saved is theirs: loading a newer shipped table leaves it alone.
        # Unticking "staff edited" on the form hands it back to the loader.
        if "staff_edited" not in form.changed_data:
            obj.staff_edited = True
        super().save_model(request, obj, form, change)
        SearchWord.objects.add_words_of(obj)

    # Every staff change to a food, its amounts or its portions, in the admin's transaction:
    # the diaries' per-day totals follow it, and staff are told how many days moved.
    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        moved = food_values_changed([form.instance.pk])
        if change and moved.days:
            self.message_user(request, f"Re-added the totals of {moved}.")
        elif change:
            self.message_user(request, "No diary holds this food: no day's totals to re-add.")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        # What a save will re-add, counted as the save counts it (one query).
        food_ids = [int(object_id)] if object_id.isdigit() else []
        extra_context = {**(extra_context or {}), "diary_days": diary_days_with_foods(food_ids)}
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_model(self, request: HttpRequest, obj: Food) -> None:
        food_id = obj.pk
        super().delete_model(request, obj)
        food_values_changed([food_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Food]) -> None:
        food_ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        food_values_changed(food_ids)

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Django would list every diary entry that holds the food: for a common food
            # a long list of other people's meals. Say which foods are in use instead.
            protected = self.foods_in_diaries(objs) or protected
        return deleted, model_count, perms_needed, protected

    def foods_in_diaries(self, objs) -> list[str]:
        in_use = (
            Food.objects.filter(pk__in=[food.pk for food in objs])
            .annotate(entry_count=Count("entries"))
            .filter(entry_count__gt=0)
            .order_by("description")
        )
        return [
            f"“{food}” is in {food.entry_count} diary "
            f"{'entry' if food.entry_count == 1 else 'entries'}. A food that a diary uses "
            "cannot be deleted: the entry would lose its nutrients."
            for food in in_use
        ]


class EverydayMissingMineralFilter(MissingMineralFilter):
    food_path = "food"


class EverydayPortionFilter(HouseholdPortionFilter):
    food_path = "food"


@admin.register(EverydayFood)
class EverydayFoodAdmin(LabelledListEditable, admin.ModelAdmin):
    """The curated list: shipped as data (nutrients/data/everyday_foods.csv) and loaded
    by `manage.py load_foods`, which adds the rows that are missing and keeps
    Food.everyday_rank in step. What the report suggests, and at what serving, staff may
    change here; a reload keeps it."""

    list_display = ("rank", "food", "kind", "serving", "serving_grams", "suggest", "contains")
    list_editable = ("kind", "serving", "serving_grams", "suggest", "contains")
    list_filter = (EverydayMissingMineralFilter, EverydayPortionFilter, "suggest", "kind")
    search_fields = ("food__description", "terms", "kind")
    readonly_fields = ("food", "rank", "terms")
    ordering = ("rank",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EverydayFood | None = None) -> bool:
        return False


@admin.register(Synonym)
class SynonymAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ("term", "means")
    list_editable = ("means",)
    search_fields = ("term", "means")


@admin.register(FoodDataVersion)
class FoodDataVersionAdmin(admin.ModelAdmin):
    list_display = ("name", "checksum", "loaded_at")
    readonly_fields = ("name", "checksum", "loaded_at", "summary")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions are recorded by `manage.py load_foods`


class RecipeIngredientInline(admin.TabularInline):
    model = RecipeIngredient
    formset = LabelledInlineFormSet
    fk_name = "recipe"
    fields = ("food", "grams", "amount_as_entered")
    readonly_fields = ("amount_as_entered",)
    # A food's id (with the look-up link) rather than select2's widget, which has no
    # accessible name on a blank row.
    raw_id_fields = ("food",)
    extra = 1
    verbose_name_plural = "ingredients (in grams; their values per 100 g make the dish's)"


@admin.register(Recipe)
class DishAdmin(admin.ModelAdmin):
    """The everyday dishes the project ships (nutrients/data/everyday_dishes.csv, loaded by
    `manage.py load_foods`), with their ingredients in plain view. A saved change works
    out the dish's values per 100 g again and re-adds every diary day that logged it.
    Users' own recipes are theirs alone and are not listed here."""

    list_display = ("name", "servings", "cooked_grams", "key")
    search_fields = ("food__description",)
    fields = ("food", "key", "servings", "cooked_grams")
    readonly_fields = ("food", "key")
    inlines = (RecipeIngredientInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Recipe]:
        return (
            super()
            .get_queryset(request)
            .filter(food__source=Food.Source.DISH)
            .select_related("food")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # dishes come with the data; staff change them here

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        ingredients = formset.save(commit=False)
        for ingredient in ingredients:
            # Staff give grams: the amount as entered is the grams.
            ingredient.quantity, ingredient.unit, ingredient.portion = ingredient.grams, "g", None
            ingredient.save()
        for gone in formset.deleted_objects:
            gone.delete()

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.recompute()
        food_values_changed([form.instance.food_id])
