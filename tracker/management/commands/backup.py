from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.data import backups


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the whole database while the app keeps running: SQLite's online backup API, "
        "or pg_dump's custom format on PostgreSQL. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the file to write (default: backups/crampdiary-<time>)")

    def handle(self, *args, path=None, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        target = Path(path) if path else backups.new_path(Path("backups"), "crampdiary", stamp)
        try:
            done = backups.backup(target)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {done.rows} rows in {done.tables} tables to {done.path}.")
        )
