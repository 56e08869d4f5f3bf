"""A heavy diary's data out and back: every export streams, in a number of queries that doesn't grow with the diary,
and export, import into a new account and export again gives the same file; request bodies over their limit are
refused before they are read."""

import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import cramp, make_person
from tests.heavy import build_heavy
from tracker.data import export, imports
from tracker.models import CrampEpisode, Experiment, ExperimentNight, Meal

pytestmark = pytest.mark.django_db
DOWNLOADS = ["export_json", "export_csv", "export_fhir"]


def body(response) -> bytes:
    assert response.streaming, "a download is streamed, never built whole in memory"
    return b"".join(response.streaming_content)


def strip(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "exported_at"}


@pytest.fixture
def heavy(alice):
    """The heavy diary at 73 days: about 2,000 entries of every kind, with experiments."""
    counts = build_heavy(alice, days=73)
    assert 1800 < sum(counts.values()) < 2600, counts
    return alice


@pytest.mark.parametrize("name", DOWNLOADS)
def test_it_streams_every_export_in_a_fixed_number_of_queries(
    client, heavy, name, django_assert_max_num_queries
):
    client.force_login(heavy)
    response = client.get(reverse(name))
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith('attachment; filename="cramp-diary')
    # The queries run while the body is written; a meal's foods are read once per chunk of meals, not per meal.
    with django_assert_max_num_queries(16):
        content = body(response)
    assert len(content) > 50_000


def test_the_heavy_diary_comes_back_without_loss(client, heavy, django_assert_max_num_queries):
    client.force_login(heavy)
    exported = body(client.get(reverse("export_json")))
    newcomer = make_person("newcomer", "UTC")
    client.force_login(newcomer)
    upload = SimpleUploadedFile("export.json", exported, content_type="application/json")
    # Inserts and a progress report in batches of 500 (imports.WRITE_BATCH), whatever the size of the file.
    with django_assert_max_num_queries(100):
        response = client.post(reverse("my_data"), {"file": upload}, follow=True)
    assert "Imported " in response.content.decode()
    again = body(client.get(reverse("export_json")))
    assert strip(json.loads(again)) == strip(json.loads(exported))
    assert Experiment.objects.filter(user=newcomer).count() == 2
    assert ExperimentNight.objects.filter(experiment__user=newcomer).count() > 0
    assert Meal.foods.through.objects.filter(meal__user=newcomer).count() == (
        Meal.foods.through.objects.filter(meal__user=heavy).count()
    )

    # Once more: everything is already there, so nothing is added.
    upload = SimpleUploadedFile("export.json", exported, content_type="application/json")
    response = client.post(reverse("my_data"), {"file": upload}, follow=True)
    assert "Imported nothing new" in response.content.decode()
    assert body(client.get(reverse("export_json"))).count(b'"uuid"') == exported.count(b'"uuid"')


def test_an_import_over_the_limit_is_refused_before_it_is_read(alice_client, alice):
    upload = SimpleUploadedFile("export.json", b'{"format": "cramp-diary"}', content_type="application/json")
    too_long = str(imports.MAX_IMPORT_BYTES + 1024 * 1024)
    # The body is a few bytes: reading past them would fail the test client's payload, so nothing reads it.
    response = alice_client.post(reverse("my_data"), {"file": upload}, CONTENT_LENGTH=too_long)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Nothing was imported" in page and "larger than 128 MB" in page
    assert not CrampEpisode.objects.exists()


def test_an_import_within_the_limit_is_read(alice_client, alice):
    upload = SimpleUploadedFile("export.json", b'{"format": "other"}', content_type="application/json")
    response = alice_client.post(reverse("my_data"), {"file": upload})
    assert response.status_code == 400 and "not a Cramp Diary export" in response.content.decode()


@pytest.mark.parametrize("as_file", [False, True])
def test_any_other_form_over_its_limit_gets_a_page_that_says_nothing_was_saved(alice_client, alice, as_file):
    """Every other view takes 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE), files included: a file sent to a form that takes
    none is refused unread, not streamed to disk."""
    data = {"uuid": "6f1c5a8e-7d0e-4c7e-9b1a-2f1f4b6f0c11", "intensity": "5"}
    if as_file:
        data["notes"] = SimpleUploadedFile("big.bin", b"x" * (3 * 1024 * 1024))
        response = alice_client.post(reverse("entry_create", args=["cramp"]), data)
    else:
        response = alice_client.post(reverse("entry_create", args=["cramp"]), data, CONTENT_LENGTH="3000000")
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not CrampEpisode.objects.exists()


