"""All of a person's data out and back in: one JSON file, or a zip of CSV files, described by one table of columns.

`SECTIONS` names every kind of entry and its columns once; the JSON export, the import's checks, the CSV files and
their documentation (columns.txt in the zip, and the README) all read it. Times are ISO 8601 with the UTC offset of
the person's zone at that moment. An import checks the whole file first and writes nothing unless every value is
good; entries whose UUID is already in the diary are left as they are, so importing a file twice changes nothing.
"""

import csv
import io
import json
import math
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from knowledge import consult
from knowledge.models import Food
from tracker import rollup
from tracker.forms import TIME_ZONES
from tracker.models import (
    MAX_CRAMP_SECONDS,
    MAX_DRINK_ML,
    CrampEpisode,
    Drink,
    DrinkKind,
    Effort,
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
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 50
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
EARLIEST_DAY = date(1900, 1, 1)
FUTURE_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # uuid, datetime, date, int, bool, text, choice, choices, foods
    doc: str
    required: bool = True
    low: int | None = None
    high: int | None = None
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
    model: type
    columns: tuple[Column, ...]
    order: tuple[str, ...] = ("at", "uuid")


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
            Column("duration_seconds", "int", "How long, in seconds.", low=1, high=MAX_CRAMP_SECONDS),
            Column("intensity", "int", "How strong, 0 (none) to 10 (worst).", low=0, high=10),
            _choice("muscle", Muscle, "Which muscle."),
            _choice("side", Side, "Which side."),
            Column("woke_from_sleep", "bool", "Whether it woke the person: true or false."),
            Column(
                "sleep_disturbance",
                "int",
                "How much it disturbed sleep, 0 to 10; empty if not given.",
                required=False,
                low=0,
                high=10,
            ),
            Column("relief", "choices", "What helped.", choices=tuple(Relief.values)),
            Column("warning_signs", "choices", "Warning signs noticed.", choices=tuple(WarningSign.values)),
            Column("triggers", "text", "Possible triggers, as typed.", required=False, max_length=200),
            Column("notes", "text", "Notes, as typed.", required=False, max_length=2000),
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
            Column("amount_ml", "int", "How much, in millilitres.", low=1, high=MAX_DRINK_ML),
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
            Column("activity", "text", "The activity, as typed.", max_length=80),
            Column("minutes", "int", "How long, in minutes.", low=1, high=1440),
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
            Column("description", "text", "What was eaten, as typed.", required=False, max_length=300),
            Column("foods", "foods", "Foods picked from the food list, by their short name (slug)."),
        ),
    ),
    Section(
        "medications",
        "Medicines and supplements",
        Medication,
        (
            UUID,
            Column("name", "text", "The name, as typed.", max_length=100),
            Column("dose", "text", "The dose as written on the pack.", required=False, max_length=100),
            _choice("kind", MedicationKind, "Medicine or supplement."),
            Column("started", "date", "The day it was started; empty if not given.", required=False),
            Column("stopped", "date", "The day it was stopped; empty while still taken.", required=False),
            Column("as_needed", "bool", "Taken only as needed: true or false."),
        ),
        order=("name", "uuid"),
    ),
)
PROFILE_COLUMNS = (
    Column("display_name", "text", "The name shown in the app.", required=False, max_length=60),
    Column("time_zone", "choice", "The person's time zone (IANA name).", choices=tuple(TIME_ZONES)),
    _choice("volume_unit", VolumeUnit, "Units for drinks."),
    Column("fluid_target_ml", "int", "Daily fluid target, in millilitres.", low=500, high=6000),
    Column("summary_name", "text", "Name shown on clinician summaries.", required=False, max_length=80),
    Column("summary_birth_date", "date", "Date of birth shown on clinician summaries.", required=False),
)
PROMPT_COLUMNS = (
    Column("rule_id", "choice", "The see-a-clinician prompt read.", choices=tuple(consult.RULES)),
    Column("acknowledged_at", "datetime", "When it was marked as read."),
)


# ---------------------------------------------------------------------------------------------------------------
# Out


def _out(value, column: Column, zone: ZoneInfo):
    if value is None:
        return None
    if column.kind == "datetime":
        return value.astimezone(zone).isoformat()
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "uuid":
        return str(value)
    if column.kind == "choices":
        return list(value)
    return value


def _food_slugs(meal_ids) -> dict[int, list[str]]:
    slugs: dict[int, list[str]] = {}
    rows = Meal.foods.through.objects.filter(meal_id__in=meal_ids).order_by("food__slug")
    for meal_id, slug in rows.values_list("meal_id", "food__slug"):
        slugs.setdefault(meal_id, []).append(slug)
    return slugs


