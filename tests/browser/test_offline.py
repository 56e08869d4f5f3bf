"""3 a.m., no signal: a cramp and a drink logged offline wait on the phone, survive a closed tab, and arrive once."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.conftest import log_in, same_clock, wait_until
from tests.conftest import PASSWORD
from tracker.models import CrampEpisode, Drink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def controlled_by_the_service_worker(page) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller"), "the service worker should control Today"


def test_it_keeps_entries_made_offline_and_sends_them_once_when_back_online(phone, artifacts, clock):
    # The last minutes of the year, on the phone and on the server: what is kept is sent with the minute it was
    # logged, whatever the hour it arrives.
    same_clock(phone, clock, "2026-12-31T23:50", "UTC")
    person = User.objects.create_user("nightowl", password=PASSWORD)
    page = phone
    context = page.context
    log_in(page, "nightowl")
    controlled_by_the_service_worker(page)
    page.reload()  # now the service worker has a copy of Today

    context.set_offline(True)
    page.reload()
    notice = page.locator("[data-offline-notice]")
    assert notice.is_visible() and "offline" in notice.inner_text()
    logged_at = timezone.now()
    page.tap("summary.big-action")
    page.locator("form.cramp-form button[type=submit]").first.tap()
    pending = page.locator("[data-pending]")
    pending.locator("li", has_text="Waiting to send").wait_for()
    assert re.search(r"Cramp · \d\d:\d\d\s+Waiting to send", pending.inner_text())  # today's: the time alone
    page.get_by_role("button", name="+250 ml water").tap()
    wait_until(page, "document.querySelectorAll('[data-pending-list] li').length === 2")
    assert "kept on this phone" in page.locator(".flashes").inner_text()
    page.screenshot(path=str(artifacts / "today-offline.png"))
    assert CrampEpisode.objects.count() == 0 and Drink.objects.count() == 0

    # The tab is closed and opened again later, still offline: the entries are still waiting.
    page.close()
    page = context.new_page()
    page.goto("/")
    wait_until(page, "document.querySelectorAll('[data-pending-list] li').length === 2")
    assert CrampEpisode.objects.count() == 0

    context.set_offline(False)
    page.locator(".timeline .entry-cramp").wait_for()
    page.locator(".timeline .entry-drink").wait_for()
    assert page.locator("[data-pending]").is_hidden()
    assert "2 entries sent" in page.locator(".flashes").inner_text()

    page.reload()  # a second chance to send must not send again
    page.locator(".timeline .entry-cramp").wait_for()
    cramps = list(CrampEpisode.objects.filter(user=person))
    drinks = list(Drink.objects.filter(user=person))
    assert len(cramps) == 1 and len(drinks) == 1
    assert drinks[0].amount_ml == 250
    # Saved with the time it was logged on the phone (to the minute), not the time it was sent.
    assert abs(cramps[0].at - logged_at) < timedelta(minutes=1, seconds=5)
    assert page.evaluate("indexedDB.databases().then(d => d.length)") >= 1
