"""Personal API tokens: made and revoked on the profile page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tracker.forms import ProfileForm
from tracker.models import ApiToken


class TokenForm(forms.Form):
    """Only checks the name: templates/tracker/profile.html writes the input out."""

    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Give the token a name.",
            "max_length": "Use at most 100 characters.",
        },
    )


@never_cache  # the page holds the new token: no cache may keep it
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Answers with the profile page itself, not a redirect: the token is shown this once
    and kept nowhere, not even in the session."""
    form = TokenForm(request.POST)
    token = new_token = None
    if form.is_valid():
        token, new_token = ApiToken.create_for(request.user, form.cleaned_data["name"])
        form = None  # the next token starts with an empty name
    context = {
        "form": ProfileForm(instance=request.profile),
        "tokens": request.user.api_tokens.all(),
        "token_form": form,
        "new_token": new_token,
        "new_token_name": token.name if token else "",
    }
    return render(request, "tracker/profile.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, f"Revoked the token “{token.name}”: it no longer works.")
    return redirect("profile")
