"""The JSON API's cramp diary: cramps, supplements taken and the insights, by token."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import test_api
from tracker.models import Cramp, Profile, Supplement, SupplementIntake

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")


# The entries' API tests' token client, and their check of the error shape.
api = test_api.api
bearer = test_api.bearer
assert_field_error = test_api.assert_field_error

DAY = dt.date(2026, 11, 22)


def a_cramp(user, **fields):
    fields.setdefault("started_at", timezone.now())
    fields.setdefault("day", timezone.localdate())
    return Cramp.objects.create(user=user, **fields)


def citrate() -> Supplement:
    return Supplement.objects.get(owner=None, name="Magnesium citrate")


def test_the_schema_lists_the_cramp_and_supplement_paths(client, db):
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/cramps/",
        "/api/cramps/{cramp_id}/",
        "/api/cramps/insights/",
        "/api/supplements/",
        "/api/supplements/{intake_id}/",
        "/api/supplements/products/",
    } <= paths


def test_an_empty_post_is_cramp_now(api, user):
    before = timezone.now()
    response = api.post("/api/cramps/", {})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["muscle"] is None and body["details"] == "no details yet"
    cramp = Cramp.objects.get(user=user)
    assert cramp.started_at >= before.replace(second=0, microsecond=0)


def test_a_night_cramp_in_the_users_zone_belongs_to_the_night_before(api, user):
    profile = Profile.of(user)
    profile.time_zone = "Europe/Berlin"
    profile.save()
    # 02:30 UTC is 03:30 in Berlin: before 6 am there, so the 21st's night.
    response = api.post(
        "/api/cramps/",
        {
            "started_at": "2026-11-22T02:30:00Z",
            "muscle": "calf",
            "severity": 7,
            "activity": "night",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["date"] == "2026-11-21"
    assert response.json()["details"] == "calf, severity 7, asleep or resting at night"


def test_bad_cramp_fields_are_422_with_the_forms_messages(api, user):
    response = api.post("/api/cramps/", {"severity": 11, "muscle": "ear"})
    assert_field_error(response, "severity", "Severity goes from 0 to 10.")
    assert "muscle" in response.json()["errors"]
    assert not Cramp.objects.exists()


@pytest.mark.parametrize("value", [False, True, 2.5, "7"])
def test_a_severity_or_duration_that_is_no_whole_number_is_422(api, user, value):
    """JSON's false is no severity 0 (schemathesis found it taken as one)."""
    for field in ("severity", "duration_minutes"):
        response = api.post("/api/cramps/", {field: value})
        assert_field_error(response, field, "Enter a whole number.")
    cramp = a_cramp(user, severity=5)
    response = api.patch(f"/api/cramps/{cramp.pk}/", {"severity": value})
    assert_field_error(response, "severity", "Enter a whole number.")
    cramp.refresh_from_db()
    assert cramp.severity == 5
    assert Cramp.objects.count() == 1


@pytest.mark.parametrize("value", [0, 1700000000, "yesterday", True])
def test_a_start_that_is_no_date_and_time_text_is_422(api, user, value):
    response = api.post("/api/cramps/", {"started_at": value})

    assert_field_error(
        response, "started_at", "Enter a date and time, like 2026-11-22T03:15:00+01:00."
    )
    assert not Cramp.objects.exists()


def test_cramps_are_listed_by_day_and_patched_and_deleted(api, user):
    first = a_cramp(user, day=DAY, started_at=dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))
    a_cramp(user, day=DAY + dt.timedelta(days=3))
    listed = api.get("/api/cramps/", **{"from": str(DAY), "to": str(DAY)}).json()
    assert [c["id"] for c in listed] == [first.pk]

    response = api.patch(f"/api/cramps/{first.pk}/", {"severity": 4})
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.severity == 4 and first.day == DAY

    assert api.delete(f"/api/cramps/{first.pk}/").status_code == 204
    assert not Cramp.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_cramp_is_404(api, other_user, method):
    cramp = a_cramp(other_user, severity=2)
    url = f"/api/cramps/{cramp.pk}/"
    response = api.patch(url, {"severity": 9}) if method == "patch" else getattr(api, method)(url)
    assert response.status_code == 404
    assert response.json()["detail"] == "No such cramp in your diary."
    cramp.refresh_from_db()
    assert cramp.severity == 2


