from django import template

register = template.Library()


@register.filter
def volume(ml, profile) -> str:
    """Show a volume stored in ml in the person's chosen unit."""
    return profile.format_volume(ml) if profile else f"{ml} ml"
