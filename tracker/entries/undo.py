"""Deleting an entry can be undone for a short while: the entry, as it was (same UUID, same foods), is kept in the
person's session until they undo or the time is up. Nothing else keeps a deleted entry."""

import secrets
import time

from django.core import serializers
from django.db import transaction

SHOWN_SECONDS = 10  # how long the Undo button shows
GRACE_SECONDS = 60  # how long a tap on it is honoured (a slow phone, a slow thumb)
SESSION_KEY = "undo"


def remember(request, entry, kind_slug: str) -> str:
    """Keep `entry` (about to be deleted) in the session; the token that undoes its deletion."""
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "kind": kind_slug,
        "label": str(entry._meta.verbose_name).capitalize(),
        "at": time.time(),
        "data": serializers.serialize("json", [entry]),
    }
    return token


def pending(request) -> dict | None:
    """The deletion that can still be undone, if any, while its button shows."""
    kept = request.session.get(SESSION_KEY)
    if kept and time.time() - kept["at"] <= SHOWN_SECONDS:
        return kept
    return None


def restore(request, token: str):
    """Put back the entry whose deletion `token` undoes, as it was; None when the token is stale or unknown, or
    the entry is not the person's."""
    kept = request.session.get(SESSION_KEY)
    if not kept or not secrets.compare_digest(kept["token"], token or ""):
        return None
    if time.time() - kept["at"] > GRACE_SECONDS:
        del request.session[SESSION_KEY]
        return None
    restored = None
    with transaction.atomic():
        for found in serializers.deserialize("json", kept["data"]):
            if found.object.user_id != request.user.pk:  # type: ignore[attr-defined]
                return None
            found.save()  # a raw save: the day totals are recounted on the next read (tracker/entries/changes.py)
            restored = found.object
    del request.session[SESSION_KEY]
    return restored


def context(request) -> dict:
    """Context processor: the deletion a page can still offer to undo."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    kept = pending(request)
    return {"undo": kept} if kept else {}
