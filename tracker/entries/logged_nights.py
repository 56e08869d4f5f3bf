"""What a *logged night* is, and which nights a figure covers: the one definition every figure counts by.

A logged night is a night (local noon to the next noon, named by its evening: tracker/entries/nights.py) with a
cramp or a "no cramps" check-in. A day with only a drink, a meal or exercise is not a logged night: nothing says
how its night went, so it is left out of every rate of cramp nights, never counted as a night without cramps.
Fluid, exercise and meals keep their own "days with a drink (meal, exercise) logged".

A *window* is a run of nights from `first` to `last`, tonight excluded: tonight's night is not over until
tomorrow noon, so a window asked to end today ends last night.

The calendar, Trends (its headline, range and charts), the summary, its PDF, a share link, FHIR and the
experiments all count logged nights through here, so the same nights give the same number everywhere.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from tracker.models import DiaryDay

# A DiaryDay row (one per local day, its cramp columns for that day's night) that is a logged night.
LOGGED = Q(cramps__gt=0) | Q(checked_in=True)


def is_logged(cramps: int | None, checked_in: bool) -> bool:
    """The same test as LOGGED, for a row already read."""
    return bool(cramps) or bool(checked_in)


@dataclass(frozen=True)
class Nights:
    """A window of nights, `first` to `last` (both included); empty when `last` is before `first`."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return max(0, (self.last - self.first).days + 1)

    def __contains__(self, night: date) -> bool:
        return self.first <= night <= self.last


def window(first: date, last: date, today: date) -> Nights:
    """The nights from `first` to `last` whose night is over by `today`: tonight and later left out."""
    return Nights(first, min(last, today - timedelta(days=1)))


def latest(nights: int, today: date) -> Nights:
    """The last `nights` nights up to last night."""
    return Nights(today - timedelta(days=nights), today - timedelta(days=1))


def logged_in(name: str, first: date, last: date) -> dict:
    """The aggregate (over DiaryDay rows) counting a window's logged nights, named `{name}_kept`."""
    return {f"{name}_kept": Count("id", filter=Q(day__gte=first, day__lte=last) & LOGGED)}


def count(user, first: date, last: date) -> int:
    """How many logged nights from `first` to `last`, from the day totals (which must be current)."""
    return DiaryDay.objects.filter(user=user, day__gte=first, day__lte=last).filter(LOGGED).count()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def span_words(first: date, last: date) -> str:
    """ "6 Nov to 3 Dec" (the year on the last, and on the first when it differs)."""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    start = f"{first.day} {first:%b}" if first.year == last.year else f"{first.day} {first:%b %Y}"
    return f"{start} to {last.day} {last:%b %Y}"


def over(kept: int, first: date, last: date) -> str:
    """What a figure covers: "over 18 logged nights, 6 Nov to 3 Dec 2026"."""
    return f"over {_plural(kept, 'logged night')}, {span_words(first, last)}"
