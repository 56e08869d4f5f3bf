"""What a person reads instead of a bare number: how bad a cramp was on the 0-10 scale, in the scale's words."""

from tracker.models import CrampEpisode

# The 0-10 scale's anchors: (lowest, highest, word). Shown beside the numbers wherever the scale is offered, and
# in every line that says how bad a cramp was.
HOW_BAD = ((0, 0, "none"), (1, 3, "mild"), (4, 6, "moderate"), (7, 9, "severe"), (10, 10, "worst"))


def how_bad_word(value: int) -> str:
    """'severe' for 7: the anchor word of a point on the 0-10 scale."""
    for low, high, word in HOW_BAD:
        if low <= value <= high:
            return word
    raise ValueError(f"{value} is not on the 0-10 scale")


def how_bad(value: int) -> str:
    """'how bad: severe (7)', as a cramp's line says it."""
    return f"how bad: {how_bad_word(value)} ({value})"


def scale_key() -> str:
    """'0 none · 1–3 mild · 4–6 moderate · 7–9 severe · 10 worst', shown with the scale's buttons. Each anchor keeps
    together on a narrow screen (a no-break space after the number, a word joiner after the dash), so no line ends
    with '4–6' and starts the next with 'moderate'."""
    return " · ".join(
        f"{low}\u00a0{word}" if low == high else f"{low}–\u2060{high}\u00a0{word}"
        for low, high, word in HOW_BAD
    )


def scale_words() -> str:
    """The word for each point, 0 to 10, space-separated: what static/js/app.js reads to say the same."""
    return " ".join(how_bad_word(value) for value in range(HOW_BAD[0][0], HOW_BAD[-1][1] + 1))


def recorded(cramp: CrampEpisode) -> list[str]:
    """What was recorded of a cramp, in words, how bad on the scale's anchors. A length keeps its number and unit
    together (a no-break space), so a narrow line never ends "· 2" and starts the next with "min"."""
    intensity = cramp.intensity
    said = f"intensity {intensity}"  # the model's own words for it (CrampEpisode.recorded)
    length = cramp.duration_label if cramp.ongoing or cramp.duration_seconds is not None else None
    return [
        how_bad(intensity)
        if intensity is not None and part == said
        else part.replace(" ", "\u00a0")
        if part == length
        else part
        for part in cramp.recorded
    ]


def described(cramp: CrampEpisode) -> list[str]:
    """What was recorded, then what was not (CrampEpisode.described, in the same words as `recorded`)."""
    missing = cramp.not_recorded
    return [*recorded(cramp), *(["not recorded: " + ", ".join(missing)] if missing else [])]
