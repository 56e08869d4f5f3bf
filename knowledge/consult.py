"""See-a-clinician rules, as data, evaluated on plain facts (no database, no tracker import).

Each rule has an id, a level, a plain-language condition (`when`), a reason, what to do, its sources, and how long
its evidence counts (`clears_after_days`, with the reason in `clears`): a prompt clears by itself once the entries
that raised it are that old. `evaluate` returns the prompts a diary raises, each naming the entries that raised it.
Numbers marked `ours` are our own, chosen to be careful; the reasons come from the documents.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C
from knowledge.wording import lazy_percent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

URGENT, SOON, NEXT_VISIT = "urgent", "soon", "next_visit"
LEVEL_LABELS: dict[str, StrOrPromise] = {
    # Translators: how soon to see a clinician, above a see-a-clinician note.
    URGENT: _("Urgent: today"),
    SOON: _("Book an appointment"),
    NEXT_VISIT: _("At your next visit"),
}
# How soon the app told the person to act, as a clinician's copy of the summary says it.
LEVEL_ADVISED: dict[str, StrOrPromise] = {
    URGENT: _("Advised to seek care the same day"),
    SOON: _("Advised to book an appointment"),
    NEXT_VISIT: _("Advised to raise at the next visit"),
}
LEVEL_ORDER = {URGENT: 0, SOON: 1, NEXT_VISIT: 2}

LONG_CRAMP_SECONDS = 10 * 60
RECENT_DAYS = 14
NERVE_DAYS = 28
PERSISTENT_DAYS_PER_WEEK = 3
PERSISTENT_CLEARS_DAYS = 14
WORSENING_WEEKS = 4  # whole local weeks, Monday to Sunday, compared with as many before
WORSENING_MIN_BASE_WEEKS = 2  # a younger diary is compared with the whole weeks it has, if at least this many
WORSENING_MIN_EXTRA = 3
WORSENING_RATIO = Fraction(3, 2)
WORSENING_CLEARS_DAYS = 28
SEVERE_INTENSITY = 8
SEVERE_COUNT = 2
WOKEN_NIGHTS = 3
SLEEP_NIGHTS = 7
FRESH = timedelta(days=2)  # an urgent prompt about an older entry is worded for then, not as news
# How far back any rule reads: the worsening rule's 8 whole weeks before the current week, and a night's 12 hours.
LOOKBACK = timedelta(days=2 * WORSENING_WEEKS * 7 + 7)

# Medicines widely documented as linked with muscle cramps, matched by name as typed. 003 names medicines among the
# causes of electrolyte loss; the list of names is ours. Each is a stem that the English, Spanish and German names
# share once accents are set aside ("furosemid" is in furosemide, furosemida and Furosemid), or each language's own
# where they part ("hidroclorotiazid"), so a name typed in any of the three is found whatever the page's language.
CRAMP_LINKED_MEDICINES = {
    "diuretic": (
        "furosemid",
        "frusemid",
        "bumetanid",
        "torsemid",
        "torasemid",
        "hydrochlorothiazid",
        "hidroclorotiazid",
        "chlorthalidon",
        "chlortalidon",
        "clortalidon",
        "indapamid",
        "bendroflumethiazid",
        "bendroflumetiazid",
        "metolazon",
        "spironolacton",
        "espironolacton",
        "diuretic",
        "diuretik",
        "water pill",
        "water tablet",
        "wassertablette",
    ),
    "statin": (
        "atorvastatin",
        "simvastatin",
        "rosuvastatin",
        "pravastatin",
        "lovastatin",
        "fluvastatin",
        "pitavastatin",
        "statin",
    ),
}


# How a person and a summary name each kind, in a sentence ("On your list: Lipitor, a statin.").
MEDICINE_KINDS: dict[str, StrOrPromise] = {
    "diuretic": _("a water tablet (diuretic)"),
    "statin": _("a statin"),
}


@dataclass(frozen=True)
class CrampFact:
    ref: int
    at: datetime  # aware, in the person's zone
    night: date
    duration_seconds: int | None  # None: not recorded, so no rule reads it as long or short
    intensity: int | None  # None: not recorded, so no rule reads it as severe or mild
    woke: bool = False
    relief: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    created_at: datetime | None = None


@dataclass(frozen=True)
class MedicineFact:
    ref: int
    name: str
    current: bool = True
    created_at: datetime | None = None


@dataclass(frozen=True)
class ConsultFacts:
    now: datetime  # aware, in the person's zone
    cramps: tuple[CrampFact, ...] = ()
    medicines: tuple[MedicineFact, ...] = ()
    diary_start: date | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    # The words are lazy translations, each read in the active language through the property of its name.
    lazy_title: StrOrPromise
    lazy_when: StrOrPromise  # the condition, in plain words: "You see this when ..."
    lazy_reason: StrOrPromise
    lazy_action: StrOrPromise
    sources: tuple[str, ...]
    clears_after_days: int | None  # its evidence stops counting once this old; None: it does not age
    lazy_clears: StrOrPromise  # how old, and why, in plain words
    ours: bool = False  # its numbers are ours, chosen to be careful, not the documents'
    lazy_urgent_action: StrOrPromise = ""  # a rule that turns urgent in some cases: what to do then
    lazy_later_action: StrOrPromise = ""  # an urgent prompt about an entry older than FRESH: what to do now

    @property
    def title(self) -> str:
        return str(self.lazy_title)

    @property
    def when(self) -> str:
        return str(self.lazy_when)

    @property
    def reason(self) -> str:
        return str(self.lazy_reason)

    @property
    def action(self) -> str:
        return str(self.lazy_action)

    @property
    def clears(self) -> str:
        return str(self.lazy_clears)

    @property
    def urgent_action(self) -> str:
        return str(self.lazy_urgent_action)

    @property
    def later_action(self) -> str:
        return str(self.lazy_later_action)


@dataclass(frozen=True)
class Prompt:
    rule: Rule
    level: str
    detail: str
    action: str
    evidence: tuple = field(default=())  # the CrampFact / MedicineFact entries that raised it
    finding: str = ""  # the detail worded for a clinician reading the summary ("Patient reported ...")

    @property
    def level_label(self) -> str:
        """How soon to act, in plain words."""
        return str(LEVEL_LABELS[self.level])

    @property
    def advised(self) -> str:
        return str(LEVEL_ADVISED[self.level])


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "clot_signs",
            URGENT,
            _("Swelling, redness or warmth of one leg"),
            lazy_percent(
                ngettext_lazy(
                    "A cramp in the last %(days)s day was logged with swelling, redness or warmth of one leg.",
                    "A cramp in the last %(days)s days was logged with swelling, redness or warmth of one leg.",
                    RECENT_DAYS,
                ),
                {"days": RECENT_DAYS},
            ),
            _(
                "A painful, swollen, red or warm leg can be a blood clot (deep vein thrombosis), which needs ruling "
                "out the same day."
            ),
            _(
                "Contact a doctor or urgent care today. Call emergency services now if you are short of breath or "
                "have chest pain."
            ),
            (C,),
            RECENT_DAYS,
            lazy_percent(
                ngettext_lazy(
                    "It goes away %(days)s day after that cramp: a clot needs checking within days, not weeks. If "
                    "the leg is still swollen, red or warm after that, see a doctor.",
                    "It goes away %(days)s days after that cramp: a clot needs checking within days, not weeks. If "
                    "the leg is still swollen, red or warm after that, see a doctor.",
                    RECENT_DAYS,
                ),
                {"days": RECENT_DAYS},
            ),
            lazy_later_action=_(
                "If the leg is still swollen, red or warm, see a doctor today. Call emergency services now if you "
                "are short of breath or have chest pain."
            ),
        ),
        Rule(
            "long_cramp",
            SOON,
            _("A cramp that lasted more than 10 minutes"),
            lazy_percent(
                ngettext_lazy(
                    "A cramp in the last %(days)s day lasted more than %(minutes)s minutes. If nothing eased it, "
                    "it is urgent.",
                    "A cramp in the last %(days)s days lasted more than %(minutes)s minutes. If nothing eased it, "
                    "it is urgent.",
                    RECENT_DAYS,
                ),
                {"days": RECENT_DAYS, "minutes": LONG_CRAMP_SECONDS // 60},
            ),
            _("Most cramps pass within minutes; one that lasts much longer deserves a check."),
            _("Book an appointment with your doctor."),
            (A, B),
            RECENT_DAYS,
            lazy_percent(
                ngettext_lazy(
                    "It goes away %(days)s day after that cramp: time enough to book an appointment. Another long "
                    "cramp brings it back.",
                    "It goes away %(days)s days after that cramp: time enough to book an appointment. Another "
                    "long cramp brings it back.",
                    RECENT_DAYS,
                ),
                {"days": RECENT_DAYS},
            ),
            ours=True,
            lazy_urgent_action=_(
                "A long cramp that nothing eases should be seen today: contact a doctor or urgent care."
            ),
            lazy_later_action=_(
                "If the leg still hurts, see a doctor today. If it has settled, book an appointment with your "
                "doctor."
            ),
        ),
        Rule(
            "nerve_signs",
            SOON,
            _("Numbness, tingling or muscle weakness"),
            lazy_percent(
                ngettext_lazy(
                    "A cramp in the last %(weeks)s week was logged with numbness, tingling or muscle weakness.",
                    "A cramp in the last %(weeks)s weeks was logged with numbness, tingling or muscle weakness.",
                    NERVE_DAYS // 7,
                ),
                {"weeks": NERVE_DAYS // 7},
            ),
            _(
                "Numbness, tingling and weakness can come from the nerves (for example neuropathy) and should be "
                "looked into, not only treated with diet."
            ),
            _("Book an appointment with your doctor."),
            (A, B, C),
            NERVE_DAYS,
            lazy_percent(
                ngettext_lazy(
                    "It goes away %(weeks)s week after you last logged these signs: they can come and go, so they "
                    "count for longer.",
                    "It goes away %(weeks)s weeks after you last logged these signs: they can come and go, so "
                    "they count for longer.",
                    NERVE_DAYS // 7,
                ),
                {"weeks": NERVE_DAYS // 7},
            ),
        ),
        Rule(
            "persistent",
            SOON,
            _("Cramps that keep coming back"),
            lazy_percent(
                ngettext_lazy(
                    "You had cramps on %(days)s or more day in each of 2 weeks in a row (weeks run Monday to "
                    "Sunday).",
                    "You had cramps on %(days)s or more days in each of 2 weeks in a row (weeks run Monday to "
                    "Sunday).",
                    PERSISTENT_DAYS_PER_WEEK,
                ),
                {"days": PERSISTENT_DAYS_PER_WEEK},
            ),
            _("Persistent cramps are worth a check to find the cause."),
            _("Book an appointment with your doctor and bring this diary's summary."),
            (A, B, C),
            PERSISTENT_CLEARS_DAYS,
            lazy_percent(
                ngettext_lazy(
                    "It goes away %(days)s day after the last cramp of those 2 weeks: it is about cramps that "
                    "keep coming now, not weeks ago.",
                    "It goes away %(days)s days after the last cramp of those 2 weeks: it is about cramps that "
                    "keep coming now, not weeks ago.",
                    PERSISTENT_CLEARS_DAYS,
                ),
                {"days": PERSISTENT_CLEARS_DAYS},
            ),
            ours=True,
        ),
        Rule(
            "worsening",
            NEXT_VISIT,
            _("Cramps are becoming more frequent"),
            lazy_percent(
                # Translators: "half as many again" means at least one and a half times as many.
                ngettext_lazy(
                    "The last %(weeks)s full weeks (Monday to Sunday) had at least %(extra)s more cramp than the "
                    "%(weeks)s weeks before, and half as many again or more. If your diary began less than 8 weeks "
                    "ago, it compares with the full weeks your diary has.",
                    "The last %(weeks)s full weeks (Monday to Sunday) had at least %(extra)s more cramps than the "
                    "%(weeks)s weeks before, and half as many again or more. If your diary began less than 8 weeks "
                    "ago, it compares with the full weeks your diary has.",
                    WORSENING_MIN_EXTRA,
                ),
                {"weeks": WORSENING_WEEKS, "extra": WORSENING_MIN_EXTRA},
            ),
            _("Cramps that are getting worse should be mentioned to a clinician."),
            _("Mention it at your next visit; show the trend in your summary."),
            (B,),
            WORSENING_CLEARS_DAYS,
            lazy_percent(
                ngettext_lazy(
                    "It goes away %(weeks)s week after the latest of those cramps: it is something for your next "
                    "visit, which may be weeks away.",
                    "It goes away %(weeks)s weeks after the latest of those cramps: it is something for your next "
                    "visit, which may be weeks away.",
                    WORSENING_CLEARS_DAYS // 7,
                ),
                {"weeks": WORSENING_CLEARS_DAYS // 7},
            ),
            ours=True,
        ),
        Rule(
            "severe",
            SOON,
            _("Severe cramps"),
            lazy_percent(
                ngettext_lazy(
                    "%(count)s or more cramps in the last %(days)s day were rated %(intensity)s or more out of 10 "
                    "for how bad they were.",
                    "%(count)s or more cramps in the last %(days)s days were rated %(intensity)s or more out of 10 "
                    "for how bad they were.",
                    RECENT_DAYS,
                ),
                {"count": SEVERE_COUNT, "days": RECENT_DAYS, "intensity": SEVERE_INTENSITY},
            ),
            _("Severe cramps are a reason to look for an underlying cause."),
            _("Book an appointment with your doctor."),
            (A, B, C),
            RECENT_DAYS,
            lazy_percent(
                ngettext_lazy(
                    "It goes away once fewer than %(count)s of those cramps are within the last %(days)s day: then "
                    "they are no longer a pattern.",
                    "It goes away once fewer than %(count)s of those cramps are within the last %(days)s days: "
                    "then they are no longer a pattern.",
                    RECENT_DAYS,
                ),
                {"count": SEVERE_COUNT, "days": RECENT_DAYS},
            ),
            ours=True,
        ),
        Rule(
            "sleep",
            SOON,
            _("Cramps are breaking your sleep"),
            lazy_percent(
                ngettext_lazy(
                    "Cramps woke you on %(woken)s or more of the last %(nights)s night.",
                    "Cramps woke you on %(woken)s or more of the last %(nights)s nights.",
                    SLEEP_NIGHTS,
                ),
                {"woken": WOKEN_NIGHTS, "nights": SLEEP_NIGHTS},
            ),
            _("Cramps that wake you night after night affect your health and deserve attention."),
            _("Book an appointment with your doctor."),
            (B, C),
            SLEEP_NIGHTS,
            lazy_percent(
                ngettext_lazy(
                    "It counts only the last %(nights)s night, so it goes away once fewer than %(woken)s of them "
                    "were broken: it is about how you sleep now.",
                    "It counts only the last %(nights)s nights, so it goes away once fewer than %(woken)s of them "
                    "were broken: it is about how you sleep now.",
                    SLEEP_NIGHTS,
                ),
                {"woken": WOKEN_NIGHTS, "nights": SLEEP_NIGHTS},
            ),
            ours=True,
        ),
        Rule(
            "medicine_link",
            NEXT_VISIT,
            _("A medicine that can be linked with cramps"),
            _("A medicine on your list is a water tablet (diuretic) or a statin, going by its name."),
            _(
                "Some medicines, such as diuretics and statins, can be linked with muscle cramps or with the loss "
                "of electrolytes."
            ),
            _(
                "Keep taking your medicines as prescribed. Mention the cramps at your next visit so your clinician "
                "can review them."
            ),
            (B,),
            None,
            _(
                "It does not go away with time while the medicine is on your list and not marked as stopped. Mark "
                "it read once you have mentioned it."
            ),
        ),
    )
}


def _recent(facts: ConsultFacts, days: int) -> list[CrampFact]:
    since = facts.now - timedelta(days=days)
    return [c for c in facts.cramps if since <= c.at <= facts.now]


def _still_counts(rule: Rule, evidence: list[CrampFact], now: datetime) -> bool:
    """Whether the newest entry behind a prompt is young enough for the rule's recency."""
    if rule.clears_after_days is None:
        return True
    return max(c.at for c in evidence) >= now - timedelta(days=rule.clears_after_days)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _night_now(now: datetime) -> date:
    """The night that has most recently begun: a night begins at local noon and is named by its evening's date."""
    return now.date() if now.hour >= 12 else now.date() - timedelta(days=1)


