"""Finding a food on a phone in plain words: a plural, a nutrient, and something the list does not have."""

import pytest
from django.contrib.auth.models import User

from knowledge.models import Food
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tracker.models import Meal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shown(page) -> set[str]:
    return set(
        page.locator("label.chip:has(input[name=foods])").evaluate_all(
            "chips => chips.filter(chip => chip.checkVisibility()).map(chip => chip.textContent.trim())"
        )
    )


def test_find_a_food_by_plural_nutrient_or_not_at_all_then_save_it(phone, foods):
    person = User.objects.create_user("hal", password=PASSWORD)
    page = phone
    log_in(page, "hal")
    page.goto("/log/meal/")
    box = page.get_by_label("Find a food")
    hint = page.get_by_text("Not in the list: type it under What you ate.")
    assert hint.is_hidden()
    assert len(shown(page)) == Food.objects.count()

    box.fill("bananas")
    page.locator("label.chip", has_text="Banana").wait_for()
    assert shown(page) == {"Banana"}
    assert hint.is_hidden()

    box.fill("potassium")
    potassium = {food.name for food in Food.objects.all() if "potassium" in food.nutrients}
    assert len(potassium) > 3
    assert shown(page) == potassium

    box.fill("chicken nuggets xyz")
    hint.wait_for()
    assert hint.is_visible()
    assert shown(page) == set()
    assert page.locator("[role=status]:has(#food-filter-none)").count() == 1

    box.fill("Chicken")
    assert hint.is_hidden()
    assert shown(page) == {"Lean meat"}
    page.locator("label.chip", has_text="Lean meat").tap()

    box.fill("bananas")
    page.locator("label.chip", has_text="Banana").tap()
    assert shown(page) == {"Banana", "Lean meat"}  # what was ticked stays in view

    page.get_by_role("button", name="Save", exact=True).first.tap()
    page.wait_for_url(lambda url: "/log/meal/" not in url)
    meal = Meal.objects.get(user=person)
    assert {food.name for food in meal.foods.all()} == {"Banana", "Lean meat"}
    assert page.problems == []
