"""Plain words a person trusts: "bananas", "chicken", "potassium" and "vitamin D" find the foods they mean, and a
new meal's kind follows the person's clock."""

import re
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from knowledge.food_search import SYNONYMS, fold, matches, search_words, singular
from knowledge.foods import FOODS, FOODS_BY_SLUG
from knowledge.nutrients import Nutrient
from tracker.diary.forms import MealForm
from tracker.models import Meal, MealKind


def words_of(slug: str) -> str:
    food = FOODS_BY_SLUG[slug]
    return search_words(food.name, [str(code) for code in food.nutrients])


def found(query: str) -> set[str]:
    return {food.slug for food in FOODS if matches(query, words_of(food.slug))}


@pytest.mark.parametrize(
    ("slug", "word"),
    [
        # singular and plural
        ("banana", "banana"),
        ("banana", "bananas"),
        ("almonds", "almond"),
        ("almonds", "almonds"),
        ("berries", "berry"),
        ("sweet-potato", "potatoes"),
        ("sardines", "sardine"),
        ("whole-grains", "oat"),
        # synonyms
        ("yogurt", "yoghurt"),
        ("lean-meat", "chicken"),
        ("lean-meat", "beef"),
        ("salmon", "fish"),
        ("lentils", "dal"),
        ("natto", "kimchi"),
        ("berries", "strawberry"),
        ("plant-milk", "soya"),
        ("milk", "cows"),
        # nutrient names: the label as one word, its short form and its other names
        ("banana", "potassium"),
        ("spinach", "magnesium"),
        ("spinach", "iron"),
        ("cheese", "calcium"),
        ("salmon", "vitamind"),
        ("salmon", "d"),
        ("eggs", "b12"),
        ("eggs", "vitaminb12"),
        ("natto", "k2"),
        ("whole-grains", "thiamine"),
    ],
)
def test_search_words_include(slug, word):
    words = words_of(slug)
    assert word in words.split()
    assert words == words.lower()


@pytest.mark.parametrize(
    ("slug", "word"),
    [
        ("banana", "potato"),  # a food is not credited with what it does not have
        ("berries", "potassium"),  # named as anti-inflammatory only
        ("natto", "other"),  # "Natto and other fermented foods": filler words find nothing
        ("natto", "foods"),
        ("milk", "s"),  # "cow's" is one word
    ],
)
def test_search_words_leave_out(slug, word):
    assert word not in words_of(slug).split()


def test_every_synonym_is_for_a_food_in_the_list():
    names = " ".join(fold(food.name) for food in FOODS)
    singular_names = " ".join(" ".join(singular(word) for word in fold(food.name).split()) for food in FOODS)
    for key in SYNONYMS:
        assert fold(key) in names or fold(key) in singular_names, key
    assert "zucchini" not in " ".join(words_of(food.slug) for food in FOODS)  # not in the list: no synonym


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("bananas", {"banana"}),
        ("Banan", {"banana"}),
        ("avocados", {"avocado"}),
        ("YOGHURT", {"yogurt"}),
        ("dairy", {"milk", "yogurt", "cheese"}),
        ("chicken", {"lean-meat"}),
        ("chicken nuggets xyz", set()),
        ("zucchini", set()),
        ("brown rice", {"whole-grains"}),
        (
            "potassium",
            {"spinach", "beans", "lentils", "banana", "avocado", "sweet-potato", "melon", "coconut-water"},
        ),
        ("Vitamin D", {"salmon", "mackerel", "tuna", "milk", "orange-juice", "eggs"}),
        ("vit d", {"salmon", "mackerel", "tuna", "milk", "orange-juice", "eggs"}),
        ("K2", {"milk", "yogurt", "cheese", "lean-meat", "natto"}),
        ("vitamin k2", {"milk", "yogurt", "cheese", "lean-meat", "natto"}),
        ("iron", {"spinach", "beans", "lentils", "eggs", "lean-meat"}),
        ("fish b12", {"salmon", "mackerel", "tuna", "sardines"}),
        ("b1", {"spinach", "kale", "beans", "lentils", "whole-grains", "fortified-cereal"}),
        ("crème fraîche", set()),
    ],
)
def test_what_a_query_finds(query, slugs):
    assert found(query) == slugs


