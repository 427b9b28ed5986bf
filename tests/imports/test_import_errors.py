"""Every kind of bad row is reported as FILE:LINE: COLUMN: message and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bookwise.accounts.models import Account, Activity, OrderLine, Ownership
from bookwise.people.models import Rep
from tests import factories

from .helpers import messages, run


@pytest.fixture
def book(db):
    m = factories.rep("M1", role="sales_manager")
    r1 = factories.rep("R1", manager=m)
    factories.rep("R2", manager=m)
    factories.account("A1", owner=r1, since=date(2024, 1, 1))
    return m


def test_unknown_column(tmp_path, book):
    report = run(tmp_path, "reps", "rep_id,name,role,colour\nX1,Xavier,hunter,red\n")
    assert messages(report)[0].startswith("reps.csv:1: colour: unknown column")


def test_missing_required_column(tmp_path, book):
    report = run(tmp_path, "orders", "order_id,account_id,amount\nO1,A1,10\n")
    assert messages(report) == ["orders.csv:1: order_date: missing required column"]


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        (
            "orders",
            "order_id,account_id,order_date,amount\nO1,A1,2026-02-30,10\n",
            "orders.csv:2: order_date: '2026-02-30' is not a date (use YYYY-MM-DD)",
        ),
        (
            "orders",
            'order_id,account_id,order_date,amount\nO1,A1,2026-02-03,"1,000.00"\n',
            "orders.csv:2: amount: '1,000.00' is not a decimal amount (use 1234.56)",
        ),
        (
            "orders",
            "order_id,account_id,order_date,amount,kind\nO1,A1,2026-02-03,5,upsell\n",
            "orders.csv:2: kind: 'upsell' is not one of new, repeat, contract_release",
        ),
        (
            "orders",
            "order_id,account_id,order_date,amount\nO1,A9,2026-02-03,5\n",
            "orders.csv:2: account_id: unknown account 'A9'",
        ),
        (
            "orders",
            "order_id,account_id,order_date,amount,rep_id\nO1,A1,2026-02-03,5,R9\n",
            "orders.csv:2: rep_id: unknown rep 'R9'",
        ),
        (
            "orders",
            "order_id,account_id,order_date,amount\nO1,A1,2026-02-03,5\nO1,A1,2026-02-04,6\n",
            "orders.csv:3: order_id: 'O1' appears twice in the file",
        ),
        (
            "activities",
            "rep_id,date,hours,kind\nR1,2026-02-03,25,admin\n",
            "activities.csv:2: hours: 25 hours is out of range (more than 0, at most 24)",
        ),
        (
            "activities",
            "rep_id,date,hours,kind\nR1,2026-02-03,0,admin\n",
            "activities.csv:2: hours: 0 hours is out of range (more than 0, at most 24)",
        ),
        (
            "accounts",
            "account_id,name,status,lost_date\nA2,Lost Co,lost,2026-01-01\n",
            "accounts.csv:2: lost_reason: required when status is lost",
        ),
        (
            "accounts",
            "account_id,name,status,lost_date,lost_reason\nA2,Lost Co,lost,2026-01-01,weather\n",
            "accounts.csv:2: lost_reason: 'weather' is not one of acquired, bankrupt, closed, relocated, "
            "price, service, competitor, relationship, other",
        ),
        (
            "opportunities",
            "opportunity_id,account_id,stage\nP1,A1,negotiation\n",
            "opportunities.csv:2: stage: 'negotiation' is not one of "
            "prospecting, engaging, proposal, won, lost",
        ),
        ("reps", "rep_id,name,role\nX1,,hunter\n", "reps.csv:2: name: required"),
        (
            "reps",
            "rep_id,name,role,email\nX1,Xa,hunter,r1@example.com\nX2,Xb,hunter,R1@example.com\n",
            "reps.csv:3: email: 'R1@example.com' is already the email of rep 'X1'",
        ),
        (
            "reps",
            "rep_id,name,role,hire_date,end_date\nX1,Xa,hunter,2026-02-01,2026-01-01\n",
            "reps.csv:2: end_date: 2026-01-01 is before hire_date 2026-02-01",
        ),
        (
            "accounts",
            "account_id,name\nA2,Two\nA2,Again\n",
            "accounts.csv:3: account_id: 'A2' appears twice in the file (first on line 2)",
        ),
        ("accounts", "account_id,name,owner_id\nA2,Two,R9\n", "accounts.csv:2: owner_id: unknown rep 'R9'"),
        (
            "accounts",
            "account_id,name,parent_account_id\nA2,Two,A2\n",
            "accounts.csv:2: parent_account_id: an account cannot be its own parent",
        ),
    ],
)
def test_bad_cells_are_reported_with_file_line_and_column(tmp_path, book, kind, text, expected):
    report = run(tmp_path, kind, text)
    assert expected in messages(report)


def test_reference_to_a_later_row_is_resolved(tmp_path, book):
    """A rep before their manager, a subsidiary before its parent (issue 15)."""
    report = run(tmp_path, "reps", "rep_id,name,role,manager_id\nX1,Xa,hunter,X2\nX2,Xb,sales_manager,\n")
    assert report.ok, messages(report)
    assert Rep.objects.get(external_id="X1").manager.external_id == "X2"
    report = run(tmp_path, "accounts", "account_id,name,parent_account_id\nA2,Sub,A3\nA3,Parent,\n")
    assert report.ok, messages(report)
    assert Account.objects.get(external_id="A2").parent.external_id == "A3"


def test_reference_to_an_earlier_row_is_fine(tmp_path, book):
    report = run(tmp_path, "reps", "rep_id,name,role,manager_id\nX2,Xb,sales_manager,\nX1,Xa,hunter,X2\n")
    assert report.ok, messages(report)
    assert Rep.objects.get(external_id="X1").manager.external_id == "X2"


def test_manager_cycle_with_existing_reps(tmp_path, book):
    report = run(tmp_path, "reps", "rep_id,name,role,manager_id\nM1,Boss,sales_manager,R1\n")
    assert messages(report) == ["reps.csv:2: manager_id: 'R1' as manager would form a cycle"]
    assert Rep.objects.get(external_id="M1").manager is None


def test_own_manager_is_a_cycle(tmp_path, book):
    report = run(tmp_path, "reps", "rep_id,name,role,manager_id\nR1,Self,hunter,R1\n")
    assert messages(report) == ["reps.csv:2: manager_id: 'R1' as manager would form a cycle"]


def test_parent_cycle(tmp_path, book):
    factories.account("A2", parent=Account.objects.get(external_id="A1"))
    report = run(tmp_path, "accounts", "account_id,name,parent_account_id\nA1,One,A2\n")
    assert messages(report) == ["accounts.csv:2: parent_account_id: 'A2' would form a cycle"]


def test_overlapping_ownership_names_both_lines(tmp_path, book):
    text = """\
        account_id,rep_id,role,start_date,end_date
        A1,R1,primary,2024-01-01,2024-12-31
        A1,R2,secondary,2024-01-01,
        A1,R2,primary,2024-12-01,
        """
    report = run(tmp_path, "ownership", text)
    assert messages(report) == [
        "ownership.csv:4: start_date: this primary assignment overlaps the one on line 2 "
        "(2024-01-01..2024-12-31)"
    ]


def test_two_open_primaries(tmp_path, book):
    text = "account_id,rep_id,start_date,end_date\nA1,R1,2024-01-01,\nA1,R2,2025-01-01,\n"
    report = run(tmp_path, "ownership", text)
    assert messages(report) == [
        "ownership.csv:3: end_date: a second open primary assignment (the other open one is on line 2)"
    ]


def test_owner_change_refused_when_current_owner_starts_on_or_after_import_date(tmp_path, book):
    factories.account("A5", owner=Rep.objects.get(external_id="R1"), since=date(2026, 3, 15))
    report = run(tmp_path, "accounts", "account_id,name,owner_id\nA5,Five,R2\n")
    assert messages(report)[0].startswith(
        "accounts.csv:2: owner_id: the current primary owner 'R1' starts on 2026-03-15"
    )


def test_a_file_with_bad_rows_changes_nothing(tmp_path, book):
    before = (Rep.objects.count(), Account.objects.count(), Ownership.objects.count())
    text = "account_id,name,owner_id\nA7,Seven,R1\nA8,Eight,R2\nA9,Nine,nobody\n"
    report = run(tmp_path, "accounts", text)
    assert report.error_count == 1
    assert (Rep.objects.count(), Account.objects.count(), Ownership.objects.count()) == before
    text = (
        "order_id,account_id,order_date,amount\n"
        + "".join(f"O{i},A1,2026-01-01,{i}\n" for i in range(12000))
        + "Obad,A1,2026-01-01,x\n"
    )
    report = run(tmp_path, "orders", text)
    assert messages(report) == ["orders.csv:12002: amount: 'x' is not a decimal amount (use 1234.56)"]
    assert OrderLine.objects.count() == 0


def test_all_errors_are_collected_and_the_list_is_capped(tmp_path, book):
    text = "rep_id,date,hours,kind\n" + "R1,2026-01-01,99,admin\n" * 250
    report = run(tmp_path, "activities", text)
    assert report.error_count == 250
    lines = report.error_lines(200)
    assert len(lines) == 201 and lines[-1] == "... and 50 more errors"
    assert Activity.objects.count() == 0


def test_unreadable_file_is_an_error(tmp_path, book):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"rep_id,name,role\nX1,\xff\xfe,hunter\n")
    from bookwise.imports.services import import_file

    report = import_file(kind="reps", path=path, filename="bad.csv")
    assert not report.ok and "not UTF-8" in messages(report)[0]
    assert not Rep.objects.filter(external_id="X1").exists()


def test_a_broken_xlsx_is_an_error(tmp_path, book):
    from bookwise.imports.services import import_file

    path = tmp_path / "reps.xlsx"
    path.write_bytes(b"not a zip at all")
    report = import_file(kind="reps", path=path, filename="reps.xlsx")
    assert messages(report)[0].startswith("reps.xlsx: cannot read the file")
