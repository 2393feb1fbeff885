"""Whole pages kept per process, shown again only while nothing they show can have changed.

A signed-in GET of a view decorated with @kept_page is kept in the "pages" cache (each
process its own) under a key made of everything the page is made of:

- the view, its full path (the query string too) and the request's htmx headers;
- the user, and their Profile.revision, which goes up after every write request of
  theirs, in the web pages and the API alike (bump_revisions below);
- the site's revision (FoodTableVersion), which goes up with every staff write in the
  admin and every import, loader or command that changes shared data;
- the user's local date and hour ("today", the meal a new entry defaults to);
- the browser's CSRF secret, since the page's forms carry tokens made from it.

Since the revisions are read from the database on every request, a kept page is never
shown once something it shows may have changed, whichever process changed it. A page is
neither kept nor shown from the cache while a message waits to be shown. The one-time
keys of a kept page's forms (tracker/once.py) are made afresh each time it is shown, so
that two tabs showing it never share one.
"""

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nutrients.models import FoodTableVersion
from tracker.health import DATABASE_TROUBLE, unavailable_for
from tracker.models import Profile, revised_users
from tracker.once import keys_made, new_key

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

View = Callable[..., HttpResponse]


def kept_page(view: View) -> View:
    """Keep the view's 200 answers to signed-in GETs, as the module says. Put it under
    login_required, so that it only ever sees a signed-in user."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        kept = pages.get(key)
        if kept is not None:
            content, headers, keys = kept
            for key_made in keys:  # fresh one-time keys for this showing
                content = content.replace(key_made.encode(), new_key().encode())
            return HttpResponse(content, headers=headers)
        with keys_made() as keys:
            response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            pages.set(key, (response.content, dict(response.items()), keys))
        return response

    return wrapper


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page; None when it must be made afresh."""
    csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if request.method != "GET" or not csrf_secret or len(messages.get_messages(request)):
        return None
    user = request.user
    parts = [
        request.resolver_match.view_name if request.resolver_match else "",
        request.get_full_path(),
        *sorted(f"{k}={v}" for k, v in request.headers.items() if k.lower().startswith("hx-")),
        str(user.pk),
        user.date_joined.isoformat(),
        str(request.profile.revision),
        str(FoodTableVersion.read_with(request.user)),
        timezone.localtime().strftime("%Y-%m-%d %H %Z"),
        csrf_secret,
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def one_write_transaction(get_response: Callable[[HttpRequest], HttpResponse]):
    """Every write request of a signed-in user (any method but GET, HEAD, OPTIONS and
    TRACE, with a session cookie or an Authorization header) is one transaction: the
    view's writes, the answer it draws, the session and messages saved after it, and the
    revision bump that tells the kept pages the diary moved (bump_revisions).

    So an answer tells the truth: once the transaction commits nothing can fail and
    answer "try again", and an answer of 500 or more (database trouble, a page that could
    not be drawn) rolls the whole request back, so that a 503 stored nothing. The writer's
    revision moves with the data, never before or after it: a page made meanwhile from
    the old data is kept under the old revision, which nobody asks for again.

    Anonymous writes (sign-in, sign-up, password reset) run without it: they change no
    diary, and holding SQLite's write lock through a password hash would stall everyone.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or not (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers
        ):
            return get_response(request)
        revised = revised_users.set(set())
        try:
            with transaction.atomic():
                response = get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                else:
                    bump_revisions(request)
        except DATABASE_TROUBLE as error:  # the bump or the commit: nothing was stored
            logger.warning(
                "%s %s not stored, answered 503: %s", request.method, request.path, error
            )
            return unavailable_for(request)
        finally:
            revised_users.reset(revised)
        if isinstance(response, DrawnAfterCommit) and response.status_code < 500:
            response.draw_now(request)
        return response

    return middleware


# What a write's answer says when it could not be drawn after the write was stored.
STORED_NOT_DRAWN = (
    '<div id="day-messages" hx-swap-oob="true"><div class="messages" role="status">'
    '<div class="message message-warning">Saved. The page could not be shown again just now:'
    " reload it to see the change.</div></div></div>"
)


class DrawnAfterCommit(HttpResponse):
    """A write's answer whose body is drawn once the write request's transaction has
    committed (one_write_transaction above), so that the write holds its locks (the
    diary's; on SQLite, the database's) only while it writes, not while its answer is
    drawn. Whatever goes wrong in the drawing, the write is stored, and the answer says
    so (STORED_NOT_DRAWN) and has htmx load the page again (HX-Refresh), never 503.
    The middlewares inside one_write_transaction have seen this answer before its body:
    `draw` must not add messages or cookies (day_page.day_changed reads the messages
    before)."""

    def __init__(self, draw: Callable[[], str]) -> None:
        super().__init__()
        self.draw = draw

    def draw_now(self, request: HttpRequest) -> None:
        try:
            self.content = self.draw()
        except Exception:
            logger.exception("%s %s stored, but its answer not drawn", request.method, request.path)
            self.content = STORED_NOT_DRAWN
            self["HX-Refresh"] = "true"
        if self.has_header("Content-Length"):
            self["Content-Length"] = str(len(self.content))


def bump_revisions(request: HttpRequest) -> None:
    """The writer's Profile.revision goes up, and after a staff write in the admin the
    site's. One place for every write, called in the write's transaction above."""
    match = request.resolver_match
    if match is not None and match.namespace == "admin":
        FoodTableVersion.bump()
    writer = getattr(request, "auth", None)  # the API's token user
    if not isinstance(writer, get_user_model()):
        user = getattr(request, "user", None)
        writer = user if user is not None and user.is_authenticated else None
    if writer is not None:
        Profile.move_revision(writer.pk)  # unless the write moved it already (DayTotal)
