"""What the benchmarks share: where the data is, fresh databases, the app under gunicorn
as in production (DEBUG off, 2 sync workers), a diary with a year of history, the search
queries and percentiles.

Settings are read once per process, so each benchmark sets a database up in a child
process of its own (`setup_django()` there) and serves it with `running_gunicorn()`.
"""

import io
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# This checkout's packages before any other: the shared virtualenv's editable install
# maps `nutrients` and `tracker` to the main checkout, so a benchmark run from another
# worktree would otherwise set up and count with that checkout's code (and migrations)
# while its gunicorns (which put their own folder first) serve this one's.
sys.path.insert(0, str(PROJECT_ROOT))
SR_LEGACY = PROJECT_ROOT.parent / "shared" / "data" / "fdc-sr-legacy"
WORKERS = 2
BENCH_SECRET_KEY = "bench-only-not-secret-" + "x" * 40
GUNICORN = Path(sys.executable).with_name("gunicorn")

# What people type to find the foods the product is about, and everyday foods besides.
SEARCH_QUERIES = (
    "banana", "almonds", "spinach", "spinach raw", "yogurt", "greek yogurt", "salmon",
    "sweet potato", "cheddar", "oats", "tofu", "kale", "milk", "whole milk", "soymilk",
    "orange", "potato", "tomato", "edamame", "tuna", "sardines", "cashews", "walnuts",
    "pumpkin seeds", "sunflower seeds", "chia", "brown rice", "whole wheat bread",
    "butternut squash", "wheat bran", "oat bran", "lima beans", "mackerel", "mushrooms",
    "broccoli", "water", "avocado", "black beans", "lentils", "chickpeas", "peanut butter",
    "egg", "chicken breast", "beef", "apple", "raisins", "quinoa", "collards",
    "dark chocolate", "cottage cheese",
    # Everyday words whose everyday form must come first, typos, other spellings.
    "coffee", "tea", "beer", "oatmeal", "beans", "rice", "cheese", "chicken", "orange juice",
    "bananna", "brocoli", "spinnach", "avacado", "strawberies", "chiken",
    "yoghurt", "courgette", "aubergine", "porridge", "mince", "prawns", "beetroot",
)  # fmt: skip


def percentile(sorted_ms: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_ms[max(0, math.ceil(fraction * len(sorted_ms)) - 1)]


def recreate_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_env(database_url: str) -> dict[str, str]:
    """Production settings, but plain HTTP on the loopback and quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": BENCH_SECRET_KEY,
        # testserver: the setup process measures queries per page with Django's client.
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def fresh_databases(postgres_url: str, include_postgres: bool = True) -> Iterator[list[tuple]]:
    """(name, DATABASE_URL) of an empty SQLite file and, unless left out, of a PostgreSQL
    database dropped and created again."""
    with tempfile.TemporaryDirectory(prefix="cramp_bench_") as folder:
        databases = [("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")]
        if include_postgres:
            recreate_postgres_database(postgres_url)
            databases.append(("PostgreSQL", postgres_url))
        yield databases


def run_child(script: str, args: list[str], env: dict[str, str]) -> str:
    """Run a benchmark script's setup step as its own process; its standard output."""
    done = subprocess.run(
        [sys.executable, script, *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"{Path(script).name} {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextmanager
def running_gunicorn(env: dict[str, str], port: int, log_path: Path) -> Iterator[str]:
    """gunicorn serving the app on 127.0.0.1:port until the block ends; its base URL."""
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "a") as log:
        command = [str(GUNICORN), "tracker.wsgi", "--bind", f"127.0.0.1:{port}"]
        server = subprocess.Popen(
            [*command, "--workers", str(WORKERS), "--error-logfile", "-"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_up(base_url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see its log")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer at {base_url} within 30 s")


# --- inside a setup process ------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def prepare_site() -> int:
    """Collect the static files (as `make serve` does), migrate, and import the whole
    SR Legacy folder and the seed foods; how many foods."""
    from django.core.management import call_command

    from nutrients.models import Food

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    quiet = io.StringIO()
    call_command("import_fdc", str(SR_LEGACY), stdout=quiet)
    call_command("seed_foods", stdout=quiet)
    return Food.objects.count()


def make_user(username: str, password: str | None = None):
    from django.contrib.auth import get_user_model

    from tracker.models import Profile

    user = get_user_model().objects.create_user(username, password=password)
    Profile.objects.create(user=user)
    return user


def medium_banana() -> dict[str, int]:
    """The food and portion that the adds log: one medium banana."""
    from nutrients.models import Food

    banana = Food.objects.get(fdc_id=173944)
    return {"food": banana.pk, "portion": banana.portions.get(description__contains="medium").pk}


# How a day's entries spread over its meals: 15 in all.
ENTRIES_PER_SLOT = {"breakfast": 4, "lunch": 4, "dinner": 4, "snacks": 3}


def add_history(user, last_day: date, days: int, foods: int = 80) -> int:
    """`days` days up to last_day, each with 15 entries of everyday foods in household
    portions (always the same ones, by a fixed seed); how many entries."""
    from nutrients.models import Food, Portion
    from tracker.models import DayTotal, Entry, Meal

    chooser = random.Random(1)
    food_ids = sorted(
        Food.objects.filter(owner=None, portions__isnull=False).values_list("pk", flat=True)
    )
    pool = chooser.sample(sorted(set(food_ids)), foods)
    portions: dict[int, list[Portion]] = {}
    for portion in Portion.objects.filter(food_id__in=pool):
        portions.setdefault(portion.food_id, []).append(portion)
    meals = Meal.objects.bulk_create(
        Meal(user=user, day=last_day - timedelta(days=offset), slot=slot)
        for offset in range(days)
        for slot in ENTRIES_PER_SLOT
    )
    entries = []
    for meal in meals:
        for _ in range(ENTRIES_PER_SLOT[meal.slot]):
            portion = chooser.choice(portions[chooser.choice(pool)])
            quantity = chooser.choice((Decimal(1), Decimal("1.5"), Decimal(2)))
            entries.append(
                Entry(
                    meal=meal,
                    food_id=portion.food_id,
                    portion=portion,
                    unit=portion.description,
                    quantity=quantity,
                    grams=(portion.grams * quantity).quantize(Decimal("0.01")),
                )
            )
    Entry.objects.bulk_create(entries, batch_size=1000)
    DayTotal.refresh(user, {meal.day for meal in meals})  # as the diary's writes keep them
    settle_statistics()
    return len(entries)


def settle_statistics() -> None:
    """What PostgreSQL's autovacuum does soon after a bulk insert: fresh planner
    statistics for the new rows. (SQLite keeps what the importer measured.)"""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
