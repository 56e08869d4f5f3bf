"""The kinds of diary entry, so that edit, delete and history are written once for all of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from tracker.diary.forms import CrampForm, DrinkForm, ExerciseForm, MealForm, MedicationForm
from tracker.models import CrampEpisode, Drink, Entry, Exercise, Meal, Medication, NightCheckIn

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Titles:
    """What the edit and delete pages call an entry of one kind, a whole phrase each: in Spanish and German the
    kind's gender changes the words around it, so "New %(kind)s" would not do."""

    new: StrOrPromise  # "New cramp"
    edit: StrOrPromise  # "Edit cramp"
    delete: StrOrPromise  # "Delete cramp", the delete page's title
    delete_this: StrOrPromise  # "Delete this cramp", the link on the edit page
    delete_question: StrOrPromise  # "Delete this cramp?", the delete page's heading


@dataclass(frozen=True)
class EntryKind:
    slug: str
    label: StrOrPromise
    plural: StrOrPromise
    model: type[Entry]
    form: type[forms.ModelForm] | None
    titles: Titles
    on_timeline: bool = True

    @property
    def needs_profile(self) -> bool:
        return self.form is DrinkForm


KINDS: dict[str, EntryKind] = {
    kind.slug: kind
    for kind in [
        EntryKind(
            "cramp",
            gettext_lazy("Cramp"),
            # Translators: a button on History that shows the entries of one kind.
            pgettext_lazy("all entries of a kind", "Cramps"),
            CrampEpisode,
            CrampForm,
            Titles(
                gettext_lazy("New cramp"),
                gettext_lazy("Edit cramp"),
                gettext_lazy("Delete cramp"),
                gettext_lazy("Delete this cramp"),
                gettext_lazy("Delete this cramp?"),
            ),
        ),
        EntryKind(
            "drink",
            gettext_lazy("Drink"),
            pgettext_lazy("all entries of a kind", "Drinks"),
            Drink,
            DrinkForm,
            Titles(
                gettext_lazy("New drink"),
                gettext_lazy("Edit drink"),
                gettext_lazy("Delete drink"),
                gettext_lazy("Delete this drink"),
                gettext_lazy("Delete this drink?"),
            ),
        ),
        EntryKind(
            "exercise",
            gettext_lazy("Exercise"),
            pgettext_lazy("all entries of a kind", "Exercise"),
            Exercise,
            ExerciseForm,
            Titles(
                gettext_lazy("New exercise"),
                gettext_lazy("Edit exercise"),
                gettext_lazy("Delete exercise"),
                gettext_lazy("Delete this exercise"),
                gettext_lazy("Delete this exercise?"),
            ),
        ),
        EntryKind(
            "meal",
            gettext_lazy("Meal"),
            pgettext_lazy("all entries of a kind", "Meals"),
            Meal,
            MealForm,
            Titles(
                gettext_lazy("New meal"),
                gettext_lazy("Edit meal"),
                gettext_lazy("Delete meal"),
                gettext_lazy("Delete this meal"),
                gettext_lazy("Delete this meal?"),
            ),
        ),
        EntryKind(
            "checkin",
            gettext_lazy("Night check-in"),
            pgettext_lazy("all entries of a kind", "Night check-ins"),
            NightCheckIn,
            None,
            Titles(
                gettext_lazy("New night check-in"),
                gettext_lazy("Edit night check-in"),
                gettext_lazy("Delete night check-in"),
                gettext_lazy("Delete this night check-in"),
                gettext_lazy("Delete this night check-in?"),
            ),
        ),
        EntryKind(
            "medicine",
            gettext_lazy("Medicine or supplement"),
            pgettext_lazy("all entries of a kind", "Medicines"),
            Medication,
            MedicationForm,
            Titles(
                gettext_lazy("New medicine or supplement"),
                gettext_lazy("Edit medicine or supplement"),
                gettext_lazy("Delete medicine or supplement"),
                gettext_lazy("Delete this medicine or supplement"),
                gettext_lazy("Delete this medicine or supplement?"),
            ),
            on_timeline=False,
        ),
    ]
}
TIMELINE_KINDS = [kind for kind in KINDS.values() if kind.on_timeline]
