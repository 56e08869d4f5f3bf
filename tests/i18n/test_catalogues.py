"""The Spanish and German catalogues are whole: every message translated, none fuzzy, every placeholder kept, every
plural form given, and every catalogue compiled (`make setup` runs manage.py compile_catalogues)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tracker.management.commands.compile_catalogues import catalogues

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %s, %d and the like: what Python's % and Django's interpolate() fill in.
PLACEHOLDER = re.compile(r"%(?:\([a-z_0-9]+\))?[-#0 +]*\d*(?:\.\d+)?[sdfir%]")
TAG = re.compile(r"</?[a-z][a-z0-9]*")


def entries():
    found = catalogues()
    assert {path.parent.parent.name for path in found} >= set(LANGUAGES), "a catalogue per language"
    for path in found:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield path, entry


def where(path: Path, entry) -> str:
    return f"{path.relative_to(settings.BASE_DIR)}: {entry.msgid[:70]!r}"


def test_every_message_is_translated_and_none_is_fuzzy():
    problems = []
    for path, entry in entries():
        if entry.fuzzy:
            problems.append(f"fuzzy {where(path, entry)}")
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if not all(text.strip() for text in forms):
            problems.append(f"untranslated {where(path, entry)}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_translation_keeps_its_placeholders_and_tags():
    problems = []
    for path, entry in entries():
        tags = sorted(TAG.findall(entry.msgid))
        if entry.msgid_plural:
            # The singular may say "once" for %(count)s; the plural keeps every placeholder of the English plural.
            allowed = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            needed = set(PLACEHOLDER.findall(entry.msgid_plural))
            forms = list(entry.msgstr_plural.values())
            for text in forms:
                if not set(PLACEHOLDER.findall(text)) <= allowed:
                    problems.append(f"placeholders added in {where(path, entry)}")
            if forms and not needed <= set(PLACEHOLDER.findall(forms[-1])):
                problems.append(f"plural placeholders missing in {where(path, entry)}")
        else:
            forms = [entry.msgstr]
            if entry.msgstr and sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(
                PLACEHOLDER.findall(entry.msgid)
            ):
                problems.append(f"placeholders differ in {where(path, entry)}")
        for text in forms:
            if text and sorted(TAG.findall(text)) != tags:
                problems.append(f"HTML tags differ in {where(path, entry)}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_is_compiled_and_current(language):
    for path in catalogues():
        if path.parent.parent.name != language:
            continue
        compiled = path.with_suffix(".mo")
        assert compiled.exists(), f"{compiled} is missing: run make setup"
        assert compiled.stat().st_mtime >= path.stat().st_mtime, (
            f"{compiled} is older than its .po: make setup"
        )
