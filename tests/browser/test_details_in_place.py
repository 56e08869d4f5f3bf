"""After "Cramp saved", each one-tap detail keeps the tapped row where it is on the screen and the next row in view
(the screen used to jump back up to the saved card), and "Done" closes the card. On a phone, 390x844, touch, light
and dark."""

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import log_in, wait_until
from tests.conftest import PASSWORD
from tracker.models import CrampEpisode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAPS = [("How bad?", "7"), ("Which leg?", "Left"), ("How long?", "3")]


@pytest.fixture(params=["light", "dark"])
def touch_phone(request, browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        color_scheme=request.param,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.problems = problems
    yield page
    context.close()


def row(page, legend: str):
    return page.locator("#saved-card fieldset.tap-row", has=page.locator("legend", has_text=legend))


def top_of(locator) -> float:
    return locator.evaluate("el => el.getBoundingClientRect().top")


def visible_bottom(page) -> float:
    """The bottom of what the person can see: the top of the tab bar fixed at the bottom of the screen."""
    return page.evaluate(
        "(() => { const bar = document.querySelector('nav.tabbar');"
        " return bar ? bar.getBoundingClientRect().top : innerHeight; })()"
    )


def saved_a_cramp(page, username: str) -> CrampEpisode:
    person = User.objects.create_user(username, password=PASSWORD)
    log_in(page, username)
    page.locator("summary.big-action").tap()
    page.locator("form.cramp-form button[type=submit]").first.tap()
    page.get_by_text("Cramp saved at").wait_for()
    return CrampEpisode.objects.get(user=person)


def test_each_detail_tap_keeps_the_tapped_row_in_place_and_the_next_in_view(touch_phone):
    page = touch_phone
    cramp = saved_a_cramp(page, "petra")
    legends = [legend for legend, _ in TAPS] + ["It woke me"]
    for number, (legend, chip) in enumerate(TAPS):
        tapped = row(page, legend)
        # The person has scrolled the row near the top of the screen to reach it, as on a long card.
        tapped.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().top - 120)")
        before = top_of(tapped)
        tapped.get_by_role("button", name=chip, exact=True).tap()
        wait_until(
            page,
            f"!!document.querySelector('#saved-card fieldset:nth-of-type({number + 1}) "
            f'button[aria-pressed="true"]\')',
        )
        page.wait_for_timeout(300)  # anything that would scroll has done so
        after = top_of(row(page, legend))
        assert abs(after - before) <= 3, f"{legend} moved from {before:.0f} to {after:.0f} px"
        following = row(page, legends[number + 1])
        box = following.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= visible_bottom(page), (
            f"the row after {legend} is out of view"
        )
    cramp.refresh_from_db()
    assert (cramp.intensity, cramp.side, cramp.duration_seconds) == (7, "left", 180)
    assert page.problems == []


def test_done_closes_the_card_and_nothing_else_moves(touch_phone):
    page = touch_phone
    saved_a_cramp(page, "dora")
    row(page, "Which leg?").get_by_role("button", name="Right", exact=True).tap()
    wait_until(page, "!!document.querySelector('#saved-card button[value=right][aria-pressed=\"true\"]')")
    done = page.locator("#saved-card .done-row").get_by_role(
        "button", name="Done"
    )  # the one below the details
    done.scroll_into_view_if_needed()
    below = page.locator(".log-cramp")
    before = top_of(below)
    done.tap()
    wait_until(page, "!document.querySelector('#saved-card')")
    # What followed the card stays where it was, or, when the card was taller than the page above it could
    # scroll, the page ends at its top: Today's heading and "Log a cramp" in view, nowhere else.
    if top_of(below) + page.evaluate("scrollY") >= before:
        assert abs(top_of(below) - before) <= 3
    else:
        assert page.evaluate("scrollY") == 0
    assert top_of(page.locator("main h1")) >= 0 and top_of(below) + 80 <= visible_bottom(page)
    assert "?saved" not in page.url
    # The cramp is in the timeline with what was tapped.
    assert "right leg" in page.locator(".timeline .entry-cramp").inner_text().lower()
    assert page.problems == []
