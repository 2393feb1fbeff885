"""Pages under load: wrk against gunicorn with DEBUG off, SQLite and PostgreSQL in one run.

    .venv/bin/python bench/pages.py                  # both databases
    .venv/bin/python bench/pages.py --no-postgres --duration 5

For each database: a fresh one, the whole SR Legacy folder and the seed foods, and a user
with a year of history (365 days × 15 entries). gunicorn serves it with 2 sync workers,
as `make serve` does, and wrk (Debian's package) drives each page at 16 connections for
10 s, each page right after the bare view so that both meet the machine in the same state:

- bare view: GET /healthz, Django and the middleware with no work (no session, no query);
- dashboard: GET /day/<last day>/report/;
- insights: GET /cramps/insights/?days=365, the year's cramps against what came before;
- day page: GET /day/<last day>/;
- search fragment: GET /day/<last day>/?q=… as htmx, the 50 queries of search.py in turn;
- add entry: POST /day/<day>/entries/ as htmx (the answer: the parts it changed), spread
  over the year's days so that each day grows by a few entries, as a real one would;
- dashboard, insights, day page and search fragment "afresh": the same requests with a
  query string of their own each time, which the views ignore, so that none is a page kept
  by tracker/page_cache.py: what a page costs when it is made (as after every write, or
  a search nobody typed before);
- API add: the same adds through POST /api/entries/ with a token, whose answer is the
  entry in a few lines of JSON: what the write costs without a page to show after it;
- signed-in floor and write floor: two views of bench/floor_urls.py, served by a gunicorn
  of their own (bench/floor_settings.py, the product's settings with these two URLs
  more): the session and the user answered with a word, and the least an add does (the
  meal and the entry in one transaction, then the revision bump; no validation, no day
  totals, no page): the ceiling of any page's and any write's share of the bare view.

Prints req/s, p50 and p99 of each page, its req/s as a share of the bare view's, the
median time of one request alone (wrk at one connection, right after), and the queries it
makes (counted once with Django's client in the setup process). Targets: at least 0.08
(dashboard, insights) or 0.12 (day page, search) of the bare view's req/s, and p99 under
200 ms; add entry (issue #29): a third of the write floor's req/s, p99 at 16 connections
and the one-connection median under 200 ms, at most 12 queries.
"""

import argparse
import http.client
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from server import (
    SEARCH_QUERIES,
    add_history,
    fresh_databases,
    make_user,
    medium_banana,
    prepare_site,
    run_child,
    running_gunicorn,
    server_env,
    setup_django,
)

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cramp_bench_pages"
CONNECTIONS = 16
HISTORY_DAYS = 365
# The share of the bare view's req/s each page should reach (issue #18).
TARGET_SHARE_OF_BARE = {"dashboard": 0.08, "insights": 0.08, "day page": 0.12,
                        "search fragment": 0.12}  # fmt: skip
# Add entry's own targets (issue #29): a third of the write floor's req/s (the least any
# add costs here, measured in the same run), at most this many queries.
ADD_SHARE_OF_WRITE_FLOOR = 1 / 3
ADD_MAX_QUERIES = 12
TARGET_P99_MS = 200.0
SINGLE_CONNECTION_S = 3  # the one-connection run: enough requests for a steady median
# The CSRF secret the benchmark's requests send as cookie and header alike.
CSRF_SECRET = "b" * 32
PAGES = ("dashboard", "insights", "day page", "search fragment", "add entry")
# The same pages made afresh on every request: a query string of its own per request (which
# the views ignore) is a page the cache has never kept, as after every write. No target:
# what a page costs when it is made, printed beside what it costs when kept.
AFRESH_PAGES = ("dashboard afresh", "insights afresh", "day page afresh", "search fragment afresh")
# Beside add entry, without a target: the same write answered in JSON, not with the day.
# The floors: what a signed-in request and an add cost at the least (bench/floor_urls.py).
FLOOR_PAGES = ("signed-in floor", "write floor")
# The product's settings with the floors' two URLs more; the setup process runs with them.
FLOOR_SETTINGS = "bench.floor_settings"
COMPARISON_PAGES = (*AFRESH_PAGES, "api add", *FLOOR_PAGES)
# The cramp diary's share of the year: a cramp every 9th day, a supplement every 2nd.
CRAMP_EVERY_DAYS = 9
SUPPLEMENT_EVERY_DAYS = 2


