"""Load test: 50 simulated users sign in, log entries and read dashboards for 60 s against
two app servers (two gunicorn processes, 2 workers each, DEBUG off, standing for two
machines) that share one PostgreSQL database on the loopback; nothing may be lost, and no
page may be stale.

    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --servers 1 --port 8791
    .venv/bin/python bench/load.py --users 20 --seconds 30 --database-url sqlite:////tmp/load.sqlite3

`--servers N` (default 2) starts N gunicorns on ports --port, --port + 1, …, each with the
same settings (the same SECRET_KEY, the same DATABASE_URL) and each with its own
per-process page cache (tracker/page_cache.py), as separate machines behind a load
balancer would have. Every request of every user goes to a server picked at random, by a
generator seeded with the user's number (so a run is repeatable): a user's consecutive
requests now stay on one server and now change over, so that a page kept by one server
before the other server stored an add, and shown again after it, would be caught.

The database is fresh (default cramp_bench_load, dropped and created again), with the seed
foods and the users. Each simulated user is a thread that signs in through the login form,
then until the time is up, for a day of the last week in turn: reads that day's dashboard,
adds a banana to the day (as htmx does, with the CSRF token), reads the dashboard again,
and every third round the day page. Each read must show the potassium of every banana the
user has had acknowledged for that day by then. A read that shows less is a stale read (a page kept from before an add);
one that shows more (an add whose answer was lost, after a time-out) or no amount is
counted apart. The run also counts the reads answered by another server than the one that
acknowledged the user's latest add to the day. Each request has a 30 s time-out; the run
ends when the last round does.

Afterwards the database is asked how many entries those users have, and every stored
per-day total of theirs is compared with a recomputation from the entries (to 0.001). It
passes (exit 0) when no request failed, every read showed exactly the acknowledged adds,
the entries stored equal the adds answered with success, and no day's stored totals
differ.

    .venv/bin/python bench/load.py --fault
    .venv/bin/python bench/load.py --fault --users 50 --seconds 60

Fault mode (PostgreSQL only): 20 API clients (or --users), each with its own user and token, add
entries through POST /api/entries/ (even-numbered clients, to the days of the last week
in turn) or cramps through POST /api/cramps/ (odd-numbered) with an Idempotency-Key, and
retry the same request with the same key after any error until it is answered 201; each
attempt goes to a server picked at random, so a retry often reaches the other server.
After each acknowledged entry the client reads the day back (GET /api/days/DAY/) from
another server than the one that acknowledged it, once: an answer of 200 that counts fewer
entries than the client's acknowledged adds to that day is a stale read. Meanwhile the
app's database connections are killed (pg_terminate_backend on the backends of the app's
own database, never the server or other databases) every 0.25 s for 25 s (or --seconds),
while the clients add. Each add has
grams (or a cramp's note) of its own, so afterwards every acknowledged add is looked for:
it passes when none is lost, none is stored twice, no 500 was answered, no read was
stale, no day's stored totals differ from a recomputation, and no 503 was answered for a
write that was stored (an add answered only 503s before its retry was answered
"replayed": the 503 said "try again" for a write already stored).
"""

import argparse
import http.client
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from decimal import Decimal
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

from nutrients.numbers import whole

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

    # The servers run with DEBUG off, whose pages name the collected (hashed) static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_foods", verbosity=0, stdout=sys.stderr)
    # One slow password hash for all: the users sign in with it, the setup need not wait.
    password_hash = make_password(PASSWORD)
    for number in range(users):
        user = make_user(f"{USERNAME_PREFIX}{number}")
        user.password = password_hash
        user.save(update_fields=["password"])
    banana = medium_banana()
    setup = {
        "today": timezone.localdate().isoformat(),
        **banana,
        "potassium_per_add_mg": str(potassium_of_one_add(banana["portion"])),
    }
    print(json.dumps(setup))


