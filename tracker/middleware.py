import json
import zoneinfo
from collections.abc import Callable

from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from tracker.health import API_PREFIX, JSON
from tracker.models import TIME_ZONES, Profile
from tracker.sessions import SESSION_BEING_READ, read_with_the_user


class UserWithProfileBackend(ModelBackend):
    """ModelBackend whose get_user, which every signed-in request runs, reads the user's
    profile, the site's revision (user.site_revision, for tracker/page_cache.py) and the
    first day of their latest change of targets (user.targets_changed_on, for
    Profile.targets_on) in the same query: each was a query of its own in the pages'
    fixed cost. Under SessionUserMiddleware that query is the session's own
    (tracker/sessions.py), and the user read with the session serves here."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """One password hash a try: a wrong password ends the search here (PermissionDenied
        stops Django's loop), instead of the plain ModelBackend below hashing it again."""
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        session = SESSION_BEING_READ.get()
        user = session.user_read if session is not None else None
        if user is not None and user.pk == user_id:
            return user if self.user_can_authenticate(user) else None
        user = (
            get_user_model()
            ._default_manager.select_related("profile")
            .annotate(**read_with_the_user())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, whose get_user (the backend, the session's hash,
    the account's state: all Django's checks) takes the user read with the session's row
    instead of reading them again, when the session's data names that user."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: user_of_session(request))


def user_of_session(request: HttpRequest):
    being_read = SESSION_BEING_READ.set(request.session)
    try:
        return get_user(request)
    finally:
        SESSION_BEING_READ.reset(being_read)


def user_profile(get_response: Callable[[HttpRequest], HttpResponse]):
    """Attach the signed-in user's profile and activate their time zone, so that
    "today" is their today. No query when UserWithProfileBackend read the user, else one;
    an account made without one (createsuperuser) gets its profile here.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        request.profile = None
        if request.user.is_authenticated:
            try:
                request.profile = request.user.profile
            except Profile.DoesNotExist:
                request.profile = Profile.of(request.user)
            if request.profile.time_zone in TIME_ZONES:
                timezone.activate(zoneinfo.ZoneInfo(request.profile.time_zone))
        return get_response(request)

    return middleware


# No page of ours uses these; said out loud, an injected script or a page that frames
# ours cannot ask the browser for them either. Only features Chromium knows, since an
# unknown one is logged as an error in every page's console.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def permissions_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def private_no_store(get_response: Callable[[HttpRequest], HttpResponse]):
    """Every answer of the app's own (pages, htmx fragments, CSV, API) is for one person:
    no shared cache may keep it, and no browser may store it on disk. Static files never
    get here (whitenoise answers them before), so they keep their far-future caching."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Cache-Control", "private, no-store")
        return response

    return middleware


# The API's answers that come from outside its own handlers, in its one JSON shape.
API_STATUS_DETAILS = {
    404: "No such path in the API: see /api/docs.",
    405: "This path does not take that method: see the Allow header.",
}


def api_errors_in_json(get_response: Callable[[HttpRequest], HttpResponse]):
    """A path under /api/ that the API does not have (404), or a method one of its paths
    does not take (405), is answered by Django and ninja as a page or a bare word; the
    API answers every status in its JSON error shape (tracker/api.py)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        detail = API_STATUS_DETAILS.get(response.status_code)
        if (
            detail is None
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith(JSON)
        ):
            return response
        answer = HttpResponse(
            json.dumps({"detail": detail, "errors": {}}),
            status=response.status_code,
            content_type=f"{JSON}; charset=utf-8",
        )
        if "Allow" in response:
            answer["Allow"] = response["Allow"]
        return answer

    return middleware
