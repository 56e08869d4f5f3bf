"""A person's data back in, from the JSON file the export writes.

An import checks the whole file first and writes nothing unless every value is good; entries whose UUID is already
in the diary are left as they are, so importing a file twice changes nothing.
"""

import json
import logging
import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from knowledge.models import Food
from tracker.data.columns import FORMAT, PROFILE_COLUMNS, PROMPT_COLUMNS, SECTIONS, VERSION, Column
from tracker.entries.changes import diary_changed
from tracker.models import Meal, Medication, NightCheckIn, Profile, PromptAcknowledgement

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 50
FUTURE_GRACE = timedelta(minutes=5)


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
        if moment < column.low:
            raise ValueError(f"is before {column.low.year}")
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
        if not column.low <= day <= now.date() + timedelta(days=1):
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
        assert column.max_length is not None  # every text field has one (with_model_limits)
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
        raise Rejected(
            [
                "This file was not made by Cramp Diary, so this is not a Cramp Diary export. Choose the file from "
                '"Everything, as one file" on this page.'
            ]
        )
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
    assert profile is not None  # _record gives None only after listing a problem
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
    except ValueError:  # e.g. a number thousands of digits long: Python refuses to read it
        raise Rejected(
            ["The file holds a number far too long to be a real value; it is not an export."]
        ) from None


def import_data(user, payload, now: datetime | None = None) -> Imported:
    """Check everything, then write everything in one transaction; raises Rejected and writes nothing."""
    now = now or timezone.now()
    try:
        profile_values, sections, prompts = check(payload, now)
    except Rejected as rejected:
        log.info("import for user %s refused: %d problem(s)", user.pk, len(rejected.problems))
        raise
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
        diary_changed(user.pk, whole_diary=True)  # bulk writes send no signals
        for row in prompts:
            PromptAcknowledgement.objects.update_or_create(
                user=user, rule_id=row["rule_id"], defaults={"acknowledged_at": row["acknowledged_at"]}
            )
    log.info("import for user %s accepted: %d added, %d already there", user.pk, result.total, result.already)
    return result
