from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tracker.converters import FIRST_YEAR, LAST_YEAR
from tracker.forms import ProfileForm, SignUpForm
from tracker.models import Profile


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:today")
    return render(request, "tracker/home.html")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tracker:today")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        Profile.objects.create(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Your diary is ready.")
        return redirect("tracker:today")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=Profile.for_user(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return render(request, "tracker/profile.html", {"form": form})


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    # The date picker submits ?date=YYYY-MM-DD; without JavaScript that lands here.
    picked = request.GET.get("date", "")
    if picked:
        try:
            day = date.fromisoformat(picked)
        except ValueError:
            day = None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            messages.error(request, f"“{picked}” is not a date the diary can show.")
            return redirect("tracker:today")
        return redirect("tracker:day", day=day)
    return day_page(request, timezone.localdate())


@login_required
@require_GET
def day(request: HttpRequest, day: date) -> HttpResponse:
    return day_page(request, day)


def day_page(request: HttpRequest, day: date) -> HttpResponse:
    context = {
        "day": day,
        "today": timezone.localdate(),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }
    return render(request, "tracker/day.html", context)
