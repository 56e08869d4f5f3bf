"""One value of an imported file checked against its column and turned into what the model stores."""

import math
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import pgettext

from tracker.data.columns import Column
from tracker.entries.local_time import FUTURE_GRACE


def parse(value, column: Column, now: datetime, foods: set[str]):
    """The Python value for one field of the file, or ValueError saying what is wrong with it (in the active
    language: the import runs in the language of the person it is for)."""
    if value is None or value == "":
        if column.required and column.kind not in ("text", "choices", "foods"):
            # Translators: "import problem": what is wrong with one value of an imported file. Each follows the
            # value's place in the file and a colon, as in "drinks[3].at: is missing" (the file's own field names).
            raise ValueError(pgettext("import problem", "is missing"))
        return [] if column.kind in ("choices", "foods") else ("" if column.kind == "text" else None)
    kind = column.kind
    if kind == "uuid":
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise ValueError(pgettext("import problem", "is not a UUID")) from None
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError(pgettext("import problem", "must be a date and time as text"))
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(pgettext("import problem", "is not an ISO 8601 date and time")) from None
        if moment.tzinfo is None:
            raise ValueError(pgettext("import problem", "needs a UTC offset, for example +00:00"))
        if moment < column.low:
            raise ValueError(pgettext("import problem", "is before %(year)s") % {"year": column.low.year})
        if moment > now + FUTURE_GRACE:
            raise ValueError(pgettext("import problem", "is in the future"))
        return moment
    if kind == "date":
        if not isinstance(value, str):
            raise ValueError(pgettext("import problem", "must be a date as text"))
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(pgettext("import problem", "is not a date (YYYY-MM-DD)")) from None
        if not column.low <= day <= now.date() + timedelta(days=1):
            raise ValueError(pgettext("import problem", "is out of range"))
        return day
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(pgettext("import problem", "must be a whole number"))
        if value != int(value):
            raise ValueError(pgettext("import problem", "must be a whole number"))
        if not column.low <= value <= column.high:
            raise ValueError(
                pgettext("import problem", "must be from %(low)s to %(high)s")
                % {"low": column.low, "high": column.high}
            )
        return int(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(pgettext("import problem", "must be true or false"))
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(pgettext("import problem", "must be text"))
        assert column.max_length is not None  # every text field has one (with_model_limits)
        if len(value) > column.max_length:
            raise ValueError(
                pgettext("import problem", "is longer than %(limit)s characters")
                % {"limit": column.max_length}
            )
        if "\x00" in value:
            raise ValueError(pgettext("import problem", "holds a null character, which text can't"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # JSON may write half a character ("\ud800"), which no database stores
            raise ValueError(
                pgettext("import problem", "holds a broken character (half of one), which text can't")
            ) from None
        return value
    if kind == "choice":
        if value not in column.choices:
            raise ValueError(pgettext("import problem", "is not one of the allowed values"))
        return value
    # choices, foods: a list of allowed names
    allowed = foods if kind == "foods" else set(column.choices)
    if not isinstance(value, list):
        raise ValueError(pgettext("import problem", "must be a list of names"))
    if len(value) > len(allowed):  # each name at most once: a longer list is refused before it is read
        raise ValueError(
            pgettext("import problem", "lists more than %(count)s values, more than there are to choose")
            % {"count": len(allowed)}
        )
    if not all(isinstance(v, str) for v in value):
        raise ValueError(pgettext("import problem", "must be a list of names"))
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValueError(
            pgettext("import problem", "has unknown values: %(values)s")
            % {"values": ", ".join(sorted(set(unknown)))[:200]}
        )
    if len(set(value)) != len(value):
        raise ValueError(pgettext("import problem", "lists a value twice"))
    return list(value)


def _empty_or(then: Callable[[Any], Any], empty: Any = None) -> Callable[[Any], Any]:
    return lambda value: empty if value is None or value == "" else then(value)


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "uuid": lambda value: uuid.UUID(str(value)),
    "datetime": _empty_or(datetime.fromisoformat),
    "date": _empty_or(date.fromisoformat),
    "int": _empty_or(int),
    "bool": lambda value: value,
    "text": _empty_or(lambda value: value, ""),
    "choice": _empty_or(lambda value: value),
    "choices": _empty_or(list, []),
    "foods": _empty_or(list, []),
}


def converter(column: Column) -> Callable[[Any], Any]:
    """For a value `parse` has accepted, the same result without the checks: the import checks the whole file
    first, then converts each entry again as it writes it, rather than holding every checked entry at once."""
    return CONVERTERS[column.kind]
