"""The ownership import cannot rewrite history inside a period whose commission run is
approved; a change after the last approved period goes through."""

from __future__ import annotations

from datetime import date

from bookwise.accounts.models import Ownership
from bookwise.commissions.models import Run
from bookwise.imports.services.ownership import changed_ranges
from tests import factories

from .helpers import messages, run


def test_a_change_inside_an_approved_quarter_is_refused_with_the_line(org, tmp_path):
    account = factories.account("A1", owner=org["R1"], since=date(2025, 1, 1))
    Run.objects.create(period="2026-Q1", status="approved")
    report = run(
        tmp_path,
        "ownership",
        """\
        account_id,rep_id,role,start_date,end_date,reason
        A1,R1,primary,2025-01-01,2026-02-14,import
        A1,R2,primary,2026-02-15,,transfer
        """,
    )
    assert messages(report) == [
        "ownership.csv:2: account_id: the file changes who owned the account from 2026-02-15 to now, "
        "which reaches into 2026-Q1, whose commission run is approved and frozen; history up to "
        "2026-03-31 cannot change"
    ]
    assert list(Ownership.objects.filter(account=account).values_list("rep__external_id", "end_date")) == [
        ("R1", None)
    ]


def test_a_change_after_the_approved_quarter_goes_through(org, tmp_path):
    factories.account("A1", owner=org["R1"], since=date(2025, 1, 1))
    Run.objects.create(period="2026-Q1", status="approved")
    report = run(
        tmp_path,
        "ownership",
        """\
        account_id,rep_id,role,start_date,end_date,reason
        A1,R1,primary,2025-01-01,2026-03-31,import
        A1,R2,primary,2026-04-01,,transfer
        """,
    )
    assert report.ok, messages(report)
    assert Ownership.objects.filter(rep=org["R2"], start_date=date(2026, 4, 1)).exists()


def test_changed_ranges_are_the_days_whose_owner_differs():
    before = [(1, "primary", date(2025, 1, 1), None, "import")]
    after = [
        (1, "primary", date(2025, 1, 1), date(2026, 6, 30), "import"),
        (2, "primary", date(2026, 7, 1), None, "x"),
    ]
    assert changed_ranges(before, after) == [(date(2026, 7, 1), None)]
    assert changed_ranges(before, before) == []
    earlier = [(1, "primary", date(2024, 1, 1), None, "import")]
    assert changed_ranges(earlier, before) == [(date(2024, 1, 1), date(2024, 12, 31))]


def test_the_accounts_import_cannot_change_an_owner_inside_an_approved_period(org, tmp_path):
    factories.account("A1", owner=org["R1"], since=date(2025, 1, 1))
    Run.objects.create(period="2026-Q1", status="approved")  # TODAY is 2026-03-15
    report = run(
        tmp_path,
        "accounts",
        """\
        account_id,name,owner_id
        A1,Customer A1,R2
        """,
    )
    assert messages(report) == [
        "accounts.csv:2: owner_id: the primary owner would change from 2026-03-15, inside 2026-Q1, whose "
        "commission run is approved and frozen; it can change from 2026-04-01 on"
    ]
    assert list(Ownership.objects.values_list("rep__external_id", "end_date")) == [("R1", None)]
