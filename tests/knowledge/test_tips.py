"""Food-first tips from plain diary facts: each with a reason from the diary and a source, never a dose."""

import re
from datetime import date

import pytest

from knowledge.tips import ExerciseFact, TipFacts, format_volume, tips_for

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
    assert (
        tip.reason
        == "On 2 of the 3 days you logged drinks in the last 7 days, you stayed under your 2000 ml target."
    )
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
    found = {"stretch-bedtime", "magnesium-night"} <= set(ids(facts))
    assert found is expected
    if expected:
        stretch = next(t for t in tips_for(facts) if t.id == "stretch-bedtime")
        assert "stretches before bed" in stretch.advice and "vitamin K2" in stretch.advice


def test_it_leaves_k2_to_a_clinician():
    tip = next(t for t in tips_for(TipFacts(has_entries=True, cramp_hours=(3,))) if t.id == "stretch-bedtime")
    assert "clinician" in tip.advice and "not something to start on your own" in tip.advice


EVERYTHING = TipFacts(
    has_entries=True,
    meals=9,
    cramp_hours=(1, 2, 3),
    woken=3,
    fluid_by_day={DAY: 100},
    exercises=(ExerciseFact(DAY, 90, "vigorous", True),),
)


@pytest.mark.parametrize(
    "facts",
    [
        EVERYTHING,
        TipFacts(has_entries=True, cramp_hours=(1, 2, 3), woken=3),
        TipFacts(has_entries=True, cramp_hours=(1, 2, 3), meals=4, nutrients_eaten=frozenset({"calcium"})),
    ],
)
def test_a_page_shows_each_tip_once_and_each_reason_once(facts):
    shown = tips_for(facts)
    for attribute in ("id", "topic", "reason"):
        values = [getattr(tip, attribute) for tip in shown]
        assert len(values) == len(set(values)), (attribute, values)
    # The night cramps are the reason for one tip, not three.
    assert sum("3 cramps at night in the last 7 days" in tip.reason for tip in shown) == 1
    assert sum("magnesium" in tip.title.lower() for tip in shown) <= 1


@pytest.mark.parametrize(
    "today, week, meals, shown",
    [
        # Night cramps and no magnesium-rich food today: the magnesium tip, with that reason.
        (set(), {"magnesium"}, 2, {"magnesium-night"}),
        (set(), set(), 2, {"magnesium-night"}),
        # Spinach (magnesium, potassium, iron) logged today answers it: not shown.
        ({"magnesium", "potassium", "iron"}, {"magnesium", "potassium", "iron"}, 1, set()),
        ({"magnesium"}, {"magnesium"}, 3, set()),
        # Other nutrients today do not.
        ({"calcium"}, {"calcium", "magnesium"}, 2, {"magnesium-night"}),
        # A week of meals without magnesium: one magnesium tip, the higher ranked.
        (set(), {"calcium"}, 4, {"magnesium-night"}),
    ],
)
def test_a_tip_that_todays_entries_already_answer_is_not_shown(today, week, meals, shown):
    facts = TipFacts(
        has_entries=True,
        cramp_hours=(2,),
        meals=meals,
        nutrients_eaten=frozenset(week),
        nutrients_today=frozenset(today),
        fluid_by_day={DAY: 3000},
    )
    magnesium = {tip.id for tip in tips_for(facts) if tip.topic == "Magnesium"}
    assert magnesium == shown
    if shown:
        tip = next(t for t in tips_for(facts) if t.id == "magnesium-night")
        assert tip.reason == "No food with magnesium logged today, after night cramps in the last 7 days."
    assert "stretch-bedtime" in ids(facts)  # today's food does not answer the night cramps themselves


@pytest.mark.parametrize(
    "unit, target_ml, expected",
    [
        ("ml", 2000, "you stayed under your 2000 ml target."),
        ("ml", 1500, "you stayed under your 1500 ml target."),
        ("floz", 2011, "you stayed under your 68 fl oz target."),  # 68 fl oz as the profile stores it
        ("floz", 2000, "you stayed under your 68 fl oz target."),
        ("floz", 1893, "you stayed under your 64 fl oz target."),
    ],
)
def test_a_reason_names_amounts_in_the_persons_unit(unit, target_ml, expected):
    facts = TipFacts(has_entries=True, fluid_target_ml=target_ml, volume_unit=unit, fluid_by_day={DAY: 100})
    tip = next(t for t in tips_for(facts) if t.id == "hydration")
    assert tip.reason.endswith(expected)
    assert ("ml" in tip.reason) is (unit == "ml")


@pytest.mark.parametrize("ml", [0, 1, 250, 473, 1999, 2000, 2011, 3500])
@pytest.mark.parametrize("unit", ["ml", "floz"])
def test_volumes_read_as_everywhere_else_in_the_diary(unit, ml):
    from tracker.models import (
        Profile,
    )  # the test may compare with the diary; knowledge itself never imports it

    assert format_volume(ml, unit) == Profile(volume_unit=unit).format_volume(ml)


SCENARIOS = [TipFacts(), TipFacts(has_entries=True), EVERYTHING]


@pytest.mark.parametrize("facts", SCENARIOS)
def test_no_tip_names_a_dose_and_every_tip_has_a_reason_and_source(facts):
    for tip in tips_for(facts):
        assert not DOSE.search(f"{tip.title} {tip.advice} {tip.reason}")
        assert tip.reason and tip.sources
