"""A person's data back in, from the JSON file the export writes.

An import checks the whole file first and writes nothing unless every value is good; entries whose UUID is already
in the diary are left as they are, so importing a file twice changes nothing. Each part of the file and each list
inside an entry has a cap, and the check ends at 1,000 problems (tracker/data/problems.py), whatever the file holds.

The worker runs it (tracker/data/import_jobs.py): the request only keeps the upload and queues the job, and the
page shows the check's progress. The file is never parsed whole: a streaming parser (ijson) hands over one entry
at a time, built with caps on its size and nesting, so memory stays bounded whatever the file's shape (a million
`{}`, one giant string, deep nesting). The check reads the file once; the writing reads it again, converting and
inserting a batch of entries at a time.
"""

import codecs
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

import ijson  # type: ignore[import-untyped]  # no type information shipped
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from knowledge import consult
from knowledge.models import Food
from tracker.data import experiments
from tracker.data.columns import FORMAT, PROFILE_COLUMNS, PROMPT_COLUMNS, SECTIONS, VERSION, Section
from tracker.data.inserts import insert_many
from tracker.data.problems import UNKNOWN_NAMES_LISTED, Rejected, stop_if_too_many, too_many
from tracker.data.values import converter, parse
from tracker.entries.changes import diary_changed
from tracker.models import Meal, Medication, NightCheckIn, Profile, PromptAcknowledgement

log = logging.getLogger(__name__)

# A 20-year diary of 200,000 entries exports 38 MB (tests/bench_heavy.py measures it): three times that and more.
MAX_IMPORT_BYTES = 128 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 50
# Entries written in one short transaction: on SQLite about a tenth of a second, the most another writer waits.
WRITE_BATCH = 500
# Entries of one kind: 20 years of a heavy diary is about 200,000 of all kinds together (tests/bench_heavy.py).
MAX_SECTION_ENTRIES = 500_000
# What one entry may hold as it is read: an export nests five deep at most (the file, a part, an entry, its list of
# pauses, a pause), an entry's longest list is an experiment's 168 nights, its largest about 1,100 values. A file
# with more is not an export, and is refused there, read no further.
MAX_DEPTH = 8
MAX_LIST = 500  # items of a list, or fields of an object, inside one entry
ENTRY_VALUES = 4000
READ_CHUNK = 64 * 1024
HEAD = ("format", "version", "exported_at", "profile")
NOT_OURS = gettext_lazy(
    "This file was not made by Cramp Diary, so this is not a Cramp Diary export. Choose the file from "
    '"Everything, as one file" on this page.'
)
SECTION_BY_KEY = {section.key: section for section in SECTIONS}
STARTS = ("start_map", "start_array")
ENDS = ("end_map", "end_array")


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
        # Translators: each problem an import finds starts with where it is in the file ("cramps[3]", the file's
        # own names, which stay as they are), then a colon.
        problems.append(gettext("%(place)s: must be an object") % {"place": place})
        return None
    unknown = item.keys() - (known if known is not None else {c.name for c in columns})
    for name in sorted(str(name)[:40] for name in unknown)[:UNKNOWN_NAMES_LISTED]:
        problems.append(gettext("%(place)s: is not a field of this kind") % {"place": f"{place}.{name}"})
    values = {}
    for column in columns:
        try:
            values[column.name] = parse(item.get(column.name), column, now, foods)
        except ValueError as error:
            # Translators: where in the file, then what is wrong with the value there (a sentence of its own).
            problems.append(
                gettext("%(place)s: %(problem)s") % {"place": f"{place}.{column.name}", "problem": error}
            )
    return values if len(values) == len(columns) else None


# Reading the file as a stream -------------------------------------------------------------------------------------

# A UTF-16 surrogate written as an escape ("\ud800"), with the run of backslashes before it: an odd run is an
# escape, an even one is backslashes written as text followed by the letters.
SURROGATE = re.compile(rb"(\\+)u[dD]([89a-fA-F])[0-9a-fA-F]{2}")
LOW_SURROGATE = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


