"""When the database is slow or gone: a readiness check, and 503 instead of 500.

/healthz (in views.py) says the app process answers, touching nothing: the liveness
check. /readyz says the app can reach its database within READINESS_TIMEOUT_MS: the
check a load balancer uses to send requests only to servers that can serve them.

A request that meets a lost connection, a cancelled statement (statement_timeout) or a
lock it gave up on (lock_timeout) answers 503 with Retry-After: the trouble is passing,
and nothing was half-written, since every write and its read-back are one transaction.
"""

import json
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again after a 503.
RETRY_AFTER_S = 2
DATABASE_TROUBLE = (OperationalError, InterfaceError)
API_PREFIX = "/api/"
JSON = "application/json"
UNAVAILABLE = (
    "The diary’s database is busy or out of reach for a moment. Try again in a few seconds."
)


def unavailable(content: str = UNAVAILABLE, content_type: str = "text/plain") -> HttpResponse:
    response = HttpResponse(content, status=503, content_type=f"{content_type}; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: database trouble is 503 with Retry-After; anything else stays a 500."""
    error = sys.exc_info()[1]  # Django calls this inside its except block
    if isinstance(error, DATABASE_TROUBLE):
        return unavailable_for(request)
    return django_server_error(request)


def unavailable_for(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, in the API's own JSON error shape for the API."""
    if request.path.startswith(API_PREFIX):
        return unavailable(json.dumps({"detail": UNAVAILABLE, "errors": {}}), JSON)
    return unavailable()


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 "ready" when the database answers a query within READINESS_TIMEOUT_MS, else 503."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # SET LOCAL: only for this transaction, then the connection's own again.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [str(settings.READINESS_TIMEOUT_MS)],
                )
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_TROUBLE as error:
        logger.warning("readiness check failed: %s", error)
        return unavailable("not ready: the database does not answer")
    return HttpResponse("ready", content_type="text/plain")
