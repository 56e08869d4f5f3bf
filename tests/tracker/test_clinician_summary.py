"""The clinician's summary at any size of diary: one page on A4 and on US Letter, a fixed number of queries, and a
personal experiment reported the CENT way (plan, blocks, nights analysed and missing, effect with its interval)."""

import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import cramp
from tests.heavy import build_heavy
from tracker.experiments.stats import RateRatio
from tracker.models import Experiment, ExperimentNight, NightCheckIn
from tracker.summary.experiment import _method
from tracker.summary.pdf import PAPERS, summary_pdf
from tracker.summary.report import build_summary

pytestmark = pytest.mark.django_db


def read(content: bytes) -> tuple[int, str, tuple[float, float]]:
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    size = (round(float(box.width) * 25.4 / 72, 1), round(float(box.height) * 25.4 / 72, 1))
    return len(reader.pages), " ".join(reader.pages[0].extract_text().split()), size


@pytest.fixture
def busy(alice):
    """A year of heavy logging (tests/heavy.py at a smaller size): every kind of entry, signs, notes, experiments."""
    build_heavy(alice, days=365, seed=3, zone_name=str(alice.profile.zone))
    return alice


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_year_of_heavy_logging_is_one_page_on_either_paper(busy, paper):
    today = timezone.localdate()
    summary = build_summary(
        busy, today - timedelta(days=364), today, name="Alice Example", birth_date=date(1950, 5, 17)
    )
    pages, text, size = read(summary_pdf(summary, paper))
    assert pages == 1
    assert size == tuple(round(v, 1) for v in PAPERS[paper])
    assert "Name: Alice Example Date of birth: 17 May 1950" in text
    now = summary.now
    assert f"Cramps per week {now.per_week:g} {now.count} cramps over {now.kept} logged nights" in text
    assert (
        f"Nights with cramps {now.cramp_night_percent}% {now.cramp_nights} of {now.kept} logged nights"
        in text
    )
    assert f"Mean intensity {now.mean_intensity:g} out of 10; {now.rated} of {now.count} cramps rated" in text
    assert f"{today:%B %Y}" in text  # the calendar's last month
    assert len(summary.medicines) == 8 and f"and {summary.medicines_more} more" in text
    assert len(summary.warning_signs) <= 5  # grouped by sign, each with its count and dates


def test_the_summary_reads_the_same_number_of_queries_at_any_size(alice, bob, client):
    build_heavy(alice, days=40, seed=4, zone_name=str(alice.profile.zone))
    build_heavy(bob, days=365, seed=4, zone_name=str(bob.profile.zone))

    def queries(user) -> int:
        client.force_login(user)
        today = timezone.localdate(timezone=user.profile.zone)
        url = reverse("summary") + f"?start={today - timedelta(days=364)}&end={today}&baseline=on"
        client.get(url)  # the first read brings the day totals up to date
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(bob) == queries(alice)


def test_a_period_longer_than_the_diary_says_so_and_counts_the_days_kept(alice):
    today = timezone.localdate()
    cramp(alice, timezone.now() - timedelta(days=1))
    summary = build_summary(alice, today - timedelta(days=27), today)
    assert summary.period_before_diary >= 25
    assert summary.now.kept == 1 and summary.now.per_week == 7.0  # not 1 cramp over 28 days
    pages, text, _ = read(summary_pdf(summary))
    assert f"The diary began {summary.period_before_diary} days into this period" in text


@pytest.fixture
def tried(alice):
    """Four weeks of an experiment from 1 March 2026 (change, usual, usual, change): the change weeks have 2 cramps
    over 14 nights, the usual weeks 20 over 14; one night of each condition not logged."""
    zone = alice.profile.zone
    experiment = Experiment.objects.create(
        user=alice, change_key="stretch", change="stretch your calves before bed", block_days=7, pairs=2, seed=9,
        orders=["CU", "UC"], start=date(2026, 3, 1),
    )  # fmt: skip
    for offset in range(28):
        night = date(2026, 3, 1) + timedelta(days=offset)
        evening = datetime(night.year, night.month, night.day, 23, tzinfo=zone)
        change = offset < 7 or offset >= 21
        if offset in (5, 10):
            continue  # not logged
        if change:
            ExperimentNight.objects.create(experiment=experiment, night=night, at=evening)
        if (change and offset in (1, 22)) or (not change):
            cramp(alice, evening)
            if not change:
                cramp(alice, evening + timedelta(minutes=30))
        else:
            NightCheckIn.objects.create(user=alice, at=evening, night=night)
    return experiment


