"""Hardening: login throttling, the Content Security Policy and the other security headers,
and secure cookies with DEBUG off."""

import json
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db.models import F
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.test_settings import LONG_SECRET, run_python

WRONG = "not-the-password"
NEW_PASSWORD = "another-long-password-2"
LOCKED_OUT = "Too many failed logins"

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


@pytest.fixture(autouse=True)
def five_tries_fifteen_minutes(settings):
    """The defaults, whatever AXES_* the environment running the tests has set."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def log_in(client, username="alice", password=PASSWORD, address="127.0.0.1", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_to_log_in(client, times, username="alice", address="127.0.0.1"):
    for _ in range(times):
        response = log_in(client, username, WRONG, address)
    return response


def policy_of(response) -> dict[str, list[str]]:
    directives = (d.split() for d in response["Content-Security-Policy"].split(";") if d.strip())
    return {name: sources for name, *sources in directives}


# --- Login throttling ------------------------------------------------------------------


def test_four_wrong_passwords_still_let_the_right_one_in(client, user):
    fail_to_log_in(client, 4)

    response = log_in(client)

    assert response.status_code == 302
    assert response.url == reverse("tracker:today")


def test_after_five_wrong_passwords_even_the_right_one_gets_the_lockout_page(client, user):
    fail_to_log_in(client, 5)

    response = log_in(client)

    content = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_OUT in content
    assert "Wait 15 minutes" in content
    assert reverse("password_reset") in content
    assert 'class="site-header"' in content  # the site's own page, not a bare message
    assert policy_of(response) == POLICY
    assert client.get(reverse("tracker:today")).status_code == 302  # not logged in


def test_the_fifth_wrong_password_already_says_why_the_next_try_will_fail(client, user):
    response = fail_to_log_in(client, 5)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()


def test_wrong_passwords_from_one_address_count_across_user_names(client, user, other_user):
    """A new user name each try gets no more guesses: the address is paused."""
    for number in range(5):
        log_in(client, username=f"guess{number}", password=WRONG)

    response = log_in(client, username="bob")

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often a password is hashed."""

    algorithm = "md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.test_hardening.CountingHasher"]
    CountingHasher.hashed = 0
    return CountingHasher


def test_a_wrong_password_is_hashed_once(client, make_user, hashes):
    make_user("alice")
    hashes.hashed = 0

    log_in(client, password=WRONG)

    assert hashes.hashed == 1


def test_an_unknown_user_name_costs_one_hash_as_a_known_one_does(client, db, hashes):
    log_in(client, username="nobody", password=WRONG)

    assert hashes.hashed == 1  # the same time as a wrong password: no name is told


def test_a_try_from_a_paused_address_is_refused_without_hashing_a_password(
    client, make_user, hashes
):
    make_user("alice")
    fail_to_log_in(client, 5)
    hashes.hashed = 0

    for number in range(10):
        assert log_in(client, username=f"other{number}").status_code == 429

    assert hashes.hashed == 0


def test_a_lockout_leaves_the_same_user_at_another_address_alone(client, user):
    """Whoever guesses at alice's password cannot lock her out of her own phone."""
    fail_to_log_in(client, 5, address="203.0.113.9")

    response = log_in(client, address="198.51.100.7")

    assert response.status_code == 302


def test_the_lockout_lifts_after_fifteen_minutes(client, user):
    fail_to_log_in(client, 5)
    assert log_in(client).status_code == 429

    # Sixteen minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = log_in(client)

    assert response.status_code == 302
    assert response.url == reverse("tracker:today")


