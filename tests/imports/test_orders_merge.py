"""How an orders import writes: the counts, the accounts whose revenue rollup it refreshes,
and on PostgreSQL the bulk load that drops and rebuilds the order lines' indexes and keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from bookwise.accounts.models import Account, OrderLine
from bookwise.imports.services.orders_staged import bulk_load_wanted
from bookwise.retention.models import AccountMonth, AccountQuarter
from bookwise.retention.services import revenue_rollup_refresh
from bookwise.team.models import FirstLine, LineMonth

from .helpers import counts, run
from .test_import_behaviour import ACCOUNTS, people  # noqa: F401 - the fixture

HEADER = "order_id,account_id,order_date,amount,gross_profit,product_line,rep_id,kind\n"
LINES = HEADER + (
    "O1,A1,2026-01-05,1000.10,250.00,Pumps,R1,new\n"
    "O2,A1,2026-01-20,-50,,,,\n"
    "O3,A2,2026-02-03,300,,Valves,,repeat\n"
)


def month_revenue(account: str, month: date) -> Decimal | None:
    row = AccountMonth.objects.filter(account__external_id=account, month=month).first()
    return None if row is None else row.revenue


@pytest.fixture
def book(people, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811 - pytest fixture chaining
    """Accounts and a first load of lines, whose rollups the queued rebuild made (run as the
    import commits: the tests' queue runs jobs in the caller)."""
    run(tmp_path, "accounts", ACCOUNTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)


def test_a_line_moved_to_another_account_refreshes_both_accounts(book, tmp_path):
    moved = LINES.replace("O1,A1,2026-01-05", "O1,A2,2026-01-05")
    assert counts(run(tmp_path, "orders", moved)) == (0, 1, 2, 0)
    assert month_revenue("A1", date(2026, 1, 1)) == Decimal("-50.00")
    assert month_revenue("A2", date(2026, 1, 1)) == Decimal("1000.10")
    assert OrderLine.objects.get(external_id="O1").account.external_id == "A2"


def test_new_changed_and_unchanged_lines_in_one_file(book, tmp_path):
    text = LINES.replace("300,,Valves", "300,120,Valves") + "O4,A3,2025-12-31,75.5,,,R1,repeat\n"
    assert counts(run(tmp_path, "orders", text)) == (1, 1, 2, 0)
    assert OrderLine.objects.get(external_id="O3").gross_profit == Decimal("120.00")
    assert month_revenue("A3", date(2025, 12, 1)) == Decimal("75.50")


def test_an_emptied_value_counts_as_a_change(book, tmp_path):
    assert counts(run(tmp_path, "orders", LINES.replace("250.00,Pumps,R1", ",Pumps,"))) == (0, 1, 2, 0)
    line = OrderLine.objects.get(external_id="O1")
    assert (line.gross_profit, line.rep) == (None, None)


def test_many_new_lines_are_written_whole_batches_and_the_rest(book, tmp_path):
    """More new lines than one multi-row INSERT holds (SQLite), and not a multiple of it: each line
    stored once with its values."""
    line = "N{i},A{account},2025-{month:02d}-11,{i}.25,,,{rep},repeat\n"
    body = "".join(
        line.format(i=i, account=1 + i % 3, month=1 + i % 12, rep="R1" if i % 2 else "") for i in range(237)
    )
    assert counts(run(tmp_path, "orders", HEADER + body)) == (237, 0, 0, 0)
    new = OrderLine.objects.filter(external_id__startswith="N")
    assert new.count() == 237 and new.filter(rep__isnull=False).count() == 118
    assert sum(line.amount for line in new) == sum(Decimal(f"{i}.25") for i in range(237))
    assert new.get(external_id="N236").order_date == date(2025, 9, 11)


def rollups() -> list[list[tuple]]:
    """Every row of the revenue and team rollups, in a stable order."""
    tables = [
        (AccountMonth, ("account_id", "month", "revenue", "order_days", "first_order", "last_order")),
        (AccountQuarter, ("account_id", "quarter", "revenue", "prev_revenue", "opens")),
        (LineMonth, ("account_id", "rep_id", "month", "revenue", "gross_profit", "lines")),
        (FirstLine, ("account_id", "order_date", "rep_id")),
    ]
    return [sorted(model.objects.values_list(*fields), key=repr) for model, fields in tables]


def test_an_import_rebuilds_only_later_months_and_the_rollups_equal_a_whole_rebuild(book, tmp_path):
    """Lines added in a later month, and a line moved from February to March of another
    account (its old month, the earliest date involved, must lose it): the rollups of the
    touched accounts are rebuilt from that date on, and equal a rebuild of everything."""
    text = LINES.replace("O3,A2,2026-02-03", "O3,A1,2026-03-15") + (
        "O5,A2,2026-03-09,40,10,Pumps,R1,repeat\nO6,A1,2026-03-10,5,,,,repeat\n"
    )
    assert counts(run(tmp_path, "orders", text)) == (2, 1, 2, 0)
    after_import = rollups()
    assert month_revenue("A2", date(2026, 2, 1)) is None
    assert month_revenue("A1", date(2026, 3, 1)) == Decimal("305.00")
    revenue_rollup_refresh()
    assert after_import == rollups()


def test_later_quarters_rebuilt_alone_keep_the_previous_quarter_and_who_opened_when(book, tmp_path):
    """Lines in quarters after a gap (the quarter before the earliest new line's empty too),
    for accounts opened quarters before and for a new one: the quarters from the earliest
    new line's on are rebuilt (the revenue of the quarter
    before it, the zero row after a quarter without a next, the opening quarter) exactly as
    a rebuild of everything makes them."""
    older = HEADER + "O7,A1,2025-04-10,20,,,,repeat\nO8,A1,2025-10-10,30,,,,repeat\n"
    assert counts(run(tmp_path, "orders", older)) == (2, 0, 0, 0)
    after_older = rollups()
    revenue_rollup_refresh()
    assert after_older == rollups()
    later = HEADER + (
        "O9,A1,2026-11-02,11,,,R1,repeat\nO10,A2,2026-10-01,12,,,,repeat\nO11,A3,2026-08-20,13,,,,new\n"
    )
    assert counts(run(tmp_path, "orders", later)) == (3, 0, 0, 0)
    after_later = rollups()
    quarter = AccountQuarter.objects.get
    assert quarter(account__external_id="A3", quarter=2026 * 4 + 2).opens
    assert not quarter(account__external_id="A1", quarter=2026 * 4 + 3).opens
    revenue_rollup_refresh()
    assert after_later == rollups()


@pytest.mark.parametrize(
    ("new", "stored", "minimum", "wanted"),
    [
        (100, 0, 100, True),  # an initial load
        (99, 0, 100, False),  # too small to bother
        (500, 499, 100, True),  # more than doubles the table
        (500, 500, 100, False),  # adds to a book as large as itself: keep the indexes
    ],
)
def test_bulk_load_is_for_loads_that_more_than_double_the_table(new, stored, minimum, wanted):
    assert bulk_load_wanted(new_lines=new, stored_lines=stored, minimum=minimum) is wanted


def _structures() -> dict:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, OrderLine._meta.db_table)
    return {
        name: (c["columns"], c["unique"], c["foreign_key"], c["index"], c["primary_key"])
        for name, c in found.items()
    }


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the staged bulk load is PostgreSQL's")


def test_a_bulk_load_rebuilds_every_index_and_key(postgresql_only, book, tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_bulk_min_lines": 1}
    OrderLine.objects.all().delete()
    before = _structures()
    assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    assert _structures() == before
    assert month_revenue("A1", date(2026, 1, 1)) == Decimal("950.10")
    account = Account.objects.get(external_id="A1")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.create(
            external_id="O1", account=account, order_date=date(2026, 1, 1), amount=Decimal("1")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.create(
            external_id="O9", account_id=10**9, order_date=date(2026, 1, 1), amount=Decimal("1")
        )
        connection.check_constraints()


def test_a_failed_bulk_load_changes_nothing(postgresql_only, book, tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_bulk_min_lines": 1}
    OrderLine.objects.all().delete()
    before = _structures()
    report = run(tmp_path, "orders", LINES + "O5,A9,2026-01-01,1,,,,\n")
    assert not report.ok
    assert _structures() == before and not OrderLine.objects.exists()
