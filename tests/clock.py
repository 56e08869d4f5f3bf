"""The clock in tests. A test that reads the time says which local moment it is (`clock.at(...)`), and the whole
suite can be run as if it were any moment of the year (`make test AT=2027-03-28T01:30 TZ_AT=Europe/London`, or
pytest's `--at` and `--at-zone`): every test then starts at that moment, and a test's own `clock.at` still wins.

time-machine moves every clock Python reads (datetime, time.time, C-level calls), and with a zone it also sets the
process's local zone (TZ), so "now" is the same moment for the app, the database driver and the test."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

LONDON = "Europe/London"


def moment(when: str | datetime, zone: str = LONDON) -> datetime:
    """The local moment `when` ("2026-12-04T21:30", or a naive datetime) in `zone`, as an aware datetime. A time
    a clock change skips (01:30 when clocks go forward) reads as the offset before the change; a time it repeats
    (01:30 when clocks go back) is its first occurrence, as zoneinfo reads fold=0, unless `when` names its UTC
    offset ("2027-10-31T01:30+00:00", the second 01:30 in London) or is a datetime with fold=1."""
    value = datetime.fromisoformat(when) if isinstance(when, str) else when
    if value.tzinfo is not None:
        return value.astimezone(ZoneInfo(zone))
    return value.replace(tzinfo=ZoneInfo(zone))


class Clock:
    """Now, for one test: `clock.at("2026-12-04T21:30")` (London unless a zone is given), `clock.shift(hours=2)`.
    It ticks on from the moment set, as a real clock does, unless `tick=False`."""

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None
        self.now: datetime | None = None

    def at(self, when: str | datetime, zone: str = LONDON, *, tick: bool = True) -> datetime:
        destination = when if isinstance(when, datetime) and when.tzinfo else moment(when, zone)
        if self._traveller is None:
            self._travel = time_machine.travel(destination, tick=tick)
            self._traveller = self._travel.start()
        else:
            self._traveller.move_to(destination, tick=tick)
        self.now = destination
        return destination

    def shift(self, **delta: float) -> None:
        if self._traveller is None:
            raise RuntimeError("set the clock with clock.at(...) before moving it")
        self._traveller.shift(timedelta(**delta))

    @property
    def today(self) -> date:
        """The local date of the moment last set (the test's "today" in the zone it named)."""
        if self.now is None:
            raise RuntimeError("set the clock with clock.at(...) first")
        return self.now.date()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = self._traveller = None
