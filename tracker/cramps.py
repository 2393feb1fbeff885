"""Feature module: the cramp diary's cramps, their form and views.

"Cramp now" logs a cramp with one press, then offers its details; each cramp can be
edited and deleted. Cramps appear on the day they belong to (a cramp before 06:00 is
the night before's, as is one noted asleep at night before noon: see
cramp_models.diary_day_of).

On the day page, editing and deleting happen in place (htmx): "Edit" swaps the cramp's
row for its form, Save and Delete swap the day's cramp list (#cramp-list) back, Cancel
the row. The same URLs serve whole pages without JavaScript.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from tracker.cramp_models import (
    MAX_DURATION_MINUTES,
    MAX_SEVERITY,
    Cramp,
    changed_elsewhere,
    diary_day_of,
    stored_version,
)
from tracker.day_page import HtmxHttpRequest
from tracker.diary_days import OUT_OF_RANGE_TIME, is_diary_day
from tracker.forms import StorableText
from tracker.once import ALREADY_SAVED, answered_with, earlier_post
from tracker.supplements import focus_after_removal, focus_first_error

# A start time this far ahead of the clock is a typing mistake (a few minutes allow for
# a phone's clock running ahead of the server's).
FUTURE_SLACK = timedelta(minutes=5)


def cramps_of(user: "settings.AUTH_USER_MODEL") -> QuerySet[Cramp]:
    """All of a user's cramps, oldest first: for the export of all their data."""
    return Cramp.objects.filter(user=user)


