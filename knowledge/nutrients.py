"""The nutrients the source documents link with muscle and nerve function, as reviewable data.

Every statement names the document(s) it comes from (knowledge/sources.py). Wording is ours, general and food-first:
no doses, no diagnoses.
"""

from dataclasses import dataclass

from django.db import models

from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C


class Nutrient(models.TextChoices):
    MAGNESIUM = "magnesium", "Magnesium"
    POTASSIUM = "potassium", "Potassium"
    CALCIUM = "calcium", "Calcium"
    VITAMIN_D = "vitamin_d", "Vitamin D"
    VITAMIN_B1 = "vitamin_b1", "Vitamin B1"
    VITAMIN_B6 = "vitamin_b6", "Vitamin B6"
    VITAMIN_B12 = "vitamin_b12", "Vitamin B12"
    IRON = "iron", "Iron"
    VITAMIN_K2 = "vitamin_k2", "Vitamin K2"


@dataclass(frozen=True)
class Statement:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class NutrientGuide:
    code: str
    summary: str
    role: Statement
    leg_symptoms: Statement
    food_sources: Statement
    evidence: Statement
    cautions: tuple[Statement, ...]

    @property
    def name(self) -> str:
        return Nutrient(self.code).label

    @property
    def statements(self) -> list[tuple[str, Statement]]:
        rows = [
            ("Role in muscles and nerves", self.role),
            ("Leg symptoms linked to a shortfall", self.leg_symptoms),
            ("Food sources", self.food_sources),
            ("Evidence for cramp relief", self.evidence),
        ]
        return rows + [("Caution", caution) for caution in self.cautions]


SUPPLEMENT_CAUTION = Statement(
    "Check with a doctor or pharmacist before taking it as a supplement: a blood test can show whether you are short "
    "of it, and they can advise what suits you.",
    (B, C),
)

GUIDES: tuple[NutrientGuide, ...] = (
    NutrientGuide(
        Nutrient.MAGNESIUM,
        "Helps muscles relax after they contract.",
        Statement(
            "Takes part in hundreds of reactions in the body, including nerve signalling and letting a muscle "
            "relax after it contracts; it also helps keep calcium and potassium in balance.",
            (A, B, C),
        ),
        Statement(
            "Too little can make muscles over-excitable: cramps and spasms, often in the calves, toes and feet, "
            "and it is linked with night-time cramps and restless legs.",
            (A, B),
        ),
        Statement(
            "Leafy greens such as spinach, nuts and seeds (almonds, pumpkin seeds, cashews), beans, lentils and "
            "other legumes, whole grains, and fish such as salmon and mackerel.",
            (A, B, C),
        ),
        Statement(
            "Mixed. One 2017 study found magnesium oxide did no better than a placebo; benefit seems more likely "
            "where a shortfall is confirmed, or in pregnancy.",
            (C,),
        ),
        (
            Statement(
                "Supplement forms differ in how well they are absorbed; which one, if any, is a question for your "
                "clinician.",
                (C,),
            ),
            SUPPLEMENT_CAUTION,
        ),
    ),
    NutrientGuide(
        Nutrient.POTASSIUM,
        "An electrolyte that carries nerve signals to muscles.",
        Statement(
            "An electrolyte that works with sodium and other minerals to pass nerve signals to muscles and keep "
            "fluid in balance.",
            (A, B, C),
        ),
        Statement(
            "Low levels can disturb those signals: muscle weakness, tiredness, tingling and painful leg "
            "cramps.",
            (A, B),
        ),
        Statement(
            "Bananas, avocados, sweet potatoes, spinach, lentils, melons and coconut water.", (A, B, C)
        ),
        Statement(
            "Mixed for supplements; best supported where heavy sweating or exercise has upset the body's "
            "electrolyte balance.",
            (C,),
        ),
        (
            Statement(
                "Heavy sweating, dehydration and some medicines can drain electrolytes: replace fluids and "
                "potassium-rich foods after hard exercise.",
                (A, B, C),
            ),
            SUPPLEMENT_CAUTION,
        ),
    ),
    NutrientGuide(
        Nutrient.CALCIUM,
        "Lets muscle fibres contract and relax.",
        Statement(
            "Muscle cells use calcium to contract and then relax; it also keeps bones strong.", (A, B, C)
        ),
        Statement(
            "When blood calcium drops, muscles can lose their electrical balance: spasms, cramps and aches.",
            (A, B),
        ),
        Statement(
            "Milk, yogurt and cheese, fortified plant-based milks, leafy greens such as kale and collard "
            "greens, and sardines eaten with their bones.",
            (A, B, C),
        ),
        Statement(
            "Little direct evidence for cramps; its link runs mostly through vitamin D, which the body needs "
            "to absorb it.",
            (C,),
        ),
        (
            Statement(
                "A shortfall often goes with low vitamin D, so the two are worth looking at together.", (A,)
            ),
        ),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_D,
        "Helps the body absorb calcium.",
        Statement(
            "Not part of the contraction itself, but the body needs it to absorb calcium (and phosphorus) from "
            "food.",
            (A, B, C),
        ),
        Statement(
            "A shortfall can lower blood calcium and bring on cramps; it is also linked with bone pain, muscle "
            "aches and weakness.",
            (A, B),
        ),
        Statement(
            "Sunlight on the skin, fatty fish such as salmon and tuna, fortified milk and orange juice, and "
            "egg yolks.",
            (A, B),
        ),
        Statement(
            "Correcting a confirmed shortfall makes sense for muscle health; some studies found no direct "
            "benefit for cramps in pregnant or postmenopausal women.",
            (C,),
        ),
        (Statement("Shortfalls are common in people who get little sun.", (A,)), SUPPLEMENT_CAUTION),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_B1,
        "Thiamine: energy for nerves and muscles.",
        Statement("Thiamine helps turn food into energy and supports healthy nerves.", (A, B, C)),
        Statement("A shortfall can bring leg pain, aching and cramping in the lower legs.", (A, B)),
        Statement("Whole grains, legumes, nuts, and fortified cereals and breads.", (A,)),
        Statement("Some evidence for B vitamins taken together, especially for cramps in pregnancy.", (C,)),
        (SUPPLEMENT_CAUTION,),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_B6,
        "Pyridoxine: supports nerve function.",
        Statement("Pyridoxine is one of the B vitamins the documents name as vital for nerve health.", (C,)),
        Statement("B-vitamin shortfalls can damage nerves and cause muscle weakness and cramps.", (C,)),
        Statement("Whole grains, eggs, meat, fish and leafy greens.", (C,)),
        Statement(
            "B vitamins together appear to work better than one alone; some evidence in pregnancy.", (C,)
        ),
        (SUPPLEMENT_CAUTION,),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_B12,
        "Cobalamin: nerves and oxygen-carrying blood cells.",
        Statement(
            "Needed for nerve signalling and for making the red blood cells that carry oxygen to muscles.",
            (A, B),
        ),
        Statement(
            "A shortfall can disturb nerve signals: cramps, tingling and numbness, and nerve damage in the "
            "feet (peripheral neuropathy).",
            (A, B),
        ),
        Statement("Meat, fish, eggs, dairy products and fortified cereals.", (A,)),
        Statement("A B-complex may ease nerve symptoms where a shortfall is linked to neuropathy.", (C,)),
        (
            Statement(
                "Numbness or tingling is a reason to see a clinician, not only to change your diet.", (B, C)
            ),
            SUPPLEMENT_CAUTION,
        ),
    ),
    NutrientGuide(
        Nutrient.IRON,
        "Carries oxygen to working muscles.",
        Statement("Needed to make haemoglobin, which carries oxygen to muscles and other tissues.", (B,)),
        Statement(
            "Iron-deficiency anaemia can leave muscles tired, weak and aching; low iron is also linked with "
            "restless legs.",
            (B,),
        ),
        Statement("Lean meats, spinach and other leafy greens, beans and other legumes, and eggs.", (B,)),
        Statement(
            "The documents link iron with tiredness, weakness and restless legs rather than with cramp "
            "relief.",
            (B,),
        ),
        (SUPPLEMENT_CAUTION,),
    ),
    NutrientGuide(
        Nutrient.VITAMIN_K2,
        "Takes part in calcium metabolism; a recent trial in night cramps.",
        Statement("Involved in how the body handles calcium, which may help muscles relax.", (C,)),
        Statement(
            "The documents do not describe leg symptoms of a shortfall; interest comes from a trial in night "
            "cramps.",
            (C,),
        ),
        Statement("Fermented foods such as natto, dairy products and meat.", (C,)),
        Statement(
            "A 2024 randomised trial in older adults found fewer, milder and shorter night cramps with vitamin "
            "K2; promising, but a single recent study.",
            (C,),
        ),
        (
            Statement(
                "Whether it suits you is a question for your clinician, especially if you take other "
                "medicines.",
                (C,),
            ),
        ),
    ),
)

