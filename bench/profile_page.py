"""Profile one page of pages.py with pyinstrument: where a request's time goes.

    .venv/bin/python bench/profile_page.py dashboard
    .venv/bin/python bench/profile_page.py "add entry" --repeat 100 --database-url postgres://…

The page is requested through Django's test client (the whole view, middleware and
templates, no network) --repeat times after one warm-up, as the user of pages.py with a
year of history, with DEBUG off. The database is set up as pages.py does the first time
(default: bench-profile.sqlite3 in the temporary folder) and reused after, so that
profiling again after a change is quick. Prints the profile and the mean time per request.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from pages import (
    COMPARISON_PAGES,
    CSRF_SECRET,
    FLOOR_SETTINGS,
    HISTORY_DAYS,
    PAGES,
    add_cramps_and_supplements,
    client_send,
    requests_for,
)
from server import add_history, make_user, medium_banana, prepare_site, server_env, setup_django

DEFAULT_DATABASE_URL = f"sqlite:///{Path(tempfile.gettempdir()) / 'bench-profile.sqlite3'}"


def profile(page: str, repeat: int) -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from pyinstrument import Profiler

    last_day = timezone.localdate()
    if "auth_user" in connection.introspection.table_names():
        call_command("migrate", verbosity=0)  # the database kept from a run before this change
        user = get_user_model().objects.filter(username="bench").first()
    else:
        user = None
    if user is None:
        print("setting the database up (once)…", file=sys.stderr, flush=True)
        prepare_site()
        user = make_user("bench")
        add_history(user, last_day, HISTORY_DAYS)
        add_cramps_and_supplements(user, last_day)
    client = Client()
    client.force_login(user, backend="tracker.middleware.UserWithProfileBackend")  # as logins
    client.cookies["csrftoken"] = CSRF_SECRET
    from tracker.models import ApiToken

    token = ApiToken.create_for(user, "profile")[1]
    setup = {"last_day": last_day.isoformat(), "session": "", "token": token, **medium_banana()}
    request = requests_for(setup)[page]

    def one(index: int) -> None:
        client_send(client, request, index)

    one(0)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for index in range(repeat):
            one(index)
    mean_ms = (time.perf_counter() - started) * 1000 / repeat
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{page}: {mean_ms:.1f} ms per request (mean of {repeat}, under the profiler)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=PAGES + COMPARISON_PAGES)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    # The floors' settings: the product's, and the floor views' URLs (bench/floor_urls.py).
    os.environ.update(server_env(args.database_url), DJANGO_SETTINGS_MODULE=FLOOR_SETTINGS)
    profile(args.page, args.repeat)


if __name__ == "__main__":
    main()