@dataclass(frozen=True)
class Request:
    method: str
    paths: list[str]
    headers: dict[str, str]
    body: str = ""
    # When set, the nth request sends the nth body (in turn) instead of `body`.
    bodies: tuple[str, ...] = ()
    expect: str = ""  # text the answer must hold, checked once before the run
    status: int = 200  # the answer's status, checked once before the run
    # When set, each request is one of the paths at random, ending with this and a random
    # number of its own.
    random_suffix: str = ""

    def path_at(self, n: int) -> str:
        """The nth request's path (as wrk sends them, but for the random numbers)."""
        path = self.paths[n % len(self.paths)]
        return f"{path}{self.random_suffix}{n}" if self.random_suffix else path

    def body_at(self, n: int) -> str:
        return self.bodies[n % len(self.bodies)] if self.bodies else self.body


def requests_for(setup: dict) -> dict[str, Request]:
    last_day = date.fromisoformat(setup["last_day"])
    cookie = {"Cookie": f"sessionid={setup['session']}; csrftoken={CSRF_SECRET}"}
    htmx = {**cookie, "HX-Request": "true"}
    history = [last_day - timedelta(days=offset) for offset in range(HISTORY_DAYS)]
    form = {"food": setup["food"], "quantity": "1", "unit": setup["portion"], "slot": "snacks"}
    banana = {"food": setup["food"], "portion": setup["portion"]}
    form_post = {
        **htmx,
        "X-CSRFToken": CSRF_SECRET,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    gets = {
        "dashboard": Request("GET", [f"/day/{last_day}/report/"], cookie, expect="Cramp risk"),
        "insights": Request(
            "GET", ["/cramps/insights/?days=365"], cookie, expect="What came before your cramps"
        ),
        "day page": Request("GET", [f"/day/{last_day}/"], cookie, expect="Potassium"),
        "search fragment": Request(
            "GET",
            [f"/day/{last_day}/?q={quote(query)}" for query in SEARCH_QUERIES],
            {**htmx, "HX-Target": "search-results"},
        ),
    }
    return {
        "bare view": Request("GET", ["/healthz"], {}, expect="ok"),
        **gets,
        **{
            f"{page} afresh": afresh(request)
            for page, request in gets.items()
            if f"{page} afresh" in AFRESH_PAGES
        },
        "add entry": Request(
            "POST",
            [f"/day/{day}/entries/" for day in history],
            form_post,
            urlencode(form),
            expect="Added",
        ),
        "api add": Request(
            "POST",
            ["/api/entries/"],
            {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"},
            bodies=tuple(
                json.dumps({"date": f"{day}", "meal": "snacks", "count": 1, **banana})
                for day in history
            ),
            expect='"grams"',
            status=201,
        ),
        "signed-in floor": Request("GET", ["/floor/signed-in/"], cookie, expect="floor"),
        "write floor": Request(
            "POST",
            [f"/floor/add/{day}/" for day in history],
            form_post,
            urlencode({"food": setup["food"], "grams": "118"}),
            expect="floor",
        ),
    }


def afresh(request: Request) -> Request:
    """The request with a query string of its own each time (the page is never kept)."""
    suffix = "&afresh=" if "?" in request.paths[0] else "?afresh="
    return replace(request, random_suffix=suffix)


# --- setup process: runs with the database's DATABASE_URL -------------------------------


def setup() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tracker.models import ApiToken, DayTotal, Entry

    foods = prepare_site()
    user = make_user("bench")
    last_day = timezone.localdate()
    entries = add_history(user, last_day, HISTORY_DAYS)
    add_cramps_and_supplements(user, last_day)
    last_history_entry = Entry.objects.latest("pk").pk
    client = Client()
    client.force_login(user, backend="tracker.middleware.UserWithProfileBackend")  # as logins
    client.cookies["csrftoken"] = CSRF_SECRET
    setup = {
        "foods": foods,
        "entries": entries,
        "last_day": last_day.isoformat(),
        "session": client.cookies["sessionid"].value,
        "token": ApiToken.create_for(user, "bench")[1],
        **medium_banana(),
    }
    queries = {}
    for page, request in requests_for(setup).items():
        client_send(client, request, 0)  # warm-up
        with CaptureQueriesContext(connection) as captured:  # kept, unless the paths differ
            client_send(client, request, 1)
        queries[page] = len(captured)
    # The adds above are undone: the history stays 15 entries a day.
    added = Entry.objects.filter(pk__gt=last_history_entry)
    added_days = set(added.values_list("meal__day", flat=True))
    added.delete()
    DayTotal.refresh(user, added_days)
    print(json.dumps({**setup, "queries": queries}))


def add_cramps_and_supplements(user, last_day: date) -> None:
    """The year's cramps (every CRAMP_EVERY_DAYS days, at night) and supplements."""
    from datetime import datetime, time

    from django.utils import timezone

    from tracker.models import Cramp, Supplement, SupplementIntake

    days = [last_day - timedelta(days=offset) for offset in range(HISTORY_DAYS)]
    Cramp.objects.bulk_create(
        Cramp(
            user=user,
            day=day,
            started_at=timezone.make_aware(datetime.combine(day, time(23, 0))),
            muscle="calf",
            severity=index % 11,
        )
        for index, day in enumerate(days[::CRAMP_EVERY_DAYS])
    )
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    SupplementIntake.objects.bulk_create(
        SupplementIntake(user=user, day=day, supplement=citrate, count=2)
        for day in days[::SUPPLEMENT_EVERY_DAYS]
    )


def client_send(client, request: Request, n: int):
    """The nth request through Django's test client (its cookies are the client's own),
    answered with the expected status."""
    headers = {k: v for k, v in request.headers.items() if k != "Cookie"}
    send = client.post if request.method == "POST" else client.get
    path = request.path_at(n)
    body = request.body_at(n)
    response = send(path, body, headers=headers, content_type=headers.get("Content-Type"))
    assert response.status_code == request.status, (request.method, path, response.status_code)
    return response


# --- driver ---------------------------------------------------------------------------


def lua_script(request: Request) -> str:
    """wrk's script: the method, headers and body, and each request the next path."""

    def lua(text: str) -> str:
        return json.dumps(text)  # a JSON string of ASCII is a Lua string too

    lines = [f"wrk.method = {lua(request.method)}", f"wrk.body = {lua(request.body)}"]
    lines += [f"wrk.headers[{lua(k)}] = {lua(v)}" for k, v in request.headers.items()]
    lines.append("local paths = {" + ", ".join(lua(p) for p in request.paths) + "}")
    lines.append("local bodies = {" + ", ".join(lua(b) for b in request.bodies) + "}")
    lines.append("local sent = 0")
    if request.random_suffix:
        # Each thread its own seed (a new table's address differs between threads).
        lines.append("math.randomseed(os.time() + tonumber(tostring({}):match('0x(%x+)'), 16))")
        lines.append(
            "request = function() return wrk.format(nil, paths[math.random(#paths)] .. "
            f"{lua(request.random_suffix)} .. math.random(1, 2000000000)) end"
        )
    elif request.bodies:
        lines.append(
            "request = function() sent = sent + 1; "
            "return wrk.format(nil, paths[sent % #paths + 1], nil, bodies[sent % #bodies + 1]) end"
        )
    else:
        lines.append(
            "request = function() sent = sent + 1; "
            "return wrk.format(nil, paths[sent % #paths + 1]) end"
        )
    return "\n".join(lines) + "\n"


def check_once(base_url: str, page: str, request: Request) -> None:
    """One request by hand before the run: a 200 (no redirect to the login) with the
    expected text, so that wrk measures the page and not an error."""
    connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=30)
    body = request.body_at(0) or None
    connection.request(request.method, request.paths[0], body, request.headers)
    response = connection.getresponse()
    text = response.read().decode()
    if response.status != request.status or request.expect not in text:
        sys.exit(f"{page}: {response.status} without {request.expect!r}:\n{text[:500]}")


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(
    base_url: str, request: Request, duration_s: int, folder: Path, connections: int = CONNECTIONS
) -> dict:
    script = folder / "request.lua"
    script.write_text(lua_script(request))
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--latency"]
    output = subprocess.run(
        [*command, "-s", str(script), base_url], capture_output=True, text=True, check=True
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if len(percentiles) != 2:
        sys.exit(f"wrk printed no latency distribution:\n{output}")
    socket_errors = re.search(r"Socket errors: (.*)", output)
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1))) if socket_errors else 0
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(percentiles["50"]),
        "p99_ms": to_ms(percentiles["99"]),
        "errors": errors + (int(bad_status.group(1)) if bad_status else 0),
    }


