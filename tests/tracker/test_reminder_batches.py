"""Reminders in a busy minute: the tick claims what is due in a fixed number of queries and queues it in batches, one
task each, so every worker takes a share; a batch pushes several at once, and a push service that never answers
holds only its own devices, for a few timeouts, never the rest."""

import socket
import time as clock_time
from datetime import UTC, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import push_service
from tests.conftest import make_person
from tracker.models import PushSubscription, ReminderSent, ReminderSettings
from tracker.reminders import push, sending, tasks

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def service(settings):
    found, server = push_service.start()
    settings.PUSH_SERVICES = ["127.0.0.1"]
    yield found
    server.shutdown()
    server.server_close()


def person_with_device(n: int, endpoint: str, subscription: push_service.Subscription) -> None:
    person = make_person(f"sleeper{n}", "Europe/London")
    ReminderSettings.objects.create(
        user=person, morning_on=True, morning_at=time(8, 0), changed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    PushSubscription.objects.create(
        user=person,
        endpoint=endpoint,
        p256dh=subscription.p256dh,
        auth=push_service.b64encode(subscription.auth),
    )


def test_a_busy_minute_is_claimed_at_once_and_queued_in_batches_for_every_worker(
    settings, service, clock, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(sending, "BATCH", 4)
    for n in range(10):
        subscription = service.subscribe()
        person_with_device(n, subscription.endpoint, subscription)
    clock.at("2026-12-04T08:00:05", tick=False)
    with CaptureQueriesContext(connection) as claiming:
        claims = sending.claim_due(clock.now)
    assert len(claims) == 10 and len(claiming) <= 4  # settings, what was sent, the claims, and which are ours
    for claim_ids in sending.batches(claims):
        tasks.send_reminders.enqueue(claim_ids)

    from django_tasks_db.models import DBTaskResult

    queued = list(DBTaskResult.objects.ready().filter(task_path=tasks.send_reminders.module_path))
    assert sorted(len(result.args_kwargs["args"][0]) for result in queued) == [2, 4, 4]
    assert service.received == []  # nothing is pushed by the tick
    for result in queued:  # each batch is any worker's
        with CaptureQueriesContext(connection) as batch_queries:
            result.task.call(*result.args_kwargs["args"])
        assert len(batch_queries) <= 12  # a batch's queries do not grow with its size
    assert len(service.received) == 10 and service.refused == []
    assert ReminderSent.objects.filter(pushed=1).count() == 10


def test_a_tick_claims_and_queues_nothing_twice(settings, service, clock):
    settings.TASKS = DATABASE_TASKS
    subscription = service.subscribe()
    person_with_device(1, subscription.endpoint, subscription)
    clock.at("2026-12-04T08:00:05", tick=False)
    assert tasks.tick.call() == 1
    clock.at("2026-12-04T08:01:05", tick=False)  # the next minute, the batch still waiting for a worker
    assert tasks.tick.call() == 0
    assert ReminderSent.objects.count() == 1


def test_a_push_service_that_never_answers_holds_only_its_own_devices(service, clock, monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    silent = f"http://127.0.0.1:{listener.getsockname()[1]}/wpush/v2/"
    try:
        for n in range(12):  # twelve people whose push service takes the connection and never answers
            person_with_device(n, f"{silent}{n}", service.subscribe())
        for n in range(12, 20):
            subscription = service.subscribe()
            person_with_device(n, subscription.endpoint, subscription)
        monkeypatch.setattr(push, "TIMEOUT", (0.5, 0.5))
        clock.at("2026-12-04T08:00:05")
        started = clock_time.monotonic()
        assert sending.send_due(clock.now) == 20
        took = clock_time.monotonic() - started
    finally:
        listener.close()
    assert len(service.received) == 8  # every push to the service that answers arrived
    # Twelve pushes in a row each waiting out its 0.5 s took 6 s; now at most PER_SERVICE wait at once, and after
    # GIVE_UP_AFTER failures the rest of that service's devices are not tried in this batch.
    assert took < 3
    assert ReminderSent.objects.filter(pushed=1).count() == 8
    assert PushSubscription.objects.count() == 20  # no answer is not "gone"
