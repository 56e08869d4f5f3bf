"""Trend series from a person's diary, counted by the database in the person's own time zone.

Each `*_by_*` function runs one query that groups and counts in SQL; the rest are pure functions that fold those
few hundred rows into weeks, months, bands and comparisons. Days are local calendar days; cramps belong to
*nights* (local noon to noon, named by the evening's date, see tracker/nights.py).
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import NotSupportedError
from django.db.models import (
    Count,
    DateField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    Subquery,
    Sum,
)

from knowledge.foods import foods_with
from knowledge.models import Food
from knowledge.nutrients import Nutrient
from tracker.models import CrampEpisode, DiaryDay, Drink, Effort, Exercise, Meal, NightCheckIn
from tracker.nights import day_bounds, night_bounds, night_of

User = get_user_model()
NIGHT_HOURS = (22, 6)  # "at night": from 10 p.m. up to 6 a.m., local time
MIN_DAYS_EACH_SIDE = 3
WEEKS_BEFORE_MONTHS = 53
BASELINE_DAYS = 14

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


def _slugs(codes: tuple[str, ...]) -> list[str]:
    return sorted({food.slug for code in codes for food in foods_with(code)})


# ---------------------------------------------------------------------------------------------------------------
# Local days, nights and hours, worked out inside the database


@lru_cache(maxsize=256)
def offset_changes(zone_key: str, start: datetime, end: datetime) -> tuple[tuple[datetime, int], ...]:
    """The zone's UTC offset (seconds) in force at `start`, then (instant, new offset) at each change before `end`."""
    zone = ZoneInfo(zone_key)

    def offset(moment: datetime) -> int:
        return int(moment.astimezone(zone).utcoffset().total_seconds())

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

    def as_sql(self, compiler, connection, **extra):
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
        whens, shift_params = [], []
        for (_, before), (instant, _) in pairwise(changes):
            whens.append(f"WHEN {column} < %s THEN %s")
            adapted = connection.ops.adapt_datetimefield_value(instant)
            shift_params += [*column_params, adapted, f"{before:+d} seconds"]
        shift_params.append(f"{changes[-1][1]:+d} seconds")
        shift = f"CASE {' '.join(whens)} ELSE %s END" if whens else "%s"
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


def _local(part: str, span: Span, nights: bool = False) -> Local:
    return Local("at", part, span.zone, *(span.night_range if nights else span.day_range))


def _entries(model, user, span: Span, nights: bool = False):
    start, end = span.night_range if nights else span.day_range
    return model.objects.for_user(user).between(start, end).order_by()


# ---------------------------------------------------------------------------------------------------------------
# One query each


class NightCramps(NamedTuple):
    count: int
    intensity_sum: int
    top: int
    seconds: int
    woke: int


def cramps_by_night(user, span: Span) -> dict[date, NightCramps]:
    rows = (
        _entries(CrampEpisode, user, span, nights=True)
        .values(night=_local("night", span, nights=True))
        .annotate(
            count=Count("id"),
            intensity_sum=Sum("intensity"),
            top=Max("intensity"),
            seconds=Sum("duration_seconds"),
            woke=Count("id", filter=Q(woke_from_sleep=True)),
        )
    )
    return {row.pop("night"): NightCramps(**row) for row in rows}


def cramps_by_hour(user, span: Span) -> list[int]:
    """Cramps in each local hour of the day, 0 to 23, over the span's nights."""
    hours = [0] * 24
    rows = (
        _entries(CrampEpisode, user, span, nights=True)
        .values(hour=_local("hour", span, nights=True))
        .annotate(count=Count("id"))
    )
    for row in rows:
        hours[row["hour"]] = row["count"]
    return hours


def cramps_by_muscle_and_side(user, span: Span) -> dict[tuple[str, str], int]:
    rows = (
        _entries(CrampEpisode, user, span, nights=True).values("muscle", "side").annotate(count=Count("id"))
    )
    return {(row["muscle"], row["side"]): row["count"] for row in rows}


