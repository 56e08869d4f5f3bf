"""Where a morning reminder's two answers lead, and the night they answer for in words."""

from datetime import date, datetime
from urllib.parse import urlencode

from django.urls import reverse

from tracker.entries.nights import last_night


def night_in_words(night: date, now: datetime, zone) -> str:
    """ "last night", or "on the night of Thursday 3 December" for an older one (an email read days later)."""
    if night == last_night(now, zone):
        return "last night"
    return f"on the night of {night:%A} {night.day} {night:%B}"


def cramp_form_path(night: date) -> str:
    """ "I had cramps": the cramp form for that night (the form reads `night` to start at about 3 a.m. after it)."""
    return reverse("entry_create", args=["cramp"]) + "?" + urlencode({"night": night.isoformat()})
