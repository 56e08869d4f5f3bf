"""How often a person may ask for "Send a sample reminder now". Each ask queues a task (tasks.send_sample), so a
person tapping again and again would pile tasks up in front of everyone's reminders: at most one sample waits for
the worker per person, asks are at least SAMPLE_GAP apart, and there are at most SAMPLES_PER_HOUR in an hour.

The asks are counted as RateLimitHit rows under their own scope (keyed by a hash of the account's id, like the
sign-up and reset limits), so every app server sees the same count; `manage.py prune` removes them after a day."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_tasks.base import TaskResultStatus

from tracker.accounts.throttle import hashed_key
from tracker.app import l10n
from tracker.models import RateLimitHit, ReminderSettings
from tracker.reminders.tasks import send_sample

SCOPE = "reminder-sample"
SAMPLE_GAP = timedelta(minutes=1)
SAMPLES_PER_HOUR = 5
HOUR = timedelta(hours=1)


def waiting(user_id: int) -> bool:
    """A sample for this person that the worker has not finished (queued or being sent)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=send_sample.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__args__0=user_id,
    ).exists()


def refusal(user, now: datetime) -> str:
    """Why this ask is refused, in words, or "" when it may go ahead."""
    if waiting(user.pk):
        return gettext(
            "A sample reminder is already on its way. It should arrive within a minute: there is no need to ask "
            "again."
        )
    key = hashed_key(SCOPE, str(user.pk))
    asks = list(
        RateLimitHit.objects.filter(scope=SCOPE, key=key, at__gt=now - HOUR)
        .order_by("-at")
        .values_list("at", flat=True)
    )
    if asks and now - asks[0] < SAMPLE_GAP:
        return gettext(
            "A sample was sent a moment ago. Wait a minute for it to arrive, then try again if you need to."
        )
    if len(asks) >= SAMPLES_PER_HOUR:
        again = (asks[SAMPLES_PER_HOUR - 1] + HOUR).astimezone(user.profile.zone)
        return ngettext(
            "You have asked for %(count)s sample in the last hour, the most there can be. "
            "You can ask again from %(time)s.",
            "You have asked for %(count)s samples in the last hour, the most there can be. "
            "You can ask again from %(time)s.",
            SAMPLES_PER_HOUR,
        ) % {"count": SAMPLES_PER_HOUR, "time": l10n.clock(again)}
    return ""


def ask_for_sample(user) -> str:
    """Queue a sample for `user` unless refused; the refusal in words, or "" when it was queued. The person's
    reminder settings row is locked meanwhile, so two taps at once queue one sample."""
    now = timezone.now()
    with transaction.atomic():
        ReminderSettings.objects.select_for_update().filter(user=user).first()
        refused = refusal(user, now)
        if refused:
            return refused
        RateLimitHit.objects.create(scope=SCOPE, key=hashed_key(SCOPE, str(user.pk)), at=now)
        send_sample.enqueue(user.pk)
    return ""
