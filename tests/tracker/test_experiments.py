"""Personal experiments (issue 23): the plan, the statistics against independent reference values, the verdict
at its boundaries, the results read from the diary, and the pages."""

import math
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp
from tracker.entries.changes import diary_changed
from tracker.experiments import progress, schedule, stats
from tracker.experiments.stats import Arm, rate_ratio, verdict
from tracker.models import Experiment, ExperimentNight, NightCheckIn

LONDON = ZoneInfo("Europe/London")


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


# Statistics: reference values ---------------------------------------------------------------------------------
#
# For x1 cramps on t1 nights with the change and x2 on t2 nights of the usual routine, n = x1 + x2. Given n, x1 is
# binomial(n, p) with p = t1*RR / (t1*RR + t2), so RR = p / (1 - p) * t2 / t1. The exact (Clopper-Pearson) bounds
# for p are the Beta quantiles  p_low = Beta(0.025; x1, n - x1 + 1)  and  p_high = Beta(0.975; x1 + 1, n - x1),
# with the closed forms p_high = 1 - 0.025^(1/n) when x1 = 0 and p_low = 0.025^(1/n) when x1 = n. The values
# below were computed from those formulas (Beta quantiles, not the binomial test the code calls) and agree with
# R's poisson.test(c(x1, x2), c(t1, t2)), which converts binom.test's Clopper-Pearson interval the same way.


def test_it_matches_the_published_r_example_an_interval_that_spans_1():
    # R documentation for poisson.test (stats package), example "eba1977, compare Fredericia to other three
    # cities for ages 55-59": poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)) prints
    # rate ratio 1.971488, 95 percent confidence interval 0.8584264 4.2772659.
    found = rate_ratio(Arm(11, 800, 11), Arm(21, 3011, 21))
    assert round(found.estimate, 6) == 1.971488
    assert round(found.low, 7) == 0.8584264
    assert round(found.high, 7) == 4.2772659


def test_it_finds_an_interval_below_1():
    # x1 = 6 on 28 nights, x2 = 20 on 28 nights, n = 26:
    # p_low = Beta(0.025; 6, 21) = 0.0897401109, p_high = Beta(0.975; 7, 20) = 0.4364750969;
    # RR_low = 0.0897401109 / 0.9102598891 * 28/28 = 0.0985873507, RR_high = 0.4364750969 / 0.5635249031 = 0.7745444692.
    found = rate_ratio(Arm(6, 28, 5), Arm(20, 28, 14))
    assert close(found.estimate, (6 / 28) / (20 / 28))
    assert round(found.low, 8) == 0.09858735
    assert round(found.high, 8) == 0.77454447


def test_it_handles_no_cramps_with_the_change():
    # x1 = 0 on 27 nights, x2 = 9 on 28 nights, n = 9: p_low = 0, p_high = 1 - 0.025^(1/9) = 0.3362671169;
    # RR_high = 0.3362671169 / 0.6637328831 * 28/27 = 0.5253942714. The estimate is 0.
    found = rate_ratio(Arm(0, 27, 0), Arm(9, 28, 7))
    assert found.estimate == 0 and found.low == 0
    assert round(found.high, 8) == 0.52539427
    assert close(found.high, (1 - 0.025 ** (1 / 9)) / 0.025 ** (1 / 9) * 28 / 27)


def test_it_handles_no_cramps_in_the_usual_routine():
    # x1 = 5 on 20 nights, x2 = 0 on 25 nights: p_high = 1 so RR_high is infinite; p_low = 0.025^(1/5) =
    # 0.4781762499, RR_low = 0.4781762499 / 0.5218237501 * 25/20 = 1.1454458...
    found = rate_ratio(Arm(5, 20, 4), Arm(0, 25, 0))
    assert found.estimate == math.inf and found.high == math.inf
    assert close(found.low, 0.025 ** (1 / 5) / (1 - 0.025 ** (1 / 5)) * 25 / 20)


def test_there_is_no_ratio_without_cramps_or_nights():
    assert rate_ratio(Arm(0, 20, 0), Arm(0, 20, 0)) is None
    assert rate_ratio(Arm(3, 0, 0), Arm(3, 20, 3)) is None


def test_cramps_per_night_and_share_of_nights_with_cramps():
    arm = Arm(cramps=6, nights=12, nights_with_cramps=4)
    assert arm.per_night == 0.5
    assert close(arm.share_with_cramps, 1 / 3)
    assert Arm(0, 0, 0).per_night is None


# Verdict at its boundaries ------------------------------------------------------------------------------------
# With 28 nights each and 30 cramps, 9 against 21 gives RR_high = Beta(0.975; 10, 21) odds = 0.9761246 (< 1) and
# 10 against 20 gives RR_high = Beta(0.975; 11, 20) odds = 1.1191830 (spans 1); 21 against 9 gives RR_low =
# 1 / 0.9761246 = 1.0244593 (> 1).


@pytest.mark.parametrize(
    "change, usual, kind, words",
    [
        (Arm(9, 28, 9), Arm(21, 28, 21), stats.FEWER, "Fewer cramps in the change weeks, by more than"),
        (Arm(10, 28, 10), Arm(20, 28, 20), stats.FEWER_MAYBE, "Fewer cramps in the change weeks; this could"),
        (Arm(21, 28, 21), Arm(9, 28, 9), stats.MORE, "More cramps in the change weeks, by more than"),
        (Arm(20, 28, 20), Arm(10, 28, 10), stats.MORE_MAYBE, "More cramps in the change weeks; this could"),
        (Arm(14, 28, 14), Arm(14, 28, 14), stats.NO_CLEAR, "About the same cramps"),
        (Arm(0, 10, 0), Arm(12, 10, 8), stats.FEWER, "Fewer cramps"),
        (Arm(0, 9, 0), Arm(12, 10, 8), stats.TOO_FEW, "Too few nights logged"),
        (Arm(0, 10, 0), Arm(12, 9, 8), stats.TOO_FEW, "Too few nights logged"),
        (Arm(0, 10, 0), Arm(0, 10, 0), stats.NO_CRAMPS, "No cramps logged in either"),
    ],
)
def test_the_verdict_follows_its_rule_at_each_boundary(change, usual, kind, words):
    found = verdict(change, usual)
    assert found.kind == kind
    assert found.headline.startswith(words)
    assert "at least 10 nights with the change" in found.rule and "could still be chance" in found.rule
    assert any("clinician" in caveat.text for caveat in found.caveats)
    assert not any(word in found.headline.lower() for word in ("cure", "start taking", "stop taking"))