def test_supplements_are_logged_listed_patched_and_deleted(api, user):
    response = api.post(
        "/api/supplements/", {"date": str(DAY), "supplement": citrate().pk, "count": 2}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "2 tablets"
    assert body["supplement"]["amounts"] == [
        {"nutrient_id": 1090, "name": "Magnesium", "unit": "mg", "amount": 100.0}
    ]
    intake_id = body["id"]
    assert [i["id"] for i in api.get("/api/supplements/", date=str(DAY)).json()] == [intake_id]

    assert api.patch(f"/api/supplements/{intake_id}/", {"count": 1}).json()["amount"] == "1 tablet"
    assert api.delete(f"/api/supplements/{intake_id}/").status_code == 204
    assert not SupplementIntake.objects.exists()


def test_the_days_report_adds_supplements(api, user):
    api.post("/api/supplements/", {"date": str(DAY), "supplement": citrate().pk, "count": 2})
    day = api.get(f"/api/days/{DAY}/").json()
    magnesium = next(m for m in day["minerals"] if m["nutrient_id"] == 1090)
    assert magnesium["amount"] == 200.0


@pytest.mark.parametrize(
    "count, message",
    [(0, "Enter how many you took: more than 0."), (10000, None)],
)
def test_a_bad_count_is_422_and_logs_nothing(api, user, count, message):
    response = api.post(
        "/api/supplements/", {"date": str(DAY), "supplement": citrate().pk, "count": count}
    )
    assert_field_error(response, "count", message)
    assert not SupplementIntake.objects.exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_intake_is_404(api, other_user, method):
    intake = SupplementIntake.objects.create(
        user=other_user, day=DAY, supplement=citrate(), count=Decimal(3)
    )
    url = f"/api/supplements/{intake.pk}/"
    response = api.patch(url, {"count": 1}) if method == "patch" else getattr(api, method)(url)
    assert response.status_code == 404
    intake.refresh_from_db()
    assert intake.count == 3


def test_another_users_own_product_cannot_be_logged(api, other_user):
    theirs = Supplement.objects.create(owner=other_user, name="Bob's", unit="scoop")
    response = api.post(
        "/api/supplements/", {"date": str(DAY), "supplement": theirs.pk, "count": 1}
    )
    assert_field_error(response, "supplement", "Choose one of the supplements in the list.")
    names = [p["name"] for p in api.get("/api/supplements/products/").json()]
    assert "Bob's" not in names and "Magnesium citrate" in names


def daytime_cramp(user, day, **fields):
    started = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))
    return Cramp.objects.create(user=user, started_at=started, day=day, **fields)


def test_the_insights_say_how_many_cramp_days_are_still_needed(api, user):
    today = timezone.localdate()
    for offset in (5, 5, 10):  # three cramps on two days
        daytime_cramp(user, today - dt.timedelta(days=offset))
    body = api.get("/api/cramps/insights/", days=30).json()
    assert (body["days"], body["cramps"]) == (30, 3)
    assert (body["cramp_days_needed"], body["logged_days_needed"]) == (3, 2 + 5)
    assert body["measures_compared"] == 0
    magnesium = next(m for m in body["measures"] if m["key"] == "magnesium")
    assert (magnesium["cramp_days_needed"], magnesium["logged_days_needed"]) == (3, 7)
    assert magnesium["p_value"] is None and magnesium["p_adjusted"] is None
    assert magnesium["test"] == "Mann–Whitney U test" and not magnesium["pattern"]
    assert body["needs"].startswith("Needs cramps on 3 more days")
    assert "not a diagnosis" in body["note"]


