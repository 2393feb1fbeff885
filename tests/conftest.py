"""Fixtures that build exactly what a test needs; nothing is loaded for every test."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.utils import timezone

from tracker.day_data import forget_suggestable_foods

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
