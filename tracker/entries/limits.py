"""The limits a model field declares (its validators and max_length), read where a form or the import needs them,
so each limit is written once, on the field, beside the check constraint that holds the database to it; and what
forms say about them, in the language of the request that shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import ngettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Limits:
    low: Any = None
    high: Any = None
    max_length: int | None = None


def limits(model: type[models.Model], name: str) -> Limits:
    field = model._meta.get_field(name)
    low = high = None
    length = getattr(field, "max_length", None)
    for validator in getattr(field, "validators", []):
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value
        elif isinstance(validator, MaxLengthValidator):
            length = validator.limit_value
    return Limits(low, high, length)


def filled_in(message: StrOrPromise, **params: Any) -> StrOrPromise:
    """`message % params`, done each time it is shown, so a form's class body (read once, at start-up) still speaks
    the language of each request: "Intensity goes from %(low)s to %(high)s." filled in from the model's limits."""
    return _filled_in(message, params)


_filled_in = lazy(lambda message, params: str(message) % params, str)

# A form field's "max_length" message: Django fills in the field's limit (`limit_value`) when it is shown.
TOO_LONG = ngettext_lazy(
    "Keep this under %(limit_value)d character.", "Keep this under %(limit_value)d characters.", "limit_value"
)


class LocalNumberField(forms.FloatField):
    """A number a person types, with their language's decimal mark ("1,5" in German and Spanish) or a point, which a
    number input (type="number") always sends. Read as `localize=True` reads it; not declared so, because then the
    value would also be written "1,5" into the input, which a number input can't read (it shows its value the
    person's way itself)."""

    def to_python(self, value):
        return super().to_python(formats.sanitize_separators(value))


MAX_ID = 2**63 - 1  # the largest id a database's bigint column holds


def is_database_id(value) -> bool:
    """Whether `value` can be an id at all: a whole number from 1 to MAX_ID. Out-of-range numbers would make
    an `__in` lookup fail on SQLite instead of simply matching nothing."""
    try:
        return 1 <= int(str(value)) <= MAX_ID
    except ValueError:
        return False
