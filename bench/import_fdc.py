"""Time `manage.py import_fdc` on the whole SR Legacy folder, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_fdc.py [--database sqlite|postgresql ...]

Each database starts fresh: a temporary SQLite file, and a PostgreSQL database created
and dropped by this script (cramp_bench_import on postgres://postgres@127.0.0.1:5432,
or BENCH_POSTGRES_URL). After `migrate`, the folder is imported twice: a first import
into empty tables and a re-import that updates every row in place. Each import runs as
its own process, so its peak memory (ru_maxrss from os.wait4) is the importer's alone.

Prints seconds, rows per second and peak memory, with the ratio to the targets
(SQLite under 30 s, PostgreSQL under 20 s, memory under 300 MB; ratio < 1 is within).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SR_LEGACY = PROJECT_ROOT.parent / "shared" / "data" / "fdc-sr-legacy"
POSTGRES_SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "cramp_bench_import"

TARGET_SECONDS = {"sqlite": 30.0, "postgresql": 20.0}
TARGET_PEAK_MB = 300.0
# The files import_fdc reads; the others in the folder are ignored and not counted.
IMPORTED_FILES = (
    "nutrient.csv",
    "food_category.csv",
    "measure_unit.csv",
    "food.csv",
    "food_nutrient.csv",
    "food_portion.csv",
)


@dataclass(frozen=True)
class Run:
    database: str
    label: str
    seconds: float
    peak_mb: float
    summary: str


def csv_rows(path: Path) -> int:
    """Data rows of a CSV file (records, not lines: quoted fields may hold newlines)."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        return sum(1 for _ in csv.reader(file)) - 1


def run_checked(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def timed_import(database: str, label: str, env: dict[str, str]) -> Run:
    """Run import_fdc in a child process; its wall time and its own peak RSS."""
    command = [sys.executable, "manage.py", "import_fdc", str(SR_LEGACY)]
    with tempfile.TemporaryFile(mode="w+") as output:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        # wait4 gives this child's resource usage, not all children's so far.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if child.returncode != 0:
        raise SystemExit(f"import_fdc failed on {database}:\n{text}")
    summary = text.strip().splitlines()[-1]
    # ru_maxrss is in kilobytes on Linux.
    return Run(database, label, seconds, usage.ru_maxrss / 1024, summary)


def bench_database(database: str, url: str) -> list[Run]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
    run_checked(migrate, env)
    return [
        timed_import(database, "first import", env),
        timed_import(database, "re-import", env),
    ]


def bench_sqlite() -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="cramp_bench_") as folder:
        return bench_database("sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")


def bench_postgresql() -> list[Run]:
    import psycopg  # installed with the project; imported here so SQLite runs without it

    try:
        server = psycopg.connect(f"{POSTGRES_SERVER_URL}/postgres", autocommit=True)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: cannot connect to {POSTGRES_SERVER_URL} ({error})")
        return []
    with server:
        server.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}"')
        server.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
        try:
            return bench_database("postgresql", f"{POSTGRES_SERVER_URL}/{POSTGRES_DATABASE}")
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')


def print_table(runs: list[Run], amount_rows: int, all_rows: int) -> None:
    header = (
        f"{'database':<11} {'run':<13} {'seconds':>8} {'amounts/s':>10} {'rows/s':>9} "
        f"{'peak MB':>8} {'time/target':>12} {'memory/target':>14}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        time_ratio = run.seconds / TARGET_SECONDS[run.database]
        memory_ratio = run.peak_mb / TARGET_PEAK_MB
        print(
            f"{run.database:<11} {run.label:<13} {run.seconds:>8.1f} "
            f"{amount_rows / run.seconds:>10,.0f} {all_rows / run.seconds:>9,.0f} "
            f"{run.peak_mb:>8.0f} {time_ratio:>12.2f} {memory_ratio:>14.2f}"
        )
    print()
    for run in runs:
        print(f"{run.database}, {run.label}: {run.summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        action="append",
        help="benchmark only this database (repeatable); default both",
    )
    parser.add_argument("--json", type=Path, help="also write the runs here, for run_all.py")
    args = parser.parse_args()
    databases = args.database or ["sqlite", "postgresql"]
    if not SR_LEGACY.is_dir():
        raise SystemExit(f"no SR Legacy folder at {SR_LEGACY}")

    amount_rows = csv_rows(SR_LEGACY / "food_nutrient.csv")
    all_rows = sum(csv_rows(SR_LEGACY / name) for name in IMPORTED_FILES)
    print(f"import_fdc of {SR_LEGACY}")
    print(f"{amount_rows:,} food_nutrient rows, {all_rows:,} rows in all imported files")
    print(
        f"targets: SQLite < {TARGET_SECONDS['sqlite']:.0f} s, PostgreSQL < "
        f"{TARGET_SECONDS['postgresql']:.0f} s, peak memory < {TARGET_PEAK_MB:.0f} MB"
    )
    print()
    runs: list[Run] = []
    if "sqlite" in databases:
        runs += bench_sqlite()
    if "postgresql" in databases:
        runs += bench_postgresql()
    print_table(runs, amount_rows, all_rows)
    if args.json:
        rows = [{**asdict(run), "target_s": TARGET_SECONDS[run.database]} for run in runs]
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
