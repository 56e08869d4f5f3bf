"""A personal experiment on the clinician summary: a short report in the spirit of CENT 2015 (the reporting guideline
for n-of-1 trials): what was compared, the plan and the order drawn, the blocks actually run, the nights analysed and
missing, adherence, and the effect with its 95% interval. Only an experiment that began inside the period is shown,
counted up to the end of the period, so nothing outside it is reported."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from tracker.app import l10n
from tracker.experiments import offered_changes, progress, schedule, words
from tracker.models import Experiment

CONDITION_WORDS = {
    # Translators: one of the two conditions of a personal experiment, as a block of it is labelled.
    schedule.CHANGE: pgettext_lazy("experiment condition", "change"),
    schedule.USUAL: pgettext_lazy("experiment condition", "usual routine"),
}


@dataclass(frozen=True)
class BlockRow:
    number: int
    condition: str  # in words
    first: date
    last: date
    nights_passed: int
    nights_logged: int
    cramps: int
    nights_done: int | None  # change blocks only


@dataclass(frozen=True)
class Report:
    change: str
    state: str  # running, paused, stopped, finished
    block_days: int
    pairs: int
    order: str  # "change then usual; usual then change"
    start: date
    through: date | None  # the last night counted; None before any night has ended
    stopped_on: date | None
    blocks: list[BlockRow]
    change_nights: int
    change_cramps: int
    usual_nights: int
    usual_cramps: int
    nights_not_logged: int
    done: int  # change-block nights marked "did it"
    change_passed: int  # change-block nights passed
    ratio: (
        str | None
    )  # "0.45 (95% interval 0.21 to 0.92)", over all change nights, then the nights done if they differ
    verdict: str  # in the third person, with the same reasons as the person's page
    rule: str
    method: str  # how the interval was worked out, in a clinician's words

    @property
    def change_per_night(self) -> str:
        return _per_night(self.change_cramps, self.change_nights)

    @property
    def usual_per_night(self) -> str:
        return _per_night(self.usual_cramps, self.usual_nights)

    @property
    def planned_nights(self) -> int:
        return 2 * self.pairs * self.block_days


def _per_night(cramps: int, nights: int) -> str:
    return _two_places(cramps / nights) if nights else "–"


def _two_places(value: float) -> str:
    """ "0.46": rounded as Python rounds (Django's number_format would cut 0.456 to 0.45), then in the language's
    way."""
    return l10n.number(float(f"{value:.2f}"), 2)


METHOD = gettext_lazy(
    "Exact conditional interval for a ratio of Poisson rates, widened by the Pearson dispersion of the nights only "
    "when it exceeds chance's 95%% point. %(widened)s Intention to treat: every change night counts, whether or not "
    "the change was marked done. Not blinded; season, expectation and a change lingering into the next block can "
    "all affect it."
)


def _method(results: progress.Results) -> str:
    """METHOD, saying whether this interval was widened and by how much."""
    ratio = results.ratio
    if ratio is None:
        widened = gettext("No interval yet.")
    elif ratio.dispersion > 1:
        widened = gettext(
            "Here the nights spread more than chance would (dispersion %(dispersion)s), so this interval was widened."
        ) % {"dispersion": _two_places(ratio.dispersion)}
    else:
        widened = gettext(
            "Here the nights spread no more than chance would, so this interval is the exact one, not widened."
        )
    return str(METHOD) % {"widened": widened}


def _ratio(results: progress.Results) -> str | None:
    if results.ratio is None:
        return None
    said = words.ratio_for_clinician(results.ratio)
    if results.done_ratio is not None:
        # Translators: two rate ratios, each with its 95% interval: over all change nights, and over those done.
        said = gettext(
            "%(all)s over all change nights; %(done)s over the %(nights)s logged nights the change was marked done"
        ) % {
            "all": said,
            "done": words.ratio_for_clinician(results.done_ratio),
            "nights": results.done_change.nights,
        }
    return said


def _order(conditions) -> str:
    """ "change then usual routine": the order of one pair's blocks."""
    first, then = (str(CONDITION_WORDS[c]) for c in conditions)
    # Translators: the order of a pair of blocks of a personal experiment: "change then usual routine".
    return gettext("%(first)s then %(then)s") % {"first": first, "then": then}


def report(user, first: date, last: date, going_on: date) -> Report | None:
    """The latest experiment that began inside the period, counted up to its end; None if there is none."""
    found = Experiment.objects.for_user(user).filter(start__gte=first, start__lte=last).first()
    if found is None:
        return None
    # `going_on` is the night going on now (logged_nights.tonight), as the experiment's own page counts to it.
    tonight = min(going_on, last + timedelta(days=1))
    results = progress.results(found, tonight)
    through = results.through if results.through >= found.start else None
    rows = [
        BlockRow(
            tally.number,
            str(CONDITION_WORDS[tally.condition]),
            tally.first,
            tally.last,
            tally.nights_passed,
            tally.nights_logged,
            tally.cramps,
            tally.nights_done if tally.condition == schedule.CHANGE else None,
        )
        for tally in results.blocks
        if tally.nights_passed
    ]
    return Report(
        change=offered_changes.said(found.change_key, found.change),
        state=progress.state_of(found, tonight),
        block_days=found.block_days,
        pairs=found.pairs,
        order="; ".join(_order(schedule.conditions([pair])) for pair in found.orders),
        start=found.start,
        through=through,
        stopped_on=found.stopped_on if found.stopped_on and found.stopped_on <= last else None,
        blocks=rows,
        change_nights=results.change.nights,
        change_cramps=results.change.cramps,
        usual_nights=results.usual.nights,
        usual_cramps=results.usual.cramps,
        nights_not_logged=results.nights_not_logged,
        done=results.adherence.done,
        change_passed=results.adherence.assigned,
        ratio=_ratio(results),
        verdict=words.verdict_for_clinician(results.verdict, results.adherence, found.pairs),
        rule=str(results.verdict.rule),
        method=_method(results),
    )
