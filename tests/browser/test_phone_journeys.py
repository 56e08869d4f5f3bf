"""On a phone: fix a mistake (edit, delete), read at night in the dark theme, and log out leaving nothing behind."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import log_in, person_with_diary, wait_until
from tests.conftest import PASSWORD
from tracker.models import CrampEpisode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DARK_BACKGROUND = "rgb(15, 23, 32)"  # --bg in the dark theme
LIGHT_BACKGROUND = "rgb(245, 247, 250)"


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_it_edits_then_deletes_a_cramp_from_today(phone):
    # An empty diary: a generated one could hold a cramp of its own today (near midnight, it did).
    person = User.objects.create_user("edith", password=PASSWORD)
    page = phone
    log_in(page, "edith")
    page.tap("summary.big-action")
    page.locator("form.cramp-form button[type=submit]").first.tap()
    cramp = page.locator(".timeline .entry-cramp")
    cramp.wait_for()

    cramp.get_by_role("link", name="Edit cramp").tap()
    page.wait_for_url("**/edit/**")
    page.locator(".scale label.chip", has_text="8").tap()
    page.check("input[name=muscle][value=foot]")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").tap()
    assert "Cramp updated." in page.locator(".flashes").inner_text()
    assert urlsplit(page.url).path == "/"  # back on Today
    assert "how bad: severe (8)" in cramp.inner_text() and "Foot" in cramp.inner_text()
    saved = CrampEpisode.objects.get(user=person)
    assert (saved.intensity, saved.muscle) == (8, "foot")

    page.once("dialog", lambda dialog: dialog.accept())  # "Delete this cramp?"
    cramp.get_by_role("link", name="Delete cramp").tap()
    page.get_by_text("Cramp deleted.").wait_for()
    assert cramp.count() == 0
    assert not CrampEpisode.objects.filter(user=person).exists()
    assert page.problems == []


def test_dark_theme_follows_the_phone_and_a_choice_is_remembered_without_a_flash(phone, browser, artifacts):
    person_with_diary("nadia", days=30, seed=4)
    page = phone
    log_in(page, "nadia")
    page.screenshot(path=str(artifacts / "today-light.png"))
    assert background(page) == LIGHT_BACKGROUND

    page.emulate_media(color_scheme="dark")
    assert background(page) == DARK_BACKGROUND  # the phone's setting, with nothing chosen
    page.goto("/more/")
    with page.expect_navigation():
        page.get_by_role("button", name="Light").tap()
    assert background(page) == LIGHT_BACKGROUND  # chosen over the phone's dark
    with page.expect_navigation():
        page.get_by_role("button", name="Dark").tap()
    page.emulate_media(color_scheme="light")
    assert background(page) == DARK_BACKGROUND  # chosen over the phone's light
    assert page.get_by_role("button", name="Dark").get_attribute("aria-pressed") == "true"
    page.goto("/")
    page.screenshot(path=str(artifacts / "today-dark.png"))

    # No flash: the colours arrive with the HTML and the stylesheet. With scripts off, the first paint is dark.
    still = browser.new_context(java_script_enabled=False, color_scheme="light", base_url=page.url)
    try:
        still.add_cookies(page.context.cookies())
        first = still.new_page()
        first.goto("/")
        assert first.evaluate("document.documentElement.dataset.theme") == "dark"
        assert background(first) == DARK_BACKGROUND
    finally:
        still.close()
    assert background(page) == DARK_BACKGROUND
    assert page.problems == []


def test_logging_out_ends_the_session_and_forgets_pages_kept_for_offline(phone):
    person_with_diary("lou", days=7, seed=6)
    page = phone
    log_in(page, "lou")
    page.evaluate("navigator.serviceWorker.ready")
    page.goto("/history/")
    wait_until(page, "caches.keys().then(keys => keys.some(k => k.startsWith('pages-')))")
    page.goto("/more/")
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").tap()
    assert "/accounts/login/" in page.url
    wait_until(page, "caches.keys().then(keys => !keys.some(k => k.startsWith('pages-')))")
    page.goto("/history/")
    assert "/accounts/login/" in page.url  # the diary is behind the login again
    assert page.locator("nav.tabbar").count() == 0
    assert page.problems == []


def test_text_follows_the_browsers_font_size_without_sideways_scroll(phone):
    person_with_diary("tess", days=7, seed=8)
    page = phone
    log_in(page, "tess")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24}})  # the browser's "large text" setting
    for url in ("/", "/trends/", "/summary/", "/log/cramp/"):
        page.goto(url)
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "24px", url
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
