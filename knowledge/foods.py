"""Every food the source documents name, with the nutrients they credit it with.

Meals link to Food rows made from this list; a data migration keeps the rows in step, and a test fails if they drift.
"""

from dataclasses import dataclass

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


# "B vitamins" in the documents' leafy-green and whole-grain lists is read as B1 and B6; B12 is credited only where
# a document names the food as a B12 source (meat, fish, eggs, dairy, fortified cereals).
FOODS: tuple[FoodFact, ...] = (
    FoodFact(
        "spinach",
        "Spinach",
        (N.MAGNESIUM, N.POTASSIUM, N.CALCIUM, N.IRON, N.VITAMIN_B1, N.VITAMIN_B6),
        (A, B, C),
    ),
    FoodFact("kale", "Kale", (N.MAGNESIUM, N.CALCIUM, N.VITAMIN_B1, N.VITAMIN_B6), (A, B)),
    FoodFact("collard-greens", "Collard greens", (N.MAGNESIUM, N.CALCIUM), (A,)),
    FoodFact("almonds", "Almonds", (N.MAGNESIUM,), (A, B)),
    FoodFact("pumpkin-seeds", "Pumpkin seeds", (N.MAGNESIUM,), (A, B)),
    FoodFact("cashews", "Cashews", (N.MAGNESIUM,), (B,)),
    FoodFact("beans", "Beans", (N.IRON, N.MAGNESIUM, N.POTASSIUM, N.VITAMIN_B1), (A, B, C)),
    FoodFact("lentils", "Lentils", (N.POTASSIUM, N.MAGNESIUM, N.IRON, N.VITAMIN_B1), (A, B, C)),
    FoodFact(
        "whole-grains",
        "Whole grains (oats, brown rice, wholemeal bread)",
        (N.MAGNESIUM, N.VITAMIN_B1, N.VITAMIN_B6),
        (A, B, C),
    ),
    FoodFact("fortified-cereal", "Fortified cereals and breads", (N.VITAMIN_B12, N.VITAMIN_B1), (A,)),
    FoodFact(
        "salmon",
        "Salmon",
        (N.MAGNESIUM, N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6),
        (A, B, C),
        note="A fatty fish; the documents also note anti-inflammatory fats.",
    ),
    FoodFact("mackerel", "Mackerel", (N.MAGNESIUM, N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6), (A, B, C)),
    FoodFact("tuna", "Tuna", (N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6), (A, C)),
    FoodFact("sardines", "Sardines with bones", (N.CALCIUM, N.VITAMIN_B12), (A,)),
    FoodFact("milk", "Milk (fortified)", (N.CALCIUM, N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_K2), (A, B, C)),
    FoodFact("yogurt", "Yogurt", (N.CALCIUM, N.VITAMIN_B12, N.VITAMIN_K2), (A, C)),
    FoodFact("cheese", "Cheese", (N.CALCIUM, N.VITAMIN_B12, N.VITAMIN_K2), (A, C)),
    FoodFact("plant-milk", "Fortified plant-based milk", (N.CALCIUM,), (A, B)),
    FoodFact("orange-juice", "Fortified orange juice", (N.VITAMIN_D,), (A,)),
    FoodFact("eggs", "Eggs", (N.VITAMIN_D, N.VITAMIN_B12, N.VITAMIN_B6, N.IRON), (A, B, C)),
    FoodFact("lean-meat", "Lean meat", (N.IRON, N.VITAMIN_B12, N.VITAMIN_B6, N.VITAMIN_K2), (A, B, C)),
    FoodFact("banana", "Banana", (N.POTASSIUM,), (A, B, C)),
    FoodFact("avocado", "Avocado", (N.POTASSIUM,), (A, C)),
    FoodFact("sweet-potato", "Sweet potato", (N.POTASSIUM,), (A, B, C)),
    FoodFact("melon", "Melon", (N.POTASSIUM,), (C,)),
    FoodFact(
        "coconut-water",
        "Coconut water",
        (N.POTASSIUM,),
        (A, B),
        note="Named for replacing electrolytes lost in sweat.",
    ),
    FoodFact("natto", "Natto and other fermented foods", (N.VITAMIN_K2,), (C,)),
    FoodFact("berries", "Berries", (), (B,), note="Named as anti-inflammatory, not for a nutrient here."),
)

FOODS_BY_SLUG = {food.slug: food for food in FOODS}


def foods_with(nutrient: str) -> list[FoodFact]:
    return [food for food in FOODS if nutrient in food.nutrients]
