"""The test settings' PostgreSQL backend: Django's own, but for how a test that commits (the
live server's, a TransactionTestCase) leaves the database empty for the next. Django
truncates every table, which PostgreSQL does in about half a second however little they hold
(new files for each table and index); deleting the few rows a test wrote takes milliseconds.
Django's foreign keys are deferred, so the order of the deletes does not matter. A table whose
own trigger refuses deletes (the append-only audit trail) has its triggers switched off for
the delete, in the same transaction (truncating it alone would cost as much as all)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Sequence[str], *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if reset_sequences or allow_cascade or not tables:
            return list(
                super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
            )
        guarded = self._tables_guarding_deletes()
        statements = ["SET CONSTRAINTS ALL DEFERRED;"]
        for table in tables:
            name = style.SQL_FIELD(self.quote_name(table))
            delete = f"{style.SQL_KEYWORD('DELETE FROM')} {name};"
            if table in guarded:
                statements += [f"ALTER TABLE {name} DISABLE TRIGGER USER;", delete]
                statements += [f"ALTER TABLE {name} ENABLE TRIGGER USER;"]
            else:
                statements.append(delete)
        return statements

    def _tables_guarding_deletes(self) -> set[str]:
        """Tables with a trigger of their own on DELETE (pg_trigger's tgtype bit 3)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND (t.tgtype & 8) <> 0"
            )
            return {name for (name,) in cursor.fetchall()}


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
