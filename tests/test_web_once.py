"""Every form of the web that adds carries a one-time key: a double click, a resend after
a lost answer, or twenty of them at once store one row (tracker/once.py); and an edit of a
cramp or a supplement taken, from a form opened before another change, saves nothing."""

import re
from datetime import date
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from nutrients.models import Food
from tests.conftest import concurrently
from tracker.models import ApiToken, Cramp, Supplement, SupplementIntake
from tracker.once import new_key

DAY = date(2026, 11, 22)
HTMX = {"HX-Request": "true"}


def citrate() -> Supplement:
    return Supplement.objects.get(owner=None, name="Magnesium citrate")


# Each adding form: the page that shows it, where it posts, what it sends, what it adds.
ADDS = {
    "cramp now": (
        lambda: reverse("tracker:day", args=[DAY]),
        lambda: reverse("cramp_now"),
        lambda: {},
        lambda user: Cramp.objects.filter(user=user).count(),
    ),
    "earlier cramp": (
        lambda: reverse("cramp_new"),
        lambda: reverse("cramp_new"),
        lambda: {"started_at": "2026-11-21T22:00", "severity": "5"},
        lambda user: Cramp.objects.filter(user=user).count(),
    ),
    "supplement taken": (
        lambda: reverse("tracker:day", args=[DAY]),
        lambda: reverse("intake_add", args=[DAY]),
        lambda: {"supplement": citrate().pk, "count": "2"},
        lambda user: SupplementIntake.objects.filter(user=user).count(),
    ),
    "own food": (
        lambda: reverse("own_food_create"),
        lambda: reverse("own_food_create"),
        lambda: {"name": "Peanut bar", "serving_description": "1 bar", "serving_grams": "40"},
        lambda user: Food.objects.filter(owner=user).count(),
    ),
    "own supplement": (
        lambda: reverse("supplements"),
        lambda: reverse("supplements"),
        lambda: {
            "name": "Mag-Ox 400",
            "unit": "tablet",
            "ingredient": "compound:magnesium_oxide",
            "amount": "400",
        },
        lambda user: Supplement.objects.filter(owner=user).count(),
    ),
    "api token": (
        lambda: reverse("profile"),
        lambda: reverse("api_token_create"),
        lambda: {"name": "phone"},
        lambda user: ApiToken.objects.filter(user=user).count(),
    ),
}


@pytest.mark.parametrize("kind", ADDS)
def test_every_adding_form_carries_a_one_time_key(user_client, shipped_supplements, kind):
    page_url, post_url, _, _ = ADDS[kind]
    page = user_client.get(page_url()).content.decode()

    form = re.search(rf'<form[^>]*action="{re.escape(post_url())}"(.*?)</form>', page, re.S)
    own_form = form.group(1) if form else page  # a form that posts to its own page
    assert re.search(r'name="once" value="[0-9a-f]{32}"', own_form), kind


@pytest.mark.parametrize("kind", ADDS)
def test_every_adding_form_sent_twice_with_its_key_adds_once(
    user_client, user, shipped_supplements, kind
):
    _, post_url, data, count = ADDS[kind]
    sent = {**data(), "once": new_key()}

    first = user_client.post(post_url(), sent)
    second = user_client.post(post_url(), sent, follow=True)

    assert first.status_code == 302
    assert "That was sent twice; it is saved once." in second.content.decode()
    assert count(user) == 1


def test_a_double_cramp_now_leads_to_the_first_cramps_details(user_client, user):
    key = new_key()

    first = user_client.post(reverse("cramp_now"), {"once": key})
    second = user_client.post(reverse("cramp_now"), {"once": key})

    assert second.url == first.url == reverse("cramp_edit", args=[Cramp.objects.get().pk])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ADDS)
def test_twenty_double_posts_at_once_of_every_adding_form_add_twenty(
    user, shipped_supplements, kind
):
    _, post_url, data, count = ADDS[kind]
    signed_in = Client()
    signed_in.force_login(user)
    url, body = post_url(), data()

    def send(key: str):
        client = Client(raise_request_exception=False)
        client.cookies = signed_in.cookies
        return client.post(url, {**body, "once": key})

    keys = [new_key() for _ in range(20)]
    answers = concurrently([partial(send, key) for key in keys for _ in range(2)])

    assert {a.status_code for a in answers} == {302}
    assert count(user) == 20


# --- Edits of cramps and supplements taken, from a form opened before another change ----


def test_a_cramp_edit_from_a_form_opened_before_another_change_is_not_saved(user_client, user):
    cramp = Cramp.objects.create(user=user, started_at="2026-11-22T08:00Z", day=DAY, severity=5)
    opened = user_client.get(reverse("cramp_edit", args=[cramp.pk]), headers=HTMX).text
    version = re.search(r'name="version" value="(\d+)"', opened).group(1)
    cramp.severity = 2
    cramp.save()  # elsewhere: another tab, the API

    data = {"started_at": "2026-11-22T09:00", "severity": "8", "version": version}
    stale = user_client.post(reverse("cramp_edit", args=[cramp.pk]), data, headers=HTMX)
    cramp.refresh_from_db()

    assert "changed elsewhere since you opened it" in stale.text
    assert "severity 2" in stale.text  # what it holds now
    assert cramp.severity == 2
    again = re.search(r'name="version" value="(\d+)"', stale.text).group(1)
    saved = user_client.post(
        reverse("cramp_edit", args=[cramp.pk]), {**data, "version": again}, headers=HTMX
    )
    cramp.refresh_from_db()
    assert "Cramp saved" in saved.text
    assert cramp.severity == 8


def test_an_intake_edit_from_a_form_opened_before_another_change_is_not_saved(
    user_client, user, shipped_supplements
):
    intake = SupplementIntake.objects.create(user=user, day=DAY, supplement=citrate(), count=1)
    opened = user_client.get(reverse("intake_edit", args=[intake.pk]), headers=HTMX).text
    version = re.search(r'name="version" value="(\d+)"', opened).group(1)
    intake.count = 3
    intake.save()

    stale = user_client.post(
        reverse("intake_edit", args=[intake.pk]), {"count": "2", "version": version}, headers=HTMX
    )
    intake.refresh_from_db()

    assert "changed elsewhere since you opened it: it is now 3 tablets" in stale.text
    assert intake.count == 3
    again = re.search(r'name="version" value="(\d+)"', stale.text).group(1)
    user_client.post(
        reverse("intake_edit", args=[intake.pk]), {"count": "2", "version": again}, headers=HTMX
    )
    intake.refresh_from_db()
    assert intake.count == 2
