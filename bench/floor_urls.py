"""The product's URLs and two views more, for the floor rows of bench/pages.py: what any
signed-in request and any add cost on this machine before a page's own work, so that a
page's share of the bare view can be read against the least it could be.

- signed-in floor: GET /floor/signed-in/, the session and the user (the middleware's
  query), answered with one word;
- write floor: POST /floor/add/<day>/, the least an add of a food does: the session and
  the user, then in one transaction the day's meal (found or made) and the entry, then
  the writer's revision bump (the middleware, as after every write), answered with one
  word. No validation, no day totals, no page.

Served only by bench/floor_settings.py, never by the product.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from tracker.models import Entry, Meal
from tracker.urls import urlpatterns as product_urlpatterns

ANSWER = "floor"


@login_required
@require_GET
def signed_in_floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ANSWER)


@login_required
@require_POST
def write_floor(request: HttpRequest, day: date) -> HttpResponse:
    grams = Decimal(request.POST["grams"])
    with transaction.atomic():
        meal, _ = Meal.objects.get_or_create(user=request.user, day=day, slot="snacks")
        Entry.objects.create(
            meal=meal, food_id=int(request.POST["food"]), grams=grams, quantity=grams, unit="g"
        )
    return HttpResponse(ANSWER)


urlpatterns = [
    *product_urlpatterns,
    path("floor/signed-in/", signed_in_floor),
    path("floor/add/<date:day>/", write_floor),
]
