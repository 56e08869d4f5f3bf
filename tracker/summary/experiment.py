"""A personal experiment on the clinician summary: a short report in the spirit of CENT 2015 (the reporting guideline
for n-of-1 trials): what was compared, the plan and the order drawn, the blocks actually run, the nights analysed and
missing, adherence, and the effect with its 95% interval. Only an experiment that began inside the period is shown,
counted up to the end of the period, so nothing outside it is reported."""

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.experiments import progress, schedule, words
from tracker.models import Experiment

CONDITION_WORDS = {schedule.CHANGE: "change", schedule.USUAL: "usual routine"}


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
    return f"{cramps / nights:.2f}" if nights else "–"


METHOD = (
    "Exact conditional interval for a ratio of Poisson rates, widened by the Pearson dispersion of the nights only "
    "when it exceeds chance's 95% point. {widened} Intention to treat: every change night counts, whether or not "
    "the change was marked done. Not blinded; season, expectation and a change lingering into the next block can "
    "all affect it."
)


def _method(results: progress.Results) -> str:
    """METHOD, saying whether this interval was widened and by how much."""
    ratio = results.ratio
    if ratio is None:
        widened = "No interval yet."
    elif ratio.dispersion > 1:
        widened = (
            f"Here the nights spread more than chance would (dispersion {ratio.dispersion:.2f}), so this interval "
            "was widened."
        )
    else:
        widened = "Here the nights spread no more than chance would, so this interval is the exact one, not widened."
    return METHOD.format(widened=widened)


def _ratio(results: progress.Results) -> str | None:
    if results.ratio is None:
        return None
    said = words.ratio_for_clinician(results.ratio)
    if results.done_ratio is not None:
        said += (
            f" over all change nights; {words.ratio_for_clinician(results.done_ratio)} over the "
            f"{results.done_change.nights} logged nights the change was marked done"
        )
    return said


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
            CONDITION_WORDS[tally.condition],
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
        change=found.change,
        state=progress.state_of(found, tonight),
        block_days=found.block_days,
        pairs=found.pairs,
        order="; ".join(
            " then ".join(CONDITION_WORDS[c] for c in schedule.conditions([pair])) for pair in found.orders
        ),
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
        rule=results.verdict.rule,
        method=_method(results),
    )
