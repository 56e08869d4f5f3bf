"""What an import's check found wrong, and where the check stops.

Every part of a file, and every list inside an entry, has a cap, and the check ends at MAX_PROBLEMS problems: enough
to say what is wrong, so a file of nothing but mistakes is never read to its end.
"""

from collections.abc import Iterable

from django.utils import formats
from django.utils.translation import gettext

MAX_PROBLEMS = 1000
UNKNOWN_NAMES_LISTED = 10  # an entry with thousands of made-up fields is told about the first few


class Rejected(Exception):
    """The file can't be imported; `problems` says where and why; `stopped` when the check ended at MAX_PROBLEMS."""

    def __init__(self, problems: list[str], stopped: bool = False):
        # One line for a problem found many times; words made lazily are written out, as the job's row keeps them.
        problems = list(dict.fromkeys(str(problem) for problem in problems))
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
        self.stopped = stopped


def stop_if_too_many(problems: list[str]) -> None:
    """Ends the check once it has found MAX_PROBLEMS problems."""
    if len(problems) >= MAX_PROBLEMS:
        raise Rejected(problems, stopped=True)


def too_many(place: str, cap: int) -> str:
    return gettext("%(place)s: has more than %(cap)s entries, more than any diary holds.") % {
        "place": place,
        "cap": formats.number_format(cap, force_grouping=True),
    }


def first_names(names: Iterable) -> list[str]:
    """The first few of some unknown field names, in order, each cut to 40 characters."""
    return sorted(str(name)[:40] for name in names)[:UNKNOWN_NAMES_LISTED]