def fluid_by_day(user, span: Span) -> dict[date, int]:
    rows = _entries(Drink, user, span).values(day=_local("day", span)).annotate(ml=Sum("amount_ml"))
    return {row["day"]: row["ml"] for row in rows}


class DayExercise(NamedTuple):
    minutes: int
    vigorous: int
    sweaty: int


def exercise_by_day(user, span: Span) -> dict[date, DayExercise]:
    rows = (
        _entries(Exercise, user, span)
        .values(day=_local("day", span))
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
            "id", distinct=True, filter=Q(foods__in=Food.objects.filter(slug__in=_slugs(codes)).values("pk"))
        )
        for index, codes in enumerate(NUTRIENT_GROUPS.values())
    }
    rows = (
        _entries(Meal, user, span)
        .values(day=_local("day", span))
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


# ---------------------------------------------------------------------------------------------------------------
# Folding into what the charts show (no queries)


@dataclass(frozen=True)
class Bucket:
    first: date
    last: date
    label: str


def buckets(span: Span, rolling: bool = False) -> tuple[str, list[Bucket]]:
    """Weeks (Monday to Sunday) for spans up to a year, calendar months beyond; clipped to the span.

    With `rolling`, weeks are the 7-day runs that end on the span's last day, so 28 days make 4 whole weeks."""
    result = []
    if span.days <= 7 * WEEKS_BEFORE_MONTHS:
        unit = "week"
        start = span.first - timedelta(days=span.first.weekday())
        if rolling:
            start = span.last - timedelta(days=6 + 7 * ((span.days - 1) // 7))
        while start <= span.last:
            first = max(start, span.first)
            result.append(Bucket(first, min(start + timedelta(days=6), span.last), f"{first.day} {first:%b}"))
            start += timedelta(days=7)
    else:
        unit = "month"
        start = span.first.replace(day=1)
        while start <= span.last:
            following = (start + timedelta(days=32)).replace(day=1)
            result.append(
                Bucket(
                    max(start, span.first), min(following - timedelta(days=1), span.last), f"{start:%b %Y}"
                )
            )
            start = following
    return unit, result


def _bucket_of(bucket_list: list[Bucket]):
    firsts = [bucket.first for bucket in bucket_list]

    def index(day: date) -> int | None:
        position = bisect_right(firsts, day) - 1
        return position if position >= 0 and day <= bucket_list[position].last else None

    return index


@dataclass
class CrampBucket:
    bucket: Bucket
    count: int = 0
    intensity_sum: int = 0
    top: int | None = None
    seconds: int = 0

    @property
    def mean(self) -> float | None:
        return round(self.intensity_sum / self.count, 1) if self.count else None

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)

    def add(self, night: NightCramps) -> None:
        self.count += night.count
        self.intensity_sum += night.intensity_sum
        self.seconds += night.seconds
        self.top = max(self.top or 0, night.top)


def _fold(rows: dict, bucket_list: list[Bucket], series: list) -> list:
    """Add each day's (or night's) row into the series entry of the bucket it falls in."""
    index = _bucket_of(bucket_list)
    for day, row in rows.items():
        position = index(day)
        if position is not None:
            series[position].add(row)
    return series


def cramp_series(nights: dict[date, NightCramps], bucket_list: list[Bucket]) -> list[CrampBucket]:
    return _fold(nights, bucket_list, [CrampBucket(bucket) for bucket in bucket_list])


@dataclass
class NutrientBucket:
    bucket: Bucket
    meals: int = 0
    with_nutrient: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NUTRIENT_GROUPS, 0))

    def share(self, group: str) -> int | None:
        return round(100 * self.with_nutrient[group] / self.meals) if self.meals else None

    @property
    def shares(self) -> list[int | None]:
        return [self.share(group) for group in NUTRIENT_GROUPS]

    def add(self, day: DayMeals) -> None:
        self.meals += day.meals
        for group, count in day.with_nutrient.items():
            self.with_nutrient[group] += count


def nutrient_series(meals: dict[date, DayMeals], bucket_list: list[Bucket]) -> list[NutrientBucket]:
    """Day by day; Trends reads the same from the day totals (bucket_totals), and tests hold the two equal."""
    return _fold(meals, bucket_list, [NutrientBucket(bucket) for bucket in bucket_list])