# Dates as the active language writes them, with the formats of tracker/app/l10n.py (the same catalogue entries);
# knowledge does not import tracker, so the two formats it needs are named here.
def _day(moment: date) -> str:
    """Fri 20 Nov."""
    return formats.date_format(moment, pgettext("date format", "D j M"))


def _day_month(day: date) -> str:
    """20 Nov."""
    return formats.date_format(day, pgettext("date format", "j M"))


def _describe(cramp: CrampFact) -> str:
    """Fri 20 Nov 03:00, in the person's zone as the fact has it."""
    return formats.date_format(cramp.at, pgettext("date format", "D j M H:i"))


def _is_fresh(cramp: CrampFact, now: datetime) -> bool:
    """Whether an entry is recent enough (FRESH) for an urgent prompt to speak of it as news."""
    return cramp.at >= now - FRESH


def clot_signs(facts: ConsultFacts) -> Prompt | None:
    """Swelling, redness or warmth logged with a cramp: urgent, worded for then once the entry is older."""
    rule = RULES["clot_signs"]
    hits = [c for c in _recent(facts, rule.clears_after_days or 0) if {"swelling", "redness"} & set(c.signs)]
    if not hits:
        return None
    newest = max(hits, key=lambda c: c.at)
    said = gettext("You logged swelling, redness or warmth with the cramp on %(when)s.")
    if _is_fresh(newest, facts.now):
        detail, action = said % {"when": _describe(newest)}, rule.action
    else:
        detail, action = said % {"when": _day(newest.at)}, rule.later_action
    finding = gettext("Patient reported swelling, redness or warmth of the leg with a cramp on %(when)s.") % {
        "when": _describe(newest)
    }
    return Prompt(rule, URGENT, detail, action, tuple(hits), finding)