class _Reader:
    """The upload handed to the parser a chunk at a time, checked on the way: UTF-8 (the parser would take some
    broken bytes as text), and no half characters, which the parser would quietly turn into "?"."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.at = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.carried = b""  # the end of the last chunk, where an escape may have been cut in two

    def read(self, size: int) -> bytes:
        chunk = self.raw[self.at : self.at + size]
        self.at += len(chunk)
        final = self.at >= len(self.raw)
        try:
            self.utf8.decode(chunk, final)
        except UnicodeDecodeError:
            raise Rejected(
                [gettext("The file is not UTF-8 text; choose the .json file the export made.")]
            ) from None
        self._check_characters(chunk, final)
        return chunk

    def _check_characters(self, chunk: bytes, final: bool) -> None:
        if b"\\" not in chunk and not self.carried:
            return
        text = self.carried + chunk
        keep = 0 if final else 16
        self.carried = text[-keep:] if keep else b""
        end = len(text) - keep
        paired_until = 0
        for found in SURROGATE.finditer(text, 0, len(text)):
            escape = found.end(1) - 1  # the backslash that starts the escape
            if found.start() >= end or escape < paired_until or len(found.group(1)) % 2 == 0:
                continue
            high = found.group(2) in b"89abAB"
            if high and LOW_SURROGATE.match(text, found.end()):
                paired_until = found.end() + 6  # a whole character written as two escapes
                continue
            raise Rejected(
                [
                    gettext(
                        "The file holds text with a broken character (half of one), which text can't hold; "
                        "choose the .json file the export made."
                    )
                ]
            )


class _Events:
    """The parser's events (start_map, map_key, string ...), with the nesting counted and refused past MAX_DEPTH,
    and the parser's errors turned into a problem a person can act on."""

    def __init__(self, raw: bytes):
        self.raw = raw
        self.reader = _Reader(raw)
        self.parser = ijson.basic_parse(self.reader, use_float=True, buf_size=READ_CHUNK)
        self.depth = 0

    def next(self) -> tuple[str, Any]:
        try:
            event, value = next(self.parser)
        except ijson.JSONError as error:
            raise Rejected([_not_json(self.raw, self.reader.at, str(error))]) from None
        except StopIteration:
            raise Rejected([_not_json(self.raw, len(self.raw), "premature EOF")]) from None
        if event in STARTS:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise Rejected([gettext("The file nests too deeply to be an export.")])
        elif event in ENDS:
            self.depth -= 1
        return event, value

    def skip(self, event: str) -> None:
        """Read past the value that `event` began, building nothing."""
        if event in STARTS:
            outside = self.depth - 1
            while self.depth > outside:
                self.next()

    def end(self) -> None:
        """The file ends after its object (anything but spaces after it is an error)."""
        try:
            next(self.parser)
        except StopIteration:
            return
        except ijson.JSONError as error:
            raise Rejected([_not_json(self.raw, self.reader.at, str(error))]) from None
        raise Rejected([_not_json(self.raw, self.reader.at, "trailing garbage")])


def _not_json(raw: bytes, read: int, error: str) -> str:
    """What is wrong, and where: the parser reads a chunk at a time, so the file is read again up to the chunk
    that failed and then a byte at a time, to find the byte."""
    if "overflow" in error:
        return gettext("The file holds a number far too long to be a real value; it is not an export.")
    start = max(0, read - READ_CHUNK)

    class Slow:
        at = 0

        def read(self, size: int) -> bytes:
            step = min(size, start - self.at) if self.at < start else min(size, 1)
            chunk = raw[self.at : self.at + step]
            self.at += len(chunk)
            return chunk

    slow = Slow()
    try:
        for _ in ijson.basic_parse(slow, use_float=True, buf_size=READ_CHUNK):
            pass
    except ijson.JSONError:
        pass
    spot = max(0, min(slow.at, len(raw)) - 1)
    line = raw.count(b"\n", 0, spot) + 1
    column = spot - raw.rfind(b"\n", 0, spot)
    where = {"line": line, "column": column}
    if "trailing garbage" in error:
        return (
            gettext(
                "The file is not valid JSON (line %(line)s, column %(column)s): there is more after the end of the "
                "export."
            )
            % where
        )
    if slow.at >= len(raw):
        return (
            gettext(
                "The file is not valid JSON (line %(line)s, column %(column)s): it ends too soon, as if cut short."
            )
            % where
        )
    return (
        gettext(
            "The file is not valid JSON (line %(line)s, column %(column)s): there is something there that JSON "
            "doesn't allow."
        )
        % where
    )


