"""Counting a person's entries by local day and night, inside the database, in the person's own time zone.

Each `*_by_*` function runs one query that groups and counts in SQL. These are the definition of the day totals
(tracker/entries/day_totals.py) and of the summary's figures; tracker/trends/stats.py folds their rows into charts.
Days are local calendar days; cramps belong to *nights* (local noon to noon, named by the evening's date, see
tracker/entries/nights.py).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, NoReturn
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, DateField, Func, IntegerField, Max, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy

from knowledge.foods import foods_with
from knowledge.models import Food
from knowledge.nutrients import Nutrient
from tracker.entries.nights import day_bounds, night_bounds, night_of
from tracker.models import CrampEpisode, Drink, Effort, Exercise, Meal, NightCheckIn

User = get_user_model()
# Chart 7's groups: the nutrient roles the source documents give, with the B vitamins taken together.
NUTRIENT_GROUPS: dict[str, tuple[str, ...]] = {
    "Magnesium": (Nutrient.MAGNESIUM,),
    "Potassium": (Nutrient.POTASSIUM,),
    "Calcium": (Nutrient.CALCIUM,),
    "Vitamin D": (Nutrient.VITAMIN_D,),
    "B vitamins": (Nutrient.VITAMIN_B1, Nutrient.VITAMIN_B6, Nutrient.VITAMIN_B12),
    "Iron": (Nutrient.IRON,),
    "Vitamin K2": (Nutrient.VITAMIN_K2,),
}
# The groups' names as a person reads them; the keys above are codes (DiaryDay's columns are named after them).
NUTRIENT_GROUP_LABELS = {
    "Magnesium": gettext_lazy("Magnesium"),
    "Potassium": gettext_lazy("Potassium"),
    "Calcium": gettext_lazy("Calcium"),
    "Vitamin D": gettext_lazy("Vitamin D"),
    "B vitamins": gettext_lazy("B vitamins"),
    "Iron": gettext_lazy("Iron"),
    "Vitamin K2": gettext_lazy("Vitamin K2"),
}


def group_label(group: str) -> str:
    """A nutrient group's name in the active language: "B vitamins"."""
    return str(NUTRIENT_GROUP_LABELS[group])


def food_slugs(codes: tuple[str, ...]) -> list[str]:
    return sorted({food.slug for code in codes for food in foods_with(code)})


# ---------------------------------------------------------------------------------------------------------------
# Local days, nights and hours, worked out inside the database


@lru_cache(maxsize=256)
@lru_cache(maxsize=64)
def offset_changes(zone_key: str, start: datetime, end: datetime) -> tuple[tuple[datetime, int], ...]:
    """The zone's UTC offset (seconds) in force at `start`, then (instant, new offset) at each change before `end`."""
    zone = ZoneInfo(zone_key)

    def offset(moment: datetime) -> int:
        delta = moment.astimezone(zone).utcoffset()
        assert delta is not None  # a time in a ZoneInfo always has its offset
        return int(delta.total_seconds())

    changes = [(start, offset(start))]
    step = timedelta(hours=12)
    moment = start
    while moment < end:
        later = min(moment + step, end)
        if offset(later) != changes[-1][1]:
            low, high = moment, later  # offset(low) is the old one, offset(high) the new one
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == changes[-1][1] else (low, middle)
            changes.append((high.replace(microsecond=0), offset(later)))
        moment = later
    return tuple(changes)