def long_cramp(facts: ConsultFacts) -> Prompt | None:
    """A cramp longer than 10 minutes; urgent when nothing eased it."""
    rule = RULES["long_cramp"]
    hits = [
        c
        for c in _recent(facts, rule.clears_after_days or 0)
        if c.duration_seconds is not None and c.duration_seconds > LONG_CRAMP_SECONDS
    ]
    if not hits:
        return None
    unrelieved = [c for c in hits if "nothing" in c.relief]
    longest = max(unrelieved or hits, key=lambda c: c.duration_seconds or 0)
    minutes = round((longest.duration_seconds or 0) / 60)
    values = {"minutes": minutes, "when": _describe(longest)}
    if unrelieved:
        finding = (
            ngettext(
                "Patient reported a cramp lasting %(minutes)s minute on %(when)s, not relieved by anything tried.",
                "Patient reported a cramp lasting %(minutes)s minutes on %(when)s, not relieved by anything tried.",
                minutes,
            )
            % values
        )
        said = ngettext(
            "The cramp on %(when)s lasted %(minutes)s minute. Nothing helped it.",
            "The cramp on %(when)s lasted %(minutes)s minutes. Nothing helped it.",
            minutes,
        )
        if _is_fresh(longest, facts.now):
            return Prompt(rule, URGENT, said % values, rule.urgent_action, tuple(hits), finding)
        detail = said % {"minutes": minutes, "when": _day(longest.at)}
        return Prompt(rule, URGENT, detail, rule.later_action, tuple(hits), finding)
    finding = (
        ngettext(
            "Patient reported a cramp lasting %(minutes)s minute on %(when)s.",
            "Patient reported a cramp lasting %(minutes)s minutes on %(when)s.",
            minutes,
        )
        % values
    )
    detail = (
        ngettext(
            "The cramp on %(when)s lasted %(minutes)s minute.",
            "The cramp on %(when)s lasted %(minutes)s minutes.",
            minutes,
        )
        % values
    )
    return Prompt(rule, SOON, detail, rule.action, tuple(hits), finding)


