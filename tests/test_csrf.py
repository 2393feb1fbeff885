"""Every POST needs the CSRF token: a form posted from another site is refused.

The list of endpoints is read from the URLconf itself, so a view added later is checked
without anyone remembering to list it. Each is posted twice by a signed-in browser: without
the token (403, Django's CSRF failure) and with it (anything but that failure), which shows that the
403 came from the missing token and nothing else.
"""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from axes.models import AccessFailureLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from nutrients.models import EverydayFood, Food, FoodDataVersion, Recipe, Synonym
from tests.conftest import PASSWORD
from tracker.models import (
    ApiToken,
    Cramp,
    Entry,
    Meal,
    SavedMeal,
    SavedMealItem,
    Supplement,
    SupplementIntake,
)
from tracker.recipes import IngredientData, create_recipe

# Shipped supplements come with a migration; a test that empties the database takes them.
pytestmark = pytest.mark.usefixtures("shipped_supplements")

DAY = dt.date(2026, 11, 22)
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def url_patterns(patterns: list, namespace: str = "") -> list[tuple[str, str | None, URLPattern]]:
    """(namespace, name, pattern) of every URL the site answers, includes followed."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += url_patterns(pattern.url_patterns, inner)
        else:
            found.append((namespace, pattern.name, pattern))
    return found


ALL_PATTERNS = url_patterns(get_resolver().url_patterns)
# The JSON API checks CSRF itself, for session requests only: tested at the end.
API_NAMESPACE = "api:"
# Unnamed patterns cannot be reversed. These two are the admin's own: the redirect from
# an object's old address to its change page, and the catch-all that answers 404.
UNNAMED_ADMIN_ROUTES = {"<path:object_id>/", "(?P<url>.*)$"}

NAMED_URLS = sorted(
    {
        f"{namespace}{name}"
        for namespace, name, _ in ALL_PATTERNS
        if name and namespace != API_NAMESPACE
    }
)
TEMPLATE_TEXT = "".join(path.read_text() for path in TEMPLATES.rglob("*.html"))
# The URLs that the templates post to with htmx: they are posted again as htmx does.
# Either hx-post="{% url 'name' … %}", or hx-post="{{ var }}" after {% url 'name' … as var %}.
URL_VARIABLES = {
    variable: name
    for name, variable in re.findall(r"""\{% url '([\w:]+)'[^%]* as (\w+) %\}""", TEMPLATE_TEXT)
}
HTMX_POSTED = sorted(
    set(re.findall(r"""hx-post="\{% url '([\w:]+)'""", TEMPLATE_TEXT))
    | {URL_VARIABLES[v] for v in re.findall(r'hx-post="\{\{ (\w+) \}\}"', TEMPLATE_TEXT)}
)


def test_the_urlconf_has_no_unnamed_url_of_our_own():
    unnamed = {
        str(pattern.pattern)
        for namespace, name, pattern in ALL_PATTERNS
        if name is None and namespace != API_NAMESPACE
    }

    assert unnamed == UNNAMED_ADMIN_ROUTES


def test_the_templates_post_with_htmx_to_the_diary():
    # If this list is empty the regular expression no longer matches the templates.
    assert {"tracker:add_entry", "tracker:delete_entry", "tracker:copy"} <= set(HTMX_POSTED)


@pytest.fixture
def admin_objects(admin_user, foods, user) -> None:
    """At least one row of every model in the admin, so that each change page has one."""
    Group.objects.create(name="editors")
    Meal.objects.create(user=user, day=DAY, slot=Meal.Slot.LUNCH)
    EverydayFood.objects.create(
        food=foods["banana"],
        rank=1,
        terms="banana",
        serving="1 medium",
        serving_grams=118,
        kind="fruit",
    )
    Synonym.objects.create(term="bananna", means="bananas")
    dish = Food.objects.create(description="Banana dish", source=Food.Source.DISH)
    Recipe.objects.create(food=dish, key="banana-dish")
    FoodDataVersion.objects.create(name="SR Legacy", checksum="0" * 64)
    Cramp.objects.create(user=user, started_at=timezone.now(), day=DAY)
    SupplementIntake.objects.create(
        user=user, day=DAY, supplement=Supplement.objects.first(), count=1
    )
    # The login throttling's records, made as it makes them: a login, then a wrong password.
    login_url = reverse("login")
    Client().post(login_url, {"username": user.username, "password": PASSWORD})
    Client().post(login_url, {"username": user.username, "password": "wrong"})
    # Kept only with AXES_ENABLE_ACCESS_FAILURE_LOG, which is off: made by hand.
    AccessFailureLog.objects.create(
        username=user.username, user_agent="", http_accept="", path_info=login_url
    )


def admin_object_id(url_name: str) -> str:
    """The first row of the model that an admin URL such as admin:nutrients_food_change is about."""
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if admin.site.is_registered(model) and url_name.startswith(prefix):
            return str(model._default_manager.order_by("pk").first().pk)
    raise LookupError(f"no admin model for {url_name}")


