"""Food-first tips from plain diary facts: each with a reason from the diary and a source, never a dose."""

import re
from datetime import date

import pytest

from knowledge.tips import ExerciseFact, TipFacts, tips_for

DOSE = re.compile(r"\d+(\.\d+)?\s*(mg|mcg|µg|ug|IU)\b", re.IGNORECASE)
DAY = date(2026, 11, 20)


def ids(facts: TipFacts) -> list[str]:
    return [tip.id for tip in tips_for(facts)]


def test_it_gives_starter_tips_to_an_empty_diary():
    assert ids(TipFacts()) == ["start-log", "start-food", "start-fluids", "start-stretch"]


def test_it_links_sweaty_sessions_to_electrolytes_with_the_count():
    facts = TipFacts(
        has_entries=True,
        exercises=(
            ExerciseFact(DAY, 60, "vigorous", True),
            ExerciseFact(DAY, 45, "vigorous", True),
            ExerciseFact(DAY, 30, "moderate", True),
            ExerciseFact(DAY, 30, "light", False),
        ),
    )
    tip = next(t for t in tips_for(facts) if t.id == "electrolytes")
    assert tip.reason == "3 vigorous or sweaty sessions, 3 with heavy sweating in the last 7 days."
    assert "coconut water" in tip.advice and "potassium" in tip.advice


def test_it_counts_days_under_the_fluid_target():
    facts = TipFacts(
        has_entries=True,
        fluid_target_ml=2000,
        fluid_by_day={DAY: 1999, date(2026, 11, 19): 2000, date(2026, 11, 18): 500},
    )
    tip = next(t for t in tips_for(facts) if t.id == "hydration")
    assert tip.reason.startswith("On 2 of the 3 days you logged drinks") and "2000 ml" in tip.reason
    assert "hydration" not in ids(TipFacts(has_entries=True, fluid_by_day={DAY: 2500}))


@pytest.mark.parametrize(
    "meals, eaten, gaps",
    [
        (2, set(), []),
        (3, set(), ["gap-magnesium", "gap-potassium", "gap-calcium", "gap-vitamin_d"]),
        (5, {"magnesium", "potassium", "calcium"}, ["gap-vitamin_d"]),
        (5, {"magnesium", "potassium", "calcium", "vitamin_d"}, []),
    ],
)
def test_it_suggests_foods_for_key_nutrients_missing_from_a_week_of_meals(meals, eaten, gaps):
    facts = TipFacts(
        has_entries=True, meals=meals, nutrients_eaten=frozenset(eaten), fluid_by_day={DAY: 3000}
    )
    assert [i for i in ids(facts) if i.startswith("gap-")] == gaps


def test_it_names_foods_for_a_missing_nutrient():
    facts = TipFacts(
        has_entries=True, meals=4, nutrients_eaten=frozenset({"potassium", "calcium", "vitamin_d"})
    )
    tip = next(t for t in tips_for(facts) if t.id == "gap-magnesium")
    assert "spinach" in tip.advice and tip.reason.startswith("None of the foods in your 4 meals")


@pytest.mark.parametrize(
    "hours, woken, expected",
    [((2,), 0, True), ((22,), 0, True), ((14,), 0, False), ((14,), 1, True), ((7, 20), 0, False)],
)
def test_it_suggests_bedtime_stretching_magnesium_and_asking_about_k2_for_night_cramps(
    hours, woken, expected
):
    facts = TipFacts(has_entries=True, cramp_hours=hours, woken=woken)
    found = {"stretch-bedtime", "magnesium-night", "k2-ask"} <= set(ids(facts))
    assert found is expected


def test_it_leaves_k2_to_a_clinician():
    tip = next(t for t in tips_for(TipFacts(has_entries=True, cramp_hours=(3,))) if t.id == "k2-ask")
    assert "clinician" in tip.advice and "not something to start on your own" in tip.advice


SCENARIOS = [
    TipFacts(),
    TipFacts(has_entries=True),
    TipFacts(
        has_entries=True,
        meals=9,
        cramp_hours=(1, 2, 3),
        woken=3,
        fluid_by_day={DAY: 100},
        exercises=(ExerciseFact(DAY, 90, "vigorous", True),),
    ),
]


@pytest.mark.parametrize("facts", SCENARIOS)
def test_no_tip_names_a_dose_and_every_tip_has_a_reason_and_source(facts):
    for tip in tips_for(facts):
        assert not DOSE.search(f"{tip.title} {tip.advice} {tip.reason}")
        assert tip.reason and tip.sources
