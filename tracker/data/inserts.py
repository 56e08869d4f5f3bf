"""Many entries written at once, for the import: one INSERT run over all their rows (`executemany`; on
PostgreSQL, COPY).

`bulk_create` builds a model instance for each row and prepares every value of it through the query compiler; at
200,000 entries that alone takes longer than a worker may spend on a request. Here each column's conversion to
what the database stores is chosen once (Django's own for its field, with a direct path for the columns every
row has: times, UUIDs, the owner), and the rows go to the database as plain tuples. Every column of the table is
written: a field the row doesn't give takes its model default (and the time of the import, for the created and
updated times), as `bulk_create` would give it. Like `bulk_create`, it sends no signals.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

# Values of these kinds, already checked, go to the database as they are (the driver adapts them).
AS_THEY_ARE = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _adapter(field: models.Field, connection) -> Callable[[Any], Any]:
    """The value the database stores for `field`, from the Python value: what Django's backend would store, by a
    shorter path for the common kinds, and Django's own conversion for the rest (JSON)."""
    postgresql = connection.vendor == "postgresql"
    if isinstance(field, models.DateTimeField):
        if postgresql:
            return lambda value: value  # an aware time goes to timestamptz as it is
        # What Django's SQLite backend stores for an aware time: the UTC time without offset, as text.
        return lambda value: None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))
    if isinstance(field, models.DateField):
        return (
            (lambda value: value)
            if postgresql
            else (lambda value: None if value is None else value.isoformat())
        )
    if isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return lambda value: value
        return lambda value: None if value is None else value.hex
    if isinstance(field, AS_THEY_ARE):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def insert_many(model: type[models.Model], rows: Iterable[dict], fixed: dict[str, Any], now: datetime) -> int:
    """Insert `rows` (values by field name) into `model`'s table, each with the `fixed` values (by attribute name,
    such as user_id); returns how many."""
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # Per column: the same value for every row (the owner, the created and updated times), or the field's name,
    # its default when the row has none, and its adapter.
    plan: list[tuple[Any, str, Callable[[], Any], Callable[[Any], Any]]] = []
    for field in fields:
        adapt = _adapter(field, connection)
        if field.attname in fixed:
            plan.append((adapt(fixed[field.attname]), "", field.get_default, adapt))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            plan.append((adapt(now), "", field.get_default, adapt))
        else:
            plan.append((None, field.name, field.get_default, adapt))
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  names from the model, values as parameters
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        tuple(
            adapt(row[name] if name in row else default()) if name else constant
            for constant, name, default, adapt in plan
        )
        for row in rows
    ]
    if not values:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the rows stream to the server in one command, several times faster than INSERTs.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)
    return len(values)
