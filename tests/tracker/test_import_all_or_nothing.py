"""An import writes in short transactions, so nobody waits on it, and keeps "all or nothing": what a job writes is
hidden until it is done writing, and a job that fails or is killed leaves no rows."""

import json
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tracker.data import export, imports
from tracker.data.import_jobs import run_import
from tracker.models import Drink, ImportJob


def drinks_file(user, count: int) -> bytes:
    """The person's own export with `count` drinks, a minute apart."""
    start = timezone.now() - timedelta(days=100)
    exported = export.export_data(user)
    exported["drinks"] = [
        {
            "uuid": str(uuid.uuid4()),
            "at": (start + timedelta(minutes=n)).isoformat(),
            "amount_ml": 250,
            "kind": "water",
        }
        for n in range(count)
    ]
    return json.dumps(exported).encode()


class Killed(BaseException):
    """What a SIGKILL does to the worker: nothing after it runs, no `except Exception` catches it."""


def breaking_on_the_second_batch(monkeypatch, alice, error: BaseException) -> list[int]:
    """The second batch of drinks fails with `error`; the first is written (committed) by then."""
    insert_many = imports.insert_many
    seen: list[int] = []

    def second_fails(model, rows, fixed, now):
        if model is Drink and seen:
            # The first batch is in the database, and nobody's diary shows it.
            seen.append(Drink._base_manager.filter(user=alice).count())
            assert not Drink.objects.filter(user=alice).exists()
            raise error
        seen.append(insert_many(model, rows, fixed, now))
        return seen[-1]

    monkeypatch.setattr(imports, "insert_many", second_fails)
    return seen


@pytest.mark.django_db
def test_a_job_that_fails_half_way_leaves_no_rows(alice, monkeypatch):
    job = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 5000))
    seen = breaking_on_the_second_batch(monkeypatch, alice, RuntimeError("the disk is full"))
    assert run_import.call(job.pk) == ImportJob.State.FAILED
    assert seen == [imports.WRITE_BATCH, imports.WRITE_BATCH]  # one batch was written before it failed
    assert not Drink._base_manager.filter(user=alice).exists()


@pytest.mark.django_db
def test_a_job_given_up_after_its_worker_was_killed_leaves_no_rows(alice_client, alice, monkeypatch, clock):
    clock.at("2026-12-04T21:30")
    alice_client.force_login(alice)
    job = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 5000))
    breaking_on_the_second_batch(monkeypatch, alice, Killed())
    with pytest.raises(Killed):
        run_import.call(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.WRITING and job.written == imports.WRITE_BATCH
    assert Drink._base_manager.filter(user=alice).count() == imports.WRITE_BATCH
    page = alice_client.get(reverse("my_data")).content.decode()
    assert "Adding your entries" in page and f"{imports.WRITE_BATCH:,} of 5,000 entries added" in page
    assert not Drink.objects.filter(user=alice).exists()  # hidden from every page

    clock.shift(minutes=16)  # nothing heard for 15 minutes: given up, and what it wrote removed
    page = alice_client.get(reverse("my_data")).content.decode()
    assert "stopped before the end, so nothing from it was kept" in page
    assert not Drink._base_manager.filter(user=alice).exists()


@pytest.mark.django_db
def test_a_job_killed_while_counting_the_days_is_done_with_everything_kept(
    alice_client, alice, monkeypatch, clock
):
    """Its last short transaction had shown every entry: given up, it is done, and the next page counts the days."""
    from tracker.data import import_jobs

    clock.at("2026-12-04T21:30")
    alice_client.force_login(alice)
    job = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 1200))

    def killed(user):
        raise Killed

    monkeypatch.setattr(import_jobs.day_totals, "make_current", killed)
    with pytest.raises(Killed):
        run_import.call(job.pk)
    monkeypatch.undo()
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.COUNTING
    assert Drink.objects.filter(user=alice).count() == 1200
    clock.shift(minutes=16)
    page = alice_client.get(reverse("my_data")).content.decode()
    assert "Imported 1200 drinks." in page
    assert Drink._base_manager.filter(user=alice).count() == Drink.objects.filter(user=alice).count() == 1200


@pytest.mark.django_db
def test_the_next_import_removes_what_a_killed_job_left(alice, monkeypatch):
    """Should the removal never run (the worker down when the job was given up), the next import does it."""
    first = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 3000))
    breaking_on_the_second_batch(monkeypatch, alice, Killed())
    with pytest.raises(Killed):
        run_import.call(first.pk)
    ImportJob.objects.filter(pk=first.pk).update(state=ImportJob.State.FAILED)
    monkeypatch.undo()
    again = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 10))
    assert run_import.call(again.pk) == ImportJob.State.DONE
    assert Drink._base_manager.filter(user=alice).count() == Drink.objects.filter(user=alice).count() == 10


@pytest.mark.django_db
def test_what_a_failed_job_left_is_removed_before_the_job_is_pruned(alice, bob, monkeypatch):
    """Once its job is deleted, a hidden entry would show: prune removes what failed jobs left first."""
    from tracker.data.import_jobs import remove_left_entries

    job = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 3000))
    breaking_on_the_second_batch(monkeypatch, alice, Killed())
    with pytest.raises(Killed):
        run_import.call(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.FAILED
    )  # given up; its removal never ran
    monkeypatch.undo()
    done = ImportJob.objects.create(user=bob, upload=drinks_file(bob, 10))
    run_import.call(done.pk)
    assert remove_left_entries(ImportJob.objects.all()) == imports.WRITE_BATCH
    ImportJob.objects.all().delete()
    assert not Drink._base_manager.filter(user=alice).exists()
    assert Drink.objects.filter(user=bob).count() == 10  # a done job's entries stay


@pytest.mark.django_db(transaction=True)
def test_another_persons_log_in_and_save_answer_while_an_import_writes(alice, bob):
    """On SQLite a writer waits for the one before it. The import's transactions are a batch each, so bob, who
    waits at most a second here (production waits 20), logs in and saves a drink without an error; the import
    used to hold the database for its whole writing."""
    job = ImportJob.objects.create(user=alice, upload=drinks_file(alice, 100_000))
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            run_import.call(job.pk)
        except BaseException as error:  # noqa: BLE001  reported by the test below
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    options = connection.settings_dict["OPTIONS"]
    waited = options.get("timeout")
    try:
        while ImportJob.objects.get(pk=job.pk).state in (ImportJob.State.WAITING, ImportJob.State.CHECKING):
            assert thread.is_alive(), failures
            time.sleep(0.05)
        time.sleep(0.2)  # well into the writing
        if connection.vendor == "sqlite":
            options["timeout"] = 1
            connection.close()  # reconnects waiting at most a second for the database
        bobs = Client()
        response = bobs.post(reverse("login"), {"username": "bob", "password": PASSWORD})
        assert response.status_code == 302
        data = {"uuid": str(uuid.uuid4()), "amount": "250", "kind": "water"}
        assert bobs.post(reverse("entry_create", args=["drink"]), data).status_code == 302
        assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.WRITING  # all while it wrote
    finally:
        if waited is not None:
            options["timeout"] = waited
        thread.join()
    assert not failures
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.DONE
    assert Drink.objects.filter(user=alice).count() == 100_000
    assert Drink.objects.filter(user=bob).count() == 1
