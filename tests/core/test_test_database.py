"""The test settings' PostgreSQL backend (bookwise.config.test_database): a test that commits
leaves the database empty for the next one by deleting rows, and the audit trail's guard
against deletes is on again afterwards. The migrated template the test databases are copied
from (tests/template_database.py) holds every migration. The PostgreSQL run tries a third of
each property's examples (tests/properties.py)."""

import os
from datetime import date

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from bookwise.accounts.models import Account, OrderLine
from bookwise.core.models import AuditEntry
from bookwise.core.services import audit_record
from tests import factories, properties, template_database


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_every_table_and_the_audit_guard_is_on_again():
    if connection.vendor != "postgresql":
        pytest.skip("the backend is PostgreSQL's")
    account = factories.account("A1")
    factories.order(account, date(2026, 3, 1), "10.00")
    audit_record(actor=None, action="test.step", obj=account)
    call_command("flush", verbosity=0, interactive=False)  # as TransactionTestCase does after a test
    assert not Account.objects.exists() and not OrderLine.objects.exists() and not AuditEntry.objects.exists()
    entry = audit_record(actor=None, action="test.step", obj=factories.account("A2"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_copy_of_the_template_has_every_migration_applied():
    """tests/template_database.py: the topology tests run on a copy without migrating it."""
    if connection.vendor != "postgresql":
        pytest.skip("the template is PostgreSQL's")
    url = os.environ["BOOKWISE_TEST_DATABASE_URL"]
    copied = template_database.copy(url, f"{template_database.split(url)[1]}_copy_check")
    try:
        with psycopg.connect(copied) as conn:
            applied = set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
            tables = {name for (name,) in conn.execute("SELECT tablename FROM pg_tables").fetchall()}
    finally:
        with psycopg.connect(f"{template_database.split(url)[0]}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{copied.rpartition("/")[2]}"')
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert set(graph.leaf_nodes()) <= applied and len(applied) == len(graph.nodes)
    assert {AuditEntry._meta.db_table, Account._meta.db_table} <= tables


def test_the_postgresql_run_tries_a_third_of_each_propertys_examples(monkeypatch):
    monkeypatch.delenv("BOOKWISE_TEST_EVERYTHING", raising=False)
    monkeypatch.delenv("BOOKWISE_TEST_DATABASE_URL", raising=False)
    assert properties.examples(120) == 120 and properties.examples(3) == 3  # SQLite: every one
    monkeypatch.setenv("BOOKWISE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bookwise")
    assert properties.examples(120) == 40 and properties.examples(12) == properties.FEWEST
    assert properties.examples(3) == 3  # never more than the test asks for
    monkeypatch.setenv("BOOKWISE_TEST_EVERYTHING", "1")
    assert properties.examples(120) == 120
