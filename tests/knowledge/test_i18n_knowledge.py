"""The knowledge module in other languages: its words go through gettext when read, counts through ngettext, and a
food is found by its English name and by its name in the person's language.

No catalogue exists yet, so a stand-in translation (`pseudo`) marks every word that reached gettext.
"""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from knowledge import consult, food_search, tips
from knowledge.consult import ConsultFacts, CrampFact, evaluate
from knowledge.food_search import matches, search_words
from knowledge.foods import FOODS, FOODS_BY_SLUG, foods_with
from knowledge.nutrients import GUIDES_BY_CODE, Nutrient

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SPANISH = {"Banana": "Plátano", "Spinach": "Espinacas", "Magnesium": "Magnesio"}


@contextmanager
def pseudo(words: dict[str, str] | None = None):
    """A translation that prefixes every word with "«" (or gives `words`' own), as a catalogue would at read time."""
    real = translation._trans  # type: ignore[attr-defined]

    def gettext(message):
        return words.get(message, message) if words is not None else f"«{message}"

    def ngettext(singular, plural, number):
        return f"«{singular if number == 1 else plural}"

    def pgettext(context, message):
        return f"«{message}" if words is None else message

    food_search._search_words.cache_clear()  # its words were cached per language, from the real catalogue
    with (
        mock.patch.object(real, "gettext", gettext),
        mock.patch.object(real, "ngettext", ngettext),
        mock.patch.object(real, "pgettext", pgettext),
    ):
        yield
    food_search._search_words.cache_clear()


def found(query: str) -> set[str]:
    return {f.slug for f in FOODS if matches(query, search_words(f.name, [str(n) for n in f.nutrients]))}


def test_the_words_are_read_in_the_language_of_the_moment_not_the_import():
    rule = consult.RULES["clot_signs"]
    guide = GUIDES_BY_CODE[Nutrient.MAGNESIUM]
    with pseudo():
        assert str(Nutrient.MAGNESIUM.label) == "«Magnesium" == guide.name
        assert guide.summary == "«Helps muscles relax after they contract."
        assert guide.role.text.startswith("«Takes part in hundreds")
        assert rule.title == "«Swelling, redness or warmth of one leg"
        assert (
            rule.when
            == "«A cramp in the last 14 days was logged with swelling, redness or warmth of one leg."
        )
        assert tips.STARTER_TIPS[0].title == "«Log each cramp when it happens"
    assert rule.title == "Swelling, redness or warmth of one leg"  # back in English once the language is gone


@pytest.mark.parametrize(("count", "said"), [(1, "once"), (2, "2 times")])
def test_a_prompt_counts_with_ngettext(count, said):
    cramps = tuple(
        CrampFact(
            ref=i,
            at=NOW - timedelta(days=i + 1),
            night=(NOW - timedelta(days=i + 1)).date(),
            duration_seconds=60,
            intensity=3,
            signs=("numbness",),
        )
        for i in range(count)
    )
    with mock.patch("knowledge.consult.ngettext", wraps=translation.ngettext) as counted:
        prompt = next(p for p in evaluate(ConsultFacts(now=NOW, cramps=cramps)) if p.rule.id == "nerve_signs")
    assert prompt.detail == f"You logged numbness, tingling or weakness {said} in the last 4 weeks."
    assert [call.args[2] for call in counted.call_args_list] == [count, count]  # the detail and the finding
    with pseudo():
        again = next(p for p in evaluate(ConsultFacts(now=NOW, cramps=cramps)) if p.rule.id == "nerve_signs")
    assert again.detail.startswith("«") and again.finding.startswith("«Patient reported")


@pytest.mark.parametrize("count", [1, 2])
def test_a_tip_counts_with_ngettext(count):
    facts = tips.TipFacts(
        has_entries=True,
        exercises=tuple(tips.ExerciseFact(NOW.date(), 30, "vigorous", False) for _ in range(count)),
    )
    with pseudo():
        (tip,) = tips.sweat_tips(facts)
    session = "session" if count == 1 else "sessions"
    assert tip.reason == f"«{count} vigorous or sweaty {session} in the last 7 days."


def test_every_food_a_tip_can_name_reads_in_a_sentence():
    for nutrient in tips.KEY_NUTRIENTS:
        for food in foods_with(nutrient)[:5]:
            assert str(tips.IN_A_SENTENCE[food.slug]) == food.name.lower()


def test_a_food_is_found_by_its_english_name_in_spanish():
    with translation.override("es"):
        assert "banana" in found("banana") and "spinach" in found("spinach magnesium")


def test_a_food_is_found_by_its_name_in_the_persons_language_too():
    with translation.override("es"), pseudo(SPANISH):
        assert found("plátanos") == {"banana"} == found("PLATANO")
        assert "spinach" in found("espinaca magnesio")
    assert found("platano") == set()  # in English, only the English words


@pytest.mark.django_db
def test_the_foods_page_finds_both_names(alice_client):
    with pseudo(SPANISH):
        page = alice_client.get(reverse("foods") + "?q=plát", HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "<strong>Plátano</strong>" in page
        page = alice_client.get(reverse("foods") + "?q=banan", HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "<strong>Plátano</strong>" in page and "No food matches" not in page
    with translation.override("en"):  # the requests left Spanish active in this thread
        assert FOODS_BY_SLUG["banana"].label == "Banana"


@pytest.mark.parametrize(
    "typed",
    ["Furosemide 40 mg", "furosemida", "Furosemid", "Hidroclorotiazida", "Hydrochlorothiazid", "diurético",
     "Diuretikum", "Atorvastatina", "estatina", "Simvastatin"],
)  # fmt: skip
def test_a_cramp_linked_medicine_is_found_by_its_name_in_english_spanish_or_german(typed):
    assert consult.linked_medicine_kind(typed) is not None


def test_an_unrelated_medicine_is_not_flagged():
    assert consult.linked_medicine_kind("Paracetamol") is None
    assert consult.linked_medicine_kind("Ibuprofeno") is None
