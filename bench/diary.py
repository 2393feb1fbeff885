"""Diary speed: the search fragment and adding an entry, through the real views.

    .venv/bin/python bench/diary.py                    # SQLite and PostgreSQL
    .venv/bin/python bench/diary.py --no-postgres

Each database is set up fresh (a temporary SQLite file; a PostgreSQL database dropped and
created again, default cramp_bench_diary), migrated, and loaded with the whole SR Legacy
folder and the seed foods. Settings are read once per process, so the script runs itself
again as a worker per database with DATABASE_URL set.

Timed with Django's test client (the whole view, middleware, templates; no network):
- the search fragment: GET /day/<date>/?q=… as htmx, for the 50 queries of search.py;
- adding an entry: POST /day/<date>/entries/ as htmx, which answers with the day's body
  (200 adds spread over 20 days).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from search import PROJECT_ROOT, QUERIES, SR_LEGACY, percentile, recreate_postgres_database

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cramp_bench_diary"
ADDS = 200


def worker() -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from nutrients.models import Food

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    quiet = io.StringIO()
    call_command("import_fdc", str(SR_LEGACY), stdout=quiet)
    call_command("seed_foods", stdout=quiet)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    client = Client()
    client.force_login(user)
    day_url = "/day/2026-11-22/"
    search_headers = {"HX-Request": "true", "HX-Target": "search-results"}

    def timed(call) -> float:
        started = time.perf_counter()
        response = call()
        elapsed_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed_ms

    for query in QUERIES:  # warm-up
        timed(lambda query=query: client.get(day_url, {"q": query}, headers=search_headers))
    search_ms = sorted(
        timed(lambda query=query: client.get(day_url, {"q": query}, headers=search_headers))
        for _ in range(3)
        for query in QUERIES
    )

    banana = Food.objects.get(fdc_id=173944)
    medium = banana.portions.get(description__contains="medium")
    form = {"food": banana.pk, "quantity": "1", "unit": medium.pk, "slot": "breakfast"}
    # Spread over 20 days, so that each day ends with 10 entries, as a real day might.
    add_urls = [f"/day/2026-10-{day:02d}/entries/" for day in range(1, 21)]
    add_ms = sorted(
        timed(lambda url=url: client.post(url, form, headers={"HX-Request": "true"}))
        for _ in range(ADDS // len(add_urls))
        for url in add_urls
    )
    print(
        json.dumps(
            {
                "foods": Food.objects.count(),
                "search_p50": statistics.median(search_ms),
                "search_p95": percentile(search_ms, 0.95),
                "add_p50": statistics.median(add_ms),
                "add_p95": percentile(add_ms, 0.95),
            }
        )
    )


def run_worker(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, __file__, "--worker"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"worker for {database_url} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args()
    if args.worker:
        worker()
        return

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite: setting up and timing…", flush=True)
        rows.append(("SQLite", run_worker(f"sqlite:///{folder}/bench.sqlite3")))
    if not args.no_postgres:
        print("PostgreSQL: setting up and timing…", flush=True)
        recreate_postgres_database(args.postgres_url)
        rows.append(("PostgreSQL", run_worker(args.postgres_url)))

    print()
    print(
        f"{'database':<11} {'foods':>6}  {'search p50':>10} {'search p95':>10}  {'add p50':>8} {'add p95':>8}"
    )
    for name, row in rows:
        print(
            f"{name:<11} {row['foods']:>6,}  {row['search_p50']:>8.1f}ms {row['search_p95']:>8.1f}ms"
            f"  {row['add_p50']:>6.1f}ms {row['add_p95']:>6.1f}ms"
        )
    print(
        f"\nsearch: 50 queries × 3 rounds; add: {ADDS} adds over 20 days (each answer re-renders the day)."
    )


if __name__ == "__main__":
    main()
