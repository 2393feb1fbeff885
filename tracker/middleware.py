import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tracker.models import TIME_ZONES, Profile


def user_profile(get_response: Callable[[HttpRequest], HttpResponse]):
    """Attach the signed-in user's profile and activate their time zone, so that
    "today" is their today. One query; an account made without one (createsuperuser)
    gets its profile here.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        request.profile = None
        if request.user.is_authenticated:
            request.profile, _ = Profile.objects.get_or_create(user=request.user)
            if request.profile.time_zone in TIME_ZONES:
                timezone.activate(zoneinfo.ZoneInfo(request.profile.time_zone))
        return get_response(request)

    return middleware