@pytest.fixture
def url_kwargs(user, foods, admin_objects):
    """The URL kwargs for a named URL, from objects Alice owns."""
    banana = foods["banana"]
    meal, _ = Meal.objects.get_or_create(user=user, day=DAY, slot=Meal.Slot.BREAKFAST)
    entry = Entry.objects.create(meal=meal, food=banana, grams=118, quantity=118)
    own_food = Food.objects.create(
        description="Protein bar", source="user", owner=user, category="My foods"
    )
    token, _ = ApiToken.create_for(user, "phone")
    cramp = Cramp.objects.create(user=user, started_at=timezone.now(), day=DAY)
    intake = SupplementIntake.objects.create(
        user=user, day=DAY, supplement=Supplement.objects.first(), count=1
    )
    recipe = create_recipe(
        user,
        "Banana mash",
        1,
        None,
        [IngredientData(banana, Decimal(118), Decimal(118), None, "g")],
    )
    saved = SavedMeal.objects.create(user=user, name="Usual")
    item = SavedMealItem.objects.create(saved_meal=saved, food=banana, grams=118, quantity=118)
    pk_by_url = {
        **dict.fromkeys(
            [
                "recipe",
                "recipe_copy",
                "recipe_delete",
                "ingredient_add",
                "ingredient_edit",
                "ingredient_delete",
            ],
            recipe.pk,
        ),
        **dict.fromkeys(
            [
                "saved_meal_log",
                "saved_meal_rename",
                "saved_meal_delete",
                "saved_meal_item_delete",
            ],
            saved.pk,
        ),
        "cramp": cramp.pk,
        "cramp_edit": cramp.pk,
        "cramp_delete": cramp.pk,
        "intake": intake.pk,
        "intake_edit": intake.pk,
        "intake_delete": intake.pk,
        "tracker:edit_entry": entry.pk,
        "tracker:delete_entry": entry.pk,
        "own_food_edit": own_food.pk,
        "own_food_delete": own_food.pk,
        "api_token_revoke": token.pk,
    }

    def kwargs_for(url_name: str, names: set[str]) -> dict[str, object]:
        values: dict[str, object] = {
            "day": DAY,
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "app_label": "nutrients",
            "content_type_id": ContentType.objects.get_for_model(banana).pk,
            "slot": "lunch",
            "ingredient_pk": recipe.ingredients.get().pk,
            "item_pk": item.pk,
        }
        if "pk" in names:
            values["pk"] = pk_by_url[url_name]
        if "object_id" in names or "id" in names:
            found = str(banana.pk) if url_name == "admin:view_on_site" else None
            values["object_id"] = values["id"] = found or admin_object_id(url_name)
        missing = names - values.keys()
        assert not missing, f"add values for {missing} of {url_name} to url_kwargs"
        return {name: values[name] for name in names}

    return kwargs_for


def kwarg_names(url_name: str) -> set[str]:
    namespace, _, name = url_name.rpartition(":")
    namespace = f"{namespace}:" if namespace else ""
    for pattern_namespace, pattern_name, pattern in ALL_PATTERNS:
        if (pattern_namespace, pattern_name) == (namespace, name):
            regex = pattern.pattern.regex
            return set(regex.groupindex)
    raise LookupError(url_name)