def test_the_boundary_values_are_the_reference_ones():
    assert round(rate_ratio(Arm(9, 28, 9), Arm(21, 28, 21)).high, 6) == 0.976125
    assert round(rate_ratio(Arm(10, 28, 10), Arm(20, 28, 20)).high, 6) == 1.119183
    assert round(rate_ratio(Arm(21, 28, 21), Arm(9, 28, 9)).low, 6) == 1.024459


# The plan ----------------------------------------------------------------------------------------------------


def test_the_order_is_reproducible_from_the_stored_seed(alice):
    experiment = progress.start_experiment(
        alice, change_key="stretch", change="stretch", block_days=14, pairs=3, tonight=date(2026, 3, 1)
    )
    experiment.refresh_from_db()
    assert schedule.draw_orders(experiment.seed, experiment.pairs) == experiment.orders
    assert len(experiment.orders) == 3 and set(experiment.orders) <= {"CU", "UC"}


def test_the_draw_is_a_fair_coin_for_each_pair():
    firsts = [schedule.draw_orders(seed, 2)[0] for seed in range(2000)]
    assert 900 < firsts.count("CU") < 1100
    assert schedule.draw_orders(42, 3) == schedule.draw_orders(42, 3)


def test_blocks_alternate_within_pairs_and_last_block_days_nights():
    blocks = schedule.plan(date(2026, 3, 1), 7, ["UC", "CU"])
    assert [b.condition for b in blocks] == ["usual", "change", "change", "usual"]
    assert [b.pair for b in blocks] == [1, 1, 2, 2]
    assert [(b.first, b.last) for b in blocks] == [
        (date(2026, 3, 1), date(2026, 3, 7)),
        (date(2026, 3, 8), date(2026, 3, 14)),
        (date(2026, 3, 15), date(2026, 3, 21)),
        (date(2026, 3, 22), date(2026, 3, 28)),
    ]


def test_pause_then_resume_lands_on_the_right_block():
    # Change first, then usual; paused on the 10th (two nights into the usual block), resumed on the 15th.
    pauses = [schedule.Pause(date(2026, 3, 10), date(2026, 3, 14))]
    blocks = schedule.plan(date(2026, 3, 1), 7, ["CU", "UC"], pauses)
    usual = blocks[1]
    assert usual.nights == (date(2026, 3, 8), date(2026, 3, 9), *(date(2026, 3, d) for d in range(15, 20)))
    assert schedule.block_on(blocks, date(2026, 3, 12)) is None  # paused
    assert schedule.block_on(blocks, date(2026, 3, 15)) == usual
    assert schedule.nights_left(usual, date(2026, 3, 15)) == 5
    assert (blocks[2].first, blocks[3].first, blocks[3].last) == (
        date(2026, 3, 20),
        date(2026, 3, 27),
        date(2026, 4, 2),
    )


def test_pausing_and_resuming_a_stored_experiment(alice):
    experiment = Experiment.objects.create(
        user=alice, change_key="stretch", change="x", block_days=7, pairs=2, seed=1, orders=["CU", "UC"],
        start=date(2026, 3, 1),
    )  # fmt: skip
    progress.pause(experiment, date(2026, 3, 10))
    assert progress.state_of(experiment, date(2026, 3, 12)) == progress.PAUSED
    # While paused, the rest of the plan waits: it assumes a resume tomorrow.
    assert progress.blocks_of(experiment, date(2026, 3, 12))[1].nights[2] == date(2026, 3, 13)
    progress.resume(experiment, date(2026, 3, 15))
    experiment.refresh_from_db()
    assert experiment.pauses == [["2026-03-10", "2026-03-14"]]
    blocks = progress.blocks_of(experiment, date(2026, 3, 15))
    assert schedule.block_on(blocks, date(2026, 3, 15)).number == 2
    assert progress.state_of(experiment, date(2026, 4, 2)) == progress.RUNNING
    assert progress.state_of(experiment, date(2026, 4, 3)) == progress.FINISHED


def test_block_boundaries_fall_on_local_nights_across_the_clocks_going_back(alice):
    # Europe/London goes from BST to GMT at 02:00 on Sunday 25 October 2026, so the night of the 24th lasts
    # 25 hours, from 11:00 UTC on the 24th to 12:00 UTC on the 25th. Blocks of 7 nights from the 18th: the first
    # ends with the night of the 24th, the second starts with the night of the 25th.
    experiment = Experiment.objects.create(
        user=alice, change_key="stretch", change="x", block_days=7, pairs=2, seed=1, orders=["CU", "UC"],
        start=date(2026, 10, 18),
    )  # fmt: skip
    utc = ZoneInfo("UTC")
    cramp(alice, datetime(2026, 10, 24, 11, 30, tzinfo=utc))  # 12:30 BST on the 24th: night of the 24th
    cramp(alice, datetime(2026, 10, 25, 11, 30, tzinfo=utc))  # 11:30 GMT on the 25th: still night of the 24th
    cramp(alice, datetime(2026, 10, 25, 12, 30, tzinfo=utc))  # 12:30 GMT on the 25th: night of the 25th
    found = progress.results(experiment, date(2026, 11, 20))
    assert [(row.number, row.nights_logged, row.cramps) for row in found.blocks[:2]] == [(1, 1, 2), (2, 1, 1)]
    assert (found.blocks[0].last, found.blocks[1].first) == (date(2026, 10, 24), date(2026, 10, 25))


