"""Trend series from a person's diary: the day totals and counted rows folded into weeks, months, bands and
comparisons.

The rows come from tracker/entries/counts.py (counted from the entries) or from the day totals (DiaryDay, kept
current by tracker/entries/day_totals.py); everything here but the few queries at the end is pure.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Count, Func, IntegerField, Max, Min, Q, Sum
from django.db.models.sql.compiler import SQLCompiler
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from tracker.app import l10n
from tracker.entries import logged_nights
from tracker.entries.counts import (
    NUTRIENT_GROUPS,
    DayExercise,
    DayMeals,
    NightCramps,
    Span,
    entries_in,
    group_column,
    local,
)
from tracker.models import CrampEpisode, DiaryDay

NIGHT_HOURS = (22, 6)  # "at night": from 10 p.m. up to 6 a.m., local time
MIN_DAYS_EACH_SIDE = (
    7  # logged nights on each side of a factor before "what goes with my cramps" compares them
)
MIN_MEALS_EACH_SIDE = 20  # meals logged in the range and in the one before it before the two are compared
WEEKS_BEFORE_MONTHS = 53


def cramps_by_hour(user, span: Span) -> list[int]:
    """Cramps in each local hour of the day, 0 to 23, over the span's nights."""
    hours = [0] * 24
    rows = (
        entries_in(CrampEpisode, user, span, nights=True)
        .values(hour=local("hour", span, nights=True))
        .annotate(count=Count("id"))
    )
    for row in rows:
        hours[row["hour"]] = row["count"]
    return hours


def cramps_by_muscle_and_side(user, span: Span) -> dict[tuple[str | None, str | None], int]:
    rows = (
        entries_in(CrampEpisode, user, span, nights=True).values("muscle", "side").annotate(count=Count("id"))
    )
    return {(row["muscle"], row["side"]): row["count"] for row in rows}


# ---------------------------------------------------------------------------------------------------------------
# Folding into what the charts show (no queries)


@dataclass(frozen=True)
class Bucket:
    first: date
    last: date
    label: str  # in the language active when it was made: "4 Dec", "Dec 2026", "4 Nov (part)"
    partial: bool = False  # a week of fewer than 7 nights, or a month the range cuts short


def _label(start: str, partial: bool) -> str:
    # Translators: a chart's label of a week ("4 Nov") or month ("Nov 2026") that the range cuts short.
    return gettext("%(start)s (part)") % {"start": start} if partial else start


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
            first, last = max(start, span.first), min(start + timedelta(days=6), span.last)
            partial = (last - first).days < 6
            result.append(Bucket(first, last, _label(l10n.day_month(first), partial), partial))
            start += timedelta(days=7)
    else:
        unit = "month"
        start = span.first.replace(day=1)
        while start <= span.last:
            following = (start + timedelta(days=32)).replace(day=1)
            first, last = max(start, span.first), min(following - timedelta(days=1), span.last)
            partial = first != start or last != following - timedelta(days=1)
            result.append(Bucket(first, last, _label(l10n.short_month_year(start), partial), partial))
            start = following
    return unit, result


def bucket_index(bucket_list: list[Bucket]):
    firsts = [bucket.first for bucket in bucket_list]

    def index(day: date) -> int | None:
        position = bisect_right(firsts, day) - 1
        return position if position >= 0 and day <= bucket_list[position].last else None

    return index


@dataclass
class CrampBucket:
    """Cramps of a week or month. The mean intensity is over the cramps whose intensity was recorded (`rated`);
    minutes add up the lengths recorded (`timed` says of how many)."""

    bucket: Bucket
    count: int = 0
    intensity_sum: int = 0
    top: int | None = None
    seconds: int = 0
    rated: int = 0
    timed: int = 0
    kept: int = 0  # logged nights (tracker/entries/logged_nights.py): what the count is over

    @property
    def nights(self) -> int:
        """The nights the bucket covers: 7 for a whole week, fewer for one the range cuts short."""
        return (self.bucket.last - self.bucket.first).days + 1

    @property
    def mean(self) -> float | None:
        return round(self.intensity_sum / self.rated, 1) if self.rated else None

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)

    def add(self, night: NightCramps) -> None:
        self.count += night.count
        self.intensity_sum += night.intensity_sum
        self.seconds += night.seconds
        self.rated += night.rated
        self.timed += night.timed
        if night.top is not None and night.rated:
            self.top = max(self.top if self.top is not None else night.top, night.top)