class CrampForm(StorableText, forms.ModelForm):
    started_at = forms.DateTimeField(
        label="Started",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Your local time. A cramp before 6 am belongs to the night before.",
        error_messages={
            "required": "Enter when it started.",
            "invalid": "Enter a date and time, for example 2026-11-22 03:15.",
        },
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

    # The edit form's: the cramp's version when the form was shown (see cramp_edit).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["muscle"].choices = [("", "Not said"), *Cramp.Muscle.choices]
        self.fields["activity"].choices = [("", "Not said"), *Cramp.Activity.choices]
        self.fields["muscle"].error_messages["invalid_choice"] = "Choose a muscle from the list."
        self.fields["activity"].error_messages["invalid_choice"] = (
            "Choose what you were doing from the list."
        )
        self.fields["severity"].error_messages["invalid"] = "Severity goes from 0 to 10."
        self.fields["duration_minutes"].error_messages["invalid"] = (
            "Enter the whole minutes it lasted, like 5."
        )
        self.fields["note"].error_messages["max_length"] = "Keep the note under 500 characters."
        # The model field's own lower bound (0) would win over the widget's: the browser
        # is told what the form accepts, a minute at least.
        self.fields["duration_minutes"].widget.attrs["min"] = 1
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
        try:
            local = timezone.localtime(started_at)
            # Whatever the activity (the night rule may move it a day back), its day is
            # a diary day.
            days = {diary_day_of(local, activity) for activity in ("", Cramp.Activity.NIGHT)}
        except OverflowError:  # year 1 or 9999, moved across a day boundary
            days = {None}
        if not all(day is not None and is_diary_day(day) for day in days):
            raise forms.ValidationError(OUT_OF_RANGE_TIME)
        return started_at

    def save(self, commit: bool = True) -> Cramp:
        cramp = super().save(commit=False)
        cramp.day = diary_day_of(timezone.localtime(cramp.started_at), cramp.activity)
        if commit:
            cramp.save()
        return cramp


def own_cramp(request: HtmxHttpRequest, pk: int) -> Cramp:
    """The user's cramp; another user's is as missing as one that never was (404)."""
    return get_object_or_404(Cramp, pk=pk, user=request.user)


def cramp_form(request: HtmxHttpRequest, cramp: Cramp) -> CrampForm:
    """The form of an existing cramp, bound on POST. Its ids name the cramp, so that it
    can open inside the day page beside the page's other forms."""
    form = CrampForm(
        request.POST if request.method == "POST" else None,
        instance=cramp,
        auto_id=f"cramp{cramp.pk}_%s",
        initial={"version": cramp.version},
    )
    if request.htmx and request.method != "POST":
        # Opened in its row: the keyboard goes on in the form (not on a page of its own,
        # where a phone's keyboard would cover it at once).
        form.fields["started_at"].widget.attrs["autofocus"] = True
    elif request.method != "POST":
        # Its own page, as "Cramp now" leads to: the time is known, the muscle comes next.
        form.fields["muscle"].widget.attrs["autofocus"] = True
    return form


def cramp_list(request: HtmxHttpRequest, day: date, **context: Any) -> HttpResponse:
    """The day page's cramp list (#cramp-list) for htmx: one query. `focus_cramp` puts the
    keyboard on that cramp's Edit link; without it, on the day it moved to (`moved_to`) or
    on "Log an earlier cramp"."""
    cramps = list(Cramp.objects.filter(user=request.user, day=day))
    context.setdefault("focus_cramp", None)
    context["list_messages"] = True  # the day's body, which shows them, is not swapped
    if context["focus_cramp"] not in {cramp.pk for cramp in cramps}:
        # Moved to another day, the link to that day takes the focus.
        context["focus_new"] = not context.get("moved_to")
    return render(
        request, "tracker/day_cramps.html#cramp-list", {"day": day, "cramps": cramps, **context}
    )


@login_required
@require_POST
def cramp_now(request: HtmxHttpRequest) -> HttpResponse:
    """One press: a cramp starting now. Its details are offered next, all optional."""
    earlier = earlier_post(request)
    if earlier is not None:  # a double press: the first one's cramp
        messages.info(request, ALREADY_SAVED)
        return redirect(earlier.response_body or reverse("tracker:today"))
    now = timezone.now()
    cramp = Cramp.objects.create(
        user=request.user, started_at=now, day=diary_day_of(timezone.localtime(now))
    )
    messages.success(
        request,
        f"Cramp logged at {timezone.localtime(now):%H:%M}. Add details if you like, "
        "or go back to your diary.",
    )
    return redirect(answered_with(request, reverse("cramp_edit", args=[cramp.pk])))


@login_required
@require_http_methods(["GET", "POST"])
def cramp_new(request: HtmxHttpRequest) -> HttpResponse:
    """A cramp from earlier, with its details."""
    form = CrampForm(
        request.POST if request.method == "POST" else None,
        initial={"started_at": timezone.localtime()},
    )
    if request.method == "POST" and form.is_valid():
        earlier = earlier_post(request)
        if earlier is not None:
            messages.info(request, ALREADY_SAVED)
            return redirect(earlier.response_body or reverse("tracker:today"))
        cramp = form.save(commit=False)
        cramp.user = request.user
        cramp.save()
        messages.success(request, f"Cramp of {cramp.started_at:%-d %B} logged.")
        return redirect(answered_with(request, reverse("tracker:day", args=[cramp.day])))
    return render(request, "tracker/cramp_form.html", {"form": form, "cramp": None})


@login_required
@require_GET
def cramp_row(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A cramp's row on the day page, for htmx (its edit form's Cancel); without htmx,
    the day page at the cramp."""
    cramp = own_cramp(request, pk)
    if not request.htmx:
        return redirect(f"{reverse('tracker:day', args=[cramp.day])}#cramp-{cramp.pk}")
    context = {"cramp": cramp, "day": cramp.day, "focus_cramp": cramp.pk}
    return render(request, "tracker/day_cramps.html#cramp-row", context)


@login_required
@require_http_methods(["GET", "POST"])
def cramp_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The cramp's details: a page of their own, or with htmx its row of the day page."""
    cramp = own_cramp(request, pk)
    day, started_at = cramp.day, cramp.started_at  # as the day page shows it
    form = cramp_form(request, cramp)
    if request.method == "POST" and form.is_valid():
        current = stored_version(cramp)
        seen = form.cleaned_data["version"]
        if seen is not None and seen != current:  # opened before another change: ask again
            return cramp_edit_form(request, stale_cramp_form(request, pk), day, started_at)
        cramp = form.save()
        messages.success(request, f"Cramp saved: {cramp.details}.")
        if not request.htmx:
            return redirect("tracker:day", day=cramp.day)
        moved_to = cramp.day if cramp.day != day else None
        return cramp_list(request, day, focus_cramp=cramp.pk, moved_to=moved_to)
    return cramp_edit_form(request, form, day, started_at)


def cramp_edit_form(
    request: HtmxHttpRequest, form: CrampForm, day: date, started_at: datetime
) -> HttpResponse:
    cramp = form.instance
    if request.htmx:
        context = {"cramp": cramp, "form": form, "day": day, "started_at": started_at}
        if request.method == "POST":
            focus_first_error(form)
        response = render(request, "tracker/day_cramps.html#cramp-edit-row", context)
        if request.method == "POST":  # the messages beside the fields, in the row
            response = reswap(retarget(response, f"#cramp-{cramp.pk}"), "outerHTML")
        return response
    return render(request, "tracker/cramp_form.html", {"form": form, "cramp": cramp})


def stale_cramp_form(request: HtmxHttpRequest, pk: int) -> CrampForm:
    """The cramp changed since the form was shown (another tab, the API): nothing is
    saved; the form keeps what was typed, says what the cramp holds now, and carries
    the current version, so that a second save replaces it on purpose."""
    now = own_cramp(request, pk)
    data = request.POST.copy()
    data["version"] = str(now.version)
    form = CrampForm(data, instance=own_cramp(request, pk), auto_id=f"cramp{pk}_%s")
    form.is_valid()
    form.add_error(None, changed_elsewhere("cramp", now.details or "without details"))
    return form


@login_required
@require_POST
def cramp_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    cramp = own_cramp(request, pk)
    day: date = cramp.day
    ids = list(Cramp.objects.filter(user=request.user, day=day).values_list("pk", flat=True))
    cramp.delete()
    messages.success(request, "Cramp removed.")
    if request.htmx:
        return cramp_list(request, day, focus_cramp=focus_after_removal(ids, pk))
    return redirect("tracker:day", day=day)
