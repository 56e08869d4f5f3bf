"""The changes a person can try, each tied to what the knowledge module's documents say, in plain words and never
with a dose; or one agreed with their clinician, in their own words."""

from dataclasses import dataclass

from knowledge.sources import DEFICIENCIES, LEG_PAIN, VITAMINS

CLINICIAN = "clinician"


@dataclass(frozen=True)
class OfferedChange:
    key: str
    label: str  # what Today says: "This week: <label>"
    what_it_means: str
    sources: tuple[str, ...]


OFFERED = (
    OfferedChange(
        "stretch",
        "stretch your calves before bed",
        "A few minutes of gentle calf and hamstring stretches each evening before bed.",
        (VITAMINS,),
    ),
    OfferedChange(
        "magnesium-food",
        "a magnesium-rich food at dinner",
        "Include a food with magnesium at your evening meal, such as leafy greens, nuts, seeds, beans or whole "
        "grains.",
        (DEFICIENCIES, LEG_PAIN),
    ),
    OfferedChange(
        "fluid",
        "more to drink through the day",
        "Keep water within reach and spread drinks through the day, with more after exercise or in hot weather.",
        (DEFICIENCIES, LEG_PAIN, VITAMINS),
    ),
)
BY_KEY = {change.key: change for change in OFFERED}
