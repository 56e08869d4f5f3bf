"""An experiment's statistics as a table (issue 30): each row is a diary of nights run through the real pipeline
(the plan, the tally, the comparison and its verdict), all pure functions, with SciPy as the reference.

The reference interval is the exact conditional one that R's poisson.test reports: given n = x_change + x_usual
cramps, x_change is binomial(n, p) with p = t_change * RR / (t_change * RR + t_usual), so the Clopper-Pearson bounds
for p (SciPy's binomtest) become bounds for RR = p / (1 - p) * t_usual / t_change. Where the nights vary more than
chance would (cramps in clusters), the widened interval is the same formula on counts and nights divided by the
Pearson dispersion of the nights, worked out here from SciPy's chi-square and beta distributions."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from scipy.stats import beta, binomtest, chi2

from tracker.experiments import progress, schedule, stats

START = date(2026, 3, 1)
LONDON = ZoneInfo("Europe/London")


def exact(x1: int, t1: int, x2: int, t2: int) -> tuple[float, float, float]:
    """The reference: ratio, low, high, from SciPy's binomtest."""
    n = x1 + x2
    ci = binomtest(x1, n).proportion_ci(confidence_level=0.95, method="exact")
    odds = lambda p: math.inf if p >= 1 else p / (1 - p) * t2 / t1  # noqa: E731
    return odds(x1 / n), odds(ci.low), odds(ci.high)


def pearson_dispersion(*arms: list[int]) -> float:
    """X^2 / df of the nights against each arm's own mean; 1 unless X^2 passes chi-square's 95% point."""
    x2 = sum((y - sum(arm) / len(arm)) ** 2 / (sum(arm) / len(arm)) for arm in arms if sum(arm) for y in arm)
    df = sum(len(arm) for arm in arms) - len(arms)
    return x2 / df if x2 > chi2.ppf(0.95, df) else 1.0


def widened(x1: int, t1: int, x2: int, t2: int, phi: float) -> tuple[float, float]:
    a, b = x1 / phi, x2 / phi
    low = 0.0 if a == 0 else beta.ppf(0.025, a, b + 1)
    high = 1.0 if b == 0 else beta.ppf(0.975, a + 1, b)
    odds = lambda p: math.inf if p >= 1 else p / (1 - p) * t2 / t1  # noqa: E731
    return odds(low), odds(high)


@dataclass
class Row:
    """Nights of an experiment of 7-night blocks, change first in each pair (CU, CU unless `orders`): the cramps on
    each change night and each usual night in turn (None: not logged), the change nights marked done (by their
    index among the change nights; all of them unless given), and what the comparison should say."""

    name: str
    change: list[int | None]
    usual: list[int | None]
    kind: str
    done: list[int] | None = None
    orders: tuple[str, ...] = ("CU", "CU")
    pauses: list[schedule.Pause] = field(default_factory=list)
    through_night: int | None = None  # the last night counted, from the start (stopped early)
    widened: bool = False


def cycle(pattern: list[int | None], n: int = 14) -> list[int | None]:
    return [pattern[i % len(pattern)] for i in range(n)]