GUIDES_BY_CODE = {guide.code: guide for guide in GUIDES}

MEASURES: tuple[tuple[str, Statement], ...] = (
    (
        "Drink enough, and replace electrolytes after sweating",
        Statement(
            "Dehydration and electrolytes lost in sweat can trigger cramps. After hard or sweaty exercise, drink "
            "water and choose potassium-rich foods or coconut water.",
            (A, B, C),
        ),
    ),
    (
        "Stretch, especially before bed",
        Statement(
            "Regular stretching of the calves and legs, with gentle exercise, is one of the foundations of "
            "preventing cramps.",
            (C,),
        ),
    ),
    (
        "Eat a balanced, whole-food diet",
        Statement(
            "A varied diet of whole foods is the surest way to cover these nutrients; food first, supplements "
            "only when a clinician confirms a shortfall.",
            (A, B, C),
        ),
    ),
    (
        "Limit processed and sugary food",
        Statement(
            "Added sugars, refined grains and processed foods promote inflammation, which can add to muscle "
            "soreness; fatty fish, leafy greens and berries work the other way.",
            (B,),
        ),
    ),
)

ABOUT: tuple[Statement, ...] = (
    Statement(
        "A leg cramp is a sudden, involuntary and painful tightening of a muscle, often in the calf and often "
        "at night.",
        (A, C),
    ),
    Statement("Many adults get night-time leg cramps at some point; one report puts it at up to 70%.", (C,)),
    Statement(
        "Dehydration, overexertion and shortfalls of some minerals and vitamins can all play a part, and "
        "often several at once.",
        (A, C),
    ),
    Statement(
        "Persistent, worsening or severe cramps, or cramps with numbness, tingling, weakness or a swollen "
        "leg, are a reason to see a clinician: other causes such as a clot (DVT) or nerve damage need ruling "
        "out.",
        (A, B, C),
    ),
)