def nerve_signs(facts: ConsultFacts) -> Prompt | None:
    """Numbness, tingling or weakness logged with a cramp in the last 4 weeks."""
    rule = RULES["nerve_signs"]
    hits = [c for c in _recent(facts, rule.clears_after_days or 0) if {"numbness", "weakness"} & set(c.signs)]
    if not hits:
        return None
    newest = max(hits, key=lambda c: c.at)
    values = {
        "count": len(hits),
        "weeks": NERVE_DAYS // 7,
        "today": _day(facts.now),
        "latest": _day(newest.at),
    }
    # Translators: the singular says "once", without the number.
    detail = ngettext(
        "You logged numbness, tingling or weakness once in the last %(weeks)s weeks.",
        "You logged numbness, tingling or weakness %(count)s times in the last %(weeks)s weeks.",
        len(hits),
    )
    # Translators: the singular says "once", without the number.
    finding = ngettext(
        "Patient reported numbness, tingling or weakness with cramps once in the %(weeks)s weeks to %(today)s "
        "(latest %(latest)s).",
        "Patient reported numbness, tingling or weakness with cramps %(count)s times in the %(weeks)s weeks to "
        "%(today)s (latest %(latest)s).",
        len(hits),
    )
    return Prompt(rule, SOON, detail % values, rule.action, tuple(hits), finding % values)


