"""Feature module: supplements taken, and products entered from their labels.

A supplement is logged by count, like a food by portion ("2 capsules"); its elemental
amounts join the day's totals in day_data.day_report, as they are read (the stored
DayTotal rows hold food alone, so no write here refreshes them). The product never
suggests a supplement or a dose: it logs and warns (nutrients/supplements.py).

On the day page a count is changed in place (htmx): "Edit" swaps the intake's row for a
count field; Save and Delete answer with the day's supplements and its totals, which move
with them (tracker/day_page.py); Cancel brings the row back. Without JavaScript the same URLs serve pages.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from nutrients.numbers import grouped, plain
from nutrients.report import POTASSIUM
from nutrients.supplements import (
    COMPOUNDS,
    IU_PER_MICROGRAM_VITAMIN_D,
    MAX_MG_PER_UNIT,
    POTASSIUM_WARNING,
    SUPPLEMENT_ADVICE,
    SUPPLEMENT_NUTRIENTS,
    VITAMIN_D,
    elemental_mg,
)
from tracker.cramp_models import (
    Supplement,
    SupplementAmount,
    SupplementIntake,
    changed_elsewhere,
    stored_version,
)
from tracker.day_page import SUPPLEMENTS, HtmxHttpRequest, day_changed, day_context
from tracker.forms import IntakeForm, StorableText, count_field
from tracker.number_fields import TypedDecimalField
from tracker.once import ALREADY_SAVED, earlier_post


def intakes_of(user: "settings.AUTH_USER_MODEL") -> QuerySet[SupplementIntake]:
    """All of a user's supplement intakes, oldest first, with their products and amounts:
    for the export of all their data."""
    return SupplementIntake.objects.filter(user=user).select_related("supplement")


def supplements_with_amounts(queryset: QuerySet[Supplement]) -> QuerySet[Supplement]:
    return queryset.prefetch_related(
        Prefetch("amounts", queryset=SupplementAmount.objects.order_by("nutrient_id"))
    )


class CountForm(forms.Form):
    """A new count for a supplement already logged."""

    count = count_field()
    # The intake's version when the form was shown (see intake_edit).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# The label gives: the elemental amount of one of these, or a compound's weight.
LABEL_CHOICES = [
    *((f"nutrient:{nid}", f"{name} ({unit}), as the label gives it") for nid, (name, unit) in SUPPLEMENT_NUTRIENTS.items()),
    (f"iu:{VITAMIN_D}", "Vitamin D (IU), as the label gives it: stored as µg (40 IU = 1 µg)"),
    *((f"compound:{key}", f"{label} (mg of the compound)") for key, (label, _, _) in COMPOUNDS.items()),
]  # fmt: skip


# More than this on a label, in any unit, is a typing mistake.
MAX_LABEL_AMOUNT = Decimal(100_000)


class SupplementForm(StorableText, forms.Form):
    """A product from its label: one ingredient per product (enter a mix as its main
    mineral, or ask for several in a later version)."""

    name = forms.CharField(max_length=100, label="Name on the label")
    unit = forms.CharField(
        max_length=20, label="Unit", initial="tablet", help_text="tablet, capsule, scoop…"
    )
    ingredient = forms.ChoiceField(
        choices=LABEL_CHOICES,
        label="The label gives",
        help_text="Labels usually give the elemental amount; if yours gives the compound "
        "(“magnesium oxide 400 mg”), choose the compound and we work out the mineral.",
    )
    amount = TypedDecimalField(
        label="Amount per unit",
        min_value=Decimal("0.01"),
        # Bounds the digits too (no message of theirs beside it); an IU label may say 50,000.
        max_value=MAX_LABEL_AMOUNT,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount in one unit, from the label.",
            "invalid": "Enter a number, for example 250.",
            "min_value": "Enter an amount more than 0.",
            "max_value": (
                f"At most {grouped(MAX_MG_PER_UNIT)} per unit: check the label (is it per "
                "unit, and in mg rather than µg?)."
            ),
            "max_decimal_places": "Use at most 2 decimals.",
        },
    )

    def elemental(self) -> tuple[int, Decimal]:
        kind, key = self.cleaned_data["ingredient"].split(":")
        if kind == "compound":
            return elemental_mg(key, self.cleaned_data["amount"])
        if kind == "iu":  # vitamin D in IU: kept in µg, to 0.01
            micrograms = self.cleaned_data["amount"] / IU_PER_MICROGRAM_VITAMIN_D
            return int(key), micrograms.quantize(Decimal("0.01"))
        return int(key), self.cleaned_data["amount"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "ingredient" in cleaned and "amount" in cleaned:
            _, amount = self.elemental()
            if amount < Decimal("0.01"):
                self.add_error("amount", "That is less than 0.01 of the mineral: check it.")
            elif amount > MAX_MG_PER_UNIT:
                self.add_error("amount", self.fields["amount"].error_messages["max_value"])
        return cleaned

    def save(self, user: "settings.AUTH_USER_MODEL") -> Supplement:
        nutrient_id, amount = self.elemental()
        with transaction.atomic():
            supplement = Supplement.objects.create(
                owner=user, name=self.cleaned_data["name"], unit=self.cleaned_data["unit"]
            )
            SupplementAmount.objects.create(
                supplement=supplement, nutrient_id=nutrient_id, amount=amount
            )
        return supplement


@login_required
@require_POST
def intake_add(request: HttpRequest, day: Any) -> HttpResponse:
    form = IntakeForm(request.POST, user=request.user)
    if form.is_valid():
        if earlier_post(request) is not None:
            messages.info(request, ALREADY_SAVED)
            return redirect("tracker:day", day=day)
        intake = SupplementIntake.objects.create(
            user=request.user,
            day=day,
            supplement=form.cleaned_data["supplement"],
            count=form.cleaned_data["count"],
        )
        messages.success(request, f"Logged {intake.amount_text} of {intake.supplement.name}.")
        if intake.supplement.amounts.filter(nutrient_id=POTASSIUM).exists():
            messages.warning(request, POTASSIUM_WARNING)
        return redirect("tracker:day", day=day)
    # The day page again, with the form's messages beside its fields; nothing saved.
    context = day_context(request, day)
    context["intake_form"] = form
    return render(request, "tracker/day.html", context)


def focus_after_removal(ids: list[int], removed: int) -> int | None:
    """Where the focus goes once a row of a list is gone (a day's supplements or
    cramps): the row that takes its place, else the one before it; None when the list
    is empty."""
    rest = [pk for pk in ids if pk != removed]
    if not rest:
        return None
    index = ids.index(removed) if removed in ids else len(rest)
    return rest[min(index, len(rest) - 1)]


def focus_first_error(form: forms.Form) -> None:
    """After a refused save in place, the keyboard goes to the first field in error."""
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return


def own_intake(request: HtmxHttpRequest, pk: int) -> SupplementIntake:
    """The user's intake; another user's is as missing as one that never was (404)."""
    return get_object_or_404(
        SupplementIntake.objects.select_related("supplement"), pk=pk, user=request.user
    )


def supplements_changed(
    request: HtmxHttpRequest, day: date, focus_intake: int | None
) -> HttpResponse:
    """After a change to the day's supplements: htmx gets them and the day's totals (out
    of band), the keyboard on `focus_intake`'s Edit link (or, with none, on "Log a
    supplement"); others a redirect."""
    return day_changed(
        request,
        day,
        parts=SUPPLEMENTS,
        focus_intake=focus_intake,
        focus_log_supplement=focus_intake is None,
    )