@dataclass(frozen=True)
class Row:
    """One page's wrk run and the bare view's run just before it."""

    database: str
    page: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    queries: int
    bare_rps: float
    bare_p99_ms: float
    single_ms: float  # median of one connection alone
    target_share: float | None  # None: printed for comparison, no target
    write_floor_rps: float | None = None  # add entry's: the same database's write floor

    @property
    def share_of_bare(self) -> float:
        return self.rps / self.bare_rps

    @property
    def verdict(self) -> str:
        if self.page == "add entry":
            return self.add_verdict
        if self.target_share is None:
            return "(no target)"
        misses = []
        if self.share_of_bare < self.target_share:
            misses.append("req/s")
        if self.p99_ms >= TARGET_P99_MS:
            misses.append("p99")
        if self.errors:
            misses.append("errors")
        return "MISSED " + ", ".join(misses) if misses else "ok"

    @property
    def add_verdict(self) -> str:
        if self.write_floor_rps is None:
            return "(no write floor measured)"
        misses = []
        if self.rps < self.write_floor_rps * ADD_SHARE_OF_WRITE_FLOOR:
            misses.append("req/s")
        if self.p99_ms >= TARGET_P99_MS or self.single_ms >= TARGET_P99_MS:
            misses.append("p99" if self.p99_ms >= TARGET_P99_MS else "1-conn")
        if self.queries > ADD_MAX_QUERIES:
            misses.append("queries")
        if self.errors:
            misses.append("errors")
        share = f"{self.rps / self.write_floor_rps:.2f} of write floor"
        return f"MISSED {', '.join(misses)} ({share})" if misses else f"ok ({share})"


