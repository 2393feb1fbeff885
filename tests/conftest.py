"""Fixtures that build exactly what a test needs; nothing is loaded for every test."""

import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.utils import timezone

from nutrients.models import Food, FoodNutrient, Nutrient, Portion
from tracker.day_data import forget_suggestable_foods
from tracker.models import DayTotal, Entry, Meal

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# browser tests make to set up data are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SR_LEGACY = PROJECT_ROOT.parent / "shared" / "data" / "fdc-sr-legacy"
BRANDED_SAMPLE = PROJECT_ROOT.parent / "shared" / "data" / "fdc-branded-sample"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "a-long-test-password-1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Hypothesis runs are slow by nature (`make test-fast` leaves them out); so are the
    # tests marked slow by hand, which import the whole SR Legacy table.
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
    browser_items = [item for item in items if "tests/browser/" in item.nodeid]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if not browser_items or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true and no Chromium at {CHROMIUM}: browser tests must run.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (install it or set CHROMIUM)")
    for item in browser_items:
        item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Django removes the SQLite test database's file (tracker/settings.py names it), but
    # not the write-ahead log beside it, which the live server's connections kept open:
    # 24 MB a run, left in the temporary folder.
    from django.conf import settings

    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and test_name:
        for suffix in ("-wal", "-shm"):
            Path(test_name + suffix).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs collectstatic and breaks live_server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A test's database starts afresh; the pages kept by the one before must go with it.
    caches["pages"].clear()
    forget_suggestable_foods()
    yield
    # A request through the test client leaves its user's time zone active in this thread
    # (the middleware deactivates it when the next request starts): the next test's
    # "today" must not be, say, Kiritimati's.
    timezone.deactivate()


@pytest.fixture
def shipped_supplements(db):
    """The shipped supplements, as their migration adds them: a test that empties the
    database (live_server, transaction=True) takes them away for the tests after it."""
    from tracker.models import Supplement

    Supplement.add_shipped()


@pytest.fixture
def make_user(db):
    from tracker.models import Profile

    def make(username: str = "alice", **fields):
        fields.setdefault("email", f"{username}@example.org")
        user = get_user_model().objects.create_user(username, password=PASSWORD, **fields)
        Profile.objects.create(user=user)  # as sign-up does
        return user

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice")


@pytest.fixture
def other_user(make_user):
    return make_user("bob")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def foods(db):
    """A few foods with their real SR Legacy values per 100 g and household portions."""
    from nutrients.models import Food, FoodNutrient, Nutrient, Portion

    nutrients = {
        1092: ("Potassium, K", "mg"),
        1087: ("Calcium, Ca", "mg"),
        1090: ("Magnesium, Mg", "mg"),
        1051: ("Water", "g"),
        1008: ("Energy", "kcal"),
    }
    for nutrient_id, (name, unit) in nutrients.items():
        Nutrient.objects.get_or_create(id=nutrient_id, defaults={"name": name, "unit": unit})

    def food(fdc_id, description, amounts, portions=(), **fields):
        made = Food.objects.create(
            fdc_id=fdc_id, description=description, source=fields.pop("source", "seed"), **fields
        )
        for nutrient_id, amount in amounts.items():
            FoodNutrient.objects.create(food=made, nutrient_id=nutrient_id, amount=amount)
        for seq, (label, grams) in enumerate(portions, start=1):
            Portion.objects.create(food=made, seq=seq, description=label, grams=grams)
        return made

    return {
        "banana": food(
            173944,
            "Bananas, raw",
            {1092: "358", 1087: "5", 1090: "27", 1051: "74.91", 1008: "89"},
            [("1 cup, sliced", "150"), ('1 medium (7" to 7-7/8" long)', "118")],
        ),
        "almonds": food(
            170567,
            "Nuts, almonds",
            {1092: "733", 1087: "269", 1090: "270", 1051: "4.41", 1008: "579"},
            [("1 oz (23 whole kernels)", "28.35")],
        ),
        "water": food(
            173647, "Beverages, water, tap, drinking", {1087: "3", 1090: "1", 1051: "99.91"}
        ),
        # Potassium and calcium known, magnesium never analysed: "no data", not zero.
        "no_magnesium": food(None, "Mystery stew", {1092: "100", 1087: "10"}, source="fdc"),
    }