class Local(Func):
    """The local day, night or hour of a timestamp column in `zone`, computed by the database.

    PostgreSQL applies its own zone rules (AT TIME ZONE). SQLite has none, so the offsets in force between
    `start` and `end` go in as a CASE over the daylight-saving changes, and SQLite's own date functions do the
    rest: no Python function is called per row. Rows outside [start, end) must be filtered out by the caller.
    """

    PARTS = {"day": DateField, "night": DateField, "hour": IntegerField}

    def __init__(self, column: str, part: str, zone: ZoneInfo, start: datetime, end: datetime):
        super().__init__(column, output_field=self.PARTS[part]())
        self.part, self.zone, self.start, self.end = part, zone, start, end

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> NoReturn:
        raise NotSupportedError(f"Trends need SQLite or PostgreSQL, not {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        local = f"({column} AT TIME ZONE %s)"
        sql = {
            "day": f"({local})::date",
            "night": f"({local} - INTERVAL '12 hours')::date",
            "hour": f"EXTRACT(HOUR FROM {local})::integer",
        }[self.part]
        return sql, (*params, self.zone.key)

    def as_sqlite(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        changes = offset_changes(self.zone.key, self.start.astimezone(UTC), self.end.astimezone(UTC))

        def shift_between(low: int, high: int) -> tuple[str, list]:
            """The offset of a row known to fall between change `low` and change `high`, as a binary search:
            about log2(changes) comparisons a row rather than one per change (20 years in London: 40)."""
            if low == high:
                return "%s", [f"{changes[low][1]:+d} seconds"]
            middle = (low + high + 1) // 2
            before, before_params = shift_between(low, middle - 1)
            after, after_params = shift_between(middle, high)
            adapted = connection.ops.adapt_datetimefield_value(changes[middle][0])
            sql = f"CASE WHEN {column} < %s THEN {before} ELSE {after} END"
            return sql, [*column_params, adapted, *before_params, *after_params]

        shift, shift_params = shift_between(0, len(changes) - 1)
        sql = {
            "day": f"date({column}, {shift})",
            "night": f"date({column}, {shift}, '-12 hours')",
            "hour": f"CAST(strftime('%%H', {column}, {shift}) AS INTEGER)",
        }[self.part]
        return sql, (*column_params, *shift_params)


# ---------------------------------------------------------------------------------------------------------------
# The period asked for


@dataclass(frozen=True)
class Span:
    """Local days `first` to `last` inclusive, and the nights that begin on them."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def day_range(self) -> tuple[datetime, datetime]:
        return day_bounds(self.first, self.zone)[0], day_bounds(self.last, self.zone)[1]

    @property
    def night_range(self) -> tuple[datetime, datetime]:
        return night_bounds(self.first, self.zone)[0], night_bounds(self.last, self.zone)[1]

    def each_day(self):
        for offset in range(self.days):
            yield self.first + timedelta(days=offset)


def local(part: str, span: Span, nights: bool = False) -> Local:
    return Local("at", part, span.zone, *(span.night_range if nights else span.day_range))


def entries_in(model, user, span: Span, nights: bool = False):
    start, end = span.night_range if nights else span.day_range
    return model.objects.for_user(user).between(start, end).order_by()


# ---------------------------------------------------------------------------------------------------------------
# One query each


class NightCramps(NamedTuple):
    """A night's cramps. Intensity and length count only over the cramps that have them recorded (`rated`,
    `timed`); `top` is None when no cramp's intensity was recorded."""

    count: int  # type: ignore[assignment]  # shadows tuple.count on purpose: rows are read by this name
    intensity_sum: int
    top: int | None
    seconds: int
    woke: int
    rated: int
    timed: int


def cramps_by_night(user, span: Span) -> dict[date, NightCramps]:
    rows = (
        entries_in(CrampEpisode, user, span, nights=True)
        .values(night=local("night", span, nights=True))
        .annotate(
            count=Count("id"),
            intensity_sum=Coalesce(Sum("intensity"), 0),
            top=Max("intensity"),
            seconds=Coalesce(Sum("duration_seconds"), 0),
            woke=Count("id", filter=Q(woke_from_sleep=True)),
            rated=Count("intensity"),
            timed=Count("duration_seconds"),
        )
    )
    return {row.pop("night"): NightCramps(**row) for row in rows}


def fluid_by_day(user, span: Span) -> dict[date, int]:
    rows = entries_in(Drink, user, span).values(day=local("day", span)).annotate(ml=Sum("amount_ml"))
    return {row["day"]: row["ml"] for row in rows}


class DayExercise(NamedTuple):
    minutes: int
    vigorous: int
    sweaty: int


def exercise_by_day(user, span: Span) -> dict[date, DayExercise]:
    rows = (
        entries_in(Exercise, user, span)
        .values(day=local("day", span))
        .annotate(
            minutes=Sum("minutes"),
            vigorous=Count("id", filter=Q(effort=Effort.VIGOROUS)),
            sweaty=Count("id", filter=Q(heavy_sweating=True)),
        )
    )
    return {row.pop("day"): DayExercise(**row) for row in rows}


class DayMeals(NamedTuple):
    meals: int
    with_nutrient: dict[str, int]  # nutrient group -> meals with at least one food rich in it


def meals_by_day(user, span: Span) -> dict[date, DayMeals]:
    groups = {
        f"n{index}": Count(
            "id",
            distinct=True,
            filter=Q(foods__in=Food.objects.filter(slug__in=food_slugs(codes)).values("pk")),
        )
        for index, codes in enumerate(NUTRIENT_GROUPS.values())
    }
    rows = (
        entries_in(Meal, user, span)
        .values(day=local("day", span))
        .annotate(meals=Count("id", distinct=True), **groups)
    )
    names = list(NUTRIENT_GROUPS)
    return {
        row["day"]: DayMeals(row["meals"], {names[i]: row[f"n{i}"] for i in range(len(names))})
        for row in rows
    }


def checkin_nights(user, span: Span) -> set[date]:
    return set(
        NightCheckIn.objects.for_user(user)
        .filter(night__gte=span.first, night__lte=span.last)
        .values_list("night", flat=True)
    )


@dataclass(frozen=True)
class DaySeries:
    """What the days and nights of a span held: the inputs of every chart but the hour and muscle ones."""

    nights: dict[date, NightCramps]
    fluid: dict[date, int]
    exercise: dict[date, DayExercise]
    meals: dict[date, DayMeals]
    checkins: set[date]


def count_days(user, span: Span) -> DaySeries:
    """The day series counted from the entries themselves: five grouped queries over every entry in the span."""
    return DaySeries(
        cramps_by_night(user, span),
        fluid_by_day(user, span),
        exercise_by_day(user, span),
        meals_by_day(user, span),
        checkin_nights(user, span),
    )


def group_column(group: str) -> str:
    """DiaryDay's column for a nutrient group: "B vitamins" -> "meals_b_vitamins"."""
    return "meals_" + group.lower().replace(" ", "_")


def diary_start(user, zone: ZoneInfo) -> date | None:
    """The first day of the diary: the local day of the first drink, exercise or meal, the night of the first
    cramp, or the first night checked in, whichever is earlier. One query of five index seeks."""

    def first(model, column="at"):
        return Subquery(model.objects.for_user(user).order_by(column).values(column)[:1])

    row = (
        User.objects.filter(pk=user.pk)
        .values_list(
            first(NightCheckIn, "night"), first(CrampEpisode), first(Drink), first(Exercise), first(Meal)
        )
        .first()
    )
    if row is None:
        return None
    checkin, cramp, *days = row
    found = [night_of(cramp, zone)] if cramp else []
    found += [at.astimezone(zone).date() for at in days if at]
    return min([*found, checkin] if checkin else found, default=None)
