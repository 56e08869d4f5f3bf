"""One timeline across every kind of timed entry, at a fixed number of queries whatever the diary's size."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import CharField, Value
from django.utils import timezone

from tracker.diary import words
from tracker.diary.kinds import TIMELINE_KINDS, EntryKind
from tracker.models import CrampEpisode, TimedEntry


@dataclass(frozen=True)
class Item:
    kind: EntryKind
    entry: TimedEntry

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def described(self) -> list[str]:
        """A cramp's details in words (how bad on the scale's anchors); other kinds say theirs in the template."""
        return words.described(self.entry) if isinstance(self.entry, CrampEpisode) else []


def entries_queryset(kind: EntryKind, user):
    qs = kind.model.objects.for_user(user)
    if kind.slug == "meal":
        qs = qs.prefetch_related("foods")
    return qs


def index_queryset(user, kinds: list[EntryKind] | None = None):
    """(kind, pk, at) rows of the chosen kinds, newest first, as one SQL UNION so the database pages them."""
    kinds = kinds or TIMELINE_KINDS
    parts = [
        kind.model.objects.for_user(user)
        .annotate(kind_slug=Value(kind.slug, output_field=CharField()))
        .values_list("kind_slug", "pk", "at")
        .order_by()
        for kind in kinds
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-at", "-pk")


def hydrate(rows, user) -> list[Item]:
    """Turn index rows into entries with one query per kind on the page."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for slug, pk, _at in rows:
        wanted[slug].append(pk)
    by_key = {}
    for kind in TIMELINE_KINDS:
        if wanted.get(kind.slug):
            for entry in entries_queryset(kind, user).filter(pk__in=wanted[kind.slug]):
                by_key[(kind.slug, entry.pk)] = Item(kind, entry)
    return [by_key[(slug, pk)] for slug, pk, _at in rows if (slug, pk) in by_key]


def group_by_local_day(items: list[Item]) -> list[tuple[date, list[Item]]]:
    groups: dict[date, list[Item]] = {}
    for item in items:
        groups.setdefault(timezone.localtime(item.at).date(), []).append(item)
    return list(groups.items())