def test_the_insights_averages_are_the_means_of_the_day_answers_percents(api, user, foods):
    today = timezone.localdate()
    profile = Profile.of(user)
    profile.birth_year, profile.sex, profile.target_source = 1980, "female", "reference"
    profile.save()
    for offset in range(1, 41):
        day = today - dt.timedelta(days=offset)
        test_api.log(user, foods["banana"], 100 + 7 * offset, day=day)
        test_api.log(user, foods["almonds"], 10 + offset % 9, day=day, slot="lunch")
        if offset % 6 == 0:
            daytime_cramp(user, day)
        if offset % 4 == 0:
            SupplementIntake.objects.create(user=user, day=day, supplement=citrate(), count=1)
    body = api.get("/api/cramps/insights/", days=90).json()
    assert body["measures_compared"] >= 4
    by_key = {m["key"]: m for m in body["measures"]}
    assert by_key["supplements"]["test"] == "Fisher’s exact test"
    before = [today - dt.timedelta(days=o + 1) for o in range(1, 41) if o % 6 == 0]
    assert body["before_cramp_days"] == len(before) == 6
    for key in ("potassium", "calcium", "magnesium"):
        percents = []
        for day in before:
            answer = api.get(f"/api/days/{day}/").json()
            percents += [m["percent"] for m in answer["minerals"] if m["name"].lower() == key]
        mean = sum(percents) / len(percents)
        assert by_key[key]["before_cramp_average"] == int(mean + 0.5), key
        assert by_key[key]["before_cramp_days"] == 6
        measure = by_key[key]
        assert measure["p_adjusted"] >= measure["p_value"]
        assert measure["pattern"] == (measure["p_adjusted"] < 0.05)


def test_an_unknown_span_is_422(api, user):
    assert_field_error(
        api.get("/api/cramps/insights/", days=7), "days", "Choose 30, 90 or 365 days."
    )


def test_a_time_without_an_offset_is_the_users_own(api, user):
    # Odd input found it: a naive time was a server error.
    profile = Profile.of(user)
    profile.time_zone = "America/New_York"
    profile.save()
    response = api.post("/api/cramps/", {"started_at": "2026-11-22T05:30"})
    assert response.status_code == 201, response.content
    started_at = dt.datetime.fromisoformat(response.json()["started_at"])
    assert started_at == dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.UTC)
    assert response.json()["date"] == "2026-11-21"


@pytest.mark.parametrize("started_at", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:00-05:00"])
def test_a_time_outside_the_diarys_years_is_422(api, user, started_at):
    response = api.post("/api/cramps/", {"started_at": started_at})
    assert_field_error(response, "started_at")
    assert not Cramp.objects.exists()


def test_the_cramps_list_comes_in_pages(api, user):
    for hour in range(7, 12):
        a_cramp(user, started_at=dt.datetime(2026, 11, 22, hour, tzinfo=dt.UTC), day=DAY)

    first = api.get("/api/cramps/", limit=2)
    second = api.get("/api/cramps/", limit=2, offset=2)
    last = api.get("/api/cramps/", limit=2, offset=4)

    pages = [first.json(), second.json(), last.json()]
    assert [len(page) for page in pages] == [2, 2, 1]
    started = [cramp["started_at"][11:13] for page in pages for cramp in page]
    assert started == ["07", "08", "09", "10", "11"]  # oldest first, each once


@pytest.mark.parametrize(
    "query",
    [{"limit": 501}, {"limit": 0}, {"offset": -1}, {"offset": 1209595526660768137216}],
)
def test_a_page_out_of_bounds_is_a_422(api, user, query):
    response = api.get("/api/cramps/", **query)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == list(query)


def test_without_a_limit_the_cramps_list_is_the_first_100(api, user):
    Cramp.objects.bulk_create(
        Cramp(
            user=user,
            started_at=dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=n),
            day=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(120)
    )

    assert len(api.get("/api/cramps/").json()) == 100
