"""Staff keep the shared food table and the nutrient list here."""

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Count, Max, OuterRef, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from nutrients.models import (
    EverydayFood,
    Food,
    FoodDataVersion,
    FoodNutrient,
    Nutrient,
    Portion,
    SearchWord,
    Synonym,
    amount_per_100_g,
    food_values_changed,
)
from nutrients.numbers import plain
from nutrients.report import HEADLINE_MINERALS, Mineral


@admin.register(Nutrient)
class NutrientAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "unit", "display_order")
    list_editable = ("name", "unit", "display_order")
    search_fields = ("name",)  # also serves the nutrient autocomplete of the food page
    ordering = ("display_order", "id")

    def get_readonly_fields(self, request: HttpRequest, obj: Nutrient | None = None):
        # The id is FoodData Central's; changing it would save a copy under a new key.
        return ("id",) if obj else ()


class FoodNutrientInline(admin.TabularInline):
    model = FoodNutrient
    fields = ("nutrient", "amount", "unit")
    readonly_fields = ("unit",)
    autocomplete_fields = ("nutrient",)
    extra = 1
    verbose_name = "nutrient amount"
    verbose_name_plural = "nutrient amounts per 100 g (no row: no data, which is not zero)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[FoodNutrient]:
        return super().get_queryset(request).select_related("nutrient")

    @admin.display(description="unit")
    def unit(self, amount: FoodNutrient) -> str:
        return amount.nutrient.unit if amount.nutrient_id else ""


class PortionFormSet(BaseInlineFormSet):
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


@admin.register(Food)
class FoodAdmin(admin.ModelAdmin):
    list_display = (
        "description",
        "fdc_id",
        "category",
        "source",
        *(mineral_column(mineral) for mineral in HEADLINE_MINERALS),
    )
    list_filter = ("source", "staff_edited", "data_type", "category")
    # fdc_id__exact compares the id as text, so a word in the search box is no error.
    search_fields = ("description", "brand_owner", "=gtin", "fdc_id__exact")
    fields = (
        "description",
        "category",
        "source",
        "owner",
        "fdc_id",
        "data_type",
        "brand_owner",
        "gtin",
        "staff_edited",
        "calcium_poorly_absorbed",
        "times_logged",
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
    # the diaries' per-day totals follow it.
    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        food_values_changed([form.instance.pk])

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


@admin.register(EverydayFood)
class EverydayFoodAdmin(admin.ModelAdmin):
    """The curated list: shipped as data (nutrients/data/everyday_foods.csv) and loaded
    by `manage.py load_foods`, which adds the rows that are missing and keeps
    Food.everyday_rank in step. What the report suggests, and at what serving, staff may
    change here; a reload keeps it."""

    list_display = ("rank", "food", "kind", "serving", "serving_grams", "suggest", "contains")
    list_editable = ("kind", "serving", "serving_grams", "suggest", "contains")
    list_filter = ("suggest", "kind")
    search_fields = ("food__description", "terms", "kind")
    readonly_fields = ("food", "rank", "terms")
    ordering = ("rank",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EverydayFood | None = None) -> bool:
        return False


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "means")
    list_editable = ("means",)
    search_fields = ("term", "means")


@admin.register(FoodDataVersion)
class FoodDataVersionAdmin(admin.ModelAdmin):
    list_display = ("name", "checksum", "loaded_at")
    readonly_fields = ("name", "checksum", "loaded_at", "summary")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions are recorded by `manage.py load_foods`
