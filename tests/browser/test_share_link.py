"""The person makes a share link on a phone; a fresh browser with no login opens it and reads the summary."""

import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import log_in, person_with_diary
from tracker.models import Medication, ShareLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MARGINS = {"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"}


def test_a_share_link_opens_the_summary_in_a_fresh_browser(phone, browser, live_server, artifacts, clock):
    # Early in a month, so the default 4 weeks span two months and the summary shows two calendars.
    clock.at("2026-12-04T21:30")
    person = person_with_diary("iris", days=60, seed=5)
    for name, kind in [("Atorvastatin", "medicine"), ("Furosemide", "medicine"), ("Magnesium", "supplement")]:
        Medication.objects.create(user=person, name=name, kind=kind, dose="as on the pack")
    page = phone
    log_in(page, "iris")

    page.goto("/more/")
    page.get_by_role("link", name="Summary for a clinician: print, PDF, share link").tap()
    page.wait_for_url("**/summary/")
    assert page.get_by_role("heading", name="Leg cramp diary summary", exact=True).is_visible()
    page.screenshot(path=str(artifacts / "summary.png"), full_page=True)
    page.fill("#id_name", "Iris Example")
    page.fill("#id_birth_date", "1952-03-04")
    page.select_option("#id_expires_in", "7")
    page.get_by_role("button", name="Make a share link").tap()
    page.wait_for_url("**/summary/")
    page.wait_for_url("**/summary/links/")
    url = page.input_value("#share-url")
    assert "/s/" in url
    assert page.get_by_text("Works until").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    for width, height in [(1280, 800), (390, 844)]:
        first_screen_of_a_link(browser, url, width, height, artifacts)

    stranger = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        shared = stranger.new_page()
        response = shared.goto(url)
        assert response.status == 200
        assert response.headers["referrer-policy"] == "no-referrer"
        assert shared.get_by_role("heading", name="Leg cramp diary summary", exact=True).is_visible()
        assert shared.locator("svg.week-chart rect.bar").count() == 4  # the default period: 4 weeks
        for paper in ("A4", "Letter"):  # printed at normal density it fits one page
            content = shared.pdf(format=paper, margin=MARGINS)
            (artifacts / f"shared-printed-{paper}.pdf").write_bytes(content)
            printed = PdfReader(io.BytesIO(content))
            assert len(printed.pages) == 1, paper
        assert shared.get_by_role("link", name="Download PDF").is_visible()
        assert not shared.locator("nav.tabbar").count()  # nothing of the diary beyond the summary
        shared.goto(live_server.url + "/history/")
        assert "/accounts/login/" in shared.url
    finally:
        stranger.close()

    page.reload()
    page.wait_for_load_state()
    assert page.get_by_text("Opened 3 times").is_visible()  # two first screens and the phone
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke").tap()
    assert page.get_by_text("Revoked", exact=True).is_visible()
    gone = browser.new_context()
    try:
        again = gone.new_page()
        assert again.goto(url).status == 410
        assert again.get_by_role("heading", name="This link is no longer valid").is_visible()
    finally:
        gone.close()
    assert ShareLink.objects.get(user=person).revoked_at is not None
    assert page.problems == []


def first_screen_of_a_link(browser, url: str, width: int, height: int, artifacts) -> None:
    """A clinician opens the link: the first screen, unscrolled, holds the name, the period, the three numbers and
    the start of the nights calendar. Where the period spans two or three months, the calendars follow in date order,
    as on paper, so the first (earliest) month's heading and first week are what must be in view; the later ones
    are a scroll away, and the PDF holds them all on one page."""
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone
    )
    try:
        page = context.new_page()
        assert page.goto(url).status == 200
        page.screenshot(path=str(artifacts / f"shared-first-screen-{width}.png"))

        def in_view(locator) -> bool:
            box = locator.bounding_box()
            return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height

        report = page.locator("article.report")
        assert in_view(report.get_by_text("Iris Example")), width
        assert in_view(report.get_by_text("4 Mar 1952")), width
        assert in_view(report.locator(".report-who strong").filter(has_text=" to ")), width
        figures = report.locator(".key-figure")
        assert figures.count() == 3
        for index in range(3):
            assert in_view(figures.nth(index)), (width, index)
        assert [figures.nth(i).locator("dt").inner_text() for i in range(3)] == [
            "Cramps per week",
            "Nights with cramps",
            "Mean intensity",
        ]
        assert report.locator(".nights-grid").count() == 2  # November and December
        calendar = report.locator(".nights-grid").first
        assert in_view(calendar.locator("thead")), width
        assert in_view(calendar.locator("tbody tr").first), width
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