def section_rows(user, section: Section, zone: ZoneInfo):
    """The section's entries as dicts of exported values, in a stable order."""
    entries = list(section.model.objects.for_user(user).order_by(*section.order))
    foods = _food_slugs([e.pk for e in entries]) if section.model is Meal else {}
    for entry in entries:
        row = {}
        for column in section.columns:
            if column.kind == "foods":
                row[column.name] = foods.get(entry.pk, [])
            else:
                row[column.name] = _out(getattr(entry, column.field), column, zone)
        yield row


def export_data(user, now: datetime | None = None) -> dict:
    profile = Profile.objects.get(user=user)
    zone = profile.zone
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (now or timezone.now()).astimezone(zone).isoformat(),
        "profile": {c.name: _out(getattr(profile, c.field), c, zone) for c in PROFILE_COLUMNS},
    }
    for section in SECTIONS:
        data[section.key] = list(section_rows(user, section, zone))
    data["prompts_read"] = [
        {c.name: _out(getattr(ack, c.field), c, zone) for c in PROMPT_COLUMNS}
        for ack in PromptAcknowledgement.objects.filter(user=user).order_by("rule_id")
    ]
    return data


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def columns_text() -> str:
    lines = [
        "Cramp Diary export: one CSV file per kind of entry, UTF-8, with a header row.",
        "Times are ISO 8601 with the UTC offset in force in your time zone at that moment.",
        "Lists (what helped, warning signs, foods) are separated by semicolons. Empty means not given.",
        "",
    ]
    for section in SECTIONS:
        lines.append(f"{section.key}.csv: {section.title}")
        for column in section.columns:
            allowed = f" One of: {', '.join(column.choices)}." if column.kind in ("choice", "choices") else ""
            lines.append(f"  {column.name}: {column.doc}{allowed}")
        lines.append("")
    return "\n".join(lines)


def csv_zip(user) -> bytes:
    zone = Profile.objects.get(user=user).zone
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("columns.txt", columns_text())
        for section in SECTIONS:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([c.name for c in section.columns])
            for row in section_rows(user, section, zone):
                writer.writerow([_cell(row[c.name]) for c in section.columns])
            archive.writestr(f"{section.key}.csv", text.getvalue())
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# In


