"""The kinds of diary entry, so that edit, delete and history are written once for all of them."""

from dataclasses import dataclass

from django import forms

from tracker.diary.forms import CrampForm, DrinkForm, ExerciseForm, MealForm, MedicationForm
from tracker.models import CrampEpisode, Drink, Entry, Exercise, Meal, Medication, NightCheckIn


@dataclass(frozen=True)
class EntryKind:
    slug: str
    label: str
    plural: str
    model: type[Entry]
    form: type[forms.ModelForm] | None
    on_timeline: bool = True

    @property
    def needs_profile(self) -> bool:
        return self.form is DrinkForm


KINDS: dict[str, EntryKind] = {
    kind.slug: kind
    for kind in [
        EntryKind("cramp", "Cramp", "Cramps", CrampEpisode, CrampForm),
        EntryKind("drink", "Drink", "Drinks", Drink, DrinkForm),
        EntryKind("exercise", "Exercise", "Exercise", Exercise, ExerciseForm),
        EntryKind("meal", "Meal", "Meals", Meal, MealForm),
        EntryKind("checkin", "Night check-in", "Night check-ins", NightCheckIn, None),
        EntryKind(
            "medicine", "Medicine or supplement", "Medicines", Medication, MedicationForm, on_timeline=False
        ),
    ]
}
TIMELINE_KINDS = [kind for kind in KINDS.values() if kind.on_timeline]