def browser(user) -> Client:
    """A signed-in browser that checks CSRF as a real one would be checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client: Client) -> str:
    client.get(reverse("password_reset"))  # any page with a form sets the cookie
    return client.cookies[settings.CSRF_COOKIE_NAME].value


POSTS = [pytest.param(name, {}, id=name) for name in NAMED_URLS] + [
    pytest.param(name, {"HX-Request": "true"}, id=f"{name} (htmx)") for name in HTMX_POSTED
]


@pytest.mark.parametrize(("url_name", "headers"), POSTS)
def test_a_post_without_the_csrf_token_is_refused_and_with_it_is_let_through(
    url_name, headers, url_kwargs, user, admin_user
):
    client = browser(admin_user if url_name.startswith("admin:") else user)
    url = reverse(url_name, kwargs=url_kwargs(url_name, kwarg_names(url_name)))

    refused = client.post(url, {}, headers=headers)
    let_through = client.post(url, {}, headers={**headers, "X-CSRFToken": csrf_token(client)})

    assert refused.status_code == 403
    assert b"CSRF verification failed" in refused.content
    # Not "not 403": some admin pages refuse everyone (no adding of login records).
    assert b"CSRF verification failed" not in let_through.content


# --- The JSON API ------------------------------------------------------------------------

API_WRITES = [("post", "/api/entries/"), ("patch", "/api/entries/{entry_id}/")]
API_WRITES += [("delete", "/api/entries/{entry_id}/")]
# The cramp diary's.
API_WRITES += [("post", "/api/cramps/"), ("patch", "/api/cramps/{cramp_id}/")]
API_WRITES += [("delete", "/api/cramps/{cramp_id}/"), ("post", "/api/supplements/")]
API_WRITES += [("patch", "/api/supplements/{intake_id}/")]
API_WRITES += [("delete", "/api/supplements/{intake_id}/")]
# Recipes and saved meals.
API_WRITES += [("post", "/api/recipes/"), ("patch", "/api/recipes/{recipe_id}/")]
API_WRITES += [("delete", "/api/recipes/{recipe_id}/"), ("post", "/api/saved-meals/")]
API_WRITES += [("patch", "/api/saved-meals/{saved_id}/")]
API_WRITES += [("delete", "/api/saved-meals/{saved_id}/")]
API_WRITES += [("post", "/api/saved-meals/{saved_id}/log/")]
# The profile's.
API_WRITES += [("patch", "/api/profile/")]


def test_the_api_writes_tested_here_are_all_the_api_writes(user_client):
    schema = user_client.get("/api/openapi.json").json()

    writes = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    ]

    assert sorted(writes) == sorted(API_WRITES)


@pytest.fixture
def api_write(user, foods):
    """The method, address and body of each API write, on an entry of Alice's."""
    meal = Meal.objects.create(user=user, day=DAY, slot=Meal.Slot.BREAKFAST)
    entry = Entry.objects.create(meal=meal, food=foods["banana"], grams=118, quantity=118)
    cramp = Cramp.objects.create(user=user, started_at=timezone.now(), day=DAY)
    supplement = Supplement.objects.first()
    intake = SupplementIntake.objects.create(user=user, day=DAY, supplement=supplement, count=1)
    bodies = {
        "post": {"date": "2026-11-22", "food": foods["banana"].pk, "grams": 50, "meal": "lunch"},
        "patch": {"grams": 150},
        "delete": None,
    }
    cramp_bodies = {"post": {"severity": 3}, "patch": {"severity": 4}, "delete": None}
    intake_bodies = {
        "post": {"date": "2026-11-22", "supplement": supplement.pk, "count": 1},
        "patch": {"count": 2},
        "delete": None,
    }

    recipe = create_recipe(user, "Mash", 1, None, [])
    saved = SavedMeal.objects.create(user=user, name="Usual")
    banana_grams = {"food": foods["banana"].pk, "grams": 100}
    recipe_bodies = {
        "post": {"name": "Mash", "ingredients": [banana_grams]},
        "patch": {"servings": 2},
        "delete": None,
    }
    saved_bodies = {
        "post": {"name": "Usual", "items": [banana_grams]},
        "patch": {"name": "Usual lunch"},
        "delete": None,
    }

    def write(method: str, path: str) -> tuple[str, str, str | None]:
        if path.endswith("/log/"):
            body = {"date": "2026-11-22", "meal": "lunch"}
        elif path.startswith("/api/recipes/"):
            body = recipe_bodies[method]
        elif path.startswith("/api/profile/"):
            body = {"diet": ["vegan"]}
        elif path.startswith("/api/saved-meals/"):
            body = saved_bodies[method]
        elif path.startswith("/api/cramps/"):
            body = cramp_bodies[method]
        elif path.startswith("/api/supplements/"):
            body = intake_bodies[method]
        else:
            body = bodies[method]
        url = path.replace("{entry_id}", str(entry.pk)).replace("{cramp_id}", str(cramp.pk))
        url = url.replace("{intake_id}", str(intake.pk)).replace("{recipe_id}", str(recipe.pk))
        url = url.replace("{saved_id}", str(saved.pk))
        return method, url, None if body is None else json.dumps(body)

    return write


def send(client: Client, method: str, url: str, body: str | None, headers: dict) -> object:
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_a_session_api_write_without_the_csrf_token_is_a_403_in_json(method, path, api_write, user):
    client = browser(user)
    entries_before = list(Entry.objects.values_list("pk", "grams"))
    cramps_before = list(Cramp.objects.values_list("pk", "severity"))
    intakes_before = list(SupplementIntake.objects.values_list("pk", "count"))

    response = send(client, *api_write(method, path), {})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"].startswith("CSRF check failed")
    assert list(Entry.objects.values_list("pk", "grams")) == entries_before
    assert list(Cramp.objects.values_list("pk", "severity")) == cramps_before
    assert list(SupplementIntake.objects.values_list("pk", "count")) == intakes_before


@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_a_session_api_write_with_the_csrf_token_is_let_through(method, path, api_write, user):
    client = browser(user)

    response = send(client, *api_write(method, path), {"X-CSRFToken": csrf_token(client)})

    assert response.status_code in {200, 201, 204}


@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_a_token_api_write_needs_no_csrf_token(method, path, api_write, user):
    _, raw_token = ApiToken.create_for(user, "phone")
    client = Client(enforce_csrf_checks=True)  # no session, no cookie

    response = send(client, *api_write(method, path), {"Authorization": f"Bearer {raw_token}"})

    assert response.status_code in {200, 201, 204}
