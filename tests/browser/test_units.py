"""Switching to fluid ounces on a phone: the profile saves without touching the target, and no page says "ml"."""

import re

import pytest

from tests.browser.conftest import log_in, person_with_diary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switching_to_fl_oz_changes_every_amount_and_keeps_the_target(phone):
    person = person_with_diary("fern", days=20, seed=5)
    page = phone
    log_in(page, "fern")
    page.goto("/accounts/profile/")
    page.locator("label.chip", has_text="fluid ounces").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Save profile").tap()
    assert "Profile saved." in page.locator(".flashes").inner_text()
    person.profile.refresh_from_db()
    assert (person.profile.volume_unit, person.profile.fluid_target_ml) == ("floz", 2000)
    for path in ("/", "/tips/", "/trends/"):
        page.goto(path)
        text = page.locator("main").inner_text()
        assert not re.search(r"\bml\b", text), (path, re.search(r".{40}\bml\b.{20}", text, re.S))
        assert "fl oz" in text, path
    assert page.problems == []
