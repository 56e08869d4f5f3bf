"""The reminders' clock on Django's tasks framework, which has no periodic scheduler of its own.

`tick` runs once a minute: it first enqueues the next tick (run_after the next whole minute), so an error in
sending never stops the clock, then claims what is due and queues the claims in batches (`send_reminders`), so every
worker takes a share of a busy minute (sending.py). `start()` (the `start_reminders` command, run by `make run`
and `make serve` before the worker) enqueues a tick unless one is already waiting, so running it on every server at
every start is safe. If two chains of ticks ever run (two servers starting at the same moment), the next tick of
one finds the other's waiting and ends its chain; the claim record keeps every reminder single meanwhile.

`send_sample` is the settings page's "Send a sample reminder now", queued so no push is made inside a request.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

from tracker.reminders.sending import batches, claim_due, send_batch, send_test

log = logging.getLogger(__name__)


@task()
def tick() -> int:
    """The number of reminders claimed, each queued in a batch."""
    start()
    claims = claim_due(timezone.now())
    for batch in batches(claims):
        send_reminders.enqueue(batch)
    return len(claims)


@task()
def send_reminders(claim_ids: list[int]) -> int:
    """One batch of the reminders a tick claimed; the number sent."""
    return send_batch(claim_ids)


@task()
def send_sample(user_id: int) -> int:
    """The settings page's sample reminder. Its pushes wait on other servers (each at most push.TIMEOUT), so they
    run here, never in the request. Returns how many devices took it; push() logs each one that failed."""
    user = get_user_model().objects.filter(pk=user_id).first()
    return send_test(user) if user is not None else 0  # None: the account was deleted since


def waiting_ticks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=tick.module_path)


def last_tick() -> datetime | None:
    """When a worker last finished a tick (sent or failed): the worker's heartbeat, read by `worker_status`."""
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.finished().filter(task_path=tick.module_path)
    return finished.order_by("-finished_at").values_list("finished_at", flat=True).first()


def start(now: datetime | None = None) -> datetime | None:
    """Enqueue the next tick for the next whole minute, unless one is waiting; when it will run, or None if the
    clock was already going or the task backend can't run tasks later (the tests' immediate backend)."""
    if not tick.get_backend().supports_defer:
        return None
    now = now or timezone.now()
    at = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    with transaction.atomic():
        if waiting_ticks().exists():
            return None
        tick.using(run_after=at).enqueue()
    return at
