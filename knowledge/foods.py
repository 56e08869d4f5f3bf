"""Every food the source documents name, with the nutrients they credit it with.

Meals link to Food rows made from this list; a data migration keeps the rows in step, and a test fails if they drift.

Names and notes stay English here and in the rows (the rows are data, written by migrations): they are marked with
gettext_noop so they reach the translators, and are translated where they are shown (`FoodFact.label`,
`Food.translated_name`), as `gettext(name)` finds the English row's name in the catalogue.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from knowledge.nutrients import Nutrient as N
from knowledge.sources import DEFICIENCIES as A
from knowledge.sources import LEG_PAIN as B
from knowledge.sources import VITAMINS as C


@dataclass(frozen=True)
class FoodFact:
    slug: str
    name: str
    nutrients: tuple[str, ...]
    sources: tuple[str, ...]
    note: str = ""

    @property
    def label(self) -> str:
        """The name in the active language."""
        return gettext(self.name)


# "B vitamins" in the documents' leafy-green and whole-grain lists is read as B1 and B6; B12 is credited only where
# a document names the food as a B12 source (meat, fish, eggs, dairy, fortified cereals).
FOODS: tuple[FoodFact, ...] = (
    FoodFact(
        "spinach",
        gettext_noop("Spinach"),
        (N.MAGNESIUM, N.POTASSIUM, N.CALCIUM, N.IRON, N.VITAMIN_B1, N.VITAMIN_B6),
        (A, B, C),
    ),
    FoodFact("kale", gettext_noop("Kale"), (N.MAGNESIUM, N.CALCIUM, N.VITAMIN_B1, N.VITAMIN_B6), (A, B)),
    FoodFact("collard-greens", gettext_noop("Collard greens"), (N.MAGNESIUM, N.CALCIUM), (A,)),
    FoodFact("almonds", gettext_noop("Almonds"), (N.MAGNESIUM,), (A, B)),
    FoodFact("pumpkin-seeds", gettext_noop("Pumpkin seeds"), (N.MAGNESIUM,), (A, B)),
    FoodFact("cashews", gettext_noop("Cashews"), (N.MAGNESIUM,), (B,)),
    FoodFact("beans", gettext_noop("Beans"), (N.IRON, N.MAGNESIUM, N.POTASSIUM, N.VITAMIN_B1), (A, B, C)),
    FoodFact("lentils", gettext_noop("Lentils"), (N.POTASSIUM, N.MAGNESIUM, N.IRON, N.VITAMIN_B1), (A, B, C)),
    FoodFact(
        "whole-grains",
        gettext_noop("Whole grains (oats, brown rice, wholemeal bread)"),
        (N.MAGNESIUM, N.VITAMIN_B1, N.VITAMIN_B6),
        (A, B, C),
    ),
    FoodFact(
        "fortified-cereal", gettext_noop("Fortified cereals and breads"), (N.VITAMIN_B12, N.VITAMIN_B1), (A,)
    ),
    FoodFact(
        "salmon",
        gettext_noop("Salmon"),
        (N.MAGNESIUM, N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6),
        (A, B, C),
        note=gettext_noop("A fatty fish; the documents also note anti-inflammatory fats."),
    ),
    FoodFact(
        "mackerel",
        gettext_noop("Mackerel"),
        (N.MAGNESIUM, N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6),
        (A, B, C),
    ),
    FoodFact("tuna", gettext_noop("Tuna"), (N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6), (A, C)),
    FoodFact("sardines", gettext_noop("Sardines with bones"), (N.CALCIUM, N.VITAMIN_B12), (A,)),
    FoodFact(
        "milk",
        gettext_noop("Milk (fortified)"),
        (N.CALCIUM, N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_K2),
        (A, B, C),
    ),
    FoodFact("yogurt", gettext_noop("Yogurt"), (N.CALCIUM, N.VITAMIN_B12, N.VITAMIN_K2), (A, C)),
    FoodFact("cheese", gettext_noop("Cheese"), (N.CALCIUM, N.VITAMIN_B12, N.VITAMIN_K2), (A, C)),
    FoodFact("plant-milk", gettext_noop("Fortified plant-based milk"), (N.CALCIUM,), (A, B)),
    FoodFact("orange-juice", gettext_noop("Fortified orange juice"), (N.VITAMIN_D,), (A,)),
    FoodFact("eggs", gettext_noop("Eggs"), (N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6, N.IRON), (A, B, C)),
    FoodFact(
        "lean-meat", gettext_noop("Lean meat"), (N.IRON, N.VITAMIN_B12, N.VITAMIN_B6, N.VITAMIN_K2), (A, B, C)
    ),
    FoodFact("banana", gettext_noop("Banana"), (N.POTASSIUM,), (A, B, C)),
    FoodFact("avocado", gettext_noop("Avocado"), (N.POTASSIUM,), (A, C)),
    FoodFact("sweet-potato", gettext_noop("Sweet potato"), (N.POTASSIUM,), (A, B, C)),
    FoodFact("melon", gettext_noop("Melon"), (N.POTASSIUM,), (C,)),
    FoodFact(
        "coconut-water",
        gettext_noop("Coconut water"),
        (N.POTASSIUM,),
        (A, B),
        note=gettext_noop("Named for replacing electrolytes lost in sweat."),
    ),
    FoodFact("natto", gettext_noop("Natto and other fermented foods"), (N.VITAMIN_K2,), (C,)),
    FoodFact(
        "berries",
        gettext_noop("Berries"),
        (),
        (B,),
        note=gettext_noop("Named as anti-inflammatory, not for a nutrient here."),
    ),
)

FOODS_BY_SLUG = {food.slug: food for food in FOODS}


def foods_with(nutrient: str) -> list[FoodFact]:
    return [food for food in FOODS if nutrient in food.nutrients]
