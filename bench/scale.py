"""One person's pages on a site of one person and on a site of 1,000 people, side by side.

    .venv/bin/python bench/scale.py                        # build both sites, then measure
    .venv/bin/python bench/scale.py --reuse                # measure again on the sites built before
    .venv/bin/python bench/scale.py --people 50 --days 60  # a quick run

Builds two PostgreSQL databases (`<prefix>_one`, `<prefix>_many`), each with the whole SR
Legacy folder and the seed foods: one with 1 person and one with --people people (1,000),
each person with --days days (365) of diary up to today: 12 entries a day (3 in each of the
4 meals, everyday foods in household portions), a night cramp every 9th day and magnesium
citrate every 2nd day. The rows are written by INSERT … SELECT generate_series, day by day
across all people (as a site grows), so that one person's rows lie scattered among
everyone's. The day totals (DayTotal, DayNutrientTotal) are then stored by the product's own
querysets (the ones DayTotal.refresh stores) run as one INSERT … SELECT each, checked
against DayTotal.refresh for the measured person, and the tables analysed. Progress counts
and the build time are printed. With --reuse a site already built with the same --people
and --days is kept (to measure again after an index change); otherwise it is built anew.

The measured person is the first one in each site, with the same diary on both. Both sites
are served at once by gunicorn (2 sync workers, DEBUG off), and each request is sent alone
(one connection, one at a time), the two sites taking turns round by round so that both meet
the machine in the same state:

- day page afresh: GET /day/<last day>/ with a query string of its own each time (which the
  view ignores), so that tracker/page_cache.py never serves a kept page;
- dashboard afresh: GET /day/<last day>/report/, the same way;
- insights afresh: GET /cramps/insights/?days=365, the same way;
- search fragment: GET /day/<last day>/?q=… as htmx, the queries of search.py in turn
  (afresh too);
- add entry: POST /day/<day>/entries/ as htmx, a medium banana, spread over the year's days
  (the adds are deleted again afterwards, with their days' totals refreshed).

Prints each request's median time in ms on each site, the ratio many/one, and the queries
each request makes on each site (counted once with Django's test client in a child process).
Acceptance (issue #29): every ratio at most 1.2 and the query counts equal.
"""

import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from server import (
    GUNICORN,
    PROJECT_ROOT,
    SEARCH_QUERIES,
    medium_banana,
    prepare_site,
    recreate_postgres_database,
    running_gunicorn,
    server_env,
    settle_statistics,
    setup_django,
)

DEFAULT_DATABASE_PREFIX = "postgres://postgres@127.0.0.1:5432/cramp_scale"
MEASURED_USERNAME = "person1"
SLOTS = ("breakfast", "lunch", "dinner", "snacks")
ENTRIES_PER_MEAL = 3  # 12 a day
POOL_FOODS = 80  # everyday foods the diaries are made of, as bench/server.py's add_history
CRAMP_EVERY_DAYS = 9
SUPPLEMENT_EVERY_DAYS = 2
CSRF_SECRET = "s" * 32
MAX_RATIO = 1.2
PAGES = ("day page afresh", "dashboard afresh", "insights afresh", "search fragment", "add entry")


# --- child processes: each runs with one site's DATABASE_URL ----------------------------


