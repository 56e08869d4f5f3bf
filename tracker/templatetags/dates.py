"""Dates, times and numbers in templates, written as the active language writes them (tracker/app/l10n.py).

{% load dates %} then {{ cramp.started_at|day_month_year }}. Aware datetimes arrive in the person's local time, as
Django's own |date filter has them."""

from django import template

from tracker.app import l10n

register = template.Library()


def _filter(write):
    def written(value):
        return "" if value in (None, "") else write(value)

    return written


for _name in (
    "day_month",
    "day_month_year",
    "weekday_day_month",
    "long_weekday_day_month",
    "long_weekday_day_month_year",
    "month_year",
    "short_month_year",
    "month",
    "weekday",
    "clock",
    "day_month_clock",
    "day_month_year_clock",
    "weekday_day_month_clock",
    "weekday_day_month_year_clock",
):
    register.filter(_name, _filter(getattr(l10n, _name)), expects_localtime=True, is_safe=False)


@register.filter(is_safe=False)
def number(value, places=None):
    """1.5 in English, 1,5 in Spanish and German."""
    if value in (None, ""):
        return ""
    return l10n.number(value, None if places is None else int(places))
