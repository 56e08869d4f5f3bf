"""Languages, and dates and numbers written the way the active language writes them.

Date formats are Django's format codes, themselves translated (a translator may reorder them, "j. M Y" in German),
so a further language is a catalogue, not code. Numbers take the language's decimal mark ("1,5" in es and de).
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import pgettext


def language_or_none(code: str | None) -> str | None:
    """`code` when it is one of settings.LANGUAGES, else None (a stored or typed value is never trusted)."""
    codes = {language for language, _name in settings.LANGUAGES}
    return code if code in codes else None


def person_language(profile) -> str:
    """The language to write to this person in, away from any request (emails, reminders): theirs, else the site's."""
    return language_or_none(getattr(profile, "language", None)) or settings.LANGUAGE_CODE


def language_names() -> list[tuple[str, str]]:
    """Each language with its name in its own language ("Español"), as a switch shows them."""
    return list(settings.LANGUAGES)


def _format(value: date | datetime, code: str) -> str:
    return formats.date_format(value, code)


def day_month(value: date | datetime) -> str:
    """4 Dec."""
    # Translators: a Django date format (https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date):
    # day and short month. Reorder or add punctuation only, e.g. "j. M" in German.
    return _format(value, pgettext("date format", "j M"))


def day_month_year(value: date | datetime) -> str:
    """4 Dec 2026."""
    # Translators: a Django date format: day, short month, year. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "j M Y"))


def weekday_day_month(value: date | datetime) -> str:
    """Fri 4 Dec."""
    # Translators: a Django date format: short weekday, day, short month. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "D j M"))


def long_weekday_day_month(value: date | datetime) -> str:
    """Friday 4 December."""
    # Translators: a Django date format: weekday, day, month. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "l j F"))


def month_year(value: date | datetime) -> str:
    """December 2026."""
    # Translators: a Django date format: month and year. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "F Y"))


def short_month_year(value: date | datetime) -> str:
    """Dec 2026."""
    # Translators: a Django date format: short month and year. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "M Y"))


def long_weekday_day_month_year(value: date | datetime) -> str:
    """Friday 4 December 2026."""
    # Translators: a Django date format: weekday, day, month, year. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "l j F Y"))


def day_month_clock(value: datetime) -> str:
    """4 Dec 16:05."""
    # Translators: a Django date format: day, short month, hours:minutes. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "j M H:i"))


def day_month_year_clock(value: datetime) -> str:
    """4 Dec 2026, 16:05."""
    # Translators: a Django date format: day, short month, year, hours:minutes. Reorder or add punctuation only.
    return _format(value, pgettext("date format", "j M Y, H:i"))


def weekday_day_month_clock(value: datetime) -> str:
    """Fri 4 Dec 16:05."""
    # Translators: a Django date format: short weekday, day, short month, hours:minutes. Reorder or punctuate only.
    return _format(value, pgettext("date format", "D j M H:i"))


def weekday_day_month_year_clock(value: datetime) -> str:
    """Fri 4 Dec 2026, 16:05."""
    # Translators: a Django date format: short weekday, day, short month, year, time. Reorder or punctuate only.
    return _format(value, pgettext("date format", "D j M Y, H:i"))


def month(value: date | datetime) -> str:
    """December."""
    return _format(value, "F")


def weekday(value: date | datetime) -> str:
    """Friday."""
    return _format(value, "l")


def clock(value: datetime) -> str:
    """16:05."""
    # Translators: a Django time format: hours and minutes. Reorder or add punctuation only.
    return _format(value, pgettext("time format", "H:i"))


def number(value: float | int | Decimal, places: int | None = None) -> str:
    """`value` with the language's decimal mark: 1.5 in English, 1,5 in Spanish and German. Rounded as Python's
    format rounds (Django's number_format cuts the digits instead)."""
    if places is None:
        return formats.number_format(value)
    text = f"{value:.{places}f}"
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def mid_sentence(label) -> str:
    """A label (a muscle, a kind of medicine) as it reads inside a sentence: "helped: massage". Whether a language
    lowers its nouns there is itself a translation, so a new language needs no code."""
    # Translators: answer "lower" if a noun shown as a label ("Calf", "Massage") is written in lower case inside a
    # sentence, as in English and Spanish; answer "keep" if nouns keep their capital letter, as in German.
    if pgettext("nouns inside a sentence", "lower") == "keep":
        return str(label)
    return str(label).lower()


def in_language(code: str | None):
    """A context in which gettext and formats use `code` (falls back to the site's language)."""
    return translation.override(language_or_none(code) or settings.LANGUAGE_CODE)


__all__ = [
    "clock",
    "day_month",
    "day_month_clock",
    "day_month_year",
    "day_month_year_clock",
    "in_language",
    "language_names",
    "language_or_none",
    "long_weekday_day_month",
    "long_weekday_day_month_year",
    "month",
    "mid_sentence",
    "month_year",
    "number",
    "person_language",
    "short_month_year",
    "weekday",
    "weekday_day_month",
    "weekday_day_month_clock",
    "weekday_day_month_year_clock",
]
