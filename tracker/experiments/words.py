"""An experiment's result in words: for the person (second person, plain) and for their clinician (third person),
from the same figures, so the page, the clinician summary and its PDF say the same thing. A ratio of 0 (no cramps
with the change) or infinity (none in the usual weeks) is said as what happened, never as a number."""

import math

from django.utils.translation import gettext, gettext_lazy, ngettext

from tracker.app import l10n
from tracker.experiments import stats


def _n(value: float) -> str:
    """Two decimals, with the language's decimal mark ("0,45"); rounded first, as number formatting cuts."""
    return l10n.number(round(value, 2), 2)


def ratio_for_person(
    ratio: stats.RateRatio, change: stats.Arm, usual: stats.Arm, done_only: bool = False
) -> str:
    """The ratio and its range, for the person; `done_only`: the change nights compared are only those the change
    was done ("the nights you did the change"), else all of them ("the change nights")."""
    figures = {"cramps": usual.cramps, "changed": change.cramps, "high": "", "low": "", "ratio": ""}
    if ratio.estimate == 0:
        figures["high"] = _n(ratio.high)
        if done_only:
            said = ngettext(
                "You had no cramps on the nights you did the change, against %(cramps)s cramp on your usual "
                "nights. Allowing for chance, the nights you did the change could still have had up to %(high)s "
                "times the cramps of your usual routine.",
                "You had no cramps on the nights you did the change, against %(cramps)s cramps on your usual "
                "nights. Allowing for chance, the nights you did the change could still have had up to %(high)s "
                "times the cramps of your usual routine.",
                usual.cramps,
            )
        else:
            said = ngettext(
                "You had no cramps on the change nights, against %(cramps)s cramp on your usual nights. Allowing "
                "for chance, the change nights could still have had up to %(high)s times the cramps of your usual "
                "routine.",
                "You had no cramps on the change nights, against %(cramps)s cramps on your usual nights. Allowing "
                "for chance, the change nights could still have had up to %(high)s times the cramps of your usual "
                "routine.",
                usual.cramps,
            )
        return said % figures
    if math.isinf(ratio.estimate):
        figures["low"] = _n(ratio.low)
        if done_only:
            said = gettext(
                "You had cramps only on the nights you did the change (%(changed)s), none on your usual nights. "
                "Allowing for chance, the nights you did the change had at least %(low)s times the cramps of your "
                "usual routine."
            )
        else:
            said = gettext(
                "You had cramps only on the change nights (%(changed)s), none on your usual nights. Allowing for "
                "chance, the change nights had at least %(low)s times the cramps of your usual routine."
            )
        return said % figures
    figures |= {"ratio": _n(ratio.estimate), "low": _n(ratio.low), "high": _n(ratio.high)}
    if done_only:
        said = gettext(
            "On the nights you did the change you had %(ratio)s times the cramps per night of your usual routine. "
            "Allowing for chance, it could be anywhere from %(low)s to %(high)s times."
        )
    else:
        said = gettext(
            "On the change nights you had %(ratio)s times the cramps per night of your usual routine. Allowing "
            "for chance, it could be anywhere from %(low)s to %(high)s times."
        )
    return said % figures


def ratio_for_clinician(ratio: stats.RateRatio) -> str:
    """ "0.45 (95% interval 0.21 to 0.92)", with 0 and no upper bound said in words."""
    figures = {
        "ratio": _n(ratio.estimate) if math.isfinite(ratio.estimate) else "",
        "low": _n(ratio.low),
        "high": _n(ratio.high) if math.isfinite(ratio.high) else "",
        "dispersion": l10n.number(round(ratio.dispersion, 1), 1),
    }
    widened = ratio.dispersion > 1
    if ratio.estimate == 0:
        if widened:
            said = gettext(
                "0, no cramps on change nights (95%% interval 0 to %(high)s; widened for clustering, dispersion "
                "%(dispersion)s)"
            )
        else:
            said = gettext("0, no cramps on change nights (95%% interval 0 to %(high)s)")
    elif math.isinf(ratio.estimate):
        if widened:
            said = gettext(
                "not defined, no cramps on usual nights (95%% interval from %(low)s, no upper bound; widened for "
                "clustering, dispersion %(dispersion)s)"
            )
        else:
            said = gettext(
                "not defined, no cramps on usual nights (95%% interval from %(low)s, no upper bound)"
            )
    elif widened:
        said = gettext(
            "%(ratio)s (95%% interval %(low)s to %(high)s; widened for clustering, dispersion %(dispersion)s)"
        )
    else:
        said = gettext("%(ratio)s (95%% interval %(low)s to %(high)s)")
    return said % figures


