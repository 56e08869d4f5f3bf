"""What a person reads instead of a bare number: how bad a cramp was on the 0-10 scale, in the scale's words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy

from tracker.models import CrampEpisode

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The 0-10 scale's anchors: (lowest, highest, word). Shown beside the numbers wherever the scale is offered, and
# in every line that says how bad a cramp was.
HOW_BAD: tuple[tuple[int, int, StrOrPromise], ...] = (
    (0, 0, pgettext_lazy("how bad a cramp was", "none")),
    (1, 3, pgettext_lazy("how bad a cramp was", "mild")),
    (4, 6, pgettext_lazy("how bad a cramp was", "moderate")),
    (7, 9, pgettext_lazy("how bad a cramp was", "severe")),
    (10, 10, pgettext_lazy("how bad a cramp was", "worst")),
)


def how_bad_word(value: int) -> str:
    """'severe' for 7: the anchor word of a point on the 0-10 scale."""
    for low, high, word in HOW_BAD:
        if low <= value <= high:
            return str(word)
    raise ValueError(f"{value} is not on the 0-10 scale")


def how_bad(value: int) -> str:
    """'how bad: severe (7)', as a cramp's line says it."""
    # Translators: how bad a cramp was, in a list of its details: "how bad: severe (7)".
    return gettext("how bad: %(word)s (%(value)s)") % {"word": how_bad_word(value), "value": value}


def _scale_key() -> str:
    return " · ".join(
        f"{low}\u00a0{word}" if low == high else f"{low}–\u2060{high}\u00a0{word}"
        for low, high, word in HOW_BAD
    )


# '0 none · 1–3 mild · 4–6 moderate · 7–9 severe · 10 worst', shown with the scale's buttons. Each anchor keeps
# together on a narrow screen (a no-break space after the number, a word joiner after the dash), so no line ends
# with '4–6' and starts the next with 'moderate'. Lazy, so a form's help text declared at import time is written in
# the language of the page that shows it.
scale_key = lazy(_scale_key, str)


def scale_words() -> str:
    """The word for each point, 0 to 10, space-separated: what static/js/app.js reads to say the same. A word of
    several (a translation may be) keeps its own spaces unbreakable, so the script still finds eleven."""
    return " ".join(
        how_bad_word(value).replace(" ", "\u00a0") for value in range(HOW_BAD[0][0], HOW_BAD[-1][1] + 1)
    )


def recorded(cramp: CrampEpisode) -> list[str]:
    """What was recorded of a cramp, in words, how bad on the scale's anchors. A length keeps its number and unit
    together (a no-break space), so a narrow line never ends "· 2" and starts the next with "min".

    Read from the model's own list (CrampEpisode.recorded: muscle, side, intensity, length, each when recorded), by
    place rather than by its words, which are translated."""
    parts = [str(part) for part in cramp.recorded]
    if cramp.intensity is not None:
        parts[bool(cramp.muscle) + bool(cramp.side)] = how_bad(cramp.intensity)
    if cramp.ongoing or cramp.duration_seconds is not None:
        parts[-1] = parts[-1].replace(" ", "\u00a0")
    return parts


def described(cramp: CrampEpisode) -> list[str]:
    """What was recorded, then what was not (CrampEpisode.described, in the same words as `recorded`)."""
    missing = cramp.not_recorded
    if not missing:
        return recorded(cramp)
    # Translators: the details of a cramp nobody chose, after those recorded: "not recorded: which leg, how bad".
    return [
        *recorded(cramp),
        gettext("not recorded: %(details)s") % {"details": ", ".join(str(name) for name in missing)},
    ]
