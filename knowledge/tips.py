"""Food-first tips drawn from a person's own diary, each with the reason from their diary and its source.

Takes plain facts (no database, no tracker import), so it is tested with tables of cases. A tip never names a dose; a
supplement is only ever a question for a clinician. A page shows each tip once and each reason once; a tip whose
reason today's entries already answer (a magnesium-rich food logged today) is left out. Amounts are given in the
person's own unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from knowledge import nutrients
from knowledge.foods import foods_with
from knowledge.nutrients import Nutrient
from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The nutrients the documents put first for cramps; a week of meals without any of their foods raises a tip.
KEY_NUTRIENTS = (Nutrient.MAGNESIUM, Nutrient.POTASSIUM, Nutrient.CALCIUM, Nutrient.VITAMIN_D)
MIN_MEALS_FOR_GAPS = 3
NIGHT_HOURS = (21, 7)  # 21:00 to 06:59 local counts as night
ML, FL_OZ = "ml", "floz"  # the units a person can choose for volumes
ML_PER_FL_OZ = 29.5735  # US customary fluid ounce, as the diary converts it

# Foods as they read in the middle of a sentence ("such as spinach and kale"): lower case in English, but not in
# German, so each is its own entry for the translators. Only those a tip can name, the first foods of each key
# nutrient (`_food_names`); a test checks that none is missing.
IN_A_SENTENCE: dict[str, StrOrPromise] = {
    "spinach": pgettext_lazy("food, in a sentence", "spinach"),
    "kale": pgettext_lazy("food, in a sentence", "kale"),
    "collard-greens": pgettext_lazy("food, in a sentence", "collard greens"),
    "almonds": pgettext_lazy("food, in a sentence", "almonds"),
    "pumpkin-seeds": pgettext_lazy("food, in a sentence", "pumpkin seeds"),
    "beans": pgettext_lazy("food, in a sentence", "beans"),
    "lentils": pgettext_lazy("food, in a sentence", "lentils"),
    "banana": pgettext_lazy("food, in a sentence", "banana"),
    "avocado": pgettext_lazy("food, in a sentence", "avocado"),
    "sardines": pgettext_lazy("food, in a sentence", "sardines with bones"),
    "milk": pgettext_lazy("food, in a sentence", "milk (fortified)"),
    "salmon": pgettext_lazy("food, in a sentence", "salmon"),
    "mackerel": pgettext_lazy("food, in a sentence", "mackerel"),
    "tuna": pgettext_lazy("food, in a sentence", "tuna"),
    "orange-juice": pgettext_lazy("food, in a sentence", "fortified orange juice"),
}


@dataclass(frozen=True)
class ExerciseFact:
    day: date
    minutes: int
    effort: str
    heavy_sweating: bool


@dataclass(frozen=True)
class TipFacts:
    window_days: int = 7
    has_entries: bool = False
    fluid_target_ml: int = 2000
    volume_unit: str = ML  # the person's unit for volumes: ML or FL_OZ
    fluid_by_day: dict[date, int] = field(default_factory=dict)  # days with at least one drink logged
    exercises: tuple[ExerciseFact, ...] = ()
    meals: int = 0
    nutrients_eaten: frozenset[str] = frozenset()  # in the window, today included
    nutrients_today: frozenset[str] = frozenset()  # in today's meals so far
    cramp_hours: tuple[int, ...] = ()  # local hour of each cramp in the window
    woken: int = 0


@dataclass(frozen=True)
class Tip:
    id: str
    topic: (
        StrOrPromise  # lazy in the starter tips, made at import; the others are made in the active language
    )
    title: StrOrPromise
    advice: StrOrPromise
    reason: StrOrPromise
    sources: tuple[str, ...]
    rank: int


def format_volume(ml: float, unit: str = ML) -> str:
    """A volume in the person's unit, rounded to a whole number: "2000 ml" or "68 fl oz"."""
    if unit == FL_OZ:
        # Translators: a volume in US fluid ounces.
        return gettext("%(amount)s fl oz") % {"amount": formats.number_format(round(ml / ML_PER_FL_OZ))}
    # Translators: a volume in millilitres.
    return gettext("%(amount)s ml") % {"amount": formats.number_format(round(ml))}


