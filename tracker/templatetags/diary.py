from django import template
from django.utils import formats, timezone
from django.utils.translation import pgettext

from tracker.app import l10n

register = template.Library()


@register.filter
def volume(ml, profile) -> str:
    """Show a volume stored in ml in the person's chosen unit."""
    return profile.format_volume(ml) if profile else f"{ml} ml"


@register.filter(is_safe=True)
def mid_sentence(label) -> str:
    """A label as it reads inside a sentence ("helped: stretching, massage"): tracker/app/l10n.py."""
    return l10n.mid_sentence(label)


@register.filter
def time_with_zone(moment) -> str:
    """ "31 Oct 2027 01:30 BST": a moment in the person's zone with that zone's name. Django's "T" says nothing in
    the hour a clock change repeats, though the moment (its fold) knows which of the two it is."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    # Translators: a Django date format: day, short month, year, hours:minutes (a zone's name follows). Reorder or
    # add punctuation only.
    written = formats.date_format(local, pgettext("date format", "j M Y H:i"))
    return f"{written} {local.tzname()}"
