"""manage.py load_foods: the shipped food data, loaded once per version, staff edits kept.

These tests ship a small version of the data (the 39 seed foods in the same layout) so
that each can load it in a moment; tests/test_search_quality.py loads the real table.
"""

import csv
import io
import time
import zipfile
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from nutrients.models import (
    EverydayFood,
    Food,
    FoodDataVersion,
    FoodNutrient,
    SearchWord,
    Synonym,
)
from nutrients.shipped import FOOD_TABLE, ShippedFiles, load_shipped_foods, summary

pytestmark = pytest.mark.django_db

SEED_DIR = Path(__file__).resolve().parent.parent / "nutrients" / "seed"
BANANA, KALE, ALMONDS = 173944, 168421, 170567
POTASSIUM = 1092


def write_version(
    folder: Path, *, kale: str = "Kale, raw", banana_potassium: str | None = None
) -> ShippedFiles:
    """The seed foods as a shipped version; kale's name and banana's potassium may differ."""
    folder.mkdir(exist_ok=True)
    table = folder / "foods.zip"
    with zipfile.ZipFile(table, "w") as archive:
        for path in sorted(SEED_DIR.glob("*.csv")):
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            for row in rows:
                if path.name == "food.csv" and row[0] == str(KALE):
                    row[2] = kale
                if (
                    path.name == "food_nutrient.csv"
                    and banana_potassium
                    and row[1:3] == [str(BANANA), str(POTASSIUM)]
                ):
                    row[3] = banana_potassium
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            archive.writestr(path.name, text.getvalue())
    everyday = folder / "everyday.csv"
    everyday.write_text(
        "fdc_id,terms,serving,description,kind,serving_grams,suggest\n"
        f'{BANANA},banana,1 medium,"Bananas, raw",banana,118,yes\n'
        f'{ALMONDS},almonds;almond,1 oz,"Nuts, almonds",nuts,28.35,yes\n',
        encoding="utf-8",
    )
    synonyms = folder / "synonyms.csv"
    synonyms.write_text("term,means\nbananna,bananas\ngreens,kale\n", encoding="utf-8")
    return ShippedFiles(food_table=table, everyday_foods=everyday, synonyms=synonyms)


@pytest.fixture
def version(tmp_path) -> ShippedFiles:
    return write_version(tmp_path)


def test_the_first_load_brings_foods_everyday_list_synonyms_and_words(version):
    load = load_shipped_foods(files=version)

    assert load.loaded
    assert (load.foods_in_file, load.added, load.changed, load.unchanged) == (39, 39, 0, 0)
    assert Food.objects.count() == 39
    assert list(EverydayFood.objects.values_list("food__fdc_id", "rank", "serving")) == [
        (BANANA, 1, "1 medium"),
        (ALMONDS, 2, "1 oz"),
    ]
    assert set(Synonym.objects.values_list("term", "means")) == {
        ("bananna", "bananas"),
        ("greens", "kale"),
    }
    assert SearchWord.objects.filter(word="bananas").exists()
    # The foods the documents name stay the dashboard's seed foods.
    assert Food.objects.filter(source=Food.Source.SEED).count() == 39
    assert FoodDataVersion.objects.get().checksum == version.checksum()
    assert "39 foods in the file; 39 added, 0 changed, 0 unchanged" in summary(load)


def test_a_second_run_of_the_same_version_does_nothing_in_under_a_second(
    version, django_assert_max_num_queries
):
    load_shipped_foods(files=version)
    FoodNutrient.objects.filter(food__fdc_id=BANANA, nutrient_id=POTASSIUM).update(amount=1)

    started = time.perf_counter()
    with django_assert_max_num_queries(1):
        load = load_shipped_foods(files=version)

    assert time.perf_counter() - started < 1
    assert not load.loaded
    assert "loaded already: nothing to do" in summary(load)
    # Not even a value changed since is put back: the version is loaded, the run stops.
    assert FoodNutrient.objects.get(food__fdc_id=BANANA, nutrient_id=POTASSIUM).amount == 1