def persistent(facts: ConsultFacts) -> Prompt | None:
    """Cramps on 3 or more nights in each of 2 weeks in a row, while the later week's cramps are recent."""
    rule = RULES["persistent"]
    days_by_week: dict[date, set[date]] = defaultdict(set)
    cramps_by_week: dict[date, list[CrampFact]] = defaultdict(list)
    for cramp in _recent(facts, 8 * 7):
        week = _week_start(cramp.night)
        days_by_week[week].add(cramp.night)
        cramps_by_week[week].append(cramp)
    busy = sorted(week for week, days in days_by_week.items() if len(days) >= PERSISTENT_DAYS_PER_WEEK)
    for later in reversed(busy):
        earlier = later - timedelta(days=7)
        if earlier in days_by_week and len(days_by_week[earlier]) >= PERSISTENT_DAYS_PER_WEEK:
            evidence = cramps_by_week[earlier] + cramps_by_week[later]
            if not _still_counts(rule, evidence, facts.now):
                return None  # the latest such weeks are old, so any before them are too
            first = len(days_by_week[earlier])
            values = {
                "first": first,
                "first_week": _day_month(earlier),
                "second": len(days_by_week[later]),
                "second_week": _day_month(later),
            }
            # Translators: both numbers are 3 or more; the plural follows the first.
            detail = ngettext(
                "Cramps on %(first)s day in the week of %(first_week)s and on %(second)s days in the week of "
                "%(second_week)s.",
                "Cramps on %(first)s days in the week of %(first_week)s and on %(second)s days in the week of "
                "%(second_week)s.",
                first,
            )
            # Translators: both numbers are 3 or more; the plural follows the first.
            finding = ngettext(
                "Patient reported cramps on %(first)s day in the week of %(first_week)s and on %(second)s days in "
                "the week of %(second_week)s.",
                "Patient reported cramps on %(first)s days in the week of %(first_week)s and on %(second)s days "
                "in the week of %(second_week)s.",
                first,
            )
            return Prompt(rule, SOON, detail % values, rule.action, tuple(evidence), finding % values)
    return None


