"""The clinician summary: one period of the diary, read by a clinician in two minutes.

`build_summary` gathers every figure in a fixed number of queries whatever the size of the diary: the figures, the
weekly chart, fluid, exercise and meals come from the day totals (DiaryDay, one row a day); only the cramps the
see-a-clinician rules look at (the period's last weeks), those with a warning sign and the notes chosen are read one
by one. Every list is bounded. Nothing outside the period is shown, except the start of the diary when the person
asks for it ("include how I started"). The page, the PDF and the share link all render the same `Summary`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from knowledge import consult
from tracker.app import l10n
from tracker.entries import calendar, counts, day_totals, logged_nights
from tracker.entries.nights import night_bounds, night_of
from tracker.models import CrampEpisode, DiaryDay, Medication, Muscle, Side, WarningSign
from tracker.summary import experiment as experiment_report
from tracker.trends import stats

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_DAYS = 28
LOOKBACK = consult.LOOKBACK  # the longest window a see-a-clinician rule looks back over
NOTE_PREVIEW = 80
NOTES_OFFERED = 50  # the latest notes of the period offered to choose from on the owner's page
MEDICINES_SHOWN = 8


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
class Figures(stats.Window):
    """Cramps over a run of nights: the headline's Window (rates over the logged nights, tracker/entries/
    logged_nights.py: a night with nothing logged is left out, never counted as a night without cramps) and what
    else the summary shows of them."""

    top_intensity: int | None
    timed: int  # cramps with a length recorded
    seconds: int
    nights_woken: int
    longest_seconds: int | None
    at_night: int  # cramps from 22:00 up to 06:00

    @property
    def mean_intensity(self) -> float | None:
        return self.mean

    @property
    def mean_minutes(self) -> float | None:
        return round(self.seconds / self.timed / 60, 1) if self.timed else None

    @property
    def longest_minutes(self) -> float | None:
        return None if self.longest_seconds is None else round(self.longest_seconds / 60, 1)

    @property
    def night_share(self) -> int | None:
        return round(100 * self.at_night / self.count) if self.count else None


def day_words(day: date) -> str:
    """A date as every part of the summary writes it: "7 Nov 2026", never "07 Nov 2026"."""
    return l10n.day_month_year(day)


def zone_words(moment: datetime) -> str:
    """The time zone of a shown time, in words: "London time" for Europe/London, else its name ("UTC")."""
    key = getattr(moment.tzinfo, "key", None) or moment.tzname() or "UTC"
    place = key.rsplit("/", 1)[-1].replace("_", " ")
    # Translators: a time zone by its city, kept in English as the zone database names it: "London time".
    return place if place in ("UTC", "GMT") else gettext("%(place)s time") % {"place": place}


def moment_words(moment: datetime) -> str:
    """ "5 Dec 2026 00:33 London time": a made or expires time with its zone."""
    # Translators: a date, a time of day and its time zone: "5 Dec 2026 00:33 London time".
    return gettext("%(day)s %(clock)s %(zone)s") % {
        "day": day_words(moment.date()),
        "clock": l10n.clock(moment),
        "zone": zone_words(moment),
    }


@dataclass(frozen=True)
class Week:
    label: str  # ends with " (part)" when the period cuts it short
    count: int
    first: date | None = None
    last: date | None = None
    kept: int = 0  # its logged nights: what the count is over
    partial: bool = False  # cut short by the period

    @property
    def nights(self) -> int | None:
        return (self.last - self.first).days + 1 if self.first and self.last else None

    @property
    def said(self) -> str:
        """ "7 Nov: 2 (4 of 7 logged)": the bar's count and the logged nights it is over."""
        if self.nights:
            # Translators: one bar of the weekly chart: its week, its cramps, and the nights logged of its nights.
            said = gettext("%(label)s: %(count)s (%(kept)s of %(nights)s logged)")
            return said % {"label": self.label, "count": self.count, "kept": self.kept, "nights": self.nights}
        return gettext("%(label)s: %(count)s") % {"label": self.label, "count": self.count}


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
    """One warning sign over the period: on how many cramps, the first and the last time."""

    sign: str
    count: int
    first: date
    last: date


