"""A heavy diary's data out and back: every export streams, in a number of queries that doesn't grow with the diary,
and export, import into a new account and export again gives the same file; request bodies over their limit are
refused before they are read."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import make_person
from tests.heavy import build_heavy
from tracker.data import imports
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
    with django_assert_max_num_queries(80):  # inserts in batches of 2,000, whatever the size of the file
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
