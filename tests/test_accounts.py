"""Sign up, log in and out, passwords, and the profile's time zone."""

import datetime as dt
import inspect
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import F
from django.urls import reverse

from tests.conftest import PASSWORD
from tracker import views
from tracker.models import ApiToken, EmailNotice, Profile

NEW_PASSWORD = "another-long-password-2"


def sign_up(client, username="carol", email="carol@example.org", password=PASSWORD):
    return client.post(
        reverse("signup"),
        {"username": username, "email": email, "password1": password, "password2": password},
    )


@pytest.mark.django_db
def test_health_check_answers_ok_without_a_login_or_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_landing_page_says_what_the_app_does_and_links_to_sign_up_and_log_in(client):
    response = client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "potassium" in content and "magnesium" in content
    assert reverse("signup") in content and reverse("login") in content


def test_signed_in_visitor_of_the_landing_page_goes_to_the_diary(user_client):
    response = user_client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("tracker:today")


@pytest.mark.django_db
def test_sign_up_logs_in_and_log_out_logs_out(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("tracker:today")
    diary = client.get(reverse("tracker:today"))
    assert diary.status_code == 200
    assert diary.context["user"].username == "carol"
    assert Profile.objects.filter(user__username="carol").exists()

    client.post(reverse("logout"))

    assert client.get(reverse("tracker:today")).status_code == 302


@pytest.mark.django_db
def test_sign_up_with_mismatched_passwords_shows_the_error_and_creates_nobody(client):
    response = client.post(
        reverse("signup"),
        {"username": "dan", "email": "dan@example.org", "password1": PASSWORD, "password2": "nope"},
    )

    assert response.status_code == 200
    assert "password fields didn’t match" in response.content.decode()
    assert not get_user_model().objects.filter(username="dan").exists()


def test_sign_up_with_an_email_in_use_does_not_say_so_and_tells_its_owner(client, user):
    other_client = type(client)()
    fresh = sign_up(other_client, username="carol2", email="carol2@example.org")
    mail.outbox.clear()

    response = sign_up(client, username="alice2", email=user.email.upper())

    # The same answer as for a new address: nobody learns that alice's is registered.
    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"]
    assert get_user_model().objects.filter(username="alice2").exists()
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "alice2" in message.body and "“alice”" not in message.body
    assert '"alice"' in message.body
    assert "/accounts/password_reset/" in message.body


def test_many_sign_ups_with_one_email_send_it_one_email_a_day(client, user):
    for number in range(6):
        sign_up(type(client)(), username=f"spam{number}", email=user.email)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]

    # A day later, one more.
    EmailNotice.objects.update(sent_at=F("sent_at") - dt.timedelta(days=1, seconds=1))
    sign_up(type(client)(), username="later", email=user.email)
    assert len(mail.outbox) == 2
    assert '"alice"' in mail.outbox[1].body and "spam0" in mail.outbox[1].body


def test_the_email_about_a_sign_up_is_sent_after_the_answer(client, user, monkeypatch):
    sent_while = []

    def record(*args, **kwargs):
        sent_while.append([frame.function for frame in inspect.stack()])

    monkeypatch.setattr(views, "send_mail", record)
    sign_up(client, username="alice2", email=user.email)

    [stack] = sent_while
    assert "close" in stack  # the response's close, once it has been sent
    assert "signup" not in stack


def test_sign_up_with_a_new_email_sends_no_email(client, db):
    sign_up(client)

    assert mail.outbox == []


def test_log_in_with_the_right_password_reaches_the_diary(client, user):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("tracker:today")


def test_log_in_with_a_wrong_password_says_so(client, user):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/day/", "/day/2026-11-22/", "/accounts/profile/"])
def test_anonymous_visitor_of_a_diary_page_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_change_password(user_client, user):
    response = user_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Reset your Cramp Tracker password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_saves_the_time_zone(user_client, user):
    response = user_client.post(
        reverse("profile"), {"time_zone": "Pacific/Auckland", "water_target_ml": "2700"}
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=user).time_zone == "Pacific/Auckland"


