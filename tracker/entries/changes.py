"""The one path for "this person's diary changed": every write to a diary goes through `diary_changed`.

Entries saved or deleted one at a time (tracker/signals.py), medicines and prompts read, an import, the demo diary,
the admin's bulk actions and food data all end here. In the writer's transaction it
- gives the person a new `page_version`, so no page cached from before is served (tracker/entries/page_cache.py);
  this UPDATE also takes the person's profile row lock, so two writers recount their day totals in turn;
- brings the day totals (tracker/entries/day_totals.py) up to date: the days one entry touches, or, after a bulk
  write that names no entry, the whole diary on its next read.
"""

import logging

from django.db import transaction

from tracker.entries import day_totals
from tracker.models import Profile, new_page_version

log = logging.getLogger(__name__)


def diary_changed(user_id: int, *, entry=None, whole_diary: bool = False) -> None:
    """Say that the person's diary changed: through `entry` (its days are recounted now), through a bulk write
    (`whole_diary`: recounted on the next read), or in something the pages show but the day totals don't count
    (a medicine, a prompt read: neither)."""
    with transaction.atomic():
        fields = {"page_version": new_page_version()}
        if whole_diary:
            fields["rollup_key"] = ""
        Profile.objects.filter(user_id=user_id).update(**fields)
        if entry is not None and not whole_diary:
            day_totals.recount_days_of(entry)


def everyones_diary_changed() -> None:
    """Shared data every diary shows (a food's name or nutrients) changed: no one's cached pages are served."""
    count = Profile.objects.update(page_version=new_page_version())
    log.info("shared data changed: pages renewed for %d people", count)
