"""The import reads its file as a stream: whatever the file's shape, the worker's memory stays bounded and a file of
nothing but mistakes is refused once the check has found its 1,000 problems."""

import json
import tracemalloc

import pytest

from tracker.data import imports
from tracker.data.import_jobs import run_import
from tracker.models import CrampEpisode, ImportJob

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
HEAD = b'{"format": "cramp-diary", "version": 1, '


def sixteen_mb(shape: str) -> bytes:
    """16 MB of a hostile shape, each refused by the check."""
    if shape == "a_million_empty_entries":
        return HEAD + b'"cramps": [' + b"{}," * (16 * MB // 3) + b"{}]}"
    if shape == "one_giant_string":
        return HEAD + b'"cramps": [{"notes": "' + b"x" * (16 * MB) + b'"}]}'
    if shape == "one_giant_list":
        return HEAD + b'"cramps": [{"relief": [' + b'"heat",' * (16 * MB // 7) + b'"heat"]}]}'
    if shape == "deep_nesting":
        return HEAD + b'"cramps": ' + b"[" * (8 * MB) + b"]" * (8 * MB) + b"}"
    if shape == "many_unknown_fields":
        fields = b",".join(b'"f%d": 1' % n for n in range(16 * MB // 12))
        return HEAD + b'"cramps": [{' + fields + b"}]}"
    raise ValueError(shape)


@pytest.mark.parametrize(
    "shape",
    ["a_million_empty_entries", "one_giant_string", "one_giant_list", "deep_nesting", "many_unknown_fields"],
)
def test_a_16_mb_hostile_file_is_refused_with_the_workers_memory_bounded(alice, shape):
    raw = sixteen_mb(shape)
    assert len(raw) >= 16 * MB
    job = ImportJob.objects.create(user=alice, upload=raw, size=len(raw))
    del raw
    tracemalloc.start()
    try:
        state = run_import.call(job.pk)  # what the worker runs, reading the upload from the database
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert state == ImportJob.State.REFUSED, job.problems
    # The upload itself is 16 MB; parsing it whole took more than twenty times that.
    assert peak < 64 * MB, f"{peak / MB:.0f} MB"
    assert not CrampEpisode.objects.exists()


def test_a_file_of_nothing_but_mistakes_stops_at_the_problem_cap(alice):
    raw = sixteen_mb("a_million_empty_entries")
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(alice, raw)
    assert rejected.value.stopped and len(rejected.value.problems) < 1000 + 20  # the last entry's, whole


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"", "The file is not valid JSON (line 1, column 1): it ends too soon"),
        (HEAD + b'"cramps": [', "it ends too soon, as if cut short"),
        (HEAD + b'"cramps": []} and more', "there is more after the end of the export"),
        (HEAD + b'"cramps": [{"notes": "a\\ud800b"}]}', "a broken character (half of one)"),
        (HEAD + b'"cramps": [{"notes": "a\\udc00b"}]}', "a broken character (half of one)"),
        (b"\xef\xbb\xbf" + HEAD + b'"cramps": {}}', "cramps: must be a list"),
        (HEAD + b'"cramps": [], "cramps": []}', "cramps: appears twice in the file"),
        (HEAD + b'"cramps": [{"intensity": 1e999}]}', "a number far too long"),
    ],
)
def test_a_broken_file_says_what_is_wrong(alice, raw, problem):
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(alice, raw)
    assert any(problem in p for p in rejected.value.problems), rejected.value.problems


@pytest.mark.parametrize("text", ["a\\\\ud800b", "emoji \\ud83d\\ude00", "\\\\\\ud83d\\ude00"])
def test_whole_characters_and_backslashes_are_not_broken_characters(alice, text):
    raw = HEAD + b'"cramps": [{"notes": "' + text.encode() + b'"}]}'
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(alice, raw)
    assert not any("broken character" in p for p in rejected.value.problems)
    assert json.loads(raw)  # the test's file is valid JSON
