"""Settings read the environment: the database switch, the DEBUG-off requirements."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import PROJECT_ROOT

LONG_SECRET = "x7Qm2vR9pL4sT8wZ1yB6nC3dF5gH0jK_aE-uI!oP@qS#tV$wX%yZ^bN&cM*dL(eK)"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    ignored = {
        "DATABASE_URL",
        "DEBUG",
        "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DB_REQUEST_TIMEOUTS",
        "DB_PREPARED_STATEMENTS",
    }
    clean_env = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python(
        f"import sys; sys.argv = ['manage.py', *{list(args)!r}]; "
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(sys.argv)",
        **env,
    )


ENGINE = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"


def test_sqlite_is_the_default_database():
    result = run_python(ENGINE)

    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_switches_to_postgresql():
    result = run_python(ENGINE, DATABASE_URL="postgres://someone@db.example:5432/cramp")

    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_the_suite_runs_on_the_database_that_database_url_names():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    assert connection.vendor == expected


def test_missing_secret_key_with_debug_off_is_a_one_line_error():
    result = run_manage("check", DEBUG="0")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "SECRET_KEY must be set when DEBUG is off (for example SECRET_KEY=$(openssl rand -hex 32))."
    )
    assert "Traceback" not in result.stderr


def test_deploy_check_is_clean_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=LONG_SECRET,
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_debug_is_on_for_truthy_values(value):
    result = run_python("from django.conf import settings; print(settings.DEBUG)", DEBUG=value)

    assert result.stdout.strip() == "True"


def test_the_web_process_gets_postgresql_statement_and_lock_time_outs_from_the_environment():
    result = run_python(
        "import tracker.wsgi; from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'])",
        DATABASE_URL="postgres://someone@db.example:5432/cramp",
        DB_STATEMENT_TIMEOUT_MS="1500",
        DB_LOCK_TIMEOUT_MS="700",
    )

    assert "'options': '-c statement_timeout=1500 -c lock_timeout=700'" in result.stdout
    assert "'connect_timeout': 3" in result.stdout


def test_manage_py_commands_run_without_the_time_outs_as_an_import_needs():
    result = run_python(
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DATABASE_URL="postgres://someone@db.example:5432/cramp",
    )

    assert "statement_timeout" not in result.stdout
    assert "'connect_timeout': 3" in result.stdout


OPTIONS = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"


def test_postgresql_connections_prepare_the_statements_they_run_again():
    prepared = run_python(OPTIONS, DATABASE_URL="postgres://someone@db.example:5432/cramp")
    behind_a_pooler = run_python(
        OPTIONS, DATABASE_URL="postgres://someone@db.example:5432/cramp", DB_PREPARED_STATEMENTS="0"
    )

    assert "'server_side_binding': True" in prepared.stdout
    assert "'prepare_threshold': 5" in prepared.stdout
    assert "server_side_binding" not in behind_a_pooler.stdout
    assert "prepare_threshold" not in behind_a_pooler.stdout


NUMERIC_SETTINGS = [
    "CONN_MAX_AGE",
    "DB_STATEMENT_TIMEOUT_MS",
    "DB_LOCK_TIMEOUT_MS",
    "DB_CONNECT_TIMEOUT_S",
    "READINESS_TIMEOUT_MS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "EMAIL_PORT",
    "SECURE_HSTS_SECONDS",
    "PROXY_COUNT",
]


def test_every_numeric_setting_is_read_through_env_int():
    source = (PROJECT_ROOT / "tracker" / "settings.py").read_text()

    assert "int(os.environ" not in source
    for name in NUMERIC_SETTINGS:
        assert f'env_int("{name}"' in source


@pytest.mark.parametrize("name", NUMERIC_SETTINGS)
def test_a_bad_numeric_setting_is_one_line_naming_it_and_its_value(name):
    result = run_manage("check", **{name: "12x", "BEHIND_PROXY": "1"})

    assert result.returncode == 1
    assert result.stderr.strip().endswith(f"{name} must be a whole number from 0, not '12x'.") or (
        f"{name} must be a whole number from 1, not '12x'." in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_an_empty_numeric_setting_means_its_default():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.AXES_FAILURE_LIMIT)",
        SECURE_HSTS_SECONDS="",
        AXES_FAILURE_LIMIT="",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "5"]


@pytest.mark.django_db
def test_a_statement_run_again_is_prepared_once_on_postgresql_only(settings):
    from django.contrib.auth import get_user_model

    for _ in range(6):
        list(get_user_model().objects.filter(pk=-1))

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [statement for (statement,) in cursor.fetchall()]
        assert any('FROM "auth_user"' in statement for statement in prepared)
    else:  # sqlite3.connect() would refuse psycopg's options
        options = settings.DATABASES["default"]["OPTIONS"]
        assert "prepare_threshold" not in options
        assert "server_side_binding" not in options