def night_share(hours: list[int]) -> int | None:
    """Percent of cramps from 10 p.m. up to 6 a.m."""
    total = sum(hours)
    start, end = NIGHT_HOURS
    at_night = sum(hours[start:]) + sum(hours[:end])
    return round(100 * at_night / total) if total else None


@dataclass(frozen=True)
class Rate:
    """Cramp nights after a set of days."""

    days: int
    cramp_nights: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.cramp_nights / self.days) if self.days else None


class Day(NamedTuple):
    """What a diary day held, and whether the night that followed had cramps."""

    day: date
    fluid_ml: int | None  # None: no drinks logged
    exercise: DayExercise | None
    meals: DayMeals | None
    cramp_night: bool
    weight: int = 1  # how many days this stands for (day_groups); `day` is then None


def diary_days(span: Span, until: date, nights, fluid, exercise, meals, checkins) -> list[Day]:
    """Days up to `until` (whose nights are over) that have anything logged for the day or its night: the day-by-day
    definition that `day_groups` computes in the database, and which tests hold it to."""
    days = []
    for day in span.each_day():
        if day > until:
            break
        if day in nights or day in checkins or day in fluid or day in exercise or day in meals:
            days.append(Day(day, fluid.get(day), exercise.get(day), meals.get(day), day in nights))
    return days


def rate(days: list[Day]) -> Rate:
    return Rate(sum(d.weight for d in days), sum(d.weight for d in days if d.cramp_night))


@dataclass(frozen=True)
class Band:
    label: str
    rate: Rate
    short: str = ""  # for a chart axis; the label when empty


FLUID_BANDS_ML = (1000, 1500, 2000, 2500)


def fluid_bands(days: list[Day], amount, unit: str) -> list[Band]:
    """Cramp nights after days of each band of fluid; only days with drinks logged count.

    `amount` turns millilitres into a number in the person's unit, which `unit` names.
    """
    edges = [amount(ml) for ml in FLUID_BANDS_ML]
    names = [(f"Under {edges[0]} {unit}", f"under {edges[0]}")]
    names += [(f"{low} to {high} {unit}", f"{low} to {high}") for low, high in pairwise(edges)]
    names.append((f"{edges[-1]} {unit} or more", f"{edges[-1]}+"))
    grouped: list[list[Day]] = [[] for _ in names]
    for day in days:
        if day.fluid_ml is not None:
            grouped[bisect_right(FLUID_BANDS_ML, day.fluid_ml)].append(day)
    return [Band(label, rate(group), short) for (label, short), group in zip(names, grouped, strict=True)]


EXERCISE_BANDS = (
    ("No exercise", 0, 0),
    ("Under 30 min", 1, 29),
    ("30 to 59 min", 30, 59),
    ("60 min or more", 60, None),
)


def _minutes(day: Day) -> int:
    return day.exercise.minutes if day.exercise else 0


def exercise_bands(days: list[Day]) -> list[Band]:
    """Cramp nights after days with each amount of exercise, then after heavy-sweat days."""
    grouped: list[list[Day]] = [[] for _ in EXERCISE_BANDS]
    for day in days:
        minutes = _minutes(day)
        for group, (_, low, high) in zip(grouped, EXERCISE_BANDS, strict=True):
            if low <= minutes and (high is None or minutes <= high):
                group.append(day)
                break
    bands = [Band(label, rate(group)) for (label, _, _), group in zip(EXERCISE_BANDS, grouped, strict=True)]
    bands.append(Band("Heavy-sweat days", rate([d for d in days if d.exercise and d.exercise.sweaty])))
    return bands


@dataclass(frozen=True)
class Association:
    factor: str
    other: str
    with_factor: Rate
    without: Rate

    @property
    def shown(self) -> bool:
        return self.with_factor.days >= MIN_DAYS_EACH_SIDE and self.without.days >= MIN_DAYS_EACH_SIDE

    @property
    def direction(self) -> str:
        difference = self.with_factor.percent - self.without.percent
        if abs(difference) < 5:
            return "about as many"
        return "more" if difference > 0 else "fewer"