def test_the_phones_outbox_gets_json_when_its_request_is_too_large(alice_client, alice):
    response = alice_client.post(
        reverse("entry_create", args=["cramp"]),
        {"intensity": "5"},
        CONTENT_LENGTH="3000000",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and response.json()["saved"] is False


# Caps: whatever a file holds, the check reads a bounded part of it -------------------------------------------------


def file_of(user, **parts) -> dict:
    """The person's own export, with some of its parts replaced."""
    return {**export.export_data(user), **parts}


@pytest.fixture
def looked_at(monkeypatch) -> list:
    """Every entry the check reads, as it reads it."""
    seen: list = []
    record = imports._record

    def counted(item, *args, **kwargs):
        seen.append(item)
        return record(item, *args, **kwargs)

    monkeypatch.setattr(imports, "_record", counted)
    return seen


def test_a_file_of_nothing_but_invalid_entries_stops_at_the_problem_cap(alice, looked_at):
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(alice, file_of(alice, cramps=[{}] * 50_000))
    # Each {} is three problems (no uuid, no time, no woke_from_sleep), so about 1,000 / 3 entries are read.
    assert len(looked_at) < 400
    assert rejected.value.stopped
    assert not CrampEpisode.objects.exists()


def test_the_page_says_the_check_stopped_at_the_problem_cap(alice_client, alice):
    data = json.dumps(file_of(alice, cramps=[{}] * 50_000)).encode()
    response = alice_client.post(reverse("my_data"), {"file": SimpleUploadedFile("export.json", data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The check stopped after 1,000 problems" in page
    assert not CrampEpisode.objects.exists()


@pytest.mark.parametrize("key, cap", [("prompts_read", 8), ("experiments", 100)])
def test_a_part_longer_than_its_cap_is_refused_unread(alice, looked_at, key, cap):
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(alice, file_of(alice, **{key: [{}] * 50_000}))
    assert rejected.value.problems == [f"{key}: has more than {cap:,} entries, more than any diary holds."]
    assert len(looked_at) <= 1  # the profile; none of the 50,000


def test_a_section_longer_than_its_cap_is_refused_and_nothing_is_imported(alice, monkeypatch):
    for hour in range(4):
        cramp(alice, datetime(2026, 1, 1, hour, tzinfo=UTC))
    exported = export.export_data(alice)
    monkeypatch.setattr(imports, "MAX_SECTION_ENTRIES", 3)
    newcomer = make_person("newcomer")
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(newcomer, exported)
    assert rejected.value.problems == ["cramps: has more than 3 entries, more than any diary holds."]
    assert not CrampEpisode.objects.filter(user=newcomer).exists()


def test_a_list_inside_an_entry_longer_than_its_choices_is_refused_unread(alice):
    cramp(alice, datetime(2026, 1, 1, 3, tzinfo=UTC))
    exported = export.export_data(alice)
    exported["cramps"][0]["relief"] = ["stretching"] * 1_000_000
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(make_person("newcomer"), exported)
    assert rejected.value.problems == [
        "cramps[0].relief: holds more than any export writes, so the file was read no further."
    ]
    exported["cramps"][0]["relief"] = ["stretching"] * 7
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(make_person("other"), exported)
    assert rejected.value.problems == [
        "cramps[0].relief: lists more than 6 values, more than there are to choose"
    ]


def test_an_entry_with_thousands_of_unknown_fields_lists_a_few(alice):
    cramp(alice, datetime(2026, 1, 1, 3, tzinfo=UTC))
    exported = export.export_data(alice)
    exported.update({f"part{n}": 1 for n in range(10_000)})
    exported["cramps"][0].update({f"extra{n}": 1 for n in range(20)})
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(make_person("newcomer"), exported)
    assert 2 <= len(rejected.value.problems) <= 20
    # More fields than any export writes: the file is refused there, read no further.
    exported["cramps"][0].update({f"extra{n}": 1 for n in range(10_000)})
    with pytest.raises(imports.Rejected) as rejected:
        imports.import_data(make_person("other"), exported)
    assert rejected.value.problems == [
        "cramps[0]: holds more than any export writes, so the file was read no further."
    ]
