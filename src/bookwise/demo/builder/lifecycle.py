"""Is there a book already, and wiping it for --rebuild."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from bookwise.accounts.models import Account, DeferredIndex
from bookwise.people.models import Rep

from .blueprint import RepSpec
from .catalogue import DIRECTOR_ID

# Apps whose tables make up the book; core keeps API tokens (they belong to users), but its
# audit trail is about the book's objects and goes with it.
BOOK_APPS = ("people", "accounts", "imports", "retention", "transfers", "commissions", "plans", "team")
# Kept: the indexes a bulk load left to build belong to the tables, not to the book (wiped,
# the record would be lost and the indexes never built); the next rollup refresh builds them
KEPT = (DeferredIndex,)


def book_state() -> str:
    """`empty`, `demo` (the demo company is there) or `other` (somebody's real book)."""
    if Rep.objects.filter(external_id=DIRECTOR_ID, role="director").exists():
        return "demo"
    if Rep.objects.exists() or Account.objects.exists():
        return "other"
    return "empty"


def _book_tables() -> list[str]:
    tables = [apps.get_model("core", "AuditEntry")._meta.db_table]
    for label in BOOK_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        models = config.get_models(include_auto_created=True)
        tables += [m._meta.db_table for m in models if m not in KEPT]
    return tables


@transaction.atomic
def wipe_book() -> int:
    """Delete every row of the book's tables and the reps' logins; returns logins removed.

    Uses the database's own flush SQL (TRUNCATE ... CASCADE on PostgreSQL), so the order of
    the tables does not matter."""
    user_ids = list(Rep.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    existing = set(connection.introspection.table_names())
    tables = [t for t in _book_tables() if t in existing]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    postgres = connection.vendor == "postgresql"
    if postgres:  # TRUNCATE refuses tables with deferred checks still pending in this transaction
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    from django.contrib.auth import get_user_model

    deleted, _ = get_user_model().objects.filter(pk__in=user_ids).delete()
    return deleted


def people_in_db() -> list[RepSpec]:
    """The organisation as stored, in the planning shape (to print the logins again)."""
    reps = Rep.objects.select_related("manager", "territory").order_by("external_id")
    return [
        RepSpec(
            external_id=r.external_id,
            name=r.name,
            role=r.role,
            manager=r.manager.external_id if r.manager else None,
            territory=r.territory.name if r.territory else None,
            hire_date=r.hire_date or date.min,
            end_date=r.end_date,
        )
        for r in reps
    ]
