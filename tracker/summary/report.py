"""The clinician summary: one period of the diary read in a minute, against the diary's first 2 weeks.

`build_summary` gathers every figure in a fixed number of queries; the page, the PDF and the share link all
render the same `Summary`.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from knowledge import consult
from tracker.entries import calendar, counts, day_totals
from tracker.entries.nights import day_bounds, night_bounds, night_of
from tracker.models import CrampEpisode, Medication, Muscle, Side, WarningSign
from tracker.trends import stats

DEFAULT_DAYS = 28
LOOKBACK = consult.LOOKBACK  # the longest window a see-a-clinician rule looks back over
NOTE_PREVIEW = 80


@dataclass(frozen=True)
class CrampRow:
    pk: int
    at: datetime  # local
    night: date
    intensity: int | None  # None: not recorded
    seconds: int | None
    woke: bool
    muscle: str | None
    side: str | None
    signs: tuple[str, ...]
    relief: tuple[str, ...]
    notes: str
    created_at: datetime

    @property
    def note_preview(self) -> str:
        text = " ".join(self.notes.split())
        return text if len(text) <= NOTE_PREVIEW else text[: NOTE_PREVIEW - 1] + "…"


@dataclass(frozen=True)
class Figures:
    """Cramps over a run of nights."""

    first: date
    last: date
    count: int
    per_week: float
    mean_intensity: float | None
    top_intensity: int | None
    mean_minutes: float | None
    longest_minutes: float | None
    night_share: int | None
    nights_woken: int
    rated: int = 0  # cramps with an intensity recorded: the mean's divisor
    timed: int = 0  # cramps with a length recorded


def figures(rows: list[CrampRow], first: date, last: date) -> Figures:
    nights = (last - first).days + 1
    count = len(rows)
    hours = [0] * 24
    for row in rows:
        hours[row.at.hour] += 1
    strengths = [r.intensity for r in rows if r.intensity is not None]
    lengths = [r.seconds for r in rows if r.seconds is not None]
    return Figures(
        first=first,
        last=last,
        count=count,
        per_week=round(count * 7 / nights, 1),
        mean_intensity=round(sum(strengths) / len(strengths), 1) if strengths else None,
        top_intensity=max(strengths, default=None),
        mean_minutes=round(sum(lengths) / len(lengths) / 60, 1) if lengths else None,
        longest_minutes=round(max(lengths) / 60, 1) if lengths else None,
        night_share=stats.night_share(hours),
        nights_woken=len({r.night for r in rows if r.woke}),
        rated=len(strengths),
        timed=len(lengths),
    )


@dataclass(frozen=True)
class Week:
    label: str
    count: int


@dataclass(frozen=True)
class Bar:
    """One week's bar, as fractions of the chart's width and height, for the SVG and the PDF alike."""

    left: float
    width: float
    height: float
    label: str  # shown under every few bars only
    week: Week


@dataclass(frozen=True)
class SignSeen:
    day: date
    signs: str


@dataclass(frozen=True)
class MedicineRow:
    name: str
    kind: str
    dose: str
    linked: str | None  # the kind of medicine documented as linked with cramps, if it is one


@dataclass(frozen=True)
class Summary:
    first: date
    last: date
    made: datetime
    name: str
    birth_date: date | None
    has_diary: bool
    now: Figures
    baseline: Figures | None
    baseline_note: str
    weeks: list[Week]
    week_unit: str
    muscles: list[tuple[str, int]]
    warning_signs: list[SignSeen]
    prompts: list[consult.Prompt]
    medicines: list[MedicineRow]
    fluid_days: int
    fluid_average: str | None
    fluid_target: str
    fluid_days_at_target: int
    exercise_per_week: float
    exercise_days: int
    vigorous_days: int
    meals: int
    nutrient_shares: list[tuple[str, int]]
    notes: list[CrampRow]
    notes_available: list[CrampRow]
    months: list[calendar.Month]  # the nights calendar: the period's months, at most the last 3
    months_left_out: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def top_week(self) -> int:
        return max((w.count for w in self.weeks), default=0)

    def bars(self, labels: int) -> list[Bar]:
        """The weekly chart's bars, with about `labels` of them labelled."""
        slot = 1 / max(len(self.weeks), 1)
        top = max(self.top_week, 1)
        every = max(1, round(len(self.weeks) / labels))
        return [
            Bar(i * slot + slot * 0.15, slot * 0.7, w.count / top, w.label if i % every == 0 else "", w)
            for i, w in enumerate(self.weeks)
        ]


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _cramp_rows(user, zone: ZoneInfo, *windows: tuple[date, date]) -> list[CrampRow]:
    """The cramps of the nights in any of the windows (first, last), in one query."""
    inside = Q()
    for first, last in windows:
        inside |= Q(at__gte=night_bounds(first, zone)[0], at__lt=night_bounds(last, zone)[1])
    rows = (
        CrampEpisode.objects.for_user(user)
        .filter(inside)
        .order_by("at", "pk")
        .values_list(
            "pk",
            "at",
            "intensity",
            "duration_seconds",
            "woke_from_sleep",
            "muscle",
            "side",
            "warning_signs",
            "relief",
            "notes",
            "created_at",
        )
    )
    return [
        CrampRow(
            pk,
            at.astimezone(zone),
            night_of(at, zone),
            intensity,
            seconds,
            woke,
            muscle,
            side,
            tuple(signs or ()),
            tuple(relief or ()),
            notes,
            created_at,
        )
        for pk, at, intensity, seconds, woke, muscle, side, signs, relief, notes, created_at in rows
    ]