# Results from the diary --------------------------------------------------------------------------------------


def test_unlogged_nights_are_left_out_not_counted_as_free_of_cramps(alice):
    experiment = Experiment.objects.create(
        user=alice, change_key="stretch", change="x", block_days=7, pairs=2, seed=1, orders=["CU", "UC"],
        start=date(2026, 3, 1),
    )  # fmt: skip
    evening = lambda d: datetime(2026, 3, d, 23, 0, tzinfo=LONDON)  # noqa: E731
    cramp(alice, evening(1))
    cramp(alice, evening(1) + timedelta(minutes=30))
    NightCheckIn.objects.create(user=alice, at=evening(2), night=date(2026, 3, 2))
    cramp(alice, evening(8))  # usual block
    NightCheckIn.objects.create(user=alice, at=evening(9), night=date(2026, 3, 9))
    NightCheckIn.objects.create(user=alice, at=evening(10), night=date(2026, 3, 10))
    ExperimentNight.objects.create(experiment=experiment, night=date(2026, 3, 1), at=timezone.now())
    found = progress.results(experiment, date(2026, 3, 15))
    assert found.change == Arm(cramps=2, nights=2, nights_with_cramps=1)
    assert found.usual == Arm(cramps=1, nights=3, nights_with_cramps=1)
    assert found.nights_passed == 14 and found.nights_not_logged == 9
    assert found.blocks[0].nights_done == 1
    assert found.verdict.kind == stats.TOO_FEW


# Pages -------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def evening(clock):
    """An evening, so the night going on is the one named by today's date (a test that needs another moment sets
    its own)."""
    clock.at("2026-12-04T21:30")


HTMX = {"HX-Request": "true", "HX-Target": "experiment-card"}


def tonight_in_london() -> date:
    return timezone.now().astimezone(LONDON).date()


def running(user, orders=("CU", "UC"), start: date | None = None, block_days: int = 7) -> Experiment:
    return Experiment.objects.create(
        user=user,
        change_key="stretch",
        change="stretch your calves before bed",
        block_days=block_days,
        pairs=len(orders),
        seed=7,
        orders=list(orders),
        start=start or tonight_in_london(),
    )


def counts(user) -> tuple:
    experiments = Experiment.objects.for_user(user)
    return (
        experiments.count(),
        list(experiments.values_list("pauses", "stopped_on")),
        ExperimentNight.objects.filter(experiment__user=user).count(),
    )