def test_each_nutrient_label_finds_exactly_the_foods_credited_with_it():
    for nutrient in Nutrient:
        credited = {food.slug for food in FOODS if nutrient in food.nutrients}
        assert found(nutrient.label) == credited, nutrient.label


def test_vitamin_alone_finds_every_food_with_a_vitamin():
    vitamins = {code for code in Nutrient.values if code.startswith("vitamin")}
    assert found("vitamin") == {food.slug for food in FOODS if vitamins & set(food.nutrients)}
    assert found("b vitamins") >= found("b12")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Crème  Brûlée ", "creme brulee"),
        ("Vitamin D", "vitamind"),
        ("vitamins B", "vitaminb"),
        ("vitamin and iron", "vitamin and iron"),
        ("cow\u2019s milk", "cows milk"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_nothing_typed_finds_everything():
    assert found("") == found("   ") == {food.slug for food in FOODS}


# A new meal's kind, by the person's local clock.

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("hour", "minute", "kind"),
    [
        (0, 0, MealKind.SNACK),
        (4, 59, MealKind.SNACK),
        (5, 0, MealKind.BREAKFAST),
        (10, 59, MealKind.BREAKFAST),
        (11, 0, MealKind.LUNCH),
        (15, 59, MealKind.LUNCH),
        (16, 0, MealKind.DINNER),
        (21, 59, MealKind.DINNER),
        (22, 0, MealKind.SNACK),
        (23, 59, MealKind.SNACK),
    ],
)
def test_a_new_meal_kind_follows_the_local_clock_at_the_band_edges(db, clock, hour, minute, kind):
    assert MealForm.kind_at(datetime(2026, 3, 2, hour, minute, tzinfo=LONDON)) == kind
    clock.at(datetime(2026, 7, 2, hour, minute), "Europe/London", tick=False)  # summer time
    with mock.patch("django.utils.timezone.get_current_timezone", return_value=LONDON):
        assert MealForm().initial["kind"] == kind


def test_the_kind_is_read_in_the_persons_zone_not_utc(client, bob, clock):
    """Bob lives in Los Angeles: 18:30 UTC is 10:30 there, breakfast, not dinner."""
    clock.at("2026-03-02T18:30", "UTC")
    client.force_login(bob)
    page = client.get(reverse("entry_create", args=["meal"])).content.decode()
    assert re.search(r'value="breakfast"[^>]*checked', page)
    assert not re.search(r'value="dinner"[^>]*checked', page)


def test_editing_keeps_the_stored_kind(alice):
    meal = Meal.objects.create(user=alice, at=datetime(2026, 3, 2, 8, 0, tzinfo=LONDON), kind=MealKind.DINNER)
    form = MealForm(instance=meal, now=datetime(2026, 3, 2, 8, 0, tzinfo=LONDON))
    assert form.initial["kind"] == MealKind.DINNER


def test_a_given_kind_is_kept(db):
    form = MealForm(initial={"kind": MealKind.SNACK}, now=datetime(2026, 3, 2, 8, 0, tzinfo=LONDON))
    assert form.initial["kind"] == MealKind.SNACK


def test_the_meal_form_gives_each_food_chip_its_words_and_a_quiet_hint(alice_client):
    page = alice_client.get(reverse("entry_create", args=["meal"])).content.decode()
    assert re.search(r'data-words="[^"]*\bbananas\b[^"]*\bpotassium\b[^"]*"', page)
    assert re.search(r'data-words="[^"]*\bchicken\b[^"]*"', page)
    hint = re.search(
        r'<div role="status"><p class="help" id="food-filter-none" hidden>([^<]*)</p></div>', page
    )
    assert hint and hint.group(1) == "Not in the list: type it under What you ate."
    assert 'data-filter-none="food-filter-none"' in page
    assert '<fieldset class="chips"' in page and 'class="chip"><input type="checkbox" name="foods"' in page
