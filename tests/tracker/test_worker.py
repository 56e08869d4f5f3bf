"""The background worker stays up: a task that raises is recorded as failed and the next one runs; a database
locked by another writer (a long import on SQLite) while the worker claims a task or records a result pauses the
worker, and it carries on when the lock is gone. `worker_status` says when the reminders' tick last ran.

The worker runs in the test's thread with --batch (it ends once the queue is empty). A second SQLite connection
holds the write lock, as a long import does, and the worker's busy timeout is cut from 20 s to 0.1 s so the lock
is felt at once."""

import signal
import sqlite3
import threading
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tracker.management.commands.run_worker import SupervisedWorker
from tracker.reminders.tasks import tick

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
done: list[str] = []


@task()
def note(word: str) -> str:
    done.append(word)
    return word


@task()
def fails() -> None:
    raise RuntimeError("this task always fails")


@task()
def fails_while_the_database_is_locked() -> None:
    """Fails while another writer holds the lock, so the worker can't record the failure at once."""
    hold_write_lock(seconds=1.0)
    raise RuntimeError("failed during a long import")


def hold_write_lock(seconds: float) -> threading.Event:
    """Another connection takes SQLite's write lock now and keeps it `seconds` (in a thread), like a long import."""
    taken = threading.Event()

    def hold():
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        threading.Event().wait(seconds)
        other.execute("ROLLBACK")
        other.close()

    threading.Thread(target=hold, daemon=True).start()
    assert taken.wait(5)
    return taken


@pytest.fixture(autouse=True)
def queue(settings, monkeypatch):
    monkeypatch.setattr(SupervisedWorker, "first_pause", 0.05)
    if connection.vendor != "sqlite":
        pytest.skip("the locks here are SQLite's")
    settings.TASKS = QUEUE
    done.clear()


@contextmanager
def short_busy_timeout():
    options = connection.settings_dict["OPTIONS"]
    before = options.get("timeout")
    options["timeout"] = 0.1
    connection.close()
    try:
        yield
    finally:
        options["timeout"] = before
        connection.close()


def run_worker() -> None:
    """The worker until the queue is empty."""
    worker = SupervisedWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run()


def status(result) -> str:
    return DBTaskResult.objects.get(pk=result.id).status


def test_a_task_that_raises_is_recorded_as_failed_and_the_next_one_runs():
    failing = fails.enqueue()
    after = note.enqueue("after")
    run_worker()
    assert status(failing) == TaskResultStatus.FAILED
    assert "this task always fails" in DBTaskResult.objects.get(pk=failing.id).traceback
    assert status(after) == TaskResultStatus.SUCCESSFUL
    assert done == ["after"]


def test_the_worker_waits_out_a_locked_database_while_claiming_a_task():
    waiting = note.enqueue("after the lock")
    with short_busy_timeout():
        hold_write_lock(seconds=1.0)
        run_worker()
    assert status(waiting) == TaskResultStatus.SUCCESSFUL
    assert done == ["after the lock"]


def test_a_failure_that_cant_be_recorded_at_once_is_recorded_when_the_lock_is_gone():
    failing = fails_while_the_database_is_locked.enqueue()
    after = note.enqueue("after")
    with short_busy_timeout():
        run_worker()
    assert status(failing) == TaskResultStatus.FAILED
    assert "failed during a long import" in DBTaskResult.objects.get(pk=failing.id).traceback
    assert status(after) == TaskResultStatus.SUCCESSFUL


@pytest.fixture
def signals_kept():
    """The command sets SIGINT and SIGTERM handlers, as db_worker does; the test process gets its own back."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


def test_run_worker_runs_the_queue(signals_kept):
    waiting = note.enqueue("by the command")
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0", verbosity=0)
    assert status(waiting) == TaskResultStatus.SUCCESSFUL


# worker_status -----------------------------------------------------------------------------------------------------


def test_worker_status_says_when_the_tick_last_ran_and_fails_when_that_was_long_ago(clock):
    clock.at("2026-12-04T21:30", tick=False)
    with pytest.raises(CommandError, match="never run"):
        call_command("worker_status")
    tick.enqueue()
    run_worker()
    out = StringIO()
    call_command("worker_status", stdout=out)
    assert "last ran at 2026-12-04 21:30 UTC, 0 min ago" in out.getvalue()
    assert "Tasks waiting for a worker: 0." in out.getvalue()  # the next tick waits for 21:31
    clock.at("2026-12-04T21:35", tick=False)
    call_command("worker_status", stdout=StringIO())  # 5 minutes: still fine
    clock.at("2026-12-04T21:36", tick=False)
    with pytest.raises(CommandError, match="worker is down"):
        call_command("worker_status", stdout=StringIO())