ROWS = [
    # Counts spread as chance would (a Pearson dispersion below chi-square's 95% point): the exact interval.
    Row("fewer, clearly", cycle([0, 1]), cycle([1, 2]), stats.FEWER),
    Row("fewer, could be chance", cycle([1, 0, 1, 0, 1, 0, 1]), cycle([1, 1, 2, 1, 1, 1, 1]), stats.FEWER_MAYBE),
    Row("more, could be chance", cycle([1, 1, 2, 1, 1, 1, 1]), cycle([1, 0, 1, 0, 1, 0, 1]), stats.MORE_MAYBE),
    Row("more, clearly", cycle([1, 2]), cycle([0, 1]), stats.MORE),
    Row("the same", cycle([0, 1]), cycle([1, 0]), stats.NO_CLEAR),
    Row("no cramps with the change", cycle([0]), cycle([1, 0, 1, 0, 1, 0, 0]), stats.FEWER),
    Row("no cramps in the usual weeks", cycle([1, 0, 1, 0, 1, 0, 0]), cycle([0]), stats.MORE),
    Row("no cramps in either", cycle([0]), cycle([0]), stats.NO_CRAMPS),
    Row("too few nights logged", cycle([0, None, None]), cycle([1, 2]), stats.TOO_FEW),
    Row("no adherence recorded", cycle([0, 1]), cycle([1, 2]), stats.NOT_RECORDED, done=[]),
    Row("low adherence", cycle([0, 1]), cycle([1, 2]), stats.LOW_ADHERENCE, done=list(range(5))),
    # 11 of 14 done is more than 3 in 4: enough.
    Row("adherence at 3 in 4", cycle([0, 1]), cycle([1, 2]), stats.FEWER, done=list(range(11))),
    # The same totals as "fewer, clearly" (7 and 21 cramps), the usual ones in clusters of 7 on 3 nights.
    Row("clustered cramps", cycle([0, 1]), [0, 0, 0, 0, 7, 0, 0, 0, 0, 7, 0, 0, 0, 7], stats.FEWER_MAYBE,
        widened=True),
    # Stopped with night 20 the last counted: the first change block (7 nights) and the first usual one (7), then
    # 6 change nights of the second pair.
    Row("stopped early", cycle([0, 1]), cycle([1, 2]), stats.TOO_FEW, through_night=19),
    # Paused for nights 3 to 9: those nights are not in any block, and the plan moves on by 7 nights.
    Row("paused", cycle([0, 1]), cycle([1, 2]), stats.FEWER, pauses=[schedule.Pause(date(2026, 3, 4),
                                                                                      date(2026, 3, 10))]),
]  # fmt: skip


def run(row: Row):
    """The row through the plan, the tally and the comparison, as progress.results does it."""
    blocks = schedule.plan(START, 7, row.orders, row.pauses, tonight=START + timedelta(days=200))
    change_nights = [night for block in blocks if block.is_change for night in block.nights]
    usual_nights = [night for block in blocks if not block.is_change for night in block.nights]
    logged = {night: n for night, n in zip(change_nights, row.change, strict=True) if n is not None}
    logged |= {night: n for night, n in zip(usual_nights, row.usual, strict=True) if n is not None}
    done = {change_nights[i] for i in (row.done if row.done is not None else range(len(change_nights)))}
    through = blocks[-1].last if row.through_night is None else START + timedelta(days=row.through_night)
    change, usual, done_arm, rows = stats.tally(blocks, logged, done, through)
    return stats.compare(change, usual, done_arm, pairs=len(row.orders)), change, usual, rows


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_each_row_says_what_its_nights_show_and_no_more(row):
    found, change, usual, _ = run(row)
    assert found.verdict.kind == row.kind
    if row.kind in (stats.TOO_FEW, stats.NO_CRAMPS):
        assert found.ratio is None  # nothing to show under "too few": no ratio, no range
        return
    x1, t1, x2, t2 = change.cramps, change.nights, usual.cramps, usual.nights
    estimate, low, high = exact(x1, t1, x2, t2)
    phi = pearson_dispersion(
        [n for n in row.change if n is not None], [n for n in row.usual if n is not None]
    )
    assert (phi > 1) == row.widened
    if phi > 1:
        low, high = widened(x1, t1, x2, t2, phi)
    shown = lambda v: "inf" if math.isinf(v) else f"{v:.2f}"  # noqa: E731
    assert (shown(found.ratio.estimate), shown(found.ratio.low), shown(found.ratio.high)) == (
        shown(estimate),
        shown(low),
        shown(high),
    )
    assert math.isclose(found.ratio.dispersion, phi, rel_tol=1e-9)


def test_the_reference_rows_agree_with_the_published_r_example():
    # R's documentation for poisson.test: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)) gives a rate ratio of
    # 1.971488 with a 95 percent interval of 0.8584264 to 4.2772659. With no nights to judge their spread by, the
    # interval is the exact one.
    found = stats.rate_ratio(stats.Arm(11, 800, 11), stats.Arm(21, 3011, 21))
    assert (round(found.estimate, 6), round(found.low, 7), round(found.high, 7)) == (
        1.971488,
        0.8584264,
        4.2772659,
    )