def test_the_experiment_is_reported_on_the_summary_and_its_pdf(alice, alice_client, tried):
    summary = build_summary(alice, date(2026, 3, 1), date(2026, 3, 31))
    x = summary.experiment
    assert (x.change_nights, x.change_cramps, x.usual_nights, x.usual_cramps) == (13, 2, 13, 26)
    assert x.nights_not_logged == 2 and (x.done, x.change_passed) == (13, 14)
    assert x.order == "change then usual routine; usual routine then change"
    assert [b.condition for b in x.blocks] == ["change", "usual routine", "usual routine", "change"]
    assert x.ratio.startswith("0.08 (95% interval 0.")  # 2/13 against 26/13: 0.077
    assert x.verdict.startswith("Fewer cramps during the change")
    pages, text, _ = read(summary_pdf(summary))
    assert pages == 1
    for expected in (
        "Personal experiment: stretch your calves before bed",
        "order drawn at random: change then usual routine; usual routine then change",
        "Nights analysed: 13 with the change (2 cramps, 0.15 a night), 13 usual (26 cramps, 2.00 a night); 2 not "
        "logged, left out. Change done on 13 of 14 change nights.",
        "Rate ratio (change / usual): 0.08 (95% interval",
        "Fewer cramps during the change",
        "Intention to treat: every change night counts",  # how the figures were worked out, as on the page
    ):
        assert expected in " ".join(text.split()), expected
    page = alice_client.get(reverse("summary"), {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert "Personal experiment: stretch your calves before bed" in page and "Rate ratio" in page
    assert "Intention to treat: every change night counts" in page
    assert (
        "Exact conditional interval for a ratio of Poisson rates. Not blinded" not in page
    )  # the old fixed words
    # Whether THIS interval was widened: the nights here spread no more than chance would
    exact = (
        "Here the nights spread no more than chance would, so this interval is the exact one, not widened."
    )
    assert exact in page and exact in " ".join(text.split())


def test_the_method_says_whether_this_interval_was_widened():
    """The method sentence said the interval is widened 'only when' the nights spread more than chance, never
    whether this one was."""
    widened = _method(SimpleNamespace(ratio=RateRatio(0.5, 0.2, 1.3, dispersion=2.4)))
    assert (
        "Here the nights spread more than chance would (dispersion 2.40), so this interval was widened."
        in widened
    )
    assert "No interval yet." in _method(SimpleNamespace(ratio=None))


def test_an_experiment_that_began_before_the_period_is_not_reported(alice, tried):
    assert build_summary(alice, date(2026, 3, 2), date(2026, 3, 31)).experiment is None
    # Counted only up to the end of the period: a period ending on 14 March sees the first two blocks
    early = build_summary(alice, date(2026, 3, 1), date(2026, 3, 14)).experiment
    assert [b.number for b in early.blocks] == [1, 2] and early.through == date(2026, 3, 14)


def test_the_experiment_report_leaves_out_the_night_going_on_as_its_page_does(alice, tried, clock):
    """At 00:33 on 10 March the night of 9 March lasts until noon: the summary's report counted it ("not logged")
    while the experiment's own page counted to 8 March."""
    clock.at("2026-03-10T00:33")
    x = build_summary(alice, date(2026, 3, 1), date(2026, 3, 10)).experiment
    assert x.through == date(2026, 3, 8)
    assert [(b.number, b.nights_passed) for b in x.blocks] == [(1, 7), (2, 1)]
