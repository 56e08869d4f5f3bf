"""The see-a-clinician rules, each at its boundaries, with plain facts and no database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.consult import (
    LEVEL_LABELS,
    NEXT_VISIT,
    RULES,
    SOON,
    URGENT,
    ConsultFacts,
    CrampFact,
    MedicineFact,
    evaluate,
)

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=LA)  # a Friday morning


def cramp(
    days_ago: float = 1,
    minutes: float = 2,
    intensity: int = 5,
    woke: bool = False,
    relief=(),
    signs=(),
    ref: int = 1,
    night: date | None = None,
) -> CrampFact:
    at = NOW - timedelta(days=days_ago)
    return CrampFact(
        ref=ref,
        at=at,
        night=night or (at - timedelta(hours=12)).date(),
        duration_seconds=round(minutes * 60),
        intensity=intensity,
        woke=woke,
        relief=tuple(relief),
        signs=tuple(signs),
        created_at=at,
    )


def raised(*cramps: CrampFact, medicines=(), diary_start=None) -> dict[str, str]:
    facts = ConsultFacts(now=NOW, cramps=tuple(cramps), medicines=tuple(medicines), diary_start=diary_start)
    return {prompt.rule.id: prompt.level for prompt in evaluate(facts)}


@pytest.mark.parametrize(
    "signs, days_ago, expected",
    [
        (["swelling"], 1, URGENT),
        (["redness"], 13, URGENT),
        (["swelling", "numbness"], 2, URGENT),
        (["swelling"], 15, None),
        (["numbness"], 1, None),
        ([], 1, None),
    ],
)
def test_clot_signs(signs, days_ago, expected):
    assert raised(cramp(days_ago=days_ago, signs=signs)).get("clot_signs") == expected


@pytest.mark.parametrize(
    "minutes, relief, expected",
    [
        (9, (), None),
        (10, (), None),
        (10.02, (), SOON),
        (11, (), SOON),
        (11, ("stretching",), SOON),
        (11, ("nothing",), URGENT),
        (10, ("nothing",), None),
    ],
)
def test_long_cramp(minutes, relief, expected):
    assert raised(cramp(minutes=minutes, relief=relief)).get("long_cramp") == expected


def test_long_cramp_says_why_with_urgent_wording_when_nothing_helped():
    facts = ConsultFacts(now=NOW, cramps=(cramp(minutes=11, relief=("nothing",)),))
    prompt = evaluate(facts)[0]
    assert "lasted 11 minutes" in prompt.detail and "Nothing helped" in prompt.detail
    assert "today" in prompt.action


@pytest.mark.parametrize(
    "signs, days_ago, expected",
    [
        (["numbness"], 1, SOON),
        (["weakness"], 27, SOON),
        (["numbness"], 29, None),
        (["redness"], 1, None),
    ],
)
def test_nerve_signs(signs, days_ago, expected):
    assert raised(cramp(days_ago=days_ago, signs=signs)).get("nerve_signs") == expected


def week_of_days(monday: date, count: int) -> list[CrampFact]:
    """Cramps on `count` different nights of the week starting `monday`, at 23:00 local."""
    return [
        cramp(
            days_ago=(
                NOW
                - datetime.combine(monday + timedelta(days=i), datetime.min.time(), LA)
                - timedelta(hours=23)
            ).total_seconds()
            / 86400,
            night=monday + timedelta(days=i),
            ref=i,
        )
        for i in range(count)
    ]


LAST_WEEK = date(2026, 11, 9)
THIS_WEEK = date(2026, 11, 16)


@pytest.mark.parametrize(
    "earlier, later, expected",
    [
        (3, 3, SOON),
        (2, 3, None),
        (3, 2, None),
        (2, 2, None),
        (4, 3, SOON),
    ],
)
def test_persistent_needs_3_days_in_each_of_2_consecutive_weeks(earlier, later, expected):
    cramps = week_of_days(LAST_WEEK, earlier) + week_of_days(THIS_WEEK, later)
    assert raised(*cramps).get("persistent") == expected


def test_persistent_ignores_weeks_that_are_not_consecutive():
    cramps = week_of_days(date(2026, 11, 2), 3) + week_of_days(THIS_WEEK, 3)
    assert "persistent" not in raised(*cramps)


def test_persistent_counts_nights_not_cramps():
    same_night = [cramp(days_ago=3, night=THIS_WEEK, ref=i) for i in range(5)]
    assert "persistent" not in raised(*(week_of_days(LAST_WEEK, 3) + same_night))


def test_persistent_files_a_night_by_its_week_monday_to_sunday():
    # Sunday night 15 Nov belongs to last week; with 2 more nights last week that makes 3.
    sunday = cramp(night=date(2026, 11, 15), ref=99)
    assert (
        raised(*(week_of_days(LAST_WEEK, 2) + [sunday] + week_of_days(THIS_WEEK, 3))).get("persistent")
        == SOON
    )
    monday = cramp(night=date(2026, 11, 16), ref=99)
    assert "persistent" not in raised(*(week_of_days(LAST_WEEK, 2) + [monday] + week_of_days(THIS_WEEK, 2)))


def at_night(night: date, ref: int = 1, hour: int = 23, **fields) -> CrampFact:
    """A cramp on a given night, at `hour` local (an hour before noon falls on the next day, as nights do)."""
    day = night if hour >= 12 else night + timedelta(days=1)
    at = datetime.combine(day, datetime.min.time(), LA).replace(hour=hour)
    return CrampFact(ref=ref, at=at, night=night, duration_seconds=120, intensity=5, created_at=at, **fields)


def in_weeks(count: int, first_monday: date, weeks: int, ref: int = 0) -> list[CrampFact]:
    """`count` cramps spread evenly over the nights of `weeks` whole weeks from `first_monday`."""
    return [
        at_night(first_monday + timedelta(days=(i * 7 * weeks) // count), ref=ref + i) for i in range(count)
    ]


# NOW is Friday 20 Nov: the current week (from Monday 16 Nov) is not whole, so the last 4 whole weeks are the nights
# of 19 Oct to 15 Nov, and the 4 before them 21 Sep to 18 Oct: the 8-week window begins on Monday 21 Sep.
RECENT_WEEKS = date(2026, 10, 19)
WINDOW = date(2026, 9, 21)


def worsening_of(*cramps, diary_start=WINDOW - timedelta(days=30)):
    facts = ConsultFacts(now=NOW, cramps=tuple(cramps), diary_start=diary_start)
    return next((p for p in evaluate(facts) if p.rule.id == "worsening"), None)


@pytest.mark.parametrize(
    "before, recent, expected",
    [
        (4, 6, None),
        (4, 7, NEXT_VISIT),
        (6, 8, None),
        (6, 9, NEXT_VISIT),
        (0, 2, None),
        (0, 3, NEXT_VISIT),
        (10, 12, None),
        (10, 15, NEXT_VISIT),
        (10, 14, None),  # 4 more, but not half as many again
    ],
)
def test_worsening(before, recent, expected):
    cramps = in_weeks(before, WINDOW, 4) + in_weeks(recent, RECENT_WEEKS, 4, ref=100)
    prompt = worsening_of(*cramps)
    assert (prompt and prompt.level) == expected
    if prompt:
        assert (
            prompt.detail
            == f"{recent} cramps in the 4 weeks to Sunday 15 Nov, against {before} in the 4 weeks before."
        )


@pytest.mark.parametrize(
    "diary_start, before, recent, expected, weeks_before",
    [
        # Outside the window, and exactly at its first Monday: the 4 whole weeks before.
        (date(2026, 9, 20), 4, 7, NEXT_VISIT, 4),
        (date(2026, 9, 20), 4, 6, None, None),
        (WINDOW, 4, 7, NEXT_VISIT, 4),
        (WINDOW, 4, 6, None, None),
        # One day inside: the week it began in is not whole, so the 3 whole weeks after it, at the pace of 4
        # (3 cramps in 3 weeks is 4 in 4: 7 is 3 more and half as many again, 6 is not).
        (date(2026, 9, 22), 3, 7, NEXT_VISIT, 3),
        (date(2026, 9, 22), 3, 6, None, None),
        (date(2026, 9, 27), 3, 7, NEXT_VISIT, 3),  # the Sunday: still 3 whole weeks
        # Two whole weeks are the least it compares with; one is too few.
        (date(2026, 10, 5), 2, 7, NEXT_VISIT, 2),
        (date(2026, 10, 6), 0, 7, None, None),
        # A diary that began within the last 4 weeks has nothing to compare with.
        (date(2026, 10, 20), 0, 7, None, None),
        (None, 0, 7, None, None),
    ],
)
def test_the_worsening_guard_compares_the_whole_weeks_a_diary_has(
    diary_start, before, recent, expected, weeks_before
):
    base = diary_start if diary_start and diary_start > WINDOW else WINDOW
    first_whole = base + timedelta(days=(7 - base.weekday()) % 7)
    weeks = (RECENT_WEEKS - first_whole).days // 7
    cramps = in_weeks(before, first_whole, max(weeks, 1)) + in_weeks(recent, RECENT_WEEKS, 4, ref=100)
    prompt = worsening_of(*cramps, diary_start=diary_start)
    assert (prompt and prompt.level) == expected
    if prompt:
        assert prompt.detail.endswith(f"against {before} in the {weeks_before} weeks before.")


def test_worsening_leaves_out_the_part_week_a_diary_began_in():
    # The diary's first cramp, on Tuesday 22 Sep, falls in a week it did not log whole: it is not compared.
    first = at_night(date(2026, 9, 22), ref=50)
    cramps = [first] + in_weeks(3, date(2026, 9, 28), 3) + in_weeks(7, RECENT_WEEKS, 4, ref=100)
    prompt = worsening_of(*cramps, diary_start=date(2026, 9, 22))
    assert prompt is not None and prompt.detail.endswith("against 3 in the 3 weeks before.")
    assert first not in prompt.evidence


def test_worsening_counts_whole_weeks_by_night():
    # Three cramps in the last 4 whole weeks, none before: the cramp of Sunday night (even at 01:00 on Monday)
    # belongs to the week to 15 Nov; this week's cramps wait until the week is whole.
    sunday_night = at_night(date(2026, 11, 15), ref=1, hour=1)
    assert sunday_night.at.date() == date(2026, 11, 16)
    two = [at_night(date(2026, 10, 26), ref=2), at_night(date(2026, 11, 2), ref=3)]
    assert worsening_of(*two, sunday_night) is not None
    this_week = at_night(date(2026, 11, 16), ref=1)
    assert worsening_of(*two, this_week) is None
    before_window = at_night(
        WINDOW - timedelta(days=1), ref=9
    )  # outside the 8 weeks: not in the weeks before
    assert worsening_of(*two, sunday_night, before_window) is not None


def test_worsening_needs_a_diary_for_the_weeks_before():
    assert worsening_of(*in_weeks(5, RECENT_WEEKS, 4), diary_start=date(2026, 11, 1)) is None


@pytest.mark.parametrize(
    "intensities, days_ago, expected",
    [
        ((8,), 1, None),
        ((8, 8), 1, SOON),
        ((7, 9), 1, None),
        ((10, 8), 13, SOON),
        ((8, 8), 15, None),
    ],
)
def test_severe(intensities, days_ago, expected):
    cramps = [cramp(days_ago=days_ago, intensity=n, ref=i) for i, n in enumerate(intensities)]
    assert raised(*cramps).get("severe") == expected


@pytest.mark.parametrize("nights, expected", [(2, None), (3, SOON), (5, SOON)])
def test_sleep_counts_woken_nights_in_the_last_7(nights, expected):
    cramps = [cramp(days_ago=i + 0.5, woke=True, ref=i) for i in range(nights)]
    assert raised(*cramps).get("sleep") == expected


def test_sleep_counts_a_night_once_and_ignores_nights_before_the_last_7():
    same = [cramp(days_ago=1, woke=True, ref=i) for i in range(4)]
    assert "sleep" not in raised(*same)
    old = [cramp(days_ago=d, woke=True, ref=d) for d in (1, 2, 9)]
    assert "sleep" not in raised(*old)
    not_woken = [cramp(days_ago=d, woke=False, ref=d) for d in (1, 2, 3)]
    assert "sleep" not in raised(*not_woken)


@pytest.mark.parametrize(
    "name, current, expected",
    [
        ("Atorvastatin 20 mg", True, NEXT_VISIT),
        ("FUROSEMIDE", True, NEXT_VISIT),
        ("my water tablet", True, NEXT_VISIT),
        ("Simvastatin", False, None),
        ("Paracetamol", True, None),
        ("Magnesium citrate", True, None),
    ],
)
def test_medicine_link(name, current, expected):
    assert (
        raised(medicines=[MedicineFact(ref=1, name=name, current=current)]).get("medicine_link") == expected
    )


def test_medicine_link_never_says_stop_taking_it():
    prompt = evaluate(ConsultFacts(now=NOW, medicines=(MedicineFact(ref=1, name="Atorvastatin"),)))[0]
    assert "Keep taking" in prompt.action and "stop taking" not in prompt.action.lower()
    assert prompt.detail == "On your list: Atorvastatin, a statin."


def test_medicine_link_names_each_medicine_in_plain_words_without_nested_brackets():
    medicines = (MedicineFact(ref=1, name="Furosemide"), MedicineFact(ref=2, name="Atorvastatin"))
    prompt = evaluate(ConsultFacts(now=NOW, medicines=medicines))[0]
    assert prompt.detail == "On your list: Furosemide, a water tablet (diuretic); Atorvastatin, a statin."
    assert "((" not in prompt.detail and "))" not in prompt.detail


def test_it_names_the_entries_that_raised_a_prompt_and_puts_urgent_first():
    cramps = [
        cramp(ref=7, signs=("swelling",)),
        cramp(ref=8, intensity=9),
        cramp(ref=9, intensity=8, days_ago=3),
    ]
    prompts = evaluate(ConsultFacts(now=NOW, cramps=tuple(cramps)))
    assert [p.rule.id for p in prompts] == ["clot_signs", "severe"]
    assert [e.ref for e in prompts[0].evidence] == [7]
    assert {e.ref for e in prompts[1].evidence} == {8, 9}


def unrecorded(days_ago: float = 1, **fields) -> CrampFact:
    """A cramp saved in two taps: no length, no intensity."""
    base = cramp(days_ago=days_ago, **fields)
    return CrampFact(**{**base.__dict__, "duration_seconds": None, "intensity": None})


@pytest.mark.parametrize(
    "cramps, rule, expected",
    [
        # Nothing recorded never counts as long or as severe, at any boundary.
        ((unrecorded(), unrecorded(ref=2)), "severe", None),
        ((unrecorded(relief=("nothing",)),), "long_cramp", None),
        # One severe recorded and one not: still only one severe, below the rule's two.
        ((cramp(intensity=8), unrecorded(ref=2)), "severe", None),
        ((cramp(intensity=8), cramp(intensity=8, ref=2), unrecorded(ref=3)), "severe", SOON),
        ((cramp(minutes=11), unrecorded(ref=2)), "long_cramp", SOON),
        # Warning signs and waking count whatever else was left out.
        ((unrecorded(signs=("swelling",)),), "clot_signs", URGENT),
        (
            (
                unrecorded(woke=True),
                unrecorded(days_ago=2, woke=True, ref=2),
                unrecorded(days_ago=3, woke=True, ref=3),
            ),
            "sleep",
            SOON,
        ),
    ],
)
def test_rules_never_read_an_unrecorded_value(cramps, rule, expected):
    assert raised(*cramps).get(rule) == expected


def test_the_urgency_labels_are_plain_words():
    assert LEVEL_LABELS == {
        URGENT: "Urgent: today",
        SOON: "Book an appointment",
        NEXT_VISIT: "At your next visit",
    }


JUST = timedelta(minutes=1)


def busy_weeks_ending(last_at: datetime) -> list[CrampFact]:
    """Cramps on 3 nights in each of 2 weeks in a row, the last of them at `last_at` (a Friday morning)."""
    last_night = (last_at - timedelta(hours=12)).date()  # a Thursday
    monday = last_night - timedelta(days=last_night.weekday())
    earlier = [at_night(monday - timedelta(days=3 - i), ref=10 + i) for i in range(3)]  # Friday to Sunday
    later = [at_night(monday + timedelta(days=i), ref=20 + i) for i in range(2)]
    last = CrampFact(
        ref=30, at=last_at, night=last_night, duration_seconds=60, intensity=5, created_at=last_at
    )
    return earlier + later + [last]


def aged(days: float, **fields) -> CrampFact:
    """A cramp exactly `days` old (fractions of a day allowed), with the given fields."""
    return cramp(days_ago=days, **fields)


DAYS_14 = 14
SLEEP_CURRENT = date(2026, 11, 19)  # the night that has most recently begun at NOW (Friday 09:00)

RECENCY = [
    # rule, cramps at the last moment they still count, the same just too old
    (
        "clot_signs",
        [aged(14, signs=("swelling",))],
        [aged(14 + 1 / 1440, signs=("swelling",))],
    ),
    ("long_cramp", [aged(14, minutes=11)], [aged(14 + 1 / 1440, minutes=11)]),
    ("nerve_signs", [aged(28, signs=("numbness",))], [aged(28 + 1 / 1440, signs=("numbness",))]),
    (
        "severe",
        [aged(3, intensity=9, ref=1), aged(14, intensity=8, ref=2)],
        [aged(3, intensity=9, ref=1), aged(14 + 1 / 1440, intensity=8, ref=2)],
    ),
    (
        "sleep",  # the last 7 nights: Friday 13 to Thursday 19 Nov
        [at_night(SLEEP_CURRENT - timedelta(days=d), ref=d, woke=True) for d in (0, 1, 6)],
        [at_night(SLEEP_CURRENT - timedelta(days=d), ref=d, woke=True) for d in (0, 1, 7)],
    ),
    # 2 busy weeks in a row: shown until their last cramp is 14 days old.
    (
        "persistent",
        busy_weeks_ending(NOW - timedelta(days=14)),
        busy_weeks_ending(NOW - timedelta(days=14) - JUST),
    ),
    # 3 cramps in the oldest of the last 4 whole weeks, none before: shown until the latest is 28 days old.
    (
        "worsening",
        [at_night(date(2026, 10, 19), ref=1), at_night(date(2026, 10, 20), ref=2), aged(28, ref=3)],
        [
            at_night(date(2026, 10, 19), ref=1),
            at_night(date(2026, 10, 20), ref=2),
            aged(28 + 1 / 1440, ref=3),
        ],
    ),
]


@pytest.mark.parametrize("rule, fresh, old", RECENCY, ids=[case[0] for case in RECENCY])
def test_each_prompt_clears_by_itself_once_its_evidence_is_older_than_the_rules_recency(rule, fresh, old):
    assert raised(*fresh, diary_start=date(2026, 8, 1)).get(rule) == RULES[rule].level
    assert rule not in raised(*old, diary_start=date(2026, 8, 1))


def test_every_rule_says_how_long_its_prompt_lasts_and_why():
    for rule in RULES.values():
        assert rule.clears and rule.clears.startswith("It "), rule.id
    ages = {rule.id: rule.clears_after_days for rule in RULES.values()}
    assert ages == {
        "clot_signs": 14,
        "long_cramp": 14,
        "nerve_signs": 28,
        "persistent": 14,
        "worsening": 28,
        "severe": 14,
        "sleep": 7,
        "medicine_link": None,
    }
    assert RULES["persistent"].clears.startswith("It goes away 14 days after the last cramp")


def test_cramps_that_kept_coming_back_do_not_show_7_weeks_after_the_last_cramp():
    last = NOW - timedelta(weeks=7)
    cramps = busy_weeks_ending(last)
    assert all(c.at >= NOW - timedelta(days=56) for c in cramps)  # all still inside the 8 weeks looked at
    assert "persistent" not in raised(*cramps)
    # The same weeks, seen from 2 weeks after their last cramp, do show: only age clears them.
    facts = ConsultFacts(now=last + timedelta(days=14), cramps=tuple(cramps))
    assert "persistent" in {p.rule.id for p in evaluate(facts)}


def test_a_medicine_prompt_does_not_age_while_the_medicine_is_current():
    old = MedicineFact(ref=1, name="Bendroflumethiazide", created_at=NOW - timedelta(days=400))
    assert raised(medicines=[old]).get("medicine_link") == NEXT_VISIT


def prompt_for(rule: str, *cramps: CrampFact):
    return next(p for p in evaluate(ConsultFacts(now=NOW, cramps=tuple(cramps))) if p.rule.id == rule)


@pytest.mark.parametrize(
    "days_ago, detail, action_starts",
    [
        (
            0.25,
            "You logged swelling, redness or warmth with the cramp on Fri 20 Nov 03:00.",
            "Contact a doctor",
        ),
        (2, "You logged swelling, redness or warmth with the cramp on Wed 18 Nov 09:00.", "Contact a doctor"),
        (
            2 + 1 / 1440,
            "You logged swelling, redness or warmth with the cramp on Wed 18 Nov.",
            "If the leg is still",
        ),
        (11, "You logged swelling, redness or warmth with the cramp on Mon 9 Nov.", "If the leg is still"),
    ],
)
def test_an_urgent_prompt_about_an_entry_older_than_2_days_is_worded_for_then(
    days_ago, detail, action_starts
):
    prompt = prompt_for("clot_signs", cramp(days_ago=days_ago, signs=("redness",)))
    assert prompt.level == URGENT and prompt.level_label == "Urgent: today"
    assert prompt.detail == detail and prompt.action.startswith(action_starts)
    if days_ago > 2:
        assert prompt.action.startswith("If the leg is still swollen, red or warm, see a doctor today.")
        assert "urgent care" not in prompt.action
    assert "Call emergency services now if you are short of breath" in prompt.action


def test_it_speaks_of_the_newest_entry_with_the_signs():
    prompt = prompt_for(
        "clot_signs",
        cramp(days_ago=11, signs=("swelling",), ref=1),
        cramp(days_ago=1, signs=("redness",), ref=2),
    )
    assert "Thu 19 Nov 09:00" in prompt.detail and prompt.action.startswith(
        "Contact a doctor or urgent care today"
    )


@pytest.mark.parametrize(
    "days_ago, detail, action",
    [
        (
            1,
            "The cramp on Thu 19 Nov 09:00 lasted 25 minutes. Nothing helped it.",
            "A long cramp that nothing eases should be seen today: contact a doctor or urgent care.",
        ),
        (
            11,
            "The cramp on Mon 9 Nov lasted 25 minutes. Nothing helped it.",
            "If the leg still hurts, see a doctor today. If it has settled, book an appointment with your doctor.",
        ),
    ],
)
def test_a_long_cramp_nothing_eased_is_worded_for_then_once_older_than_2_days(days_ago, detail, action):
    prompt = prompt_for("long_cramp", cramp(days_ago=days_ago, minutes=25, relief=("nothing",)))
    assert (prompt.level, prompt.detail, prompt.action) == (URGENT, detail, action)


def person_sees(rule) -> list[str]:
    return [
        rule.title,
        rule.when,
        rule.reason,
        rule.action,
        rule.clears,
        rule.urgent_action,
        rule.later_action,
    ]


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_what_a_person_sees_of_a_rule_is_in_plain_words(rule):
    for text in person_sees(rule):
        lowered = text.lower()
        assert "threshold" not in lowered and "rule:" not in lowered and "matches" not in lowered, text
        assert "((" not in text and "))" not in text, text
        assert ".txt" not in text, text
