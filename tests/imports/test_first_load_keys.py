"""SQLite, a first load of orders: the foreign keys are not enforced line by line but checked
all at once before the commit (imports.services.orders.foreign_keys_for_load and
orders_write.SqliteWriter.finish). These tests commit, as an import run by the command or a
job does: the tests' usual transaction would keep the keys enforced."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from bookwise.accounts.models import Account, OrderLine
from bookwise.imports.services.common import ImportReport
from bookwise.imports.services.orders_write import SqliteWriter

from .helpers import counts, run
from .test_import_behaviour import ACCOUNTS, REPS
from .test_orders_merge import LINES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's foreign keys"),
]


def keys_enforced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


def test_a_first_load_commits_checked_lines_and_enforces_the_keys_again(tmp_path):
    run(tmp_path, "reps", REPS)
    run(tmp_path, "accounts", ACCOUNTS)
    assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    assert keys_enforced()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_key_check")
        assert cursor.fetchall() == []
    assert OrderLine.objects.filter(account__external_id="A1").count() == 2


def test_a_line_naming_a_missing_account_refuses_the_load(tmp_path):
    run(tmp_path, "reps", REPS)
    run(tmp_path, "accounts", ACCOUNTS)
    missing = Account.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    refused = pytest.raises(IntegrityError, match="account_id")
    with connection.constraint_checks_disabled(), refused, transaction.atomic():
        writer = SqliteWriter(expected_lines=None)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO accounts_orderline (external_id, order_date, amount, product_line, kind, "
                "account_id) VALUES ('X1', '2026-01-05', 100, '', 'new', %s)",
                [missing],
            )
        writer.finish(ImportReport(kind="orders", filename="orders.csv"))
    assert keys_enforced() and not OrderLine.objects.exists()