# The see-a-clinician rules' titles (knowledge/consult.py) are written to the person ("Cramps are breaking your
# sleep"); a clinician reads these instead.
CLINICIAN_TITLES = {
    "clot_signs": gettext_lazy("Swelling, redness or warmth of one leg reported"),
    "long_cramp": gettext_lazy("Cramp lasting more than 10 minutes"),
    "nerve_signs": gettext_lazy("Numbness, tingling or weakness with cramps"),
    "persistent": gettext_lazy("Recurrent cramps"),
    "worsening": gettext_lazy("Cramps becoming more frequent"),
    "severe": gettext_lazy("Severe cramps"),
    "sleep": gettext_lazy("Sleep disturbed by cramps"),
    "medicine_link": gettext_lazy("Diuretic or statin listed"),
}


# Why the app prompts the person, in a clinician's words: each see-a-clinician rule's condition (knowledge/consult.py),
# with the rule's own numbers put in when it is said (a lazy string cannot keep them).
PROMPT_WHY: dict[str, tuple[StrOrPromise, dict[str, int]]] = {
    "clot_signs": (
        gettext_lazy("one leg swollen, red or warm in %(days)s days"),
        {"days": consult.RECENT_DAYS},
    ),
    "long_cramp": (
        gettext_lazy("a cramp over %(minutes)s min in %(days)s days"),
        {"minutes": consult.LONG_CRAMP_SECONDS // 60, "days": consult.RECENT_DAYS},
    ),
    "nerve_signs": (
        gettext_lazy("numbness, tingling or weakness in %(weeks)s weeks"),
        {"weeks": consult.NERVE_DAYS // 7},
    ),
    "persistent": (
        gettext_lazy("cramps on %(days)s+ days in each of 2 weeks running"),
        {"days": consult.PERSISTENT_DAYS_PER_WEEK},
    ),
    "worsening": (
        gettext_lazy(
            "%(extra)s+ more cramps, and half as many again, in %(weeks)s weeks than the %(weeks)s before"
        ),
        {"extra": consult.WORSENING_MIN_EXTRA, "weeks": consult.WORSENING_WEEKS},
    ),
    "severe": (
        gettext_lazy("%(count)s+ cramps rated %(intensity)s+ in %(days)s days"),
        {"count": consult.SEVERE_COUNT, "intensity": consult.SEVERE_INTENSITY, "days": consult.RECENT_DAYS},
    ),
    "sleep": (
        gettext_lazy("woken on %(woken)s+ of the last %(nights)s nights"),
        {"woken": consult.WOKEN_NIGHTS, "nights": consult.SLEEP_NIGHTS},
    ),
    "medicine_link": (gettext_lazy("a diuretic or statin by name"), {}),
}


def prompt_why(rule_id: str) -> str | None:
    """Why the app prompted the person, for the rule `rule_id`, in the active language; None for a rule not listed."""
    found = PROMPT_WHY.get(rule_id)
    if found is None:
        return None
    text, numbers = found
    return str(text) % numbers if numbers else str(text)


# What the app told the person to do, by how soon: the app's prompt, not a clinical recommendation.
PROMPTED = {
    consult.URGENT: gettext_lazy("The app prompted the patient to seek care the same day"),
    consult.SOON: gettext_lazy("The app prompted the patient to book an appointment"),
    consult.NEXT_VISIT: gettext_lazy("The app prompted the patient to raise it at their next visit"),
}


@dataclass(frozen=True)
class Finding:
    """A see-a-clinician prompt as the clinician reads it: a title, the finding in the third person with its
    window, and what the app prompted the person to do, and why."""

    title: str
    text: str
    advised: str


# What the source documents (knowledge/sources.py) say of medicines and cramps: they name none. 003 says only that
# dehydration "often caused by excessive sweating or certain medications" can deplete electrolytes. The list of
# names that flags a medicine (consult.CRAMP_LINKED_MEDICINES) is the app's own, and the summary says so.
SOURCES_NOTE = gettext_lazy(
    'The app\'s reference texts link none of these with cramps: they name no medicine, only "certain medications" '
    "among the causes of dehydration that depletes electrolytes. A statin or water tablet is flagged by the app's "
    "own list of names."
)


@dataclass(frozen=True)
class MedicineRow:
    name: str
    kind: str
    dose: str  # as entered, with "as needed" when it was ticked
    linked: (
        str | None
    )  # the kind of cramp-linked medicine the app's own list flags it as ("a statin"), if any
    started: date | None  # its real start date, inside the period or before it; None: not recorded
    stopped: date | None  # its real stop date, if it has one by the end of the period
    before: bool  # taken from before the period began

    @property
    def documented(self) -> str:
        """What the app's own list flags it as, if anything; that the reference texts link none with cramps is said
        once, under the list (SOURCES_NOTE), not on every line."""
        # Translators: %(kind)s is a kind of medicine the app's own list flags, such as "a statin".
        return gettext("%(kind)s on the app's own list") % {"kind": self.linked} if self.linked else ""

    @property
    def dates(self) -> str:
        """ "started 3 Mar 2019, still taken", "started 1 Oct 2025, stopped 15 Oct 2025", "start not recorded"."""
        if self.started and self.stopped:
            said = gettext("started %(started)s, stopped %(stopped)s")
        elif self.started:
            said = gettext("started %(started)s, still taken")
        elif self.stopped:
            said = gettext("start not recorded, stopped %(stopped)s")
        else:
            said = gettext("start not recorded, still taken")
        return said % {
            "started": day_words(self.started) if self.started else "",
            "stopped": day_words(self.stopped) if self.stopped else "",
        }

    @property
    def line(self) -> str:
        """The whole line, the same on the page, the PDF and a share link: the kind before the dose as entered, so
        a dose ending in brackets never meets another pair."""
        parts = {
            "name": self.name,
            "kind": l10n.mid_sentence(self.kind),
            "dose": self.dose,
            "dates": self.dates,
        }
        if self.dose and self.documented:
            # Translators: a medicine: its name, its kind (lower case), the dose as typed, its dates, and what the
            # app's own list flags it as.
            said = gettext("%(name)s (%(kind)s), %(dose)s; %(dates)s; %(flagged)s")
        elif self.dose:
            said = gettext("%(name)s (%(kind)s), %(dose)s; %(dates)s")
        elif self.documented:
            said = gettext("%(name)s (%(kind)s); %(dates)s; %(flagged)s")
        else:
            said = gettext("%(name)s (%(kind)s); %(dates)s")
        return said % {**parts, "flagged": self.documented}


@dataclass(frozen=True)
class Summary:
    first: date
    last: date
    made: datetime
    name: str
    birth_date: date | None
    has_diary: bool
    diary_days: int  # how long the diary has been kept, up to the end of the period
    period_before_diary: int  # days of the period before the diary began
    now: Figures
    baseline: Figures | None
    baseline_note: str
    weeks: list[Week]
    week_unit: str
    muscles: list[tuple[str, int]]
    warning_signs: list[SignSeen]
    prompts: list[consult.Prompt]
    findings: list[Finding]
    medicines: list[MedicineRow]
    medicines_more: int
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
    notes_more: bool
    months: list[calendar.Month]  # the nights calendar: the period's months, at most the last 3
    months_left_out: int
    experiment: experiment_report.Report | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def period_words(self) -> str:
        """ "7 Nov 2026 to 4 Dec 2026 (28 nights)"."""
        said = ngettext(
            "%(first)s to %(last)s (%(n)s night)", "%(first)s to %(last)s (%(n)s nights)", self.days
        )
        return said % {"first": day_words(self.first), "last": day_words(self.last), "n": self.days}

    @property
    def made_words(self) -> str:
        return moment_words(self.made)

    @property
    def chart_title(self) -> str:
        """What a bar is: a count of cramps in one week of 7 nights (or month), not the headline's rate."""
        if self.week_unit == "week":
            return gettext("Cramps in each week of 7 nights")
        return gettext("Cramps in each month")

    @property
    def baseline_words(self) -> str:
        """ "the diary's first 4 weeks, 12 Sep to 9 Oct 2026": "At the start", as on Trends."""
        b = self.baseline
        return stats.start_words(b.first, b.last) if b else ""

    @property
    def top_week(self) -> int:
        return max((w.count for w in self.weeks), default=0)

    @property
    def week_key(self) -> str:
        """What one bar of the weekly chart covers, as its key says it: the weeks end with the period's last
        night, so they run from the weekday after it."""
        whole = [w for w in self.weeks if w.first and w.last and not w.partial]
        if self.week_unit != "week" or not whole:
            if self.week_unit == "month":
                # Translators: "(part)" as it follows a chart's label of a week or month the period cuts short.
                return gettext("Each bar: the cramps of one calendar month; (part): cut short by the period.")
            return gettext("Each bar: the cramps of one calendar week; (part): cut short by the period.")
        first, last = whole[-1].first, whole[-1].last
        assert first is not None and last is not None  # as `whole` keeps only such weeks
        said = {"first": l10n.weekday(first), "last": l10n.weekday(last), "day": l10n.day_month(last)}
        if len(whole) < len(self.weeks):
            # Translators: weekdays in full, then a day and short month. "(part)" as it follows a chart's label of a
            # week the period cuts short.
            return (
                gettext(
                    "Each bar: the cramps of 7 nights, %(first)s to %(last)s, the last ending %(day)s. A bar marked "
                    "(part) has fewer nights."
                )
                % said
            )
        # Translators: weekdays in full, then a day and short month.
        return (
            gettext("Each bar: the cramps of 7 nights, %(first)s to %(last)s, the last ending %(day)s.")
            % said
        )

    @property
    def axis_ticks(self) -> list[int]:
        """The value axis' ticks: 0, the top and one or two whole numbers between."""
        top = max(self.top_week, 1)
        if top <= 2:
            return list(range(top + 1))
        step = max(1, round(top / 3))
        return sorted({*range(0, top, step), top})

    @property
    def diary_length(self) -> str:
        """How long the diary has been kept, in words, always rounded down: "12 weeks", "7 months", "20 years"."""
        days = self.diary_days
        if days < 14:
            return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
        if days < 26 * 7:
            return ngettext("%(n)s week", "%(n)s weeks", days // 7) % {"n": days // 7}
        after = min(self.last, self.made.date()) + timedelta(days=1)  # the day after the last day kept
        begun = after - timedelta(days=days)
        months = (after.year - begun.year) * 12 + after.month - begun.month - (after.day < begun.day)
        if months < 24:
            return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
        return ngettext("%(n)s year", "%(n)s years", months // 12) % {"n": months // 12}

    def bars(self, labels: int) -> list[Bar]:
        """The weekly chart's bars, with about `labels` of them labelled."""
        slot = 1 / max(len(self.weeks), 1)
        top = max(self.top_week, 1)
        every = max(1, round(len(self.weeks) / labels))
        return [
            Bar(i * slot + slot * 0.15, slot * 0.7, w.count / top, w.label if i % every == 0 else "", w)
            for i, w in enumerate(self.weeks)
        ]


def default_period(tonight: date) -> tuple[date, date]:
    """The last 28 nights that are over, ending the night before `tonight` (the night going on,
    logged_nights.tonight): the same window as Trends' headline and its "4 weeks"."""
    nights = logged_nights.latest(DEFAULT_DAYS, tonight)
    return nights.first, nights.last


CRAMP_COLUMNS = (
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


def _rows(queryset, zone: ZoneInfo) -> list[CrampRow]:
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
        for pk, at, intensity, seconds, woke, muscle, side, signs, relief, notes, created_at in queryset.values_list(
            *CRAMP_COLUMNS
        )
    ]


def _cramps(user, zone: ZoneInfo, first: date, last: date):
    return CrampEpisode.objects.for_user(user).between(
        night_bounds(first, zone)[0], night_bounds(last, zone)[1]
    )


def _figures(
    user, zone: ZoneInfo, windows: dict[str, tuple[date, date]]
) -> tuple[dict[str, Figures], Counter]:
    """Each window's figures, and the first window's cramps by muscle and side. The day totals give most in one
    query; one pass over the cramps, grouped by muscle and side, gives the longest cramp and those at night."""
    totals: dict = {}
    for name, (first, last) in windows.items():
        inside = Q(day__gte=first, day__lte=last)
        totals |= stats.window_totals(name, first, last) | {
            f"{name}_top": Max("cramp_top", filter=inside & Q(cramp_rated__gt=0)),
            f"{name}_timed": Sum("cramp_timed", filter=inside),
            f"{name}_seconds": Sum("cramp_seconds", filter=inside),
            f"{name}_woken": Count("id", filter=inside & Q(cramp_woke__gt=0)),
        }
    days = DiaryDay.objects.filter(user=user).order_by().aggregate(**totals)
    span = counts.Span(min(f for f, _ in windows.values()), max(last for _, last in windows.values()), zone)
    # One pass over the cramps, grouped by muscle, side and local hour: the hour is worked out once a cramp (on
    # SQLite, a search over the daylight-saving changes) and the rows, at most 7 x 3 x 24, say the rest.
    per_cramp: dict = {}
    for name, (first, last) in windows.items():
        inside = Q(at__gte=night_bounds(first, zone)[0], at__lt=night_bounds(last, zone)[1])
        per_cramp |= {
            f"{name}_n": Count("id", filter=inside),
            f"{name}_longest": Max("duration_seconds", filter=inside),
        }
    groups = list(
        counts.entries_in(CrampEpisode, user, span, nights=True)
        .values("muscle", "side", hour=counts.local("hour", span, nights=True))
        .annotate(**per_cramp)
    )
    start_hour, end_hour = stats.NIGHT_HOURS
    muscle_labels, side_labels = dict(Muscle.choices), dict(Side.choices)
    first_window = next(iter(windows))
    places: Counter = Counter()
    for row in groups:
        if row[f"{first_window}_n"]:
            # Translators: where a cramp was: a muscle, then a side in lower case ("Calf, left").
            place = gettext("%(muscle)s, %(side)s") % {
                "muscle": muscle_labels[row["muscle"]] if row["muscle"] else gettext("Muscle not recorded"),
                "side": str(side_labels[row["side"]]).lower()
                if row["side"]
                else gettext("side not recorded"),
            }
            places[place] += row[f"{first_window}_n"]
    at_night = [row for row in groups if row["hour"] >= start_hour or row["hour"] < end_hour]
    found = {
        name: Figures(
            first,
            last,
            *stats.window_values(days, name),
            top_intensity=days[f"{name}_top"],
            timed=days[f"{name}_timed"] or 0,
            seconds=days[f"{name}_seconds"] or 0,
            nights_woken=days[f"{name}_woken"],
            longest_seconds=max(
                (row[f"{name}_longest"] for row in groups if row[f"{name}_longest"] is not None), default=None
            ),
            at_night=sum(row[f"{name}_n"] for row in at_night),
        )
        for name, (first, last) in windows.items()
    }
    return found, places


PLACES_SHOWN = 6


def _places(places: Counter) -> list[tuple[str, int]]:
    """Where the cramps were, most often first: the first few places, then the rest together."""
    common = places.most_common()
    if len(common) <= PLACES_SHOWN + 1:
        return common
    rest = sum(count for _, count in common[PLACES_SHOWN:])
    others = len(common) - PLACES_SHOWN
    return [
        *common[:PLACES_SHOWN],
        (ngettext("%(n)s other place", "%(n)s other places", others) % {"n": others}, rest),
    ]


def _daily(user, profile, first: date, last: date) -> dict:
    """Fluid, exercise and meals over the period, from the day totals in one query."""
    nutrients = {group: counts.group_column(group) for group in counts.NUTRIENT_GROUPS}
    return (
        DiaryDay.objects.filter(user=user, day__gte=first, day__lte=last)
        .order_by()
        .aggregate(
            n_fluid_days=Count("fluid_ml"),
            n_fluid_ml=Sum("fluid_ml"),
            n_fluid_at_target=Count("id", filter=Q(fluid_ml__gte=profile.fluid_target_ml)),
            n_exercise_minutes=Sum("exercise_minutes"),
            n_exercise_days=Count("id", filter=Q(exercise_minutes__gt=0)),
            n_vigorous_days=Count("id", filter=Q(exercise_vigorous__gt=0)),
            n_meals=Sum("meals"),
            **{f"n_{column}": Sum(column) for column in nutrients.values()},
        )
    )


def _signs(user, zone: ZoneInfo, first: date, last: date) -> list[SignSeen]:
    """Each warning sign logged in the period with its count and first and last night, most frequent first."""
    labels = dict(WarningSign.choices)
    seen: dict[str, list] = {}
    rows = (
        _cramps(user, zone, first, last)
        .exclude(warning_signs=[])
        .order_by("at")
        .values_list("at", "warning_signs")
    )
    for at, signs in rows.iterator(chunk_size=2000):
        night = night_of(at, zone)
        for sign in signs or ():
            entry = seen.setdefault(sign, [0, night, night])
            entry[0] += 1
            entry[2] = night
    found = [SignSeen(str(labels.get(sign, sign)), n, one, other) for sign, (n, one, other) in seen.items()]
    return sorted(found, key=lambda s: (-s.count, s.first))  # one row a sign: bounded by the signs there are


def _prompts(rows: list[CrampRow], medicines, until: datetime, start: date | None) -> list[consult.Prompt]:
    """The see-a-clinician prompts the period's entries raise as of its end."""
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
        medicines=tuple(consult.MedicineFact(ref=m.pk, name=m.name, current=m.current) for m in medicines),
        diary_start=start,
    )
    return consult.evaluate(facts)


def _sleep_window(first: date, last_night: date) -> tuple[date, date]:
    """The nights the sleep rule looked at: the SLEEP_NIGHTS ending with the period's last night that is over,
    none before the period."""
    return max(first, last_night - timedelta(days=consult.SLEEP_NIGHTS - 1)), last_night


def _finding(prompt: consult.Prompt, sleep: Figures | None) -> Finding:
    """A prompt for the clinician: its rule's clinician title, and its finding in the third person. The sleep
    finding counts, like every figure, over the logged nights (`sleep`: the nights the rule looked at) and says
    which nights those are."""
    title = str(CLINICIAN_TITLES.get(prompt.rule.id, prompt.rule.title))
    text = str(prompt.finding or prompt.detail)
    if prompt.rule.id == "sleep" and sleep is not None:
        woken = {fact.night for fact in prompt.evidence if sleep.first <= fact.night <= sleep.last}
        text = ngettext(
            "Cramps woke the patient on %(woken)s of %(kept)s logged night (%(nights)s).",
            "Cramps woke the patient on %(woken)s of %(kept)s logged nights (%(nights)s).",
            sleep.kept,
        ) % {
            "woken": len(woken),
            "kept": sleep.kept,
            "nights": logged_nights.span_words(sleep.first, sleep.last),
        }
    elif prompt.rule.id == "medicine_link":  # the medicines below say which and what the sources say
        names = [fact.name for fact in prompt.evidence]
        listed = names[-1]
        if len(names) > 1:
            # Translators: the last two of a list of medicine names: "Atorvastatin, Ramipril and Furosemide".
            listed = gettext("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}
        text = gettext("Patient lists %(names)s (below).") % {"names": listed}
    why = prompt_why(prompt.rule.id)
    prompted = str(PROMPTED[prompt.level])
    # Translators: what the app prompted the patient to do, and (in brackets) the rule that made it prompt.
    advised = (
        gettext("%(prompted)s (rule: %(why)s)") % {"prompted": prompted, "why": why} if why else prompted
    )
    return Finding(title, text, advised)


@dataclass(frozen=True)
class _Medicine:
    pk: int
    name: str
    current: bool


def build_summary(
    user,
    first: date,
    last: date,
    *,
    note_ids=(),
    name: str = "",
    birth_date: date | None = None,
    with_baseline: bool = True,
    offer_notes: bool = False,
    now: datetime | None = None,
) -> Summary:
    profile = user.profile
    zone = profile.zone
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=zone)
    tonight = logged_nights.tonight(now, zone)  # the night going on: not over, so in no figure
    start = counts.diary_start(user, zone)
    day_totals.make_current(user)  # the figures, the chart and the calendar read the day totals

    # "At the start": the same weeks as Trends' headline at this moment (stats.start_window).
    at_start = stats.start_window(start, tonight - timedelta(days=1)) if start else None
    base_last = at_start[1] if at_start else None
    has_baseline = with_baseline and base_last is not None and base_last < first
    # The figures count the period's nights that are over: the night going on is not, until noon.
    nights = logged_nights.window(first, last, tonight)
    windows = {"now": (nights.first, nights.last)}
    if nights.days:
        windows["sleep"] = _sleep_window(first, nights.last)
    if has_baseline:
        assert start is not None and base_last is not None  # as has_baseline says
        windows["baseline"] = (start, base_last)
    found, by_place = _figures(user, zone, windows)

    baseline, baseline_note = found.get("baseline"), ""
    if start is None:
        baseline_note = gettext("The diary has no entries yet.")
    elif with_baseline and at_start is None:
        weeks = 2 * stats.HEADLINE_WEEKS[-1]  # as stats.START_NOTE says
        baseline_note = gettext("How it started is shown once the diary has %(weeks)s weeks of nights.") % {
            "weeks": weeks
        }
    elif with_baseline and not has_baseline:
        assert at_start is not None
        baseline_note = gettext("How it started (%(when)s) is shown when the period begins after it.") % {
            "when": stats.start_words(*at_start)
        }

    span = counts.Span(first, max(first, nights.last), zone)
    unit, bucket_list = stats.buckets(span, rolling=True)
    series, _ = stats.bucket_totals(user, span, bucket_list)

    # The rules look back LOOKBACK from the end of the period's last night (noon the next day, so a 01:30 cramp
    # counts for the night before, as everywhere), never before its start.
    until = min(now, night_bounds(max(first, nights.last), zone)[1] - timedelta(seconds=1)).astimezone(zone)
    recent = _rows(
        _cramps(user, zone, max(first, last - timedelta(days=LOOKBACK.days)), last).order_by("at", "pk"), zone
    )

    medicines = list(
        Medication.objects.for_user(user)
        .filter(
            Q(started__isnull=True) | Q(started__lte=last), Q(stopped__isnull=True) | Q(stopped__gte=first)
        )
        .order_by(F("started").desc(nulls_last=True), "name", "pk")
        .only("name", "kind", "dose", "started", "stopped", "as_needed")
    )
    end_of_period = min(today, last)
    facts = [_Medicine(m.pk, m.name, m.stopped is None or m.stopped >= end_of_period) for m in medicines]

    daily = _daily(user, profile, first, last)
    meal_total = daily["n_meals"] or 0
    prompts = _prompts(recent, facts, until, max(start, first) if start else None)

    wanted = sorted({int(pk) for pk in note_ids})
    with_notes = _cramps(user, zone, first, last).exclude(notes="")
    notes = _rows(with_notes.filter(pk__in=wanted).order_by("at", "pk"), zone) if wanted else []
    offered, offered_more = [], False
    if offer_notes:
        offered = _rows(with_notes.order_by("-at", "-pk")[: NOTES_OFFERED + 1], zone)
        offered_more = len(offered) > NOTES_OFFERED  # earlier notes, not counted: a count reads them all
        offered = offered[:NOTES_OFFERED][::-1]

    months, months_left_out = calendar.months_of_period(user, first, last, tonight, start)
    diary_days = (min(last, today) - start).days + 1 if start and start <= min(last, today) else 0
    exercise_minutes = daily["n_exercise_minutes"] or 0
    summary_days = (last - first).days + 1

    return Summary(
        first=first,
        last=last,
        made=now.astimezone(zone),
        name=name,
        birth_date=birth_date,
        has_diary=start is not None,
        diary_days=diary_days,
        period_before_diary=max(0, min((start - first).days, (last - first).days + 1)) if start else 0,
        now=found["now"],
        baseline=baseline,
        baseline_note=baseline_note,
        weeks=[
            Week(b.label, c.count, b.first, b.last, c.kept, b.partial)
            for b, c in zip(bucket_list, series, strict=True)
        ],
        week_unit=unit,
        muscles=_places(by_place),
        warning_signs=_signs(user, zone, first, last),
        prompts=prompts,
        findings=[_finding(prompt, found.get("sleep")) for prompt in prompts],
        medicines=[
            MedicineRow(
                m.name,
                str(m.get_kind_display()),
                ", ".join(
                    part for part in (m.dose.strip(), gettext("as needed") if m.as_needed else "") if part
                ),
                consult.linked_medicine_kind(m.name),
                m.started,
                m.stopped if m.stopped and m.stopped <= last else None,
                m.started is None or m.started < first,
            )
            for m in medicines[:MEDICINES_SHOWN]
        ],
        medicines_more=max(0, len(medicines) - MEDICINES_SHOWN),
        fluid_days=daily["n_fluid_days"],
        fluid_average=profile.format_volume(daily["n_fluid_ml"] / daily["n_fluid_days"])
        if daily["n_fluid_days"]
        else None,
        fluid_target=profile.format_volume(profile.fluid_target_ml),
        fluid_days_at_target=daily["n_fluid_at_target"],
        exercise_per_week=round(exercise_minutes * 7 / summary_days) if summary_days else 0,
        exercise_days=daily["n_exercise_days"],
        vigorous_days=daily["n_vigorous_days"],
        meals=meal_total,
        nutrient_shares=[
            (
                counts.group_label(group),
                round(100 * (daily[f"n_{counts.group_column(group)}"] or 0) / meal_total),
            )
            for group in counts.NUTRIENT_GROUPS
        ]
        if meal_total
        else [],
        notes=notes,
        notes_available=offered,
        notes_more=offered_more,
        months=months,
        months_left_out=months_left_out,
        experiment=experiment_report.report(user, first, last, tonight),
    )


def _show(value, unit: StrOrPromise = "") -> str:
    """A figure with its unit ("%(value)s min"), "–" when there is none; a float with no more digits than needed
    ("2.5", "3"), with the language's decimal mark."""
    if value is None:
        return "–"
    shown = short_number(value) if isinstance(value, float) else str(value)
    return str(unit) % {"value": shown} if unit else shown


def short_number(value: float) -> str:
    """ "2.5", "3": a number with no more digits than it needs (as "{:g}" writes it), in the language's way."""
    short = float(f"{value:g}")
    return l10n.number(int(short) if short.is_integer() else short)


@dataclass(frozen=True)
class KeyFigure:
    label: str
    now: str
    detail: str  # over what it is counted
    before: str | None  # the same at the start of the diary, when asked for


DISCLAIMER = gettext_lazy("General information, not a diagnosis.")


def covers(summary: Summary) -> str:
    """The one line saying which nights every figure counts: "Counted over 18 logged nights, 6 Nov to 3 Dec 2026
    (a logged night has ...)"."""
    # Translators: %(over)s says which nights, as "over 18 of 28 nights logged, 6 Nov to 3 Dec 2026".
    return gettext(
        'Counted %(over)s (a logged night has a cramp or a "no cramps" check-in; nights run noon to noon).'
    ) % {"over": summary.now.covers}


def key_figures(summary: Summary) -> list[KeyFigure]:
    """The three numbers a clinician reads first: cramps per week, nights with cramps and mean intensity, each
    over the logged nights, against how the diary started when that is included."""
    now, base = summary.now, summary.baseline

    def per_week(f: Figures) -> str:
        return _show(f.per_week)

    def nights(f: Figures) -> str:
        return _show(f.cramp_night_percent, PERCENT) if f.kept else "–"

    def intensity(f: Figures) -> str:
        return _show(f.mean_intensity)

    cramps = ngettext("%(n)s cramp", "%(n)s cramps", now.count) % {"n": now.count}
    return [
        KeyFigure(
            gettext("Cramps per week"),
            per_week(now),
            # Translators: "5 cramps over 18 logged nights".
            gettext("%(cramps)s over %(nights)s")
            % {"cramps": cramps, "nights": logged_nights_words(now.kept)},
            per_week(base) if base else None,
        ),
        KeyFigure(
            gettext("Nights with cramps"),
            nights(now),
            # Translators: "4 of 18 logged nights".
            gettext("%(count)s of %(nights)s")
            % {"count": now.cramp_nights, "nights": logged_nights_words(now.kept)},
            nights(base) if base else None,
        ),
        KeyFigure(
            gettext("Mean intensity"),
            intensity(now),
            ngettext(
                "out of 10; %(rated)s of %(count)s cramp rated",
                "out of 10; %(rated)s of %(count)s cramps rated",
                now.count,
            )
            % {"rated": now.rated, "count": now.count}
            if now.count
            else gettext("out of 10; no cramps"),
            intensity(base) if base else None,
        ),
    ]


def logged_nights_words(n: int) -> str:
    """ "18 logged nights"."""
    return ngettext("%(n)s logged night", "%(n)s logged nights", n) % {"n": n}


# Translators: a share in percent; keep "%%" (one percent sign). German writes "%(value)s %%".
PERCENT = gettext_lazy("%(value)s%%")
# Translators: minutes, after a number.
MINUTES = gettext_lazy("%(value)s min")

FIGURE_LABELS = (
    (gettext_lazy("Cramps"), "count", "", ""),
    (gettext_lazy("Highest intensity"), "top_intensity", "", ""),
    (gettext_lazy("Mean duration"), "mean_minutes", MINUTES, "timed"),
    (gettext_lazy("Longest"), "longest_minutes", MINUTES, ""),
    (gettext_lazy("At night (22:00-06:00)"), "night_share", PERCENT, ""),
    (gettext_lazy("Nights woken"), "nights_woken", "", ""),
)


def _figure(figures: Figures, attr: str, unit: StrOrPromise, recorded: str) -> str:
    """A figure with what it is over, the same in both columns: a count says over how many logged nights, a mean
    over how many cramps had the value recorded."""
    nights = logged_nights_words(figures.kept)
    if attr == "nights_woken":  # a count of nights says of how many
        return gettext("%(count)s of %(nights)s") % {"count": figures.nights_woken, "nights": nights}
    if attr == "count":
        # Translators: "5 over 18 logged nights", in a table row headed "Cramps".
        return gettext("%(count)s over %(nights)s") % {"count": figures.count, "nights": nights}
    shown = _show(getattr(figures, attr), unit)
    if recorded and getattr(figures, attr) is not None:
        # Translators: a mean, then of how many cramps it had a value recorded: "2.5 min (3 of 5 recorded)".
        shown = gettext("%(shown)s (%(recorded)s of %(count)s recorded)") % {
            "shown": shown,
            "recorded": getattr(figures, recorded),
            "count": figures.count,
        }
    return shown


def figure_rows(summary: Summary) -> list[tuple[str, str, str | None]]:
    """(label, this period, baseline) for the table of further figures on the page and the PDF. A mean is over the
    cramps that have the value recorded, and says how many do."""
    return [
        (
            str(label),
            _figure(summary.now, attr, suffix, recorded),
            _figure(summary.baseline, attr, suffix, recorded) if summary.baseline else None,
        )
        for label, attr, suffix, recorded in FIGURE_LABELS
    ]
