from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tracker.reminders.tasks import last_tick, waiting_ticks


class Command(BaseCommand):
    help = (
        "Say when the background worker last ran the reminders' once-a-minute tick, and how many tasks wait for "
        "it. Exits with status 1 if the tick is older than --minutes (5), so a monitor or cron can alert."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=int, default=5, help="Older than this, the worker counts as down (5)."
        )

    def handle(self, *args, minutes: int, **options):
        now = timezone.now()
        waiting = DBTaskResult.objects.ready().count()
        self.stdout.write(f"Tasks waiting for a worker: {waiting}.")
        last = last_tick()
        if last is None:
            raise CommandError(
                "The reminders' tick has never run. Start the clock (manage.py start_reminders) and a worker "
                "(manage.py run_worker)."
            )
        ago = int((now - last).total_seconds() // 60)
        self.stdout.write(f"The reminders' tick last ran at {last:%Y-%m-%d %H:%M} UTC, {ago} min ago.")
        if now - last > timedelta(minutes=minutes):
            hint = (
                ""
                if waiting_ticks().exists()
                else " No tick is waiting either: run manage.py start_reminders."
            )
            raise CommandError(
                f"No tick for over {minutes} min: the worker is down or stuck. Start manage.py run_worker.{hint}"
            )