def worsening(facts: ConsultFacts) -> Prompt | None:
    """More cramps in the last 4 whole local weeks than in the whole weeks before them, counted by night.

    The weeks run Monday to Sunday and end with the last full week. The weeks before are the 4 before those, or,
    for a diary that began inside them, the full weeks it has (at least WORSENING_MIN_BASE_WEEKS), counted at the
    same pace; a week the diary began partway through is left out, as its days before the diary were not logged.
    """
    rule = RULES["worsening"]
    if facts.diary_start is None:
        return None
    this_week = _week_start(_night_now(facts.now))
    recent_start = this_week - timedelta(weeks=WORSENING_WEEKS)
    first_full_week = _week_start(facts.diary_start + timedelta(days=6))  # the first Monday on or after it
    base_start = max(recent_start - timedelta(weeks=WORSENING_WEEKS), first_full_week)
    base_weeks = (recent_start - base_start).days // 7
    if base_weeks < WORSENING_MIN_BASE_WEEKS:
        return None  # without enough diary before the last 4 weeks there is nothing to compare with
    recent = [c for c in facts.cramps if recent_start <= c.night < this_week and c.at <= facts.now]
    before = [c for c in facts.cramps if base_start <= c.night < recent_start]
    usual = Fraction(len(before) * WORSENING_WEEKS, base_weeks)  # the weeks before, at the pace of 4 weeks
    if len(recent) < usual + WORSENING_MIN_EXTRA or len(recent) < WORSENING_RATIO * usual:
        return None
    if not _still_counts(rule, recent, facts.now):
        return None
    last_sunday = this_week - timedelta(days=1)
    values = {
        "count": len(recent),
        "weeks": WORSENING_WEEKS,
        "sunday": _day_month(last_sunday),
        "before": len(before),
        "weeks_before": base_weeks,
    }
    # Translators: "%(sunday)s" is a date such as "20 Nov"; the plural follows the first number.
    detail = ngettext(
        "%(count)s cramp in the %(weeks)s weeks to Sunday %(sunday)s, against %(before)s in the %(weeks_before)s "
        "weeks before.",
        "%(count)s cramps in the %(weeks)s weeks to Sunday %(sunday)s, against %(before)s in the "
        "%(weeks_before)s weeks before.",
        len(recent),
    )
    finding = ngettext(
        "Patient reported %(count)s cramp in the %(weeks)s weeks to Sunday %(sunday)s, against %(before)s in the "
        "%(weeks_before)s weeks before.",
        "Patient reported %(count)s cramps in the %(weeks)s weeks to Sunday %(sunday)s, against %(before)s in "
        "the %(weeks_before)s weeks before.",
        len(recent),
    )
    return Prompt(rule, NEXT_VISIT, detail % values, rule.action, tuple(recent), finding % values)