def build(people: int, days: int) -> None:
    """Fill an empty database: foods, people, their diaries and stored day totals."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from nutrients.models import Food, Portion
    from nutrients.report import REPORT_NUTRIENT_IDS
    from tracker.models import (
        Cramp,
        DayNutrientTotal,
        DayTotal,
        Entry,
        Meal,
        Profile,
        Supplement,
        SupplementIntake,
    )

    started = time.monotonic()

    def progress(text: str) -> None:
        print(f"  {time.monotonic() - started:6.0f} s  {text}", flush=True)

    progress(f"{prepare_site():,} foods")
    last_day = timezone.localdate()
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(username=f"person{n}", password="!") for n in range(1, people + 1)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    progress(f"{people:,} people")

    # The foods of everyone's diary, as add_history chooses them: by a fixed seed.
    food_ids = sorted(
        set(Food.objects.filter(owner=None, portions__isnull=False).values_list("pk", flat=True))
    )
    pool = random.Random(1).sample(food_ids, POOL_FOODS)
    citrate = Supplement.objects.get(owner=None, name="Magnesium citrate")
    tables = {
        "user": user_model._meta.db_table,
        **{
            model.__name__.lower(): model._meta.db_table
            for model in (Portion, Meal, Entry, Cramp, SupplementIntake)
        },
    }
    with connection.cursor() as cursor, transaction.atomic():
        # No per-row foreign key triggers (checking 20 million references at the commit
        # takes longer than the load): each row below is made by joining rows that exist.
        cursor.execute("SET LOCAL session_replication_role = replica")
        # person: each person's number (1 is the measured one); pool: the portions in turn.
        cursor.execute(
            "CREATE TEMP TABLE person AS SELECT id AS user_id, "
            "substr(username, 7)::int AS n FROM {user} WHERE username LIKE %s".format(**tables),
            ["person%"],
        )
        cursor.execute(
            "CREATE TEMP TABLE pool AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, "
            "id AS portion_id, food_id, grams, description FROM {portion} "
            "WHERE food_id = ANY(%s)".format(**tables),
            [pool],
        )
        cursor.execute("SELECT count(*) FROM pool")
        pool_size = cursor.fetchone()[0]
        # Day by day, everyone's meals of the day: the order a site's rows are written in.
        cursor.execute(
            "INSERT INTO {meal} (user_id, day, slot) "
            "SELECT user_id, %s::date - d, slot FROM person, generate_series(0, %s - 1) d, "
            "unnest(%s::text[]) WITH ORDINALITY AS s(slot, slot_n) "
            "ORDER BY d DESC, user_id, slot_n".format(**tables),
            [last_day, days, list(SLOTS)],
        )
        progress(f"{cursor.rowcount:,} meals")
        # Each meal's entries: a portion and an amount picked by a hash of the person's
        # number, the day, the meal and the entry's place, so that person1's diary is the
        # same on both sites.
        cursor.execute(
            "INSERT INTO {entry} "
            "(meal_id, food_id, grams, quantity, portion_id, unit, created_at, version) "
            "SELECT m.id, pool.food_id, round(pool.grams * q.quantity, 2), q.quantity, "
            "pool.portion_id, pool.description, m.day + time '12:00', 1 "
            "FROM {meal} m JOIN person USING (user_id) CROSS JOIN generate_series(1, %s) k "
            "CROSS JOIN LATERAL (SELECT concat_ws(':', person.n, m.day, m.slot, k) AS seed) s "
            "CROSS JOIN LATERAL (SELECT (ARRAY[1, 1.5, 2])"
            "[1 + (hashtext(s.seed || 'q')::bigint %% 3 + 3) %% 3]::numeric AS quantity) q "
            "JOIN pool ON pool.n = (hashtext(s.seed)::bigint %% %s + %s) %% %s "
            "ORDER BY m.id, k".format(**tables),
            [ENTRIES_PER_MEAL, pool_size, pool_size, pool_size],
        )
        progress(f"{cursor.rowcount:,} entries")
        cursor.execute(
            "INSERT INTO {cramp} (user_id, started_at, day, muscle, severity, activity, note, "
            "created_at, version) "
            "SELECT user_id, %s::date - d + time '23:00', %s::date - d, 'calf', "
            "(d / %s) %% 11, '', '', %s::date - d + time '23:30', 1 "
            "FROM person, generate_series(0, %s - 1, %s) d ORDER BY d DESC, user_id".format(
                **tables
            ),
            [last_day, last_day, CRAMP_EVERY_DAYS, last_day, days, CRAMP_EVERY_DAYS],
        )
        progress(f"{cursor.rowcount:,} cramps")
        cursor.execute(
            "INSERT INTO {supplementintake} (user_id, day, supplement_id, count, created_at, "
            "version) SELECT user_id, %s::date - d, %s, 2, %s::date - d + time '08:00', 1 "
            "FROM person, generate_series(0, %s - 1, %s) d ORDER BY d DESC, user_id".format(
                **tables
            ),
            [last_day, citrate.pk, last_day, days, SUPPLEMENT_EVERY_DAYS],
        )
        progress(f"{cursor.rowcount:,} supplement intakes")

        # The day totals: the querysets DayTotal._store writes, each run as one
        # INSERT … SELECT instead of through Python, planned with the new rows counted
        # and memory enough to add them up by hashing instead of sorting.
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL work_mem = '512MB'")
        entries = Entry.objects.order_by()
        counts = entries.values("meal__user_id", "meal__day").annotate(count=Count("id"))
        insert_from(cursor, DayTotal, ("user_id", "day", "entries"), counts)
        progress(f"{DayTotal.objects.count():,} day totals")
        sums = entries._nutrient_sums(REPORT_NUTRIENT_IDS, "meal__user_id", "meal__day")
        insert_from(
            cursor,
            DayNutrientTotal,
            ("user_id", "day", "nutrient_id", "amount", "known_entries"),
            sums,
        )
        progress(f"{DayNutrientTotal.objects.count():,} day nutrient totals")

    check_totals(user_model.objects.get(username=MEASURED_USERNAME))
    progress("totals of person1 equal DayTotal.refresh's")
    settle_statistics()
    progress("vacuumed and analysed")
    print(json.dumps({"seconds": round(time.monotonic() - started)}))


def insert_from(cursor, model, columns: tuple[str, ...], queryset) -> None:
    """INSERT INTO the model's table the rows the queryset selects, in the database."""
    select, params = queryset.query.sql_with_params()
    names = ", ".join(columns)
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) {select}", params)