def _prompts(rows: list[CrampRow], medicines, until: datetime, start: date | None) -> list[consult.Prompt]:
    """The see-a-clinician prompts the diary raised as of the end of the period."""
    facts = consult.ConsultFacts(
        now=until,
        cramps=tuple(
            consult.CrampFact(
                ref=r.pk,
                at=r.at,
                night=r.night,
                duration_seconds=r.seconds,
                intensity=r.intensity,
                woke=r.woke,
                relief=r.relief,
                signs=r.signs,
                created_at=r.created_at,
            )
            for r in rows
            if r.at <= until
        ),
        medicines=tuple(consult.MedicineFact(ref=m.pk, name=m.name) for m in medicines),
        diary_start=start,
    )
    return consult.evaluate(facts)


def build_summary(
    user,
    first: date,
    last: date,
    *,
    note_ids=(),
    name: str = "",
    birth_date: date | None = None,
    now: datetime | None = None,
) -> Summary:
    profile = user.profile
    zone = profile.zone
    now = now or timezone.now()
    start = counts.diary_start(user, zone)
    span = counts.Span(first, last, zone)

    lookback_first = min(first, last - timedelta(days=LOOKBACK.days))
    base_last = start + timedelta(days=stats.BASELINE_DAYS - 1) if start else None
    has_baseline = base_last is not None and base_last < first
    # The period with the rules' lookback, and the baseline's nights: one query whatever the diary holds.
    windows = [(lookback_first, last)]
    if has_baseline:
        assert start is not None and base_last is not None  # as has_baseline says
        windows.append((start, base_last))
    fetched = _cramp_rows(user, zone, *windows)
    all_rows = [r for r in fetched if r.night >= lookback_first]
    rows = [r for r in all_rows if r.night >= first]
    period = figures(rows, first, last)

    baseline, baseline_note = None, ""
    if start is None:
        baseline_note = "The diary has no entries yet."
    elif has_baseline:
        assert base_last is not None  # as has_baseline says
        baseline = figures([r for r in fetched if start <= r.night <= base_last], start, base_last)
    else:
        baseline_note = (
            f"The baseline is the diary's first {stats.BASELINE_DAYS} days (from {start:%d %b %Y}); "
            "it is shown when the period begins after them."
        )

    unit, bucket_list = stats.buckets(span, rolling=True)
    series = stats.cramp_series(counts.cramps_by_night(user, span), bucket_list)

    muscle_labels, side_labels = dict(Muscle.choices), dict(Side.choices)
    muscles = Counter(
        f"{muscle_labels[r.muscle] if r.muscle else 'Muscle not recorded'}, "
        f"{side_labels[r.side].lower() if r.side else 'side not recorded'}"
        for r in rows
    )
    sign_labels = dict(WarningSign.choices)
    signs = [
        SignSeen(r.at.date(), ", ".join(sign_labels.get(s, s) for s in r.signs)) for r in rows if r.signs
    ]

    medicines = list(
        Medication.objects.for_user(user)
        .filter(
            Q(started__isnull=True) | Q(started__lte=last), Q(stopped__isnull=True) | Q(stopped__gte=first)
        )
        .only("name", "kind", "dose")
    )
    until = min(now, day_bounds(last, zone)[1]).astimezone(zone)

    fluid = counts.fluid_by_day(user, span)
    exercise = counts.exercise_by_day(user, span)
    meals = counts.meals_by_day(user, span)
    meal_total = sum(day.meals for day in meals.values())
    wanted = {int(pk) for pk in note_ids}
    with_notes = [r for r in rows if r.notes.strip()]
    day_totals.make_current(user)  # the calendar reads the day totals
    months, months_left_out = calendar.months_of_period(
        user, first, last, timezone.localdate(now, timezone=zone), start
    )

    return Summary(
        first=first,
        last=last,
        made=now.astimezone(zone),
        name=name,
        birth_date=birth_date,
        has_diary=start is not None,
        now=period,
        baseline=baseline,
        baseline_note=baseline_note,
        weeks=[Week(b.label, c.count) for b, c in zip(bucket_list, series, strict=True)],
        week_unit=unit,
        muscles=muscles.most_common(),
        warning_signs=signs,
        prompts=_prompts(all_rows, medicines, until, start),
        medicines=[
            MedicineRow(m.name, m.get_kind_display(), m.dose, consult.linked_medicine_kind(m.name))
            for m in medicines
        ],
        fluid_days=len(fluid),
        fluid_average=profile.format_volume(sum(fluid.values()) / len(fluid)) if fluid else None,
        fluid_target=profile.format_volume(profile.fluid_target_ml),
        fluid_days_at_target=sum(1 for ml in fluid.values() if ml >= profile.fluid_target_ml),
        exercise_per_week=round(sum(d.minutes for d in exercise.values()) * 7 / span.days),
        exercise_days=len(exercise),
        vigorous_days=sum(1 for d in exercise.values() if d.vigorous),
        meals=meal_total,
        nutrient_shares=[
            (group, round(100 * sum(d.with_nutrient[group] for d in meals.values()) / meal_total))
            for group in counts.NUTRIENT_GROUPS
        ]
        if meal_total
        else [],
        notes=[r for r in with_notes if r.pk in wanted],
        notes_available=with_notes,
        months=months,
        months_left_out=months_left_out,
    )