def potassium_of_one_add(portion_id: int) -> Decimal:
    """What each add puts on the day: one medium banana's potassium, in mg."""
    from nutrients.models import FoodNutrient, Portion

    portion = Portion.objects.get(pk=portion_id)
    per_100_g = FoodNutrient.objects.get(food_id=portion.food_id, nutrient_id=1092).amount
    return portion.grams * per_100_g / 100


def setup_fault(clients: int) -> None:
    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from tracker.models import ApiToken

    # The servers run with DEBUG off, whose pages name the collected (hashed) static files.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_foods", verbosity=0, stdout=sys.stderr)
    tokens = [
        ApiToken.create_for(make_user(f"{FAULT_PREFIX}{number}"), "fault")[1]
        for number in range(clients)
    ]
    print(
        json.dumps({"today": timezone.localdate().isoformat(), "tokens": tokens, **medium_banana()})
    )


def count_fault_entries() -> None:
    """{username: [grams of each stored entry, note of each cramp]}, for finding lost and
    doubled adds."""
    setup_django()
    from tracker.models import Cramp, Entry

    stored: dict[str, list[str]] = defaultdict(list)
    rows = Entry.objects.filter(meal__user__username__startswith=FAULT_PREFIX).values_list(
        "meal__user__username", "grams"
    )
    for username, grams in rows:
        stored[username].append(str(grams))
    notes = Cramp.objects.filter(user__username__startswith=FAULT_PREFIX).values_list(
        "user__username", "note"
    )
    for username, note in notes:
        stored[username].append(note)
    print(json.dumps(stored))