def check_totals(user) -> None:
    """The stored totals of the user are what the product's own refresh stores."""
    from tracker.models import DayNutrientTotal, DayTotal

    def stored() -> tuple[set, set]:
        return (
            set(DayTotal.objects.filter(user=user).values_list("day", "entries")),
            set(
                DayNutrientTotal.objects.filter(user=user).values_list(
                    "day", "nutrient_id", "amount", "known_entries"
                )
            ),
        )

    bulk = stored()
    DayTotal.refresh(user, [day for day, _ in bulk[0]])
    if stored() != bulk:
        sys.exit("the bulk-loaded day totals differ from DayTotal.refresh's")


def migrate() -> None:
    """A site built before, with the migrations added since (new indexes) and fresh
    planner statistics."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settle_statistics()
    print("{}")


def session() -> None:
    """Sign the measured person in; count each request's queries with Django's client;
    print what the driver needs as JSON."""
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tracker.models import Entry, Meal

    user = get_measured_user()
    last_day = Meal.objects.filter(user=user).latest("day").day
    client = Client()
    client.force_login(user, backend="tracker.middleware.UserWithProfileBackend")
    client.cookies["csrftoken"] = CSRF_SECRET
    days = Meal.objects.filter(user=user).dates("day", "day").count()
    setup = {
        "last_day": last_day.isoformat(),
        "days": days,
        "session": client.cookies["sessionid"].value,
        "last_entry": Entry.objects.latest("pk").pk,
        **medium_banana(),
    }
    queries = {}
    for page, request in requests_for(setup).items():
        client_send(client, request, 0)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            client_send(client, request, 1)
        queries[page] = len(captured)
    undo_adds(setup["last_entry"])
    print(json.dumps({**setup, "queries": queries}))


def get_measured_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=MEASURED_USERNAME)


def undo_adds(last_entry: int) -> None:
    """Delete the entries after last_entry (the measured adds) and refresh their days."""
    from tracker.models import DayTotal, Entry

    user = get_measured_user()
    added = Entry.objects.filter(meal__user=user, pk__gt=last_entry)
    days = set(added.values_list("meal__day", flat=True))
    added.delete()
    DayTotal.refresh(user, days)


def client_send(client, request: "Request", n: int) -> None:
    headers = {k: v for k, v in request.headers.items() if k != "Cookie"}
    send = client.post if request.method == "POST" else client.get
    path = request.path_at(n)
    response = send(path, request.body, headers=headers, content_type=headers.get("Content-Type"))
    assert response.status_code == 200, (request.method, path, response.status_code)


# --- the requests ----------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    paths: list[str]  # the nth request sends the nth path, in turn
    headers: dict[str, str]
    body: str = ""
    expect: str = ""  # text the answer holds
    afresh: bool = True  # a query string of its own each time: never a kept page

    def path_at(self, n: int) -> str:
        path = self.paths[n % len(self.paths)]
        if not self.afresh:
            return path
        return f"{path}{'&' if '?' in path else '?'}afresh={n}-{random.randrange(10**9)}"


def requests_for(setup: dict) -> dict[str, Request]:
    last_day = date.fromisoformat(setup["last_day"])
    cookie = {"Cookie": f"sessionid={setup['session']}; csrftoken={CSRF_SECRET}"}
    htmx = {**cookie, "HX-Request": "true"}
    form = {"food": setup["food"], "quantity": "1", "unit": setup["portion"], "slot": "snacks"}
    history = [last_day - timedelta(days=offset) for offset in range(setup["days"])]
    return {
        "day page afresh": Request("GET", [f"/day/{last_day}/"], cookie, expect="Potassium"),
        "dashboard afresh": Request(
            "GET", [f"/day/{last_day}/report/"], cookie, expect="Cramp risk"
        ),
        "insights afresh": Request(
            "GET", ["/cramps/insights/?days=365"], cookie, expect="What came before your cramps"
        ),
        "search fragment": Request(
            "GET",
            [f"/day/{last_day}/?q={quote(query)}" for query in SEARCH_QUERIES],
            {**htmx, "HX-Target": "search-results"},
        ),
        "add entry": Request(
            "POST",
            [f"/day/{day}/entries/" for day in history],
            {
                **htmx,
                "X-CSRFToken": CSRF_SECRET,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urlencode(form),
            afresh=False,
        ),
    }


def send(base_url: str, request: Request, n: int) -> float:
    """The nth request, alone on a connection of its own; its time in ms."""
    connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=60)
    started = time.perf_counter()
    connection.request(request.method, request.path_at(n), request.body or None, request.headers)
    response = connection.getresponse()
    text = response.read().decode()
    elapsed_ms = (time.perf_counter() - started) * 1000
    connection.close()
    if response.status != 200 or request.expect not in text:
        sys.exit(f"{request.method} {request.path_at(n)}: {response.status}\n{text[:500]}")
    return elapsed_ms


# --- driver ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str
    people: int
    url: str


def stream_child(args: list[str], env: dict[str, str]) -> dict:
    """Run this script as a child with these arguments, passing its progress lines on;
    the JSON of its last line."""
    child = subprocess.Popen(
        [sys.executable, __file__, *args],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in child.stdout:
        lines.append(line.rstrip("\n"))
        if not line.startswith("{"):
            print(line, end="", flush=True)
    errors = child.stderr.read()
    if child.wait() != 0 or not lines:
        sys.exit(f"{' '.join(args)} failed:\n" + "\n".join(lines) + errors)
    return json.loads(lines[-1])


def built_shape(url: str) -> tuple[int, int] | None:
    """(people, days of person1) of a site built before, or None if there is none."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            people = conn.execute(
                "SELECT count(*) FROM auth_user WHERE username LIKE %s", ["person%"]
            ).fetchone()[0]
            days = conn.execute(
                "SELECT count(*) FROM tracker_daytotal t JOIN auth_user u ON u.id = t.user_id "
                "WHERE u.username = %s",
                [MEASURED_USERNAME],
            ).fetchone()[0]
    except psycopg.Error:
        return None
    return people, days