def _show(value, suffix: str = "") -> str:
    return "–" if value is None else f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


FIGURE_LABELS = (
    ("Cramps", "count", "", ""),
    ("Cramps per week", "per_week", "", ""),
    ("Mean intensity (0-10)", "mean_intensity", "", "rated"),
    ("Highest intensity", "top_intensity", "", ""),
    ("Mean duration", "mean_minutes", " min", "timed"),
    ("Longest", "longest_minutes", " min", ""),
    ("At night (22:00-06:00)", "night_share", "%", ""),
    ("Nights woken", "nights_woken", "", ""),
)


def _figure(figures: Figures, attr: str, suffix: str, recorded: str) -> str:
    """A figure, and over how many cramps when only some had the value recorded."""
    shown = _show(getattr(figures, attr), suffix)
    if recorded and getattr(figures, attr) is not None and getattr(figures, recorded) < figures.count:
        shown += f" ({getattr(figures, recorded)} of {figures.count} recorded)"
    return shown


def figure_rows(summary: Summary) -> list[tuple[str, str, str | None]]:
    """(label, this period, baseline) for the figures table of the page and the PDF. A mean is over the cramps
    that have the value recorded, and says how many do."""
    return [
        (
            label,
            _figure(summary.now, attr, suffix, recorded),
            _figure(summary.baseline, attr, suffix, recorded) if summary.baseline else None,
        )
        for label, attr, suffix, recorded in FIGURE_LABELS
    ]