def bench_database(
    name: str, url: str, duration_s: int, port: int, pages: list[str] | tuple[str, ...] = PAGES
) -> list[Row]:
    print(f"{name}: loading foods and a year of history…", flush=True)
    env = server_env(url)
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": FLOOR_SETTINGS}
    setup = json.loads(run_child(__file__, ["--setup"], floor_env).splitlines()[-1])
    print(f"{name}: {setup['foods']:,} foods, {setup['entries']:,} entries", flush=True)
    requests = requests_for(setup)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "gunicorn.log"
        # The floors last: their adds leave no day totals behind.
        for served_env, chosen in (
            (env, [page for page in pages if page not in FLOOR_PAGES]),
            (floor_env, [page for page in pages if page in FLOOR_PAGES]),
        ):
            if not chosen:
                continue
            with running_gunicorn(served_env, port, log) as base_url:
                for page in chosen:
                    rows.append(
                        measure(name, base_url, requests, page, setup, duration_s, Path(folder))
                    )
        server_errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
    if server_errors:
        print(f"{name}: the server logged errors:\n" + "\n".join(server_errors[:20]))
    floor = next((row.rps for row in rows if row.page == "write floor"), None)
    return [replace(row, write_floor_rps=floor) if row.page == "add entry" else row for row in rows]


def measure(
    database: str,
    base_url: str,
    requests: dict[str, Request],
    page: str,
    setup: dict,
    duration_s: int,
    folder: Path,
) -> Row:
    """The page under wrk right after the bare view, then alone at one connection."""
    bare_request = requests["bare view"]
    check_once(base_url, "bare view", bare_request)
    check_once(base_url, page, requests[page])
    bare = run_wrk(base_url, bare_request, duration_s, folder)
    measured = run_wrk(base_url, requests[page], duration_s, folder)
    single = run_wrk(base_url, requests[page], SINGLE_CONNECTION_S, folder, 1)
    errors = measured["errors"] + bare["errors"] + single["errors"]
    print(f"  {page}: {measured['rps']:.0f} req/s (bare {bare['rps']:.0f})", flush=True)
    return Row(database, page, measured["rps"], measured["p50_ms"], measured["p99_ms"],
               errors, setup["queries"][page], bare["rps"], bare["p99_ms"],
               single["p50_ms"], TARGET_SHARE_OF_BARE.get(page))  # fmt: skip


def print_table(rows: list[Row], duration_s: int) -> None:
    print(
        f"\nwrk -t2 -c{CONNECTIONS} -d{duration_s}s against gunicorn (2 sync workers, DEBUG off);"
        f" {HISTORY_DAYS} days × 15 entries of history"
    )
    print(
        "targets: req/s ≥ 0.08 (dashboard) or 0.12 × the bare view's (measured just before),"
        f" p99 < {TARGET_P99_MS:.0f} ms; 1-conn: the median of one connection alone;"
        f" add entry: ≥ 1/3 of the write floor's req/s, p99 and 1-conn < {TARGET_P99_MS:.0f}"
        f" ms, ≤ {ADD_MAX_QUERIES} queries\n"
    )
    header = (
        f"{'database':<11} {'page':<22} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'1-conn ms':>9} {'bare req/s':>10} {'ratio':>6} {'target':>6} {'queries':>7} "
        f"{'errors':>6}  verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.database:<11} {row.page:<22} {row.rps:>7.0f} {row.p50_ms:>7.1f} "
            f"{row.p99_ms:>7.1f} {row.single_ms:>9.1f} {row.bare_rps:>10.0f} "
            f"{row.share_of_bare:>6.2f} {format(row.target_share or 0, '.2f') if row.target_share else '—':>6} {row.queries:>7} "
            f"{row.errors:>6}  {row.verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--json", type=Path, help="also write the rows here, for run_all.py")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGES + COMPARISON_PAGES,
        default=PAGES + COMPARISON_PAGES,
        help="only these pages (default: all)",
    )
    args = parser.parse_args()
    if args.setup:
        setup()
        return

    rows: list[Row] = []
    with fresh_databases(args.postgres_url, not args.no_postgres) as databases:
        for name, url in databases:
            rows += bench_database(name, url, args.duration, args.port, args.pages)
    print_table(rows, args.duration)
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=1))


if __name__ == "__main__":
    main()
