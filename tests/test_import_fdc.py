"""manage.py import_fdc: FoodData Central CSV folders and zips into foods, amounts, portions."""

import copy
import csv
import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nutrients.fdc import import_fdc
from nutrients.models import Food, FoodNutrient, Nutrient, Portion, search_text
from tests.conftest import BRANDED_SAMPLE, PROJECT_ROOT, SR_LEGACY

BANANAS = 173944
ALMONDS = 170567
POTASSIUM, CALCIUM, MAGNESIUM = 1092, 1087, 1090

NUTRIENT_HEADER = ["id", "name", "unit_name", "nutrient_nbr", "rank"]
FOOD_HEADER = ["fdc_id", "data_type", "description", "food_category_id", "publication_date"]
AMOUNT_HEADER = [
    "id",
    "fdc_id",
    "nutrient_id",
    "amount",
    "data_points",
    "derivation_id",
    "min",
    "max",
    "median",
    "footnote",
    "min_year_acquired",
]
PORTION_HEADER = [
    "id",
    "fdc_id",
    "seq_num",
    "amount",
    "measure_unit_id",
    "portion_description",
    "modifier",
    "gram_weight",
    "data_points",
    "footnote",
    "min_year_acquired",
]


def amount_row(row_id: int, fdc_id: int, nutrient_id: int, amount: str) -> list[str]:
    return [str(row_id), str(fdc_id), str(nutrient_id), amount, "", "", "", "", "", "", ""]


def portion_row(
    row_id: int,
    fdc_id: int,
    seq_num: str,
    amount: str,
    unit_id: str,
    description: str,
    modifier: str,
    gram_weight: str,
) -> list[str]:
    filled = [str(row_id), str(fdc_id), seq_num, amount, unit_id, description, modifier]
    return [*filled, gram_weight, "", "", ""]


# Two foods cut from the SR Legacy folder, with their real ids and values. A file is
# (header, rows); the header is line 1 and rows[i] is line i + 2.
SMALL_CUT: dict[str, tuple[list[str], list[list[str]]]] = {
    "nutrient.csv": (
        NUTRIENT_HEADER,
        [
            ["1008", "Energy", "KCAL", "208", "300"],
            ["1087", "Calcium, Ca", "MG", "301", "5300"],
            ["1090", "Magnesium, Mg", "MG", "304", "5500"],
            ["1092", "Potassium, K", "MG", "306", "5700"],
            ["1104", "Vitamin A, IU", "IU", "318", "7500"],
            ["1114", "Vitamin D (D2 + D3)", "UG", "328", "8700"],
        ],
    ),
    "food_category.csv": (
        ["id", "code", "description"],
        [["9", "0900", "Fruits and Fruit Juices"], ["12", "1200", "Nut and Seed Products"]],
    ),
    "measure_unit.csv": (["id", "name"], [["9999", "undetermined"]]),
    "food.csv": (
        FOOD_HEADER,
        [
            [str(BANANAS), "sr_legacy_food", "Bananas, raw", "9", "2019-04-01"],
            [str(ALMONDS), "sr_legacy_food", "Nuts, almonds", "12", "2019-04-01"],
        ],
    ),
    "food_nutrient.csv": (
        AMOUNT_HEADER,
        [
            amount_row(256094, BANANAS, 1008, "89"),
            amount_row(256101, BANANAS, CALCIUM, "5"),
            amount_row(256103, BANANAS, MAGNESIUM, "27"),
            amount_row(256105, BANANAS, POTASSIUM, "358"),
            amount_row(256123, BANANAS, 1104, "64"),
            amount_row(256132, BANANAS, 1114, "0"),
            amount_row(122396, ALMONDS, 1008, "579"),
            amount_row(122403, ALMONDS, CALCIUM, "269"),
            amount_row(122405, ALMONDS, MAGNESIUM, "270"),
            amount_row(122407, ALMONDS, POTASSIUM, "733"),
        ],
    ),
    "food_portion.csv": (
        PORTION_HEADER,
        [
            portion_row(11712, BANANAS, "1", "1", "9999", "", "cup, mashed", "225"),
            portion_row(11713, BANANAS, "2", "1", "9999", "", "cup, sliced", "150"),
            portion_row(
                11714, BANANAS, "3", "1", "9999", "", 'extra small (less than 6" long)', "81"
            ),
            portion_row(11715, BANANAS, "4", "1", "9999", "", 'small (6" to 6-7/8" long)', "101"),
            portion_row(11716, BANANAS, "5", "1", "9999", "", 'medium (7" to 7-7/8" long)', "118"),
            portion_row(11717, BANANAS, "6", "1", "9999", "", 'large (8" to 8-7/8" long)', "136"),
            portion_row(11718, BANANAS, "7", "1", "9999", "", 'extra large (9" or longer)', "152"),
            portion_row(11719, BANANAS, "8", "1", "9999", "", "NLEA serving", "126"),
            portion_row(5259, ALMONDS, "1", "1", "9999", "", "cup, whole", "143"),
            portion_row(5263, ALMONDS, "5", "1", "9999", "", "oz (23 whole kernels)", "28.35"),
        ],
    ),
}


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], *, bom: bool = False, crlf: bool = False
) -> None:
    """Write a CSV the way FoodData Central does: every field quoted."""
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(("\ufeff" if bom else "") + text.getvalue(), encoding="utf-8", newline="")


