from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tracker.data import backups


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`. The database as it is now is "
        "first saved beside the backup, so a restore can itself be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to bring back")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="don't ask for confirmation"
        )

    def handle(self, *args, path, interactive=True, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"There is no file at {source}.")
        if interactive:
            answer = input(f"Every row in the database will be replaced by {source}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        if MigrationRecorder(connection).has_table():
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            before = backups.new_path(source.parent, "before-restore", stamp)
            try:
                saved = backups.backup(before)
            except backups.BackupError as error:
                raise CommandError(
                    f"Could not save the database as it is now, so nothing was changed: {error}"
                ) from None
            self.stdout.write(f"Saved the database as it was to {saved.path}.")
        try:
            done = backups.restore(source)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored {done.rows} rows in {done.tables} tables from {source}.")
        )