CLINICIAN_VERDICTS = {
    stats.FEWER: gettext_lazy(
        "Fewer cramps during the change blocks than the usual ones, beyond night-to-night variation."
    ),
    stats.MORE: gettext_lazy(
        "More cramps during the change blocks than the usual ones, beyond night-to-night variation."
    ),
    stats.FEWER_MAYBE: gettext_lazy(
        "Fewer cramps during the change blocks, but the interval includes 1: compatible with chance."
    ),
    stats.MORE_MAYBE: gettext_lazy(
        "More cramps during the change blocks, but the interval includes 1: compatible with chance."
    ),
    stats.NO_CLEAR: gettext_lazy("No difference between change and usual nights."),
    stats.NO_CRAMPS: gettext_lazy("No cramps logged in either condition."),
}


def verdict_for_clinician(verdict: stats.Verdict, adherence: stats.Adherence, pairs: int) -> str:
    """The verdict in the third person, with the same reasons as the person's page."""
    if verdict.kind == stats.NOT_RECORDED:
        return gettext(
            "Adherence not recorded: the change was marked done on none of its nights, so no difference is "
            "attributed to it."
        )
    if verdict.kind == stats.LOW_ADHERENCE:
        return ngettext(
            "The change was marked done on %(done)s of %(nights)s change night (under 3 in 4), so no difference "
            "is attributed to it.",
            "The change was marked done on %(done)s of %(nights)s change nights (under 3 in 4), so no difference "
            "is attributed to it.",
            adherence.assigned,
        ) % {"done": adherence.done, "nights": adherence.assigned}
    if verdict.kind == stats.TOO_FEW:
        return gettext(
            "Too few nights logged to compare (at least %(least)s in each condition needed); no ratio given."
        ) % {"least": stats.MIN_NIGHTS}
    said = str(CLINICIAN_VERDICTS[verdict.kind])
    if verdict.kind in (stats.FEWER, stats.MORE):
        said += " " + ngettext(
            "With %(pairs)s randomised pair only %(orders)s block orders were possible, so a period effect "
            "coinciding with the change blocks cannot be excluded.",
            "With %(pairs)s randomised pairs only %(orders)s block orders were possible, so a period effect "
            "coinciding with the change blocks cannot be excluded.",
            pairs,
        ) % {"pairs": pairs, "orders": 2**pairs}
    return said


def block_tally(row: stats.BlockTally) -> str:
    """A block's nights so far: "6 of 7 nights logged, 2 cramps; did it on 5 nights." Three counts each choose
    singular or plural, so each combination is a whole sentence (singular only for exactly 1, as in English, Spanish
    and German); the last count goes through ngettext."""
    figures = {
        "logged": row.nights_logged,
        "passed": row.nights_passed,
        "cramps": row.cramps,
        "done": row.nights_done,
    }
    one_night, one_cramp = row.nights_passed == 1, row.cramps == 1
    if row.condition != "change":
        if one_night:
            said = ngettext(
                "%(logged)s of %(passed)s night logged, %(cramps)s cramp.",
                "%(logged)s of %(passed)s night logged, %(cramps)s cramps.",
                row.cramps,
            )
        else:
            said = ngettext(
                "%(logged)s of %(passed)s nights logged, %(cramps)s cramp.",
                "%(logged)s of %(passed)s nights logged, %(cramps)s cramps.",
                row.cramps,
            )
    elif one_night and one_cramp:
        said = ngettext(
            "%(logged)s of %(passed)s night logged, %(cramps)s cramp; did it on %(done)s night.",
            "%(logged)s of %(passed)s night logged, %(cramps)s cramp; did it on %(done)s nights.",
            row.nights_done,
        )
    elif one_night:
        said = ngettext(
            "%(logged)s of %(passed)s night logged, %(cramps)s cramps; did it on %(done)s night.",
            "%(logged)s of %(passed)s night logged, %(cramps)s cramps; did it on %(done)s nights.",
            row.nights_done,
        )
    elif one_cramp:
        said = ngettext(
            "%(logged)s of %(passed)s nights logged, %(cramps)s cramp; did it on %(done)s night.",
            "%(logged)s of %(passed)s nights logged, %(cramps)s cramp; did it on %(done)s nights.",
            row.nights_done,
        )
    else:
        said = ngettext(
            "%(logged)s of %(passed)s nights logged, %(cramps)s cramps; did it on %(done)s night.",
            "%(logged)s of %(passed)s nights logged, %(cramps)s cramps; did it on %(done)s nights.",
            row.nights_done,
        )
    return said % figures
