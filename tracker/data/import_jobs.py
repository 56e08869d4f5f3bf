"""Imports run by the background worker, never inside a request: the upload is kept in an ImportJob, the worker
reads, checks and writes it (tracker/data/imports.py) and notes how far it has got, and the page shows that as a
progress bar until the result (All my data, tracker/data/views.py). One job at a time per person.

The writing is many short transactions, so another person's log-in or save never waits on an import for more than
one batch. All or nothing still holds: each entry written is tagged with its job, and entries of a job that is not
done writing are hidden (tracker.models.EntryManager). The last short transaction shows them all at once. A job
that fails, or is given up after its worker was killed, leaves only hidden entries, and they are removed, a batch
at a time, by the worker."""

import logging
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django_tasks import task

from tracker.app import l10n
from tracker.data import imports
from tracker.data.columns import SECTIONS
from tracker.data.problems import Rejected
from tracker.entries import day_totals
from tracker.models import ImportJob, Meal

log = logging.getLogger(__name__)
State = ImportJob.State
# A running job that reported nothing for this long was lost (its worker killed mid-way; what it wrote is hidden):
# it is marked failed, its entries are removed, and the person can import again. The check reports every 1,000
# entries (at most once a second) and the writing every 500: well under a minute apart.
STALLED_AFTER = timedelta(minutes=15)
REMOVE_BATCH = 2000
# The check reports every 1,000 entries; the job's row is written at most this often, as each write takes the
# database's write lock (on SQLite, the one every other writer waits for).
REPORT_EVERY = timedelta(seconds=1)


def give_up_if_stalled(job: ImportJob | None) -> ImportJob | None:
    """The job, marked failed if it stalled, its entries then removed by the worker; one that stalled counting the
    days had written everything, so it is done (the next page recounts the days). Read first and written only
    then: the page asks every two seconds, and a write there would wait on the very import it is showing."""
    if job is not None and job.running and job.changed_at < timezone.now() - STALLED_AFTER:
        log.warning("import job %s stalled in %s: given up", job.pk, job.state)
        if job.state == State.COUNTING:
            _update(job, state=State.DONE, upload=b"", finished_at=timezone.now())
        else:
            _update(job, state=State.FAILED, upload=b"", finished_at=timezone.now())
            remove_entries.enqueue(job.pk)
    return job


def start(user, raw: bytes) -> ImportJob | None:
    """Keep the upload and queue its job, to be told in the language of the page that started it; None when the
    person already has one running."""
    give_up_if_stalled(
        ImportJob.objects.filter(user=user, state__in=ImportJob.RUNNING).defer("upload").first()
    )
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(user=user, upload=raw, size=len(raw))
    except IntegrityError:  # importjob_one_running_per_user
        return None
    run_import.enqueue(job.pk, translation.get_language())
    return job


def latest(user) -> ImportJob | None:
    """The person's latest job, without its upload."""
    return give_up_if_stalled(ImportJob.objects.filter(user=user).defer("upload").first())


def _update(job: ImportJob, **fields) -> None:
    fields["changed_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _report(job: ImportJob, **fields) -> None:
    """`_update` for progress only: skipped if the job's row was written less than REPORT_EVERY ago."""
    if timezone.now() - job.changed_at >= REPORT_EVERY:
        _update(job, **fields)


def _remove(user_id: int, job_ids: list[int]) -> int:
    """Delete the entries these jobs wrote (hidden, as the jobs failed), a short transaction a batch at a time;
    how many. Straight DELETEs: no signals, as the entries were never part of the diary."""
    removed = 0
    for model in (section.model for section in SECTIONS):
        rows = model._base_manager.filter(user_id=user_id, import_job__in=job_ids)
        while ids := list(rows.values_list("pk", flat=True)[:REMOVE_BATCH]):
            with transaction.atomic():
                if model is Meal:
                    Meal.foods.through.objects.filter(meal_id__in=ids)._raw_delete(connection.alias)
                removed += model._base_manager.filter(pk__in=ids)._raw_delete(connection.alias)
    return removed


def remove_left_entries(jobs) -> int:
    """Remove whatever the failed jobs among `jobs` still left (their removal killed too), before the jobs are
    deleted: once its job is gone, a hidden entry would show. `manage.py prune` calls it."""
    removed = 0
    for job_id, user_id in jobs.filter(state=State.FAILED).values_list("pk", "user_id"):
        removed += _remove(user_id, [job_id])
    return removed


@task()
def remove_entries(job_id: int) -> int:
    """Remove what a failed job wrote; how many entries."""
    job = ImportJob.objects.filter(pk=job_id, state=State.FAILED).defer("upload").first()
    if job is None:
        return 0
    removed = _remove(job.user_id, [job.pk])
    log.info("import job %s: %d hidden entries removed", job.pk, removed)
    return removed


@task()
def run_import(job_id: int, language: str | None = None) -> str:
    """Read, check and write one job's file; its state at the end. The problems it finds are kept with the job as
    words, in `language` (the page's that started it), else in the person's own."""
    job = ImportJob.objects.filter(pk=job_id, state=State.WAITING).select_related("user__profile").first()
    if job is None:
        return "not waiting"  # taken already, or the account was deleted
    with l10n.in_language(l10n.language_or_none(language) or l10n.person_language(job.user.profile)):
        return _run(job)


def _run(job: ImportJob) -> str:
    # One copy of the file in memory, read as a stream. The row lets go of it at once: SQLite writes a row whole,
    # so each progress report would otherwise write the whole file again (and other writers wait for that).
    raw, job.upload = bytes(job.upload), b""
    _update(job, state=State.CHECKING, upload=b"")
    # Whatever earlier failed jobs of the person left (if their removal never ran) goes first: it would stand in
    # the way of the same entries now.
    failed = list(ImportJob.objects.filter(user=job.user, state=State.FAILED).values_list("pk", flat=True))
    if failed:
        _remove(job.user_id, failed)
    try:
        imports.import_data(
            job.user,
            raw,
            progress=lambda checked, read: _report(job, checked=checked, read=read),
            writing=lambda entries: _update(job, state=State.WRITING, checked=entries, entries=entries),
            job_id=job.pk,
            wrote=lambda done: _update(job, written=done),  # a batch apart
            done_writing=lambda result: _update(
                job,
                state=State.COUNTING,
                written=job.entries,
                result={"added": result.added, "already": result.already},
            ),
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
        _update(job, state=State.FAILED)  # its entries are hidden from now on
        _remove(job.user_id, [job.pk])
    else:
        try:
            job.user.refresh_from_db()  # the profile the import wrote, with the key its day totals are counted under
            day_totals.make_current(
                job.user
            )  # recounted here, so the first page after the import doesn't wait
        except Exception:  # everything is written: the next page recounts the days instead
            log.exception("import job %s: the day totals were not recounted", job.pk)
        _update(job, state=State.DONE)
    _update(job, upload=b"", finished_at=timezone.now())
    return job.state