def _food_names(nutrient: str, limit: int = 5) -> str:
    """The first foods the documents name for a nutrient, as a list in a sentence: "spinach, kale and beans"."""
    names = [str(IN_A_SENTENCE[food.slug]) for food in foods_with(nutrient)[:limit]]
    return str(get_text_list(names, pgettext("last word of a list of foods: spinach, kale and beans", "and")))


def _in_a_sentence(nutrient: str) -> str:
    return str(nutrients.IN_A_SENTENCE[nutrient])


def sweat_tips(facts: TipFacts) -> list[Tip]:
    """Electrolytes after hard or sweaty exercise, with the count of such sessions."""
    hard = [e for e in facts.exercises if e.heavy_sweating or e.effort == "vigorous"]
    if not hard:
        return []
    sweaty = sum(1 for e in hard if e.heavy_sweating)
    values = {"count": len(hard), "sweaty": sweaty, "days": facts.window_days}
    if sweaty:
        # Translators: the plural follows the first number; the days are always 7.
        reason = ngettext(
            "%(count)s vigorous or sweaty session, %(sweaty)s with heavy sweating in the last %(days)s days.",
            "%(count)s vigorous or sweaty sessions, %(sweaty)s with heavy sweating in the last %(days)s days.",
            len(hard),
        )
    else:
        reason = ngettext(
            "%(count)s vigorous or sweaty session in the last %(days)s days.",
            "%(count)s vigorous or sweaty sessions in the last %(days)s days.",
            len(hard),
        )
    return [
        Tip(
            "electrolytes",
            gettext("Hydration and electrolytes"),
            gettext("Replace what sweat takes out"),
            gettext(
                "After hard or sweaty exercise, drink water and have potassium-rich food such as bananas, sweet "
                "potatoes or spinach; coconut water is another option."
            ),
            reason % values,
            (A, B, C),
            rank=10,
        )
    ]


def fluid_tips(facts: TipFacts) -> list[Tip]:
    """Drinking through the day when days fell short of the target (in the person's unit), or logging drinks."""
    if not facts.fluid_by_day:
        if facts.has_entries:
            return [
                Tip(
                    "log-fluids",
                    gettext("Hydration"),
                    gettext("Keep track of what you drink"),
                    gettext(
                        "Dehydration is a common trigger for cramps. Tap the water buttons on Today as you drink, "
                        "so you can see whether low-fluid days go with your cramps."
                    ),
                    ngettext(
                        "No drinks logged in the last %(days)s day.",
                        "No drinks logged in the last %(days)s days.",
                        facts.window_days,
                    )
                    % {"days": facts.window_days},
                    (A, C),
                    rank=40,
                )
            ]
        return []
    short = sorted(day for day, ml in facts.fluid_by_day.items() if ml < facts.fluid_target_ml)
    if not short:
        return []
    return [
        Tip(
            "hydration",
            gettext("Hydration"),
            gettext("Drink a little more through the day"),
            gettext(
                "Dehydration can trigger cramps. Keep water within reach and spread drinks through the day, with "
                "more after exercise or in hot weather."
            ),
            # Translators: "On 3 of the 5 days you logged drinks in the last 7 days, you stayed under your
            # 2000 ml target." The plural follows the second number; the English keeps "days" for 1 as it always
            # has, but use your language's form for one.
            ngettext(
                "On %(short)s of the %(logged)s days you logged drinks in the last %(days)s days, you stayed under "
                "your %(target)s target.",
                "On %(short)s of the %(logged)s days you logged drinks in the last %(days)s days, you stayed under "
                "your %(target)s target.",
                len(facts.fluid_by_day),
            )
            % {
                "short": len(short),
                "logged": len(facts.fluid_by_day),
                "days": facts.window_days,
                "target": format_volume(facts.fluid_target_ml, facts.volume_unit),
            },
            (A, B, C),
            rank=20,
        )
    ]


