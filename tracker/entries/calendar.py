"""The nights calendar: a month of nights, each a cramp night (how many, how bad), a night checked in as free of
cramps, or a night with neither. Read from the day totals (DiaryDay, which must be current): one query a month.

A night is named by the date of its evening (tracker/entries/nights.py), so a cramp at 01:30 marks the night
before, and a daylight-saving change moves nothing.

Given the runs of the person's experiment blocks (worked out by the caller, tracker/experiments/progress.py
`runs_between`), each night in one of them also says which: a change block or a usual one. Without them nothing is
shaded. The calendar knows a run only by the shape below, so it depends on nothing above the entries."""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from django.utils.dates import WEEKDAYS
from django.utils.translation import ngettext, pgettext

from tracker.entries.logged_nights import LOGGED
from tracker.models import DiaryDay

# Worst intensity bands for the shading; the number in each cell says how many, the shape says how bad.
MILD, MODERATE, SEVERE = "mild", "moderate", "severe"
MONTHS_ON_A_SUMMARY = 3  # a summary's calendar shows at most its last 3 months
YOUNG_DAYS = 14  # while this month has had fewer nights than this, the calendar shows the month before too


class Run(Protocol):
    """Consecutive nights of one experiment block, as the calendar shades them."""

    @property
    def first(self) -> date: ...
    @property
    def last(self) -> date: ...
    @property
    def is_change(self) -> bool: ...
    @property
    def change(self) -> str: ...
    @property
    def said(self) -> str: ...


@dataclass(frozen=True)
class Night:
    day: date
    state: str  # "cramps", "none" (checked in, no cramps), "unlogged", "future" or "before" (the diary)
    count: int = 0
    worst: int | None = None  # the highest intensity recorded that night, if any was
    run: Run | None = None  # the experiment block it is in, if any

    @property
    def block(self) -> str | None:
        """ "change" or "usual" for a night in an experiment's block, else None."""
        if self.run is None:
            return None
        return "change" if self.run.is_change else "usual"

    @property
    def band(self) -> str | None:
        if self.worst is None:
            return None
        return SEVERE if self.worst >= 7 else MODERATE if self.worst >= 4 else MILD

    @property
    def said(self) -> str:
        """The night in words: what a screen reader hears and the list alternative shows."""
        if self.state == "cramps" and self.worst is not None:
            return ngettext(
                "%(count)s cramp, worst %(worst)s out of 10",
                "%(count)s cramps, worst %(worst)s out of 10",
                self.count,
            ) % {"count": self.count, "worst": self.worst}
        if self.state == "cramps":
            return ngettext(
                "%(count)s cramp, intensity not recorded",
                "%(count)s cramps, intensity not recorded",
                self.count,
            ) % {"count": self.count}
        return {
            "none": pgettext("a night", "no cramps (checked in)"),
            "unlogged": pgettext("a night", "not logged"),
            "future": pgettext("a night", "not over yet"),
            "before": pgettext("a night", "before your diary"),
        }[self.state]


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Night | None]]  # Monday first; None pads the days of other months
    earlier: date | None  # the first of the month before, when the diary reaches back to it
    later: date | None

    @property
    def weekdays(self) -> list[tuple[str, str]]:
        """The columns' heads, Monday first: one letter, and the day's name (Django's own, translated)."""
        letters = (
            pgettext("Monday in one letter", "M"),
            pgettext("Tuesday in one letter", "T"),
            pgettext("Wednesday in one letter", "W"),
            pgettext("Thursday in one letter", "T"),
            pgettext("Friday in one letter", "F"),
            pgettext("Saturday in one letter", "S"),
            pgettext("Sunday in one letter", "S"),
        )
        return [(letter, str(WEEKDAYS[day])) for day, letter in enumerate(letters)]

    @property
    def nights(self) -> list[Night]:
        return [night for week in self.weeks for night in week if night is not None]

    @property
    def cramp_nights(self) -> int:
        return sum(1 for night in self.nights if night.state == "cramps")

    @property
    def free_nights(self) -> int:
        return sum(1 for night in self.nights if night.state == "none")

    @property
    def unlogged_nights(self) -> int:
        return sum(1 for night in self.nights if night.state == "unlogged")

    @property
    def runs(self) -> list[Run]:
        """The experiment blocks shown this month, in order, each once."""
        seen: list[Run] = []
        for night in self.nights:
            if night.run is not None and (not seen or seen[-1] != night.run):
                seen.append(night.run)
        return seen

    @property
    def changes(self) -> list[str]:
        """The changes tried this month, each once, for the key."""
        return list(dict.fromkeys(run.change for run in self.runs if run.is_change))

    @property
    def has_usual(self) -> bool:
        return any(not run.is_change for run in self.runs)


