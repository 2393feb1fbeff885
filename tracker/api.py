"""The JSON API under /api/: foods, the diary's entries, a day's report, cramps and
supplements, each feature a django-ninja Router of its own (tracker/*_api.py, with what
they share in tracker/api_kit.py), mounted here.

Built with django-ninja, which serves the OpenAPI schema at /api/openapi.json and the
docs at /api/docs. A request is signed in by a personal token
(`Authorization: Bearer <token>`) or by the browser's session, which then needs the
CSRF token on writes, as every form of the site does.

Entries are validated by the web's own EntryForm, so the limits and their messages are
the same in both. Every error answers with one shape, ErrorOut:
{"detail": "<one sentence>", "errors": {"<field>": ["<message>", …]}}, with "errors"
empty when no field is to blame.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from tracker import (
    cramps_api,
    days_api,
    entries_api,
    foods_api,
    profile_api,
    recipes_api,
    saved_meals_api,
    supplements_api,
)
from tracker.api_kit import (
    BodyTooLarge,
    CheckedJson,
    FieldErrors,
    StaleVersion,
    etag,
    keep_answer,
)
from tracker.health import RETRY_AFTER_S, UNAVAILABLE
from tracker.models import ApiToken

SIGN_IN = "Sign in, or send a token as “Authorization: Bearer <token>”."


# --- Authentication ---------------------------------------------------------------------


class BearerToken(HttpBearer):
    """A personal token. A request that sends one is judged by it alone: a wrong or
    revoked token is 401 even when a session cookie comes along."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token)
        if user is None:
            raise AuthenticationError(message="That token is not valid: it may have been revoked.")
        return user


class SignedInSession(SessionAuth):
    """ninja's django_auth, CSRF check included, but only for a signed-in session: a
    request with no session at all is 401 (sign in), not 403 (CSRF)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class TrackerApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # The ids programs generated from the schema call, as they were before the API
        # was split into one router per feature: "tracker_api_create_entry".
        return f"tracker_api_{operation.view_func.__name__}"

    def create_response(self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any):
        """Every answer of the API: a row's version is its ETag, and a keyed POST's
        answer is kept with its key (tracker/api_kit.py)."""
        response = super().create_response(request, data, *args, **kwargs)
        if isinstance(data, dict) and isinstance(data.get("version"), int):
            response["ETag"] = etag(data["version"])
        keep_answer(request, response)
        return response


api = TrackerApi(
    title="Cramp Tracker API",
    version="1",
    description=(
        "Foods with their nutrients, your diary's entries and each day's report. "
        "Send `Authorization: Bearer <token>` (make a token in your profile), or use "
        "your signed-in browser session with the CSRF token on writes. Errors answer "
        '`{"detail": "…", "errors": {"<field>": ["…"]}}`.'
    ),
    urls_namespace="api",
    auth=[BearerToken(), SignedInSession()],
    # The reference at /api/docs is ours (tracker/api_docs.py), drawn from openapi.json.
    docs_url=None,
    parser=CheckedJson(),
)


# --- Errors: one shape for all ----------------------------------------------------------


def error_response(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(FieldErrors)
def field_errors(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
    return error_response(request, 422, "Some fields are not valid.", exc.errors)


@api.exception_handler(ValidationError)
def invalid_params(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """pydantic's errors, keyed by the field a person sent: "grams", "date", "q"."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        source, *where = error["loc"]
        if source == "body":
            where = where[1:]  # the view's parameter name ("payload") means nothing outside
            if not where:
                # Not an object at all (a list, a number, nothing): no field to blame.
                return error_response(request, 400, "The request body must be a JSON object.")
        field = str(where[0]) if where else source
        errors.setdefault(field, []).append(message_for(error))
    return error_response(request, 422, "Some fields are not valid.", errors)


def message_for(error: dict[str, Any]) -> str:
    if error["type"] == "missing":
        return "This field is required."
    if error["type"] == "extra_forbidden":
        return "Unknown field."
    return error["msg"]  # our own validators' words (PydanticCustomError)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, FieldErrors | BodyTooLarge | RequestDataTooBig):
        # What CheckedJson refused while ninja parsed the body: answered as itself.
        return api.on_exception(request, exc.__cause__)
    if exc.status_code == 400:
        # ninja's only 400: a body json.loads cannot read.
        return error_response(request, 400, "The request body is not valid JSON.")
    if exc.status_code == 401:
        # ninja's own 401, when no way of signing in came along, says only "Unauthorized".
        detail = SIGN_IN if exc.message == "Unauthorized" else exc.message
        response = error_response(request, 401, detail)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if exc.status_code == 403:
        return error_response(
            request,
            403,
            "CSRF check failed: with a session, send the csrftoken cookie’s value as the "
            "X-CSRFToken header, or use a token instead.",
        )
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(BodyTooLarge)
@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = str(exc) if isinstance(exc, BodyTooLarge) else "The request body is too large."
    return error_response(request, 413, detail)


@api.exception_handler(StaleVersion)
def stale_version(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    detail = (
        f"This was changed since the version you sent in If-Match: it is now version "
        f"{exc.current}. Read it again, and send If-Match: {etag(exc.current)} to change it."
    )
    response = error_response(request, 412, detail, {"If-Match": [detail]})
    response["ETag"] = etag(exc.current)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, str(exc) or "Not found.")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_trouble(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A lost connection or a statement past its time-out: try again shortly. Every write
    is one transaction, so nothing of it was stored."""
    response = error_response(request, 503, UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


# --- One router per feature, mounted here -------------------------------------------------

api.add_router("/foods/", foods_api.router)
api.add_router("/entries/", entries_api.router)
api.add_router("/days/", days_api.router)
api.add_router("/cramps/", cramps_api.router)
api.add_router("/supplements/", supplements_api.router)
api.add_router("/recipes/", recipes_api.router)
api.add_router("/saved-meals/", saved_meals_api.router)
api.add_router("/profile/", profile_api.router)
