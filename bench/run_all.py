"""Every benchmark in one run, then one table: import, search, pages under load, load test.

    .venv/bin/python bench/run_all.py            # or: make bench (about 15 minutes)
    .venv/bin/python bench/run_all.py --branded 0 --duration 5 --load-seconds 20

Runs import_fdc.py, search.py, pages.py and load.py one after the other, each printing
its own table as it goes, and then gathers their numbers side by side for SQLite and
PostgreSQL with each target and whether it is met. Exits 1 when the load test loses an
entry or sees an error; missed speed targets are reported, not failed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATABASES = ("SQLite", "PostgreSQL")


def run(script: str, args: list[str], folder: Path) -> list | dict:
    """Run one benchmark, its output straight to the terminal; what it wrote as JSON."""
    output = folder / f"{script}.json"
    print(f"\n===== {script} {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, str(BENCH / script), *args, f"--json={output}"])
    if not output.exists():
        sys.exit(f"{script} exited with {done.returncode} and wrote no results")
    return json.loads(output.read_text())


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, dict[str, str], str, dict[str, bool]]] = []

    def add(self, label: str, cells: dict, target: str = "", met: dict | None = None) -> None:
        self.rows.append((label, cells, target, met or {}))

    def print(self) -> None:
        header = f"{'':<36} {'SQLite':>14} {'PostgreSQL':>14}  {'target':<20} met"
        print(header)
        print("-" * len(header))
        for label, cells, target, met in self.rows:
            verdicts = ", ".join(f"{'yes' if met[db] else 'NO'}" for db in DATABASES if db in met)
            print(
                f"{label:<36} {cells.get('SQLite', '—'):>14} {cells.get('PostgreSQL', '—'):>14}"
                f"  {target:<20} {verdicts}"
            )


def import_rows(table: Table, runs: list[dict]) -> None:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    for label in ("first import", "re-import"):
        chosen = {names[r["database"]]: r for r in runs if r["label"] == label}
        table.add(
            f"import SR Legacy, {label}",
            {db: f"{r['seconds']:.1f} s" for db, r in chosen.items()},
            "< 30 s / < 20 s",
            {db: r["seconds"] < r["target_s"] for db, r in chosen.items()},
        )
    table.add(
        "import peak memory",
        {
            names[r["database"]]: f"{r['peak_mb']:.0f} MB"
            for r in runs
            if r["label"] == "first import"
        },
        "< 300 MB",
        {names[r["database"]]: r["peak_mb"] < 300 for r in runs if r["label"] == "first import"},
    )


def search_rows(table: Table, results: list[dict]) -> None:
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    for label in dict.fromkeys(r["label"] for r in results):
        chosen = {names[r["vendor"]]: r for r in results if r["label"] == label}
        foods = next(iter(chosen.values()))["foods"]
        target = next(iter(chosen.values()))["target"]
        table.add(
            f"search p95, {foods:,} foods",
            {db: f"{r['p95']:.1f} ms" for db, r in chosen.items()},
            f"≤ {target:.0f} ms",
            {db: r["p95"] <= r["target"] for db, r in chosen.items()},
        )


def page_rows(table: Table, rows: list[dict]) -> None:
    for page in dict.fromkeys(r["page"] for r in rows):
        chosen = {r["database"]: r for r in rows if r["page"] == page}
        # None: a row without a target (made afresh, the API's add, the floors).
        share = next(iter(chosen.values()))["target_share"]
        table.add(
            f"{page}: req/s (÷ bare)",
            {db: f"{r['rps']:.0f} ({r['rps'] / r['bare_rps']:.2f})" for db, r in chosen.items()},
            f"≥ {share:.2f} × bare view" if share else "",
            {db: r["rps"] >= share * r["bare_rps"] for db, r in chosen.items()} if share else {},
        )
        table.add(
            f"{page}: p50 / p99 (1 conn.)",
            {
                db: f"{r['p50_ms']:.0f} / {r['p99_ms']:.0f} ({r['single_ms']:.0f}) ms"
                for db, r in chosen.items()
            },
            "p99 < 200 ms",
            {db: r["p99_ms"] < 200 for db, r in chosen.items()},
        )
        table.add(
            f"{page}: queries, errors",
            {db: f"{r['queries']}, {r['errors']}" for db, r in chosen.items()},
        )
    bare_rps: dict[str, list[float]] = {}
    for r in rows:
        bare_rps.setdefault(r["database"], []).append(r["bare_rps"])
    table.add(
        "bare view: req/s", {db: f"{min(rps):.0f}–{max(rps):.0f}" for db, rps in bare_rps.items()}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branded", type=int, default=500_000, help="for search.py")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        imports = run("import_fdc.py", [], folder)
        searches = run("search.py", [f"--branded={args.branded}"], folder)
        pages = run("pages.py", [f"--duration={args.duration}"], folder)
        load = run("load.py", [f"--seconds={args.load_seconds}"], folder)

    table = Table()
    import_rows(table, imports)
    search_rows(table, searches)
    page_rows(table, pages)
    print(f"\n===== all together, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs")
    print("pages: wrk -t2 -c16 against gunicorn, 2 sync workers, DEBUG off, a year of history\n")
    table.print()
    print(
        f"\nload test (PostgreSQL, {load['servers']} app servers): {load['users']} users, "
        f"{load['seconds']:.0f} s, "
        f"{load['requests']:,} requests, {load['errors']} errors, {load['adds']:,} entries "
        f"added, {load['stored']:,} stored, {load['stale_reads']} stale reads: "
        f"{'passed' if load['passed'] else 'FAILED'}"
    )
    sys.exit(0 if load["passed"] else 1)


if __name__ == "__main__":
    main()