def _fold(rows: dict, bucket_list: list[Bucket], series: list) -> list:
    """Add each day's (or night's) row into the series entry of the bucket it falls in."""
    index = bucket_index(bucket_list)
    for day, row in rows.items():
        position = index(day)
        if position is not None:
            series[position].add(row)
    return series


def cramp_series(
    nights: dict[date, NightCramps],
    bucket_list: list[Bucket],
    checkins: set[date] | frozenset[date] = frozenset(),
) -> list[CrampBucket]:
    """Night by night, with each bucket's logged nights (a cramp or a check-in); Trends reads the same from the day
    totals (bucket_totals), and tests hold the two equal."""
    series = _fold(nights, bucket_list, [CrampBucket(bucket) for bucket in bucket_list])
    index = bucket_index(bucket_list)
    for night in {n for n, row in nights.items() if logged_nights.is_logged(row.count, False)} | set(
        checkins
    ):
        position = index(night)
        if position is not None:
            series[position].kept += 1
    return series


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

    day: date | None
    fluid_ml: int | None  # None: no drinks logged
    exercise: DayExercise | None
    meals: DayMeals | None
    cramp_night: bool
    weight: int = 1  # how many days this stands for (day_groups); `day` is then None


def diary_days(span: Span, until: date, nights, fluid, exercise, meals, checkins) -> list[Day]:
    """Days up to `until` (whose nights are over) whose night is a logged night (a cramp or a "no cramps" check-in,
    tracker/entries/logged_nights.py), with what the day held: the day-by-day definition that `day_groups` computes
    in the database, and which tests hold it to. A day with a drink but no logged night says nothing of its night,
    so it is left out."""
    days = []
    for day in span.each_day():
        if day > until:
            break
        if logged_nights.is_logged(nights.get(day) and nights[day].count, day in checkins):
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
    # Translators: bands of fluid drunk in a day, in full ("Under 1000 ml") and on a chart's axis ("under 1000").
    names = [
        (
            gettext("Under %(amount)s %(unit)s") % {"amount": edges[0], "unit": unit},
            gettext("under %(amount)s") % {"amount": edges[0]},
        )
    ]
    names += [
        (
            gettext("%(low)s to %(high)s %(unit)s") % {"low": low, "high": high, "unit": unit},
            gettext("%(low)s to %(high)s") % {"low": low, "high": high},
        )
        for low, high in pairwise(edges)
    ]
    names.append(
        (
            gettext("%(amount)s %(unit)s or more") % {"amount": edges[-1], "unit": unit},
            gettext("%(amount)s+") % {"amount": edges[-1]},
        )
    )
    grouped: list[list[Day]] = [[] for _ in names]
    for day in days:
        if day.fluid_ml is not None:
            grouped[bisect_right(FLUID_BANDS_ML, day.fluid_ml)].append(day)
    return [Band(label, rate(group), short) for (label, short), group in zip(names, grouped, strict=True)]


