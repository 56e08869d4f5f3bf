"""Every kind of entry a person's data holds, and its columns, named once.

`SECTIONS` is read by the JSON export, the import's checks, the CSV files and their documentation (columns.txt in
the zip; docs/data-formats.md describes them). Each column's limits (numbers, earliest times, text lengths) come
from its model field.
"""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from knowledge import consult
from tracker.entries.limits import limits
from tracker.models import (
    TIME_ZONES,
    CrampEpisode,
    Drink,
    DrinkKind,
    Effort,
    Entry,
    Exercise,
    Meal,
    MealKind,
    Medication,
    MedicationKind,
    Muscle,
    NightCheckIn,
    Profile,
    PromptAcknowledgement,
    Relief,
    Side,
    VolumeUnit,
    WarningSign,
)

FORMAT = "cramp-diary"
VERSION = 1
EARLIEST_DAY = date(1900, 1, 1)  # a date the model field sets no limit to (a date of birth)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # uuid, datetime, date, int, bool, text, choice, choices, foods
    doc: str
    required: bool = True
    low: Any = None  # from the model field (with_model_limits)
    high: Any = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    attr: str | None = None  # the model field, when it is named differently

    @property
    def field(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: type[Entry]
    columns: tuple[Column, ...]
    order: tuple[str, ...] = ("at", "uuid")

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", with_model_limits(self.model, self.columns))


def with_model_limits(model: type, columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns with the limits their model fields declare (tracker/entries/limits.py): ranges of numbers,
    earliest times and dates, and lengths of text."""
    filled = []
    for column in columns:
        if column.kind in ("int", "datetime", "date", "text"):
            found = limits(model, column.field)
            low = found.low if found.low is not None else column.low
            if low is None and column.kind == "date":
                low = EARLIEST_DAY
            if low is None and column.kind == "datetime":
                low = limits(CrampEpisode, "at").low  # every time in a diary is from then on
            column = replace(
                column,
                low=low,
                high=found.high if found.high is not None else column.high,
                max_length=found.max_length or column.max_length,
            )
        filled.append(column)
    return tuple(filled)


UUID = Column("uuid", "uuid", "The entry's own identifier; importing the same entry twice keeps one.")
AT = Column("at", "datetime", "When, ISO 8601 with the UTC offset, for example 2026-03-01T03:00:00+00:00.")


def _choice(name: str, choices, doc: str, **kwargs) -> Column:
    return Column(name, "choice", doc, choices=tuple(choices.values), **kwargs)


SECTIONS: tuple[Section, ...] = (
    Section(
        "cramps",
        "Cramp episodes",
        CrampEpisode,
        (
            UUID,
            AT,
            Column("duration_seconds", "int", "How long, in seconds; empty if not recorded.", required=False),
            Column(
                "intensity",
                "int",
                "How strong, 0 (none) to 10 (worst); empty if not recorded.",
                required=False,
            ),
            _choice("muscle", Muscle, "Which muscle; empty if not recorded.", required=False),
            _choice("side", Side, "Which side; empty if not recorded.", required=False),
            Column("woke_from_sleep", "bool", "Whether it woke the person: true or false."),
            Column(
                "sleep_disturbance",
                "int",
                "How much it disturbed sleep, 0 to 10; empty if not given.",
                required=False,
            ),
            Column("relief", "choices", "What helped.", choices=tuple(Relief.values)),
            Column("warning_signs", "choices", "Warning signs noticed.", choices=tuple(WarningSign.values)),
            Column("triggers", "text", "Possible triggers, as typed.", required=False),
            Column("notes", "text", "Notes, as typed.", required=False),
        ),
    ),
    Section(
        "checkins",
        "Night check-ins",
        NightCheckIn,
        (
            UUID,
            AT,
            Column("night", "date", "The night with no cramps, named by the date of its evening."),
        ),
    ),
    Section(
        "drinks",
        "Drinks",
        Drink,
        (
            UUID,
            AT,
            Column("amount_ml", "int", "How much, in millilitres."),
            _choice("kind", DrinkKind, "What was drunk."),
        ),
    ),
    Section(
        "exercise",
        "Exercise",
        Exercise,
        (
            UUID,
            AT,
            Column("activity", "text", "The activity, as typed."),
            Column("minutes", "int", "How long, in minutes."),
            _choice("effort", Effort, "How hard."),
            Column("heavy_sweating", "bool", "Whether it brought heavy sweating: true or false."),
        ),
    ),
    Section(
        "meals",
        "Meals",
        Meal,
        (
            UUID,
            AT,
            _choice("kind", MealKind, "Which meal."),
            Column("description", "text", "What was eaten, as typed.", required=False),
            Column("foods", "foods", "Foods picked from the food list, by their short name (slug)."),
        ),
    ),
    Section(
        "medications",
        "Medicines and supplements",
        Medication,
        (
            UUID,
            Column("name", "text", "The name, as typed."),
            Column("dose", "text", "The dose as written on the pack.", required=False),
            _choice("kind", MedicationKind, "Medicine or supplement."),
            Column("started", "date", "The day it was started; empty if not given.", required=False),
            Column("stopped", "date", "The day it was stopped; empty while still taken.", required=False),
            Column("as_needed", "bool", "Taken only as needed: true or false."),
        ),
        order=("name", "uuid"),
    ),
)
PROFILE_COLUMNS = with_model_limits(
    Profile,
    (
        Column("display_name", "text", "The name shown in the app.", required=False),
        Column("time_zone", "choice", "The person's time zone (IANA name).", choices=tuple(TIME_ZONES)),
        _choice("volume_unit", VolumeUnit, "Units for drinks."),
        Column("fluid_target_ml", "int", "Daily fluid target, in millilitres."),
        Column("summary_name", "text", "Name shown on clinician summaries.", required=False),
        Column("summary_birth_date", "date", "Date of birth shown on clinician summaries.", required=False),
    ),
)
PROMPT_COLUMNS = with_model_limits(
    PromptAcknowledgement,
    (
        Column("rule_id", "choice", "The see-a-clinician prompt read.", choices=tuple(consult.RULES)),
        Column("acknowledged_at", "datetime", "When it was marked as read."),
    ),
)
