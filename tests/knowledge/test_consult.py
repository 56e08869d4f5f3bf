"""The see-a-clinician rules, each at its boundaries, with plain facts and no database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.consult import NEXT_VISIT, SOON, URGENT, ConsultFacts, CrampFact, MedicineFact, evaluate

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


def raised(*cramps, medicines=(), diary_start=None) -> dict[str, str]:
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


def spread(count: int, first_day: float, last_day: float) -> list[CrampFact]:
    step = (last_day - first_day) / max(count, 1)
    return [cramp(days_ago=first_day + i * step, ref=i) for i in range(count)]


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
    ],
)
def test_worsening(before, recent, expected):
    cramps = spread(before, 29, 55) + spread(recent, 0.5, 27)
    assert raised(*cramps, diary_start=date(2026, 9, 1)).get("worsening") == expected


def test_worsening_needs_a_diary_for_the_weeks_before():
    assert "worsening" not in raised(*spread(5, 0.5, 20), diary_start=date(2026, 11, 1))


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
    assert "Atorvastatin (a statin)" in prompt.detail


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
