"""One-time keys in web forms: a double submit, or a retry after a lost answer, stores once.

Each rendering of a form that writes carries a fresh random key in a hidden field
(`OneTimeKeyField`, or `{% one_time_key %}` in a form written out by hand). The view
claims the key in the same transaction as its write (`first_time`); a second request with
the same key finds it claimed and writes nothing. The API's Idempotency-Key header is the
same idea for programs (tracker/api.py).
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from django.conf import settings
from django.http import HttpRequest

from tracker.models import RequestKey, request_fingerprint

FIELD_NAME = "once"
KEY_PATTERN = re.compile(r"[0-9a-f]{32}")


# The keys made while a page renders for the page cache, which gives each later showing
# of that page keys of its own (tracker/page_cache.py).
_keys_made: ContextVar[list[str] | None] = ContextVar("keys_made", default=None)


def new_key() -> str:
    key = uuid.uuid4().hex
    made = _keys_made.get()
    if made is not None:
        made.append(key)
    return key


@contextmanager
def keys_made() -> Iterator[list[str]]:
    """The one-time keys new_key() makes inside the block."""
    made: list[str] = []
    token = _keys_made.set(made)
    try:
        yield made
    finally:
        _keys_made.reset(token)


class OneTimeKeyField(forms.CharField):
    """A hidden key made afresh each time its form is shown. Never an error: a missing or
    garbled key (typed by nobody) only means the write is not guarded against doubles."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, initial=new_key, **kwargs)

    def to_python(self, value: object) -> str:
        return value if isinstance(value, str) and KEY_PATTERN.fullmatch(value) else ""

    def validate(self, value: str) -> None:
        pass

    def run_validators(self, value: str) -> None:
        pass


def first_time(user: "settings.AUTH_USER_MODEL", key: str, path: str) -> bool:
    """True when the write may go ahead: no key, or a key not seen before (now claimed).

    Call inside the write's transaction, so that the key is kept only with the write.
    """
    if not key:
        return True
    _, new = RequestKey.claim(user, key, request_fingerprint("POST", path))
    return new


# Where earlier_post() leaves the key it claimed, for answered_with().
CLAIM_ATTRIBUTE = "once_claim"
ALREADY_SAVED = "That was sent twice; it is saved once."


def earlier_post(request: HttpRequest) -> RequestKey | None:
    """For a form that adds: None when this POST's one-time key (the hidden "once") is new
    or missing, and the add may go ahead (the key is now claimed); else the claim of the
    earlier POST with the same key, whose response_body is where its answer led (when
    the view kept it with answered_with). Every signed-in write request is one
    transaction (tracker/page_cache.py), so the key is kept if and only if the add is.
    """
    key = OneTimeKeyField().clean(request.POST.get(FIELD_NAME))
    if not key:
        return None
    claimed, new = RequestKey.claim(request.user, key, request_fingerprint("POST", request.path))
    if new:
        setattr(request, CLAIM_ATTRIBUTE, claimed)
        return None
    return claimed


def answered_with(request: HttpRequest, location: str) -> str:
    """Keep where the first POST's answer leads (the new cramp's details, say), so that
    its double leads there too; returns the location."""
    claimed: RequestKey | None = getattr(request, CLAIM_ATTRIBUTE, None)
    if claimed is not None:
        claimed.response_body = location
        claimed.save(update_fields=["response_body"])
    return location
