"""The 3 a.m. log on a phone: two taps invent nothing, the save and its warning are in view, details take one tap
each, a cramp can be timed, Back never doubles an entry, and details queued offline arrive once."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.conftest import log_in, same_clock, wait_until
from tests.browser.test_offline import controlled_by_the_service_worker
from tests.conftest import PASSWORD
from tracker.models import CrampEpisode, Drink, Meal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Taps:
    """Taps the page and counts them, so a journey's cost in taps is measured, not guessed."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def __call__(self, locator) -> None:
        locator.tap()
        self.count += 1


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
        }""",
        selector,
    )


def test_two_taps_save_a_cramp_that_invents_nothing(phone, artifacts):
    User.objects.create_user("ada", password=PASSWORD)
    page = phone
    log_in(page, "ada")
    tap = Taps(page)
    tap(page.locator("summary.big-action"))
    tap(page.locator("form.cramp-form button[type=submit]").first)
    page.locator("#saved-card").wait_for()
    assert tap.count == 2
    cramp = CrampEpisode.objects.get(user__username="ada")
    assert (cramp.muscle, cramp.side, cramp.intensity, cramp.duration_seconds) == (None, None, None, None)
    entry = page.locator(".timeline .entry-cramp").inner_text()
    assert "not recorded: which leg, how bad, how long, which muscle" in entry
    for invented in ("Calf", "left", "how bad: moderate", "3 min"):
        assert invented not in entry
    assert in_view(page, "#saved-title")
    assert page.evaluate("document.activeElement.id") == "saved-title"
    page.screenshot(path=str(artifacts / "saved-light.png"))
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(artifacts / "saved-dark.png"))
    assert page.problems == []


def test_the_urgent_warning_is_in_view_and_focused_after_the_lower_save(phone, artifacts):
    User.objects.create_user("bea", password=PASSWORD)
    page = phone
    page.emulate_media(color_scheme="dark")
    log_in(page, "bea")
    page.tap("summary.big-action")
    page.locator("label.chip", has_text="Swelling of one leg").tap()
    lower_save = page.locator("form.cramp-form button[type=submit]").last
    lower_save.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 600  # the person is far down the sheet, as most are
    lower_save.tap()
    heading = ".saved-card .prompt-heading"
    page.locator(heading).wait_for()
    wait_until(
        page, "document.activeElement && document.activeElement.matches('.saved-card .prompt-heading')"
    )
    assert in_view(page, heading)
    assert "Swelling, redness or warmth of one leg" in page.locator(heading).inner_text()
    assert page.locator(".saved-card .prompt").get_attribute("role") == "alert"
    assert page.get_by_role("alert").count() == 1  # announced once, not again by Today's list of prompts
    page.screenshot(path=str(artifacts / "saved-urgent-dark.png"))
    assert page.problems == []


def test_the_full_3am_entry_takes_at_most_8_taps_and_no_typing(phone):
    """Right leg, intensity 7, 4 minutes, woke me, stretching helped."""
    User.objects.create_user("cleo", password=PASSWORD)
    page = phone
    log_in(page, "cleo")
    tap = Taps(page)
    tap(page.locator("summary.big-action"))
    tap(page.locator("form.cramp-form button[type=submit]").first)
    card = page.locator("#saved-card")
    card.wait_for()

    def choose(legend: str, label: str) -> None:
        row = card.locator("fieldset", has=page.locator("legend", has_text=legend))
        tap(row.get_by_role("button", name=label, exact=True))
        wait_until(page, f"!!document.querySelector('#saved-card') && {tap.count} > 0")
        row = page.locator("#saved-card fieldset", has=page.locator("legend", has_text=legend))
        row.get_by_role("button", name=label, exact=True).and_(page.locator("[aria-pressed=true]")).wait_for()

    choose("How bad?", "7")
    choose("Which leg?", "Right")
    choose("How long?", "4")
    choose("It woke me", "Yes")
    choose("What helped?", "Stretching")
    assert tap.count <= 8
    cramp = CrampEpisode.objects.get(user__username="cleo")
    assert (cramp.side, cramp.intensity, cramp.duration_seconds, cramp.woke_from_sleep, cramp.relief) == (
        "right",
        7,
        240,
        True,
        ["stretching"],
    )
    assert cramp.muscle is None  # not chosen, so not recorded
    assert (
        "right leg · how bad: severe (7) · 4\u00a0min · woke me · helped: stretching"
        in page.locator(".saved-what").inner_text()
    )
    assert "Not recorded: which muscle." in page.locator("#saved-card").inner_text()
    assert page.problems == []


def test_a_timed_cramp_survives_a_reload_and_stores_what_was_measured(phone, clock):
    same_clock(phone, clock, "2026-12-04T03:00")  # the page counts from the start the server stored
    User.objects.create_user("dora", password=PASSWORD)
    page = phone
    log_in(page, "dora")
    page.get_by_role("button", name="It's happening now: time it").tap()
    page.locator(".timing").wait_for()
    started = time.monotonic()
    page.reload()  # or the phone locked: the start is in the diary, not in the page
    wait_until(page, "/so far/.test(document.querySelector('.elapsed').textContent)")
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="It stopped").tap()
    stopped = time.monotonic()
    page.locator("#saved-card").wait_for()
    cramp = CrampEpisode.objects.get(user__username="dora")
    assert not cramp.ongoing
    assert abs(cramp.duration_seconds - (stopped - started)) <= 2
    assert page.locator(".timing").count() == 0
    assert page.problems == []


def test_back_then_save_stores_one_entry_for_a_cramp_a_drink_and_a_meal(phone):
    person = User.objects.create_user("eve", password=PASSWORD)
    page = phone
    log_in(page, "eve")
    for path, fill in (
        ("/log/cramp/", None),
        ("/log/drink/", None),
        ("/log/meal/", ("#id_description", "Toast")),
    ):
        page.goto(path)
        if fill:
            page.fill(*fill)
        page.get_by_role("button", name="Save", exact=True).first.tap()
        page.wait_for_url(lambda url, path=path: path not in url)  # saved, and on Today
        page.locator("#today-body").wait_for()
        page.go_back()
        page.wait_for_url(f"**{path}")
        page.locator("form.entry-form").wait_for()
        page.get_by_role("button", name="Save", exact=True).first.tap()
        page.wait_for_url(lambda url, path=path: path not in url)
        page.locator("#today-body").wait_for()
    assert CrampEpisode.objects.filter(user=person).count() == 1
    assert Drink.objects.filter(user=person).count() == 1
    assert Meal.objects.filter(user=person).count() == 1
    assert page.problems == []


def test_a_cramp_and_a_detail_kept_offline_arrive_once(phone, clock):
    same_clock(phone, clock, "2026-12-04T03:00")
    person = User.objects.create_user("fay", password=PASSWORD)
    page = phone
    context = page.context
    log_in(page, "fay")
    controlled_by_the_service_worker(page)
    page.reload()
    context.set_offline(True)
    page.reload()
    page.tap("summary.big-action")
    page.locator("form.cramp-form button[type=submit]").first.tap()
    kept = page.locator(".saved-card", has_text="Cramp kept on this phone")
    kept.wait_for()
    kept.locator("fieldset", has=page.locator("legend", has_text="How bad?")).get_by_role(
        "button", name="6", exact=True
    ).tap()
    wait_until(page, "document.querySelectorAll('[data-pending-list] li').length === 2")
    assert CrampEpisode.objects.count() == 0

    context.set_offline(False)
    page.locator(".timeline .entry-cramp").wait_for()
    wait_until(page, "document.querySelector('[data-pending]').hidden")
    page.reload()  # a second chance to send must not send again
    page.locator(".timeline .entry-cramp").wait_for()
    cramps = list(CrampEpisode.objects.filter(user=person))
    assert len(cramps) == 1
    assert cramps[0].intensity == 6
    assert abs(cramps[0].at - timezone.now()) < timedelta(minutes=2)


def test_the_sheet_says_what_will_be_saved_as_it_is_chosen(phone, clock):
    page = phone
    same_clock(page, clock, "2026-12-05T09:00", "UTC")  # after 3 a.m., when "3 a.m. last night" is offered
    User.objects.create_user("gil", password=PASSWORD)
    log_in(page, "gil")
    page.tap("summary.big-action")
    line = page.locator("[data-cramp-summary]")
    assert line.inner_text() == "Now. Nothing else is recorded unless you choose it."
    page.locator(".scale label.chip", has_text="7").tap()
    page.locator("label.chip", has_text="Right").tap()
    page.get_by_role("button", name="4", exact=True).tap()
    page.locator("label.check", has_text="It woke me").tap()
    page.locator("label.chip", has_text="Stretching").tap()
    assert (
        line.inner_text()
        == "Now · right leg · how bad: severe (7) · 4\u00a0min · woke me · helped: stretching."
    )
    # A time chosen says itself in words, under the field and in the line.
    help_text = page.locator("#id_at_helptext")
    assert help_text.inner_text() == "Leave it empty to use the time now."
    page.get_by_role("button", name="3 a.m. last night").tap()
    assert help_text.inner_text() == "Last night, about 3\u00a0a.m."
    assert line.inner_text().startswith("Last night, about 3\u00a0a.m. · right leg")
    page.get_by_role("button", name="Now", exact=True).tap()
    assert help_text.inner_text() == "Leave it empty to use the time now."
    page.locator("form.cramp-form button[type=submit]").last.tap()
    page.locator("#saved-card").wait_for()
    cramp = CrampEpisode.objects.get(user__username="gil")
    assert (cramp.side, cramp.intensity, cramp.duration_seconds, cramp.woke_from_sleep) == (
        "right",
        7,
        240,
        True,
    )
    assert page.problems == []
