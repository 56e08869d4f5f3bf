"""See-a-clinician rules, as data, evaluated on plain facts (no database, no tracker import).

Each rule has an id, a level, a plain-language condition (`when`), a reason, what to do, its sources, and how long
its evidence counts (`clears_after_days`, with the reason in `clears`): a prompt clears by itself once the entries
that raised it are that old. `evaluate` returns the prompts a diary raises, each naming the entries that raised it.
Numbers marked `ours` are our own, chosen to be careful; the reasons come from the documents.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C

URGENT, SOON, NEXT_VISIT = "urgent", "soon", "next_visit"
LEVEL_LABELS = {URGENT: "Urgent: today", SOON: "Book an appointment", NEXT_VISIT: "At your next visit"}
# How soon the app told the person to act, as a clinician's copy of the summary says it.
LEVEL_ADVISED = {
    URGENT: "Advised to seek care the same day",
    SOON: "Advised to book an appointment",
    NEXT_VISIT: "Advised to raise at the next visit",
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
# causes of electrolyte loss; the list of names is ours.
CRAMP_LINKED_MEDICINES = {
    "a water tablet (diuretic)": (
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
    when: str  # the condition, in plain words: "You see this when ..."
    reason: str
    action: str
    sources: tuple[str, ...]
    clears_after_days: int | None  # its evidence stops counting once this old; None: it does not age
    clears: str  # how old, and why, in plain words
    ours: bool = False  # its numbers are ours, chosen to be careful, not the documents'
    urgent_action: str = ""  # a rule that turns urgent in some cases: what to do then
    later_action: str = ""  # an urgent prompt about an entry older than FRESH: what to do now


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
        return LEVEL_LABELS[self.level]

    @property
    def advised(self) -> str:
        return LEVEL_ADVISED[self.level]


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "clot_signs",
            URGENT,
            "Swelling, redness or warmth of one leg",
            f"A cramp in the last {RECENT_DAYS} days was logged with swelling, redness or warmth of one leg.",
            "A painful, swollen, red or warm leg can be a blood clot (deep vein thrombosis), which needs ruling out "
            "the same day.",
            "Contact a doctor or urgent care today. Call emergency services now if you are short of breath or have "
            "chest pain.",
            (C,),
            RECENT_DAYS,
            f"It goes away {RECENT_DAYS} days after that cramp: a clot needs checking within days, not weeks. If "
            "the leg is still swollen, red or warm after that, see a doctor.",
            later_action="If the leg is still swollen, red or warm, see a doctor today. Call emergency services now "
            "if you are short of breath or have chest pain.",
        ),
        Rule(
            "long_cramp",
            SOON,
            "A cramp that lasted more than 10 minutes",
            f"A cramp in the last {RECENT_DAYS} days lasted more than {LONG_CRAMP_SECONDS // 60} minutes. If "
            "nothing eased it, it is urgent.",
            "Most cramps pass within minutes; one that lasts much longer deserves a check.",
            "Book an appointment with your doctor.",
            (A, B),
            RECENT_DAYS,
            f"It goes away {RECENT_DAYS} days after that cramp: time enough to book an appointment. Another long "
            "cramp brings it back.",
            ours=True,
            urgent_action="A long cramp that nothing eases should be seen today: contact a doctor or urgent care.",
            later_action="If the leg still hurts, see a doctor today. If it has settled, book an appointment with "
            "your doctor.",
        ),
        Rule(
            "nerve_signs",
            SOON,
            "Numbness, tingling or muscle weakness",
            f"A cramp in the last {NERVE_DAYS // 7} weeks was logged with numbness, tingling or muscle weakness.",
            "Numbness, tingling and weakness can come from the nerves (for example neuropathy) and should be looked "
            "into, not only treated with diet.",
            "Book an appointment with your doctor.",
            (A, B, C),
            NERVE_DAYS,
            f"It goes away {NERVE_DAYS // 7} weeks after you last logged these signs: they can come and go, so "
            "they count for longer.",
        ),
        Rule(
            "persistent",
            SOON,
            "Cramps that keep coming back",
            f"You had cramps on {PERSISTENT_DAYS_PER_WEEK} or more days in each of 2 weeks in a row (weeks run "
            "Monday to Sunday).",
            "Persistent cramps are worth a check to find the cause.",
            "Book an appointment with your doctor and bring this diary's summary.",
            (A, B, C),
            PERSISTENT_CLEARS_DAYS,
            f"It goes away {PERSISTENT_CLEARS_DAYS} days after the last cramp of those 2 weeks: it is about cramps "
            "that keep coming now, not weeks ago.",
            ours=True,
        ),
        Rule(
            "worsening",
            NEXT_VISIT,
            "Cramps are becoming more frequent",
            f"The last {WORSENING_WEEKS} full weeks (Monday to Sunday) had at least {WORSENING_MIN_EXTRA} more "
            f"cramps than the {WORSENING_WEEKS} weeks before, and half as many again or more. If your diary began "
            "less than 8 weeks ago, it compares with the full weeks your diary has.",
            "Cramps that are getting worse should be mentioned to a clinician.",
            "Mention it at your next visit; show the trend in your summary.",
            (B,),
            WORSENING_CLEARS_DAYS,
            f"It goes away {WORSENING_CLEARS_DAYS // 7} weeks after the latest of those cramps: it is something "
            "for your next visit, which may be weeks away.",
            ours=True,
        ),
        Rule(
            "severe",
            SOON,
            "Severe cramps",
            f"{SEVERE_COUNT} or more cramps in the last {RECENT_DAYS} days were rated {SEVERE_INTENSITY} or more out "
            "of 10 for how bad they were.",
            "Severe cramps are a reason to look for an underlying cause.",
            "Book an appointment with your doctor.",
            (A, B, C),
            RECENT_DAYS,
            f"It goes away once fewer than {SEVERE_COUNT} of those cramps are within the last {RECENT_DAYS} days: "
            "then they are no longer a pattern.",
            ours=True,
        ),
        Rule(
            "sleep",
            SOON,
            "Cramps are breaking your sleep",
            f"Cramps woke you on {WOKEN_NIGHTS} or more of the last {SLEEP_NIGHTS} nights.",
            "Cramps that wake you night after night affect your health and deserve attention.",
            "Book an appointment with your doctor.",
            (B, C),
            SLEEP_NIGHTS,
            f"It counts only the last {SLEEP_NIGHTS} nights, so it goes away once fewer than {WOKEN_NIGHTS} of "
            "them were broken: it is about how you sleep now.",
            ours=True,
        ),
        Rule(
            "medicine_link",
            NEXT_VISIT,
            "A medicine that can be linked with cramps",
            "A medicine on your list is a water tablet (diuretic) or a statin, going by its name.",
            "Some medicines, such as diuretics and statins, can be linked with muscle cramps or with the loss of "
            "electrolytes.",
            "Keep taking your medicines as prescribed. Mention the cramps at your next visit so your clinician can "
            "review them.",
            (B,),
            None,
            "It does not go away with time while the medicine is on your list and not marked as stopped. Mark it "
            "read once you have mentioned it.",
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


def _day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def _describe(cramp: CrampFact) -> str:
    return f"{_day(cramp.at)} {cramp.at:%H:%M}"


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
    if _is_fresh(newest, facts.now):
        detail, action = (
            f"You logged swelling, redness or warmth with the cramp on {_describe(newest)}.",
            rule.action,
        )
    else:
        detail = f"You logged swelling, redness or warmth with the cramp on {_day(newest.at)}."
        action = rule.later_action
    finding = f"Patient reported swelling, redness or warmth of the leg with a cramp on {_describe(newest)}."
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
    finding = f"Patient reported a cramp lasting {minutes} minutes on {_describe(longest)}"
    if unrelieved:
        finding += ", not relieved by anything tried."
        if _is_fresh(longest, facts.now):
            detail = f"The cramp on {_describe(longest)} lasted {minutes} minutes. Nothing helped it."
            return Prompt(rule, URGENT, detail, rule.urgent_action, tuple(hits), finding)
        detail = f"The cramp on {_day(longest.at)} lasted {minutes} minutes. Nothing helped it."
        return Prompt(rule, URGENT, detail, rule.later_action, tuple(hits), finding)
    detail = f"The cramp on {_describe(longest)} lasted {minutes} minutes."
    return Prompt(rule, SOON, detail, rule.action, tuple(hits), finding + ".")


def nerve_signs(facts: ConsultFacts) -> Prompt | None:
    """Numbness, tingling or weakness logged with a cramp in the last 4 weeks."""
    rule = RULES["nerve_signs"]
    hits = [c for c in _recent(facts, rule.clears_after_days or 0) if {"numbness", "weakness"} & set(c.signs)]
    if not hits:
        return None
    times = "once" if len(hits) == 1 else f"{len(hits)} times"
    newest = max(hits, key=lambda c: c.at)
    return Prompt(
        rule,
        SOON,
        f"You logged numbness, tingling or weakness {times} in the last {NERVE_DAYS // 7} weeks.",
        rule.action,
        tuple(hits),
        f"Patient reported numbness, tingling or weakness with cramps {times} in the {NERVE_DAYS // 7} weeks "
        f"to {_day(facts.now)} (latest {_day(newest.at)}).",
    )


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
            detail = (
                f"Cramps on {len(days_by_week[earlier])} days in the week of {earlier.day} {earlier:%b} and on "
                f"{len(days_by_week[later])} days in the week of {later.day} {later:%b}."
            )
            return Prompt(rule, SOON, detail, rule.action, tuple(evidence), f"Patient reported c{detail[1:]}")
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
    detail = (
        f"{len(recent)} cramps in the {WORSENING_WEEKS} weeks to Sunday {last_sunday.day} {last_sunday:%b}, "
        f"against {len(before)} in the {base_weeks} weeks before."
    )
    return Prompt(rule, NEXT_VISIT, detail, rule.action, tuple(recent), f"Patient reported {detail}")


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
    return Prompt(
        rule,
        SOON,
        f"{len(hits)} cramps rated {SEVERE_INTENSITY} or more out of 10 in the last {RECENT_DAYS} days.",
        rule.action,
        tuple(hits),
        f"Patient rated {len(hits)} cramps {SEVERE_INTENSITY} or more out of 10 in the {RECENT_DAYS} days to "
        f"{_day(facts.now)}.",
    )


def sleep(facts: ConsultFacts) -> Prompt | None:
    """Woken by cramps on 3 or more of the 7 most recent nights that have begun."""
    rule = RULES["sleep"]
    current = _night_now(facts.now)
    first = current - timedelta(days=(rule.clears_after_days or 0) - 1)
    hits = [c for c in facts.cramps if c.woke and first <= c.night <= current and c.at <= facts.now]
    nights = {c.night for c in hits}
    if len(nights) < WOKEN_NIGHTS:
        return None
    return Prompt(
        rule,
        SOON,
        f"Cramps woke you on {len(nights)} of the last {SLEEP_NIGHTS} nights.",
        rule.action,
        tuple(hits),
        f"Patient reported waking with cramps on {len(nights)} of the {SLEEP_NIGHTS} nights to {_day(facts.now)}.",
    )


def linked_medicine_kind(name: str) -> str | None:
    """What kind of cramp-linked medicine a name as typed is ("a statin"), or None."""
    lowered = name.lower()
    for kind, names in CRAMP_LINKED_MEDICINES.items():
        if any(n in lowered for n in names):
            return kind
    return None


def medicine_link(facts: ConsultFacts) -> Prompt | None:
    """A current medicine whose name is that of a water tablet (diuretic) or a statin."""
    hits = [m for m in facts.medicines if m.current and linked_medicine_kind(m.name)]
    if not hits:
        return None
    rule = RULES["medicine_link"]
    named = "; ".join(f"{m.name}, {linked_medicine_kind(m.name)}" for m in hits)
    return Prompt(
        rule, NEXT_VISIT, f"On your list: {named}.", rule.action, tuple(hits), f"Patient lists {named}."
    )


CHECKS = (clot_signs, long_cramp, nerve_signs, persistent, worsening, severe, sleep, medicine_link)


def evaluate(facts: ConsultFacts) -> list[Prompt]:
    """Every prompt the diary raises, most pressing first."""
    prompts = [prompt for check in CHECKS if (prompt := check(facts)) is not None]
    return sorted(prompts, key=lambda p: LEVEL_ORDER[p.level])
