"""Food search latency: p50/p95/max of one page of results, against the targets.

    .venv/bin/python bench/search.py                 # SQLite and PostgreSQL, 500,000 branded
    .venv/bin/python bench/search.py --branded 0     # SR Legacy size only
    .venv/bin/python bench/search.py --no-sqlite --postgres-url postgres://…/cramp_bench_search

Each database is set up fresh: a temporary SQLite file, and a PostgreSQL database that is
dropped and created again (default cramp_bench_search on 127.0.0.1). Both are migrated and
get the shipped food table with `load_foods` (SR Legacy, the everyday foods, the synonyms
and the typo vocabulary), as `make run` does; PostgreSQL then also gets the made-up branded
foods of make_branded.py. Settings are read once per process, so the script runs itself
again as a worker process per database, with DATABASE_URL set.

What is timed: what the diary's search does for one page, both of its queries (the hints,
then the foods, with the user's recent foods as a subquery):
`list(Food.objects.visible_to(user).search(query, preferred_food_ids=recent, limit=21)[:20])` for
each of the queries below (bench/server.py's, and everyday words, typos and synonyms),
several rounds, after one warm-up round: a warm cache, as on a server that has been up a
while.

Targets: p95 at most 30 ms at SR Legacy size (7.7k foods), at most 100 ms at 500,000
foods on PostgreSQL.
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
from pathlib import Path

from server import PROJECT_ROOT, SEARCH_QUERIES, percentile, recreate_postgres_database

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cramp_bench_search"
SR_TARGET_P95_MS = 30.0
LARGE_TARGET_P95_MS = 100.0
PAGE_SIZE = 20


# --- worker: runs inside one database's process ----------------------------------------


def searched(user, query: str):
    """The diary's search, as tracker.views.food_search makes it."""
    from nutrients.models import Food
    from tracker.models import RECENT_ENTRIES, Entry

    recent = (
        Entry.objects.filter(meal__user=user)
        .order_by("-meal__day", "-meal__slot")
        .values("food_id")[:RECENT_ENTRIES]
    )
    found = Food.objects.visible_to(user)
    return found.search(query, preferred_food_ids=recent, limit=PAGE_SIZE + 1)


def time_queries(user, rounds: int) -> dict:
    from nutrients.models import Food

    def run(query: str) -> float:
        started = time.perf_counter()
        list(searched(user, query)[:PAGE_SIZE])
        return (time.perf_counter() - started) * 1000

    for query in SEARCH_QUERIES:  # warm-up
        run(query)
    per_query: dict[str, list[float]] = {query: [] for query in SEARCH_QUERIES}
    for _ in range(rounds):
        for query in SEARCH_QUERIES:
            per_query[query].append(run(query))
    # Timings mean little on a busy machine: keep how busy it was.
    load_1_min = os.getloadavg()[0]
    all_ms = sorted(ms for times in per_query.values() for ms in times)
    slowest = sorted(per_query, key=lambda query: -statistics.median(per_query[query]))[:3]
    return {
        "foods": Food.objects.count(),
        "samples": len(all_ms),
        "p50": statistics.median(all_ms),
        "p95": percentile(all_ms, 0.95),
        "max": all_ms[-1],
        "load": load_1_min,
        "slowest": [
            {
                "query": query,
                "median_ms": statistics.median(per_query[query]),
                "matches": searched(user, query).count(),
            }
            for query in slowest
        ],
    }


def uses_trigram_index(user, query: str) -> bool:
    """Whether a trigram index (0002's or 0005's) serves one of the search's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        list(searched(user, query)[:PAGE_SIZE])
    with connection.cursor() as cursor:
        for executed in captured.captured_queries:
            cursor.execute("EXPLAIN " + executed["sql"])
            if any("_search_trgm" in row[0] for row in cursor.fetchall()):
                return True
    return False


def worker(rounds: int, branded: int) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    def report(label: str, result: dict) -> None:
        print(json.dumps({"label": label, "vendor": connection.vendor, **result}), flush=True)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_foods", stdout=io.StringIO())
    from make_branded import add_branded_foods, settle

    settle(connection)
    setup_s = time.perf_counter() - started
    user = get_user_model().objects.create_user("bench", password=None)

    result = time_queries(user, rounds)
    report("SR Legacy", {**result, "setup_s": setup_s, "target": SR_TARGET_P95_MS})

    if branded and connection.vendor == "postgresql":
        started = time.perf_counter()
        add_branded_foods(branded)
        # COPY leaves search_rank at its default: set it as load_foods would.
        from nutrients.models import Food

        Food.objects.filter(owner=None).refresh_search_rank()
        settle(connection)
        setup_s = time.perf_counter() - started
        result = time_queries(user, rounds)
        result["trigram_index_used"] = all(
            uses_trigram_index(user, item["query"]) for item in result["slowest"]
        )
        label = f"SR Legacy + {branded:,} branded"
        report(label, {**result, "setup_s": setup_s, "target": LARGE_TARGET_P95_MS})


# --- driver: sets up the databases and prints the table --------------------------------


def run_worker(database_url: str, rounds: int, branded: int) -> list[dict]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # DEBUG off: no query log growing in memory while timing.
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
    }
    command = [sys.executable, __file__, "--worker", f"--rounds={rounds}", f"--branded={branded}"]
    done = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"worker for {database_url} failed:\n{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def print_table(results: list[dict], rounds: int) -> None:
    print(
        f"\nFood search, {len(SEARCH_QUERIES)} queries × {rounds} rounds, first {PAGE_SIZE} results"
    )
    print(f"{os.cpu_count()} CPUs; load: the 1-minute load average after timing\n")
    header = (
        f"{'database':<11} {'data':<30} {'foods':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'target':>7} {'p95/target':>10} {'load':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        database = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["vendor"]]
        ratio = r["p95"] / r["target"]
        verdict = "ok" if ratio <= 1 else "MISSED"
        print(
            f"{database:<11} {r['label']:<30} {r['foods']:>8,} {r['p50']:>7.1f} {r['p95']:>7.1f} "
            f"{r['max']:>7.1f} {r['target']:>7.0f} {ratio:>6.2f} {verdict:>3} {r['load']:>5.1f}"
        )
    print("\nSlowest queries (median ms, matching foods) and setup time:")
    for r in results:
        slowest = ", ".join(
            f"{s['query']!r} {s['median_ms']:.1f} ms ({s['matches']:,})" for s in r["slowest"]
        )
        print(f"  {r['vendor']:<10} {r['label']:<30} {slowest}; setup {r['setup_s']:.0f} s")
        if "trigram_index_used" in r:
            print(f"  {'':<10} {'':<30} trigram index in their plans: {r['trigram_index_used']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--branded", type=int, default=500_000, help="branded foods to add")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results here, for run_all.py")
    args = parser.parse_args()

    if args.worker:
        worker(args.rounds, args.branded)
        return

    results: list[dict] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            results += run_worker(url, args.rounds, branded=0)
    if not args.no_postgres:
        recreate_postgres_database(args.postgres_url)
        results += run_worker(args.postgres_url, args.rounds, args.branded)
    print_table(results, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
