"""Load test: 50 simulated users sign in, log entries and read dashboards for 60 s against
gunicorn (2 workers, DEBUG off) and PostgreSQL on the loopback; nothing may be lost.

    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 20 --seconds 30 --database-url sqlite:////tmp/load.sqlite3

The database is fresh (default cramp_bench_load, dropped and created again), with the seed
foods and the users. Each simulated user is a thread that signs in through the login form,
then until the time is up: adds a banana to a day of the last week (as htmx does, with the
CSRF token), reads that day's dashboard, and every third round the day page. Each request
has a 30 s time-out; the run ends when the last round does.

Afterwards the database is asked how many entries those users have, and every stored
per-day total of theirs is compared with a recomputation from the entries (to 0.001). It
passes (exit 0) when no request failed, the entries stored equal the adds answered with
success, and no day's stored totals differ.
"""

import argparse
import http.client
import json
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from server import (
    make_user,
    medium_banana,
    percentile,
    recreate_postgres_database,
    run_child,
    running_gunicorn,
    server_env,
    setup_django,
)

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cramp_bench_load"
PASSWORD = "load-test-password-1"
USERNAME_PREFIX = "load"
TIMEOUT_S = 30


# --- setup process ---------------------------------------------------------------------


def setup(users: int) -> None:
    setup_django()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("seed_foods", verbosity=0, stdout=sys.stderr)
    # One slow password hash for all: the users sign in with it, the setup need not wait.
    password_hash = make_password(PASSWORD)
    for number in range(users):
        user = make_user(f"{USERNAME_PREFIX}{number}")
        user.password = password_hash
        user.save(update_fields=["password"])
    setup = {"today": timezone.localdate().isoformat(), **medium_banana()}
    print(json.dumps(setup))


def count_entries() -> None:
    """Prints {"stored": entries, "days": days with entries, "stale_days": days whose stored
    totals differ from a recomputation}."""
    setup_django()
    from decimal import Decimal

    from django.db.models import Count

    from nutrients.report import REPORT_NUTRIENT_IDS
    from tracker.models import DayNutrientTotal, DayTotal, Entry

    mine = {"meal__user__username__startswith": USERNAME_PREFIX}
    entries = Entry.objects.filter(**mine).order_by()
    expected: dict = {
        (user_id, day): {"entries": count}
        for user_id, day, count in entries.values("meal__user_id", "meal__day")
        .annotate(count=Count("id"))
        .values_list("meal__user_id", "meal__day", "count")
    }
    for row in entries._nutrient_sums(REPORT_NUTRIENT_IDS, "meal__user_id", "meal__day"):
        key = (row["meal__user_id"], row["meal__day"])
        expected[key][row["nutrient_id"]] = (row["total"], row["known_entries"])
    stored: dict = {
        (user_id, day): {"entries": count}
        for user_id, day, count in DayTotal.objects.filter(
            user__username__startswith=USERNAME_PREFIX
        ).values_list("user_id", "day", "entries")
    }
    for user_id, day, nutrient_id, amount, known in DayNutrientTotal.objects.filter(
        user__username__startswith=USERNAME_PREFIX
    ).values_list("user_id", "day", "nutrient_id", "amount", "known_entries"):
        stored.setdefault((user_id, day), {})[nutrient_id] = (amount, known)

    def same(a: dict, b: dict) -> bool:
        if a.keys() != b.keys() or a["entries"] != b["entries"]:
            return False
        return all(
            a[key][1] == b[key][1]
            and abs(Decimal(a[key][0]) - Decimal(b[key][0])) <= Decimal("0.001")
            for key in a
            if key != "entries"
        )

    stale = [key for key in expected.keys() | stored.keys()
             if not same(expected.get(key, {}), stored.get(key, {}))]  # fmt: skip
    print(json.dumps({"stored": entries.count(), "days": len(expected), "stale_days": len(stale)}))


# --- the simulated users --------------------------------------------------------------


