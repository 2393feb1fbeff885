"""The cramp diary's cramps: "Cramp now", details, edit and delete, only one's own."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.cramp_models import Cramp, diary_day_of


def test_a_cramp_at_3_am_belongs_to_the_night_before():
    assert diary_day_of(datetime(2026, 11, 22, 3, 15)) == date(2026, 11, 21)
    assert diary_day_of(datetime(2026, 11, 22, 6, 0)) == date(2026, 11, 22)
    assert diary_day_of(datetime(2026, 11, 22, 23, 50)) == date(2026, 11, 22)


def test_a_cramp_noted_asleep_at_night_belongs_to_the_night_before_until_noon():
    asleep = Cramp.Activity.NIGHT
    assert diary_day_of(datetime(2026, 11, 22, 6, 30), asleep) == date(2026, 11, 21)
    assert diary_day_of(datetime(2026, 11, 22, 11, 59), asleep) == date(2026, 11, 21)
    assert diary_day_of(datetime(2026, 11, 22, 12, 0), asleep) == date(2026, 11, 22)
    assert diary_day_of(datetime(2026, 11, 22, 23, 30), asleep) == date(2026, 11, 22)
    # Awake by day at 06:30: the new day's.
    assert diary_day_of(datetime(2026, 11, 22, 6, 30), Cramp.Activity.REST) == date(2026, 11, 22)


def test_saving_a_cramp_noted_asleep_at_06_30_files_it_under_the_night_before(user_client, user):
    response = user_client.post(
        reverse("cramp_new"),
        {"started_at": "2026-11-22T06:30", "activity": "night", "muscle": "calf"},
    )
    assert response.status_code == 302, response.content.decode()
    assert Cramp.objects.get(user=user).day == date(2026, 11, 21)


def test_cramp_now_logs_a_cramp_starting_now_and_offers_its_details(user_client, user):
    before = timezone.now()
    response = user_client.post(reverse("cramp_now"))
    cramp = Cramp.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("cramp_edit", args=[cramp.pk])
    assert before <= cramp.started_at <= timezone.now()
    assert cramp.day == diary_day_of(timezone.localtime(cramp.started_at))
    page = user_client.get(response["Location"])
    assert "Cramp logged at" in page.content.decode()


def test_the_day_page_offers_cramp_now_and_lists_the_days_cramps(user_client, user):
    day = date(2026, 11, 21)
    Cramp.objects.create(
        user=user,
        started_at=datetime(2026, 11, 22, 3, 15, tzinfo=ZoneInfo("UTC")),
        day=day,
        muscle="calf",
        severity=7,
    )
    page = user_client.get(reverse("tracker:day", args=[day])).content.decode()
    assert "Cramp now" in page
    assert "Cramp at 03:15 (Sun 22 Nov)" in page
    assert "Calf, severity 7" in page


def test_details_are_saved_and_a_night_cramp_moves_to_the_night_before(user_client, user):
    user_client.post(reverse("cramp_now"))
    cramp = Cramp.objects.get(user=user)
    response = user_client.post(
        reverse("cramp_edit", args=[cramp.pk]),
        {
            "started_at": "2026-11-22T02:30",
            "muscle": "calf",
            "severity": "8",
            "duration_minutes": "3",
            "activity": "night",
            "note": "woke me",
        },
    )
    assert response.status_code == 302
    cramp.refresh_from_db()
    assert cramp.day == date(2026, 11, 21)
    assert (cramp.muscle, cramp.severity, cramp.duration_minutes) == ("calf", 8, 3)
    assert cramp.details == "calf, severity 8, 3 minutes, asleep or resting at night"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("severity", "11", "Severity goes from 0 to 10."),
        ("severity", "-1", "Severity goes from 0 to 10."),
        ("duration_minutes", "0", "Enter the minutes it lasted, from 1 to 1,440"),
        ("started_at", "tomorrow", "Enter a date and time"),
    ],
)
def test_bad_details_get_a_message_and_change_nothing(user_client, user, field, value, message):
    cramp = Cramp.objects.create(
        user=user, started_at=timezone.now(), day=timezone.localdate(), severity=3
    )
    data = {"started_at": "2026-11-22T10:00", "severity": "3", field: value}
    response = user_client.post(reverse("cramp_edit", args=[cramp.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    cramp.refresh_from_db()
    assert cramp.severity == 3


def test_a_start_in_the_future_is_refused(user_client, user):
    later = timezone.localtime() + timedelta(days=1)
    response = user_client.post(
        reverse("cramp_new"), {"started_at": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert "That time is still to come" in response.content.decode()
    assert not Cramp.objects.exists()


def test_an_earlier_cramp_can_be_logged_with_its_details(user_client, user):
    response = user_client.post(
        reverse("cramp_new"), {"started_at": "2026-11-20T18:00", "muscle": "foot"}
    )
    assert response.status_code == 302
    cramp = Cramp.objects.get(user=user)
    assert (cramp.day, cramp.muscle) == (date(2026, 11, 20), "foot")


def test_delete_removes_the_cramp(user_client, user):
    cramp = Cramp.objects.create(user=user, started_at=timezone.now(), day=timezone.localdate())
    response = user_client.post(reverse("cramp_delete", args=[cramp.pk]))
    assert response.status_code == 302
    assert not Cramp.objects.exists()


@pytest.mark.parametrize(
    "name, method", [("cramp_edit", "get"), ("cramp_edit", "post"), ("cramp_delete", "post")]
)
def test_another_users_cramp_is_404(user_client, other_user, name, method):
    cramp = Cramp.objects.create(
        user=other_user, started_at=timezone.now(), day=timezone.localdate(), severity=2
    )
    response = getattr(user_client, method)(reverse(name, args=[cramp.pk]), {"severity": "9"})
    assert response.status_code == 404
    cramp.refresh_from_db()
    assert cramp.severity == 2


def test_the_database_refuses_a_severity_over_10(user):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Cramp.objects.create(
            user=user, started_at=timezone.now(), day=timezone.localdate(), severity=11
        )


@pytest.mark.parametrize("started_at", ["0001-01-01T00:00", "1899-12-31T12:00"])
def test_a_start_outside_the_diarys_years_gets_a_message_not_an_error(
    user_client, user, started_at
):
    response = user_client.post(reverse("cramp_new"), {"started_at": started_at})

    assert response.status_code == 200
    assert "Choose a time between 1900 and 2200." in response.content.decode()
    assert not Cramp.objects.filter(user=user).exists()


# --- Edit and delete in place, on the day page (htmx) ------------------------------------

HTMX = {"HX-Request": "true"}


def cramp_on(user, day=date(2026, 11, 21), hour=22, **fields):
    started_at = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))
    return Cramp.objects.create(user=user, started_at=started_at, day=day, **fields)


def test_the_day_pages_edit_link_is_a_link_that_opens_the_form_in_its_row(user_client, user):
    cramp = cramp_on(user, muscle="calf")
    page = user_client.get(reverse("tracker:day", args=[cramp.day])).content.decode()
    edit_url = reverse("cramp_edit", args=[cramp.pk])
    assert f'href="{edit_url}" hx-get="{edit_url}" hx-target="#cramp-{cramp.pk}"' in page


def test_edit_with_htmx_answers_with_the_rows_form_focused_on_its_first_field(user_client, user):
    cramp = cramp_on(user, muscle="calf", severity=4)

    response = user_client.get(reverse("cramp_edit", args=[cramp.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry row-edit" id="cramp-{cramp.pk}">')
    assert "<html" not in html
    (first_field,) = re.findall(r"<input [^>]*name=\"started_at\"[^>]*>", html)
    assert "autofocus" in first_field and 'value="2026-11-21T22:00"' in first_field
    assert html.count("autofocus") == 1
    assert 'value="4"' in html  # the severity as saved
    assert f'hx-get="{reverse("cramp", args=[cramp.pk])}"' in html  # Cancel: the row again


def test_saving_in_place_answers_with_the_days_cramps_and_focuses_the_rows_edit_link(
    user_client, user
):
    cramp = cramp_on(user, muscle="calf", severity=4)
    other = cramp_on(user, hour=23)

    response = user_client.post(
        reverse("cramp_edit", args=[cramp.pk]),
        {"started_at": "2026-11-21T22:00", "muscle": "foot", "severity": "6"},
        headers=HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="cramp-list"')
    assert "Cramp saved: foot, severity 6." in html
    assert "Foot, severity 6" in html
    edit_links = [line for line in html.splitlines() if 'class="edit-row"' in line]
    assert len(edit_links) == 2
    assert f"#cramp-{cramp.pk}" in edit_links[0] and "autofocus" in edit_links[0]
    assert f"#cramp-{other.pk}" in edit_links[1] and "autofocus" not in edit_links[1]
    cramp.refresh_from_db()
    assert (cramp.muscle, cramp.severity) == ("foot", 6)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("severity", "11", "Severity goes from 0 to 10."),
        ("duration_minutes", "99999", "Enter the minutes it lasted, from 1 to 1,440"),
        ("started_at", "yesterday", "Enter a date and time"),
    ],
)
def test_a_bad_value_in_place_shows_its_message_in_the_row_and_saves_nothing(
    user_client, user, field, value, message
):
    cramp = cramp_on(user, severity=3)
    data = {"started_at": "2026-11-21T22:00", "severity": "3", field: value}

    response = user_client.post(reverse("cramp_edit", args=[cramp.pk]), data, headers=HTMX)

    assert response.status_code == 200  # htmx swaps 200s only
    assert response["HX-Retarget"] == f"#cramp-{cramp.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry row-edit" id="cramp-{cramp.pk}">')
    field_html = html.split(f'id="cramp{cramp.pk}_{field}_error"')[1]
    assert message in field_html.split("</ul>")[0]  # beside its field
    assert "Cramp at 22:00" in html  # the row still says which cramp it is
    (field_tag,) = re.findall(rf"<input [^>]*name=\"{field}\"[^>]*>", html)
    assert "autofocus" in field_tag and 'aria-invalid="true"' in field_tag
    assert html.count("autofocus") == 1
    cramp.refresh_from_db()
    assert (cramp.severity, cramp.started_at.hour) == (3, 22)


def test_cancel_brings_the_row_back_with_the_focus_on_its_edit_link(user_client, user):
    cramp = cramp_on(user, muscle="hand")

    response = user_client.get(reverse("cramp", args=[cramp.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry" id="cramp-{cramp.pk}">')
    assert "Hand" in html
    assert 'hx-sync="this:drop" autofocus>Edit' in html


def test_the_rows_url_without_htmx_is_the_day_page_at_the_cramp(user_client, user):
    cramp = cramp_on(user)
    response = user_client.get(reverse("cramp", args=[cramp.pk]))
    assert response["Location"] == f"{reverse('tracker:day', args=[cramp.day])}#cramp-{cramp.pk}"


def test_a_cramp_moved_to_another_day_leaves_the_list_and_links_to_its_day(user_client, user):
    cramp = cramp_on(user)

    response = user_client.post(
        reverse("cramp_edit", args=[cramp.pk]), {"started_at": "2026-11-23T03:00"}, headers=HTMX
    )

    html = response.content.decode()
    assert f'id="cramp-{cramp.pk}"' not in html
    day_url = reverse("tracker:day", args=[date(2026, 11, 22)])
    assert f'<a href="{day_url}" autofocus>Sunday 22 November</a>' in html
    assert html.count("autofocus") == 1
    cramp.refresh_from_db()
    assert cramp.day == date(2026, 11, 22)


def test_delete_in_place_answers_with_the_list_focused_on_the_next_cramp(user_client, user):
    first, second = cramp_on(user, hour=20), cramp_on(user, hour=21)

    response = user_client.post(reverse("cramp_delete", args=[first.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="cramp-list"')
    assert "Cramp removed." in html
    assert f'id="cramp-{first.pk}"' not in html
    assert (
        f'hx-target="#cramp-{second.pk}" hx-swap="outerHTML settle:0ms" hx-sync="this:drop" autofocus'
        in html
    )

    response = user_client.post(reverse("cramp_delete", args=[second.pk]), headers=HTMX)

    html = response.content.decode()
    assert "Cramps this day" not in html
    assert '<a href="/cramps/new/" autofocus>Log an earlier cramp</a>' in html
    assert not Cramp.objects.exists()


def test_the_delete_button_asks_before_removing_in_place(user_client, user):
    cramp = cramp_on(user)
    page = user_client.get(reverse("tracker:day", args=[cramp.day])).content.decode()
    assert 'hx-confirm="Remove the cramp at 22:00?"' in page


@pytest.mark.parametrize(
    "name, method",
    [("cramp", "get"), ("cramp_edit", "get"), ("cramp_edit", "post"), ("cramp_delete", "post")],
)
def test_another_users_cramp_is_404_with_htmx_too(user_client, other_user, name, method):
    cramp = cramp_on(other_user, severity=2)
    response = getattr(user_client, method)(
        reverse(name, args=[cramp.pk]), {"severity": "9"}, headers=HTMX
    )
    assert response.status_code == 404
    cramp.refresh_from_db()
    assert cramp.severity == 2


def test_saving_in_place_takes_the_same_queries_however_long_the_history(
    user_client, user, django_assert_max_num_queries
):
    cramp = cramp_on(user)
    for offset in range(1, 40):  # a long diary of cramps on other days
        cramp_on(user, day=date(2026, 11, 21) - timedelta(days=offset))
    data = {"started_at": "2026-11-21T22:00", "severity": "5"}
    # Session and user, the cramp, its two check constraints (each a query in a
    # savepoint), saving it, the day's cramps: eleven, whatever the other days hold; and
    # one where a write request bumps the user's revision, in the request's transaction
    # (a savepoint and its release under the test's: tracker/page_cache.py), and the
    # cramp's version read under a lock (a stale form saves nothing).
    with django_assert_max_num_queries(15):
        response = user_client.post(reverse("cramp_edit", args=[cramp.pk]), data, headers=HTMX)
    assert "Cramp saved" in response.content.decode()


def test_the_details_form_tells_the_browser_the_bounds_it_accepts(user_client, user):
    # A browser that checks the bounds itself must not accept what the form refuses (0 min).
    page = user_client.get(reverse("cramp_new")).content.decode()
    duration = re.search(r'<input[^>]*name="duration_minutes"[^>]*>', page).group(0)
    severity = re.search(r'<input[^>]*name="severity"[^>]*>', page).group(0)

    assert 'min="1"' in duration and 'max="1440"' in duration
    assert 'min="0"' in severity and 'max="10"' in severity


def test_two_cramps_at_the_same_minute_have_links_a_screen_reader_tells_apart(user_client, user):
    started = timezone.now().replace(second=0, microsecond=0)
    for muscle in ("calf", "foot"):
        Cramp.objects.create(
            user=user, started_at=started, day=timezone.localdate(), muscle=muscle, severity=5
        )

    page = user_client.get(reverse("tracker:day", kwargs={"day": timezone.localdate()}))
    names = re.findall(r'Edit<span class="visually-hidden"> ([^<]*)</span>', page.content.decode())

    assert len(names) == 2 and len(set(names)) == 2
    assert {name.split(", ", 1)[1] for name in names} == {"calf, severity 5", "foot, severity 5"}


def test_the_migration_moves_cramps_noted_asleep_before_noon_to_the_night_before(user):
    import importlib

    from django.apps import apps

    from tracker.models import Profile

    migration = importlib.import_module("tracker.migrations.0009_i26_night_cramps")
    Profile.objects.filter(user=user).update(time_zone="America/New_York")
    zone = ZoneInfo("America/New_York")

    def logged(hour: int, activity: str) -> Cramp:
        # As saved before the rule: only a cramp before 06:00 went to the night before.
        started = datetime(2026, 11, 22, hour, 30, tzinfo=zone)
        return Cramp.objects.create(
            user=user, started_at=started, day=diary_day_of(started), activity=activity
        )

    asleep_0630 = logged(6, "night")
    asleep_1230 = logged(12, "night")
    resting_0630 = logged(6, "rest")
    migration.move_late_night_cramps(apps, None)
    days = {c.pk: c.day for c in Cramp.objects.all()}
    assert days[asleep_0630.pk] == date(2026, 11, 21)
    assert days[asleep_1230.pk] == date(2026, 11, 22)
    assert days[resting_0630.pk] == date(2026, 11, 22)
