from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import pgettext

register = template.Library()

# Languages whose nouns keep their capital inside a sentence ("Geholfen: Massage"), so a label is not lowered there.
NOUNS_CAPITALISED = {"de"}


@register.filter
def volume(ml, profile) -> str:
    """Show a volume stored in ml in the person's chosen unit."""
    return profile.format_volume(ml) if profile else f"{ml} ml"


@register.filter(is_safe=True)
def mid_sentence(label) -> str:
    """A label as it reads inside a sentence ("helped: stretching, massage"): lower case, except in a language
    that writes its nouns with a capital."""
    if translation.get_language() in NOUNS_CAPITALISED:
        return str(label)
    return str(label).lower()


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