def _compare(factor: str, other: str, days: list[Day], has_factor) -> Association:
    overall = rate(days)
    with_factor = rate([d for d in days if has_factor(d)])
    without = Rate(overall.days - with_factor.days, overall.cramp_nights - with_factor.cramp_nights)
    return Association(factor, other, with_factor, without)


def associations(days: list[Day], fluid_target_ml: int) -> list[Association]:
    """Cramp nights after days with and without each factor. `shown` is False until each side has 3 days."""
    with_drinks = [d for d in days if d.fluid_ml is not None]
    with_meals = [d for d in days if d.meals]
    return [
        _compare(
            "Days below your fluid target",
            "days at or above it",
            with_drinks,
            lambda d: d.fluid_ml < fluid_target_ml,
        ),
        _compare(
            "Days with vigorous exercise", "days without", days, lambda d: d.exercise and d.exercise.vigorous
        ),
        _compare("Days of heavy sweating", "days without", days, lambda d: d.exercise and d.exercise.sweaty),
        _compare(
            "Days with no magnesium-rich food logged",
            "days with some",
            with_meals,
            lambda d: not d.meals.with_nutrient["Magnesium"],
        ),
    ]


# ---------------------------------------------------------------------------------------------------------------
# The same, counted by the database from the per-day totals (DiaryDay, which tracker/rollup.py keeps current):
# a few dozen rows a request whatever the size of the diary.


def _totals(user, span: Span):
    return DiaryDay.objects.filter(user=user, day__gte=span.first, day__lte=span.last).order_by()


class Step(Func):
    """How many of the ascending `edges` a column's value has reached, less one (-1 below the first; NULL stays
    NULL), as one CASE built here: Django's own Case/When costs more to compile than the query takes to run. The
    CASE is a binary search, so a row meets about log2(len(edges)) comparisons rather than all of them."""

    def __init__(self, column: str, edges: list):
        super().__init__(column, output_field=IntegerField())
        self.edges = edges

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        edges = [connection.ops.adapt_datefield_value(e) if isinstance(e, date) else e for e in self.edges]
        params = [*column_params]

        def search(low: int, high: int) -> str:
            """The answer, known to lie between low - 1 and high - 1."""
            if low == high:
                return str(low - 1)
            middle = (low + high) // 2
            params.extend([*column_params, edges[middle]])
            reached = f"WHEN {column} >= %s THEN {search(middle + 1, high)}"
            return f"CASE {reached} ELSE {search(low, middle)} END"

        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {search(0, len(edges))} END", params


def bucket_totals(
    user, span: Span, bucket_list: list[Bucket]
) -> tuple[list[CrampBucket], list[NutrientBucket]]:
    """`cramp_series` and `nutrient_series` for the span, summed per bucket by the database."""
    position = Step("day", [bucket.first for bucket in bucket_list])
    columns = {group: group_column(group) for group in NUTRIENT_GROUPS}
    rows = (
        _totals(user, span)
        .values(position=position)
        .annotate(
            n_cramps=Sum("cramps"),
            n_intensity=Sum("cramp_intensity"),
            n_top=Max("cramp_top"),
            n_seconds=Sum("cramp_seconds"),
            n_woke=Sum("cramp_woke"),
            n_meals=Sum("meals"),
            **{f"n_{column}": Sum(column) for column in columns.values()},
        )
    )
    cramps = [CrampBucket(bucket) for bucket in bucket_list]
    nutrients = [NutrientBucket(bucket) for bucket in bucket_list]
    for row in rows:
        if row["n_cramps"]:
            night = NightCramps(
                row["n_cramps"], row["n_intensity"], row["n_top"], row["n_seconds"], row["n_woke"]
            )
            cramps[row["position"]].add(night)
        if row["n_meals"]:
            counts = {group: row[f"n_{column}"] for group, column in columns.items()}
            nutrients[row["position"]].add(DayMeals(row["n_meals"], counts))
    return cramps, nutrients


