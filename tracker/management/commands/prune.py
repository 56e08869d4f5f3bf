import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.accounts.throttle import LIMITS, LONGEST_WINDOW
from tracker.data import import_jobs
from tracker.models import ImportJob, RateLimitHit, ReminderSent, ShareLink

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Remove share links that stopped working (expired or revoked) more than 30 days ago, expired sessions, "
        "rate-limit counts past their window, imports that ended over a day ago, reminder claims over a week old, "
        "and background tasks that finished over a day ago (the reminders' minute ticks leave 1,440 a day). Safe to "
        "run at any time, for example daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="Keep links that stopped working within this many days, so their owners still see them listed.",
        )

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        now = timezone.now()
        links, _ = ShareLink.objects.stopped_before(now - timedelta(days=days)).delete()
        sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
        for scope, (_, window) in LIMITS.items():  # counted only within their window
            RateLimitHit.objects.filter(scope=scope, at__lt=now - window).delete()
        RateLimitHit.objects.filter(at__lt=now - LONGEST_WINDOW).delete()  # a scope no longer counted
        ended = ImportJob.objects.filter(finished_at__lt=now - timedelta(days=1))  # a running one has none
        import_jobs.remove_left_entries(
            ended
        )  # what a failed job left hidden would show once its job is gone
        ended.delete()
        # A reminder's claim matters only on its own night or day; a week keeps any late tick from sending twice.
        ReminderSent.objects.filter(sent_at__lt=now - timedelta(days=7)).delete()
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            # Finished tasks only: one still waiting (the next tick) or running is never touched.
            call_command("prune_db_task_results", min_age_days=1, failed_min_age_days=30, verbosity=0)
        log.info("pruned %d share links and %d expired sessions", links, sessions)
        self.stdout.write(f"Removed {links} old share links and {sessions} expired sessions.")
