"""The CSV export: entries and day summaries, on the page and from manage.py."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from nutrients.models import Food, FoodNutrient
from tracker.day_data import day_report
from tracker.export import csv_number, spreadsheet_text
from tracker.models import DayNote, DayTotal, Entry, Meal, Profile, Supplement, SupplementIntake

DAY = dt.date(2026, 11, 22)


def log(user, food, grams, slot="breakfast", day=DAY, quantity=None, unit="g", portion=None):
    meal, _ = Meal.objects.get_or_create(user=user, day=day, slot=slot)
    entry = Entry.objects.create(
        meal=meal,
        food=food,
        grams=Decimal(grams),
        quantity=Decimal(quantity if quantity is not None else grams),
        unit=unit,
        portion=portion,
    )
    DayTotal.refresh(user, [day])
    return entry


def own_food(user, description, amounts=None):
    food = Food.objects.create(description=description, source="user", owner=user)
    for nutrient_id, amount in (amounts or {}).items():
        FoodNutrient.objects.create(food=food, nutrient_id=nutrient_id, amount=amount)
    return food


def export_url(name, first_day=DAY, last_day=DAY):
    return f"{reverse(name)}?from={first_day:%Y-%m-%d}&to={last_day:%Y-%m-%d}"


def download(client, name, first_day=DAY, last_day=DAY):
    response = client.get(export_url(name, first_day, last_day))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    # A byte-order mark first, so that spreadsheet programs read UTF-8 ("µg", not "Âµg").
    assert body.startswith(b"\xef\xbb\xbf")
    return body.decode("utf-8-sig")


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


# --- Entries ----------------------------------------------------------------------------


def test_the_entries_header_has_the_fixed_columns_then_every_nutrient_with_its_unit(
    user_client, foods
):
    header = download(user_client, "export_entries").splitlines()[0]

    # The fixture's nutrients all have display order 0, so they follow their ids.
    assert header.split(",", 6)[:6] == ["date", "meal", "food", "fdc_id", "amount", "grams"]
    assert next(csv.reader([header]))[6:] == [
        "Energy (kcal)",
        "Water (g)",
        "Calcium, Ca (mg)",
        "Magnesium, Mg (mg)",
        "Potassium, K (mg)",
    ]


def test_a_medium_banana_has_the_hand_summed_minerals(user_client, user, foods):
    banana = foods["banana"]
    medium = banana.portions.get(grams=118)
    log(user, banana, 118, quantity=1, unit=medium.description, portion=medium)

    [row] = rows_of(download(user_client, "export_entries"))

    assert row["date"] == "2026-11-22"
    assert row["meal"] == "breakfast"
    assert row["food"] == "Bananas, raw"
    assert row["fdc_id"] == "173944"
    assert row["amount"] == '1 medium (7" to 7-7/8" long)'
    assert row["grams"] == "118"
    assert row["Potassium, K (mg)"] == "422.44"  # 358 × 1.18
    assert row["Calcium, Ca (mg)"] == "5.9"  # 5 × 1.18
    assert row["Magnesium, Mg (mg)"] == "31.86"  # 27 × 1.18
    assert row["Water (g)"] == "88.394"  # 74.91 × 1.18 = 88.3938, rounded to 3 decimals
    assert row["Energy (kcal)"] == "105.02"


def test_a_food_without_a_value_has_an_empty_cell_not_zero(user_client, user, foods):
    log(user, foods["no_magnesium"], 200)

    [row] = rows_of(download(user_client, "export_entries"))

    assert row["Magnesium, Mg (mg)"] == ""
    assert row["Water (g)"] == ""
    assert row["Potassium, K (mg)"] == "200"
    assert row["fdc_id"] == ""  # an FDC food imported without an id


def test_own_foods_have_an_empty_fdc_id_and_their_own_values(user_client, user, foods):
    log(user, own_food(user, "Grandma's soup", {1092: "150.5"}), 300, slot="dinner")

    [row] = rows_of(download(user_client, "export_entries"))

    assert (row["food"], row["fdc_id"], row["amount"]) == ("Grandma's soup", "", "300 g")
    assert row["Potassium, K (mg)"] == "451.5"
    assert row["Calcium, Ca (mg)"] == ""


def test_entries_come_by_day_then_meal_order_then_the_order_they_were_added(
    user_client, user, foods
):
    log(user, foods["banana"], 10, slot="snacks")
    log(user, foods["banana"], 20, slot="dinner")
    log(user, foods["banana"], 30, slot="lunch")
    log(user, foods["banana"], 40, slot="breakfast")
    log(user, foods["almonds"], 50, slot="breakfast")
    log(user, foods["banana"], 60, slot="snacks", day=DAY - dt.timedelta(days=1))

    rows = rows_of(download(user_client, "export_entries", DAY - dt.timedelta(days=1), DAY))

    assert [(row["date"][-2:], row["meal"], row["grams"]) for row in rows] == [
        ("21", "snacks", "60"),
        ("22", "breakfast", "40"),
        ("22", "breakfast", "50"),
        ("22", "lunch", "30"),
        ("22", "dinner", "20"),
        ("22", "snacks", "10"),
    ]


def test_the_range_includes_both_ends_and_nothing_outside(user_client, user, foods):
    for offset in range(-1, 4):
        log(user, foods["banana"], 100 + offset, day=DAY + dt.timedelta(days=offset))

    rows = rows_of(download(user_client, "export_entries", DAY, DAY + dt.timedelta(days=2)))

    assert [row["date"] for row in rows] == ["2026-11-22", "2026-11-23", "2026-11-24"]


def test_each_user_exports_only_their_own_diary(user_client, user, other_user, foods):
    log(user, foods["banana"], 118)
    log(other_user, foods["almonds"], 28)
    log(other_user, own_food(other_user, "Bob's secret stew", {1092: 500}), 100, slot="lunch")
    DayNote.objects.create(user=other_user, day=DAY, intense_workout=True)

    entries = download(user_client, "export_entries")
    days = rows_of(download(user_client, "export_days"))

    assert [row["food"] for row in rows_of(entries)] == ["Bananas, raw"]
    assert "Bob" not in entries and "almonds" not in entries
    assert [(row["entries"], row["intense_workout"]) for row in days] == [("1", "no")]


def test_the_download_is_an_attachment_named_after_the_range(user_client, foods):
    response = user_client.get(export_url("export_days", DAY - dt.timedelta(days=29), DAY))

    assert (
        response["Content-Disposition"]
        == 'attachment; filename="cramp-tracker-days-2026-10-24-to-2026-11-22.csv"'
    )
    assert "no-store" in response["Cache-Control"]


# --- Spreadsheet safety -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://example.com","click")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR"],
)
def test_a_food_name_that_looks_like_a_formula_is_written_as_text(user_client, user, foods, name):
    log(user, own_food(user, name, {1092: 10}), 100)

    [row] = rows_of(download(user_client, "export_entries"))

    assert row["food"] == "'" + name
    assert row["Potassium, K (mg)"] == "10"


def test_numbers_stay_numbers_and_harmless_text_is_left_alone(user_client, user, foods):
    log(user, own_food(user, "Soup - thick, 2% fat", {1092: "12.5"}), 100)

    line = download(user_client, "export_entries").splitlines()[1]

    assert line.startswith('2026-11-22,breakfast,"Soup - thick, 2% fat",,100 g,100,')
    assert line.endswith(",12.5")  # unquoted, no apostrophe
    assert spreadsheet_text("-") == "'-"
    assert spreadsheet_text("Salt, table") == "Salt, table"


def test_numbers_are_rounded_to_three_decimals_without_trailing_zeros():
    assert csv_number(Decimal("422.44000")) == "422.44"
    assert csv_number(Decimal("88.3938")) == "88.394"
    assert csv_number(Decimal("0.0005")) == "0.001"
    assert csv_number(Decimal("4700")) == "4700"
    assert csv_number(Decimal("0.00000")) == "0"
    assert csv_number(None) == ""


# --- Day summaries ------------------------------------------------------------------------


def summary_cells(report):
    """The day summary's cells as the dashboard's DayReport gives them."""
    cells = {"date": report.day.isoformat(), "entries": str(len(report.entries))}
    for status in report.statuses:
        name = status.mineral.name.lower()
        cells[f"{name}_mg"] = csv_number(status.eaten_mg)
        cells[f"{name}_target_mg"] = csv_number(status.target_mg)
        cells[f"{name}_percent"] = "" if status.percent is None else str(status.percent)
        cells[f"{name}_status"] = status.status or ""
    cells["water_ml"] = csv_number(report.water_ml)
    cells["water_target_ml"] = str(report.water_target_ml)
    cells["intense_workout"] = "yes" if report.intense_workout else "no"
    cells["cramp_risk"] = report.risk.level
    cells["day_in_progress"] = "yes" if report.in_progress else "no"
    cells["cramp_risk_reasons"] = " ".join(report.risk.reasons)
    cells["targets_in_force"] = report.targets.in_force
    return cells


@pytest.mark.parametrize("diuretic", ["none", "loop"])
def test_the_day_summary_has_the_dashboards_numbers(user_client, user, foods, diuretic):
    profile = Profile.objects.get(user=user)
    profile.potassium_target_mg = 1500
    profile.magnesium_target_mg = 200
    profile.water_target_ml = 500
    profile.diuretic = diuretic
    profile.save()
    # Day 1: several foods and meals, enough water.
    log(user, foods["banana"], 118)
    log(user, foods["almonds"], 28, slot="snacks")
    log(user, foods["water"], 600, slot="lunch")
    log(user, foods["banana"], 150, slot="snacks")
    # Day 2: magnesium and water unknown (no data), and an intense workout.
    yesterday = DAY - dt.timedelta(days=1)
    log(user, foods["no_magnesium"], 250, day=yesterday)
    DayNote.objects.create(user=user, day=yesterday, intense_workout=True)
    # Day 3: a workout on a day that is otherwise low.
    three_days_ago = DAY - dt.timedelta(days=3)
    log(user, foods["almonds"], 60, slot="dinner", day=three_days_ago)
    DayNote.objects.create(user=user, day=three_days_ago, intense_workout=True)
    # A workout on a day without entries has no row, as the dashboard rates no empty day.
    DayNote.objects.create(user=user, day=DAY - dt.timedelta(days=2), intense_workout=True)

    rows = rows_of(download(user_client, "export_days", DAY - dt.timedelta(days=6), DAY))

    days = [three_days_ago, yesterday, DAY]
    assert rows == [summary_cells(day_report(profile, day)) for day in days]
    assert [row["intense_workout"] for row in rows] == ["yes", "yes", "no"]
    assert rows[1]["magnesium_mg"] == rows[1]["magnesium_percent"] == ""
    assert rows[1]["water_ml"] == ""
    assert rows[2]["potassium_mg"] == "1164.68"  # 358 × (1.18 + 1.5) + 733 × 0.28
    assert rows[2]["entries"] == "4"


def test_the_day_summary_adds_the_days_supplements_as_the_report_does(
    user_client, user, foods, shipped_supplements
):
    log(user, foods["almonds"], 28)  # 270 mg magnesium per 100 g: 75.6 mg
    pills = Supplement.objects.get(owner=None, name="Magnesium citrate")
    SupplementIntake.objects.create(user=user, day=DAY, supplement=pills, count=2)
    per_pill = pills.amounts.get(nutrient_id=1090).amount

    [row] = rows_of(download(user_client, "export_days"))

    assert Decimal(row["magnesium_mg"]) == Decimal("75.6") + 2 * per_pill
    assert row == summary_cells(day_report(Profile.objects.get(user=user), DAY))


def test_the_day_summary_header_names_its_units(user_client, foods):
    header = download(user_client, "export_days").splitlines()[0]

    assert header == (
        "date,entries,"
        "potassium_mg,potassium_target_mg,potassium_percent,potassium_status,"
        "calcium_mg,calcium_target_mg,calcium_percent,calcium_status,"
        "magnesium_mg,magnesium_target_mg,magnesium_percent,magnesium_status,"
        "water_ml,water_target_ml,intense_workout,cramp_risk,day_in_progress,cramp_risk_reasons,"
        "targets_in_force"
    )


def test_the_known_day_reads_as_on_the_dashboard(user_client, user, foods):
    log(user, foods["banana"], 118)
    log(user, foods["almonds"], 28)

    [row] = rows_of(download(user_client, "export_days"))

    # Potassium 358 × 1.18 + 733 × 0.28 = 627.68 mg of 4,700: 13%, well short.
    assert row["potassium_mg"] == "627.68"
    assert row["potassium_target_mg"] == "4700"
    assert (row["potassium_percent"], row["potassium_status"]) == ("13", "well short")
    assert row["cramp_risk"] == "high"


# --- Queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 30])
@pytest.mark.parametrize("name", ["export_entries", "export_days"])
def test_the_export_runs_a_constant_number_of_queries(
    user_client, user, foods, name, days, django_assert_num_queries
):
    own = own_food(user, "Own muesli", {1092: 400, 1090: 90})
    menu = [foods["banana"], foods["almonds"], foods["no_magnesium"], own, foods["water"]]
    for offset in range(days):
        day = DAY - dt.timedelta(days=offset)
        for index, slot in enumerate(Meal.Slot.values):
            log(user, menu[(offset + index) % len(menu)], 50 + index, slot=slot, day=day)
        DayNote.objects.create(user=user, day=day, intense_workout=offset % 2 == 0)

    # The session with the user and their profile; then the export's three (the day summaries' five:
    # the stored totals (two), the workout days, the target changes and the supplements).
    with django_assert_num_queries(4 if name == "export_entries" else 6):
        response = user_client.get(export_url(name, DAY - dt.timedelta(days=29), DAY))
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == 1 + (days * 4 if name == "export_entries" else days)


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["export_entries", "export_days"])
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("", "from", "Enter the first day of the range."),
        ("from=2026-11-01", "to", "Enter the last day of the range."),
        ("from=2026-13-01&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD"),
        ("from=yesterday&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD"),
        ("from=2026-02-30&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD"),
        ("from=11/01/2026&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD"),
        ("from=2026-12-01&to=2026-11-01", "to", "on or after the first day, 2026-12-01"),
        ("from=2023-11-22&to=2026-11-22", "to", "at most 1,096 days (3 years)"),
        ("from=1899-12-31&to=1900-01-01", "from", "between 1900 and 2200"),
        ("from=2200-12-31&to=2201-01-01", "to", "between 1900 and 2200"),
        ("from=0001-01-01&to=9999-12-31", "to", "between 1900 and 2200"),
        ("from=2026-11-01%00&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD"),
        ("from=" + "9" * 5000 + "&to=2026-12-01", "from", "Enter a date as YYYY-MM-DD"),
    ],
)
def test_bad_dates_show_the_export_page_with_the_message_next_to_the_field(
    user_client, foods, name, query, field, message
):
    response = user_client.get(f"{reverse(name)}?{query}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    errors = content.split(f'id="id_{field}_error"')[1].split("</ul>")[0]
    assert message in errors
    assert "Download entries (CSV)" in content


def test_three_years_of_1096_days_is_the_longest_range(user_client, foods):
    first_day = dt.date(2024, 1, 1)  # 2024 is a leap year: 366 + 365 + 365 days

    longest = user_client.get(export_url("export_entries", first_day, dt.date(2026, 12, 31)))
    one_more = user_client.get(export_url("export_entries", first_day, dt.date(2027, 1, 1)))

    assert longest["Content-Type"] == "text/csv; charset=utf-8"
    assert "this range has 1,097." in one_more.content.decode()


@pytest.mark.parametrize("name", ["export", "export_entries", "export_days"])
def test_anonymous_visitors_are_sent_to_log_in(client, db, name):
    response = client.get(export_url(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- The page -------------------------------------------------------------------------------


def test_the_export_page_offers_the_last_30_days_and_both_downloads(user_client, user):
    today = dt.datetime.now(dt.UTC).date()  # the profile's zone: UTC, the settings' default

    content = user_client.get(reverse("export")).content.decode()

    assert f'value="{today - dt.timedelta(days=29):%Y-%m-%d}"' in content
    assert f'value="{today:%Y-%m-%d}"' in content
    assert f'formaction="{reverse("export_entries")}"' in content
    assert f'formaction="{reverse("export_days")}"' in content
    assert "errorlist" not in content


def test_the_export_page_takes_its_dates_from_the_link(user_client, user):
    content = user_client.get(export_url("export", DAY - dt.timedelta(days=6))).content.decode()

    assert 'value="2026-11-16"' in content and 'value="2026-11-22"' in content
    assert "errorlist" not in content


def test_the_report_links_to_the_export_of_its_last_30_days(user_client, user, foods):
    content = user_client.get(reverse("tracker:report", kwargs={"day": DAY})).content.decode()

    link = f"{reverse('export')}?from=2026-10-24&amp;to=2026-11-22"
    assert f'href="{link}"' in content


# --- The command ----------------------------------------------------------------------------


def run_export(*args):
    out = io.StringIO()
    call_command("export_diary", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_same_csv_as_the_download(user_client, user, foods):
    log(user, foods["banana"], 118)
    log(user, own_food(user, "=cmd|' /C calc'!A0", {1092: 1}), 10, slot="lunch")
    DayNote.objects.create(user=user, day=DAY, intense_workout=True)
    first_day = DAY - dt.timedelta(days=7)
    dates = ["--from", f"{first_day:%Y-%m-%d}", "--to", "2026-11-22"]

    entries = run_export("alice", *dates)
    days = run_export("alice", *dates, "--days")

    assert entries == download(user_client, "export_entries", first_day, DAY)
    assert days == download(user_client, "export_days", first_day, DAY)
    assert rows_of(entries)[1]["food"].startswith("'=")
    assert rows_of(days)[0]["intense_workout"] == "yes"


def test_the_command_uses_default_targets_for_an_account_without_a_profile(
    user, foods, django_user_model
):
    carol = django_user_model.objects.create_user("carol")
    log(carol, foods["banana"], 118)

    [row] = rows_of(run_export("carol", "--from", "2026-11-22", "--to", "2026-11-22", "--days"))

    assert row["potassium_target_mg"] == "4700"
    assert not Profile.objects.filter(user=carol).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--from", "2026-11-01", "--to", "2026-11-22"], "No user named “nobody”."),
        (["alice", "--from", "2026-11-31", "--to", "2026-11-22"], "--from: Enter a date as"),
        (["alice", "--from", "2026-11-22", "--to", "2026-11-01"], "--to: Choose a day on or"),
        (["alice", "--from", "2020-01-01", "--to", "2026-11-22"], "--to: Choose at most 1,096"),
        (["alice", "--to", "2026-11-22"], "the following arguments are required: --from"),
    ],
)
def test_the_command_fails_in_one_line(user, args, message):
    with pytest.raises(CommandError, match=message) as failure:
        run_export(*args)

    assert "\n" not in str(failure.value)


def test_the_export_page_title_is_plain_text(user_client):
    page = user_client.get(reverse("export")).content.decode()

    assert "<title>Download your data · Cramp Tracker</title>" in page