def last_of_month(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_of(value: str | None, today: date, start: date | None) -> date:
    """The first of the month asked for as "YYYY-MM", kept between the diary's first month and this one."""
    latest = today.replace(day=1)
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = date(year, month, 1)
    except (ValueError, OverflowError):
        return latest
    earliest = start.replace(day=1) if start else latest
    return min(max(chosen, earliest), latest)


def opening_month(user, today: date) -> date:
    """The first of the month the calendar opens on: the latest month with a logged night in it (a cramp or a
    "no cramps" check-in), so a diary left for a while opens on its nights, not on an empty month; this month
    when there are none. One index seek on the day totals (which must be current)."""
    latest = (
        DiaryDay.objects.filter(LOGGED, user=user, day__lt=today)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    return (latest or today).replace(day=1)


def month_before_too(first: date, today: date, start: date | None) -> date | None:
    """The month before `first`, to show above it while `first` is this month and young (fewer than YOUNG_DAYS
    nights over), when the diary reaches back to it."""
    if first != today.replace(day=1) or today.day > YOUNG_DAYS:
        return None
    earlier = (first - timedelta(days=1)).replace(day=1)
    return earlier if start is not None and start < first else None


def month(
    user,
    first: date,
    today: date,
    start: date | None,
    *,
    period: tuple[date, date] | None = None,
    runs: Sequence[Run] = (),
) -> Month:
    """The nights of `first`'s month; with `period`, nights outside it are left blank (a summary's calendar). With
    `runs`, each night in one of them says which block it is in."""
    last = last_of_month(first)
    rows = {
        row[0]: row[1:]
        for row in DiaryDay.objects.filter(user=user, day__gte=first, day__lte=last)
        .order_by()
        .values_list("day", "cramps", "cramp_top", "cramp_rated", "checked_in")
    }
    weeks: list[list[Night | None]] = []
    week: list[Night | None] = [None] * first.weekday()
    day = first
    while day <= last:
        night = _night(day, rows.get(day), today, start, period)
        run = next((run for run in runs if run.first <= day <= run.last), None)
        week.append(replace(night, run=run) if night is not None and run is not None else night)
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    if (
        period
    ):  # a summary's month starts at the week holding its first night of the period, and ends likewise
        held = [i for i, days in enumerate(weeks) if any(night is not None for night in days)]
        weeks = weeks[held[0] : held[-1] + 1] if held else []
    earlier = (first - timedelta(days=1)).replace(day=1)
    later = last + timedelta(days=1)
    return Month(
        first,
        weeks,
        earlier if start and earlier >= start.replace(day=1) else None,
        later if later <= today else None,
    )


def _night(day: date, row, today: date, start: date | None, period: tuple[date, date] | None) -> Night | None:
    if period and not period[0] <= day <= period[1]:
        return None
    if day >= today:  # tonight's night is not over until tomorrow noon
        return Night(day, "future")
    if start is None or day < start:
        return Night(day, "before")
    if row is None:
        return Night(day, "unlogged")
    cramps, top, rated, checked_in = row
    if cramps:
        return Night(day, "cramps", cramps, top if rated else None)
    return Night(day, "none" if checked_in else "unlogged")


def months_of_period(
    user,
    first: date,
    last: date,
    today: date,
    start: date | None,
    *,
    runs: Sequence[Run] = (),
) -> tuple[list[Month], int]:
    """A summary's calendar: the months of the period, at most the last MONTHS_ON_A_SUMMARY, and how many
    earlier months were left out. With `runs`, their nights are shaded as in `month`."""
    firsts = []
    current = first.replace(day=1)
    while current <= last:
        firsts.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    shown = firsts[-MONTHS_ON_A_SUMMARY:]
    months = [month(user, f, today, start, period=(first, last), runs=runs) for f in shown]
    return months, len(firsts) - len(shown)