def test_a_newer_version_says_what_it_changed_and_keeps_staff_edits(tmp_path, version):
    load_shipped_foods(files=version)
    kale = Food.objects.get(fdc_id=KALE)
    kale.description = "Kale, curly, raw (checked by staff)"
    kale.staff_edited = True
    kale.save()
    staff_amount = kale.nutrient_amounts.get(nutrient_id=POTASSIUM)
    staff_amount.amount = Decimal("500")
    staff_amount.save()
    newer = write_version(tmp_path / "newer", kale="Kale, raw, new name", banana_potassium="360")
    lines: list[str] = []

    load = load_shipped_foods(lines.append, files=newer)

    assert load.loaded
    assert (load.added, load.changed, load.unchanged) == (0, 1, 37)
    assert load.kept == [f"Kale, curly, raw (checked by staff) (FDC {KALE})"]
    text = summary(load)
    assert "0 added, 1 changed, 37 unchanged" in text
    assert "1 foods edited by staff were kept as they are: Kale, curly, raw" in text
    assert any("food.csv" in line for line in lines)  # progress as it went
    kale.refresh_from_db()
    assert kale.description == "Kale, curly, raw (checked by staff)"
    assert kale.nutrient_amounts.get(nutrient_id=POTASSIUM).amount == Decimal("500")
    banana = FoodNutrient.objects.get(food__fdc_id=BANANA, nutrient_id=POTASSIUM)
    assert banana.amount == Decimal("360")
    assert FoodDataVersion.objects.count() == 2


def test_a_synonym_staff_changed_keeps_its_meaning_in_a_newer_version(tmp_path, version):
    load_shipped_foods(files=version)
    Synonym.objects.filter(term="greens").update(means="spinach")

    load = load_shipped_foods(files=write_version(tmp_path / "newer", kale="Kale"))

    assert (load.synonyms_added, load.synonyms_kept) == (0, 2)
    assert Synonym.objects.get(term="greens").means == "spinach"


def test_a_bad_everyday_list_loads_nothing(tmp_path, version):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "fdc_id,terms,serving,description,kind,serving_grams,suggest\n"
        '1,nothing,1 cup,"No such food",none,100,yes\n'
    )

    with pytest.raises(ValueError, match="no food with FDC id 1"):
        load_shipped_foods(files=ShippedFiles(version.food_table, bad, version.synonyms))

    assert Food.objects.count() == 0
    assert not FoodDataVersion.objects.exists()


def test_the_command_prints_progress_and_then_that_it_skips(version, monkeypatch):
    monkeypatch.setattr(
        "nutrients.management.commands.load_foods.load_shipped_foods",
        partial(load_shipped_foods, files=version),
    )
    first, second = io.StringIO(), io.StringIO()

    call_command("load_foods", stdout=first)
    call_command("load_foods", stdout=second)

    assert "food_nutrient.csv: " in first.getvalue()
    assert "39 foods in the file; 39 added" in first.getvalue()
    assert "loaded already: nothing to do" in second.getvalue()


def test_the_shipped_table_is_one_zip_of_the_fdc_files():
    with zipfile.ZipFile(FOOD_TABLE) as archive:
        names = sorted(archive.namelist())
        foods = archive.read("food.csv").decode().count("\n") - 1

    assert names == [
        "food.csv",
        "food_category.csv",
        "food_nutrient.csv",
        "food_portion.csv",
        "measure_unit.csv",
        "nutrient.csv",
    ]
    assert foods == 7_697
    assert FOOD_TABLE.stat().st_size < 3_000_000


def test_saving_a_food_in_the_admin_marks_it_staff_edited(admin_client, version):
    load_shipped_foods(files=version)
    kale = Food.objects.get(fdc_id=KALE)
    form = {
        "description": "Kale, raw, Lacinato",
        "category": kale.category,
        "source": kale.source,
        "data_type": kale.data_type,
        "nutrient_amounts-TOTAL_FORMS": "0",
        "nutrient_amounts-INITIAL_FORMS": "0",
        "portions-TOTAL_FORMS": "0",
        "portions-INITIAL_FORMS": "0",
    }

    response = admin_client.post(reverse("admin:nutrients_food_change", args=[kale.pk]), form)

    assert response.status_code == 302
    kale.refresh_from_db()
    assert kale.staff_edited
    assert SearchWord.objects.filter(word="lacinato").exists()  # typos find it too


def test_oxalate_greens_are_marked_poorly_absorbed_calcium_and_staff_can_unmark_them(
    tmp_path, version
):
    load_shipped_foods(files=version)

    marked = set(
        Food.objects.filter(calcium_poorly_absorbed=True).values_list("description", flat=True)
    )
    # The seed table's two spinach foods; kale's calcium is well absorbed.
    assert marked == {"Spinach, raw", "Spinach, cooked, boiled, drained, without salt"}
    spinach = Food.objects.get(description="Spinach, raw")
    spinach.calcium_poorly_absorbed = False
    spinach.staff_edited = True
    spinach.save()

    load_shipped_foods(files=write_version(tmp_path / "newer", kale="Kale, raw, new name"))

    spinach.refresh_from_db()
    assert not spinach.calcium_poorly_absorbed
