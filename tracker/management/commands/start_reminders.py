from django.core.management.base import BaseCommand

from tracker.reminders.tasks import start, waiting_ticks


class Command(BaseCommand):
    help = (
        "Start the reminders' once-a-minute tick on the task queue, unless it is already going. Safe to run on "
        "every server at every start; `manage.py run_worker` runs the ticks."
    )

    def handle(self, *args, **options):
        at = start()
        if at is not None:
            self.stdout.write(f"Reminders: the first tick runs at {at:%H:%M} UTC.")
        elif waiting_ticks().exists():
            self.stdout.write("Reminders: the tick is already waiting on the queue.")
        else:
            self.stdout.write("Reminders: this task backend runs nothing later; no tick was queued.")
