"""Personal API tokens: made and revoked on the profile page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from tracker.forms import ProfileForm, StorableText
from tracker.models import ApiToken
from tracker.once import ALREADY_SAVED, earlier_post
from tracker.views import NEW_TOKEN_SESSION_KEY, profile_page


class TokenForm(StorableText, forms.Form):
    """Only checks the name: templates/tracker/profile.html writes the input out."""

    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Give the token a name.",
            "max_length": "Use at most 100 characters.",
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a token, then go back to the profile page (so that a reload makes no other),
    which shows the token this once: it waits in the session until then, and is kept
    nowhere else but as its hash. A double submit makes one token (its one-time key)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return profile_page(request, ProfileForm(instance=request.profile), token_form=form)
    if earlier_post(request) is None:
        token, raw_token = ApiToken.create_for(request.user, form.cleaned_data["name"])
        request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "token": raw_token}
    else:
        messages.info(request, ALREADY_SAVED)
    return redirect(reverse("profile") + "#api-tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, f"Revoked the token “{token.name}”: it no longer works.")
    return redirect("profile")
