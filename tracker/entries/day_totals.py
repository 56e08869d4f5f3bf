"""Per-day totals (DiaryDay) kept up to date from the entries, so trends over years read one row a day.

Every save or delete of a cramp, check-in, drink, exercise or meal recounts the days it touched, in the writer's
transaction and with the person's profile row locked (tracker/entries/changes.py, which every write goes through),
so two writers can't interleave their counts.
Totals depend on the person's time zone and on which foods count for each nutrient group; `key()` names both. When
the profile's `rollup_key` differs (a new time zone, new food data, or a bulk write), the next read recounts the
whole diary once.
"""

import hashlib
import json
import logging
from datetime import date
from functools import cache
from typing import cast

from django.db import transaction
from django.utils import timezone

from tracker.entries import counts
from tracker.entries.nights import night_of
from tracker.models import CrampEpisode, DiaryDay, NightCheckIn, Profile

log = logging.getLogger(__name__)

VERSION = "2"  # bump when DiaryDay's columns or their meaning change


@cache
def _foods_digest() -> str:
    groups = {group: counts.food_slugs(codes) for group, codes in counts.NUTRIENT_GROUPS.items()}
    return hashlib.sha256(json.dumps(groups, sort_keys=True).encode()).hexdigest()[:16]


def key(profile: Profile) -> str:
    return f"{VERSION}:{_foods_digest()}:{profile.time_zone}"


def day_of(entry, zone, values: dict | None = None) -> date | None:
    """The DiaryDay an entry counts on (a cramp: its night), from its fields or from `values` of them."""
    values = entry.__dict__ if values is None else values
    if isinstance(entry, NightCheckIn):
        return values.get("night")
    at = values.get("at")
    if at is None:
        return None
    return night_of(at, zone) if isinstance(entry, CrampEpisode) else at.astimezone(zone).date()


def make_current(user) -> None:
    """Make the person's DiaryDay rows current, recounting the whole diary if they were counted under another
    key; nothing more than the profile (usually already loaded) when they are current."""
    profile = user.profile
    if profile.rollup_key != key(profile):
        _recount_all(user.pk)
        profile.refresh_from_db(fields=["rollup_key"])


def first_day(user) -> date | None:
    """The diary's first day (counts.diary_start) from current day totals: one index seek."""
    return DiaryDay.objects.filter(user=user).order_by("day").values_list("day", flat=True).first()


def recount_days_of(entry) -> None:
    """Recount the days an entry touches now and touched when it was loaded (an edit can move it). Called by
    tracker/entries/changes.py with the person's profile row locked."""
    profile = Profile.objects.get(user_id=entry.user_id)
    if profile.rollup_key != key(profile):
        return  # already out of date: the next read recounts everything
    zone = profile.zone
    days = cast(
        set[date], {day_of(entry, zone), day_of(entry, zone, getattr(entry, "as_loaded", {}))} - {None}
    )
    entry.as_loaded = {name: entry.__dict__.get(name) for name in ("at", "night")}
    if days:
        _write(entry.user_id, counts.Span(min(days), max(days), zone))


# A whole diary's count can take a second or more (20 years); writers that come in meanwhile make it count again,
# and the last try counts with them held off.
RECOUNT_TRIES = 3


def _recount_all(user_id: int) -> None:
    """Recount the whole diary. The counting only reads, so it runs outside any transaction, and another person's
    write (on SQLite, any write) never waits for it; a short transaction then swaps the rows in, if no write to
    this diary came in meanwhile (its `page_version` is unchanged), else the count is made again."""
    for attempt in range(RECOUNT_TRIES):
        seen = Profile.objects.get(user_id=user_id)
        if seen.rollup_key == key(seen):
            return
        rows = None if attempt == RECOUNT_TRIES - 1 else _whole_diary(seen)
        with transaction.atomic():
            profile = Profile.objects.select_for_update().get(user_id=user_id)
            current = key(profile)
            if profile.rollup_key == current:
                return  # another request recounted it meanwhile
            if rows is not None and (profile.page_version, current) != (seen.page_version, key(seen)):
                continue  # the diary changed while it was counted: count again
            if rows is None:
                rows = _whole_diary(profile)  # the last try, counted under the lock
            DiaryDay.objects.filter(user_id=user_id).delete()
            DiaryDay.objects.bulk_create(rows, batch_size=500)
            profile.rollup_key = current
            profile.save(update_fields=["rollup_key"])
            log.info("day totals of user %s recounted from the whole diary", user_id)
            return


def _whole_diary(profile: Profile) -> list[DiaryDay]:
    """Every DiaryDay row the diary should have, from its first day to today (unsaved)."""
    zone = profile.zone
    start = counts.diary_start(profile.user, zone)
    if start is None:
        return []
    today = timezone.localdate(timezone=zone)
    return counted_rows(profile.user_id, counts.Span(start, max(start, today), zone))


def _write(user_id: int, span: counts.Span) -> None:
    """Replace the rows of the span's days with counts from the entries."""
    rows = counted_rows(user_id, span)
    DiaryDay.objects.filter(user_id=user_id, day__gte=span.first, day__lte=span.last).delete()
    DiaryDay.objects.bulk_create(rows, batch_size=500)


def counted_rows(user_id: int, span: counts.Span) -> list[DiaryDay]:
    """What the span's DiaryDay rows should hold, counted from the entries (unsaved)."""
    series = counts.count_days(user_id, span)
    days = set(series.nights) | series.checkins | set(series.fluid) | set(series.exercise) | set(series.meals)
    rows = []
    for day in sorted(days):
        night, exercise, meals = series.nights.get(day), series.exercise.get(day), series.meals.get(day)
        row = DiaryDay(
            user_id=user_id, day=day, checked_in=day in series.checkins, fluid_ml=series.fluid.get(day)
        )
        if night:
            row.cramps, row.cramp_intensity, row.cramp_top = night.count, night.intensity_sum, night.top or 0
            row.cramp_seconds, row.cramp_woke = night.seconds, night.woke
            row.cramp_rated, row.cramp_timed = night.rated, night.timed
        if exercise:
            row.exercise_minutes, row.exercise_vigorous = exercise.minutes, exercise.vigorous
            row.exercise_sweaty = exercise.sweaty
        if meals:
            row.meals = meals.meals
            for group, count in meals.with_nutrient.items():
                setattr(row, counts.group_column(group), count)
        rows.append(row)
    return rows
