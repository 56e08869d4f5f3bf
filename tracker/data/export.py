"""All of a person's data out: one JSON file, or a zip of CSV files, with the columns of tracker/data/columns.py.

Times are ISO 8601 with the UTC offset of the person's zone at that moment.

Both are written as they are read: the database is read a chunk of rows at a time (tracker/data/reading.py, a
server-side cursor on PostgreSQL) and each chunk becomes text at once, so a 20-year diary takes the memory of one
chunk, not of the whole diary. `export_data` gives the same content as one dict, for small diaries and tests.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from tracker.data import experiments
from tracker.data.columns import FORMAT, PROFILE_COLUMNS, PROMPT_COLUMNS, SECTIONS, VERSION, Column, Section
from tracker.data.reading import raw_chunks, value_reader
from tracker.models import Meal, Profile, PromptAcknowledgement

CHUNK_ROWS = 2000  # rows read from the database, and written out, at a time


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


def _converter(column: Column, zone: ZoneInfo) -> Callable[[Any], Any]:
    """`_out` for one column, from the value as the database driver gives it (tracker/data/reading.py), decided
    once per column rather than once per value."""
    if column.kind == "datetime":
        moment = value_reader("datetime")
        return lambda value: None if value is None else moment(value).astimezone(zone).isoformat()
    if column.kind == "date":
        return lambda value: value if value is None or isinstance(value, str) else value.isoformat()
    if column.kind in ("uuid", "bool"):
        return value_reader(column.kind)
    if column.kind == "choices":
        return value_reader("json")
    return lambda value: value


def _food_slugs(meal_ids) -> dict[int, list[str]]:
    slugs: dict[int, list[str]] = {}
    rows = Meal.foods.through.objects.filter(meal_id__in=meal_ids).order_by("food__slug")
    for meal_id, slug in rows.values_list("meal_id", "food__slug"):
        slugs.setdefault(meal_id, []).append(slug)
    return slugs


def section_chunks(user, section: Section, zone: ZoneInfo, size: int = CHUNK_ROWS) -> Iterator[list[dict]]:
    """The section's entries as dicts of exported values, in a stable order, `size` at a time; a meal's foods are
    read once per chunk of meals."""
    stored = [c for c in section.columns if c.kind != "foods"]
    converters = [(c.name, _converter(c, zone)) for c in stored]
    with_foods = section.model is Meal
    fields = [c.field for c in stored] + (["pk"] if with_foods else [])
    rows = section.model.objects.for_user(user).order_by(*section.order).values_list(*fields)
    for chunk in raw_chunks(rows, size):
        foods = _food_slugs([row[-1] for row in chunk]) if with_foods else {}
        out = []
        for row in chunk:
            item = {name: convert(value) for (name, convert), value in zip(converters, row, strict=False)}
            if with_foods:
                item["foods"] = foods.get(row[-1], [])
                item = {c.name: item[c.name] for c in section.columns}  # the columns' order
            out.append(item)
        yield out


def section_rows(user, section: Section, zone: ZoneInfo) -> Iterator[dict]:
    for chunk in section_chunks(user, section, zone):
        yield from chunk


def _head(profile: Profile, now: datetime | None) -> dict:
    zone = profile.zone
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (now or timezone.now()).astimezone(zone).isoformat(),
        "profile": {c.name: _out(getattr(profile, c.field), c, zone) for c in PROFILE_COLUMNS},
    }


def _prompts(user, zone: ZoneInfo) -> list[dict]:
    return [
        {c.name: _out(getattr(ack, c.field), c, zone) for c in PROMPT_COLUMNS}
        for ack in PromptAcknowledgement.objects.filter(user=user).order_by("rule_id")
    ]


def export_data(user, now: datetime | None = None) -> dict:
    """The whole export as one dict: what `json_chunks` writes, parsed back."""
    profile = Profile.objects.get(user=user)
    data = _head(profile, now)
    for section in SECTIONS:
        data[section.key] = list(section_rows(user, section, profile.zone))
    data[experiments.KEY] = experiments.export_rows(user, profile.zone)
    data["prompts_read"] = _prompts(user, profile.zone)
    return data


def json_chunks(user, now: datetime | None = None) -> Iterator[bytes]:
    """The JSON export as UTF-8, a chunk of entries at a time: the head, then each section as a list with one
    entry per line."""
    profile = Profile.objects.get(user=user)
    zone = profile.zone
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = encode(_head(profile, now))
    yield (head[:-1] + ",\n").encode()

    def listed(key: str, parts: Iterable[list[dict]]) -> Iterator[bytes]:
        yield f'"{key}": ['.encode()
        first = True
        for part in parts:
            lines = ",\n".join(encode(item) for item in part)
            yield (("\n" if first else ",\n") + lines).encode()
            first = False
        yield b"\n]"

    for section in SECTIONS:
        yield from listed(section.key, section_chunks(user, section, zone))
        yield b",\n"
    yield from listed(experiments.KEY, [experiments.export_rows(user, zone)])
    yield b",\n"
    yield from listed("prompts_read", [_prompts(user, zone)])
    yield b"\n}\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell. Text a spreadsheet would run as a formula (=, +, -, @ first) is written with a leading
    apostrophe, which spreadsheets show as plain text; the JSON export keeps every value exactly as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value) -> str:
    return "" if value is None else str(value)


def _cell_writer(column: Column) -> Callable[[Any], str]:
    """`_cell` for a column whose values can't start like a formula (times, dates, whole numbers from 0, UUIDs):
    written as they are, which is faster; text, lists and true/false go through `_cell`."""
    return _plain if column.kind in ("uuid", "datetime", "date", "int", "choice") else _cell


def columns_text() -> str:
    lines = [
        "Cramp Diary export: one CSV file per kind of entry, UTF-8, with a header row.",
        "Times are ISO 8601 with the UTC offset in force in your time zone at that moment.",
        "Lists (what helped, warning signs, foods) are separated by semicolons. Empty means not given.",
        "Text that starts with = + - or @ has an apostrophe in front, so a spreadsheet shows it instead of running it.",
        "",
    ]
    documented = [*((s.key, s.title, s.columns) for s in SECTIONS), experiments.CSV_FILE]
    for key, title, columns in documented:
        lines.append(f"{key}.csv: {title}")
        for column in columns:
            allowed = f" One of: {', '.join(column.choices)}." if column.kind in ("choice", "choices") else ""
            lines.append(f"  {column.name}: {column.doc}{allowed}")
        lines.append("")
    return "\n".join(lines)


class _Drain(io.RawIOBase):
    """Where the zip is written: bytes pile up until `take` hands them on. It can tell its position but not seek,
    so zipfile writes each file's sizes after its data, as a stream can."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        taken = b"".join(self.parts)
        self.parts = []
        return taken


