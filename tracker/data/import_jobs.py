"""Imports run by the background worker, never inside a request: the upload is kept in an ImportJob, the worker
reads, checks and writes it (tracker/data/imports.py) and notes how far it has got, and the page shows that as a
progress bar until the result (All my data, tracker/data/views.py). One job at a time per person.

The check reports its progress as it goes; the writing is one transaction, so nothing of a failed or stopped import
is kept, and the page says "Adding your entries" without a count until it ends."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from tracker.data import imports
from tracker.data.problems import Rejected
from tracker.entries import day_totals
from tracker.models import ImportJob

log = logging.getLogger(__name__)
State = ImportJob.State
# A running job that reported nothing for this long was lost (its worker killed mid-way; the writing's transaction
# then kept nothing): it is marked failed, so the person can import again. The longest step, the writing of a
# 20-year diary, takes under a minute.
STALLED_AFTER = timedelta(minutes=15)


def give_up_if_stalled(job: ImportJob | None) -> ImportJob | None:
    """The job, marked failed if it stalled. Read first and written only then: the page asks every two seconds, and
    on SQLite a write would wait on the very import it is showing."""
    if job is not None and job.running and job.changed_at < timezone.now() - STALLED_AFTER:
        log.warning("import job %s stalled in %s: given up", job.pk, job.state)
        _update(job, state=State.FAILED, upload=b"", finished_at=timezone.now())
    return job


def start(user, raw: bytes) -> ImportJob | None:
    """Keep the upload and queue its job; None when the person already has one running."""
    give_up_if_stalled(
        ImportJob.objects.filter(user=user, state__in=ImportJob.RUNNING).defer("upload").first()
    )
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(user=user, upload=raw, size=len(raw))
    except IntegrityError:  # importjob_one_running_per_user
        return None
    run_import.enqueue(job.pk)
    return job


def latest(user) -> ImportJob | None:
    """The person's latest job, without its upload."""
    return give_up_if_stalled(ImportJob.objects.filter(user=user).defer("upload").first())


def _update(job: ImportJob, **fields) -> None:
    fields["changed_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


@task()
def run_import(job_id: int) -> str:
    """Read, check and write one job's file; its state at the end."""
    job = ImportJob.objects.filter(pk=job_id, state=State.WAITING).select_related("user").first()
    if job is None:
        return "not waiting"  # taken already, or the account was deleted
    _update(job, state=State.CHECKING)
    raw, job.upload = bytes(job.upload), b""  # one copy of the file in memory, read as a stream
    try:
        result = imports.import_data(
            job.user,
            raw,
            progress=lambda checked, read: _update(job, checked=checked),
            writing=lambda entries: _update(job, state=State.WRITING, checked=entries, entries=entries),
        )
    except Rejected as rejected:
        _update(
            job,
            state=State.REFUSED,
            problems=rejected.problems[: imports.MAX_PROBLEMS_SHOWN],
            problem_count=len(rejected.problems),
            stopped=rejected.stopped,
        )
    except Exception:
        log.exception("import job %s failed", job.pk)
        _update(job, state=State.FAILED)
    else:
        job.user.refresh_from_db()  # the profile the import wrote, with the key its day totals were counted under
        day_totals.make_current(job.user)  # recounted here, so the first page after the import doesn't wait
        _update(job, state=State.DONE, result={"added": result.added, "already": result.already})
    _update(job, upload=b"", finished_at=timezone.now())
    return job.state