def severe(facts: ConsultFacts) -> Prompt | None:
    """Two or more cramps rated 8 or more within 14 days."""
    rule = RULES["severe"]
    hits = [
        c
        for c in _recent(facts, rule.clears_after_days or 0)
        if c.intensity is not None and c.intensity >= SEVERE_INTENSITY
    ]
    if len(hits) < SEVERE_COUNT:
        return None
    values = {
        "count": len(hits),
        "intensity": SEVERE_INTENSITY,
        "days": RECENT_DAYS,
        "today": _day(facts.now),
    }
    detail = ngettext(
        "%(count)s cramp rated %(intensity)s or more out of 10 in the last %(days)s days.",
        "%(count)s cramps rated %(intensity)s or more out of 10 in the last %(days)s days.",
        len(hits),
    )
    finding = ngettext(
        "Patient rated %(count)s cramp %(intensity)s or more out of 10 in the %(days)s days to %(today)s.",
        "Patient rated %(count)s cramps %(intensity)s or more out of 10 in the %(days)s days to %(today)s.",
        len(hits),
    )
    return Prompt(rule, SOON, detail % values, rule.action, tuple(hits), finding % values)


def sleep(facts: ConsultFacts) -> Prompt | None:
    """Woken by cramps on 3 or more of the 7 most recent nights that have begun."""
    rule = RULES["sleep"]
    current = _night_now(facts.now)
    first = current - timedelta(days=(rule.clears_after_days or 0) - 1)
    hits = [c for c in facts.cramps if c.woke and first <= c.night <= current and c.at <= facts.now]
    nights = {c.night for c in hits}
    if len(nights) < WOKEN_NIGHTS:
        return None
    values = {"count": len(nights), "nights": SLEEP_NIGHTS, "today": _day(facts.now)}
    # Translators: the plural follows the first number ("on 3 of the last 7 nights").
    detail = ngettext(
        "Cramps woke you on %(count)s of the last %(nights)s nights.",
        "Cramps woke you on %(count)s of the last %(nights)s nights.",
        len(nights),
    )
    # Translators: the plural follows the first number.
    finding = ngettext(
        "Patient reported waking with cramps on %(count)s of the %(nights)s nights to %(today)s.",
        "Patient reported waking with cramps on %(count)s of the %(nights)s nights to %(today)s.",
        len(nights),
    )
    return Prompt(rule, SOON, detail % values, rule.action, tuple(hits), finding % values)


