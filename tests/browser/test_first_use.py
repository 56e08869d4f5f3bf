"""A new person on a phone: sign up, log a cramp in two taps, add water, all without a page load."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_a_newcomer_from_sign_up_to_a_logged_cramp_and_water(phone, artifacts):
    page = phone
    page.goto("/accounts/signup/")
    page.fill("#id_username", "newcomer")
    page.fill("#id_password1", "a-long-secret-42")
    page.fill("#id_password2", "a-long-secret-42")
    page.tap("button[type=submit]")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))
    assert page.locator("h1").first.inner_text().startswith("Today")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.evaluate("window.stillTheSamePage = true")
    page.tap("summary.big-action")  # tap 1
    page.locator("form.cramp-form button[type=submit]").first.tap()  # tap 2
    timeline = page.locator("ol.timeline")
    timeline.locator(".entry-cramp").wait_for()
    assert "not recorded: which leg, how bad" in timeline.inner_text()  # two taps record when, invent nothing
    assert "Cramp saved at" in page.locator("#today-body").inner_text()

    page.get_by_role("button", name="+250 ml water").tap()
    timeline.locator(".entry-drink").wait_for()
    assert "250 ml" in page.locator(".water").inner_text()
    assert page.evaluate("window.stillTheSamePage") is True, "expected in-place updates, not a page load"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.problems == []
    page.screenshot(path=str(artifacts / "today.png"), full_page=False)
