"""manage.py prune: share links that stopped working over 30 days ago and expired sessions go; nothing else does."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from tracker.models import Drink, ImportJob, RateLimitHit, ReminderSent, ShareLink
from tracker.summary.share_links import hash_token

pytestmark = pytest.mark.django_db


def link(user, name: str, expires_days: int, revoked_days: int | None = None) -> ShareLink:
    now = timezone.now()
    return ShareLink.objects.create(
        user=user,
        token_hash=hash_token(name),
        first=now.date() - timedelta(days=28),
        last=now.date(),
        expires_at=now + timedelta(days=expires_days),
        revoked_at=None if revoked_days is None else now + timedelta(days=revoked_days),
    )


def session(expires_days: int) -> str:
    store = SessionStore()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + timedelta(days=expires_days)
    )
    return store.session_key


def test_it_removes_links_stopped_over_30_days_ago_and_expired_sessions(alice, bob):
    link(alice, "working", expires_days=5)
    link(alice, "expired-last-week", expires_days=-7)
    link(bob, "expired-29-days-ago", expires_days=-29)
    link(alice, "expired-31-days-ago", expires_days=-31)
    link(bob, "revoked-40-days-ago", expires_days=10, revoked_days=-40)
    link(alice, "revoked-yesterday", expires_days=-60 + 59, revoked_days=-1)
    live, gone = session(5), session(-1)
    RateLimitHit.objects.create(scope="signup", key="old", at=timezone.now() - timedelta(hours=2))
    RateLimitHit.objects.create(scope="signup", key="recent", at=timezone.now() - timedelta(minutes=5))
    # Confirmation links are counted over a day: a count from this morning must outlive an hourly prune.
    RateLimitHit.objects.create(scope="confirm-address", key="today", at=timezone.now() - timedelta(hours=20))
    RateLimitHit.objects.create(
        scope="confirm-address", key="yesterday", at=timezone.now() - timedelta(hours=25)
    )
    out = StringIO()
    call_command("prune", stdout=out)
    assert set(RateLimitHit.objects.values_list("key", flat=True)) == {"recent", "today"}
    kept = set(ShareLink.objects.values_list("token_hash", flat=True))
    assert kept == {
        hash_token(name)
        for name in ("working", "expired-last-week", "expired-29-days-ago", "revoked-yesterday")
    }
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert gone != live
    assert "Removed 2 old share links and 1 expired sessions." in out.getvalue()


def test_it_takes_another_number_of_days(alice):
    link(alice, "expired-last-week", expires_days=-7)
    call_command("prune", "--days", "3", stdout=StringIO())
    assert not ShareLink.objects.exists()


def test_it_refuses_a_negative_number_of_days(alice):
    link(alice, "expired-last-week", expires_days=-7)
    with pytest.raises(CommandError):
        call_command("prune", "--days", "-1", stdout=StringIO())
    assert ShareLink.objects.count() == 1


def test_it_removes_tasks_finished_over_a_day_ago_and_keeps_the_waiting_tick(settings):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tracker.reminders.tasks import waiting_ticks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("start_reminders")
    [waiting] = waiting_ticks()
    old = DBTaskResult.objects.create(
        task_path=waiting.task_path,
        args_kwargs=waiting.args_kwargs,
        status=TaskResultStatus.SUCCESSFUL,
        backend_name=waiting.backend_name,
        queue_name=waiting.queue_name,
        enqueued_at=timezone.now() - timedelta(days=2),
        started_at=timezone.now() - timedelta(days=2),
        finished_at=timezone.now() - timedelta(days=2),
    )
    recent = DBTaskResult.objects.create(
        task_path=waiting.task_path,
        args_kwargs=waiting.args_kwargs,
        status=TaskResultStatus.SUCCESSFUL,
        backend_name=waiting.backend_name,
        queue_name=waiting.queue_name,
        enqueued_at=timezone.now() - timedelta(hours=2),
        started_at=timezone.now() - timedelta(hours=2),
        finished_at=timezone.now() - timedelta(hours=2),
    )
    call_command("prune", stdout=StringIO())
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()


def test_it_removes_reminder_claims_over_a_week_old(alice, clock):
    clock.at("2026-12-04T08:00")
    now = timezone.now()
    for days_ago in (0, 6, 8, 30):
        ReminderSent.objects.create(
            user=alice,
            kind="morning",
            for_date=now.date() - timedelta(days=days_ago + 1),
            sent_at=now - timedelta(days=days_ago),
        )
    call_command("prune", stdout=StringIO())
    kept = sorted((now - sent).days for sent in ReminderSent.objects.values_list("sent_at", flat=True))
    assert kept == [0, 6]  # tonight's and last week's claims still stop a second send


def test_a_failed_import_left_hidden_is_removed_with_its_job_never_shown(alice, clock):
    clock.at("2026-12-04T08:00")
    now = timezone.now()
    failed = ImportJob.objects.create(
        user=alice, state=ImportJob.State.FAILED, finished_at=now - timedelta(days=2)
    )
    done = ImportJob.objects.create(
        user=alice, state=ImportJob.State.DONE, finished_at=now - timedelta(days=2)
    )
    for job, ml in ((failed, 111), (done, 222)):
        Drink.objects.create(user=alice, at=now - timedelta(days=3), amount_ml=ml, import_job=job)
    assert list(Drink.objects.values_list("amount_ml", flat=True)) == [
        222
    ]  # the failed job's drink is hidden
    call_command("prune", stdout=StringIO())
    assert not ImportJob.objects.exists()
    assert list(Drink._base_manager.values_list("amount_ml", flat=True)) == [222]  # removed, not shown
