"""Imports run by the background worker: the upload is kept and queued, the page shows the job's progress (and
asks for it again every two seconds with htmx) until its result, which a reload still shows; one at a time."""

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import cramp
from tracker.data import export, imports
from tracker.data.import_jobs import run_import
from tracker.entries import day_totals
from tracker.models import CrampEpisode, Drink, ImportJob

pytestmark = pytest.mark.django_db
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(content: bytes) -> dict:
    return {"file": SimpleUploadedFile("export.json", content, content_type="application/json")}


@pytest.fixture
def bobs_export(bob) -> bytes:
    cramp(bob, timezone.now() - timedelta(hours=2), notes="from bob's phone")
    return json.dumps(export.export_data(bob)).encode()


def test_the_request_only_queues_the_import_and_the_page_shows_it_until_it_is_done(
    alice_client, alice, settings, bobs_export
):
    settings.TASKS = QUEUED
    response = alice_client.post(reverse("my_data"), upload(bobs_export))
    assert response.status_code == 302 and response["Location"] == reverse("my_data")
    job = ImportJob.objects.get(user=alice)
    assert job.state == ImportJob.State.WAITING and job.size == len(bobs_export)
    assert not CrampEpisode.objects.filter(user=alice).exists()  # nothing is read in the request

    page = alice_client.get(reverse("my_data")).content.decode()
    assert "Waiting to start" in page and "<progress>" in page
    assert 'hx-trigger="every 2s"' in page and "You can leave this page" in page
    assert 'type="file"' not in page  # no second import while this one runs
    fragment = alice_client.get(reverse("my_data"), headers={"HX-Request": "true", "HX-Target": "import-job"})
    assert fragment.content.decode().lstrip().startswith('<div id="import-job"')

    assert run_import.call(job.pk) == ImportJob.State.DONE  # what the worker runs
    alice.refresh_from_db()
    assert alice.profile.rollup_key == day_totals.key(alice.profile)  # the day totals are current already
    job.refresh_from_db()
    assert job.upload in (b"", memoryview(b"")) and job.finished_at is not None  # the file is not kept
    assert CrampEpisode.objects.get(user=alice).notes == "from bob's phone"
    page = alice_client.get(reverse("my_data")).content.decode()
    assert "Imported 1 cramp." in page and 'hx-trigger="every 2s"' not in page and 'type="file"' in page


def test_a_refused_file_says_why_after_the_worker_has_read_it_and_after_a_reload(
    alice_client, alice, settings
):
    settings.TASKS = QUEUED
    alice_client.post(reverse("my_data"), upload(b'{"format": "cramp-diary", "version": 1, "cramps": [{}]}'))
    job = ImportJob.objects.get(user=alice)
    assert run_import.call(job.pk) == ImportJob.State.REFUSED
    for _ in range(2):
        page = alice_client.get(reverse("my_data")).content.decode()
        assert "Nothing was imported from your last file" in page and "cramps[0].uuid: is missing" in page
    assert not CrampEpisode.objects.filter(user=alice).exists()


def test_one_import_at_a_time(alice_client, alice, settings, bobs_export):
    settings.TASKS = QUEUED
    alice_client.post(reverse("my_data"), upload(bobs_export))
    response = alice_client.post(reverse("my_data"), upload(bobs_export), follow=True)
    assert "An import is already running" in response.content.decode()
    assert ImportJob.objects.filter(user=alice).count() == 1


def test_a_job_that_fails_keeps_nothing_and_says_so(alice_client, alice, settings, bobs_export, monkeypatch):
    settings.TASKS = QUEUED
    alice_client.post(reverse("my_data"), upload(bobs_export))
    job = ImportJob.objects.get(user=alice)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(imports, "diary_changed", broken)  # fails inside the writing's transaction
    assert run_import.call(job.pk) == ImportJob.State.FAILED
    assert not CrampEpisode.objects.filter(user=alice).exists()
    page = alice_client.get(reverse("my_data")).content.decode()
    assert "stopped before the end, so nothing from it was kept" in page and 'type="file"' in page


def test_the_check_reports_its_progress_as_it_goes(alice, bob):
    Drink.objects.create(user=bob, at=timezone.now() - timedelta(hours=1), amount_ml=250, kind="water")
    payload = export.export_data(bob)
    one = payload["drinks"][0]
    payload["drinks"] = [{**one, "uuid": str(uuid.uuid4())} for _ in range(2500)]
    seen: list[int] = []
    entries: list[int] = []
    imports.import_data(
        alice, payload, progress=lambda checked, read: seen.append(checked), writing=entries.append
    )
    assert seen == [1000, 2000] and entries == [2500]
    assert Drink.objects.filter(user=alice).count() == 2500


def test_another_persons_import_is_never_shown(alice_client, alice, bob, settings, bobs_export):
    settings.TASKS = QUEUED
    alice_client.post(reverse("my_data"), upload(bobs_export))
    stranger = Client()
    stranger.force_login(bob)
    page = stranger.get(reverse("my_data")).content.decode()
    assert "Waiting to start" not in page and 'type="file"' in page


def test_pruning_removes_imports_that_ended_over_a_day_ago_and_never_a_running_one(alice, bob):
    from django.core.management import call_command

    ended = ImportJob.objects.create(user=alice, state="done", finished_at=timezone.now() - timedelta(days=2))
    today = ImportJob.objects.create(user=bob, state="done", finished_at=timezone.now() - timedelta(hours=2))
    running = ImportJob.objects.create(user=alice, state="checking")
    call_command("prune", stdout=io.StringIO())
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {today.pk, running.pk}
    assert not ImportJob.objects.filter(pk=ended.pk).exists()


def test_a_job_whose_worker_was_killed_is_given_up_so_the_person_can_import_again(
    alice_client, alice, settings, bobs_export, clock
):
    settings.TASKS = QUEUED
    clock.at("2026-12-04T21:30")
    alice_client.force_login(alice)
    lost = ImportJob.objects.create(user=alice, state="checking", entries=100, checked=50)
    clock.at("2026-12-04T21:40")
    assert (
        "Checking the file" in alice_client.get(reverse("my_data")).content.decode()
    )  # 10 minutes: going on
    clock.at("2026-12-04T21:46")
    page = alice_client.get(reverse("my_data")).content.decode()
    assert "stopped before the end, so nothing from it was kept" in page
    lost.refresh_from_db()
    assert lost.state == ImportJob.State.FAILED
    assert alice_client.post(reverse("my_data"), upload(bobs_export)).status_code == 302
    assert ImportJob.objects.filter(user=alice, state="waiting").count() == 1


def test_asking_how_a_running_import_goes_writes_nothing(alice_client, alice):
    """The page asks every two seconds; on SQLite a write would wait on the import it shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ImportJob.objects.create(user=alice, state="writing", entries=10, checked=10)
    headers = {"HX-Request": "true", "HX-Target": "import-job"}
    with CaptureQueriesContext(connection) as captured:
        assert "Adding your entries" in alice_client.get(reverse("my_data"), headers=headers).content.decode()
    writes = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
