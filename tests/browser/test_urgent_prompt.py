"""Logging a cramp with swelling of one leg shows the urgent prompt right after saving."""

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_urgent_prompt_as_soon_as_a_swollen_leg_is_logged(phone, artifacts):
    User.objects.create_user("grace", password=PASSWORD)
    page = phone
    page.goto("/accounts/login/")
    page.fill("#id_username", "grace")
    page.fill("#id_password", PASSWORD)
    page.tap("button[type=submit]")
    page.locator("summary.big-action").tap()
    page.get_by_label("Swelling of one leg").check()
    page.locator("form.cramp-form button[type=submit]").last.tap()
    alert = page.get_by_role("alert").filter(has_text="Swelling, redness or warmth of one leg")
    alert.wait_for()
    text = alert.inner_text()
    assert "blood clot" in text and "Call emergency services now" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.problems == []
    alert.screenshot(path=str(artifacts / "urgent-prompt.png"))
