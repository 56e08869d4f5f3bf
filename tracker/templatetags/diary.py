from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def volume(ml, profile) -> str:
    """Show a volume stored in ml in the person's chosen unit."""
    return profile.format_volume(ml) if profile else f"{ml} ml"


@register.filter
def time_with_zone(moment) -> str:
    """ "31 Oct 2027 01:30 BST": a moment in the person's zone with that zone's name. Django's "T" says nothing in
    the hour a clock change repeats, though the moment (its fold) knows which of the two it is."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M} {local.tzname()}"
