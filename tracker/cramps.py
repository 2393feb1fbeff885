"""Feature module: the cramp diary's cramps, their form and views.

"Cramp now" logs a cramp with one press, then offers its details; each cramp can be
edited and deleted. Cramps appear on the day they belong to (a cramp before 06:00 is
the night before's: see cramp_models.diary_day_of).
"""

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tracker.cramp_models import MAX_DURATION_MINUTES, MAX_SEVERITY, Cramp, diary_day_of
from tracker.diary_days import is_diary_day

# A start time this far ahead of the clock is a typing mistake (a few minutes allow for
# a phone's clock running ahead of the server's).
FUTURE_SLACK = timedelta(minutes=5)


def cramps_of(user: "settings.AUTH_USER_MODEL") -> QuerySet[Cramp]:
    """All of a user's cramps, oldest first: for the export of all their data."""
    return Cramp.objects.filter(user=user)


class CrampForm(forms.ModelForm):
    started_at = forms.DateTimeField(
        label="Started",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Your local time. A cramp before 6 am belongs to the night before.",
        error_messages={"invalid": "Enter a date and time, for example 2026-11-22 03:15."},
    )

    class Meta:
        model = Cramp
        fields = ["started_at", "muscle", "severity", "duration_minutes", "activity", "note"]
        widgets = {
            "severity": forms.NumberInput(attrs={"min": 0, "max": MAX_SEVERITY, "step": 1}),
            "duration_minutes": forms.NumberInput(
                attrs={"min": 1, "max": MAX_DURATION_MINUTES, "step": 1}
            ),
            "note": forms.TextInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["muscle"].choices = [("", "Not said"), *Cramp.Muscle.choices]
        self.fields["activity"].choices = [("", "Not said"), *Cramp.Activity.choices]
        self.fields["severity"].error_messages["max_value"] = "Severity goes from 0 to 10."
        self.fields["severity"].error_messages["min_value"] = "Severity goes from 0 to 10."

    def clean_severity(self) -> int | None:
        severity = self.cleaned_data["severity"]
        if severity is not None and not 0 <= severity <= MAX_SEVERITY:
            raise forms.ValidationError("Severity goes from 0 to 10.")
        return severity

    def clean_duration_minutes(self) -> int | None:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is not None and not 1 <= minutes <= MAX_DURATION_MINUTES:
            raise forms.ValidationError(
                f"Enter the minutes it lasted, from 1 to {MAX_DURATION_MINUTES:,} (a day)."
            )
        return minutes

    def clean_started_at(self) -> datetime:
        started_at = self.cleaned_data["started_at"]
        if started_at > timezone.now() + FUTURE_SLACK:
            raise forms.ValidationError("That time is still to come: enter when it started.")
        if not is_diary_day(diary_day_of(timezone.localtime(started_at))):
            raise forms.ValidationError("Choose a time between 1900 and 2200.")
        return started_at

    def save(self, commit: bool = True) -> Cramp:
        cramp = super().save(commit=False)
        cramp.day = diary_day_of(timezone.localtime(cramp.started_at))
        if commit:
            cramp.save()
        return cramp


def own_cramp(request: HttpRequest, pk: int) -> Cramp:
    """The user's cramp; another user's is as missing as one that never was (404)."""
    return get_object_or_404(Cramp, pk=pk, user=request.user)


@login_required
@require_POST
def cramp_now(request: HttpRequest) -> HttpResponse:
    """One press: a cramp starting now. Its details are offered next, all optional."""
    now = timezone.now()
    cramp = Cramp.objects.create(
        user=request.user, started_at=now, day=diary_day_of(timezone.localtime(now))
    )
    messages.success(
        request,
        f"Cramp logged at {timezone.localtime(now):%H:%M}. Add details if you like, "
        "or go back to your diary.",
    )
    return redirect("cramp_edit", pk=cramp.pk)


@login_required
@require_http_methods(["GET", "POST"])
def cramp_new(request: HttpRequest) -> HttpResponse:
    """A cramp from earlier, with its details."""
    form = CrampForm(
        request.POST if request.method == "POST" else None,
        initial={"started_at": timezone.localtime()},
    )
    if request.method == "POST" and form.is_valid():
        cramp = form.save(commit=False)
        cramp.user = request.user
        cramp.save()
        messages.success(request, f"Cramp of {cramp.started_at:%-d %B} logged.")
        return redirect("tracker:day", day=cramp.day)
    return render(request, "tracker/cramp_form.html", {"form": form, "cramp": None})


@login_required
@require_http_methods(["GET", "POST"])
def cramp_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cramp = own_cramp(request, pk)
    form = CrampForm(request.POST if request.method == "POST" else None, instance=cramp)
    if request.method == "POST" and form.is_valid():
        cramp = form.save()
        messages.success(request, f"Cramp saved: {cramp.details}.")
        return redirect("tracker:day", day=cramp.day)
    return render(request, "tracker/cramp_form.html", {"form": form, "cramp": cramp})


@login_required
@require_POST
def cramp_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cramp = own_cramp(request, pk)
    day: date = cramp.day
    cramp.delete()
    messages.success(request, "Cramp removed.")
    return redirect("tracker:day", day=day)
