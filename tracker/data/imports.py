"""A person's data back in, from the JSON file the export writes.

An import checks the whole file first and writes nothing unless every value is good; entries whose UUID is already
in the diary are left as they are, so importing a file twice changes nothing. Each part of the file and each list
inside an entry has a cap, and the check ends at 1,000 problems (tracker/data/problems.py), whatever the file holds.

The worker runs it (tracker/data/import_jobs.py): the request only keeps the upload and queues the job, and the
page shows the check's progress. At 20 years of heavy logging (200,000 entries) the file is 38 MB. It is parsed at
once, then checked and written in two passes over the parsed file, so the checked values and the rows to insert are
held a batch at a time, never for the whole diary. The parsed file is the peak: about 215 MB above the worker's own
for that diary (tests/bench_heavy.py).
"""

import codecs
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from knowledge import consult
from knowledge.models import Food
from tracker.data import experiments
from tracker.data.columns import FORMAT, PROFILE_COLUMNS, PROMPT_COLUMNS, SECTIONS, VERSION, Section
from tracker.data.inserts import insert_many
from tracker.data.problems import Rejected, first_names, stop_if_too_many, too_many
from tracker.data.values import converter, parse
from tracker.entries.changes import diary_changed
from tracker.models import Meal, Medication, NightCheckIn, Profile, PromptAcknowledgement

log = logging.getLogger(__name__)

# A 20-year diary of 200,000 entries exports 38 MB (tests/bench_heavy.py measures it): three times that and more.
MAX_IMPORT_BYTES = 128 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 50
WRITE_BATCH = 2000
# Entries of one kind: 20 years of a heavy diary is about 200,000 of all kinds together (tests/bench_heavy.py).
MAX_SECTION_ENTRIES = 500_000


@dataclass
class Imported:
    added: dict[str, int] = field(default_factory=dict)
    already: int = 0

    @property
    def total(self) -> int:
        return sum(self.added.values())


def _record(
    item,
    columns,
    place: str,
    problems: list[str],
    now: datetime,
    foods: set[str],
    known: set[str] | None = None,
) -> dict | None:
    """One entry's values checked, or None after listing its problems; `known` is the columns' names, when the
    caller has them already (a section's thousands of entries share them)."""
    if not isinstance(item, dict):
        problems.append(f"{place}: must be an object")
        return None
    unknown = item.keys() - (known if known is not None else {c.name for c in columns})
    for name in first_names(unknown):
        problems.append(f"{place}.{name}: is not a field of this kind")
    values = {}
    for column in columns:
        try:
            values[column.name] = parse(item.get(column.name), column, now, foods)
        except ValueError as error:
            problems.append(f"{place}.{column.name}: {error}")
    return values if len(values) == len(columns) else None


def count_entries(payload) -> int:
    """How many entries the file holds, for a progress bar (0 for a file of the wrong shape)."""
    if not isinstance(payload, dict):
        return 0
    return sum(len(_list_or_none(payload.get(section.key))) for section in SECTIONS)


Progress = Callable[[int], None]
PROGRESS_EVERY = 1000  # entries checked between two reports


def check(payload, now: datetime, progress: Progress | None = None) -> tuple[dict, list[dict], list[dict]]:
    """Every value of the file checked; raises Rejected listing each problem, or returns the profile's values,
    the prompts read and the experiments. The entries are checked here and read again by `_write_section`.
    `progress` hears how many entries have been checked, every PROGRESS_EVERY."""
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
    allowed = {
        "format",
        "version",
        "exported_at",
        "profile",
        "prompts_read",
        experiments.KEY,
        *(s.key for s in SECTIONS),
    }
    problems += [f"{key}: is not a part of the export" for key in first_names(set(payload) - allowed)]
    caps = {
        **{s.key: MAX_SECTION_ENTRIES for s in SECTIONS},
        "prompts_read": len(consult.RULES),  # each prompt is read once
        experiments.KEY: experiments.MAX_EXPERIMENTS,
    }
    too_long = [too_many(key, cap) for key, cap in caps.items() if len(_list_or_none(payload.get(key))) > cap]
    if too_long:
        raise Rejected(problems + too_long)  # before reading any of it
    foods = set(Food.objects.values_list("slug", flat=True))

    profile = _record(payload.get("profile"), PROFILE_COLUMNS, "profile", problems, now, foods)
    checked = 0
    for section in SECTIONS:
        items = payload.get(section.key, [])
        if not isinstance(items, list):
            problems.append(f"{section.key}: must be a list")
            continue
        seen: set[uuid.UUID] = set()
        nights: set = set()
        known = {c.name for c in section.columns}
        for index, item in enumerate(items):
            place = f"{section.key}[{index}]"
            row = _record(item, section.columns, place, problems, now, foods, known)
            stop_if_too_many(problems)  # before `continue`, so a file of nothing but bad entries stops too
            checked += 1
            if progress is not None and checked % PROGRESS_EVERY == 0:
                progress(checked)
            if row is None:
                continue
            if row["uuid"] in seen:
                problems.append(f"{place}.uuid: appears twice in the file")
            seen.add(row["uuid"])
            started, stopped = row.get("started"), row.get("stopped")
            if section.model is Medication and started and stopped and stopped < started:
                problems.append(f"{place}.stopped: is before the day it was started")
            if section.model is NightCheckIn:
                if row["night"] in nights:
                    problems.append("checkins: two check-ins for the same night")
                nights.add(row["night"])
    found_experiments = experiments.check(payload.get(experiments.KEY, []), now, problems)
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
    return profile, prompts, found_experiments


