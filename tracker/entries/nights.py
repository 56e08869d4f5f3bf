"""Days and nights in the person's own time zone.

A diary *night* runs from local noon to the next local noon and is named by the date of its evening, so a
cramp at 02:30 on 21 March belongs to the night of 20 March. Arithmetic is done on the local wall clock, so
nights stay correct across daylight-saving changes (a night may last 23 or 25 hours).
"""

from datetime import date, datetime, time, timedelta, tzinfo

NIGHT_TURNS_AT = time(12, 0)


def night_of(moment: datetime, tz: tzinfo) -> date:
    """The night (named by its evening's date) that an aware moment belongs to."""
    local = moment.astimezone(tz)
    return local.date() if local.time() >= NIGHT_TURNS_AT else local.date() - timedelta(days=1)


def night_bounds(night: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Aware start (inclusive) and end (exclusive) of a night."""
    return (
        datetime.combine(night, NIGHT_TURNS_AT, tzinfo=tz),
        datetime.combine(night + timedelta(days=1), NIGHT_TURNS_AT, tzinfo=tz),
    )


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Aware start (inclusive) and end (exclusive) of a local calendar day."""
    return (
        datetime.combine(day, time.min, tzinfo=tz),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz),
    )


def last_night(now: datetime, tz: tzinfo) -> date:
    """The night that began yesterday evening, whatever the time of day now."""
    return now.astimezone(tz).date() - timedelta(days=1)