def linked_medicine_kind(name: str) -> str | None:
    """What kind of cramp-linked medicine a name as typed is ("a statin", in the active language), or None."""
    decomposed = unicodedata.normalize("NFKD", name)
    lowered = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    for kind, names in CRAMP_LINKED_MEDICINES.items():
        if any(n in lowered for n in names):
            return str(MEDICINE_KINDS[kind])
    return None


def medicine_link(facts: ConsultFacts) -> Prompt | None:
    """A current medicine whose name is that of a water tablet (diuretic) or a statin."""
    hits = [m for m in facts.medicines if m.current and linked_medicine_kind(m.name)]
    if not hits:
        return None
    rule = RULES["medicine_link"]
    # Translators: one medicine on a list, as typed, and its kind: "Lipitor, a statin".
    each = gettext("%(medicine)s, %(kind)s")
    # Translators: what separates two medicines of a list.
    between = pgettext("list of medicines", "; ")
    named = between.join(each % {"medicine": m.name, "kind": linked_medicine_kind(m.name)} for m in hits)
    detail = gettext("On your list: %(medicines)s.") % {"medicines": named}
    finding = gettext("Patient lists %(medicines)s.") % {"medicines": named}
    return Prompt(rule, NEXT_VISIT, detail, rule.action, tuple(hits), finding)


CHECKS = (clot_signs, long_cramp, nerve_signs, persistent, worsening, severe, sleep, medicine_link)


def evaluate(facts: ConsultFacts) -> list[Prompt]:
    """Every prompt the diary raises, most pressing first."""
    prompts = [prompt for check in CHECKS if (prompt := check(facts)) is not None]
    return sorted(prompts, key=lambda p: LEVEL_ORDER[p.level])
