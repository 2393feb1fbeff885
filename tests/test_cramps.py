"""The cramp diary's cramps: "Cramp now", details, edit and delete, only one's own."""

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
