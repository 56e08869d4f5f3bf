"""Food-first tips drawn from a person's own diary, each with the reason from their diary and its source.

Takes plain facts (no database, no tracker import), so it is tested with tables of cases. A tip never names a dose; a
supplement is only ever a question for a clinician. A page shows each tip once and each reason once; a tip whose
reason today's entries already answer (a magnesium-rich food logged today) is left out. Amounts are given in the
person's own unit.
"""

from dataclasses import dataclass, field
from datetime import date

from knowledge.foods import foods_with
from knowledge.nutrients import Nutrient
from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C

# The nutrients the documents put first for cramps; a week of meals without any of their foods raises a tip.
KEY_NUTRIENTS = (Nutrient.MAGNESIUM, Nutrient.POTASSIUM, Nutrient.CALCIUM, Nutrient.VITAMIN_D)
MIN_MEALS_FOR_GAPS = 3
NIGHT_HOURS = (21, 7)  # 21:00 to 06:59 local counts as night
ML, FL_OZ = "ml", "floz"  # the units a person can choose for volumes
ML_PER_FL_OZ = 29.5735  # US customary fluid ounce, as the diary converts it


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
    topic: str
    title: str
    advice: str
    reason: str
    sources: tuple[str, ...]
    rank: int


def format_volume(ml: float, unit: str = ML) -> str:
    """A volume in the person's unit, rounded to a whole number: "2000 ml" or "68 fl oz"."""
    if unit == FL_OZ:
        return f"{ml / ML_PER_FL_OZ:.0f} fl oz"
    return f"{ml:.0f} ml"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _food_names(nutrient: str, limit: int = 5) -> str:
    names = [food.name.lower() for food in foods_with(nutrient)][:limit]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def sweat_tips(facts: TipFacts) -> list[Tip]:
    """Electrolytes after hard or sweaty exercise, with the count of such sessions."""
    hard = [e for e in facts.exercises if e.heavy_sweating or e.effort == "vigorous"]
    if not hard:
        return []
    sweaty = sum(1 for e in hard if e.heavy_sweating)
    what = _plural(len(hard), "vigorous or sweaty session")
    if sweaty:
        what += f", {sweaty} with heavy sweating"
    return [
        Tip(
            "electrolytes",
            "Hydration and electrolytes",
            "Replace what sweat takes out",
            "After hard or sweaty exercise, drink water and have potassium-rich food such as bananas, sweet "
            "potatoes or spinach; coconut water is another option.",
            f"{what} in the last {facts.window_days} days.",
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
                    "Hydration",
                    "Keep track of what you drink",
                    "Dehydration is a common trigger for cramps. Tap the water buttons on Today as you drink, "
                    "so you can see whether low-fluid days go with your cramps.",
                    f"No drinks logged in the last {facts.window_days} days.",
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
            "Hydration",
            "Drink a little more through the day",
            "Dehydration can trigger cramps. Keep water within reach and spread drinks through the day, with "
            "more after exercise or in hot weather.",
            f"On {len(short)} of the {len(facts.fluid_by_day)} days you logged drinks in the last "
            f"{facts.window_days} days, you stayed under your "
            f"{format_volume(facts.fluid_target_ml, facts.volume_unit)} target.",
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
        label = Nutrient(nutrient).label
        tips.append(
            Tip(
                f"gap-{nutrient}",
                label,
                f"Add a food with {label.lower()}",
                f"Foods the documents name for {label.lower()} include {_food_names(nutrient)}.",
                f"None of the foods in your {_plural(facts.meals, 'meal')} of the last {facts.window_days} "
                f"days is a {label.lower()} source in our food list.",
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
            "Night cramps",
            "Stretch your calves before bed",
            "A few minutes of gentle calf and hamstring stretches before bed is one of the simplest ways to prevent "
            "night cramps. A 2024 trial in older adults also found fewer night cramps with vitamin K2: whether it "
            "suits you is a question for your clinician, not something to start on your own.",
            f"{_plural(count, 'cramp')} at night in the last {facts.window_days} days.",
            (C,),
            rank=5,
        )
    ]
    if Nutrient.MAGNESIUM not in facts.nutrients_today:
        tips.append(
            Tip(
                "magnesium-night",
                "Magnesium",
                "Include magnesium-rich foods",
                f"Low magnesium is linked with night cramps; foods such as {_food_names(Nutrient.MAGNESIUM)} "
                "supply it.",
                f"No food with magnesium logged today, after night cramps in the last {facts.window_days} days.",
                (A, B),
                rank=15,
            )
        )
    return tips


STARTER_TIPS = (
    Tip(
        "start-log",
        "Your diary",
        "Log each cramp when it happens",
        "Two taps on Today. Add water as you drink and tick the nights without cramps: after a week or two your "
        "own diary shows what goes with your cramps.",
        "Your diary is empty so far.",
        (A,),
        rank=1,
    ),
    Tip(
        "start-food",
        "Balanced diet",
        "Eat a varied, whole-food diet",
        "Leafy greens, nuts and seeds, beans, whole grains, fish, dairy and fruit cover the nutrients linked with "
        "cramps; limit processed and sugary food.",
        "A starting point for everyone.",
        (A, B, C),
        rank=2,
    ),
    Tip(
        "start-fluids",
        "Hydration",
        "Drink through the day",
        "Dehydration and electrolytes lost in sweat can trigger cramps.",
        "A starting point for everyone.",
        (A, B, C),
        rank=3,
    ),
    Tip(
        "start-stretch",
        "Stretching",
        "Stretch your legs each day",
        "Regular stretching, especially before bed, helps prevent cramps.",
        "A starting point for everyone.",
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
