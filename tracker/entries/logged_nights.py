"""What a *logged night* is, and which nights a figure covers: the one definition every figure counts by.

A logged night is a night (local noon to the next noon, named by its evening: tracker/entries/nights.py) with a
cramp or a "no cramps" check-in. A day with only a drink, a meal or exercise is not a logged night: nothing says
how its night went, so it is left out of every rate of cramp nights, never counted as a night without cramps.
Fluid, exercise and meals keep their own "days with a drink (meal, exercise) logged".

A *window* is a run of nights from `first` to `last`, the night going on excluded: a night is not over until
noon the next day, so at 00:33 on 5 December the night of 4 December is still going on and a window ends with 3
December. `tonight(now, zone)` names the night going on; every function here that takes `tonight` leaves it and
later nights out, so the default period, the calendar's "not over yet" and every denominator agree.

The calendar, Trends (its headline, range and charts), the summary, its PDF, a share link, FHIR and the
experiments all count logged nights through here, so the same nights give the same number everywhere.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from tracker.app import l10n
from tracker.entries.nights import night_of
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


def tonight(now: datetime, zone: tzinfo) -> date:
    """The night going on at `now` (local noon to the next noon): not over yet, so in no figure. Before noon it is
    the night named by yesterday's date; from noon, today's."""
    return night_of(now, zone)


def window(first: date, last: date, tonight: date) -> Nights:
    """The nights from `first` to `last` that are over: `tonight` (the night going on) and later left out."""
    return Nights(first, min(last, tonight - timedelta(days=1)))


def latest(nights: int, tonight: date) -> Nights:
    """The last `nights` nights that are over, ending the night before `tonight`."""
    return Nights(tonight - timedelta(days=nights), tonight - timedelta(days=1))


def logged_in(name: str, first: date, last: date) -> dict:
    """The aggregate (over DiaryDay rows) counting a window's logged nights, named `{name}_kept`."""
    return {f"{name}_kept": Count("id", filter=Q(day__gte=first, day__lte=last) & LOGGED)}


def count(user, first: date, last: date) -> int:
    """How many logged nights from `first` to `last`, from the day totals (which must be current)."""
    return DiaryDay.objects.filter(user=user, day__gte=first, day__lte=last).filter(LOGGED).count()


def span_words(first: date, last: date) -> str:
    """ "6 Nov to 3 Dec 2026" (the year on the last, and on the first when it differs)."""
    if first == last:
        return l10n.day_month_year(first)
    start = l10n.day_month(first) if first.year == last.year else l10n.day_month_year(first)
    # Translators: a run of nights, "6 Nov to 3 Dec 2026".
    return gettext("%(first)s to %(last)s") % {"first": start, "last": l10n.day_month_year(last)}


def over(kept: int, first: date, last: date) -> str:
    """What a figure covers, the nights logged with the nights there were: "over 18 of 28 nights logged, 6 Nov to
    3 Dec 2026"."""
    nights = Nights(first, last).days
    # Translators: what a figure is counted over; follows "Counted" or a figure ("12 cramps in this range, over
    # 18 of 28 nights logged, 6 Nov to 3 Dec 2026"). %(span)s is a run of dates.
    said = ngettext(
        "over %(kept)s of %(nights)s night logged, %(span)s",
        "over %(kept)s of %(nights)s nights logged, %(span)s",
        nights,
    )
    return said % {"kept": kept, "nights": nights, "span": span_words(first, last)}