def test_clustered_cramps_widen_the_interval_and_keep_the_ratio():
    plain, *_ = run(ROWS[0])
    clustered, *_ = run(next(row for row in ROWS if row.name == "clustered cramps"))
    assert clustered.ratio.estimate == plain.ratio.estimate
    assert clustered.ratio.low < plain.ratio.low and clustered.ratio.high > plain.ratio.high
    assert plain.ratio.dispersion == 1 and clustered.ratio.dispersion > 2


def test_nights_done_are_reported_beside_nights_assigned_and_compared_on_their_own():
    found, change, usual, rows = run(next(row for row in ROWS if row.name == "low adherence"))
    assert (found.adherence.done, found.adherence.assigned) == (5, 14)
    assert found.done_ratio is None  # 5 nights done: too few to compare on their own
    assert "5 of its 14 nights" in found.verdict.headline
    assert "fewer" not in found.verdict.headline.lower()  # no difference put down to the change
    found, *_ = run(next(row for row in ROWS if row.name == "adherence at 3 in 4"))
    assert (found.adherence.done, found.adherence.assigned) == (11, 14)
    assert found.done_ratio is not None and found.done_change.nights == 11
    everything, *_ = run(ROWS[0])
    assert everything.adherence.done == everything.adherence.assigned == 14
    assert everything.done_ratio is None  # the same nights as "all change nights": shown once


def test_no_adherence_recorded_says_so_and_credits_nothing_to_the_change():
    found, *_ = run(next(row for row in ROWS if row.name == "no adherence recorded"))
    assert found.verdict.headline.startswith("You haven't marked the change as done on any")
    assert "can't tell whether the change" in found.verdict.headline


@pytest.mark.parametrize(
    "kind, words",
    [
        (stats.FEWER_MAYBE, "Fewer cramps in the change weeks; this could still be chance."),
        (stats.MORE_MAYBE, "More cramps in the change weeks; this could still be chance."),
        (stats.TOO_FEW, "Too few nights logged to say yet."),
    ],
)
def test_weak_evidence_is_worded_as_weak(kind, words):
    found, *_ = run(next(row for row in ROWS if row.kind == kind))
    assert found.verdict.headline == words


@pytest.mark.parametrize("pairs, outcomes", [(2, 4), (3, 8)])
def test_a_clear_result_never_claims_more_than_the_random_order_can(pairs, outcomes):
    row = Row("x", cycle([0, 1], 7 * pairs), cycle([1, 2], 7 * pairs), stats.FEWER, orders=("CU",) * pairs)
    found, *_ = run(row)
    assert found.verdict.kind == stats.FEWER
    said = " ".join(found.verdict.detail)
    assert f"only {outcomes} ways" in said
    assert "chance easily" not in found.verdict.headline  # the old wording claimed more than 2 pairs can show


def test_no_caveat_states_a_figure_without_a_source():
    for caveat in stats.CAVEATS:
        assert not any(ch.isdigit() for ch in caveat.text) or caveat.sources, caveat.text
    assert not any(
        "quarter" in caveat.text for caveat in stats.CAVEATS
    )  # the unsourced placebo figure is gone


def test_a_did_it_tapped_at_half_past_midnight_counts_for_the_night_before():
    # Change first: the change block's last night is 7 March. A tap at 00:30 on 8 March belongs to the night of
    # 7 March (local noon to noon, like every entry), in the change block.
    blocks = schedule.plan(START, 7, ["CU", "UC"])
    tapped = datetime(2026, 3, 8, 0, 30, tzinfo=LONDON)
    night = progress.night_of_tap(tapped, LONDON)
    assert night == date(2026, 3, 7)
    assert schedule.block_on(blocks, night).is_change
    assert progress.night_of_tap(datetime(2026, 3, 8, 12, 0, tzinfo=LONDON), LONDON) == date(2026, 3, 8)
