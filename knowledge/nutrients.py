"""The nutrients the source documents link with muscle and nerve function, as reviewable data.

Every statement names the document(s) it comes from (knowledge/sources.py). Wording is ours, general and food-first:
no doses, no diagnoses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Nutrient(models.TextChoices):
    MAGNESIUM = "magnesium", _("Magnesium")
    POTASSIUM = "potassium", _("Potassium")
    CALCIUM = "calcium", _("Calcium")
    VITAMIN_D = "vitamin_d", _("Vitamin D")
    VITAMIN_B1 = "vitamin_b1", _("Vitamin B1")
    VITAMIN_B6 = "vitamin_b6", _("Vitamin B6")
    VITAMIN_B12 = "vitamin_b12", _("Vitamin B12")
    IRON = "iron", _("Iron")
    VITAMIN_K2 = "vitamin_k2", _("Vitamin K2")


# Each nutrient as it reads in the middle of a sentence ("Foods in our list with magnesium"): lower case in English,
# but not in German, so each is its own entry for the translators.
IN_A_SENTENCE: dict[str, StrOrPromise] = {
    Nutrient.MAGNESIUM: pgettext_lazy("nutrient, in a sentence", "magnesium"),
    Nutrient.POTASSIUM: pgettext_lazy("nutrient, in a sentence", "potassium"),
    Nutrient.CALCIUM: pgettext_lazy("nutrient, in a sentence", "calcium"),
    Nutrient.VITAMIN_D: pgettext_lazy("nutrient, in a sentence", "vitamin d"),
    Nutrient.VITAMIN_B1: pgettext_lazy("nutrient, in a sentence", "vitamin b1"),
    Nutrient.VITAMIN_B6: pgettext_lazy("nutrient, in a sentence", "vitamin b6"),
    Nutrient.VITAMIN_B12: pgettext_lazy("nutrient, in a sentence", "vitamin b12"),
    Nutrient.IRON: pgettext_lazy("nutrient, in a sentence", "iron"),
    Nutrient.VITAMIN_K2: pgettext_lazy("nutrient, in a sentence", "vitamin k2"),
}


@dataclass(frozen=True)
class Statement:
    lazy_text: StrOrPromise  # read through `text`
    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        """In the active language."""
        return str(self.lazy_text)


@dataclass(frozen=True)
class NutrientGuide:
    code: str
    lazy_summary: StrOrPromise  # read through `summary`
    role: Statement
    leg_symptoms: Statement
    food_sources: Statement
    evidence: Statement
    cautions: tuple[Statement, ...]

    @property
    def summary(self) -> str:
        return str(self.lazy_summary)

    @property
    def name(self) -> str:
        return str(Nutrient(self.code).label)

    @property
    def name_in_a_sentence(self) -> str:
        return str(IN_A_SENTENCE[self.code])

    @property
    def statements(self) -> list[tuple[str, Statement]]:
        rows = [
            (gettext("Role in muscles and nerves"), self.role),
            (gettext("Leg symptoms linked to a shortfall"), self.leg_symptoms),
            (gettext("Food sources"), self.food_sources),
            (gettext("Evidence for cramp relief"), self.evidence),
        ]
        return rows + [(gettext("Caution"), caution) for caution in self.cautions]


SUPPLEMENT_CAUTION = Statement(
    _(
        "Check with a doctor or pharmacist before taking it as a supplement: a blood test can show whether you "
        "are short of it, and they can advise what suits you."
    ),
    (B, C),
)

GUIDES: tuple[NutrientGuide, ...] = (
    NutrientGuide(
        Nutrient.MAGNESIUM,
        _("Helps muscles relax after they contract."),
        Statement(
            _(
                "Takes part in hundreds of reactions in the body, including nerve signalling and letting a muscle "
                "relax after it contracts; it also helps keep calcium and potassium in balance."
            ),
            (A, B, C),
        ),
        Statement(
            _(
                "Too little can make muscles over-excitable: cramps and spasms, often in the calves, toes and feet, "
                "and it is linked with night-time cramps and restless legs."
            ),
            (A, B),
        ),
        Statement(
            _(
                "Leafy greens such as spinach, nuts and seeds (almonds, pumpkin seeds, cashews), beans, lentils and "
                "other legumes, whole grains, and fish such as salmon and mackerel."
            ),
            (A, B, C),
        ),
        Statement(
            _(
                "Mixed. One 2017 study found magnesium oxide did no better than a placebo; benefit seems more likely "
                "where a shortfall is confirmed, or in pregnancy."
            ),
            (C,),
        ),
        (
            Statement(
                _(
                    "Supplement forms differ in how well they are absorbed; which one, if any, is a question for your "
                    "clinician."
                ),
                (C,),
            ),
            SUPPLEMENT_CAUTION,
        ),
    ),
    NutrientGuide(
        Nutrient.POTASSIUM,
        _("An electrolyte that carries nerve signals to muscles."),
        Statement(
            _(
                "An electrolyte that works with sodium and other minerals to pass nerve signals to muscles and keep "
                "fluid in balance."
            ),
            (A, B, C),
        ),
        Statement(
            _(
                "Low levels can disturb those signals: muscle weakness, tiredness, tingling and painful leg "
                "cramps."
            ),
            (A, B),
        ),
        Statement(
            _("Bananas, avocados, sweet potatoes, spinach, lentils, melons and coconut water."), (A, B, C)
        ),
        Statement(
            _(
                "Mixed for supplements; best supported where heavy sweating or exercise has upset the body's "
                "electrolyte balance."
            ),
            (C,),
        ),
        (
            Statement(
                _(
                    "Heavy sweating, dehydration and some medicines can drain electrolytes: replace fluids and "
                    "potassium-rich foods after hard exercise."
                ),
                (A, B, C),
            ),
            SUPPLEMENT_CAUTION,
        ),
    ),
    NutrientGuide(
        Nutrient.CALCIUM,
        _("Lets muscle fibres contract and relax."),
        Statement(
            _("Muscle cells use calcium to contract and then relax; it also keeps bones strong."), (A, B, C)
        ),
        Statement(
            _(
                "When blood calcium drops, muscles can lose their electrical balance: spasms, cramps and aches."
            ),
            (A, B),
        ),
        Statement(
            _(
                "Milk, yogurt and cheese, fortified plant-based milks, leafy greens such as kale and collard "
                "greens, and sardines eaten with their bones."
            ),
            (A, B, C),
        ),
        Statement(
            _(
                "Little direct evidence for cramps; its link runs mostly through vitamin D, which the body needs "
                "to absorb it."
            ),
            (C,),
        ),
        (
            Statement(
                _("A shortfall often goes with low vitamin D, so the two are worth looking at together."),
                (A,),
            ),
        ),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_D,
        _("Helps the body absorb calcium."),
        Statement(
            _(
                "Not part of the contraction itself, but the body needs it to absorb calcium (and phosphorus) from "
                "food."
            ),
            (A, B, C),
        ),
        Statement(
            _(
                "A shortfall can lower blood calcium and bring on cramps; it is also linked with bone pain, muscle "
                "aches and weakness."
            ),
            (A, B),
        ),
        Statement(
            _(
                "Sunlight on the skin, fatty fish such as salmon and tuna, fortified milk and orange juice, and "
                "egg yolks."
            ),
            (A, B),
        ),
        Statement(
            _(
                "Correcting a confirmed shortfall makes sense for muscle health; some studies found no direct "
                "benefit for cramps in pregnant or postmenopausal women."
            ),
            (C,),
        ),
        (Statement(_("Shortfalls are common in people who get little sun."), (A,)), SUPPLEMENT_CAUTION),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_B1,
        _("Thiamine: energy for nerves and muscles."),
        Statement(_("Thiamine helps turn food into energy and supports healthy nerves."), (A, B, C)),
        Statement(_("A shortfall can bring leg pain, aching and cramping in the lower legs."), (A, B)),
        Statement(_("Whole grains, legumes, nuts, and fortified cereals and breads."), (A,)),
        Statement(
            _("Some evidence for B vitamins taken together, especially for cramps in pregnancy."), (C,)
        ),
        (SUPPLEMENT_CAUTION,),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_B6,
        _("Pyridoxine: supports nerve function."),
        Statement(
            _("Pyridoxine is one of the B vitamins the documents name as vital for nerve health."), (C,)
        ),
        Statement(_("B-vitamin shortfalls can damage nerves and cause muscle weakness and cramps."), (C,)),
        Statement(_("Whole grains, eggs, meat, fish and leafy greens."), (C,)),
        Statement(
            _("B vitamins together appear to work better than one alone; some evidence in pregnancy."), (C,)
        ),
        (SUPPLEMENT_CAUTION,),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_B12,
        _("Cobalamin: nerves and oxygen-carrying blood cells."),
        Statement(
            _("Needed for nerve signalling and for making the red blood cells that carry oxygen to muscles."),
            (A, B),
        ),
        Statement(
            _(
                "A shortfall can disturb nerve signals: cramps, tingling and numbness, and nerve damage in the "
                "feet (peripheral neuropathy)."
            ),
            (A, B),
        ),
        Statement(_("Meat, fish, eggs, dairy products and fortified cereals."), (A,)),
        Statement(_("A B-complex may ease nerve symptoms where a shortfall is linked to neuropathy."), (C,)),
        (
            Statement(
                _("Numbness or tingling is a reason to see a clinician, not only to change your diet."),
                (B, C),
            ),
            SUPPLEMENT_CAUTION,
        ),
    ),
    NutrientGuide(
        Nutrient.IRON,
        _("Carries oxygen to working muscles."),
        Statement(_("Needed to make haemoglobin, which carries oxygen to muscles and other tissues."), (B,)),
        Statement(
            _(
                "Iron-deficiency anaemia can leave muscles tired, weak and aching; low iron is also linked with "
                "restless legs."
            ),
            (B,),
        ),
        Statement(_("Lean meats, spinach and other leafy greens, beans and other legumes, and eggs."), (B,)),
        Statement(
            _(
                "The documents link iron with tiredness, weakness and restless legs rather than with cramp "
                "relief."
            ),
            (B,),
        ),
        (SUPPLEMENT_CAUTION,),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_K2,
        _("Takes part in calcium metabolism; a recent trial in night cramps."),
        Statement(_("Involved in how the body handles calcium, which may help muscles relax."), (C,)),
        Statement(
            _(
                "The documents do not describe leg symptoms of a shortfall; interest comes from a trial in night "
                "cramps."
            ),
            (C,),
        ),
        Statement(_("Fermented foods such as natto, dairy products and meat."), (C,)),
        Statement(
            _(
                "A 2024 randomised trial in older adults found fewer, milder and shorter night cramps with vitamin "
                "K2; promising, but a single recent study."
            ),
            (C,),
        ),
        (
            Statement(
                _(
                    "Whether it suits you is a question for your clinician, especially if you take other "
                    "medicines."
                ),
                (C,),
            ),
        ),
    ),
)

GUIDES_BY_CODE = {guide.code: guide for guide in GUIDES}

MEASURES: tuple[tuple[StrOrPromise, Statement], ...] = (
    (
        _("Drink enough, and replace electrolytes after sweating"),
        Statement(
            _(
                "Dehydration and electrolytes lost in sweat can trigger cramps. After hard or sweaty exercise, drink "
                "water and choose potassium-rich foods or coconut water."
            ),
            (A, B, C),
        ),
    ),
    (
        _("Stretch, especially before bed"),
        Statement(
            _(
                "Regular stretching of the calves and legs, with gentle exercise, is one of the foundations of "
                "preventing cramps."
            ),
            (C,),
        ),
    ),
    (
        _("Eat a balanced, whole-food diet"),
        Statement(
            _(
                "A varied diet of whole foods is the surest way to cover these nutrients; food first, supplements "
                "only when a clinician confirms a shortfall."
            ),
            (A, B, C),
        ),
    ),
    (
        _("Limit processed and sugary food"),
        Statement(
            _(
                "Added sugars, refined grains and processed foods promote inflammation, which can add to muscle "
                "soreness; fatty fish, leafy greens and berries work the other way."
            ),
            (B,),
        ),
    ),
)

ABOUT: tuple[Statement, ...] = (
    Statement(
        _(
            "A leg cramp is a sudden, involuntary and painful tightening of a muscle, often in the calf and often "
            "at night."
        ),
        (A, C),
    ),
    Statement(
        _("Many adults get night-time leg cramps at some point; one report puts it at up to 70%."), (C,)
    ),
    Statement(
        _(
            "Dehydration, overexertion and shortfalls of some minerals and vitamins can all play a part, and "
            "often several at once."
        ),
        (A, C),
    ),
    Statement(
        _(
            "Persistent, worsening or severe cramps, or cramps with numbness, tingling, weakness or a swollen "
            "leg, are a reason to see a clinician: other causes such as a clot (DVT) or nerve damage need ruling "
            "out."
        ),
        (A, B, C),
    ),
)