def _csv_text(header: list[str], rows: Iterable[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


def csv_zip_chunks(user, now: datetime | None = None) -> Iterator[bytes]:
    """The zip of CSV files, written as it goes: each CSV file is compressed a chunk of rows at a time and the
    compressed bytes are handed on at once."""
    zone = Profile.objects.get(user=user).zone
    stamp = (now or timezone.now()).astimezone(zone).timetuple()[:6]
    drain = _Drain()
    with zipfile.ZipFile(drain, "w", zipfile.ZIP_DEFLATED) as archive:

        def member(name: str):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            return archive.open(info, "w")

        with member("columns.txt") as out:
            out.write(columns_text().encode())
        yield drain.take()
        for section in SECTIONS:
            names = [c.name for c in section.columns]
            cells = [(c.name, _cell_writer(c)) for c in section.columns]
            with member(f"{section.key}.csv") as out:
                out.write(_csv_text(names, []))
                for part in section_chunks(user, section, zone):
                    out.write(_csv_text([], ([cell(row[name]) for name, cell in cells] for row in part)))
                    yield drain.take()
            yield drain.take()
        key, _, columns = experiments.CSV_FILE
        names = [c.name for c in columns]
        with member(f"{key}.csv") as out:
            rows = experiments.csv_rows(user, zone)
            out.write(_csv_text(names, ([_cell(row[name]) for name in names] for row in rows)))
    yield drain.take()


def csv_zip(user) -> bytes:
    return b"".join(csv_zip_chunks(user))
