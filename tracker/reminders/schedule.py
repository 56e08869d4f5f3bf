"""When a reminder is due, on the person's own clock. Pure functions of the settings and a moment: no database.

A reminder is due once the local clock has reached its time today ("catch up": a worker that was down, or a tick
that came late, still sends it later that day), outside quiet hours, and it is for last night (morning) or today
(evening). The claim record (tracker/reminders/sending.py) makes sure it goes out once.

Daylight saving needs no special case: the local clock is compared, not a computed instant. A time the clock skips
(02:30 on a spring-forward night in America/Los_Angeles, where 02:00 jumps to 03:00) is reached at the first
instant the clock shows a later time, 03:00 local; a time the clock shows twice (01:30 when autumn turns 02:00
back to 01:00) is reached the first time, and the claim stops the second.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.models import ReminderKind, ReminderSettings


@dataclass(frozen=True)
class Due:
    kind: str  # ReminderKind
    for_date: date  # the night, named by its evening (morning), or the day (evening)


def is_quiet(prefs: ReminderSettings, clock: time) -> bool:
    """Inside the quiet hours; they run across midnight when they start later than they end."""
    start, end = prefs.quiet_from, prefs.quiet_until
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def never_sent(prefs: ReminderSettings, at: time) -> bool:
    """A reminder time inside quiet hours that last until midnight: it would wait into the next day, so it never
    comes (the settings form refuses it)."""
    start, end = prefs.quiet_from, prefs.quiet_until
    if start is None or end is None or start == end or not is_quiet(prefs, at):
        return False
    return start > end and at >= start


def due(prefs: ReminderSettings, now: datetime, zone: ZoneInfo) -> list[Due]:
    """The reminders whose time has come today and that are not held by quiet hours."""
    local = now.astimezone(zone)
    today, clock = local.date(), local.time()
    if is_quiet(prefs, clock):
        return []
    changed = prefs.changed_at.astimezone(zone)
    found = []
    for kind, on, at in (
        (ReminderKind.MORNING, prefs.morning_on, prefs.morning_at),
        (ReminderKind.EVENING, prefs.evening_on, prefs.evening_at),
    ):
        if not on or clock < at:
            continue
        if changed.date() == today and changed.time() >= at:
            continue  # switched on or moved after its time today: it starts tomorrow
        found.append(Due(kind, today - timedelta(days=1) if kind == ReminderKind.MORNING else today))
    return found
