"""A personal experiment in Chromium on a phone (390x844, touch): start one and see the plan in blocks and dates,
see Today's block card, tap "Did it today" and undo it (dark), and read the result of one that ran over 8 weeks of
diary made for the test, with the change done on fewer than 3 in 4 of its nights (dark), then its summary and PDF."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.browser.conftest import log_in, person_with_diary, same_clock
from tests.conftest import make_person
from tracker.experiments import progress, schedule
from tracker.models import Experiment, ExperimentNight

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHANGE_FIRST = next(seed for seed in range(100) if schedule.draw_orders(seed, 2)[0] == "CU")


def test_start_an_experiment_see_the_plan_and_tap_did_it_today_then_undo(
    phone, monkeypatch, artifacts, clock
):
    # The draw is fixed to a seed whose first pair starts with the change, so Today offers "Did it today".
    monkeypatch.setattr("tracker.experiments.progress.secrets.randbits", lambda bits: CHANGE_FIRST)
    page = phone
    same_clock(page, clock, "2026-12-04T21:30")
    person = make_person("ida", "Europe/London")
    log_in(page, "ida")
    page.goto("/more/")
    page.get_by_role("link", name="Try a change: does it help me?").tap()
    page.get_by_label("Stretch your calves before bed").check()
    page.get_by_label("1 week").check()
    page.get_by_role("button", name="Show me the plan").tap()
    plan = page.locator(".experiment-plan")
    plan.get_by_role("heading", name="Your plan").wait_for()
    assert plan.locator("li").count() == 4
    said = plan.inner_text()
    assert "Block 1: Fri 4 Dec to Thu 10 Dec" in said and "Pair" not in said
    assert "Blocks 1 and 2 are the first pair, 3 and 4 the second." in said
    assert "With 3 pairs the answer is surer" in said
    page.screenshot(path=str(artifacts / "experiment-plan.png"), full_page=True)
    page.get_by_role("button", name="Start tonight").tap()
    page.get_by_role("heading", name="Your experiment: stretch your calves before bed").wait_for()
    assert page.locator(".experiment-blocks li").count() == 4
    results = page.locator(".experiment-results").inner_text()
    assert "Nothing to count yet." in results and "0 of 0" not in results and "Nights up to" not in results

    page.emulate_media(color_scheme="dark")
    page.goto("/")
    card = page.locator("#experiment-card")
    assert "This block: stretch your calves before bed" in card.inner_text()
    assert "Block 1 of 4, 4 Dec to 10 Dec. 7 nights left, tonight included." in card.inner_text()
    card.get_by_role("button", name="Did it today").tap()
    page.locator("#experiment-card .experiment-done").wait_for()
    assert "Done for the night of Fri 4 Dec." in card.inner_text()
    assert ExperimentNight.objects.filter(experiment__user=person).count() == 1
    undo = card.get_by_role("button", name="Undo: I haven't done it")
    box = undo.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "experiment-today-card-dark.png"))
    undo.tap()
    card.get_by_role("button", name="Did it today").wait_for()
    assert not ExperimentNight.objects.filter(experiment__user=person).exists()
    card.get_by_role("button", name="Did it today").tap()
    page.locator("#experiment-card .experiment-done").wait_for()
    page.reload()
    assert "Done for the night of" in page.locator("#experiment-card").inner_text()
    assert ExperimentNight.objects.filter(experiment__user=person).count() == 1
    assert page.problems == []


def test_the_result_of_8_weeks_says_what_the_diary_shows_and_no_more(phone, artifacts, clock):
    page = phone
    same_clock(page, clock, "2026-12-04T21:30")
    person = person_with_diary("uma", days=60, seed=5)
    start = timezone.localdate() - timedelta(days=57)
    experiment = Experiment.objects.create(
        user=person, change_key="fluid", change="more to drink through the day", block_days=14, pairs=2,
        seed=CHANGE_FIRST, orders=schedule.draw_orders(CHANGE_FIRST, 2), start=start,
    )  # fmt: skip
    # The change marked done on 18 of its 28 nights: fewer than 3 in 4.
    change_nights = [
        n for b in progress.blocks_of(experiment, timezone.localdate()) if b.is_change for n in b.nights
    ]
    for night in change_nights[:18]:
        ExperimentNight.objects.create(experiment=experiment, night=night, at=timezone.now())
    log_in(page, "uma")
    page.emulate_media(color_scheme="dark")
    page.goto(f"/experiments/{experiment.pk}/")
    results = page.locator(".experiment-results")
    text = results.inner_text()
    assert "What your diary shows" in text
    assert "You marked the change as done on 18 of its 28 nights: too few for the diary to tell" in text
    assert text.count("18 of") == 1  # said once
    assert "All change nights" in text and "Nights the change was done" in text
    assert "On the change nights you had" in text and "Allowing for chance" in text
    assert "no upper limit" not in text and "chance easily" not in text
    assert "try it again with 3 pairs" in text
    rule = results.locator("details.experiment-rule")
    rule.locator("summary").tap()
    assert "We wait until you have logged at least 10 nights" in rule.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    page.screenshot(path=str(artifacts / "experiment-result-dark.png"), full_page=True)

    # The summary for the weeks of the experiment carries its result in the clinician's words, and so does its PDF.
    page.emulate_media(color_scheme="light")
    page.goto(f"/summary/?start={start.isoformat()}&end={timezone.localdate().isoformat()}")
    report = page.locator(".report-experiment")
    assert "Personal experiment: more to drink through the day" in report.inner_text()
    assert "Rate ratio (change / usual):" in report.inner_text()
    assert "The change was marked done on 18 of 28 change nights" in report.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").tap()
    reader = PdfReader(download.value.path())
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert "Personal experiment: more to drink through the day" in text
    assert "Rate ratio (change / usual):" in text and "Nights analysed:" in text
    assert "The change was marked done on 18 of 28 change nights" in text
    assert page.problems == []


def test_did_it_today_tapped_offline_waits_on_the_phone_and_is_stored_once(phone, artifacts, clock):
    from tests.browser.test_offline import controlled_by_the_service_worker

    # Late on New Year's Eve on both clocks: the tap kept on the phone counts for the night it was made.
    same_clock(phone, clock, "2026-12-31T23:50")
    person = make_person("noor", "Europe/London")
    tonight = timezone.localtime(timezone.now(), person.profile.zone).date()
    experiment = Experiment.objects.create(
        user=person, change_key="stretch", change="stretch your calves before bed", block_days=7, pairs=2,
        seed=CHANGE_FIRST, orders=schedule.draw_orders(CHANGE_FIRST, 2), start=tonight,
    )  # fmt: skip
    page = phone
    context = page.context
    log_in(page, "noor")
    controlled_by_the_service_worker(page)
    page.reload()  # the service worker keeps a copy of Today

    context.set_offline(True)
    page.reload()
    page.locator("#experiment-card").get_by_role("button", name="Did it today").tap()
    pending = page.locator("[data-pending]")
    pending.locator("li", has_text="Waiting to send").wait_for()
    assert "Did it today" in pending.inner_text()
    assert "kept on this phone" in page.locator("#experiment-card").inner_text()
    assert "kept on this phone" in page.locator(".flashes").inner_text()
    page.screenshot(path=str(artifacts / "experiment-done-offline.png"))
    assert not ExperimentNight.objects.exists()

    context.set_offline(False)
    page.locator("#experiment-card .experiment-done").wait_for()
    assert page.locator("[data-pending]").is_hidden()
    assert "1 entry sent" in page.locator(".flashes").inner_text()
    page.reload()  # a second chance to send must not send again
    assert "Done for the night of" in page.locator("#experiment-card").inner_text()
    assert list(ExperimentNight.objects.values_list("experiment", "night")) == [(experiment.pk, tonight)]
    assert page.problems == []