def ensure_built(site: Site, days: int, reuse: bool) -> None:
    if reuse and built_shape(site.url) == (site.people, days):
        print(f"{site.name}: reusing {site.url} (migrated, analysed)", flush=True)
        stream_child(["--migrate"], server_env(site.url))
        return
    print(f"{site.name}: building {site.people:,} × {days} days in {site.url}", flush=True)
    recreate_postgres_database(site.url)
    built = stream_child(["--build", str(site.people), str(days)], server_env(site.url))
    print(f"{site.name}: built in {built['seconds'] // 60} min {built['seconds'] % 60} s")


def measure(sites: list[Site], rounds: int, per_round: int, port: int) -> None:
    setups = {site.name: stream_child(["--session"], server_env(site.url)) for site in sites}
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "gunicorn.log"
        with (
            running_gunicorn(server_env(sites[0].url), port, log) as first_url,
            running_gunicorn(server_env(sites[1].url), port + 1, log) as second_url,
        ):
            base_urls = {sites[0].name: first_url, sites[1].name: second_url}
            requests = {site.name: requests_for(setups[site.name]) for site in sites}
            sent = 0
            for round_n in range(-1, rounds):  # round -1: a warm-up, not counted
                for page in PAGES:
                    for n in range(sent, sent + per_round):
                        # The sites take turns request by request, each first every other.
                        for site in sites if n % 2 == 0 else sites[::-1]:
                            ms = send(base_urls[site.name], requests[site.name][page], n)
                            if round_n >= 0:
                                times.setdefault((site.name, page), []).append(ms)
                sent += per_round
                if round_n >= 0:
                    print(f"  round {round_n + 1}/{rounds}", flush=True)
        server_errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
    for site in sites:
        stream_child(["--undo-adds", str(setups[site.name]["last_entry"])], server_env(site.url))
    if server_errors:
        print("the servers logged errors:\n" + "\n".join(server_errors[:20]))
    print_table(sites, setups, times)