def nutrient_gap_tips(facts: TipFacts) -> list[Tip]:
    """Foods for each key nutrient that none of a week's meals (today's included) supplied."""
    if facts.meals < MIN_MEALS_FOR_GAPS:
        return []
    tips = []
    for order, nutrient in enumerate(KEY_NUTRIENTS):
        if nutrient in facts.nutrients_eaten:
            continue
        values = {
            "nutrient": _in_a_sentence(nutrient),
            "foods": _food_names(nutrient),
            "meals": facts.meals,
            "days": facts.window_days,
        }
        tips.append(
            Tip(
                f"gap-{nutrient}",
                str(Nutrient(nutrient).label),
                gettext("Add a food with %(nutrient)s") % values,
                gettext("Foods the documents name for %(nutrient)s include %(foods)s.") % values,
                ngettext(
                    "None of the foods in your %(meals)s meal of the last %(days)s days is a %(nutrient)s source "
                    "in our food list.",
                    "None of the foods in your %(meals)s meals of the last %(days)s days is a %(nutrient)s source "
                    "in our food list.",
                    facts.meals,
                )
                % values,
                (A, B, C),
                rank=30 + order,
            )
        )
    return tips


def night_tips(facts: TipFacts) -> list[Tip]:
    """Bedtime stretching for night cramps (with the vitamin K2 question for a clinician), and magnesium-rich food
    unless today's meals already have some: each with its own reason, so no reason shows twice on a page."""
    start, end = NIGHT_HOURS
    nights = sum(1 for hour in facts.cramp_hours if hour >= start or hour < end)
    if not nights and not facts.woken:
        return []
    count = max(nights, facts.woken)
    tips = [
        Tip(
            "stretch-bedtime",
            gettext("Night cramps"),
            gettext("Stretch your calves before bed"),
            gettext(
                "A few minutes of gentle calf and hamstring stretches before bed is one of the simplest ways to "
                "prevent night cramps. A 2024 trial in older adults also found fewer night cramps with vitamin K2: "
                "whether it suits you is a question for your clinician, not something to start on your own."
            ),
            ngettext(
                "%(count)s cramp at night in the last %(days)s days.",
                "%(count)s cramps at night in the last %(days)s days.",
                count,
            )
            % {"count": count, "days": facts.window_days},
            (C,),
            rank=5,
        )
    ]
    if Nutrient.MAGNESIUM not in facts.nutrients_today:
        tips.append(
            Tip(
                "magnesium-night",
                str(Nutrient.MAGNESIUM.label),
                gettext("Include magnesium-rich foods"),
                gettext("Low magnesium is linked with night cramps; foods such as %(foods)s supply it.")
                % {"foods": _food_names(Nutrient.MAGNESIUM)},
                gettext("No food with magnesium logged today, after night cramps in the last %(days)s days.")
                % {"days": facts.window_days},
                (A, B),
                rank=15,
            )
        )
    return tips


STARTER_TIPS = (
    Tip(
        "start-log",
        _("Your diary"),
        _("Log each cramp when it happens"),
        _(
            "Two taps on Today. Add water as you drink and tick the nights without cramps: after a week or two your "
            "own diary shows what goes with your cramps."
        ),
        _("Your diary is empty so far."),
        (A,),
        rank=1,
    ),
    Tip(
        "start-food",
        _("Balanced diet"),
        _("Eat a varied, whole-food diet"),
        _(
            "Leafy greens, nuts and seeds, beans, whole grains, fish, dairy and fruit cover the nutrients linked with "
            "cramps; limit processed and sugary food."
        ),
        _("A starting point for everyone."),
        (A, B, C),
        rank=2,
    ),
    Tip(
        "start-fluids",
        _("Hydration"),
        _("Drink through the day"),
        _("Dehydration and electrolytes lost in sweat can trigger cramps."),
        _("A starting point for everyone."),
        (A, B, C),
        rank=3,
    ),
    Tip(
        "start-stretch",
        _("Stretching"),
        _("Stretch your legs each day"),
        _("Regular stretching, especially before bed, helps prevent cramps."),
        _("A starting point for everyone."),
        (C,),
        rank=4,
    ),
)


def tips_for(facts: TipFacts) -> list[Tip]:
    """Ranked food-first tips for a window of a person's diary; starter tips when there is no diary yet."""
    if not facts.has_entries:
        return list(STARTER_TIPS)
    tips = sweat_tips(facts) + fluid_tips(facts) + nutrient_gap_tips(facts) + night_tips(facts)
    shown: list[Tip] = []
    for tip in sorted(tips, key=lambda tip: tip.rank):
        if any(tip.id == other.id or tip.topic == other.topic for other in shown):
            continue  # once per page: one tip per topic, the higher ranked (two magnesium tips say the same)
        shown.append(tip)
    return shown
