"""Today's experiment card: which block tonight is in, the nights left, and whether "Did it today" was tapped."""

from datetime import datetime

from django.utils import timezone

from tracker.experiments import progress, schedule


def today_card(user, now: datetime) -> dict | None:
    """What the card shows, or None with no experiment running or paused. One query."""
    night = progress.tonight_of(now, timezone.get_current_timezone())
    experiment = progress.current(user, night)
    if experiment is None:
        return None
    if progress.state_of(experiment, night) == progress.PAUSED:
        return {"experiment": experiment, "paused": True}
    block = schedule.block_on(progress.blocks_of(experiment, night), night)
    if block is None:
        return None
    done = block.is_change and experiment.done_tonight  # type: ignore[attr-defined]  # annotated by current()
    return {
        "experiment": experiment,
        "paused": False,
        "block": block,
        "nights_left": schedule.nights_left(block, night),
        "done": done,
    }
