import logging
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.accounts.throttle import WINDOW
from tracker.models import RateLimitHit, ShareLink

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Remove share links that stopped working (expired or revoked) more than 30 days ago, expired sessions "
        "and rate-limit counts past their hour. Safe to run at any time, for example daily from cron."
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
        RateLimitHit.objects.filter(at__lt=now - WINDOW).delete()  # counted only within their window
        log.info("pruned %d share links and %d expired sessions", links, sessions)
        self.stdout.write(f"Removed {links} old share links and {sessions} expired sessions.")