def _list_or_none(value) -> list:
    return value if isinstance(value, list) else []


def _text(raw: bytes) -> str:
    """The file's text: UTF-8, with or without the byte-order mark some editors add. UTF-16 and UTF-32 (what some
    editors save as "Unicode") are named, so the person knows what to do."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise Rejected(["The file was saved as UTF-32 text; choose the .json file the export made (UTF-8)."])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[:2].count(0) == 1:
        raise Rejected(
            ["The file was saved as UTF-16 text, not UTF-8; choose the .json file the export made (UTF-8)."]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected(["The file is not UTF-8 text; choose the .json file the export made."]) from None


def read_bytes(raw: bytes):
    """The file's JSON, or Rejected saying why it can't be read."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise Rejected([too_large_message()])
    text = _text(raw)
    try:
        return json.loads(text)
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


def too_large_message() -> str:
    return (
        f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB, more than any export this app writes. "
        'Choose the .json file from "Everything, as one file".'
    )


def _write_section(user, section: Section, items: list, food_ids: dict[str, int]) -> tuple[int, int]:
    """The section's entries not already in the diary, converted again (`check` passed them) and inserted a batch
    at a time; (added, already there)."""
    existing = set(section.model.objects.for_user(user).values_list("uuid", flat=True))
    taken = set()
    if section.model is NightCheckIn:
        taken = set(NightCheckIn.objects.for_user(user).values_list("night", flat=True))
    stored = [c for c in section.columns if c.kind != "foods"]
    written = timezone.now()  # the entries' created and updated times
    added = already = 0
    batch: list[dict] = []

    def insert(rows: list[dict]) -> None:
        insert_many(
            section.model, ({c.field: r[c.name] for c in stored} for r in rows), {"user_id": user.pk}, written
        )
        if section.model is Meal:
            by_uuid = dict(
                Meal.objects.for_user(user)
                .filter(uuid__in=[r["uuid"] for r in rows])
                .values_list("uuid", "pk")
            )
            through = Meal.foods.through
            links = (
                {"meal": by_uuid[r["uuid"]], "food": food_ids[slug]} for r in rows for slug in r["foods"]
            )
            insert_many(through, links, {}, written)

    converters = [(c.name, converter(c)) for c in section.columns]
    for item in items:
        row = {name: convert(item.get(name)) for name, convert in converters}  # check() passed every entry
        if row["uuid"] in existing or (taken and row["night"] in taken):
            already += 1
            continue
        batch.append(row)
        if len(batch) == WRITE_BATCH:
            insert(batch)
            added += len(batch)
            batch = []
    if batch:
        insert(batch)
        added += len(batch)
    return added, already


def import_data(
    user,
    payload,
    now: datetime | None = None,
    progress: Progress | None = None,
    writing: Callable[[], None] | None = None,
) -> Imported:
    """Check everything, then write everything in one transaction; raises Rejected and writes nothing. `progress`
    hears how many entries are checked; `writing` is called once the check has passed, before the writing."""
    now = now or timezone.now()
    try:
        profile_values, prompts, found_experiments = check(payload, now, progress)
    except Rejected as rejected:
        log.info("import for user %s refused: %d problem(s)", user.pk, len(rejected.problems))
        raise
    if writing is not None:
        writing()
    result = Imported()
    with transaction.atomic():
        Profile.objects.filter(user=user).update(**profile_values)
        food_ids = dict(Food.objects.values_list("slug", "pk"))
        for section in SECTIONS:
            added, already = _write_section(user, section, payload.get(section.key, []), food_ids)
            result.added[section.key] = added
            result.already += already
        added, already = experiments.write(user, found_experiments)
        result.added[experiments.KEY] = added
        result.already += already
        diary_changed(user.pk, whole_diary=True)  # bulk writes send no signals
        for row in prompts:
            PromptAcknowledgement.objects.update_or_create(
                user=user, rule_id=row["rule_id"], defaults={"acknowledged_at": row["acknowledged_at"]}
            )
    log.info("import for user %s accepted: %d added, %d already there", user.pk, result.total, result.already)
    return result
