"""The day totals store energy's companions too (protein, carbohydrate, fat, fibre), so
that a write's answer draws the day page's totals from what it stored. This adds their
sums to the days already stored, in one statement per nutrient list."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum, Value

# The macros nutrients.report.MACROS adds to the stored nutrients (energy, 1008, was one).
NEW_NUTRIENT_IDS = [1003, 1005, 1004, 1079]


def add_macro_totals(apps, schema_editor):
    Entry = apps.get_model("tracker", "Entry")
    DayNutrientTotal = apps.get_model("tracker", "DayNutrientTotal")
    amount = "food__nutrient_amounts"
    sums = (
        Entry.objects.order_by()
        .filter(**{f"{amount}__nutrient_id__in": NEW_NUTRIENT_IDS})
        .values("meal__user_id", "meal__day", nutrient_id=F(f"{amount}__nutrient_id"))
        .annotate(
            total=Sum(
                ExpressionWrapper(
                    F(f"{amount}__amount") * F("grams") * Value(Decimal("0.01")),
                    output_field=DecimalField(max_digits=20, decimal_places=5),
                )
            ),
            known_entries=Count("id"),
        )
    )
    DayNutrientTotal.objects.filter(nutrient_id__in=NEW_NUTRIENT_IDS).delete()
    DayNutrientTotal.objects.bulk_create(
        (
            DayNutrientTotal(
                user_id=row["meal__user_id"],
                day=row["meal__day"],
                nutrient_id=row["nutrient_id"],
                amount=row["total"],
                known_entries=row["known_entries"],
            )
            for row in sums.iterator(chunk_size=2000)
        ),
        batch_size=1000,
    )


def remove_macro_totals(apps, schema_editor):
    DayNutrientTotal = apps.get_model("tracker", "DayNutrientTotal")
    DayNutrientTotal.objects.filter(nutrient_id__in=NEW_NUTRIENT_IDS).delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0016_profile_version")]

    operations = [migrations.RunPython(add_macro_totals, remove_macro_totals)]