def test_a_try_during_the_pause_starts_it_over(client, user):
    fail_to_log_in(client, 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert log_in(client).status_code == 429

    # Twenty minutes after the fifth wrong password, ten after the last try.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    response = log_in(client)

    assert response.status_code == 429


def test_a_right_password_forgets_the_typos_before_it(client, user):
    fail_to_log_in(client, 4)
    assert log_in(client).status_code == 302
    client.post(reverse("logout"))

    fail_to_log_in(client, 4)
    response = log_in(client)

    assert response.status_code == 302


def test_setting_a_new_password_by_email_lifts_the_lockout(client, user):
    fail_to_log_in(client, 5)

    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    response = log_in(client, password=NEW_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("tracker:today")


def test_the_admin_login_is_throttled_too(client, make_user):
    make_user("alice", is_staff=True)
    admin_login = reverse("admin:login")
    for _ in range(5):
        log_in(client, password=WRONG, url=admin_login)

    response = log_in(client, url=admin_login)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()


def test_the_admin_login_lets_staff_in(client, make_user):
    make_user("alice", is_staff=True)

    response = log_in(client, url=reverse("admin:login") + "?next=/admin/")

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# --- Headers on every page -------------------------------------------------------------

ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]
SIGNED_IN_PAGES = [
    "/day/",
    "/day/2026-01-15/",
    "/day/2026-01-15/report/",
    "/foods/",
    "/foods/new/",
    "/accounts/profile/",
    "/export/",
    "/admin/",
    "/admin/nutrients/food/",
    "/api/docs",
]


def assert_hardened(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert policy_of(response) == POLICY
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_every_page_for_visitors_carries_the_security_headers(client, path):
    assert_hardened(client.get(path))


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_every_page_for_a_signed_in_user_carries_the_security_headers(client, make_user, path):
    client.force_login(make_user("alice", is_staff=True, is_superuser=True))

    assert_hardened(client.get(path))


def test_htmx_fragments_carry_the_policy_too(user_client, foods):
    response = user_client.get(
        "/day/2026-01-15/?q=banan",
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )

    assert "Bananas, raw" in response.content.decode()
    assert_hardened(response)


def test_no_template_holds_an_inline_script_style_or_event_handler():
    """The policy refuses them: such a thing would silently not work in the browser."""
    from tests.conftest import PROJECT_ROOT

    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|\shx-on[:-]", re.I
    )
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}"
        for path in (PROJECT_ROOT / "templates").rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]

    assert offenders == []


# --- DEBUG off: secure cookies and HSTS ------------------------------------------------

LOG_IN_OVER_HTTPS = """
import json
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client
call_command("migrate", verbosity=0)
get_user_model().objects.create_user("alice", password="a-long-test-password-1")
response = Client().post(
    "/accounts/login/",
    {"username": "alice", "password": "a-long-test-password-1"},
    secure=True,
    headers={"host": "example.org"},
)
cookies = {
    name: {key: morsel[key] for key in ("secure", "httponly", "samesite")}
    for name, morsel in response.cookies.items()
}
print(json.dumps({
    "status": response.status_code,
    "cookies": cookies,
    "hsts": response.get("Strict-Transport-Security"),
    "csp": response.get("Content-Security-Policy"),
}))
"""


def test_with_debug_off_logging_in_sets_secure_cookies_and_hsts():
    result = run_python(
        LOG_IN_OVER_HTTPS,
        DEBUG="0",
        SECRET_KEY=LONG_SECRET,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="sqlite://:memory:",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["status"] == 302
    assert seen["cookies"]["sessionid"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["cookies"]["csrftoken"] == {"secure": True, "httponly": "", "samesite": "Lax"}
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in seen["csp"]


# --- Behind a proxy: whose address the lockout counts ----------------------------------

CLIENT_ADDRESSES = """
import django
django.setup()
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
for forwarded_for in {headers!r}:
    extra = {{"HTTP_X_FORWARDED_FOR": forwarded_for}} if forwarded_for else {{}}
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.2", **extra)
    print(get_client_ip_address(request))
"""


def client_addresses(headers: list[str | None], **env: str) -> list[str]:
    result = run_python(CLIENT_ADDRESSES.format(headers=headers), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw():
    headers = [
        "203.0.113.9",  # as the proxy forwards a plain request
        "6.6.6.6, 203.0.113.9",  # the client wrote an X-Forwarded-For of its own
        None,  # straight to the app, past the proxy
    ]

    assert client_addresses(headers, BEHIND_PROXY="1") == ["203.0.113.9", "203.0.113.9", "10.0.0.2"]


def test_behind_two_proxies_the_lockout_counts_the_address_the_outer_one_saw():
    headers = ["6.6.6.6, 203.0.113.9, 198.51.100.1"]

    assert client_addresses(headers, BEHIND_PROXY="1", PROXY_COUNT="2") == ["203.0.113.9"]


def test_without_a_proxy_x_forwarded_for_is_ignored():
    """Anyone could write one: with no proxy in front, it would undo the lockout."""
    assert client_addresses(["203.0.113.9"]) == ["10.0.0.2"]
