"""The doctor's summary agrees with the day reports: every number on it is what the
days' own reports give, each day against the targets in force that day."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from nutrients.numbers import whole
from nutrients.report import HEADLINE_MINERALS, Status
from tests.test_api import log
from tracker.day_data import day_report
from tracker.diary_days import FIRST_DAY
from tracker.models import Cramp, DayNote, Profile, Supplement, SupplementIntake, TargetChange

pytestmark = pytest.mark.usefixtures("shipped_supplements")

HISTORY_DAYS = 60


@pytest.fixture
def history(user, foods):
    """60 whole days before today, and today so far. The targets change twice: 40 days
    ago the person set their own magnesium and water targets; 20 days ago they asked for
    the reference intakes of their life stage (a man of 45: water 3,700 ml, not the
    defaults' 2,700; their own water number is cleared, as the profile does)."""
    profile = Profile.of(user)
    today = profile.today()
    changed_own = today - timedelta(days=40)
    changed_stage = today - timedelta(days=20)
    TargetChange.objects.create(user=user, valid_from=FIRST_DAY, target_source="defaults")
    TargetChange.objects.create(
        user=user,
        valid_from=changed_own,
        target_source="defaults",
        magnesium_target_mg=350,
        water_target_ml=3000,
    )
    stage = {
        "target_source": "reference",
        "sex": "male",
        "birth_year": today.year - 45,
        "water_target_ml": None,
    }
    TargetChange.objects.create(user=user, valid_from=changed_stage, **stage)
    Profile.objects.filter(pk=profile.pk).update(diuretic="loop", **stage)
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    for offset in range(0, HISTORY_DAYS + 1):
        day = today - timedelta(days=offset)
        if offset % 11 == 5:
            continue  # a day with nothing logged now and then
        log(user, foods["banana"], 118 + 13 * (offset % 7), day=day)
        log(user, foods["almonds"], 5 + 3 * (offset % 5), slot="lunch", day=day)
        log(user, foods["water"], 1500 + 97 * (offset % 13), slot="dinner", day=day)
        if offset % 4 == 0:
            SupplementIntake.objects.create(
                user=user, day=day, supplement=citrate, count=1 + offset % 8 // 4
            )
        if offset % 9 == 0:
            DayNote.objects.create(user=user, day=day, intense_workout=True)
    for offset in (3, 17, 29, 44, 58):
        day = today - timedelta(days=offset)
        Cramp.objects.create(
            user=user,
            day=day,
            started_at=f"{day}T21:30:00Z",
            muscle="calf",
            severity=offset % 10,
            note=f"note {offset}",
        )
    return profile


def row_cells(page: str, key: str) -> list[str]:
    row = re.search(rf'data-testid="average-{key}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [html.unescape(re.sub(r"<br>", " ", cell)).strip() for cell in cells]


def test_every_number_on_the_summary_is_what_the_day_reports_give(user_client, history):
    profile = Profile.objects.get(pk=history.pk)
    profile.user = history.user
    today = profile.today()
    page = user_client.get(reverse("insights_summary") + "?days=90").content.decode()

    # The whole days with food logged, each read from its own day report.
    reports = [
        report
        for offset in range(1, 90)
        if (report := day_report(profile, today - timedelta(days=offset))).entries
    ]
    assert len(reports) == HISTORY_DAYS - 6  # offsets 5, 16, 27, 38, 49 and 60 had nothing
    assert f"Average on {len(reports)} days with food logged" in page

    for index, mineral in enumerate(HEADLINE_MINERALS):
        statuses = [report.minerals[index].status for report in reports]
        mean_mg = whole(sum(s.eaten_mg for s in statuses) / len(statuses))
        mean_percent = int(
            Decimal(sum(s.percent for s in statuses)) / len(statuses) + Decimal("0.5")
        )
        below = sum(1 for s in statuses if s.status != Status.MET)
        cells = row_cells(page, mineral.key)
        assert cells[2] == f"{mean_mg:,} mg, {mean_percent}% of target", mineral.key
        assert cells[3] == f"{below} of {len(reports)}", mineral.key
        # Each target named with the days it was in force, as the reports had it.
        for report in (reports[0], reports[-1]):
            target = report.targets.target_mg(mineral)
            assert f"{target:,.0f} mg ({report.minerals[index].target_source})" in cells[1]

    water = [(report.water_ml or 0, report.water_target_ml) for report in reports]
    mean_ml = whole(sum(ml for ml, _ in water) / len(water))
    mean_percent = int(
        Decimal(sum(int(ml * 100 // target) for ml, target in water)) / len(water) + Decimal("0.5")
    )
    below = sum(1 for report in reports if report.factors.water_below_target)
    cells = row_cells(page, "water")
    assert cells[2] == f"{mean_ml:,} ml, {mean_percent}% of target"
    assert cells[3] == f"{below} of {len(reports)}"
    # The reference intake for a man of 45 since the life-stage change: 3,700 ml.
    assert "3,700 ml (reference intake for men 31–50, from food and drink)" in cells[1]
    assert "3,000 ml (your own target)" in cells[1]
    assert "2,700 ml" in cells[1]

    # Workouts on whole days, the person, the supplements with their dose per day.
    workouts = sum(1 for report in reports if report.intense_workout)
    assert f"Intense-workout days: {workouts}." in page
    assert f"<dt>Age</dt><dd>44 or 45 (born {today.year - 45}, month not given)</dd>" in page
    assert "<dt>Sex</dt><dd>Male</dd>" in page
    assert "<dt>Medicines and conditions</dt><dd>a loop diuretic" in page
    taken = [r for r in reports if r.supplement_totals]
    doses = {whole(r.supplement_totals[1090]) for r in taken}
    assert f"Magnesium citrate (tablet): on {len(taken)} days, " in html.unescape(page)
    assert f"{min(doses)}–{max(doses)} mg magnesium a day" in html.unescape(page)

    # The cramps with their year, severity and note; the test named.
    cramp = Cramp.objects.filter(user=history.user).order_by("started_at").first()
    assert f"{cramp.started_at:%a} {cramp.started_at.day} {cramp.started_at:%b %Y}, 21:30" in page
    assert '<td>Calf, severity 8</td><td data-label="Note">note 58</td>' in page
    assert "Mann–Whitney U test, two-sided" in page and "Fisher’s exact test" in html.unescape(page)
    assert "today, unfinished, is left out" in page


def test_today_is_left_out_of_the_averages(user_client, user, foods):
    today = Profile.of(user).today()
    log(user, foods["almonds"], 100, day=today - timedelta(days=1))  # 270 mg magnesium
    log(user, foods["almonds"], 300, day=today)  # today, so far: not averaged
    page = user_client.get(reverse("insights_summary") + "?days=30").content.decode()
    assert row_cells(page, "magnesium")[2] == "270 mg, 64% of target"
    assert "Average on 1 day with food logged" in page


def test_a_cramp_today_is_listed_and_marked(user_client, user):
    today = Profile.of(user).today()
    Cramp.objects.create(user=user, day=today, started_at=f"{today}T12:00:00Z", severity=4)
    page = user_client.get(reverse("insights_summary") + "?days=30").content.decode()
    assert f"{today:%a} {today.day} {today:%b %Y}, 12:00 (today)" in page


def test_the_summary_says_what_the_profile_does_not_hold(user_client, user):
    page = user_client.get(reverse("insights_summary") + "?days=30").content.decode()
    assert "<dt>Age</dt><dd>not given</dd>" in page
    assert "<dt>Sex</dt><dd>not given</dd>" in page
    assert "<dt>Medicines and conditions</dt><dd>none noted</dd>" in page
    assert "<dt>Diet</dt><dd>no restriction noted</dd>" in page


def test_the_summary_of_another_user_is_never_shown(client, user, other_user, foods):
    log(other_user, foods["almonds"], 100, day=Profile.of(other_user).today() - timedelta(1))
    client.force_login(user)
    page = client.get(reverse("insights_summary") + "?days=30").content.decode()
    assert row_cells(page, "magnesium")[2] == "no data"


def test_a_year_of_cramps_lists_the_latest_and_counts_the_earlier_by_month(user_client, user):
    today = Profile.of(user).today()
    for offset in range(1, 300, 3):  # 100 cramps
        day = today - timedelta(days=offset)
        Cramp.objects.create(user=user, day=day, started_at=f"{day}T15:00:00Z", severity=5)
    page = user_client.get(reverse("insights_summary") + "?days=365").content.decode()
    listed = re.search(r'data-testid="cramp-list">(.*?)</table>', page, re.S).group(1)
    assert listed.count("<tr>") == 1 + 20  # the header and the latest 20
    earlier = re.search(r"Earlier cramps by month: (.*?)\. The latest 20:", page).group(1)
    assert sum(int(part.rsplit(" ", 1)[1]) for part in earlier.split(", ")) == 80
    assert "100 cramps, average severity 5 of 10" in page
