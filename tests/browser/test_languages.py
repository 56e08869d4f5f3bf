"""A person whose phone speaks Spanish, or German, uses the whole diary in that language from the first screen:
sign-up, the 3 a.m. log, Trends, Learn, a tip, the see-a-doctor prompts; and makes a summary link in English for
their doctor, which a fresh browser opens in English.

Words are checked against the catalogues themselves (gettext under the language), so a better translation never
breaks the test, while an English word left on a page does: no English stop-word may show outside an element
marked as English on purpose (a published document's title, a language's own name)."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests.browser.conftest import same_clock
from tracker.models import CrampEpisode, ShareLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words that are English and never Spanish or German: a page in es or de shows none of them.
ENGLISH = re.compile(r"\b(the|your|you|and|with|what|when|this|that|have|night|cramps?|today|save)\b", re.I)
# The text a person reads, leaving out what is marked as being in another language than the page's.
READ = """() => {
    const body = document.body.cloneNode(true);
    const page = document.documentElement.lang;
    body.querySelectorAll('[lang]').forEach((el) => { if (el.lang !== page) el.remove(); });
    body.querySelectorAll('script, style, template').forEach((el) => el.remove());
    return body.innerText;
}"""
SPEAKERS = {
    "es": {"locale": "es-ES", "zone": "Europe/Madrid", "name": "rosa", "today": "hoy"},
    "de": {"locale": "de-DE", "zone": "Europe/Berlin", "name": "klaus", "today": "heute"},
}


def said(language: str, message: str, context: str | None = None) -> str:
    """The message as the catalogue writes it in `language`; never the English (the catalogue must have it)."""
    with translation.override(language):
        words = pgettext(context, message) if context else gettext(message)
    assert words != message, f"{message!r} is not translated into {language}"
    return words


def in_language(page, language: str, artifacts=None, shot: str | None = None) -> str:
    """The page is in `language`, has no English left, and nothing runs off the phone's screen sideways."""
    assert page.evaluate("document.documentElement.lang") == language, page.url
    text = page.evaluate(READ)
    left = sorted({word.lower() for word in ENGLISH.findall(text)})
    assert not left, f"English on {page.url}: {left}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"sideways scrolling on {page.url}"
    if shot:
        page.screenshot(path=str(artifacts / f"{shot}-{language}.png"))
    return text


@pytest.mark.parametrize("language", ["es", "de"])
def test_a_person_uses_the_diary_in_their_phones_language(browser, live_server, clock, artifacts, language):
    speaker = SPEAKERS[language]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, base_url=live_server.url,
        locale=speaker["locale"], timezone_id=speaker["zone"], color_scheme="dark",
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        same_clock(page, clock, "2026-12-04T03:05", speaker["zone"])
        # The first screen, in the phone's language, with the language switch.
        page.goto("/")
        in_language(page, language, artifacts, "front")
        assert page.locator(f'.language-switch button[lang="{language}"][aria-pressed="true"]').count() == 1

        page.goto("/accounts/signup/")
        in_language(page, language)
        page.fill("#id_username", speaker["name"])
        page.fill("#id_password1", "a-long-secret-42")
        page.fill("#id_password2", "a-long-secret-42")
        page.tap("button[type=submit]")
        page.wait_for_url(re.compile(r"^http://[^/]+/$"))
        assert page.locator("h1").first.inner_text().startswith(said(language, "Today"))
        in_language(page, language)

        # 3 a.m.: a cramp in two taps, its saved card in the language.
        page.tap("summary.big-action")
        page.locator("form.cramp-form button[type=submit]").first.tap()
        page.locator("#saved-card").wait_for()
        assert CrampEpisode.objects.filter(user__username=speaker["name"]).count() == 1
        in_language(page, language, artifacts, "today")

        page.goto("/trends/")
        in_language(page, language, artifacts, "trends")
        page.goto("/learn/")
        in_language(page, language, artifacts, "learn")
        page.goto("/tips/")
        in_language(page, language)
        page.goto("/learn/see-a-clinician/")
        text = in_language(page, language)
        assert re.search(rf"\b{speaker['today']}\b", text, re.I), "urgent wording says today, unmistakably"

        # A summary for a doctor who reads English: chosen on the page, kept with the link.
        page.goto("/summary/")
        in_language(page, language)
        page.select_option("#summary-language", "en")
        page.locator("form[action='/summary/'] button[type=submit]").tap()
        page.wait_for_url("**/summary/?*")
        page.locator("#id_expires_in").select_option("7")
        page.get_by_role("button", name=said(language, "Make a share link")).tap()
        page.wait_for_url("**/summary/links/")
        in_language(page, language)
        url = page.input_value("#share-url")
        assert ShareLink.objects.get().language == "en"
    finally:
        context.close()

    doctor = browser.new_context(viewport={"width": 1280, "height": 800}, locale=speaker["locale"])
    try:
        shared = doctor.new_page()
        assert shared.goto(url).status == 200
        assert shared.evaluate("document.documentElement.lang") == "en"
        assert shared.get_by_role("heading", name="Leg cramp diary summary", exact=True).is_visible()
    finally:
        doctor.close()
    assert problems == []


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_switch_changes_the_language_and_the_account_keeps_it(phone, language):
    page = phone  # an English phone
    page.goto("/")
    assert page.evaluate("document.documentElement.lang") == "en"
    with page.expect_navigation():
        page.locator(f'.language-switch button[lang="{language}"]').tap()
    in_language(page, language)
    page.goto("/accounts/signup/")
    page.fill("#id_username", "mia")
    page.fill("#id_password1", "a-long-secret-42")
    page.fill("#id_password2", "a-long-secret-42")
    page.tap("button[type=submit]")
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))
    in_language(page, language)
    from django.contrib.auth.models import User

    assert User.objects.get(username="mia").profile.language == language
