"""A stored experiment read as a plan and a state, and its results so far from the day totals."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from tracker.entries import day_totals, logged_nights, nights
from tracker.experiments import offered_changes, schedule, stats
from tracker.models import DiaryDay, Experiment, ExperimentNight

RUNNING = "running"
PAUSED = "paused"
STOPPED = "stopped"
FINISHED = "finished"


def tonight_of(now: datetime, zone: tzinfo) -> date:
    """The next night to begin, for what a person starts, pauses, resumes or stops now: the one named by today's
    local date (its evening is today), so "Start tonight" at 10 a.m. starts this evening."""
    return now.astimezone(zone).date()


def night_of_tap(moment: datetime, zone: tzinfo) -> date:
    """The night a "did it" belongs to, like every entry: local noon to noon, so a stretch at 00:30 counts for the
    night that began the evening before (tracker/entries/nights.py)."""
    return nights.night_of(moment, zone)


def pauses_of(experiment: Experiment) -> list[schedule.Pause]:
    return [
        schedule.Pause(date.fromisoformat(first), date.fromisoformat(last) if last else None)
        for first, last in experiment.pauses
    ]


def blocks_of(experiment: Experiment, tonight: date) -> list[schedule.Block]:
    return schedule.plan(
        experiment.start, experiment.block_days, experiment.orders, pauses_of(experiment), tonight
    )


def state_of(experiment: Experiment, tonight: date) -> str:
    if experiment.stopped_on is not None:
        return STOPPED
    if experiment.pauses and experiment.pauses[-1][1] is None:
        return PAUSED
    if tonight > blocks_of(experiment, tonight)[-1].last:
        return FINISHED
    return RUNNING


def latest(user, tonight: date) -> Experiment | None:
    """The person's latest experiment not stopped early, in one query that also reads whether tonight was marked
    done (`done_tonight`)."""
    done = ExperimentNight.objects.filter(experiment=OuterRef("pk"), night=tonight)
    return Experiment.objects.for_user(user).not_stopped().annotate(done_tonight=Exists(done)).first()


def current(user, tonight: date) -> Experiment | None:
    """The person's experiment that is running or paused, if any."""
    found = latest(user, tonight)
    return found if found is not None and state_of(found, tonight) in (RUNNING, PAUSED) else None


def experiments_of(user) -> list[Experiment]:
    """All of a person's experiments, latest first, in one query (a person has a handful at most): for the blocks
    shaded on Trends and the nights calendar, and the running one's link."""
    return list(Experiment.objects.for_user(user))


def running_of(experiments: Sequence[Experiment], tonight: date) -> Experiment | None:
    """The one running or paused, among experiments already read."""
    for experiment in experiments:
        if state_of(experiment, tonight) in (RUNNING, PAUSED):
            return experiment
    return None


