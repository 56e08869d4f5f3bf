"""Back and Forward never show an old diary: after water taps, History then Back shows the current total; after
saving a cramp, Back then Forward shows Today with it. With the service worker controlling the page and without it,
in the light and the dark theme, on a phone (390x844, touch)."""

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import log_in, wait_until
from tests.conftest import PASSWORD
from tracker.models import Medication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAYS = [
    pytest.param(("light", "block"), id="light-no-service-worker"),
    pytest.param(("dark", "allow"), id="dark-service-worker"),
]


@pytest.fixture(params=WAYS)
def touch_phone(request, browser, live_server):
    scheme, workers = request.param
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        color_scheme=scheme,
        service_workers=workers,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.problems = problems
    page.service_workers = workers
    yield page
    context.close()


def signed_in(page, username: str) -> None:
    User.objects.create_user(username, password=PASSWORD)
    log_in(page, username)
    if page.service_workers == "allow":
        page.evaluate("navigator.serviceWorker.ready")
        if not page.evaluate("!!navigator.serviceWorker.controller"):
            page.reload()
        assert page.evaluate("!!navigator.serviceWorker.controller"), (
            "the service worker should control Today"
        )
    # What each page showed the moment it was shown, before any script brought it up to date.
    page.add_init_script(
        "window.addEventListener('pageshow', () => { window.firstShown = document.querySelector('main').innerText; })"
    )
    # Today, loaded once from the server with nothing logged: the copy an old page would come from.
    page.goto("/")


def fluids(page) -> str:
    return page.locator(".water p strong").first.inner_text()


def test_it_shows_the_current_water_total_after_history_then_back(touch_phone):
    page = touch_phone
    signed_in(page, "wendy")
    assert fluids(page) == "0 ml"
    for total in ("250 ml", "500 ml", "750 ml", "1000 ml"):
        page.get_by_role("button", name="+250 ml water").tap()
        wait_until(page, f"document.querySelector('.water p strong').textContent === '{total}'")

    page.locator("nav.tabbar a", has_text="History").tap()
    page.wait_for_url("**/history/")
    page.locator(".entry-drink").first.wait_for()
    page.go_back()
    wait_until(page, "document.querySelector('.water p strong').textContent === '1000 ml'")
    assert fluids(page) == "1000 ml"
    if page.service_workers == "allow":  # the worker asks the server, so the page arrives current
        assert "1000 ml" in page.evaluate("window.firstShown")
    # It stays current: nothing later puts the old copy back.
    page.wait_for_timeout(500)
    assert fluids(page) == "1000 ml"
    assert page.problems == []


def test_it_shows_a_saved_cramp_after_back_then_forward(touch_phone):
    page = touch_phone
    signed_in(page, "cyril")
    page.goto("/history/")
    page.goto("/")
    page.locator("summary.big-action").tap()
    page.locator("form.cramp-form button[type=submit]").first.tap()
    page.get_by_text("Cramp saved at").wait_for()
    assert page.locator(".timeline .entry-cramp").count() == 1

    page.go_back()
    page.wait_for_url("**/history/")
    page.locator(".entry-cramp").first.wait_for()  # History shows it too
    page.go_forward()
    page.wait_for_url(lambda url: url.endswith("/"))
    wait_until(page, "document.querySelectorAll('.timeline .entry-cramp').length === 1")
    if page.service_workers == "allow":
        assert "Nothing logged today yet" not in page.evaluate("window.firstShown")
    page.wait_for_timeout(500)
    assert page.locator(".timeline .entry-cramp").count() == 1
    assert page.problems == []


def test_any_other_page_of_the_diary_is_current_after_back(touch_phone):
    """A page with no part to refresh in place (here Medicines) is loaded again when Back shows it."""
    page = touch_phone
    signed_in(page, "maud")
    page.goto("/medicines/")
    assert "Nothing listed" in page.locator("main").inner_text()
    page.goto("/more/")
    # Added since Medicines was shown: from another device, say.
    Medication.objects.create(user=User.objects.get(username="maud"), name="Magnesium-rich foods diary")
    page.go_back()
    page.wait_for_url("**/medicines/")
    page.locator("main", has_text="Magnesium-rich foods diary").wait_for()  # a wait that outlives the reload
    page.wait_for_load_state()
    assert "Nothing listed" not in page.locator("main").inner_text()
    assert page.problems == []