# --- The food admin's tests: the three minerals, foods made in one line, an entry ---------


@pytest.fixture
def minerals(db) -> dict[str, Nutrient]:
    return {
        "K": Nutrient.objects.create(id=1092, name="Potassium", unit="mg", display_order=1),
        "Ca": Nutrient.objects.create(id=1087, name="Calcium", unit="mg", display_order=2),
        "Mg": Nutrient.objects.create(id=1090, name="Magnesium", unit="mg", display_order=3),
    }


def make_food(description: str, amounts: dict[int, str] | None = None, **fields) -> Food:
    """A food with amounts per 100 g keyed by nutrient id."""
    fields.setdefault("category", "Fruits and Fruit Juices")
    food = Food.objects.create(description=description, **fields)
    for nutrient_id, amount in (amounts or {}).items():
        FoodNutrient.objects.create(food=food, nutrient_id=nutrient_id, amount=Decimal(amount))
    return food


@pytest.fixture
def banana(minerals) -> Food:
    food = make_food(
        "Bananas, raw", {1092: "358", 1087: "5", 1090: "27"}, fdc_id=173944, data_type="sr"
    )
    Portion.objects.create(food=food, seq=1, description="1 medium", grams=Decimal("118"))
    return food


def log(food: Food, user) -> Entry:
    meal = Meal.objects.create(user=user, day=date(2025, 1, 6), slot=Meal.Slot.BREAKFAST)
    entry = Entry.objects.create(
        meal=meal, food=food, grams=Decimal(118), quantity=Decimal(118), unit="g"
    )
    DayTotal.refresh(user, [meal.day])
    return entry


def food_change_form(food: Food) -> dict[str, str]:
    """The admin's food form as saved, with no portion rows: add the amounts' rows."""
    return {
        "description": food.description,
        "category": food.category,
        "source": food.source,
        "data_type": food.data_type,
        "brand_owner": "",
        "gtin": "",
        "owner": "",
        **({"staff_edited": "on"} if food.staff_edited else {}),
        "portions-TOTAL_FORMS": "0",
        "portions-INITIAL_FORMS": "0",
        "portions-MIN_NUM_FORMS": "0",
        "portions-MAX_NUM_FORMS": "1000",
    }


def concurrently(calls: list, patience_s: float = 60) -> list:
    """Run each call at the same moment in a thread of its own (each with its own
    database connection) and return their answers in order. A call answered 503 (the
    database busy, as SQLite's test database says under many writers) is made again,
    as a client resends the same request, after a short random pause: what a test counts
    is what was stored."""
    import random
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    start = threading.Barrier(len(calls))

    def run(call):
        try:
            start.wait(30)
            # Resent for up to a minute: on a busy machine forty writers on SQLite can
            # keep one waiting longer than a few tries.
            give_up_at = time.monotonic() + patience_s
            while True:
                response = call()
                if response.status_code != 503 or time.monotonic() > give_up_at:
                    return response
                time.sleep(random.uniform(0.005, 0.05))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture(scope="module")
def shipped_table(django_db_setup, django_db_blocker):
    """The whole shipped food table (7,697 foods), loaded once for the module that asks,
    outside the tests' transactions, and removed again after it, so that the other
    modules keep their empty table."""
    from nutrients import models as m
    from nutrients.shipped import load_shipped_foods

    with django_db_blocker.unblock():
        load_shipped_foods()
    yield
    with django_db_blocker.unblock():
        # Each delete is one statement: nothing of another model points at these rows;
        # the foods and nutrients go last, once nothing points at them.
        for model in (
            m.FoodNutrient, m.Portion, m.EverydayFood, m.SearchWord, m.Synonym,
            m.FoodDataVersion, m.Food, m.Nutrient,
        ):  # fmt: skip
            model.objects.all().delete()
