"""The plan of a personal experiment: pairs of blocks, one with the change and one with the usual routine, in an
order drawn at random within each pair when the experiment starts.

Pure: dates in, dates out. Blocks are made of diary nights, named by the date of their evening as in
tracker/entries/nights.py, so a block boundary is a local date and daylight-saving changes do not move it (a night
may last 23 or 25 hours; it is still one night). A pause takes nights out of the plan: every night from the first
paused one up to the night before the resume is skipped, and the remaining nights of the plan follow on after it.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

CHANGE = "change"
USUAL = "usual"
BLOCK_DAYS_CHOICES = (7, 14, 21, 28)
DEFAULT_BLOCK_DAYS = 14
PAIRS_CHOICES = (2, 3)
DEFAULT_PAIRS = 2


def draw_orders(seed: int, pairs: int) -> list[str]:
    """The order within each pair, drawn from `seed`: "CU" (change first) or "UC". The same seed gives the same
    orders on every machine (random.Random is specified to be reproducible for a given seed)."""
    rng = random.Random(seed)  # noqa: S311 (a fair coin for a personal experiment, not a secret)
    return ["CU" if rng.random() < 0.5 else "UC" for _ in range(pairs)]


def nights_in_plan(block_days: int, pairs: int) -> int:
    """The nights that count: two blocks in each pair. Also the most pauses an experiment can have (each takes at
    least one night out of the plan), so a plan is quick to work out however it was paused."""
    return block_days * 2 * pairs


def conditions(orders: Sequence[str]) -> list[str]:
    """The condition of each block in turn."""
    return [CHANGE if letter == "C" else USUAL for order in orders for letter in order]


@dataclass(frozen=True)
class Pause:
    """Nights `first` to `last` (inclusive) were taken out of the plan; `last` is None while the pause goes on."""

    first: date
    last: date | None = None


@dataclass(frozen=True)
class Block:
    number: int  # from 1
    pair: int  # from 1
    condition: str  # CHANGE or USUAL
    nights: tuple[date, ...]  # the nights that count, in order; paused nights are not among them

    @property
    def first(self) -> date:
        return self.nights[0]

    @property
    def last(self) -> date:
        return self.nights[-1]

    @property
    def is_change(self) -> bool:
        return self.condition == CHANGE


def paused_nights(pauses: Iterable[Pause], tonight: date) -> set[date]:
    """Every night a pause took out; a pause still going on covers the nights up to and including `tonight`."""
    nights: set[date] = set()
    for pause in pauses:
        last = pause.last if pause.last is not None else tonight
        day = pause.first
        while day <= last:
            nights.add(day)
            day += timedelta(days=1)
    return nights


def plan(
    start: date,
    block_days: int,
    orders: Sequence[str],
    pauses: Iterable[Pause] = (),
    tonight: date | None = None,
) -> list[Block]:
    """The blocks from the first night `start`, each of `block_days` nights that count, the paused nights skipped.

    While a pause goes on, the plan assumes it ends after `tonight`: the remaining nights start tomorrow."""
    skipped = paused_nights(pauses, tonight if tonight is not None else start)
    blocks = []
    night = start
    for number, condition in enumerate(conditions(orders), start=1):
        nights: list[date] = []
        while len(nights) < block_days:
            if night not in skipped:
                nights.append(night)
            night += timedelta(days=1)
        blocks.append(Block(number, (number + 1) // 2, condition, tuple(nights)))
    return blocks


def block_on(blocks: Sequence[Block], night: date) -> Block | None:
    """The block a night counts in, or None (before, after, or paused)."""
    for block in blocks:
        if block.first <= night <= block.last:
            return block if night in block.nights else None
    return None


def nights_left(block: Block, night: date) -> int:
    """Nights of the block still to come, counting `night` itself."""
    return sum(1 for each in block.nights if each >= night)
