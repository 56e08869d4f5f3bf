"""What an import's check found wrong, and where the check stops.

Every part of a file, and every list inside an entry, has a cap, and the check ends at MAX_PROBLEMS problems: enough
to say what is wrong, so a file of nothing but mistakes is never read to its end.
"""

from collections.abc import Iterable

MAX_PROBLEMS = 1000
UNKNOWN_NAMES_LISTED = 10  # an entry with thousands of made-up fields is told about the first few


class Rejected(Exception):
    """The file can't be imported; `problems` says where and why; `stopped` when the check ended at MAX_PROBLEMS."""

    def __init__(self, problems: list[str], stopped: bool = False):
        problems = list(dict.fromkeys(problems))  # one line for a problem found many times
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
        self.stopped = stopped


def stop_if_too_many(problems: list[str]) -> None:
    """Ends the check once it has found MAX_PROBLEMS problems."""
    if len(problems) >= MAX_PROBLEMS:
        raise Rejected(problems, stopped=True)


def too_many(place: str, cap: int) -> str:
    return f"{place}: has more than {cap:,} entries, more than any diary holds."


def first_names(names: Iterable) -> list[str]:
    """The first few of some unknown field names, in order, each cut to 40 characters."""
    return sorted(str(name)[:40] for name in names)[:UNKNOWN_NAMES_LISTED]