FLAGS = ("exercise_vigorous", "exercise_sweaty", "meals", "meals_magnesium", "cramps")  # none, or some


def day_groups(user, span: Span, until: date, fluid_target_ml: int) -> list[Day]:
    """The span's diary days up to `until`, as `diary_days` gives them, but grouped by the database into days the
    fluid and exercise bands and the associations all treat alike: each Day stands for `weight` days, and its
    values (the group's smallest) fall in the same band and on the same side of every factor as each of them."""
    fluid_edges = sorted({*FLUID_BANDS_ML, fluid_target_ml})
    exercise_edges = sorted({low for _, low, _ in EXERCISE_BANDS})
    rows = (
        _totals(user, span)
        .filter(day__lte=until)
        .values(
            g_fluid=Step("fluid_ml", fluid_edges),
            g_exercise=Step("exercise_minutes", exercise_edges),
            **{f"g_{column}": Step(column, [1]) for column in FLAGS},
        )
        .annotate(
            n_days=Count("id"),
            n_fluid=Min("fluid_ml"),
            n_minutes=Min("exercise_minutes"),
            n_vigorous=Min("exercise_vigorous"),
            n_sweaty=Min("exercise_sweaty"),
            n_meals=Min("meals"),
            n_magnesium=Min("meals_magnesium"),
        )
        .values_list(
            "n_days", "n_fluid", "n_minutes", "n_vigorous", "n_sweaty", "n_meals", "n_magnesium", "g_cramps"
        )
    )
    days = []
    for count, fluid, minutes, vigorous, sweaty, meals, magnesium, cramp_step in rows:
        exercise = DayExercise(minutes, vigorous, sweaty) if minutes else None
        # The only nutrient a factor looks at (associations); test_rollup checks the factors match day by day.
        day_meals = DayMeals(meals, {"Magnesium": magnesium}) if meals else None
        days.append(Day(None, fluid, exercise, day_meals, cramp_step == 0, weight=count))
    return days


# ---------------------------------------------------------------------------------------------------------------
# Baseline and now


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    count: int
    mean: float | None
    seconds: int

    @property
    def per_week(self) -> float:
        return round(self.count * 7 / ((self.last - self.first).days + 1), 1)

    @property
    def minutes_per_week(self) -> float:
        return round(self.seconds / 60 * 7 / ((self.last - self.first).days + 1), 1)


@dataclass(frozen=True)
class Baseline:
    start: date | None
    ready: bool
    days_to_go: int
    before: Window | None = None
    now: Window | None = None


def baseline_and_now(user, zone: ZoneInfo, today: date, start: date | None) -> Baseline:
    """The diary's first 2 weeks of nights against the last 2 (ending last night): one query, once 4 weeks exist."""
    if start is None:
        return Baseline(None, False, 2 * BASELINE_DAYS)
    last_night = today - timedelta(days=1)
    span_days = (last_night - start).days + 1
    if span_days < 2 * BASELINE_DAYS:
        return Baseline(start, False, 2 * BASELINE_DAYS - max(span_days, 0))
    windows = {
        "before": (start, start + timedelta(days=BASELINE_DAYS - 1)),
        "now": (last_night - timedelta(days=BASELINE_DAYS - 1), last_night),
    }
    aggregates = {}
    for name, (first, last) in windows.items():
        inside = Q(at__gte=night_bounds(first, zone)[0], at__lt=night_bounds(last, zone)[1])
        aggregates |= {
            f"{name}_count": Count("id", filter=inside),
            f"{name}_intensity": Sum("intensity", filter=inside),
            f"{name}_seconds": Sum("duration_seconds", filter=inside),
        }
    row = CrampEpisode.objects.for_user(user).order_by().aggregate(**aggregates)
    result = {}
    for name, (first, last) in windows.items():
        count = row[f"{name}_count"]
        mean = round(row[f"{name}_intensity"] / count, 1) if count else None
        result[name] = Window(first, last, count, mean, row[f"{name}_seconds"] or 0)
    return Baseline(start, True, 0, result["before"], result["now"])