def count_entries(prefix: str) -> None:
    """Prints {"stored": entries, "days": days with entries, "stale_days": days whose stored
    totals differ from a recomputation}, for the users whose names start with prefix."""
    setup_django()
    from decimal import Decimal

    from django.db.models import Count

    from nutrients.report import REPORT_NUTRIENT_IDS
    from tracker.models import DayNutrientTotal, DayTotal, Entry

    mine = {"meal__user__username__startswith": prefix}
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
            user__username__startswith=prefix
        ).values_list("user_id", "day", "entries")
    }
    for user_id, day, nutrient_id, amount, known in DayNutrientTotal.objects.filter(
        user__username__startswith=prefix
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


# --- the app servers -------------------------------------------------------------------


@contextmanager
def running_servers(
    env: dict[str, str], port: int, servers: int, folder: Path
) -> Iterator[list[Path]]:
    """`servers` gunicorns on ports port, port + 1, …, all with the same settings, each
    its own processes (and so its own page caches), until the block ends; their logs."""
    logs = [folder / f"gunicorn-{port + number}.log" for number in range(servers)]
    with ExitStack() as stack:
        for number, log in enumerate(logs):
            stack.enter_context(running_gunicorn(env, port + number, log))
        yield logs


def server_errors(logs: list[Path], *markers: str) -> list[str]:
    """The lines of the servers' logs that contain one of the markers, each named by its
    log."""
    return [
        f"{log.stem}: {line}"
        for log in logs
        for line in log.read_text().splitlines()
        if any(marker in line for marker in markers)
    ]


# --- the simulated users --------------------------------------------------------------


class Tally:
    """What all the users did, added up under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.by_port: Counter[int] = Counter()
        self.latencies_ms: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        # Reads that show less than the acknowledged adds, and reads that show more (an add
        # whose answer was lost, after an error) or no amount at all.
        self.stale_reads: list[str] = []
        self.unexpected_reads: list[str] = []
        self.adds = 0
        # Reads checked against the user's acknowledged adds, and of those the ones
        # answered by another server than the one that acknowledged the latest add.
        self.checked_reads = 0
        self.reads_after_other_servers_add = 0

    def read(self, what: str, shown_mg: int | None, expected_mg: int, other_server: bool) -> None:
        with self.lock:
            self.checked_reads += 1
            self.reads_after_other_servers_add += other_server
            if shown_mg is not None and shown_mg < expected_mg:
                self.stale_reads.append(what)
            elif shown_mg != expected_mg:
                self.unexpected_reads.append(what)

    def record(self, kind: str, port: int, elapsed_ms: float, error: str | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.by_port[port] += 1
            self.latencies_ms[kind].append(elapsed_ms)
            if error:
                self.errors.append(f"{kind}: {error}")
            elif kind == "add entry":
                self.adds += 1


class Browser:
    """One user's cookies and requests, each to one of the servers picked by the user's
    own seeded generator; a new connection each time, as gunicorn's sync workers close
    every connection after answering."""

    def __init__(self, host: str, ports: list[int], seed: int, tally: Tally) -> None:
        self.host, self.ports, self.tally = host, ports, tally
        self.chooser = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.port = ports[0]  # the server that answered the latest request

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
        self.port = port = self.chooser.choice(self.ports)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, port, timeout=TIMEOUT_S)
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
            connection.close()
        except OSError as error:
            self.tally.record(kind, port, (time.perf_counter() - started) * 1000, repr(error))
            return None
        elapsed_ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status != expect or must_contain not in text:
            error = f"{response.status} for {method} {path} on :{port}"
            self.tally.record(kind, port, elapsed_ms, error)
            return None
        self.tally.record(kind, port, elapsed_ms)
        return text


def simulate_user(
    number: int, host: str, ports: list[int], setup: dict, deadline: float, tally: Tally
) -> None:
    username = f"{USERNAME_PREFIX}{number}"
    browser = Browser(host, ports, number, tally)
    login_page = browser.request("login page", "GET", "/accounts/login/")
    if login_page is None:
        return
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    if browser.request("sign in", "POST", "/accounts/login/", form=form, expect=302) is None:
        return
    today = date.fromisoformat(setup["today"])
    entry = {"food": setup["food"], "quantity": "1", "unit": setup["portion"], "slot": "snacks"}
    per_add_mg = Decimal(setup["potassium_per_add_mg"])
    added: Counter[date] = Counter()
    added_on: dict[date, int] = {}  # the port of the server that acknowledged the latest add

    def check(page: str | None, day: date, what: str) -> None:
        """The page shows the potassium of every add of the day acknowledged before it was
        asked for: a page kept from before one of them (tracker/page_cache.py), by this
        server or the other, would show less."""
        if page is None:
            return
        expected_mg = whole(added[day] * per_add_mg)
        found = re.search(r'data-testid="total-potassium">([\d,]+) mg<', page)
        shown_mg = int(found.group(1).replace(",", "")) if found else None
        acknowledged_by = f":{added_on[day]}" if day in added_on else "none yet"
        tally.read(
            f"{what} of {username} on {day} from :{browser.port} (latest add acknowledged by "
            f"{acknowledged_by}): {shown_mg} mg, not {expected_mg:,} mg",
            shown_mg=shown_mg,
            expected_mg=expected_mg,
            other_server=added_on.get(day, browser.port) != browser.port,
        )

    rounds = 0
    while time.monotonic() < deadline:
        day = today - timedelta(days=rounds % 7)
        # The dashboard before the add and after it, each from a server of its own picking:
        # the one before is kept (by this server's worker) under the day's revision; were
        # the key to miss the add, the one after would show that kept page.
        dashboard = browser.request(
            "dashboard", "GET", f"/day/{day}/report/", must_contain="Cramp risk"
        )
        check(dashboard, day, "dashboard before an add")
        htmx = {"HX-Request": "true", "X-CSRFToken": browser.cookies["csrftoken"]}
        if browser.request(
            "add entry",
            "POST",
            f"/day/{day}/entries/",
            form=entry,
            headers=htmx,
            must_contain="Added",
        ):
            added[day] += 1
            added_on[day] = browser.port
        dashboard = browser.request(
            "dashboard", "GET", f"/day/{day}/report/", must_contain="Cramp risk"
        )
        check(dashboard, day, "dashboard after an add")
        if rounds % 3 == 2:
            page = browser.request("day page", "GET", f"/day/{day}/", must_contain="Potassium")
            check(page, day, "day page")
        rounds += 1


def run(database_url: str, users: int, seconds: int, port: int, servers: int) -> dict:
    env = server_env(database_url)
    print(f"setting up {users} users…", flush=True)
    setup = json.loads(run_child(__file__, ["--setup", f"--users={users}"], env).splitlines()[-1])
    tally = Tally()
    ports = [port + number for number in range(servers)]
    with tempfile.TemporaryDirectory() as folder:
        with running_servers(env, port, servers, Path(folder)) as logs:
            print(
                f"{users} users for {seconds} s against {servers} app server(s) on 127.0.0.1:"
                f"{', '.join(map(str, ports))}, one database…",
                flush=True,
            )
            started = time.monotonic()
            deadline = started + seconds
            threads = [
                threading.Thread(
                    target=simulate_user, args=(n, "127.0.0.1", ports, setup, deadline, tally)
                )
                for n in range(users)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed_s = time.monotonic() - started
        logged_errors = server_errors(logs, "ERROR", "Traceback", "Internal Server Error")
    args = ["--count", f"--prefix={USERNAME_PREFIX}"]
    counted = json.loads(run_child(__file__, args, env).strip().splitlines()[-1])
    stored = counted["stored"]

    total = sum(tally.requests.values())
    print(
        f"\n{users} users, {servers} app server(s), {elapsed_s:.1f} s, {total:,} requests "
        f"({total / elapsed_s:.0f}/s)"
    )
    print("requests by server: " + ", ".join(f":{p} {tally.by_port[p]:,}" for p in ports))
    print(f"{'request':<11} {'count':>6} {'p50 ms':>7} {'p99 ms':>7}")
    for kind, count in tally.requests.items():
        latencies = sorted(tally.latencies_ms[kind])
        print(
            f"{kind:<11} {count:>6,} {statistics.median(latencies):>7.0f} "
            f"{percentile(latencies, 0.99):>7.0f}"
        )
    # By request and kind of failure: "sign in: TimeoutError × 3", "add entry: 503 × 1".
    by_request = Counter(
        f"{error.split(': ', 1)[0]}: {re.sub(r'[ (].*', '', error.split(': ', 1)[1])}"
        for error in tally.errors
    )
    print(
        f"errors: {len(tally.errors)}"
        + "".join(f"; {what} × {n}" for what, n in by_request.most_common())
    )
    for error in tally.errors[:10]:
        print(f"  {error}")
    for line in logged_errors[:10]:
        print(f"  server: {line}")
    print(
        f"reads checked against the acknowledged adds: {tally.checked_reads:,}, "
        f"{tally.reads_after_other_servers_add:,} of them from another server than the one "
        f"that acknowledged the latest add; stale: {len(tally.stale_reads)}"
    )
    for stale in tally.stale_reads[:10]:
        print(f"  stale: {stale}")
    print(
        f"reads showing more than the acknowledged adds, or no amount: {len(tally.unexpected_reads)}"
    )
    for unexpected in tally.unexpected_reads[:10]:
        print(f"  unexpected: {unexpected}")
    same = stored == tally.adds
    print(f"entries added: {tally.adds:,}; entries stored: {stored:,}; equal: {same}")
    stale_days = counted["stale_days"]
    print(f"per-day totals: {counted['days']:,} days, {stale_days} differing from a recomputation")
    return {
        "users": users,
        "servers": servers,
        "seconds": elapsed_s,
        "requests": total,
        "errors": len(tally.errors) + len(logged_errors),
        "checked_reads": tally.checked_reads,
        "reads_after_other_servers_add": tally.reads_after_other_servers_add,
        "stale_reads": len(tally.stale_reads),
        "unexpected_reads": len(tally.unexpected_reads),
        "adds": tally.adds,
        "stored": stored,
        "stale_days": stale_days,
        "passed": same
        and not stale_days
        and not tally.stale_reads
        and not tally.unexpected_reads
        and not tally.errors
        and not logged_errors,
    }


# --- fault mode: API clients with idempotency keys while connections are killed --------

FAULT_PREFIX = "fault"
FAULT_CLIENTS = 20
KILL_EVERY_S = 0.25
KILL_FOR_S = 25
# A client gives an add up after this long of failing (then it counts as not acknowledged).
GIVE_UP_AFTER_S = 120


class FaultTally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.by_port: Counter[int] = Counter()
        self.acknowledged: dict[str, list[str]] = defaultdict(list)  # username: grams
        self.replayed = 0
        # Retries that went to another server than the attempt before them.
        self.retries_to_other_server = 0
        # Adds answered 503 by an attempt that had stored them (the retry's answer was a
        # replay, and every attempt before it had an answer, none lost on the way).
        self.stored_then_503 = 0
        # Replays after an attempt whose answer was lost on the way: that attempt stored it.
        self.replayed_after_lost_answer = 0
        self.given_up = 0
        self.kills = 0
        # The read-backs of a day after an acknowledged entry, from another server.
        self.read_statuses: Counter[str] = Counter()
        self.stale_reads: list[str] = []

    def answer(self, status: str, port: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.by_port[port] += 1


def fault_client(
    number: int, ports: list[int], setup: dict, deadline: float, tally: FaultTally
) -> None:
    username = f"{FAULT_PREFIX}{number}"
    headers = {
        "Authorization": f"Bearer {setup['tokens'][number]}",
        "Content-Type": "application/json",
    }
    chooser = random.Random(number)
    today = date.fromisoformat(setup["today"])
    acknowledged_on: Counter[date] = Counter()
    add = 0
    cramps = number % 2 == 1
    while time.monotonic() < deadline:
        add += 1
        day = today - timedelta(days=add % 7)
        # Grams of its own (this user's add number, and the user's number as hundredths)
        # name each add, so that the count afterwards can find it, or find it twice; a
        # cramp carries the same name as its note.
        grams = f"{add}.{number:02d}"
        if cramps:
            path, body, name = "/api/cramps/", json.dumps({"note": grams}), grams
        else:
            path = "/api/entries/"
            body = json.dumps(
                {"date": str(day), "food": setup["food"], "grams": grams, "meal": "snacks"}
            )
            name = f"{Decimal(grams):.2f}"
        key = str(uuid.uuid4())
        started = time.monotonic()
        earlier: list[str] = []
        port = None
        while True:
            previous_port, port = port, chooser.choice(ports)
            status, replayed = post_once(port, path, body, {**headers, "Idempotency-Key": key})
            tally.answer(status, port)
            with tally.lock:
                tally.retries_to_other_server += previous_port not in (None, port)
            if status == "201":
                with tally.lock:
                    tally.acknowledged[username].append(name)
                    tally.replayed += replayed
                    if replayed and all(answer.isdigit() for answer in earlier):
                        tally.stored_then_503 += "503" in earlier
                    elif replayed:
                        tally.replayed_after_lost_answer += 1
                if not cramps:
                    acknowledged_on[day] += 1
                    read_back(username, day, acknowledged_on[day], port, ports, headers, tally)
                break
            earlier.append(status)
            if time.monotonic() - started > GIVE_UP_AFTER_S:
                with tally.lock:
                    tally.given_up += 1
                break
            time.sleep(0.05)  # then the same request, with the same key


def read_back(
    username: str,
    day: date,
    acknowledged: int,
    acknowledged_by: int,
    ports: list[int],
    headers: dict[str, str],
    tally: FaultTally,
) -> None:
    """One read of the day from another server than the one that acknowledged the add
    (the same one when there is only one): it must count every acknowledged entry."""
    others = [port for port in ports if port != acknowledged_by] or ports
    port = others[0]
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        connection.request("GET", f"/api/days/{day}/", headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
    except OSError as error:
        with tally.lock:
            tally.read_statuses[type(error).__name__] += 1
        return
    with tally.lock:
        tally.read_statuses[str(response.status)] += 1
        if response.status == 200 and json.loads(text)["entries"] < acknowledged:
            tally.stale_reads.append(
                f"{username} on {day} from :{port}: {json.loads(text)['entries']} entries, "
                f"{acknowledged} acknowledged (the latest by :{acknowledged_by})"
            )


def post_once(port: int, path: str, body: str, headers: dict[str, str]) -> tuple[str, bool]:
    """The answer's status ("201", "503", or the connection error's name) and whether it
    was a replay of an earlier answer."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        response.read()
        connection.close()
    except OSError as error:
        return type(error).__name__, False
    return str(response.status), response.headers.get("Idempotent-Replayed") == "true"


