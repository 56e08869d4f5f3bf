"""Where a morning reminder's two answers lead, and the night they answer for in words."""

from datetime import date, datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext

from tracker.app import l10n
from tracker.entries.nights import last_night


def is_last_night(night: date, now: datetime, zone) -> bool:
    """The night just gone, which the words call "last night"; an older one (an email read days later) is named by
    its date."""
    return night == last_night(now, zone)


def night_name(night: date) -> str:
    """ "Thursday 3 December", as the active language writes it."""
    return l10n.long_weekday_day_month(night)


def no_cramps_noted(night: date, now: datetime, zone, *, before: bool) -> str:
    """What the person is told once a "No cramps" answer is in the diary: now, or already `before`. Whole
    sentences for each kind of night, so a translation can order its words freely."""
    if is_last_night(night, now, zone):
        if before:
            return gettext("Already recorded: no cramps last night. Nothing more to do.")
        return gettext("Noted: no cramps last night.")
    named = {"night": night_name(night)}
    if before:
        return gettext("Already recorded: no cramps on the night of %(night)s. Nothing more to do.") % named
    return gettext("Noted: no cramps on the night of %(night)s.") % named


def cramp_form_path(night: date) -> str:
    """ "I had cramps": the cramp form for that night (the form reads `night` to start at about 3 a.m. after it)."""
    return reverse("entry_create", args=["cramp"]) + "?" + urlencode({"night": night.isoformat()})