def test_profile_refuses_an_unknown_time_zone(user_client, user):
    response = user_client.post(
        reverse("profile"), {"time_zone": "Mars/Olympus", "water_target_ml": "2700"}
    )

    assert response.status_code == 200
    assert "Choose a time zone from the list" in response.content.decode()
    assert Profile.objects.get(user=user).time_zone == "UTC"


def test_the_time_zone_list_is_grouped_by_region_without_legacy_names(user_client):
    content = user_client.get(reverse("profile")).content.decode()
    select = content.split('<select name="time_zone"')[1].split("</select>")[0]

    assert '<optgroup label="Europe">' in select
    assert '<optgroup label="America">' in select
    assert '<option value="Europe/Paris">Paris</option>' in select
    assert 'value="UTC" selected' in select
    for legacy in ("Factory", "localtime", "US/Eastern", "Etc/GMT+5", "GB", "posixrules"):
        assert f'value="{legacy}"' not in select
    assert select.count("<option") < 500  # the raw database lists about 600


def test_a_legacy_time_zone_a_profile_holds_stays_choosable(user_client, user):
    Profile.objects.filter(user=user).update(time_zone="US/Eastern")

    content = user_client.get(reverse("profile")).content.decode()
    response = user_client.post(
        reverse("profile"), {"time_zone": "US/Eastern", "water_target_ml": "2700"}
    )

    assert 'value="US/Eastern" selected' in content
    assert response.status_code == 302
    assert Profile.objects.get(user=user).time_zone == "US/Eastern"


@pytest.mark.parametrize(
    ("zone", "expected_day"),
    [("Pacific/Kiritimati", dt.date(2026, 11, 23)), ("Pacific/Pago_Pago", dt.date(2026, 11, 21))],
)
def test_today_is_today_in_the_users_time_zone(user_client, user, zone, expected_day, monkeypatch):
    # 2026-11-22 10:30 UTC is already the 23rd at UTC+14 and still the 21st at UTC-11.
    morning_utc = dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: morning_utc)
    Profile.objects.filter(user=user).update(time_zone=zone)

    response = user_client.get(reverse("tracker:today"))

    assert response.context["day"] == expected_day


def test_a_password_change_revokes_the_users_api_tokens_and_the_page_says_so(
    client, user, other_user
):
    _, token = ApiToken.create_for(user, "phone")
    ApiToken.create_for(other_user, "bob's")
    client.force_login(user)
    page = client.get(reverse("password_change"))

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "also revokes your API tokens" in page.text
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    assert ApiToken.objects.filter(user=other_user).count() == 1
    api = client.get("/api/foods/?q=banana", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_a_wrong_old_password_revokes_nothing(client, user):
    ApiToken.create_for(user, "phone")
    client.force_login(user)

    client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_password_reset_revokes_the_tokens_too(client, user):
    ApiToken.create_for(user, "phone")
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url

    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("username", ["a" * 256, "ﷺ" * 20, "x" * 151])
def test_a_user_name_too_long_to_exist_is_refused_at_the_field_and_not_recorded(
    client, user, username
):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": username, "password": "whatever"})

    assert response.status_code == 200
    assert "No user name is that long: they have at most 150 characters." in response.text
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    ("url", "data", "messages"),
    [
        (
            "signup",
            {"email": "not an address"},
            [
                "Choose a user name.",
                "Enter an email address, like name@example.org.",
                "Choose a password.",
                "Type the password again.",
            ],
        ),
        ("login", {"username": ""}, ["Enter your user name.", "Enter your password."]),
    ],
)
def test_sign_up_and_log_in_say_what_is_missing_in_our_words(client, db, url, data, messages):
    page = client.post(reverse(url), data).content.decode()

    for message in messages:
        assert message in page
    assert "This field is required." not in page
    assert "Enter a valid email address." not in page