class Tally:
    """What all the users did, added up under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.latencies_ms: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.adds = 0

    def record(self, kind: str, elapsed_ms: float, error: str | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.latencies_ms[kind].append(elapsed_ms)
            if error:
                self.errors.append(f"{kind}: {error}")
            elif kind == "add entry":
                self.adds += 1


class Browser:
    """One user's cookies and requests; a new connection each time, as gunicorn's sync
    workers close every connection after answering."""

    def __init__(self, host: str, port: int, tally: Tally) -> None:
        self.host, self.port, self.tally = host, port, tally
        self.cookies: dict[str, str] = {}

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        expect: int = 200,
        headers: dict[str, str] | None = None,
        must_contain: str = "",
    ) -> str | None:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
            connection.close()
        except OSError as error:
            self.tally.record(kind, (time.perf_counter() - started) * 1000, repr(error))
            return None
        elapsed_ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status != expect or must_contain not in text:
            self.tally.record(kind, elapsed_ms, f"{response.status} for {method} {path}")
            return None
        self.tally.record(kind, elapsed_ms)
        return text


def simulate_user(
    username: str, host: str, port: int, setup: dict, deadline: float, tally: Tally
) -> None:
    browser = Browser(host, port, tally)
    login_page = browser.request("login page", "GET", "/accounts/login/")
    if login_page is None:
        return
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    if browser.request("sign in", "POST", "/accounts/login/", form=form, expect=302) is None:
        return
    today = date.fromisoformat(setup["today"])
    entry = {"food": setup["food"], "quantity": "1", "unit": setup["portion"], "slot": "snacks"}
    rounds = 0
    while time.monotonic() < deadline:
        day = today - timedelta(days=rounds % 7)
        htmx = {"HX-Request": "true", "X-CSRFToken": browser.cookies["csrftoken"]}
        browser.request(
            "add entry",
            "POST",
            f"/day/{day}/entries/",
            form=entry,
            headers=htmx,
            must_contain="Added",
        )
        browser.request("dashboard", "GET", f"/day/{day}/report/", must_contain="Cramp risk")
        if rounds % 3 == 2:
            browser.request("day page", "GET", f"/day/{day}/", must_contain="Potassium")
        rounds += 1


def run(database_url: str, users: int, seconds: int, port: int) -> dict:
    env = server_env(database_url)
    print(f"setting up {users} users…", flush=True)
    setup = json.loads(run_child(__file__, ["--setup", f"--users={users}"], env).splitlines()[-1])
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "gunicorn.log"
        with running_gunicorn(env, port, log):
            print(f"{users} users for {seconds} s against 127.0.0.1:{port}…", flush=True)
            started = time.monotonic()
            deadline = started + seconds
            threads = [
                threading.Thread(
                    target=simulate_user,
                    args=(f"{USERNAME_PREFIX}{n}", "127.0.0.1", port, setup, deadline, tally),
                )
                for n in range(users)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed_s = time.monotonic() - started
        server_errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
    counted = json.loads(run_child(__file__, ["--count"], env).strip().splitlines()[-1])
    stored = counted["stored"]

    total = sum(tally.requests.values())
    print(f"\n{users} users, {elapsed_s:.1f} s, {total:,} requests ({total / elapsed_s:.0f}/s)")
    print(f"{'request':<11} {'count':>6} {'p50 ms':>7} {'p99 ms':>7}")
    for kind, count in tally.requests.items():
        latencies = sorted(tally.latencies_ms[kind])
        print(
            f"{kind:<11} {count:>6,} {statistics.median(latencies):>7.0f} "
            f"{percentile(latencies, 0.99):>7.0f}"
        )
    print(f"errors: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    for line in server_errors[:10]:
        print(f"  server: {line}")
    same = stored == tally.adds
    print(f"entries added: {tally.adds:,}; entries stored: {stored:,}; equal: {same}")
    stale = counted["stale_days"]
    print(f"per-day totals: {counted['days']:,} days, {stale} differing from a recomputation")
    return {
        "users": users,
        "seconds": elapsed_s,
        "requests": total,
        "errors": len(tally.errors) + len(server_errors),
        "adds": tally.adds,
        "stored": stored,
        "stale_days": stale,
        "passed": same and not stale and not tally.errors and not server_errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--json", type=Path, help="also write the outcome here, for run_all.py")
    args = parser.parse_args()
    if args.setup:
        setup(args.users)
        return
    if args.count:
        count_entries()
        return
    if args.database_url.startswith("postgres"):
        recreate_postgres_database(args.database_url)
    outcome = run(args.database_url, args.users, args.seconds, args.port)
    if args.json:
        args.json.write_text(json.dumps(outcome, indent=1))
    sys.exit(0 if outcome["passed"] else 1)


if __name__ == "__main__":
    main()
