import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tracker.models import TIME_ZONES, Profile


def user_time_zone(get_response: Callable[[HttpRequest], HttpResponse]):
    """Activate the signed-in user's time zone, so that "today" is their today."""

    def middleware(request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        if request.user.is_authenticated:
            name = (
                Profile.objects.filter(user=request.user)
                .values_list("time_zone", flat=True)
                .first()
            )
            if name in TIME_ZONES:
                timezone.activate(zoneinfo.ZoneInfo(name))
        return get_response(request)

    return middleware
