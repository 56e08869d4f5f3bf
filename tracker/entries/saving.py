"""Writes with side effects beyond a plain form save."""

from datetime import date

from django.db import IntegrityError, transaction
from django.forms import ModelForm

from tracker.entries.nights import night_of
from tracker.models import NightCheckIn


def create_entry(form: ModelForm, user) -> tuple[object, bool]:
    """Save a new entry once per client UUID: a double tap, a retry or a replayed offline queue returns the
    entry that is already there instead of making a second one."""
    model = form._meta.model
    uuid = form.cleaned_data["uuid"]
    existing = model.objects.for_user(user).filter(uuid=uuid).first()
    if existing is not None:
        return existing, False
    entry = form.save(commit=False)
    entry.user = user
    entry.uuid = uuid
    try:
        with transaction.atomic():
            entry.save()
            form.save_m2m()
    except IntegrityError:
        # Lost a race with the same UUID (or the same night for a check-in): the other request's row stands.
        found = model.objects.for_user(user).filter(uuid=uuid).first()
        if found is None and hasattr(entry, "night"):
            found = model.objects.for_user(user).filter(night=entry.night).first()
        if found is None:
            raise
        return found, False
    return entry, True


def replace_checkin_for(cramp) -> date | None:
    """A cramp logged for a night marked "No cramps" replaces that check-in: the night of the check-in it
    removed, if any. (A check-in for a night with a cramp is refused by its form.)"""
    night = night_of(cramp.at, cramp.user.profile.zone)
    checkin = NightCheckIn.objects.for_user(cramp.user).filter(night=night).first()
    if checkin is None:
        return None
    checkin.delete()  # one entry on its own: its day is recounted (tracker/entries/changes.py)
    return night
