"""The content is data with sources: every nutrient, food and statement traces to a source document."""

import re
from pathlib import Path

import pytest

from knowledge import consult, tips
from knowledge.foods import FOODS, FOODS_BY_SLUG
from knowledge.models import Food
from knowledge.nutrients import ABOUT, GUIDES, GUIDES_BY_CODE, MEASURES, Nutrient
from knowledge.sources import TITLES

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
DOSE = re.compile(r"\d+(\.\d+)?\s*(mg|mcg|µg|ug|IU)\b", re.IGNORECASE)


def document(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the source documents are not beside this checkout ({SEEDS})")
    return path.read_text(encoding="utf-8").lower()


def all_statements():
    for guide in GUIDES:
        for _heading, statement in guide.statements:
            yield statement
    for _title, statement in MEASURES:
        yield statement
    yield from ABOUT


def test_it_has_a_guide_for_every_nutrient():
    assert set(GUIDES_BY_CODE) == set(Nutrient.values)


def test_it_cites_a_known_document_for_every_statement():
    for statement in all_statements():
        assert statement.sources and set(statement.sources) <= set(TITLES), statement.text


@pytest.mark.parametrize("name", sorted(TITLES))
def test_it_cites_documents_that_exist(name):
    assert TITLES[name].lower() in document(name)


# The documents' tables, row by row: (nutrient, a food named in its sources column, our food's slug).
TABLE_FOODS = [
    (Nutrient.MAGNESIUM, "leafy greens", "spinach"),
    (Nutrient.MAGNESIUM, "nuts", "almonds"),
    (Nutrient.MAGNESIUM, "seeds", "pumpkin-seeds"),
    (Nutrient.MAGNESIUM, "whole grains", "whole-grains"),
    (Nutrient.VITAMIN_D, "fatty fish", "salmon"),
    (Nutrient.VITAMIN_D, "fortified dairy", "milk"),
    (Nutrient.VITAMIN_D, "eggs", "eggs"),
    (Nutrient.POTASSIUM, "bananas", "banana"),
    (Nutrient.POTASSIUM, "avocados", "avocado"),
    (Nutrient.POTASSIUM, "sweet potatoes", "sweet-potato"),
    (Nutrient.POTASSIUM, "spinach", "spinach"),
    (Nutrient.POTASSIUM, "lentils", "lentils"),
    (Nutrient.POTASSIUM, "melons", "melon"),
    (Nutrient.CALCIUM, "dairy", "yogurt"),
    (Nutrient.CALCIUM, "fortified plant-based milk", "plant-milk"),
    (Nutrient.CALCIUM, "leafy greens", "kale"),
    (Nutrient.VITAMIN_B12, "meat", "lean-meat"),
    (Nutrient.VITAMIN_B12, "fish", "mackerel"),
    (Nutrient.VITAMIN_B12, "eggs", "eggs"),
    (Nutrient.VITAMIN_B12, "dairy", "cheese"),
    (Nutrient.VITAMIN_B12, "fortified cereals", "fortified-cereal"),
    (Nutrient.IRON, "lean meats", "lean-meat"),
    (Nutrient.IRON, "spinach", "spinach"),
    (Nutrient.IRON, "legumes", "lentils"),
    (Nutrient.IRON, "beans", "beans"),
    (Nutrient.VITAMIN_B1, "whole grains", "whole-grains"),
    (Nutrient.VITAMIN_B6, "eggs", "eggs"),
    (Nutrient.VITAMIN_K2, "fermented foods", "natto"),
    (Nutrient.VITAMIN_K2, "dairy", "milk"),
    (Nutrient.VITAMIN_K2, "meat", "lean-meat"),
]


@pytest.mark.parametrize("nutrient, term, slug", TABLE_FOODS)
def test_it_lists_every_food_of_the_documents_tables_with_a_source(nutrient, term, slug):
    food = FOODS_BY_SLUG[slug]
    assert nutrient in food.nutrients
    assert any(term in document(source) for source in food.sources), f"{term!r} not in {food.sources}"


@pytest.mark.parametrize("food", FOODS, ids=lambda f: f.slug)
def test_it_names_each_food_in_a_cited_document(food):
    word = food.name.split()[0].lower().rstrip("s")[:6]
    assert food.sources and any(word in document(source) for source in food.sources), food.name


@pytest.mark.django_db
def test_it_keeps_the_food_rows_in_step_with_the_list():
    rows = {food.slug: food for food in Food.objects.all()}
    for fact in FOODS:
        row = rows[fact.slug]
        assert (row.name, row.nutrients, row.sources) == (fact.name, list(fact.nutrients), list(fact.sources))


def every_text() -> list[str]:
    texts = [s.text for s in all_statements()]
    for rule in consult.RULES.values():
        texts += [rule.title, rule.when, rule.reason, rule.action, rule.clears, rule.urgent_action]
        texts.append(rule.later_action)
    texts += [f"{t.title} {t.advice} {t.reason}" for t in tips.STARTER_TIPS]
    return texts


def test_it_never_names_a_dose():
    offenders = [text for text in every_text() if DOSE.search(text)]
    assert offenders == []


def advice_texts() -> list[str]:
    """What tells a person what to do (evidence summaries only report research)."""
    texts = [caution.text for guide in GUIDES for caution in guide.cautions]
    texts += [statement.text for _title, statement in MEASURES]
    texts += [
        text
        for rule in consult.RULES.values()
        for text in (rule.action, rule.urgent_action, rule.later_action)
    ]
    return texts + [f"{t.title} {t.advice}" for t in tips.STARTER_TIPS]


def test_it_only_ever_sends_supplements_to_a_clinician():
    for text in advice_texts():
        if "supplement" in text.lower():
            assert re.search(r"clinician|doctor|pharmacist", text, re.IGNORECASE), text