def week_of(experiment: Experiment, tonight: date) -> tuple[int, int]:
    """Which week of the plan tonight is in, and how many weeks it has: "week 3 of 8". Paused nights don't count."""
    nights = [night for block in blocks_of(experiment, tonight) for night in block.nights]
    passed = sum(1 for night in nights if night <= tonight)
    return min(max(passed - 1, 0) // 7 + 1, len(nights) // 7), len(nights) // 7


@dataclass(frozen=True)
class Run:
    """Consecutive nights of one block, from `first` to `last`: the nights shaded on Trends and the calendar. A pause
    splits a block into two runs; nights after a stop, and nights still to come, are in none."""

    first: date
    last: date
    is_change: bool
    change: (
        str  # the experiment's change, in the person's words or the offered one's (in the active language)
    )

    @property
    def said(self) -> str:
        """The block in words, for a screen reader and the lists: "change block: stretch your calves before bed"."""
        if self.is_change:
            return gettext("change block: %(change)s") % {"change": self.change}
        return gettext("usual block: your usual routine")


def runs_between(experiments: Iterable[Experiment], first: date, last: date, tonight: date) -> list[Run]:
    """The runs of every experiment's blocks within `first` to `last`, up to tonight (which block of a pair is the
    change is only known once it starts), in date order. No query."""
    runs: list[Run] = []
    for experiment in experiments:
        change = offered_changes.said(experiment.change_key, experiment.change)
        until = min(last, tonight)
        if experiment.stopped_on is not None:
            until = min(until, experiment.stopped_on - timedelta(days=1))
        if experiment.start > until:
            continue
        for block in blocks_of(experiment, tonight):
            nights = [night for night in block.nights if first <= night <= until]
            while nights:
                end = 1
                while end < len(nights) and nights[end] - nights[end - 1] == timedelta(days=1):
                    end += 1
                runs.append(Run(nights[0], nights[end - 1], block.is_change, change))
                nights = nights[end:]
    return sorted(runs, key=lambda run: run.first)


def start_experiment(
    user, *, change_key: str, change: str, block_days: int, pairs: int, tonight: date
) -> Experiment:
    """Draw the order within each pair now, keep the seed and the orders drawn, and start with tonight."""
    seed = secrets.randbits(32)
    return Experiment.objects.create(
        user=user,
        change_key=change_key,
        change=change,
        block_days=block_days,
        pairs=pairs,
        seed=seed,
        orders=schedule.draw_orders(seed, pairs),
        start=tonight,
    )


def can_pause(experiment: Experiment) -> bool:
    """At most one pause for each night of the plan, as an imported experiment is checked too."""
    return len(experiment.pauses) < schedule.nights_in_plan(experiment.block_days, experiment.pairs)


def pause(experiment: Experiment, tonight: date) -> None:
    """From tonight on, nights are not counted until a resume."""
    if state_of(experiment, tonight) == RUNNING and can_pause(experiment):
        experiment.pauses = [*experiment.pauses, [tonight.isoformat(), None]]
        experiment.save(update_fields=["pauses"])


def resume(experiment: Experiment, tonight: date) -> None:
    """Tonight counts again; the rest of the plan follows on from here."""
    if state_of(experiment, tonight) == PAUSED:
        first = date.fromisoformat(experiment.pauses[-1][0])
        last = tonight - timedelta(days=1)
        kept = experiment.pauses[:-1]
        experiment.pauses = kept + ([[first.isoformat(), last.isoformat()]] if last >= first else [])
        experiment.save(update_fields=["pauses"])


def stop(experiment: Experiment, tonight: date) -> None:
    """Stop early: tonight and after are not counted; everything so far is kept."""
    if state_of(experiment, tonight) in (RUNNING, PAUSED):
        resume(experiment, tonight)
        experiment.stopped_on = tonight
        experiment.save(update_fields=["stopped_on"])


@dataclass(frozen=True)
class Results:
    change: stats.Arm
    usual: stats.Arm
    ratio: stats.RateRatio | None  # None while too few nights are logged, or with no cramps at all
    verdict: stats.Verdict
    blocks: list[stats.BlockTally]
    through: date  # the last night counted
    nights_passed: int
    nights_not_logged: int
    done_change: stats.DoneArm  # the change nights marked done, and those logged
    done_ratio: (
        stats.RateRatio | None
    )  # over only the nights the change was done, when they differ and are enough
    adherence: stats.Adherence


def results(experiment: Experiment, tonight: date) -> Results:
    """The results over the nights that have ended (those before `tonight`, the night now going on), or up to the
    stop."""
    blocks = blocks_of(experiment, tonight)
    through = min(tonight - timedelta(days=1), blocks[-1].last)
    if experiment.stopped_on is not None:
        through = min(through, experiment.stopped_on - timedelta(days=1))
    day_totals.make_current(experiment.user)
    logged = dict(
        DiaryDay.objects.filter(user=experiment.user, day__gte=experiment.start, day__lte=through)
        .filter(logged_nights.LOGGED)
        .values_list("day", "cramps")
    )
    done = set(experiment.nights_done.values_list("night", flat=True))
    change, usual, done_change, rows = stats.tally(blocks, logged, done, through)
    found = stats.compare(change, usual, done_change, experiment.pairs)
    passed = sum(row.nights_passed for row in rows)
    return Results(
        change,
        usual,
        found.ratio,
        found.verdict,
        rows,
        through,
        passed,
        passed - change.nights - usual.nights,
        done_change,
        found.done_ratio,
        found.adherence,
    )
