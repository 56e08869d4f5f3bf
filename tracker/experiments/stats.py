"""What a personal experiment's diary shows: cramps per logged night in each condition, their ratio with a 95%
interval, how often the change was done, and a verdict whose rule is stated and which claims no more than the
diary and the design can show.

The ratio is change / usual of cramps per logged night. Its interval is the exact conditional one: given the total
of cramps n = x_change + x_usual, x_change follows a binomial with n trials and proportion
p = t_change * RR / (t_change * RR + t_usual), where t is the nights logged in each condition. The Clopper-Pearson
interval for p (quantiles of the beta distribution) turns into one for the ratio through
RR = p / (1 - p) * t_usual / t_change. This is what R's `poisson.test(c(x1, x2), c(t1, t2))` reports.

That interval assumes each night's cramps are independent, as chance alone would spread them. Cramps often come in
runs, which makes an interval that assumes independence too narrow. So the nights are checked first: the Pearson
dispersion of each night's cramps around its condition's own rate (X^2 / degrees of freedom, as a quasi-Poisson
model estimates it). Where X^2 is no higher than chance gives 19 times in 20 (the 95% point of chi-square), the
exact interval stands. Where it is higher, the counts and nights are divided by the dispersion before the same
exact formula is applied (the "effective sample size" of overdispersed counts), which keeps the ratio and widens the
interval as far as the nights show, and no further.

The blocks' order is drawn at random within each pair, so with `pairs` pairs only 2 ** pairs orders were possible:
2 pairs give 4. However clear the nights are, a good or bad spell that happened to fall on the change blocks can't
be ruled out by so few; the verdict says so rather than "more than chance".

Nights with no cramp and no check-in are "not logged": they are left out, never counted as free of cramps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext

from tracker.experiments.schedule import Block

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONFIDENCE = 0.95
MIN_NIGHTS = 10  # logged nights needed in each condition before any verdict
ENOUGH_DONE = (
    0.75  # the change marked done on at least 3 in 4 of its nights, or no difference is put down to it
)

FEWER = "fewer"
MORE = "more"
FEWER_MAYBE = "fewer_maybe"
MORE_MAYBE = "more_maybe"
NO_CLEAR = "no_clear"
TOO_FEW = "too_few"
NO_CRAMPS = "no_cramps"
NOT_RECORDED = "not_recorded"
LOW_ADHERENCE = "low_adherence"

HEADLINES = {
    FEWER: gettext_lazy(
        "Fewer cramps in the change weeks, by more than the ups and downs from night to night would give."
    ),
    MORE: gettext_lazy(
        "More cramps in the change weeks, by more than the ups and downs from night to night would give."
    ),
    FEWER_MAYBE: gettext_lazy("Fewer cramps in the change weeks; this could still be chance."),
    MORE_MAYBE: gettext_lazy("More cramps in the change weeks; this could still be chance."),
    NO_CLEAR: gettext_lazy("About the same cramps in the change weeks as in your usual weeks."),
    TOO_FEW: gettext_lazy("Too few nights logged to say yet."),
    NO_CRAMPS: gettext_lazy("No cramps logged in either part, so there is nothing to compare."),
}


def _rule() -> str:
    return gettext(
        "We wait until you have logged at least %(least)s nights with the change and %(least)s with your usual "
        "routine. Then we compare your cramps per night in the two, and work out a range that allows for "
        "chance. If even the top of the range means fewer cramps, we say fewer; if even the bottom means more, "
        "we say more; if the range could go either way, we say it could still be chance. If your cramps come "
        "in clusters, the range is made wider to allow for it. If you marked the change as done on fewer than "
        "3 in 4 of its nights, we don't put any difference down to the change."
    ) % {"least": MIN_NIGHTS}


RULE = lazy(_rule, str)()  # in the language active where it is read


@dataclass(frozen=True)
class Caveat:
    """Something to keep in mind, with the documents behind any figure it states (knowledge/sources.py)."""

    text: StrOrPromise
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        return str(self.text)


CAVEATS = (
    Caveat(
        gettext_lazy(
            "Believing a change will help can ease cramps by itself, and a diary can't tell that apart from the "
            "change."
        )
    ),
    Caveat(gettext_lazy("Cramps come and go over weeks and seasons, whatever you do.")),
    Caveat(
        gettext_lazy(
            "A few weeks is a short time: with few nights or few cramps, a real difference can be missed."
        )
    ),
    Caveat(
        gettext_lazy(
            "A change can linger into the next block (or take time to work), which makes the two parts look alike."
        )
    ),
    Caveat(
        gettext_lazy(
            "This is your own diary, not a medical study. Take it to your clinician before you start or stop any "
            "medicine or supplement."
        )
    ),
)


@dataclass(frozen=True)
class Arm:
    """One condition's tally over its logged nights; `counts` holds each logged night's cramps, for the spread."""

    cramps: int
    nights: int  # logged nights: with a cramp or a check-in
    nights_with_cramps: int
    counts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @property
    def per_night(self) -> float | None:
        return self.cramps / self.nights if self.nights else None

    @property
    def share_with_cramps(self) -> float | None:
        return self.nights_with_cramps / self.nights if self.nights else None


@dataclass(frozen=True)
class RateRatio:
    estimate: float  # may be 0 or infinity
    low: float
    high: float  # may be infinity
    dispersion: float = 1.0  # how much wider than chance the nights spread; 1: the exact interval


@dataclass(frozen=True)
class Adherence:
    """The change nights marked "did it" among the change nights passed."""

    done: int
    assigned: int

    @property
    def share(self) -> float | None:
        return self.done / self.assigned if self.assigned else None

    @property
    def enough(self) -> bool:
        return self.assigned > 0 and self.done >= ENOUGH_DONE * self.assigned


@dataclass(frozen=True)
class Verdict:
    kind: str
    headline: str
    detail: tuple[str, ...] = ()
    rule: StrOrPromise = RULE
    caveats: tuple[Caveat, ...] = CAVEATS


def dispersion(*arms: Arm) -> float:
    """The Pearson dispersion of the nights (X^2 / df around each arm's own rate), or 1 when it is no more than
    chance would give 19 times in 20, or when there are too few nights to judge (no counts given)."""
    x2 = 0.0
    df = 0
    for arm in arms:
        if not arm.counts:
            return 1.0
        df += len(arm.counts) - 1
        mean = arm.cramps / arm.nights
        if mean:
            x2 += sum((count - mean) ** 2 for count in arm.counts) / mean
    if df < 1:
        return 1.0
    from scipy.stats import chi2  # type: ignore[import-untyped]  # SciPy ships no stubs; loaded when first used

    return x2 / df if x2 > chi2.ppf(CONFIDENCE, df) else 1.0


def rate_ratio(change: Arm, usual: Arm, confidence: float = CONFIDENCE) -> RateRatio | None:
    """Change / usual of cramps per logged night with its exact conditional interval, widened by the nights'
    dispersion when they spread more than chance would; None when either condition has no logged night or there
    were no cramps at all (nothing to compare)."""
    total = change.cramps + usual.cramps
    if not change.nights or not usual.nights or total == 0:
        return None
    scale = usual.nights / change.nights

    def ratio(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p) * scale

    # SciPy is imported here, when a result is first read: loaded at start-up it would add about 80 MB to every
    # worker, most of which never shows an experiment.
    from scipy.stats import beta

    phi = dispersion(change, usual)
    x1, x2 = change.cramps / phi, usual.cramps / phi
    tail = (1 - confidence) / 2
    low = 0.0 if change.cramps == 0 else float(beta.ppf(tail, x1, x2 + 1))
    high = 1.0 if usual.cramps == 0 else float(beta.ppf(1 - tail, x1 + 1, x2))
    return RateRatio(ratio(change.cramps / total), ratio(low), ratio(high), phi)


def orders_sentence(pairs: int) -> str:
    return ngettext(
        "With %(pairs)s pair of blocks, the coin tosses that set the order could come out only %(orders)s ways, so "
        "a good or bad spell that happened to fall on the change weeks can't be ruled out.",
        "With %(pairs)s pairs of blocks, the coin tosses that set the order could come out only %(orders)s ways, "
        "so a good or bad spell that happened to fall on the change weeks can't be ruled out.",
        pairs,
    ) % {"pairs": pairs, "orders": 2**pairs}


def verdict(
    change: Arm,
    usual: Arm,
    adherence: Adherence | None = None,
    pairs: int = 2,
    found: RateRatio | None = None,
) -> Verdict:
    """The plain verdict, by RULE. `adherence` None: not known (an older caller), taken as enough."""
    if change.nights < MIN_NIGHTS or usual.nights < MIN_NIGHTS:
        return Verdict(TOO_FEW, str(HEADLINES[TOO_FEW]))
    found = found or rate_ratio(change, usual)
    if found is None:
        return Verdict(NO_CRAMPS, str(HEADLINES[NO_CRAMPS]))
    if found.high < 1:
        kind = FEWER
    elif found.low > 1:
        kind = MORE
    elif found.estimate < 1:
        kind = FEWER_MAYBE
    elif found.estimate > 1:
        kind = MORE_MAYBE
    else:
        kind = NO_CLEAR
    if adherence is not None and adherence.done == 0:
        return Verdict(
            NOT_RECORDED,
            gettext(
                "You haven't marked the change as done on any of its nights, so the diary can't tell whether the "
                "change made a difference."
            ),
            (_what_the_nights_show(kind),),
        )
    if adherence is not None and not adherence.enough:
        return Verdict(
            LOW_ADHERENCE,
            ngettext(
                "You marked the change as done on %(done)s of its %(nights)s night: too few for the diary to tell "
                "whether the change made a difference.",
                "You marked the change as done on %(done)s of its %(nights)s nights: too few for the diary to tell "
                "whether the change made a difference.",
                adherence.assigned,
            )
            % {"done": adherence.done, "nights": adherence.assigned},
            (_what_the_nights_show(kind),),
        )
    detail = (orders_sentence(pairs),) if kind in (FEWER, MORE) else ()
    return Verdict(kind, str(HEADLINES[kind]), detail)


def _what_the_nights_show(kind: str) -> str:
    """The difference in the nights, worded so it is not put down to the change."""
    if kind in (FEWER, FEWER_MAYBE):
        return gettext("Your change weeks had fewer cramps, but that can't be put down to the change.")
    if kind in (MORE, MORE_MAYBE):
        return gettext("Your change weeks had more cramps, but that can't be put down to the change.")
    return gettext("Your change weeks and usual weeks had about the same cramps.")


@dataclass(frozen=True)
class DoneArm(Arm):
    """The change arm over only the logged nights marked done, carrying the change nights passed (`assigned`, logged
    or not) and those marked done among them (`done_assigned`)."""

    assigned: int = 0
    done_assigned: int = 0


@dataclass(frozen=True)
class Comparison:
    """Everything the result says: the ratio over all change nights (none while too few), the same over only the
    nights the change was done (only when those differ and are enough), adherence and the verdict."""

    ratio: RateRatio | None
    done_change: DoneArm
    done_ratio: RateRatio | None
    adherence: Adherence
    verdict: Verdict


def compare(change: Arm, usual: Arm, done_change: DoneArm, pairs: int) -> Comparison:
    """Compare the two conditions over all change nights (as assigned), and, when the change was not done on all
    of them, over only the nights it was done."""
    adherence = Adherence(done_change.done_assigned, done_change.assigned)
    found = rate_ratio(change, usual)
    said = verdict(change, usual, adherence, pairs, found)
    if said.kind == TOO_FEW:
        found = None
    done_ratio = None
    if adherence.done < adherence.assigned and said.kind != TOO_FEW and done_change.nights >= MIN_NIGHTS:
        done_ratio = rate_ratio(done_change, usual)
    return Comparison(found, done_change, done_ratio, adherence, said)


@dataclass(frozen=True)
class BlockTally:
    """One block so far: its nights passed, those logged, their cramps, and (change blocks) the nights done."""

    number: int
    condition: str
    first: date
    last: date
    nights_passed: int
    nights_logged: int
    cramps: int
    nights_done: int


def _arm(counts: list[int]) -> Arm:
    return Arm(sum(counts), len(counts), sum(1 for n in counts if n > 0), tuple(counts))


def tally(
    blocks: Sequence[Block], logged: Mapping[date, int], done: Set[date], through: date
) -> tuple[Arm, Arm, DoneArm, list[BlockTally]]:
    """Fold the logged nights (night -> cramps that night, only nights with a cramp or a check-in) into the two
    conditions, the change nights marked done, and the blocks, counting nights up to `through` (inclusive). A night
    missing from `logged` is not logged and counts nowhere."""
    counts: dict[str, list[int]] = {"change": [], "usual": []}
    done_counts: list[int] = []
    assigned = done_assigned = 0
    rows = []
    for block in blocks:
        passed = [night for night in block.nights if night <= through]
        seen = [night for night in passed if night in logged]
        counts[block.condition].extend(logged[night] for night in seen)
        nights_done = sum(1 for night in passed if night in done) if block.is_change else 0
        if block.is_change:
            assigned += len(passed)
            done_assigned += nights_done
            done_counts.extend(logged[night] for night in seen if night in done)
        rows.append(
            BlockTally(
                block.number,
                block.condition,
                block.first,
                block.last,
                len(passed),
                len(seen),
                sum(logged[night] for night in seen),
                nights_done,
            )
        )
    base = _arm(done_counts)
    done_arm = DoneArm(
        base.cramps, base.nights, base.nights_with_cramps, base.counts, assigned, done_assigned
    )
    return _arm(counts["change"]), _arm(counts["usual"]), done_arm, rows