class _TooLarge(Exception):
    """An entry holds more than any export writes; `fields` names where, from the entry down."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []


def _build(events: _Events, event: str, value: Any, room: list[int]) -> Any:
    """The value that `event` begins, as Python values; _TooLarge for a list or object longer than MAX_LIST, or
    once the entry has used up its `room`."""
    room[0] -= 1
    if room[0] < 0:
        raise _TooLarge
    if event == "start_map":
        built: dict[str, Any] = {}
        while True:
            event, key = events.next()
            if event == "end_map":
                return built
            if len(built) >= MAX_LIST:
                raise _TooLarge
            event, value = events.next()
            try:
                built[key] = _build(events, event, value, room)
            except _TooLarge as too_large:
                too_large.fields.insert(0, str(key)[:40])
                raise
    if event == "start_array":
        items: list[Any] = []
        while True:
            event, value = events.next()
            if event == "end_array":
                return items
            if len(items) >= MAX_LIST:
                raise _TooLarge
            items.append(_build(events, event, value, room))
    return value


def _entry(events: _Events, event: str, value: Any, place: str, problems: list[str]) -> Any:
    """One entry (or head value) built. One larger than any export writes is not read on: the file is refused
    with it, as no export holds it."""
    try:
        return _build(events, event, value, [ENTRY_VALUES])
    except _TooLarge as too_large:
        where = "".join(f".{name}" for name in too_large.fields)
        raise Rejected(
            [
                *problems,
                gettext("%(place)s: holds more than any export writes, so the file was read no further.")
                % {"place": f"{place}{where}"},
            ]
        ) from None


def _caps() -> dict[str, int]:
    return {
        **{s.key: MAX_SECTION_ENTRIES for s in SECTIONS},
        "prompts_read": len(consult.RULES),  # each prompt is read once
        experiments.KEY: experiments.MAX_EXPERIMENTS,
    }


def _parts(events: _Events, problems: list[str]) -> Iterator[tuple[str, int, Any]]:
    """The file's parts in its order: (key, 0, value) for the head (format, version, profile ...) and (key, index,
    entry) for each entry of a list. Problems of shape are added to `problems` (and the check ends at their cap);
    a list longer than its cap ends the reading."""
    caps = _caps()
    event, _ = events.next()
    if event != "start_map":
        raise Rejected([gettext("The file must hold one JSON object, as the export writes it.")])
    seen: set[str] = set()
    unknown = 0
    while True:
        event, key = events.next()
        if event == "end_map":
            break
        event, value = events.next()
        if key in seen or (key not in HEAD and key not in caps):
            if key in seen:
                problems.append(gettext("%(place)s: appears twice in the file") % {"place": key})
            elif unknown < UNKNOWN_NAMES_LISTED:
                problems.append(gettext("%(place)s: is not a part of the export") % {"place": key[:40]})
            unknown += 1
            events.skip(event)
            continue
        seen.add(key)
        if key in HEAD:
            yield key, 0, _entry(events, event, value, key, problems)
            continue
        if event != "start_array":
            problems.append(gettext("%(place)s: must be a list") % {"place": key})
            events.skip(event)
            continue
        index = 0
        while True:
            event, value = events.next()
            if event == "end_array":
                break
            if index >= caps[key]:
                raise Rejected([*problems, too_many(key, caps[key])])
            yield key, index, _entry(events, event, value, f"{key}[{index}]", problems)
            stop_if_too_many(problems)
            index += 1
    events.end()


def _as_bytes(source) -> bytes:
    """The file's bytes; the tests may pass the parsed file, which is written out again."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, bytearray | memoryview):
        return bytes(source)
    return json.dumps(source, default=str).encode()


