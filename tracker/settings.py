"""Cramp Tracker settings: one module, read top to bottom.

Every knob is an environment variable with a safe development default, so that
`python manage.py runserver` works with nothing set. With DEBUG off the production
hardening switches on and SECRET_KEY becomes required.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number setting: unset or empty means the default; anything else that is no
    whole number from `minimum` stops start-up with one line naming the setting and the
    value (SystemExit, not a traceback), for manage.py and gunicorn alike."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise SystemExit(f"{name} must be a whole number from {minimum}, not {value!r}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # SystemExit prints one line instead of a traceback, for manage.py and gunicorn alike.
        raise SystemExit(
            "SECRET_KEY must be set when DEBUG is off (for example SECRET_KEY=$(openssl rand -hex 32))."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # apnumber: "at least two letters"
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # Serves the API docs' Swagger UI from our own static files instead of a CDN.
    "ninja",
    "axes",
    "csp",
    "nutrients",
    "tracker",
]

# Called by nutrients.models.food_values_changed with the ids of foods whose values staff
# or the importer changed: the diary's per-day totals of those foods' days are recomputed.
FOOD_VALUES_CHANGED = ["tracker.models.refresh_days_with_foods"]
# What the admin asks before a staff save: how many diary days of how many people it re-adds.
FOOD_DIARY_DAYS = "tracker.models.count_days_with_foods"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.permissions_policy",
    "tracker.middleware.private_no_store",
    "tracker.middleware.api_errors_in_json",
    # Outside the session's middleware, so that the session saved after a write is part
    # of the write's one transaction (tracker/page_cache.py).
    "tracker.page_cache.one_write_transaction",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read in the session's query (tracker/sessions.py).
    "tracker.middleware.SessionUserMiddleware",
    "tracker.middleware.user_profile",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: it turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Pages kept per process (tracker/page_cache.py), keyed on the revisions of what they show.
# 50–110 KB a page (a year of history): at most about 55 MB a process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite needs no setup; DATABASE_URL=postgres://user@host:5432/name switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions wait for the write lock instead of failing with
    # "database is locked"; WAL lets readers go on while one request writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The tests' database is a file too, one per test run, not Django's in-memory one:
    # the browser tests' live server hands an in-memory database's one connection to all
    # its request threads, so that two requests at once ran inside each other's
    # transaction and one failed ("database table is locked"); with a file each request
    # has a connection of its own, as under gunicorn.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"cramp-tracker-test-{os.getpid()}.sqlite3")
    }
# A stalled database must not stall every worker: in a process that serves requests
# (tracker/wsgi.py sets DB_REQUEST_TIMEOUTS=1), PostgreSQL cancels a statement after
# DB_STATEMENT_TIMEOUT_MS and gives up waiting for a lock after DB_LOCK_TIMEOUT_MS, and
# the request answers 503 with Retry-After (tracker/health.py). manage.py commands go
# without: an import or a migration may rightly run one statement for minutes.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 5000)
DB_LOCK_TIMEOUT_MS = env_int("DB_LOCK_TIMEOUT_MS", 3000)
DB_CONNECT_TIMEOUT_S = env_int("DB_CONNECT_TIMEOUT_S", 3)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": DB_CONNECT_TIMEOUT_S}
    # Prepared statements: each connection parses and plans a statement it runs again
    # and again (every add runs the same twelve) once, from its 5th run, not on every
    # run. They need the parameters bound by the server, not pasted into the SQL. Off
    # behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
    if env_bool("DB_REQUEST_TIMEOUTS", False):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} -c lock_timeout={DB_LOCK_TIMEOUT_MS}"
        )
# The readiness check (/readyz) gives the database this long to answer.
READINESS_TIMEOUT_MS = env_int("READINESS_TIMEOUT_MS", 1000, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes' backend authenticates nobody: it refuses a locked-out login before ModelBackend
# checks the password. The standalone one leaves permissions to ModelBackend alone.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that reads the profile with the user (tracker/middleware.py).
    "tracker.middleware.UserWithProfileBackend",
    # Only for sessions signed in before the line above, which name this backend.
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracker:today"
LOGOUT_REDIRECT_URL = "home"

# Sessions live in the database, so any number of app servers can share one PostgreSQL.
# Each keeps the user it is signed in as, so that deleting an account takes its sessions
# by an index (tracker/sessions.py).
SESSION_ENGINE = "tracker.sessions"

# Login throttling (django-axes, attempts kept in the database like the sessions).
# A login is refused for AXES_COOLOFF_MINUTES after AXES_FAILURE_LIMIT wrong passwords
# from one address, whatever user names they tried (a new name each try gets no more
# guesses), and a locked-out try is refused before any password is hashed (axes' backend
# comes first). Not by user name alone: anyone could then lock a person out from
# everywhere by typing their name. The price: one bad guess-maker pauses logging in for
# an office or mobile network behind the same address for the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# A right password forgets the earlier typos: they were the owner's.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.views.locked_out"
# Without it axes prints a banner at every manage.py command; failed logins are still logged.
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
# English only: without translation machinery Django skips a language lookup for every
# number and date a page shows (a sixth of the day page's rendering).
USE_I18N = False
# Formats then come from settings rather than the locale: "4,700 mg", as in English.
NUMBER_GROUPING = 3
# The server's zone; each user's profile picks their own, and "today" follows it.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development whitenoise finds files in place; in production it serves STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cramp Tracker <noreply@localhost>")

# Production hardening: on whenever DEBUG is off, each switch overridable for a
# deployment that terminates TLS elsewhere.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer checks each server over plain HTTP: a redirect would mark it down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Not readable by JavaScript (none of ours needs it), and not sent along when another
# site posts a form or loads a frame of ours. The CSRF cookie stays readable on purpose:
# API clients using a session send its value back as X-CSRFToken.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if env_bool("BEHIND_PROXY", False):
    # The load balancer terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Each proxy appends the address it was called from to X-Forwarded-For, so the
    # client is the PROXY_COUNT-th address from the right; the ones to its left the
    # client may have written itself. (ipware counts only the proxies named in the
    # header: not the last one, which is REMOTE_ADDR. Not strict: a longer header is
    # still read from the right instead of being ignored.)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1, minimum=1) - 1
    IPWARE_STRICT = False

# Content Security Policy (django-csp): scripts, styles, images and requests only from
# this site, no inline script or style, no plugins, and no framing by anyone. Pages and
# htmx work within it; the admin and the API docs too (checked in tests/browser/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
