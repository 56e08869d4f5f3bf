"""A personal experiment in Chromium on a phone: start one and see the plan, see Today's block card and tap "Did
it today", and read the result of one that ran over 8 weeks of diary made for the test."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.browser.conftest import log_in, person_with_diary, same_clock
from tests.conftest import make_person
from tracker.experiments import schedule
from tracker.models import Experiment, ExperimentNight

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHANGE_FIRST = next(seed for seed in range(100) if schedule.draw_orders(seed, 2)[0] == "CU")


def test_start_an_experiment_see_the_plan_and_tap_did_it_today(phone, monkeypatch, artifacts):
    # The draw is fixed to a seed whose first pair starts with the change, so Today offers "Did it today".
    monkeypatch.setattr("tracker.experiments.progress.secrets.randbits", lambda bits: CHANGE_FIRST)
    person = make_person("ida", "Europe/London")
    page = phone
    log_in(page, "ida")
    page.goto("/more/")
    page.get_by_role("link", name="Try a change: does it help me?").tap()
    page.get_by_label("Stretch your calves before bed").check()
    page.get_by_label("1 week").check()
    page.get_by_role("button", name="Show me the plan").tap()
    plan = page.locator(".experiment-plan")
    plan.get_by_role("heading", name="Your plan").wait_for()
    assert plan.locator("li").count() == 4
    page.screenshot(path=str(artifacts / "experiment-plan.png"), full_page=True)
    page.get_by_role("button", name="Start tonight").tap()
    page.get_by_role("heading", name="Your experiment: stretch your calves before bed").wait_for()
    assert page.locator(".experiment-blocks li").count() == 4

    page.goto("/")
    card = page.locator("#experiment-card")
    assert "This week: stretch your calves before bed" in card.inner_text()
    assert "7 nights left in this block" in card.inner_text()
    card.get_by_role("button", name="Did it today").tap()
    page.locator("#experiment-card .experiment-done").wait_for()
    page.screenshot(path=str(artifacts / "experiment-today-card.png"), full_page=True)
    assert ExperimentNight.objects.filter(experiment__user=person).count() == 1
    page.reload()
    assert "Done today" in page.locator("#experiment-card").inner_text()
    assert page.problems == []


def test_the_result_of_8_weeks_shows_the_ratio_and_its_range(phone, artifacts):
    person = person_with_diary("uma", days=60, seed=5)
    start = timezone.localdate() - timedelta(days=57)
    experiment = Experiment.objects.create(
        user=person, change_key="fluid", change="more to drink through the day", block_days=14, pairs=2,
        seed=CHANGE_FIRST, orders=schedule.draw_orders(CHANGE_FIRST, 2), start=start,
    )  # fmt: skip
    page = phone
    log_in(page, "uma")
    page.goto(f"/experiments/{experiment.pk}/")
    text = page.locator(".experiment-results").inner_text()
    assert "What your diary shows" in text
    assert "times the cramps per night of your usual routine" in text and "95% range" in text
    assert "Take this to your clinician" in text
    page.screenshot(path=str(artifacts / "experiment-result.png"), full_page=True)

    # The summary for the weeks of the experiment carries its result, and so does its PDF.
    page.goto(f"/summary/?start={start.isoformat()}&end={timezone.localdate().isoformat()}")
    report = page.locator(".report-experiment")
    assert "Personal experiment: more to drink through the day" in report.inner_text()
    assert "Rate ratio (change / usual):" in report.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").tap()
    reader = PdfReader(download.value.path())
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert "Personal experiment: more to drink through the day" in text
    assert "Rate ratio (change / usual):" in text and "Nights analysed:" in text
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
    assert "Done today" in page.locator("#experiment-card").inner_text()
    assert list(ExperimentNight.objects.values_list("experiment", "night")) == [(experiment.pk, tonight)]
    assert page.problems == []