def write_folder(folder: Path, files: dict, **options: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in files.items():
        write_csv(folder / name, header, rows, **options)
    return folder


@pytest.fixture
def cut() -> dict:
    """A fresh copy of SMALL_CUT that a test may change before writing it."""
    return copy.deepcopy(SMALL_CUT)


@pytest.fixture
def small_cut(tmp_path, cut) -> Path:
    return write_folder(tmp_path / "cut", cut)


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_fdc", str(path), *args, stdout=out)
    return out.getvalue()


def amount(fdc_id: int, nutrient_id: int) -> Decimal:
    return FoodNutrient.objects.get(food__fdc_id=fdc_id, nutrient_id=nutrient_id).amount


def table_counts() -> tuple[int, int, int, int]:
    return (
        Nutrient.objects.count(),
        Food.objects.count(),
        FoodNutrient.objects.count(),
        Portion.objects.count(),
    )


# --- A small cut ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_small_cut_imports_its_nutrients_foods_amounts_and_portions(small_cut):
    run_import(small_cut)

    assert table_counts() == (6, 2, 10, 10)


@pytest.mark.django_db
def test_banana_amounts_are_the_files_values_per_100_g(small_cut):
    run_import(small_cut)

    assert amount(BANANAS, POTASSIUM) == Decimal("358")
    assert amount(BANANAS, CALCIUM) == Decimal("5")
    assert amount(BANANAS, MAGNESIUM) == Decimal("27")


@pytest.mark.django_db
def test_medium_banana_portion_weighs_118_g(small_cut):
    run_import(small_cut)

    portion = Portion.objects.get(food__fdc_id=BANANAS, seq=5)
    assert portion.description == '1 medium (7" to 7-7/8" long)'
    assert portion.grams == Decimal("118")


@pytest.mark.django_db
def test_portions_keep_the_files_order_and_fractional_grams(small_cut):
    run_import(small_cut)

    almonds = Food.objects.get(fdc_id=ALMONDS)
    assert [(p.seq, p.description, p.grams) for p in almonds.portions.all()] == [
        (1, "1 cup, whole", Decimal("143")),
        (5, "1 oz (23 whole kernels)", Decimal("28.35")),
    ]


@pytest.mark.django_db
def test_food_category_is_the_food_category_description(small_cut):
    run_import(small_cut)

    assert Food.objects.get(fdc_id=BANANAS).category == "Fruits and Fruit Juices"
    assert Food.objects.get(fdc_id=ALMONDS).category == "Nut and Seed Products"


@pytest.mark.django_db
def test_food_with_empty_category_id_has_a_blank_category(tmp_path, cut):
    cut["food.csv"][1][0][3] = ""

    run_import(write_folder(tmp_path, cut))

    assert Food.objects.get(fdc_id=BANANAS).category == ""


@pytest.mark.django_db
def test_imported_food_has_source_fdc_data_type_and_search_text(small_cut):
    run_import(small_cut)

    bananas = Food.objects.get(fdc_id=BANANAS)
    assert bananas.source == Food.Source.FDC
    assert bananas.data_type == "sr_legacy_food"
    assert bananas.search_text == search_text("Bananas, raw") == " bananas raw"


@pytest.mark.django_db
def test_nutrient_units_are_shown_as_people_write_them(small_cut):
    run_import(small_cut)

    units = dict(Nutrient.objects.values_list("id", "unit"))
    assert units == {1008: "kcal", 1087: "mg", 1090: "mg", 1092: "mg", 1104: "IU", 1114: "µg"}


@pytest.mark.django_db
def test_nutrient_name_and_display_order_come_from_nutrient_csv(small_cut):
    run_import(small_cut)

    potassium = Nutrient.objects.get(id=POTASSIUM)
    assert (potassium.name, potassium.display_order) == ("Potassium, K", 5700)


@pytest.mark.django_db
def test_unknown_files_and_columns_are_ignored(tmp_path, cut):
    header, rows = cut["food.csv"]
    cut["food.csv"] = ([*header, "extra_column"], [[*row, "whatever"] for row in rows])
    cut["sr_legacy_food.csv"] = (["fdc_id", "NDB_number"], [[str(BANANAS), "09040"]])
    cut["acquisition_samples.csv"] = (["fdc_id_of_sample_food"], [["1"]])

    run_import(write_folder(tmp_path, cut))

    assert table_counts() == (6, 2, 10, 10)


@pytest.mark.django_db
def test_a_nutrient_not_seen_before_is_created_with_its_amounts(tmp_path, cut):
    cut["nutrient.csv"][1].append(["1057", "Caffeine", "MG", "262", "18300"])
    cut["food_nutrient.csv"][1].append(amount_row(999001, BANANAS, 1057, "0"))

    run_import(write_folder(tmp_path, cut))

    caffeine = Nutrient.objects.get(id=1057)
    assert (caffeine.name, caffeine.unit) == ("Caffeine", "mg")
    assert amount(BANANAS, 1057) == 0


@pytest.mark.django_db
def test_nutrient_without_rank_is_listed_after_the_ranked_ones(tmp_path, cut):
    cut["nutrient.csv"][1].append(["2047", "Energy (Atwater General Factors)", "KCAL", "957", ""])

    run_import(write_folder(tmp_path, cut))

    assert list(Nutrient.objects.values_list("id", flat=True))[-1] == 2047


@pytest.mark.django_db
def test_empty_amount_cell_is_missing_data_and_writes_no_row(tmp_path, cut):
    cut["food_nutrient.csv"][1][1][3] = ""  # bananas, calcium

    run_import(write_folder(tmp_path, cut))

    assert not FoodNutrient.objects.filter(food__fdc_id=BANANAS, nutrient_id=CALCIUM).exists()
    assert FoodNutrient.objects.count() == 9


@pytest.mark.django_db
def test_files_with_a_byte_order_mark_and_crlf_line_ends_are_read(tmp_path, cut):
    folder = write_folder(tmp_path, cut, bom=True, crlf=True)

    run_import(folder)

    assert table_counts() == (6, 2, 10, 10)
    assert amount(BANANAS, POTASSIUM) == Decimal("358")


@pytest.mark.django_db
def test_zip_with_the_files_in_a_subfolder_is_read(tmp_path, cut):
    folder = write_folder(tmp_path / "csv", cut)
    archive = tmp_path / "FoodData_Central_sr_legacy_food_csv_2018-04.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        for path in folder.iterdir():
            zip_file.write(path, f"FoodData_Central_sr_legacy_food_csv_2018-04/{path.name}")

    run_import(archive)

    assert table_counts() == (6, 2, 10, 10)
    assert amount(ALMONDS, MAGNESIUM) == Decimal("270")


@pytest.mark.django_db
def test_optional_files_may_be_missing(tmp_path, cut):
    for name in ("food_portion.csv", "food_category.csv", "measure_unit.csv"):
        del cut[name]

    run_import(write_folder(tmp_path, cut))

    assert table_counts() == (6, 2, 10, 0)
    assert Food.objects.get(fdc_id=BANANAS).category == ""


@pytest.mark.django_db
def test_portion_name_is_its_description_or_amount_unit_and_modifier(tmp_path, cut):
    cut["measure_unit.csv"][1].append(["1000", "cup"])
    cut["food.csv"][1].append(["2345725", "foundation_food", "Kale, raw", "11", "2023-04-20"])
    cut["food_portion.csv"][1].extend(
        [
            portion_row(1, 2345725, "1", "1", "9999", "1 cup, chopped", "", "21"),
            portion_row(2, 2345725, "2", "0.500", "1000", "", "chopped", "10.5"),
            portion_row(3, 2345725, "3", "1.0", "9999", "", "leaf", "8"),
            portion_row(4, 2345725, "4", "100", "1000", "", "", "420"),
        ]
    )

    run_import(write_folder(tmp_path, cut))

    kale = Food.objects.get(fdc_id=2345725)
    assert list(kale.portions.values_list("description", flat=True)) == [
        "1 cup, chopped",
        "0.5 cup chopped",
        "1 leaf",
        "100 cup",
    ]


@pytest.mark.django_db
def test_portions_with_empty_or_repeated_seq_num_are_numbered_in_file_order(tmp_path, cut):
    cut["food_portion.csv"] = (
        PORTION_HEADER,
        [
            portion_row(1, ALMONDS, "", "1", "9999", "", "cup, whole", "143"),
            portion_row(2, ALMONDS, "", "1", "9999", "", "cup, sliced", "92"),
            portion_row(3, BANANAS, "1", "1", "9999", "", "cup, mashed", "225"),
            portion_row(4, BANANAS, "1", "1", "9999", "", "cup, sliced", "150"),
        ],
    )

    run_import(write_folder(tmp_path, cut))

    almonds = Food.objects.get(fdc_id=ALMONDS).portions.values_list("seq", "description")
    bananas = Food.objects.get(fdc_id=BANANAS).portions.values_list("seq", "description")
    assert list(almonds) == [(1, "1 cup, whole"), (2, "1 cup, sliced")]
    assert list(bananas) == [(1, "1 cup, mashed"), (2, "1 cup, sliced")]


# --- Options --------------------------------------------------------------------------------


@pytest.fixture
def mixed_types(tmp_path, cut) -> Path:
    """The small cut plus one Foundation food with an amount and a portion."""
    cut["food.csv"][1].append(["2345725", "foundation_food", "Kale, raw", "11", "2023-04-20"])
    cut["food_nutrient.csv"][1].append(amount_row(1, 2345725, POTASSIUM, "348"))
    cut["food_portion.csv"][1].append(portion_row(1, 2345725, "1", "1", "9999", "", "cup", "21"))
    return write_folder(tmp_path, cut)


@pytest.mark.django_db
def test_data_type_option_imports_only_foods_of_that_type(mixed_types):
    run_import(mixed_types, "--data-type", "foundation_food")

    assert list(Food.objects.values_list("fdc_id", flat=True)) == [2345725]
    assert FoodNutrient.objects.count() == 1
    assert Portion.objects.count() == 1


@pytest.mark.django_db
def test_data_type_no_food_has_is_an_error(mixed_types):
    with pytest.raises(CommandError, match="no food has data_type 'survey_fndds_food'"):
        run_import(mixed_types, "--data-type", "survey_fndds_food")


@pytest.mark.django_db
def test_limit_option_imports_the_first_foods_and_only_their_rows(small_cut):
    run_import(small_cut, "--limit", "1")

    assert list(Food.objects.values_list("fdc_id", flat=True)) == [BANANAS]
    assert FoodNutrient.objects.count() == 6
    assert Portion.objects.count() == 8


@pytest.mark.django_db
def test_limit_below_one_is_an_error(small_cut):
    with pytest.raises(CommandError, match="--limit must be 1 or more"):
        run_import(small_cut, "--limit", "0")


# --- Branded foods --------------------------------------------------------------------------

needs_branded_sample = pytest.mark.skipif(
    not BRANDED_SAMPLE.is_dir(), reason=f"no branded sample folder at {BRANDED_SAMPLE}"
)


@needs_branded_sample
@pytest.mark.django_db
def test_branded_food_keeps_the_barcodes_leading_zeros_and_its_brand():
    run_import(BRANDED_SAMPLE)

    oat_drink = Food.objects.get(fdc_id=9000005)
    assert oat_drink.gtin == "07394376616037"
    assert oat_drink.brand_owner == "Example Oats AB"
    assert oat_drink.data_type == "branded_food"


@needs_branded_sample
@pytest.mark.django_db
def test_branded_food_category_comes_from_branded_food_csv():
    run_import(BRANDED_SAMPLE)

    assert Food.objects.get(fdc_id=9000002).category == "Yogurt"


@needs_branded_sample
@pytest.mark.django_db
def test_branded_serving_is_the_foods_portion():
    run_import(BRANDED_SAMPLE)

    trail_mix = Food.objects.get(fdc_id=9000001).portions.get()
    coconut_water = Food.objects.get(fdc_id=9000003).portions.get()
    assert (trail_mix.description, trail_mix.grams) == ("1/4 cup", Decimal("40"))
    # Millilitres count as grams for drinks.
    assert (coconut_water.description, coconut_water.grams) == ("1 bottle", Decimal("330"))


@needs_branded_sample
@pytest.mark.django_db
def test_branded_sample_amounts_are_per_100_g():
    run_import(BRANDED_SAMPLE)

    assert table_counts() == (7, 5, 29, 5)
    assert amount(9000004, 1114) == Decimal("4.8")


# --- Re-import ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_import_adds_no_rows(small_cut):
    run_import(small_cut)

    run_import(small_cut)

    assert table_counts() == (6, 2, 10, 10)


@pytest.mark.django_db
def test_second_import_updates_changed_values_in_place(tmp_path, cut):
    run_import(write_folder(tmp_path / "first", cut))
    banana_pk = Food.objects.get(fdc_id=BANANAS).pk
    cut["food.csv"][1][0][2] = "Bananas, ripe and slightly ripe, raw"
    cut["food_nutrient.csv"][1][3][3] = "360"
    cut["food_portion.csv"][1][4][7] = "120"

    run_import(write_folder(tmp_path / "second", cut))

    bananas = Food.objects.get(fdc_id=BANANAS)
    assert bananas.pk == banana_pk
    assert bananas.description == "Bananas, ripe and slightly ripe, raw"
    assert bananas.search_text == " bananas ripe and slightly ripe raw"
    assert amount(BANANAS, POTASSIUM) == Decimal("360")
    assert bananas.portions.get(seq=5).grams == Decimal("120")
    assert table_counts() == (6, 2, 10, 10)


@pytest.mark.django_db
def test_reimport_keeps_a_seed_foods_source(small_cut):
    import_fdc(small_cut, source=Food.Source.SEED)

    run_import(small_cut)

    assert set(Food.objects.values_list("source", flat=True)) == {Food.Source.SEED}


@pytest.mark.django_db
def test_seed_import_marks_an_imported_food_as_seed(small_cut):
    run_import(small_cut)

    import_fdc(small_cut, source=Food.Source.SEED)

    assert set(Food.objects.values_list("source", flat=True)) == {Food.Source.SEED}


# --- Output ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_progress_per_file_and_a_summary(small_cut):
    output = run_import(small_cut)

    assert "food.csv: 2 rows read, 2 foods written" in output
    assert "food_nutrient.csv: 10 rows read, 10 nutrient amounts written" in output
    assert "food_portion.csv: 10 rows read, 10 portions written" in output
    assert output.splitlines()[-1].startswith(
        "Imported 2 foods, 10 nutrient amounts and 10 portions in "
    )


def test_bad_input_on_the_command_line_is_one_line_and_exit_status_1(tmp_path):
    missing = tmp_path / "nowhere"

    result = subprocess.run(
        # System checks (URLs, views) are other tests' business.
        [sys.executable, "manage.py", "import_fdc", str(missing)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.strip() == f"CommandError: {missing} does not exist"


# --- Bad input: one line naming file, line and column; nothing written ----------------------


def set_cell(cut: dict, name: str, row_index: int, column: str, value: str) -> None:
    header, rows = cut[name]
    rows[row_index][header.index(column)] = value


def drop_column(cut: dict, name: str, column: str) -> None:
    header, rows = cut[name]
    position = header.index(column)
    cut[name] = (
        [c for i, c in enumerate(header) if i != position],
        [[v for i, v in enumerate(row) if i != position] for row in rows],
    )


def duplicate_row(cut: dict, name: str, row_index: int) -> None:
    cut[name][1].append(list(cut[name][1][row_index]))


BAD_CELLS = [
    pytest.param(
        lambda cut: set_cell(cut, "food_nutrient.csv", 1, "amount", "abc"),
        "food_nutrient.csv line 3, column amount: 'abc' is not a number",
        id="amount that is not a number",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_nutrient.csv", 2, "amount", "-27"),
        "food_nutrient.csv line 4, column amount: -27 is negative",
        id="negative amount",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_nutrient.csv", 9, "amount", "NaN"),
        "food_nutrient.csv line 11, column amount: 'NaN' is not a number",
        id="amount NaN in the last row",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_portion.csv", 4, "gram_weight", "0"),
        "food_portion.csv line 6, column gram_weight: 0 is not a positive weight",
        id="zero gram_weight",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_portion.csv", 0, "gram_weight", "-225"),
        "food_portion.csv line 2, column gram_weight: -225 is not a positive weight",
        id="negative gram_weight",
    ),
    pytest.param(
        lambda cut: duplicate_row(cut, "food.csv", 0),
        f"food.csv line 4, column fdc_id: duplicate fdc_id {BANANAS}",
        id="duplicate fdc_id in food.csv",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_nutrient.csv", 9, "id", "256094"),
        "food_nutrient.csv line 11, column id: duplicate id 256094",
        id="duplicate id in food_nutrient.csv",
    ),
    pytest.param(
        lambda cut: duplicate_row(cut, "nutrient.csv", 3),
        "nutrient.csv line 8, column id: duplicate id 1092",
        id="duplicate id in nutrient.csv",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_nutrient.csv", 9, "fdc_id", "123"),
        "food_nutrient.csv line 11, column fdc_id: food 123 is not in food.csv",
        id="amount for a food not in food.csv",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_portion.csv", 9, "fdc_id", "123"),
        "food_portion.csv line 11, column fdc_id: food 123 is not in food.csv",
        id="portion for a food not in food.csv",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food_nutrient.csv", 0, "nutrient_id", "9999"),
        "food_nutrient.csv line 2, column nutrient_id: nutrient 9999 is not in nutrient.csv",
        id="amount of a nutrient not in nutrient.csv",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food.csv", 1, "description", "½" * 150),
        "food.csv line 3, column description: '½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½½…' "
        "is longer than 400 characters once normalised for the search",
        id="description whose search text overflows",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food.csv", 1, "description", "Nuts\x00, almonds"),
        "food.csv line 3, column description: 'Nuts\\x00, almonds' holds a NUL character",
        id="NUL character in a cell",
    ),
    pytest.param(
        lambda cut: set_cell(cut, "food.csv", 1, "fdc_id", "17O567"),
        "food.csv line 3, column fdc_id: '17O567' is not a whole number",
        id="fdc_id that is not a number",
    ),
    pytest.param(
        lambda cut: drop_column(cut, "food_nutrient.csv", "amount"),
        "food_nutrient.csv line 1, column amount: missing from the header",
        id="missing required column",
    ),
    pytest.param(
        lambda cut: drop_column(cut, "food_portion.csv", "gram_weight"),
        "food_portion.csv line 1, column gram_weight: missing from the header",
        id="missing required column of an optional file",
    ),
    pytest.param(
        lambda cut: cut.pop("food.csv"),
        "food.csv: not found in",
        id="missing food.csv",
    ),
    pytest.param(
        lambda cut: cut.pop("food_nutrient.csv"),
        "food_nutrient.csv: not found in",
        id="missing food_nutrient.csv",
    ),
    pytest.param(
        lambda cut: cut.pop("nutrient.csv"),
        "nutrient.csv: not found in",
        id="missing nutrient.csv",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), BAD_CELLS)
def test_bad_input_names_file_line_and_column_and_writes_nothing(tmp_path, cut, change, message):
    change(cut)
    folder = write_folder(tmp_path, cut)

    with pytest.raises(CommandError) as error:
        run_import(folder)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_row_with_fewer_fields_than_the_header_is_a_truncated_file(small_cut):
    path = small_cut / "food_nutrient.csv"
    path.write_text(path.read_text() + '"999","173944","1092"\n')

    with pytest.raises(CommandError, match=r"food_nutrient.csv line 12, column amount: missing"):
        run_import(small_cut)
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_unterminated_quote_is_a_truncated_file(small_cut):
    path = small_cut / "food_portion.csv"
    path.write_text(path.read_text() + '"999","173944","9","1","9999","","cup, sli')

    with pytest.raises(CommandError, match=r"food_portion.csv line 12: malformed CSV"):
        run_import(small_cut)
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_file_that_is_not_utf8_names_its_line(small_cut):
    path = small_cut / "food.csv"
    path.write_bytes(
        path.read_bytes() + '"1","sr_legacy_food","Crème brûlée","","x"\n'.encode("latin-1")
    )

    with pytest.raises(CommandError, match=r"food.csv line 4: not UTF-8 text"):
        run_import(small_cut)
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run_import(tmp_path / "nowhere")


@pytest.mark.django_db
def test_zip_without_the_files_is_an_error(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("FoodData_Central/readme.txt", "no CSV here")

    with pytest.raises(CommandError, match=r"^food.csv: not found in .*download.zip$"):
        run_import(archive)


@pytest.mark.django_db
def test_file_that_is_not_a_zip_is_an_error(tmp_path):
    not_a_zip = tmp_path / "download.zip"
    not_a_zip.write_text("fdc_id,description\n")

    with pytest.raises(CommandError, match=r"is neither a folder nor a \.zip file"):
        run_import(not_a_zip)


@pytest.mark.django_db
def test_failed_import_leaves_the_previous_imports_values_untouched(tmp_path, cut):
    run_import(write_folder(tmp_path / "first", cut))
    cut["food.csv"][1][0][2] = "Bananas, renamed"
    cut["food_nutrient.csv"][1][3][3] = "999"
    cut["food_nutrient.csv"][1][-1][3] = "abc"  # the very last row

    with pytest.raises(CommandError, match=r"food_nutrient\.csv line 11, column amount"):
        run_import(write_folder(tmp_path / "second", cut))

    assert Food.objects.get(fdc_id=BANANAS).description == "Bananas, raw"
    assert amount(BANANAS, POTASSIUM) == Decimal("358")
    assert table_counts() == (6, 2, 10, 10)


# --- The whole SR Legacy folder -------------------------------------------------------------

needs_sr_legacy = pytest.mark.skipif(
    not SR_LEGACY.is_dir(), reason=f"no SR Legacy folder at {SR_LEGACY} (CI always has it)"
)


@pytest.fixture(scope="module")
def sr_legacy_imported_twice(django_db_setup, django_db_blocker):
    """Import the whole folder twice, once for the whole module: each import takes seconds.

    Yields the table counts after the first and after the second import. The rows are
    committed (outside any test's transaction), so the module deletes them when it is done.
    """
    with django_db_blocker.unblock():
        assert table_counts() == (0, 0, 0, 0), "the test database should start empty"
        run_import(SR_LEGACY)
        after_first = table_counts()
        run_import(SR_LEGACY)
        after_second = table_counts()
    yield after_first, after_second
    with django_db_blocker.unblock():
        Food.objects.filter(fdc_id__isnull=False).delete()
        Nutrient.objects.all().delete()


@pytest.mark.slow
@needs_sr_legacy
@pytest.mark.django_db
def test_whole_sr_legacy_folder_imports_every_food_amount_and_portion(sr_legacy_imported_twice):
    after_first, _ = sr_legacy_imported_twice

    assert after_first == (46, 7_697, 309_433, 14_153)


@pytest.mark.slow
@needs_sr_legacy
@pytest.mark.django_db
def test_whole_sr_legacy_folder_has_the_known_banana_values(sr_legacy_imported_twice):
    assert amount(BANANAS, POTASSIUM) == Decimal("358")
    assert amount(BANANAS, CALCIUM) == Decimal("5")
    assert amount(BANANAS, MAGNESIUM) == Decimal("27")
    medium = Portion.objects.get(food__fdc_id=BANANAS, description__contains="medium")
    assert medium.grams == Decimal("118")


@pytest.mark.slow
@needs_sr_legacy
@pytest.mark.django_db
def test_second_import_of_the_whole_folder_changes_no_counts(sr_legacy_imported_twice):
    after_first, after_second = sr_legacy_imported_twice

    assert after_second == after_first
