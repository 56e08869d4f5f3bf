"""Compile every translation catalogue (.po) into the .mo file Django reads, in Python: no GNU gettext needed.

`make setup` runs it, so a fresh machine's two README commands give every language. Only catalogues newer than
their .mo are compiled again. Fuzzy entries are left out, as msgfmt leaves them."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOTS = ("locale", "tracker/locale", "knowledge/locale")


def catalogues() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted(path for root in ROOTS for path in (base / root).glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po) into .mo files, in Python."

    def handle(self, *args, **options) -> None:
        found = catalogues()
        if not found:
            raise CommandError("no catalogues found under " + ", ".join(ROOTS))
        for po_path in found:
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            catalogue = polib.pofile(str(po_path))
            # polib writes fuzzy entries too unless they are dropped first; msgfmt leaves them out.
            for entry in [entry for entry in catalogue if entry.fuzzy]:
                catalogue.remove(entry)
            catalogue.save_as_mofile(str(mo_path))
            if options["verbosity"] > 1:
                self.stdout.write(f"compiled {po_path}")
