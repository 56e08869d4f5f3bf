"""What a newcomer and a person with prompts see, in plain words: the front page, Today's prompts with their
disclaimer, and the Sources page. Saves the screenshots in docs/using-the-diary.md."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD, cramp
from tracker.models import Medication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_sees_what_the_app_is_and_how_to_start(phone, artifacts):
    page = phone
    page.goto("/")
    create = page.get_by_role("link", name="Create your diary")
    assert create.is_visible() and create.bounding_box()["y"] < 844
    assert page.get_by_role("link", name="Log in").is_visible()
    assert "Your diary is yours" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "front.png"))
    assert page.problems == []


def test_prompts_speak_plainly_with_their_disclaimer_and_sources_by_title(phone, artifacts):
    person = User.objects.create_user("gwen", password=PASSWORD)
    cramp(person, timezone.now() - timedelta(days=3), warning_signs=["swelling"])
    Medication.objects.create(user=person, name="Furosemide")
    page = phone
    page.emulate_media(color_scheme="dark")
    log_in(page, "gwen")
    prompts = page.locator(".prompts")
    prompts.scroll_into_view_if_needed()
    text = prompts.text_content()
    assert "Urgent: today" in text and "If the leg is still swollen, red or warm" in text
    assert "Rule:" not in text and ".txt" not in text
    assert "not medical advice, a diagnosis or a dose" in page.locator("main").inner_text()
    prompts.screenshot(path=str(artifacts / "today-prompts.png"))
    page.get_by_role("link", name="Learn").tap()
    page.get_by_role("link", name="Where our information comes from").tap()
    page.wait_for_url("**/learn/sources/")
    main = page.locator("main").inner_text()
    assert "What Vitamins Prevent Leg Cramps and Support Muscle Health" in main and ".txt" not in main
    page.screenshot(path=str(artifacts / "sources.png"), full_page=True)
    assert page.problems == []
