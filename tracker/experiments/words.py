"""An experiment's result in words: for the person (second person, plain) and for their clinician (third person),
from the same figures, so the page, the clinician summary and its PDF say the same thing. A ratio of 0 (no cramps
with the change) or infinity (none in the usual weeks) is said as what happened, never as a number."""

import math

from tracker.experiments import stats


def _n(value: float) -> str:
    return f"{value:.2f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def ratio_for_person(
    ratio: stats.RateRatio, change: stats.Arm, usual: stats.Arm, nights: str = "the change nights"
) -> str:
    """The ratio and its range, for the person; `nights` names the change nights compared ("the nights you did the
    change")."""
    if ratio.estimate == 0:
        return (
            f"You had no cramps on {nights}, against {_plural(usual.cramps, 'cramp')} on your usual nights. "
            f"Allowing for chance, {nights} could still have had up to {_n(ratio.high)} times the cramps of your "
            "usual routine."
        )
    if math.isinf(ratio.estimate):
        return (
            f"You had cramps only on {nights} ({change.cramps}), none on your usual nights. Allowing for chance, "
            f"{nights} had at least {_n(ratio.low)} times the cramps of your usual routine."
        )
    return (
        f"On {nights} you had {_n(ratio.estimate)} times the cramps per night of your usual routine. Allowing for "
        f"chance, it could be anywhere from {_n(ratio.low)} to {_n(ratio.high)} times."
    )


def ratio_for_clinician(ratio: stats.RateRatio) -> str:
    """ "0.45 (95% interval 0.21 to 0.92)", with 0 and no upper bound said in words."""
    widened = f"; widened for clustering, dispersion {ratio.dispersion:.1f}" if ratio.dispersion > 1 else ""
    if ratio.estimate == 0:
        return f"0, no cramps on change nights (95% interval 0 to {_n(ratio.high)}{widened})"
    if math.isinf(ratio.estimate):
        return f"not defined, no cramps on usual nights (95% interval from {_n(ratio.low)}, no upper bound{widened})"
    return f"{_n(ratio.estimate)} (95% interval {_n(ratio.low)} to {_n(ratio.high)}{widened})"


CLINICIAN_VERDICTS = {
    stats.FEWER: "Fewer cramps during the change blocks than the usual ones, beyond night-to-night variation.",
    stats.MORE: "More cramps during the change blocks than the usual ones, beyond night-to-night variation.",
    stats.FEWER_MAYBE: "Fewer cramps during the change blocks, but the interval includes 1: compatible with chance.",
    stats.MORE_MAYBE: "More cramps during the change blocks, but the interval includes 1: compatible with chance.",
    stats.NO_CLEAR: "No difference between change and usual nights.",
    stats.TOO_FEW: f"Too few nights logged to compare (at least {stats.MIN_NIGHTS} in each condition needed); no "
    "ratio given.",
    stats.NO_CRAMPS: "No cramps logged in either condition.",
}


def verdict_for_clinician(verdict: stats.Verdict, adherence: stats.Adherence, pairs: int) -> str:
    """The verdict in the third person, with the same reasons as the person's page."""
    if verdict.kind == stats.NOT_RECORDED:
        return (
            "Adherence not recorded: the change was marked done on none of its nights, so no difference is "
            "attributed to it."
        )
    if verdict.kind == stats.LOW_ADHERENCE:
        return (
            f"The change was marked done on {adherence.done} of {adherence.assigned} change nights (under 3 in 4), "
            "so no difference is attributed to it."
        )
    said = CLINICIAN_VERDICTS[verdict.kind]
    if verdict.kind in (stats.FEWER, stats.MORE):
        said += (
            f" With {pairs} randomised pairs only {2**pairs} block orders were possible, so a period effect "
            "coinciding with the change blocks cannot be excluded."
        )
    return said