def print_table(sites: list[Site], setups: dict, times: dict) -> None:
    one, many = sites
    days = setups[one.name]["days"]
    print(
        f"\none person's requests, one at a time, on a site of {one.people:,} and of "
        f"{many.people:,} people × {days} days (12 entries a day); gunicorn, 2 sync workers"
    )
    print(f"acceptance: many/one ≤ {MAX_RATIO} and equal query counts\n")
    header = (
        f"{'request':<18} {'1 person ms':>11} {f'{many.people:,} people ms':>16} {'ratio':>6} "
        f"{'queries':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    for page in PAGES:
        one_ms = statistics.median(times[(one.name, page)])
        many_ms = statistics.median(times[(many.name, page)])
        ratio = many_ms / one_ms
        queries = (setups[one.name]["queries"][page], setups[many.name]["queries"][page])
        misses = [name for name, missed in (("time", ratio > MAX_RATIO),
                                            ("queries", queries[0] != queries[1])) if missed]  # fmt: skip
        print(
            f"{page:<18} {one_ms:>11.1f} {many_ms:>16.1f} {ratio:>6.2f} "
            f"{f'{queries[0]} / {queries[1]}':>9}  {'MISSED ' + ', '.join(misses) if misses else 'ok'}"
        )
    print(f"\n({len(times[(one.name, PAGES[0])])} requests of each per site)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--migrate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--undo-adds", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--people", type=int, default=1000, help="people on the large site")
    parser.add_argument("--days", type=int, default=365, help="days of diary each")
    parser.add_argument("--reuse", action="store_true", help="keep sites built before")
    parser.add_argument("--database-prefix", default=DEFAULT_DATABASE_PREFIX)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=5, help="requests per page and round")
    parser.add_argument("--port", type=int, default=8610, help="this one and the next")
    args = parser.parse_args()
    if args.build:
        build(*args.build)
        return
    if args.session:
        session()
        return
    if args.migrate:
        migrate()
        return
    if args.undo_adds is not None:
        setup_django()
        undo_adds(args.undo_adds)
        print("{}")
        return

    if not GUNICORN.exists():
        sys.exit(f"no gunicorn at {GUNICORN}")
    sites = [
        Site("1 person", 1, f"{args.database_prefix}_one"),
        Site(f"{args.people:,} people", args.people, f"{args.database_prefix}_many"),
    ]
    for site in sites:
        ensure_built(site, args.days, args.reuse)
    measure(sites, args.rounds, args.per_round, args.port)


if __name__ == "__main__":
    main()
