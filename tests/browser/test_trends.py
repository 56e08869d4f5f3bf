"""The Trends page on a phone: every chart is drawn, and the range switch redraws them in place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, person_with_diary, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each chart canvas: its name, how many labels Chart.js holds, and whether any pixel has been painted.
CANVASES = """() => [...document.querySelectorAll('canvas[data-chart]')].map(canvas => {
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted++; } }
  return {name: canvas.dataset.chart, labels: chart ? chart.data.labels.length : 0, painted,
          width: canvas.width, height: canvas.height};
})"""


def test_trends_draws_every_chart_and_the_range_switch_redraws_them(phone, artifacts):
    person = person_with_diary("hana", days=200, seed=11)
    today = timezone.localtime(timezone.now(), person.profile.zone).date()
    page = phone
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "hana")
    page.goto("/trends/")
    wait_until(
        page,
        "document.querySelectorAll('canvas[data-chart]').length === 7 && "
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))",
    )
    charts = page.evaluate(CANVASES)
    assert [c["name"] for c in charts] == [
        "cramps",
        "minutes",
        "hours",
        "muscles",
        "fluid",
        "exercise",
        "nutrients",
    ]
    for chart in charts:
        assert chart["width"] > 200 and chart["height"] > 100, chart
        assert chart["painted"] > 0.02 * chart["width"] * chart["height"], (
            f"{chart['name']} looks blank: {chart}"
        )
    weekly = {c["name"]: c["labels"] for c in charts}
    assert weekly["cramps"] == weekly["nutrients"] == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "trends.png"), full_page=True)

    page.get_by_role("link", name="4 weeks").tap()
    wait_until(
        page, "Chart.getChart(document.querySelector('canvas[data-chart=cramps]'))?.data.labels.length === 4"
    )
    assert page.url.endswith("/trends/?range=4w")
    assert page.get_by_role("link", name="4 weeks").get_attribute("aria-current") == "true"
    redrawn = page.evaluate(CANVASES)
    assert len(redrawn) == 7
    assert all(c["painted"] > 0 for c in redrawn)
    assert {c["name"]: c["labels"] for c in redrawn}["nutrients"] == 4

    page.get_by_text("Custom dates").tap()
    page.fill("#id_start", (today - timedelta(days=13)).isoformat())
    page.fill("#id_end", today.isoformat())
    page.get_by_role("button", name="Show").tap()
    wait_until(
        page, "Chart.getChart(document.querySelector('canvas[data-chart=cramps]'))?.data.labels.length <= 3"
    )
    assert "range=custom" in page.url
    assert page.problems == []