EXERCISE_BANDS = (
    (gettext_lazy("No exercise"), 0, 0),
    (gettext_lazy("Under 30 min"), 1, 29),
    (gettext_lazy("30 to 59 min"), 30, 59),
    (gettext_lazy("60 min or more"), 60, None),
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
    bands = [
        Band(str(label), rate(group)) for (label, _, _), group in zip(EXERCISE_BANDS, grouped, strict=True)
    ]
    bands.append(
        Band(gettext("Heavy-sweat days"), rate([d for d in days if d.exercise and d.exercise.sweaty]))
    )
    return bands


# What goes with cramps: each factor's sentences whole, as word order differs between languages. The figures are
# the cramp nights and days with the factor, then without it, and each side's percent.
FACTORS = {
    "below_fluid_target": (
        gettext_lazy("Days below your fluid target"),
        gettext_lazy("days at or above it"),
    ),
    "vigorous_exercise": (gettext_lazy("Days with vigorous exercise"), gettext_lazy("days without")),
    "heavy_sweating": (gettext_lazy("Days of heavy sweating"), gettext_lazy("days without")),
    "no_magnesium_food": (
        gettext_lazy("Days with no magnesium-rich food logged"),
        gettext_lazy("days with some"),
    ),
}
SHOWN = {
    ("below_fluid_target", "more"): gettext_lazy(
        "<strong>Days below your fluid target</strong> went with more cramp nights: cramps after %(nights)s of "
        "%(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days at or above it "
        "(%(other_percent)s%%)."
    ),
    ("below_fluid_target", "fewer"): gettext_lazy(
        "<strong>Days below your fluid target</strong> went with fewer cramp nights: cramps after %(nights)s of "
        "%(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days at or above it "
        "(%(other_percent)s%%)."
    ),
    ("below_fluid_target", "about as many"): gettext_lazy(
        "<strong>Days below your fluid target</strong> went with about as many cramp nights: cramps after "
        "%(nights)s of %(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days at or above it "
        "(%(other_percent)s%%)."
    ),
    ("vigorous_exercise", "more"): gettext_lazy(
        "<strong>Days with vigorous exercise</strong> went with more cramp nights: cramps after %(nights)s of "
        "%(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days without (%(other_percent)s%%)."
    ),
    ("vigorous_exercise", "fewer"): gettext_lazy(
        "<strong>Days with vigorous exercise</strong> went with fewer cramp nights: cramps after %(nights)s of "
        "%(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days without (%(other_percent)s%%)."
    ),
    ("vigorous_exercise", "about as many"): gettext_lazy(
        "<strong>Days with vigorous exercise</strong> went with about as many cramp nights: cramps after "
        "%(nights)s of %(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days without "
        "(%(other_percent)s%%)."
    ),
    ("heavy_sweating", "more"): gettext_lazy(
        "<strong>Days of heavy sweating</strong> went with more cramp nights: cramps after %(nights)s of "
        "%(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days without (%(other_percent)s%%)."
    ),
    ("heavy_sweating", "fewer"): gettext_lazy(
        "<strong>Days of heavy sweating</strong> went with fewer cramp nights: cramps after %(nights)s of "
        "%(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days without (%(other_percent)s%%)."
    ),
    ("heavy_sweating", "about as many"): gettext_lazy(
        "<strong>Days of heavy sweating</strong> went with about as many cramp nights: cramps after %(nights)s "
        "of %(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days without "
        "(%(other_percent)s%%)."
    ),
    ("no_magnesium_food", "more"): gettext_lazy(
        "<strong>Days with no magnesium-rich food logged</strong> went with more cramp nights: cramps after "
        "%(nights)s of %(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days with some "
        "(%(other_percent)s%%)."
    ),
    ("no_magnesium_food", "fewer"): gettext_lazy(
        "<strong>Days with no magnesium-rich food logged</strong> went with fewer cramp nights: cramps after "
        "%(nights)s of %(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days with some "
        "(%(other_percent)s%%)."
    ),
    ("no_magnesium_food", "about as many"): gettext_lazy(
        "<strong>Days with no magnesium-rich food logged</strong> went with about as many cramp nights: cramps "
        "after %(nights)s of %(days)s (%(percent)s%%), against %(other_nights)s of %(other_days)s days with some "
        "(%(other_percent)s%%)."
    ),
}
TOO_FEW = {
    "below_fluid_target": gettext_lazy(
        "<strong>Days below your fluid target</strong>: too few nights to say yet (%(days)s with, %(other_days)s "
        "days at or above it; each side needs at least %(least)s logged nights before we compare them)."
    ),
    "vigorous_exercise": gettext_lazy(
        "<strong>Days with vigorous exercise</strong>: too few nights to say yet (%(days)s with, %(other_days)s "
        "days without; each side needs at least %(least)s logged nights before we compare them)."
    ),
    "heavy_sweating": gettext_lazy(
        "<strong>Days of heavy sweating</strong>: too few nights to say yet (%(days)s with, %(other_days)s days "
        "without; each side needs at least %(least)s logged nights before we compare them)."
    ),
    "no_magnesium_food": gettext_lazy(
        "<strong>Days with no magnesium-rich food logged</strong>: too few nights to say yet (%(days)s with, "
        "%(other_days)s days with some; each side needs at least %(least)s logged nights before we compare them)."
    ),
}


@dataclass(frozen=True)
class Association:
    key: str  # one of FACTORS
    with_factor: Rate
    without: Rate

    @property
    def factor(self) -> str:
        """ "Days below your fluid target"."""
        return str(FACTORS[self.key][0])

    @property
    def other(self) -> str:
        """ "days at or above it"."""
        return str(FACTORS[self.key][1])

    @property
    def shown(self) -> bool:
        return self.with_factor.days >= MIN_DAYS_EACH_SIDE and self.without.days >= MIN_DAYS_EACH_SIDE

    @property
    def direction(self) -> str:
        with_percent, without_percent = self.with_factor.percent, self.without.percent
        assert with_percent is not None and without_percent is not None  # read only when shown
        difference = with_percent - without_percent
        if abs(difference) < 5:
            return "about as many"
        return "more" if difference > 0 else "fewer"

    @property
    def said(self) -> SafeString:
        """The comparison in a sentence, the factor in bold: shown only when `shown`, else `too_few`."""
        figures = {
            "nights": self.with_factor.cramp_nights,
            "days": self.with_factor.days,
            "percent": self.with_factor.percent,
            "other_nights": self.without.cramp_nights,
            "other_days": self.without.days,
            "other_percent": self.without.percent,
        }
        return mark_safe(str(SHOWN[self.key, self.direction]) % figures)  # noqa: S308 (our words, and numbers)

    @property
    def too_few(self) -> SafeString:
        """Why there is no comparison yet, with each side's days."""
        figures = {
            "days": self.with_factor.days,
            "other_days": self.without.days,
            "least": MIN_DAYS_EACH_SIDE,
        }
        return mark_safe(str(TOO_FEW[self.key]) % figures)  # noqa: S308 (our words, and numbers)


def _compare(key: str, days: list[Day], has_factor) -> Association:
    overall = rate(days)
    with_factor = rate([d for d in days if has_factor(d)])
    without = Rate(overall.days - with_factor.days, overall.cramp_nights - with_factor.cramp_nights)
    return Association(key, with_factor, without)


def associations(days: list[Day], fluid_target_ml: int) -> list[Association]:
    """Cramp nights after days with and without each factor. `shown` is False until each side has
    MIN_DAYS_EACH_SIDE logged nights."""
    with_drinks = [d for d in days if d.fluid_ml is not None]
    with_meals = [d for d in days if d.meals]
    return [
        _compare("below_fluid_target", with_drinks, lambda d: d.fluid_ml < fluid_target_ml),
        _compare("vigorous_exercise", days, lambda d: d.exercise and d.exercise.vigorous),
        _compare("heavy_sweating", days, lambda d: d.exercise and d.exercise.sweaty),
        _compare("no_magnesium_food", with_meals, lambda d: not d.meals.with_nutrient["Magnesium"]),
    ]


# ---------------------------------------------------------------------------------------------------------------
# The same, counted by the database from the per-day totals (DiaryDay, which tracker/entries/day_totals.py keeps
# current): a few dozen rows a request whatever the size of the diary.


def _totals(user, span: Span):
    return DiaryDay.objects.filter(user=user, day__gte=span.first, day__lte=span.last).order_by()


class Step(Func):
    """How many of the ascending `edges` a column's value has reached, less one (-1 below the first; NULL stays
    NULL), as one CASE built here: Django's own Case/When costs more to compile than the query takes to run. The
    CASE is a binary search, so a row meets about log2(len(edges)) comparisons rather than all of them."""

    def __init__(self, column: str, edges: list):
        super().__init__(column, output_field=IntegerField())
        self.edges = edges

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list]:
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
    user, span: Span, bucket_list: list[Bucket], before: Span | None = None
) -> tuple[list[CrampBucket], list[NutrientBucket]]:
    """`cramp_series` and `nutrient_series` for the span, summed per bucket by the database. With `before` (a span
    ending the day before), its meals come back in the same query as one more nutrient bucket at the end."""
    position = Step("day", [bucket.first for bucket in bucket_list])
    columns = {group: group_column(group) for group in NUTRIENT_GROUPS}
    rows = (
        DiaryDay.objects.filter(user=user, day__gte=(before or span).first, day__lte=span.last)
        .order_by()
        .values(position=position)
        .annotate(
            n_cramps=Sum("cramps"),
            n_intensity=Sum("cramp_intensity"),
            n_top=Max("cramp_top"),
            n_seconds=Sum("cramp_seconds"),
            n_woke=Sum("cramp_woke"),
            n_rated=Sum("cramp_rated"),
            n_timed=Sum("cramp_timed"),
            n_kept=Count("id", filter=logged_nights.LOGGED),
            n_meals=Sum("meals"),
            **{f"n_{column}": Sum(column) for column in columns.values()},
        )
    )
    cramps = [CrampBucket(bucket) for bucket in bucket_list]
    nutrients = [NutrientBucket(bucket) for bucket in bucket_list]
    if before is not None:  # Step puts the days before the first bucket at -1: the last item here
        nutrients.append(NutrientBucket(Bucket(before.first, before.last, "before")))
    for row in rows:
        if row["position"] == -1:
            if before is not None and row["n_meals"]:
                counts = {group: row[f"n_{column}"] for group, column in columns.items()}
                nutrients[-1].add(DayMeals(row["n_meals"], counts))
            continue
        cramps[row["position"]].kept += row["n_kept"]
        if row["n_cramps"]:
            night = NightCramps(
                row["n_cramps"],
                row["n_intensity"],
                row["n_top"] if row["n_rated"] else None,
                row["n_seconds"],
                row["n_woke"],
                row["n_rated"],
                row["n_timed"],
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
        .filter(logged_nights.LOGGED, day__lte=until)
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
# The headline: how the latest weeks compare with how the diary started

SAME_SHARE = 0.25  # "about the same": within a quarter of the starting rate...
SAME_FLOOR = 0.5  # ...or within half a cramp a week, whichever is wider
HEADLINE_WEEKS = (4, 2)  # 4-week windows once 8 weeks are kept, else 2-week windows once 4 are
NIGHTS_FOR_A_RATE = 7  # the diary so far is said as a count until a week of nights is logged


@dataclass(frozen=True)
class Window:
    """Nights from `first` to `last`: how many were logged nights (`kept`: a cramp or a "no cramps" check-in,
    tracker/entries/logged_nights.py), and the cramps on them. Rates are over the logged nights: a night with
    nothing logged (or only a drink, a meal or exercise that day) is left out, never counted as free of cramps."""

    first: date
    last: date
    kept: int
    count: int
    cramp_nights: int
    rated: int
    intensity_sum: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def per_week(self) -> float | None:
        return round(self.count * 7 / self.kept, 1) if self.kept else None

    @property
    def per_week_count(self) -> int:
        """What "cramps a week" agrees with in a sentence (ngettext takes whole numbers): 1 for exactly 1, else 2,
        which every language here puts in the plural, as "0.5 cramps" and "1.5 cramps" are."""
        return 1 if self.per_week == 1 else 2

    @property
    def weekly(self) -> bool:
        """Whether enough nights are logged for a weekly rate: one cramp on one night is not "7 a week"."""
        return self.kept >= NIGHTS_FOR_A_RATE

    @property
    def covers(self) -> str:
        """ "over 18 logged nights, 6 Nov to 3 Dec 2026": what every figure of the window is counted over."""
        return logged_nights.over(self.kept, self.first, self.last)

    @property
    def cramp_night_percent(self) -> int | None:
        return round(100 * self.cramp_nights / self.kept) if self.kept else None

    @property
    def mean(self) -> float | None:
        return round(self.intensity_sum / self.rated, 1) if self.rated else None


@dataclass(frozen=True)
class Headline:
    """`trend` is "down", "up" or "same" once two windows exist; before that `now` covers the whole diary so far."""

    start: date | None
    weeks: int = 0
    now: Window | None = None
    before: Window | None = None
    trend: str | None = None
    days_to_go: int = 0


def trend_of(now: float | None, before: float | None) -> str | None:
    """ "same" when the rates differ by less than a quarter of the starting rate or half a cramp a week."""
    if now is None or before is None:
        return None
    if abs(now - before) < max(SAME_SHARE * before, SAME_FLOOR):
        return "same"
    return "down" if now < before else "up"


def window_totals(name: str, first: date, last: date) -> dict[str, Aggregate]:
    """The day-totals aggregates a Window from `first` to `last` is read from, named after `name`."""
    inside = Q(day__gte=first, day__lte=last)
    return {
        **logged_nights.logged_in(name, first, last),
        f"{name}_count": Sum("cramps", filter=inside),
        f"{name}_nights": Count("id", filter=inside & Q(cramps__gt=0)),
        f"{name}_rated": Sum("cramp_rated", filter=inside),
        f"{name}_intensity": Sum("cramp_intensity", filter=inside),
    }


def window_values(row: dict, name: str) -> tuple[int, int, int, int, int]:
    """Window's counts (kept, count, cramp_nights, rated, intensity_sum) from a row aggregated by window_totals."""
    return (
        row[f"{name}_kept"],
        row[f"{name}_count"] or 0,
        row[f"{name}_nights"],
        row[f"{name}_rated"] or 0,
        row[f"{name}_intensity"] or 0,
    )


def _windows(user, windows: dict[str, tuple[date, date]]) -> dict[str, Window]:
    """Each window's figures from the day totals, in one query."""
    aggregates: dict[str, Aggregate] = {}
    for name, (first, last) in windows.items():
        aggregates |= window_totals(name, first, last)
    row = DiaryDay.objects.filter(user=user).order_by().aggregate(**aggregates)
    return {name: Window(first, last, *window_values(row, name)) for name, (first, last) in windows.items()}


def _start_note() -> str:
    weeks = 2 * 7 * HEADLINE_WEEKS[-1] // 7
    return ngettext("%(weeks)s week of nights", "%(weeks)s weeks of nights", weeks) % {"weeks": weeks}


START_NOTE = lazy(_start_note, str)()  # "4 weeks of nights", in the language active where it is read


def start_window(start: date, last_night: date) -> tuple[date, date] | None:
    """ "At the start", the one baseline Trends' headline and the summary's "Include how I started" compare with:
    the diary's first 4 weeks once it has 8 weeks of nights over, its first 2 once it has 4; None before."""
    kept_days = (last_night - start).days + 1
    for weeks in HEADLINE_WEEKS:
        if kept_days >= 2 * 7 * weeks:
            return start, start + timedelta(days=7 * weeks - 1)
    return None


def start_words(first: date, last: date) -> str:
    """ "the diary's first 4 weeks, 12 Sep to 9 Oct 2026": the baseline's label with its dates."""
    weeks = ((last - first).days + 1) // 7
    said = ngettext(
        "the diary's first %(weeks)s week, %(span)s", "the diary's first %(weeks)s weeks, %(span)s", weeks
    )
    return said % {"weeks": weeks, "span": logged_nights.span_words(first, last)}


def headline(user, today: date, start: date | None) -> Headline:
    """The latest 4 weeks of nights (up to last night) against the diary's first 4, from the day totals (which must
    be current); 2 weeks against 2 while the diary is under 8 weeks old; the diary so far while under 4."""
    if start is None:
        return Headline(None)
    last_night = today - timedelta(days=1)
    kept_days = (last_night - start).days + 1
    if kept_days < 1:
        return Headline(start, days_to_go=7 * 2 * HEADLINE_WEEKS[-1])
    at_start = start_window(start, last_night)
    if at_start is not None:
        days = (at_start[1] - at_start[0]).days + 1
        found = _windows(
            user, {"before": at_start, "now": (last_night - timedelta(days=days - 1), last_night)}
        )
        now, before = found["now"], found["before"]
        return Headline(start, days // 7, now, before, trend_of(now.per_week, before.per_week))
    so_far = _windows(user, {"now": (start, last_night)})["now"]
    return Headline(start, now=so_far, days_to_go=2 * 7 * HEADLINE_WEEKS[-1] - kept_days)
