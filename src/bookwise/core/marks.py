"""Cheap signs that tables changed (the highest id, the latest update, the row count), read
in one statement. Pages ask them on every request, where an ORM aggregate each cost more to
build than the database took to answer it."""

from __future__ import annotations

from django.db import connection, models


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[models.Model]) -> str:
    return _quoted(model._meta.db_table)


def _column(model: type[models.Model], field: str) -> str:
    column = getattr(model._meta.get_field(field), "column", None)
    if not isinstance(column, str):
        raise TypeError(f"{model.__name__}.{field} is not a column")
    return _quoted(column)


def highest(model: type[models.Model], field: str = "id") -> str:
    return f"SELECT MAX({_column(model, field)}) FROM {_table(model)}"


def count(model: type[models.Model]) -> str:
    return f"SELECT COUNT(*) FROM {_table(model)}"


def value_of_row_one(model: type[models.Model], field: str) -> str:
    """`field` of the row whose primary key is 1 (a one-row state table); NULL without it."""
    key = _column(model, model._meta.pk.name)
    return f"SELECT {_column(model, field)} FROM {_table(model)} WHERE {key} = 1"


def read(*subqueries: str) -> tuple[object, ...]:
    """The value of each scalar subquery, in one statement (raw database values: text for a
    date on SQLite; compare them with values read the same way)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({query})" for query in subqueries))
        return tuple(cursor.fetchone())
