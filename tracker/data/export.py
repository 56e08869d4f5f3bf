"""All of a person's data out: one JSON file, or a zip of CSV files, with the columns of tracker/data/columns.py.

Times are ISO 8601 with the UTC offset of the person's zone at that moment.
"""

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from tracker.data.columns import FORMAT, PROFILE_COLUMNS, PROMPT_COLUMNS, SECTIONS, VERSION, Column, Section
from tracker.models import Meal, Profile, PromptAcknowledgement


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


def columns_text() -> str:
    lines = [
        "Cramp Diary export: one CSV file per kind of entry, UTF-8, with a header row.",
        "Times are ISO 8601 with the UTC offset in force in your time zone at that moment.",
        "Lists (what helped, warning signs, foods) are separated by semicolons. Empty means not given.",
        "Text that starts with = + - or @ has an apostrophe in front, so a spreadsheet shows it instead of running it.",
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
