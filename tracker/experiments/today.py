"""Today's experiment card: which block the night now going on is in, the nights left, and whether "Did it today"
was tapped for it (with a way to undo that until the night is over)."""

from datetime import datetime, timedelta

from django.utils import timezone

from tracker.experiments import offered_changes, progress, schedule

SHOW_FINISHED_NIGHTS = 14  # Today points to a finished experiment's result for two weeks


def today_card(user, now: datetime) -> dict | None:
    """What the card shows, a pointer to the result for two weeks after the last block, or None. One query.

    The night is the one going on now, local noon to noon like every entry, so at 00:30 the card still shows the
    night that began the evening before, and "Did it today" counts for it."""
    night = progress.night_of_tap(now, timezone.get_current_timezone())
    experiment = progress.latest(user, night)
    if experiment is None:
        return None
    state = progress.state_of(experiment, night)
    change = offered_changes.said(experiment.change_key, experiment.change)  # in the reader's language
    if state == progress.PAUSED:
        return {"experiment": experiment, "change": change, "paused": True}
    blocks = progress.blocks_of(experiment, night)
    if state == progress.FINISHED:
        recent = night - blocks[-1].last <= timedelta(days=SHOW_FINISHED_NIGHTS)
        return {"experiment": experiment, "change": change, "finished": True} if recent else None
    if night < experiment.start:  # started this morning: its first night is this evening's
        return {"experiment": experiment, "change": change, "starts": experiment.start, "first": blocks[0]}
    block = schedule.block_on(blocks, night)
    if block is None:
        return None
    done = block.is_change and experiment.done_tonight  # type: ignore[attr-defined]  # annotated by latest()
    return {
        "experiment": experiment,
        "change": change,
        "paused": False,
        "block": block,
        "blocks": len(blocks),
        "nights_left": schedule.nights_left(block, night),
        "done": done,
        "night": night,
    }