@login_required
@require_GET
def intake_row(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An intake's row on the day page, for htmx (its edit form's Cancel); without htmx,
    the day page at the intake."""
    intake = own_intake(request, pk)
    if not request.htmx:
        return redirect(f"{reverse('tracker:day', args=[intake.day])}#intake-{intake.pk}")
    context = {"intake": intake, "focus_intake": intake.pk}
    return render(request, "tracker/day_cramps.html#intake-row", context)


@login_required
@require_http_methods(["GET", "POST"])
def intake_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Change how many were taken: a page of its own, or with htmx the intake's row."""
    intake = own_intake(request, pk)
    form = CountForm(
        request.POST if request.method == "POST" else None,
        initial={"count": plain(intake.count), "version": intake.version},
        auto_id=f"intake{intake.pk}_%s",
    )
    if request.method == "POST" and form.is_valid():
        seen = form.cleaned_data["version"]
        current = stored_version(intake)
        if seen is not None and seen != current:  # opened before another change
            intake = own_intake(request, pk)
            data = request.POST.copy()
            data["version"] = str(current)
            form = CountForm(data, auto_id=f"intake{intake.pk}_%s")
            form.is_valid()
            form.add_error(None, changed_elsewhere("supplement", intake.amount_text))
            return intake_edit_form(request, intake, form)
        # One row written; the day's totals add supplements as they are read (DayTotal
        # holds food alone), so there is nothing to refresh.
        intake.count = form.cleaned_data["count"]
        intake.save(update_fields=["count"])
        messages.success(request, f"Changed {intake.supplement.name} to {intake.amount_text}.")
        return supplements_changed(request, intake.day, focus_intake=intake.pk)
    return intake_edit_form(request, intake, form)


def intake_edit_form(
    request: HtmxHttpRequest, intake: SupplementIntake, form: CountForm
) -> HttpResponse:
    # The keyboard goes on in the field, to type the count or to fix it.
    form.fields["count"].widget.attrs["autofocus"] = True
    context = {"intake": intake, "form": form, "day": intake.day}
    if request.htmx:
        response = render(request, "tracker/day_cramps.html#intake-edit-row", context)
        if request.method == "POST":  # the message beside the field, in the row
            response = reswap(retarget(response, f"#intake-{intake.pk}"), "outerHTML")
        return response
    return render(request, "tracker/intake_edit.html", context)


@login_required
@require_POST
def intake_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    intake = own_intake(request, pk)
    ids = list(
        SupplementIntake.objects.filter(user=request.user, day=intake.day).values_list(
            "pk", flat=True
        )
    )
    intake.delete()
    messages.success(request, f"Removed {intake.amount_text} of {intake.supplement.name}.")
    return supplements_changed(request, intake.day, focus_after_removal(ids, pk))


@login_required
@require_http_methods(["GET", "POST"])
def supplement_list(request: HttpRequest) -> HttpResponse:
    """The products one may log, and a form to add one from its label."""
    form = SupplementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if earlier_post(request) is not None:
            messages.info(request, ALREADY_SAVED)
            return redirect("supplements")
        supplement = form.save(request.user)
        messages.success(request, f"Added {supplement.name}. Log it from the diary’s day page.")
        return redirect("supplements")
    products = supplements_with_amounts(Supplement.visible_to(request.user))
    context = {"form": form, "products": products, "advice": SUPPLEMENT_ADVICE}
    return render(request, "tracker/supplements.html", context)