def test_anonymous_people_are_sent_to_log_in(client, alice):
    experiment = running(alice)
    for url in (reverse("experiments"), reverse("experiment", args=[experiment.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))
    for action in ("pause", "stop"):
        assert client.post(reverse("experiment_control", args=[experiment.pk, action])).status_code == 302
    assert client.post(reverse("experiment_done")).status_code == 302
    assert counts(alice)[1] == [([], None)]


def test_another_persons_experiment_is_a_404_and_changes_nothing(alice, bob_client):
    experiment = running(alice)
    before = counts(alice)
    assert bob_client.get(reverse("experiment", args=[experiment.pk])).status_code == 404
    for action in ("pause", "resume", "stop"):
        assert bob_client.post(reverse("experiment_control", args=[experiment.pk, action])).status_code == 404
    assert (
        bob_client.post(reverse("experiment_done"), headers=HTMX).status_code == 400
    )  # bob has none running
    assert counts(alice) == before
    assert b"stretch your calves" not in bob_client.get(reverse("experiments")).content


def test_the_plan_is_shown_before_it_starts_then_it_starts_with_a_drawn_order(alice_client, alice):
    data = {"change_key": "magnesium-food", "block_weeks": "2", "pairs": "3"}
    response = alice_client.post(reverse("experiments"), data)
    assert response.status_code == 200
    assert b"Your plan" in response.content and b"Start tonight" in response.content
    assert response.content.count(b"<li>Block ") == 6 and b"Pair 1" not in response.content
    assert b"Blocks 1 and 2 are the first pair, 3 and 4 the second, 5 and 6 the third." in response.content
    assert not Experiment.objects.exists()
    response = alice_client.post(reverse("experiments"), {**data, "confirm": "start"})
    experiment = Experiment.objects.get(user=alice)
    assert response["Location"] == reverse("experiment", args=[experiment.pk])
    assert (experiment.block_days, experiment.pairs, experiment.start) == (14, 3, tonight_in_london())
    assert experiment.change == "a magnesium-rich food at dinner"
    assert experiment.orders == schedule.draw_orders(experiment.seed, 3)
    page = alice_client.get(response["Location"]).content.decode()
    assert "So far" in page and "Nothing to count yet." in page and "Take this to your clinician" in page
    # Right after starting: no "0 of 0 nights", no "Nights up to", no ratio.
    assert "0 of 0" not in page and "Nights up to" not in page and "times the cramps" not in page
    assert "Its first night is tonight." in page
    assert not re.search(r"\bmg\b", page)  # never a dose (as a word: a random CSRF token may hold "mg")


def test_a_change_agreed_with_a_clinician_is_in_the_persons_own_words(alice_client, alice):
    data = {
        "change_key": "clinician",
        "own_change": "  walk  after dinner ",
        "block_weeks": "1",
        "pairs": "2",
    }
    alice_client.post(reverse("experiments"), {**data, "confirm": "start"})
    assert Experiment.objects.get(user=alice).change == "walk after dinner"


@pytest.mark.parametrize(
    "bad",
    [
        {"change_key": "quinine", "block_weeks": "2", "pairs": "2"},
        {"change_key": "stretch", "block_weeks": "9", "pairs": "2"},
        {"change_key": "stretch", "block_weeks": "0", "pairs": "2"},
        {"change_key": "stretch", "block_weeks": "2", "pairs": "4"},
        {"change_key": "stretch", "block_weeks": "two", "pairs": "2"},
        {"change_key": "clinician", "own_change": "   ", "block_weeks": "2", "pairs": "2"},
        {"change_key": "clinician", "own_change": "x" * 121, "block_weeks": "2", "pairs": "2"},
        {},
    ],
)
def test_bad_input_changes_nothing_and_says_what_to_do(alice_client, alice, bad):
    response = alice_client.post(reverse("experiments"), {**bad, "confirm": "start"})
    assert response.status_code == 400
    assert b'class="error"' in response.content
    assert not Experiment.objects.exists()


def test_only_one_experiment_at_a_time(alice_client, alice):
    running(alice)
    data = {"change_key": "fluid", "block_weeks": "2", "pairs": "2", "confirm": "start"}
    response = alice_client.post(reverse("experiments"), data)
    assert b"You have an experiment going" in response.content
    assert Experiment.objects.count() == 1


def test_pause_resume_and_stop_are_posts_that_keep_everything(alice_client, alice):
    experiment = running(alice)
    url = reverse("experiment_control", args=[experiment.pk, "pause"])
    assert alice_client.get(url).status_code == 405
    alice_client.post(url)
    experiment.refresh_from_db()
    assert experiment.pauses == [[tonight_in_london().isoformat(), None]]
    assert b"Your experiment is paused" in alice_client.get(reverse("today")).content
    alice_client.post(reverse("experiment_control", args=[experiment.pk, "resume"]))
    experiment.refresh_from_db()
    assert experiment.pauses == []  # paused and resumed the same day: no night was skipped
    assert (
        alice_client.post(reverse("experiment_control", args=[experiment.pk, "explode"])).status_code == 404
    )
    alice_client.post(reverse("experiment_control", args=[experiment.pk, "stop"]))
    experiment.refresh_from_db()
    assert experiment.stopped_on == tonight_in_london()
    page = alice_client.get(reverse("experiment", args=[experiment.pk])).content.decode()
    assert "Result" in page and "Stopped early" in page
    assert b"experiment-card" not in alice_client.get(reverse("today")).content


def test_today_shows_the_block_and_did_it_today_rebuilds_today(alice_client, alice):
    experiment = running(alice, orders=("CU", "UC"))
    today = alice_client.get(reverse("today")).content.decode()
    assert "This block: stretch your calves before bed" in today and "This week" not in today
    assert (
        "Block 1 of 4," in today and "7 nights left, tonight included." in today and "Did it today" in today
    )
    response = alice_client.post(reverse("experiment_done"), headers=HTMX)
    assert response.status_code == 200
    assert b"Done for the night of" in response.content and b"<html" not in response.content
    assert b"Undo: I haven" in response.content
    alice_client.post(reverse("experiment_done"), headers=HTMX)  # a second tap changes nothing
    assert list(experiment.nights_done.values_list("night", flat=True)) == [tonight_in_london()]
    today = alice_client.get(reverse("today")).content.decode()
    assert "Done for the night of" in today and "Did it today</button>" not in today


def test_in_a_usual_block_today_says_so_and_offers_no_tap(alice_client, alice):
    experiment = running(alice, orders=("UC", "CU"))
    today = alice_client.get(reverse("today")).content.decode()
    assert "This block: your usual routine" in today and "Did it today" not in today
    assert alice_client.post(reverse("experiment_done")).status_code == 302
    assert not experiment.nights_done.exists()


def test_the_result_page_shows_the_ratio_and_its_range(alice_client, alice):
    # Four finished blocks of 7 nights, change first: 6 cramps on 14 change nights and 20 on 14 usual nights,
    # every night logged. Reference: Beta(0.025; 6, 21) = 0.0897401, Beta(0.975; 7, 20) = 0.4364751, so the
    # ratio is 0.30 with range 0.10 to 0.77 (see test_it_finds_an_interval_below_1, same counts and equal nights).
    start = tonight_in_london() - timedelta(days=40)
    experiment = running(alice, orders=("CU", "CU"), start=start)
    blocks = progress.blocks_of(experiment, tonight_in_london())
    change_cramps, usual_cramps = iter([1] * 6 + [0] * 8), iter([2] * 6 + [1] * 8)
    for block in blocks:
        for night in block.nights:
            n = next(change_cramps if block.is_change else usual_cramps)
            if block.is_change:
                ExperimentNight.objects.create(experiment=experiment, night=night, at=timezone.now())
            if n == 0:
                NightCheckIn.objects.create(user=alice, at=timezone.now(), night=night)
            for i in range(n):
                cramp(
                    alice,
                    datetime.combine(night, datetime.min.time(), LONDON) + timedelta(hours=23, minutes=i),
                )
    page = alice_client.get(reverse("experiment", args=[experiment.pk])).content.decode()
    assert "Result" in page and "Finished on" in page
    assert "On the change nights you had 0.30 times the cramps per night of your usual routine." in page
    assert "anywhere from 0.10 to 0.77 times" in page
    assert "You marked the change as done on <strong>14 of the 14 change nights</strong>" in page
    assert "Fewer cramps in the change weeks, by more than the ups and downs from night to night" in page
    assert "could come out only 4 ways" in page
    assert "had nothing logged" not in page  # every night was logged
    assert "Nights the change was done" not in page  # done on every change night: said once
    assert "Change nights:</strong> 14 logged, 6 cramps, 0.43 a night; cramps on 43% of them." in page


def test_today_points_to_a_finished_result_for_two_weeks_then_stops(alice_client, alice):
    # Four blocks of 7 nights: the last night is start + 27; Today points to the result for 14 nights after it.
    experiment = running(alice, start=tonight_in_london() - timedelta(days=27 + 14))
    today = alice_client.get(reverse("today")).content.decode()
    assert "Your experiment has finished" in today and "See the result" in today
    experiment.start -= timedelta(days=1)
    experiment.save()
    diary_changed(alice.pk)  # Today is kept per local hour: a day later it is built afresh anyway
    assert b"experiment-card" not in alice_client.get(reverse("today")).content


def test_an_experiment_paused_once_for_each_night_of_its_plan_can_be_paused_no_more(alice_client, alice):
    experiment = running(alice)  # 7-night blocks in 2 pairs: 28 nights
    start = tonight_in_london() - timedelta(days=30)
    experiment.start = start  # its first 28 nights paused one at a time, and still running
    experiment.pauses = [[(start + timedelta(days=n)).isoformat()] * 2 for n in range(28)]
    experiment.save()
    response = alice_client.post(reverse("experiment_control", args=[experiment.pk, "pause"]), follow=True)
    experiment.refresh_from_db()
    assert len(experiment.pauses) == 28
    assert "paused 28 times, the most an experiment of 28 nights can be" in response.content.decode()


def test_a_paused_experiment_says_since_when_in_words_and_stopping_asks_first(alice_client, alice):
    experiment = running(alice)
    alice_client.post(reverse("experiment_control", args=[experiment.pk, "pause"]))
    page = alice_client.get(reverse("experiment", args=[experiment.pk])).content.decode()
    assert f"Paused since {tonight_in_london():%-d %b %Y}" in page
    assert "Stop the experiment early" in page and "Yes, stop it" in page


# Shaded on Trends and the nights calendar ------------------------------------------------------------------------


def unsaved(start: date, orders=("CU", "UC"), pauses=(), stopped_on=None) -> Experiment:
    return Experiment(
        change_key="stretch", change="stretch your calves before bed", block_days=7, pairs=len(orders), seed=7,
        orders=list(orders), start=start, pauses=[list(p) for p in pauses], stopped_on=stopped_on,
    )  # fmt: skip


def test_runs_are_the_blocks_nights_split_by_a_pause_and_cut_at_a_stop_and_at_tonight():
    march = lambda d: date(2026, 3, d)  # noqa: E731
    plain = progress.runs_between([unsaved(march(1))], march(1), march(31), march(31))
    assert [(r.first, r.last, r.is_change) for r in plain] == [
        (march(1), march(7), True), (march(8), march(14), False),
        (march(15), march(21), False), (march(22), march(28), True),
    ]  # fmt: skip
    assert plain[0].said == "change block: stretch your calves before bed"
    assert plain[1].said == "usual block: your usual routine"
    # Paused from the 4th to the 6th: the first block is the 1st to 3rd, then the 7th to 10th.
    paused = progress.runs_between([unsaved(march(1), pauses=[("2026-03-04", "2026-03-06")])], march(1),
                                   march(12), march(31))  # fmt: skip
    assert [(r.first, r.last, r.is_change) for r in paused] == [
        (march(1), march(3), True), (march(7), march(10), True), (march(11), march(12), False),
    ]  # fmt: skip
    # Stopped with the 10th as the first night not counted; within a window; up to tonight only (which block of a
    # pair is the change is not shown before it starts).
    stopped = progress.runs_between([unsaved(march(1), stopped_on=march(10))], march(1), march(31), march(31))
    assert [(r.first, r.last) for r in stopped] == [(march(1), march(7)), (march(8), march(9))]
    window = progress.runs_between([unsaved(march(1))], march(5), march(9), march(31))
    assert [(r.first, r.last) for r in window] == [(march(5), march(7)), (march(8), march(9))]
    assert progress.runs_between([unsaved(march(1))], march(1), march(31), march(2))[-1].last == march(2)
    assert progress.runs_between([unsaved(march(20))], march(1), march(10), march(31)) == []


def test_week_n_of_m_counts_the_plans_nights_not_the_paused_ones():
    experiment = unsaved(date(2026, 3, 1), pauses=[("2026-03-04", "2026-03-13")])
    assert progress.week_of(experiment, date(2026, 3, 1)) == (1, 4)
    assert progress.week_of(experiment, date(2026, 3, 7)) == (1, 4)  # 3 nights before the pause
    assert progress.week_of(experiment, date(2026, 3, 18)) == (2, 4)  # 3 + 5 nights
    assert progress.week_of(experiment, date(2026, 6, 1)) == (4, 4)


def this_monday() -> date:
    today = tonight_in_london()
    return today - timedelta(days=today.weekday())


def test_the_cramps_chart_shades_each_block_where_its_nights_fall_and_lists_them(alice_client, alice):
    from tests.tracker.test_trends import chart_data

    # Trends draws whole weeks ending last night (4 weeks: the 28 nights before tonight); the experiment starts
    # 2 nights into the first of them.
    start = tonight_in_london() - timedelta(days=28) + timedelta(days=2)
    running(alice, orders=("CU", "UC"), start=start)
    cramp(alice, datetime.combine(start, datetime.min.time(), LONDON) + timedelta(hours=23))
    cramp(
        alice, datetime.combine(start, datetime.min.time(), LONDON) - timedelta(days=20)
    )  # the diary began before
    response = alice_client.get(reverse("trends"))
    data = chart_data(response)["cramps"]
    n = len(data["labels"])
    # Bar i's band runs from i to i + 1; each block starts 2/7 into a week.
    first_week = n - 4
    assert data["blocks"][:3] == [
        {"from": round(first_week + 2 / 7, 4), "to": round(first_week + 1 + 2 / 7, 4), "change": True},
        {"from": round(first_week + 1 + 2 / 7, 4), "to": round(first_week + 2 + 2 / 7, 4), "change": False},
        {"from": round(first_week + 2 + 2 / 7, 4), "to": round(first_week + 3 + 2 / 7, 4), "change": False},
    ]
    page = response.content.decode()
    assert "Chart: cramps per week, with your experiment's blocks shaded." in page
    assert "Striped, under a solid bar marked “Change”: nights of your experiment's change (stretch" in page
    assert "Under a dotted bar marked “Usual”: nights of your usual routine, to compare with" in page
    end = start + timedelta(days=6)
    assert f"<li>{start:%-d %b} to {end:%-d %b %Y}: the change (stretch your calves before bed)</li>" in page
    # The same blocks in the data endpoint.
    assert alice_client.get(reverse("trends_data")).json()["cramps"]["blocks"] == data["blocks"]


def test_without_an_experiment_nothing_is_shaded_and_trends_offers_to_try_a_change(alice_client, alice):
    from tests.tracker.test_trends import chart_data

    cramp(alice, timezone.now() - timedelta(days=3))
    response = alice_client.get(reverse("trends"))
    assert chart_data(response)["cramps"]["blocks"] == []
    page = response.content.decode()
    assert "block-key" not in page and "block-change" not in page
    assert f'<a href="{reverse("experiments")}">Try a change: does it help me?</a>' in page


def test_with_an_experiment_going_trends_links_to_it_by_its_week(alice_client, alice):
    experiment = running(alice, start=tonight_in_london() - timedelta(days=8))
    cramp(alice, timezone.now() - timedelta(days=3))
    page = alice_client.get(reverse("trends")).content.decode()
    assert "Try a change: does it help me?" not in page
    link = f'href="{reverse("experiment", args=[experiment.pk])}">Your experiment: week 2 of 4</a>'
    assert link in page
    alice_client.post(reverse("experiment_control", args=[experiment.pk, "pause"]))
    assert ">Your experiment: paused</a>" in alice_client.get(reverse("trends")).content.decode()
    alice_client.post(reverse("experiment_control", args=[experiment.pk, "stop"]))
    assert "Try a change: does it help me?" in alice_client.get(reverse("trends")).content.decode()


@pytest.mark.parametrize("now", ["2026-11-20T21:30", "2026-12-04T21:30"])  # in one month; across two
def test_the_calendar_marks_block_nights_in_words_and_in_its_key(alice_client, alice, clock, now):
    from tracker.entries import calendar, day_totals

    clock.at(now)
    start = tonight_in_london() - timedelta(days=9)
    running(alice, orders=("CU", "UC"), start=start)
    cramp(alice, datetime.combine(start, datetime.min.time(), LONDON) + timedelta(hours=23), intensity=6)
    day_totals.make_current(alice)
    experiments = progress.experiments_of(alice)

    def month_of(night: date, runs: bool = True) -> calendar.Month:
        first = night.replace(day=1)
        last = calendar.last_of_month(first)
        shaded = progress.runs_between(experiments, first, last, tonight_in_london()) if runs else []
        return calendar.month(alice, first, tonight_in_london(), start, runs=shaded)

    # The block's nights may run into the next month: each is looked up in its own month's calendar.
    firsts = {start.replace(day=1), (start + timedelta(days=7)).replace(day=1)}
    nights = {night.day: night for first in firsts for night in month_of(first).nights}
    assert nights[start].block == "change" and nights[start + timedelta(days=7)].block == "usual"
    assert nights.get(start - timedelta(days=1)) is None or nights[start - timedelta(days=1)].block is None
    shown = [month_of(first) for first in sorted(firsts)]
    assert {change for month in shown for change in month.changes} == {"stretch your calves before bed"}
    assert shown[-1].has_usual  # the usual block's first night is in the last month shown
    without = month_of(start, runs=False)
    assert all(night.block is None for night in without.nights)  # a summary that passes none: as before

    page = alice_client.get(reverse("trends"), {"month": f"{start:%Y-%m}"}).content.decode()
    said = f"Night of {start:%A %-d %B}: 1 cramp, worst 6 out of 10; change block: stretch your calves before bed"
    assert said in page
    assert 'class="night cramps moderate block-change"' in page
    assert "A solid bar under the night: a night of your experiment's change (stretch your calves" in page
    usual = start + timedelta(days=7)
    page = alice_client.get(reverse("trends"), {"month": f"{usual:%Y-%m}"}).content.decode()
    assert "A dotted bar under the night: a night of your usual routine, to compare with" in page


def test_the_calendar_reads_the_experiments_in_one_query_however_many(alice_client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cramp(alice, timezone.now() - timedelta(days=40))
    asked = {"month": f"{tonight_in_london():%Y-%m}"}
    headers = {"HX-Request": "true", "HX-Target": "nights"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(reverse("trends"), asked, headers=headers).status_code == 200
        return len(captured)

    alice_client.get(reverse("trends"), asked, headers=headers)  # any recount of the day totals happens here
    none = queries()
    for back in (60, 30):  # two finished experiments, then a running one
        old = running(alice, start=tonight_in_london() - timedelta(days=back))
        old.stopped_on = old.start + timedelta(days=20)
        old.save()
    running(alice, start=tonight_in_london() - timedelta(days=5))
    assert queries() == none
    with CaptureQueriesContext(connection) as captured:
        from tracker.entries import calendar

        first = tonight_in_london().replace(day=1)
        runs = progress.runs_between(
            progress.experiments_of(alice), first, calendar.last_of_month(first), tonight_in_london()
        )
        calendar.month(alice, first, tonight_in_london(), None, runs=runs)
    assert len(captured) == 2  # the experiments, then the month's day totals


# "Did it today" from the phone's outbox ------------------------------------------------------------------------

OUTBOX = {"Accept": "application/json"}


def local_now_field(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def test_a_did_it_today_kept_offline_counts_for_the_night_it_was_tapped_and_once(alice_client, alice):
    # The tap was kept on the phone last evening (a change block) and arrives this morning, twice.
    experiment = running(alice, orders=("CU", "UC"), start=tonight_in_london() - timedelta(days=3))
    tapped = timezone.now() - timedelta(days=1)
    for _ in range(2):
        response = alice_client.post(
            reverse("experiment_done"), {"at": local_now_field(tapped)}, headers=OUTBOX
        )
        assert response.status_code == 200 and response.json()["saved"] is True
    done = list(experiment.nights_done.all())
    assert [row.night for row in done] == [tapped.astimezone(LONDON).date()]
    assert abs(done[0].at - tapped) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "orders, when, reason",
    [
        (("UC", "CU"), timedelta(0), "There was no change to do that night."),  # a usual block
        (("CU", "UC"), timedelta(days=30), "There was no change to do that night."),  # before it started
        (("CU", "UC"), -timedelta(hours=2), "That time is in the future. Tap “Did it today” again."),
    ],
)
def test_a_did_it_today_the_diary_cant_count_is_refused_with_the_reason(
    alice_client, alice, orders, when, reason
):
    experiment = running(alice, orders=orders)
    at = local_now_field(timezone.now() - when)
    response = alice_client.post(reverse("experiment_done"), {"at": at}, headers=OUTBOX)
    assert response.status_code == 400 and response.json() == {"saved": False, "message": reason}
    assert not experiment.nights_done.exists()


def test_the_today_card_offers_did_it_today_to_the_outbox(alice_client, alice):
    experiment = running(alice, orders=("CU", "UC"))
    page = alice_client.get(reverse("today")).content.decode()
    assert 'data-offline="done"' in page
    assert f'data-offline-key="experiment-{experiment.pk}-done"' in page


# The admin -----------------------------------------------------------------------------------------------------


def test_the_admin_lists_experiments_and_keeps_the_draw_read_only(client, alice):
    from django.contrib.auth.models import User

    experiment = running(alice)
    ExperimentNight.objects.create(experiment=experiment, night=experiment.start, at=timezone.now())
    staff = User.objects.create_superuser("staff", password="x-staff-pass-1")
    client.force_login(staff)
    assert client.get("/admin/tracker/experiment/").status_code == 200
    assert client.get("/admin/tracker/experimentnight/").status_code == 200
    page = client.get(f"/admin/tracker/experiment/{experiment.pk}/change/").content.decode()
    assert 'name="seed"' not in page and 'name="orders"' not in page  # shown, not editable
    version = alice.profile.page_version
    client.post(
        "/admin/tracker/experimentnight/",
        {"action": "delete_selected", "_selected_action": [experiment.nights_done.get().pk], "post": "yes"},
    )
    assert not experiment.nights_done.exists()
    alice.profile.refresh_from_db()
    assert alice.profile.page_version != version  # Today and Trends are built afresh


# Claim only what the diary shows (issue 30) ------------------------------------------------------------------------


def finished(user, change: list[int], usual: list[int], done: int | None = None) -> Experiment:
    """A finished experiment of 7-night blocks, change first in both pairs, each night logged with the cramps given
    in turn (14 change nights, 14 usual), the first `done` change nights marked done (all of them if None)."""
    experiment = running(user, orders=("CU", "CU"), start=tonight_in_london() - timedelta(days=40))
    change_counts, usual_counts = iter(change), iter(usual)
    marked = 0
    for block in progress.blocks_of(experiment, tonight_in_london()):
        for night in block.nights:
            n = next(change_counts if block.is_change else usual_counts)
            if block.is_change and (done is None or marked < done):
                ExperimentNight.objects.create(experiment=experiment, night=night, at=timezone.now())
                marked += 1
            if n == 0:
                NightCheckIn.objects.create(user=user, at=timezone.now(), night=night)
            for i in range(n):
                at = datetime.combine(night, datetime.min.time(), LONDON) + timedelta(hours=23, minutes=i)
                cramp(user, at)
    return experiment


def start_again(user) -> None:
    """A blank diary with no experiment."""
    from tracker.models import CrampEpisode

    Experiment.objects.all().delete()
    NightCheckIn.objects.all().delete()
    CrampEpisode.objects.all().delete()
    diary_changed(user.pk, whole_diary=True)


def result_page(client, experiment: Experiment) -> str:
    return client.get(reverse("experiment", args=[experiment.pk])).content.decode()


def test_with_no_night_marked_done_the_result_credits_nothing_to_the_change(alice_client, alice):
    experiment = finished(alice, [0, 1] * 7, [1, 2] * 7, done=0)
    page = result_page(alice_client, experiment)
    assert "You haven&#x27;t marked the change as done on any of its nights" in page
    assert "Your change weeks had fewer cramps, but that can&#x27;t be put down to the change." in page
    assert "<strong>0 of the 14 change nights</strong>" not in page  # said once, in the verdict
    assert "Fewer cramps in the change weeks" not in page and "chance easily" not in page


def test_with_some_nights_done_both_all_change_nights_and_the_nights_done_are_shown(alice_client, alice):
    experiment = finished(alice, [0, 1] * 7, [1, 2] * 7, done=12)
    page = result_page(alice_client, experiment)
    assert "<strong>12 of the 14 change nights</strong>" in page
    assert "All change nights:</strong> 14 logged, 7 cramps, 0.50 a night" in page
    assert "Nights the change was done:</strong> 12 logged, 6 cramps, 0.50 a night" in page
    assert "Usual nights:</strong> 14 logged, 21 cramps, 1.50 a night; cramps on 100% of them." in page
    assert "On the change nights you had 0.33 times" in page
    assert "On the nights you did the change you had" in page


def test_too_few_nights_show_no_ratio_or_range(alice_client, alice):
    # 7 change nights without cramps and 7 usual nights with one each: too few change nights for a verdict (the old
    # page showed "0.00 times ... (95% range 0.00 to 0.59)").
    experiment = running(alice, start=tonight_in_london() - timedelta(days=15))
    for block in progress.blocks_of(experiment, tonight_in_london())[:2]:
        for night in block.nights:
            if block.is_change:
                NightCheckIn.objects.create(user=alice, at=timezone.now(), night=night)
            else:
                cramp(alice, datetime.combine(night, datetime.min.time(), LONDON) + timedelta(hours=23))
    page = result_page(alice_client, experiment)
    assert "Too few nights logged to say yet." in page
    assert "times the cramps" not in page and "range" not in page.split("How we decide")[0]


def test_a_ratio_of_zero_and_one_without_end_are_said_in_words(alice_client, alice):
    experiment = finished(alice, [0] * 14, [1, 0] * 7)
    page = result_page(alice_client, experiment)
    assert "You had no cramps on the change nights, against 7 cramps on your usual nights." in page
    assert "0.00 times" not in page
    start_again(alice)
    experiment = finished(alice, [1, 0] * 7, [0] * 14)
    page = result_page(alice_client, experiment)
    assert "You had cramps only on the change nights (7), none on your usual nights." in page
    assert "no upper limit" not in page and "inf" not in page.split("Keep in mind")[0].split("<main")[-1]


def test_the_caveats_state_no_figure_without_a_source(alice_client, alice):
    page = result_page(alice_client, finished(alice, [0, 1] * 7, [1, 2] * 7))
    assert "a quarter fewer" not in page
    assert "How we decide</summary>" in page  # the rule opens on demand, in words
    assert "whole 95% range lies below 1" not in page


def test_a_finished_two_pair_experiment_offers_three_pairs_and_says_why(alice_client, alice):
    page = result_page(alice_client, finished(alice, [0, 1] * 7, [1, 2] * 7))
    assert "try it again with 3 pairs of blocks if you have the time" in page
    assert "8 ways instead of 4" in page
    form = alice_client.get(reverse("experiments")).content.decode()
    assert "3 pairs: a surer answer, if you have the time" in form
    plan = alice_client.post(
        reverse("experiments"), {"change_key": "stretch", "block_weeks": "1", "pairs": "2"}
    )
    assert "With 3 pairs the answer is surer" in plan.content.decode()


def test_a_did_it_at_half_past_midnight_counts_for_the_night_before(alice_client, alice, clock):
    # Change first from 27 Nov: the change block's last night is 3 Dec, then the usual block. At 00:30 on 4 Dec the
    # night going on is still 3 Dec's (noon to noon, like every entry): Today offers "Did it today" and it counts.
    clock.at("2026-12-03T21:00")
    experiment = running(alice, orders=("CU", "UC"), start=date(2026, 11, 27))
    clock.at("2026-12-04T00:30")
    today = alice_client.get(reverse("today")).content.decode()
    assert "This block: stretch your calves before bed" in today and "Did it today</button>" in today
    response = alice_client.post(reverse("experiment_done"), headers=OUTBOX)
    assert response.status_code == 200 and response.json()["saved"] is True
    assert list(experiment.nights_done.values_list("night", flat=True)) == [date(2026, 12, 3)]
    # A tap kept on the phone from 00:30 and sent at 09:00 counts for the same night.
    experiment.nights_done.all().delete()
    clock.at("2026-12-04T09:00")
    response = alice_client.post(reverse("experiment_done"), {"at": "2026-12-04T00:30"}, headers=OUTBOX)
    assert response.json()["saved"] is True
    assert list(experiment.nights_done.values_list("night", flat=True)) == [date(2026, 12, 3)]


def test_did_it_today_can_be_undone_right_after_and_later_that_night(alice_client, alice, clock):
    clock.at("2026-12-04T21:00")
    experiment = running(alice, orders=("CU", "UC"))
    card = alice_client.post(reverse("experiment_done"), headers=HTMX).content.decode()
    assert "Undo: I haven" in card and experiment.nights_done.count() == 1
    card = alice_client.post(reverse("experiment_done"), {"undo": "yes"}, headers=HTMX).content.decode()
    assert "Did it today</button>" in card and not experiment.nights_done.exists()
    alice_client.post(reverse("experiment_done"), headers=HTMX)
    clock.at("2026-12-05T01:15")  # later that night: still undoable, from Today without JavaScript
    assert "Undo: I haven" in alice_client.get(reverse("today")).content.decode()
    response = alice_client.post(reverse("experiment_done"), {"undo": "yes"})
    assert response.status_code == 302 and not experiment.nights_done.exists()
    # Once the night is over, an undo changes nothing of it.
    alice_client.post(reverse("experiment_done"), headers=HTMX)
    clock.at("2026-12-05T13:00")
    alice_client.post(reverse("experiment_done"), {"undo": "yes"}, headers=HTMX)
    assert list(experiment.nights_done.values_list("night", flat=True)) == [date(2026, 12, 4)]


def test_the_clinician_report_says_the_same_as_the_page_in_the_third_person(alice):
    from tracker.summary.experiment import report

    experiment = finished(alice, [0, 1] * 7, [1, 2] * 7, done=0)
    found = report(alice, experiment.start, tonight_in_london(), tonight_in_london())
    assert (found.done, found.change_passed) == (0, 14)
    assert found.verdict.startswith(
        "Adherence not recorded: the change was marked done on none of its nights"
    )
    assert "you" not in found.verdict.lower().split()
    assert found.ratio.startswith("0.33 (95% interval")
    start_again(alice)
    experiment = finished(alice, [0] * 14, [1, 2] * 7)
    found = report(alice, experiment.start, tonight_in_london(), tonight_in_london())
    assert found.ratio.startswith("0, no cramps on change nights (95% interval 0 to ")
    assert "only 4 block orders were possible" in found.verdict
    assert "no upper limit" not in found.ratio


def test_started_in_the_morning_today_says_it_starts_tonight(alice_client, alice, clock):
    # At 09:00 the night going on is last night's (noon to noon); the experiment's first night is this evening's.
    clock.at("2026-12-04T09:00")
    response = alice_client.post(
        reverse("experiments"),
        {"change_key": "stretch", "block_weeks": "1", "pairs": "2", "confirm": "start"},
    )
    experiment = Experiment.objects.get(user=alice)
    assert experiment.start == date(2026, 12, 4) and response.status_code == 302
    today = alice_client.get(reverse("today")).content.decode()
    assert "Your experiment starts tonight" in today and "Block 1, 4 Dec to 10 Dec:" in today
    assert "Did it today</button>" not in today  # nothing to mark for last night
    page = result_page(alice_client, experiment)
    assert "Nothing to count yet." in page and "Your first night is tonight, Friday 4 December." in page
    assert "Starts tonight, 4 Dec 2026." in page and "Running since" not in page