class Rejected(Exception):
    """The file can't be imported; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Imported:
    added: dict[str, int] = field(default_factory=dict)
    already: int = 0

    @property
    def total(self) -> int:
        return sum(self.added.values())


def _parse(value, column: Column, now: datetime, foods: set[str]):
    """The Python value for one field of the file, or ValueError saying what is wrong with it."""
    if value is None or value == "":
        if column.required and column.kind not in ("text", "choices", "foods"):
            raise ValueError("is missing")
        return [] if column.kind in ("choices", "foods") else ("" if column.kind == "text" else None)
    kind = column.kind
    if kind == "uuid":
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise ValueError("is not a UUID") from None
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError("must be a date and time as text")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("is not an ISO 8601 date and time") from None
        if moment.tzinfo is None:
            raise ValueError("needs a UTC offset, for example +00:00")
        if moment < EARLIEST:
            raise ValueError("is before 2000")
        if moment > now + FUTURE_GRACE:
            raise ValueError("is in the future")
        return moment
    if kind == "date":
        if not isinstance(value, str):
            raise ValueError("must be a date as text")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError("is not a date (YYYY-MM-DD)") from None
        if not EARLIEST_DAY <= day <= now.date() + timedelta(days=1):
            raise ValueError("is out of range")
        return day
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError("must be a whole number")
        if value != int(value):
            raise ValueError("must be a whole number")
        if not column.low <= value <= column.high:
            raise ValueError(f"must be from {column.low} to {column.high}")
        return int(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("must be text")
        if len(value) > column.max_length:
            raise ValueError(f"is longer than {column.max_length} characters")
        if "\x00" in value:
            raise ValueError("holds a null character, which text can't")
        return value
    if kind == "choice":
        if value not in column.choices:
            raise ValueError("is not one of the allowed values")
        return value
    # choices, foods: a list of allowed names
    allowed = foods if kind == "foods" else set(column.choices)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of names")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValueError(f"has unknown values: {', '.join(sorted(set(unknown)))[:200]}")
    if len(set(value)) != len(value):
        raise ValueError("lists a value twice")
    return list(value)


def _record(item, columns, place: str, problems: list[str], now: datetime, foods: set[str]) -> dict | None:
    if not isinstance(item, dict):
        problems.append(f"{place}: must be an object")
        return None
    known = {c.name for c in columns}
    for name in sorted(set(item) - known):
        problems.append(f"{place}.{str(name)[:40]}: is not a field of this kind")
    values = {}
    for column in columns:
        try:
            values[column.name] = _parse(item.get(column.name), column, now, foods)
        except ValueError as error:
            problems.append(f"{place}.{column.name}: {error}")
    return values if len(values) == len(columns) else None


def check(payload, now: datetime) -> tuple[dict, dict[str, list[dict]], list[dict]]:
    """Every value of the file checked; raises Rejected listing each problem, or returns what to write."""
    problems: list[str] = []
    if not isinstance(payload, dict):
        raise Rejected(["The file must hold one JSON object, as the export writes it."])
    if payload.get("format") != FORMAT:
        raise Rejected([f'format: must be "{FORMAT}"; this is not a Cramp Diary export.'])
    if payload.get("version") != VERSION:
        raise Rejected([f"version: this app reads version {VERSION} files."])
    allowed = {"format", "version", "exported_at", "profile", "prompts_read", *(s.key for s in SECTIONS)}
    problems += [f"{str(key)[:40]}: is not a part of the export" for key in sorted(set(payload) - allowed)]
    foods = set(Food.objects.values_list("slug", flat=True))

    profile = _record(payload.get("profile"), PROFILE_COLUMNS, "profile", problems, now, foods)
    sections: dict[str, list[dict]] = {}
    for section in SECTIONS:
        items = payload.get(section.key, [])
        if not isinstance(items, list):
            problems.append(f"{section.key}: must be a list")
            continue
        seen: set[uuid.UUID] = set()
        rows = []
        for index, item in enumerate(items):
            place = f"{section.key}[{index}]"
            row = _record(item, section.columns, place, problems, now, foods)
            if row is None:
                continue
            if row["uuid"] in seen:
                problems.append(f"{place}.uuid: appears twice in the file")
            seen.add(row["uuid"])
            started, stopped = row.get("started"), row.get("stopped")
            if section.model is Medication and started and stopped and stopped < started:
                problems.append(f"{place}.stopped: is before the day it was started")
            rows.append(row)
        sections[section.key] = rows
    nights = [row["night"] for row in sections.get("checkins", [])]
    if len(set(nights)) != len(nights):
        problems.append("checkins: two check-ins for the same night")
    prompts = []
    items = payload.get("prompts_read", [])
    if isinstance(items, list):
        for index, item in enumerate(items):
            row = _record(item, PROMPT_COLUMNS, f"prompts_read[{index}]", problems, now, foods)
            if row:
                prompts.append(row)
    else:
        problems.append("prompts_read: must be a list")
    if problems:
        raise Rejected(problems)
    return profile, sections, prompts


def read_upload(upload):
    """The uploaded file's JSON, or Rejected saying why it can't be read; the size is checked before reading."""
    if upload.size > MAX_IMPORT_BYTES:
        raise Rejected([f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB."])
    try:
        return json.loads(upload.read().decode("utf-8"))
    except UnicodeDecodeError:
        raise Rejected(["The file is not UTF-8 text; choose the .json file the export made."]) from None
    except json.JSONDecodeError as error:
        raise Rejected(
            [f"The file is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}."]
        ) from None
    except RecursionError:
        raise Rejected(["The file nests too deeply to be an export."]) from None


def import_data(user, payload, now: datetime | None = None) -> Imported:
    """Check everything, then write everything in one transaction; raises Rejected and writes nothing."""
    now = now or timezone.now()
    profile_values, sections, prompts = check(payload, now)
    result = Imported()
    with transaction.atomic():
        Profile.objects.filter(user=user).update(**profile_values)
        food_ids = dict(Food.objects.values_list("slug", "pk"))
        for section in SECTIONS:
            rows = sections[section.key]
            existing = set(section.model.objects.for_user(user).values_list("uuid", flat=True))
            if section.model is NightCheckIn:
                taken = set(NightCheckIn.objects.for_user(user).values_list("night", flat=True))
                existing |= {r["uuid"] for r in rows if r["night"] in taken}
            new = [r for r in rows if r["uuid"] not in existing]
            result.already += len(rows) - len(new)
            objects = [
                section.model(user=user, **{c.field: r[c.name] for c in section.columns if c.kind != "foods"})
                for r in new
            ]
            section.model.objects.bulk_create(objects, batch_size=500)
            if section.model is Meal:
                by_uuid = dict(Meal.objects.for_user(user).values_list("uuid", "pk"))
                Meal.foods.through.objects.bulk_create(
                    [
                        Meal.foods.through(meal_id=by_uuid[r["uuid"]], food_id=food_ids[slug])
                        for r in new
                        for slug in r["foods"]
                    ],
                    batch_size=500,
                )
            result.added[section.key] = len(new)
        rollup.forget(user.pk)  # bulk writes send no signals: the totals are recounted on the next read
        for row in prompts:
            PromptAcknowledgement.objects.update_or_create(
                user=user, rule_id=row["rule_id"], defaults={"acknowledged_at": row["acknowledged_at"]}
            )
    return result
