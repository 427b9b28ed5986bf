"""The test settings' PostgreSQL backend (bookwise.config.test_database): a test that commits
leaves the database empty for the next one by deleting rows, and the audit trail's guard
against deletes is on again afterwards."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from bookwise.accounts.models import Account, OrderLine
from bookwise.core.models import AuditEntry
from bookwise.core.services import audit_record
from tests import factories


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
