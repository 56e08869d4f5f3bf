"""See-a-clinician rules, as data, evaluated on plain facts (no database, no tracker import).

Each rule has an id, a level, its threshold, a plain-language reason, what to do, and its source. `evaluate` returns
the prompts a diary raises, each naming the entries that raised it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C

URGENT, SOON, NEXT_VISIT = "urgent", "soon", "next_visit"
LEVEL_LABELS = {URGENT: "Today", SOON: "Book an appointment", NEXT_VISIT: "Mention at your next visit"}
LEVEL_ORDER = {URGENT: 0, SOON: 1, NEXT_VISIT: 2}

LONG_CRAMP_SECONDS = 10 * 60
RECENT_DAYS = 14
NERVE_DAYS = 28
PERSISTENT_DAYS_PER_WEEK = 3
WORSENING_WINDOW_DAYS = 28
WORSENING_MIN_EXTRA = 3
WORSENING_RATIO = 1.5
SEVERE_INTENSITY = 8
SEVERE_COUNT = 2
WOKEN_NIGHTS = 3

# Medicines widely documented as linked with muscle cramps, matched by name as typed. 003 names medicines among the
# causes of electrolyte loss; the list of names is ours.
CRAMP_LINKED_MEDICINES = {
    "a diuretic (water tablet)": (
        "furosemide",
        "frusemide",
        "bumetanide",
        "torsemide",
        "torasemide",
        "hydrochlorothiazide",
        "chlorthalidone",
        "chlortalidone",
        "indapamide",
        "bendroflumethiazide",
        "metolazone",
        "spironolactone",
        "diuretic",
        "water pill",
        "water tablet",
    ),
    "a statin": (
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
    title: str
    threshold: str
    reason: str
    action: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Prompt:
    rule: Rule
    level: str
    detail: str
    action: str
    evidence: tuple = field(default=())  # the CrampFact / MedicineFact entries that raised it

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "clot_signs",
            URGENT,
            "Swelling, redness or warmth of one leg",
            "Any cramp in the last 14 days logged with swelling, redness or warmth of one leg.",
            "A painful, swollen, red or warm leg can be a blood clot (deep vein thrombosis), which needs ruling out "
            "the same day.",
            "Contact a doctor or urgent care today. Call emergency services now if you are short of breath or have "
            "chest pain.",
            (C,),
        ),
        Rule(
            "long_cramp",
            SOON,
            "A cramp that lasted more than 10 minutes",
            "Any cramp in the last 14 days that lasted more than 10 minutes (our threshold).",
            "Most cramps pass within minutes; one that lasts much longer deserves a check.",
            "Book an appointment with your doctor.",
            (A, B),
        ),
        Rule(
            "nerve_signs",
            SOON,
            "Numbness, tingling or muscle weakness",
            "Any cramp in the last 28 days logged with numbness or tingling, or muscle weakness.",
            "Numbness, tingling and weakness can come from the nerves (for example neuropathy) and should be looked "
            "into, not only treated with diet.",
            "Book an appointment with your doctor.",
            (A, B, C),
        ),
        Rule(
            "persistent",
            SOON,
            "Cramps that keep coming back",
            "Cramps on 3 or more days in each of 2 consecutive weeks (Monday to Sunday, your time; our threshold).",
            "Persistent cramps are worth a check to find the cause.",
            "Book an appointment with your doctor and bring this diary's summary.",
            (A, B, C),
        ),
        Rule(
            "worsening",
            NEXT_VISIT,
            "Cramps are becoming more frequent",
            "In the last 4 weeks, at least 3 more cramps and at least 50% more than in the 4 weeks before "
            "(our threshold).",
            "Cramps that are getting worse should be mentioned to a clinician.",
            "Mention it at your next visit; show the trend in your summary.",
            (B,),
        ),
        Rule(
            "severe",
            SOON,
            "Severe cramps",
            "Intensity 8 or more on 2 or more cramps within 14 days (our threshold).",
            "Severe cramps are a reason to look for an underlying cause.",
            "Book an appointment with your doctor.",
            (A, B, C),
        ),
        Rule(
            "sleep",
            SOON,
            "Cramps are breaking your sleep",
            "Woken by cramps on 3 or more nights in the last 7 nights (our threshold).",
            "Cramps that wake you night after night affect your health and deserve attention.",
            "Book an appointment with your doctor.",
            (B, C),
        ),
        Rule(
            "medicine_link",
            NEXT_VISIT,
            "A medicine that can be linked with cramps",
            "A medicine in your list whose name matches a diuretic or a statin.",
            "Some medicines, such as diuretics and statins, can be linked with muscle cramps or with the loss of "
            "electrolytes.",
            "Keep taking your medicines as prescribed. Mention the cramps at your next visit so your clinician can "
            "review them.",
            (B,),
        ),
    )
}


def _recent(facts: ConsultFacts, days: int) -> list[CrampFact]:
    since = facts.now - timedelta(days=days)
    return [c for c in facts.cramps if since <= c.at <= facts.now]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _describe(cramp: CrampFact) -> str:
    return f"{cramp.at:%a %d %b %H:%M}"


def clot_signs(facts: ConsultFacts) -> Prompt | None:
    hits = [c for c in _recent(facts, RECENT_DAYS) if {"swelling", "redness"} & set(c.signs)]
    if hits:
        rule = RULES["clot_signs"]
        return Prompt(
            rule,
            URGENT,
            f"You logged swelling, redness or warmth with the cramp on {_describe(hits[0])}.",
            rule.action,
            tuple(hits),
        )
    return None


def long_cramp(facts: ConsultFacts) -> Prompt | None:
    hits = [
        c
        for c in _recent(facts, RECENT_DAYS)
        if c.duration_seconds is not None and c.duration_seconds > LONG_CRAMP_SECONDS
    ]
    if not hits:
        return None
    rule = RULES["long_cramp"]
    longest = max(hits, key=lambda c: c.duration_seconds or 0)
    detail = (
        f"The cramp on {_describe(longest)} lasted {round((longest.duration_seconds or 0) / 60)} minutes."
    )
    if any("nothing" in c.relief for c in hits):
        return Prompt(
            rule,
            URGENT,
            detail + " Nothing helped it.",
            "A long cramp that nothing eases should be seen today: contact a doctor or urgent care.",
            tuple(hits),
        )
    return Prompt(rule, SOON, detail, rule.action, tuple(hits))


def nerve_signs(facts: ConsultFacts) -> Prompt | None:
    hits = [c for c in _recent(facts, NERVE_DAYS) if {"numbness", "weakness"} & set(c.signs)]
    if hits:
        rule = RULES["nerve_signs"]
        return Prompt(
            rule,
            SOON,
            f"You logged numbness, tingling or weakness {len(hits)} time"
            f"{'s' if len(hits) != 1 else ''} in the last 4 weeks.",
            rule.action,
            tuple(hits),
        )
    return None


def persistent(facts: ConsultFacts) -> Prompt | None:
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
            rule = RULES["persistent"]
            detail = (
                f"Cramps on {len(days_by_week[earlier])} days in the week of {earlier:%d %b} and on "
                f"{len(days_by_week[later])} days in the week of {later:%d %b}."
            )
            return Prompt(
                rule, SOON, detail, rule.action, tuple(cramps_by_week[earlier] + cramps_by_week[later])
            )
    return None


def worsening(facts: ConsultFacts) -> Prompt | None:
    window = timedelta(days=WORSENING_WINDOW_DAYS)
    previous_start = facts.now - 2 * window
    if facts.diary_start is None or facts.diary_start > previous_start.date():
        return None  # without a diary for the earlier 4 weeks there is nothing to compare with
    recent = [c for c in facts.cramps if facts.now - window < c.at <= facts.now]
    before = [c for c in facts.cramps if previous_start < c.at <= facts.now - window]
    if len(recent) >= len(before) + WORSENING_MIN_EXTRA and len(recent) >= WORSENING_RATIO * len(before):
        rule = RULES["worsening"]
        return Prompt(
            rule,
            NEXT_VISIT,
            f"{len(recent)} cramps in the last 4 weeks against {len(before)} in the 4 weeks before.",
            rule.action,
            tuple(recent),
        )
    return None


def severe(facts: ConsultFacts) -> Prompt | None:
    hits = [
        c for c in _recent(facts, RECENT_DAYS) if c.intensity is not None and c.intensity >= SEVERE_INTENSITY
    ]
    if len(hits) >= SEVERE_COUNT:
        rule = RULES["severe"]
        return Prompt(
            rule,
            SOON,
            f"{len(hits)} cramps of intensity {SEVERE_INTENSITY} or more in the last 14 days.",
            rule.action,
            tuple(hits),
        )
    return None


def sleep(facts: ConsultFacts) -> Prompt | None:
    # The 7 most recent nights that have begun; a night begins at local noon and is named by its evening's date.
    current = facts.now.date() if facts.now.hour >= 12 else facts.now.date() - timedelta(days=1)
    first = current - timedelta(days=6)
    hits = [c for c in facts.cramps if c.woke and first <= c.night <= current]
    nights = {c.night for c in hits}
    if len(nights) >= WOKEN_NIGHTS:
        rule = RULES["sleep"]
        return Prompt(
            rule, SOON, f"Cramps woke you on {len(nights)} of the last 7 nights.", rule.action, tuple(hits)
        )
    return None


def linked_medicine_kind(name: str) -> str | None:
    lowered = name.lower()
    for kind, names in CRAMP_LINKED_MEDICINES.items():
        if any(n in lowered for n in names):
            return kind
    return None


def medicine_link(facts: ConsultFacts) -> Prompt | None:
    hits = [m for m in facts.medicines if m.current and linked_medicine_kind(m.name)]
    if hits:
        rule = RULES["medicine_link"]
        named = ", ".join(f"{m.name} ({linked_medicine_kind(m.name)})" for m in hits)
        return Prompt(rule, NEXT_VISIT, f"In your list: {named}.", rule.action, tuple(hits))
    return None


CHECKS = (clot_signs, long_cramp, nerve_signs, persistent, worsening, severe, sleep, medicine_link)


def evaluate(facts: ConsultFacts) -> list[Prompt]:
    """Every prompt the diary raises, most pressing first."""
    prompts = [prompt for check in CHECKS if (prompt := check(facts)) is not None]
    return sorted(prompts, key=lambda p: LEVEL_ORDER[p.level])
