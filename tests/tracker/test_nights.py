from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.entries.nights import day_bounds, last_night, night_bounds, night_of

LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    "local_time, night",
    [
        (datetime(2026, 3, 7, 22, 0), date(2026, 3, 7)),
        (datetime(2026, 3, 8, 2, 30), date(2026, 3, 7)),  # the spring-forward night itself
        (datetime(2026, 3, 8, 11, 59), date(2026, 3, 7)),
        (datetime(2026, 3, 8, 12, 0), date(2026, 3, 8)),
        (datetime(2026, 11, 1, 1, 30), date(2026, 10, 31)),  # the fall-back night
    ],
)
def test_it_names_a_night_by_its_evening(local_time, night):
    assert night_of(local_time.replace(tzinfo=LA), LA) == night


def test_it_sees_a_utc_moment_in_the_persons_night():
    # 10:30 UTC on 8 March 2026 is 03:30 PDT, after the clocks went forward at 02:00.
    assert night_of(datetime(2026, 3, 8, 10, 30, tzinfo=ZoneInfo("UTC")), LA) == date(2026, 3, 7)


def elapsed(start: datetime, end: datetime) -> timedelta:
    return end.astimezone(UTC) - start.astimezone(UTC)


def test_it_gives_daylight_saving_nights_23_and_25_hours():
    assert elapsed(*night_bounds(date(2026, 3, 7), LA)) == timedelta(hours=23)
    assert elapsed(*night_bounds(date(2026, 10, 31), LA)) == timedelta(hours=25)
    assert elapsed(*night_bounds(date(2026, 6, 1), LA)) == timedelta(hours=24)


def test_it_bounds_a_local_day():
    start, end = day_bounds(date(2026, 3, 8), LA)
    assert start.utcoffset() == timedelta(hours=-8)
    assert end.utcoffset() == timedelta(hours=-7)


@pytest.mark.parametrize("hour", [0, 7, 13, 23])
def test_it_calls_the_night_that_began_yesterday_evening_last_night(hour):
    assert last_night(datetime(2026, 3, 8, hour, 0, tzinfo=LA), LA) == date(2026, 3, 7)