def _encoding_problem(raw: bytes) -> None:
    """UTF-16 and UTF-32 (what some editors save as "Unicode") are named, so the person knows what to do."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise Rejected([too_large_message()])
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise Rejected(
            [gettext("The file was saved as UTF-32 text; choose the .json file the export made (UTF-8).")]
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[:2].count(0) == 1:
        raise Rejected(
            [
                gettext(
                    "The file was saved as UTF-16 text, not UTF-8; choose the .json file the export made (UTF-8)."
                )
            ]
        )


def too_large_message() -> str:
    return gettext(
        "The file is larger than %(megabytes)s MB, more than any export this app writes. "
        'Choose the .json file from "Everything, as one file".'
    ) % {"megabytes": MAX_IMPORT_BYTES // (1024 * 1024)}


def version_problem() -> str:
    return gettext("%(place)s: this app reads version %(version)s files.") % {
        "place": "version",
        "version": VERSION,
    }


# The check -------------------------------------------------------------------------------------------------------

# Reports the entries checked so far and the bytes of the file read.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000  # entries checked between two reports


@dataclass
class Checked:
    """What the check keeps for the writing: the small parts, checked (the entries are read again)."""

    profile: dict
    prompts: list[dict]
    experiments: list[dict]
    entries: int


def check(raw: bytes, now: datetime, progress: Progress | None = None) -> Checked:
    """Every value of the file checked, reading it once as a stream; raises Rejected listing each problem. The
    entries are checked here and read again by the writing. `progress` hears how far the check has got, every
    PROGRESS_EVERY entries."""
    _encoding_problem(raw)
    problems: list[str] = []
    foods = set(Food.objects.values_list("slug", flat=True))
    events = _Events(raw)
    head: dict[str, Any] = {}
    profile = None
    small: dict[str, list] = {"prompts_read": [], experiments.KEY: []}  # read whole, after their cap
    uuids: dict[str, set[int]] = {section.key: set() for section in SECTIONS}
    nights: set = set()
    known = {section.key: {c.name for c in section.columns} for section in SECTIONS}
    checked = 0
    for key, index, item in _parts(events, problems):
        if key in HEAD:
            head[key] = item
            if key == "format" and item != FORMAT:
                raise Rejected([str(NOT_OURS)])
            if key == "version" and item != VERSION:
                raise Rejected([version_problem()])
            if key == "profile":
                profile = _record(item, PROFILE_COLUMNS, "profile", problems, now, foods)
            continue
        if key in small:
            small[key].append(item)
            continue
        section = SECTION_BY_KEY[key]
        place = f"{key}[{index}]"
        row = _record(item, section.columns, place, problems, now, foods, known[key])
        stop_if_too_many(problems)  # before `continue`, so a file of nothing but bad entries stops too
        checked += 1
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked, events.reader.at)
        if row is None:
            continue
        if row["uuid"].int in uuids[key]:
            problems.append(gettext("%(place)s: appears twice in the file") % {"place": f"{place}.uuid"})
        uuids[key].add(row["uuid"].int)
        started, stopped = row.get("started"), row.get("stopped")
        if section.model is Medication and started and stopped and stopped < started:
            problems.append(
                gettext("%(place)s: is before the day it was started") % {"place": f"{place}.stopped"}
            )
        if section.model is NightCheckIn:
            if row["night"] in nights:
                problems.append(
                    gettext("%(place)s: two check-ins for the same night") % {"place": "checkins"}
                )
            nights.add(row["night"])
    if head.get("format") != FORMAT:
        raise Rejected([str(NOT_OURS)])
    if head.get("version") != VERSION:
        raise Rejected([version_problem()])
    if "profile" not in head:
        profile = _record(None, PROFILE_COLUMNS, "profile", problems, now, foods)
    del uuids, nights
    found_experiments = experiments.check(small[experiments.KEY], now, problems)
    prompts = []
    for index, item in enumerate(small["prompts_read"]):
        row = _record(item, PROMPT_COLUMNS, f"prompts_read[{index}]", problems, now, foods)
        if row:
            prompts.append(row)
    if problems:
        raise Rejected(problems)
    assert profile is not None  # _record gives None only after listing a problem
    return Checked(profile, prompts, found_experiments, checked)


# The writing ------------------------------------------------------------------------------------------------------


def _write_section(
    user,
    section: Section,
    items: Iterator,
    food_ids: dict[str, int],
    job_id: int | None,
    wrote: Callable[[int], None],
) -> tuple[int, int]:
    """The section's entries not already in the diary, converted again (`check` passed them) and inserted a batch
    at a time, each batch its own short transaction, tagged with the job; (added, already there). `wrote` hears
    how many entries of the section are done (written or already there) after each batch."""
    existing = {u.int for u in section.model.objects.for_user(user).values_list("uuid", flat=True)}
    taken = set()
    if section.model is NightCheckIn:
        taken = set(NightCheckIn.objects.for_user(user).values_list("night", flat=True))
    stored = [c for c in section.columns if c.kind != "foods"]
    written = timezone.now()  # the entries' created and updated times
    fixed = {"user_id": user.pk, "import_job_id": job_id}
    added = already = 0
    batch: list[dict] = []

    @transaction.atomic
    def insert(rows: list[dict]) -> None:
        insert_many(section.model, ({c.field: r[c.name] for c in stored} for r in rows), fixed, written)
        if section.model is Meal:
            by_uuid = dict(  # the base manager: the new meals are hidden until the import is done
                Meal._base_manager.filter(user=user, uuid__in=[r["uuid"] for r in rows]).values_list(
                    "uuid", "pk"
                )
            )
            through = Meal.foods.through
            links = (
                {"meal": by_uuid[r["uuid"]], "food": food_ids[slug]} for r in rows for slug in r["foods"]
            )
            insert_many(through, links, {}, written)

    converters = [(c.name, converter(c)) for c in section.columns]
    for item in items:
        row = {name: convert(item.get(name)) for name, convert in converters}  # check() passed every entry
        if row["uuid"].int in existing or (taken and row["night"] in taken):
            already += 1
            continue
        batch.append(row)
        if len(batch) == WRITE_BATCH:
            insert(batch)
            added += len(batch)
            batch = []
            wrote(added + already)
    if batch:
        insert(batch)
        added += len(batch)
    wrote(added + already)
    return added, already


def import_data(
    user,
    source,
    now: datetime | None = None,
    progress: Progress | None = None,
    writing: Callable[[int], None] | None = None,
    job_id: int | None = None,
    wrote: Callable[[int], None] | None = None,
    done_writing: Callable[[Imported], None] | None = None,
) -> Imported:
    """Check everything, then write it; raises Rejected and writes nothing. `source` is the file's bytes (or, in
    tests, the parsed file). `progress` hears how far the check has got; `writing` is called once the check has
    passed, with the number of entries, before the writing; `wrote` hears how many entries are done.

    With a `job_id` (the worker's import), the entries are written in short transactions of WRITE_BATCH each,
    tagged with the job, which hides them (tracker.models.EntryManager); the last short transaction writes the
    profile, experiments and prompts read and calls `done_writing` with the result, which shows them all at once.
    A job that fails or is killed leaves only hidden rows, which import_jobs removes. Without one (tests), it is
    all one transaction."""
    now = now or timezone.now()
    raw = _as_bytes(source)
    try:
        checked = check(raw, now, progress)
    except Rejected as rejected:
        log.info("import for user %s refused: %d problem(s)", user.pk, len(rejected.problems))
        raise
    if writing is not None:
        writing(checked.entries)
    result = Imported(added={section.key: 0 for section in SECTIONS})
    done_before = 0

    def wrote_in_section(done: int) -> None:
        if wrote is not None:
            wrote(done_before + done)

    with transaction.atomic() if job_id is None else nullcontext():
        food_ids = dict(Food.objects.values_list("slug", "pk"))
        for key, parts in groupby(_parts(_Events(raw), []), key=itemgetter(0)):
            if key in SECTION_BY_KEY:
                items = (item for _, _, item in parts)
                added, already = _write_section(
                    user, SECTION_BY_KEY[key], items, food_ids, job_id, wrote_in_section
                )
                result.added[key] = added
                result.already += already
                done_before += added + already
        with transaction.atomic():
            Profile.objects.filter(user=user).update(**checked.profile)
            added, already = experiments.write(user, checked.experiments)
            result.added[experiments.KEY] = added
            result.already += already
            for row in checked.prompts:
                PromptAcknowledgement.objects.update_or_create(
                    user=user, rule_id=row["rule_id"], defaults={"acknowledged_at": row["acknowledged_at"]}
                )
            diary_changed(user.pk, whole_diary=True)  # bulk writes send no signals
            if done_writing is not None:
                done_writing(result)
    log.info("import for user %s accepted: %d added, %d already there", user.pk, result.total, result.already)
    return result
