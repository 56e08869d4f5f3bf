"""The changes a person can try, each tied to what the knowledge module's documents say, in plain words and never
with a dose; or one agreed with their clinician, in their own words."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from knowledge.sources import DEFICIENCIES, LEG_PAIN, VITAMINS

CLINICIAN = "clinician"


@dataclass(frozen=True)
class OfferedChange:
    key: str
    # In English, as it is stored with an experiment (Experiment.change) and exported: `said` is the active
    # language's. Today says "This week: <label>".
    label: str
    what_it_means: str | Promise
    sources: tuple[str, ...]

    @property
    def said(self) -> str:
        """The label in the active language: "stretch your calves before bed"."""
        return gettext(self.label)


OFFERED = (
    OfferedChange(
        "stretch",
        gettext_noop("stretch your calves before bed"),
        gettext_lazy("A few minutes of gentle calf and hamstring stretches each evening before bed."),
        (VITAMINS,),
    ),
    OfferedChange(
        "magnesium-food",
        gettext_noop("a magnesium-rich food at dinner"),
        gettext_lazy(
            "Include a food with magnesium at your evening meal, such as leafy greens, nuts, seeds, beans or whole "
            "grains."
        ),
        (DEFICIENCIES, LEG_PAIN),
    ),
    OfferedChange(
        "fluid",
        gettext_noop("more to drink through the day"),
        gettext_lazy(
            "Keep water within reach and spread drinks through the day, with more after exercise or in hot "
            "weather."
        ),
        (DEFICIENCIES, LEG_PAIN, VITAMINS),
    ),
)
BY_KEY = {change.key: change for change in OFFERED}


def said(change_key: str, change: str) -> str:
    """An experiment's change as a person reads it: an offered change in the active language when it is stored
    in the offered words (it is stored in English), a change agreed with a clinician in the person's own words."""
    offered = BY_KEY.get(change_key)
    if offered is not None and change == offered.label:
        return offered.said
    return change
