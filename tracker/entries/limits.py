"""The limits a model field declares (its validators and max_length), read where a form or the import needs them,
so each limit is written once, on the field, beside the check constraint that holds the database to it."""

from dataclasses import dataclass
from typing import Any

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models


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


def too_long(limit: int | None) -> str:
    return f"Keep this under {limit} characters."


MAX_ID = 2**63 - 1  # the largest id a database's bigint column holds


def is_database_id(value) -> bool:
    """Whether `value` can be an id at all: a whole number from 1 to MAX_ID. Out-of-range numbers would make
    an `__in` lookup fail on SQLite instead of simply matching nothing."""
    try:
        return 1 <= int(str(value)) <= MAX_ID
    except ValueError:
        return False