def kill_backends(database_url: str, until: float, tally: FaultTally) -> None:
    """Every KILL_EVERY_S, terminate every backend connected to the app's database (and
    only those: the killer itself is connected to the server's maintenance database)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(database_url)["dbname"]
    with psycopg.connect(make_conninfo(database_url, dbname="postgres"), autocommit=True) as conn:
        while time.monotonic() < until:
            killed = conn.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
            tally.kills += killed
            time.sleep(KILL_EVERY_S)


def run_fault(database_url: str, clients: int, seconds: int, port: int, servers: int) -> dict:
    if not database_url.startswith("postgres"):
        sys.exit("--fault needs PostgreSQL: it kills the app's database connections.")
    env = server_env(database_url)
    args = ["--setup-fault", f"--users={clients}"]
    setup = json.loads(run_child(__file__, args, env).splitlines()[-1])
    tally = FaultTally()
    ports = [port + number for number in range(servers)]
    with tempfile.TemporaryDirectory() as folder:
        with running_servers(env, port, servers, Path(folder)) as logs:
            print(
                f"{clients} API clients adding with idempotency keys to {servers} app "
                f"server(s) on 127.0.0.1:{', '.join(map(str, ports))}; the app's database "
                f"connections killed every {KILL_EVERY_S} s for {seconds} s…",
                flush=True,
            )
            started = time.monotonic()
            deadline = started + seconds
            killer = threading.Thread(target=kill_backends, args=(database_url, deadline, tally))
            clients = [
                threading.Thread(target=fault_client, args=(n, ports, setup, deadline, tally))
                for n in range(clients)
            ]
            killer.start()
            for thread in clients:
                thread.start()
            for thread in [killer, *clients]:
                thread.join()
            elapsed_s = time.monotonic() - started
        tracebacks = server_errors(logs, "Traceback")
    stored = json.loads(run_child(__file__, ["--count-fault"], env).strip().splitlines()[-1])
    args = ["--count", f"--prefix={FAULT_PREFIX}"]
    counted = json.loads(run_child(__file__, args, env).strip().splitlines()[-1])

    acknowledged = sum(len(grams) for grams in tally.acknowledged.values())
    stored_count = sum(len(grams) for grams in stored.values())
    lost = duplicated = 0
    for username, grams_list in tally.acknowledged.items():
        in_database = Counter(stored.get(username, []))
        lost += sum(1 for grams in grams_list if in_database[grams] == 0)
        duplicated += sum(count - 1 for count in in_database.values() if count > 1)
    unacknowledged_stored = stored_count - acknowledged - duplicated + lost
    print(
        f"\nfault mode: {servers} app server(s), {elapsed_s:.1f} s, {tally.kills:,} backends killed"
    )
    print("answers by server: " + ", ".join(f":{p} {tally.by_port[p]:,}" for p in ports))
    print(
        "answers: " + ", ".join(f"{status} × {n:,}" for status, n in tally.statuses.most_common())
    )
    print(
        f"retries sent to another server than the attempt before: {tally.retries_to_other_server:,}"
    )
    print(f"replayed answers (a retry of an add already stored): {tally.replayed:,}")
    print(
        f"503 for a stored write: {tally.stored_then_503}; replays after an answer lost on the "
        f"way (the lost one stored it): {tally.replayed_after_lost_answer}"
    )
    print(
        f"adds given up: {tally.given_up}; stored without an acknowledgement: {unacknowledged_stored}"
    )
    print(
        f"acknowledged: {acknowledged:,}; stored: {stored_count:,}; "
        f"lost: {lost}; duplicated: {duplicated}"
    )
    print(
        "read-backs of the day from the other server: "
        + ", ".join(f"{status} × {n:,}" for status, n in tally.read_statuses.most_common())
        + f"; stale: {len(tally.stale_reads)}"
    )
    for stale in tally.stale_reads[:10]:
        print(f"  stale: {stale}")
    stale_days = counted["stale_days"]
    print(f"per-day totals: {counted['days']:,} days, {stale_days} differing from a recomputation")
    print(f"server tracebacks: {len(tracebacks)}")
    for line in tracebacks[:10]:
        print(f"  server: {line}")
    server_500s = tally.statuses.get("500", 0) + tally.read_statuses.get("500", 0)
    return {
        "clients": clients,
        "servers": servers,
        "seconds": elapsed_s,
        "kills": tally.kills,
        "answers": dict(tally.statuses),
        "read_backs": dict(tally.read_statuses),
        "acknowledged": acknowledged,
        "stored": stored_count,
        "lost": lost,
        "duplicated": duplicated,
        "server_500s": server_500s,
        "server_tracebacks": len(tracebacks),
        "stored_then_503": tally.stored_then_503,
        "stale_reads": len(tally.stale_reads),
        "stale_days": stale_days,
        "passed": lost == 0
        and duplicated == 0
        and server_500s == 0
        and not tracebacks
        and tally.stored_then_503 == 0
        and not tally.stale_reads
        and stale_days == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", default=USERNAME_PREFIX, help=argparse.SUPPRESS)
    parser.add_argument("--setup-fault", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count-fault", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--fault",
        action="store_true",
        help="API clients with idempotency keys while the app's connections are killed",
    )
    parser.add_argument(
        "--users", type=int, help=f"default 50, or {FAULT_CLIENTS} API clients with --fault"
    )
    parser.add_argument(
        "--seconds", type=int, help=f"default 60, or {KILL_FOR_S} s of killing with --fault"
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=2,
        help="app servers (gunicorns) sharing the one database, on --port and the ports after it",
    )
    parser.add_argument("--port", type=int, default=8791, help="the first server's port")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--json", type=Path, help="also write the outcome here, for run_all.py")
    args = parser.parse_args()
    if args.setup:
        setup(args.users)
        return
    if args.count:
        count_entries(args.prefix)
        return
    if args.setup_fault:
        setup_fault(args.users)
        return
    if args.count_fault:
        count_fault_entries()
        return
    if args.servers < 1:
        sys.exit("--servers must be at least 1.")
    if args.database_url.startswith("postgres"):
        recreate_postgres_database(args.database_url)
    if args.fault:
        outcome = run_fault(
            args.database_url,
            args.users or FAULT_CLIENTS,
            args.seconds or KILL_FOR_S,
            args.port,
            args.servers,
        )
    else:
        outcome = run(
            args.database_url, args.users or 50, args.seconds or 60, args.port, args.servers
        )
    if args.json:
        args.json.write_text(json.dumps(outcome, indent=1))
    sys.exit(0 if outcome["passed"] else 1)


if __name__ == "__main__":
    main()
