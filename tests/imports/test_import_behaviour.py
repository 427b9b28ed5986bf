"""Upserts, idempotent re-imports, owners, history replacement, dry runs, XLSX and BOM."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.imports.services import import_file
from bookwise.people.models import Rep
from tests import factories

from .helpers import TODAY, counts, messages, run, write

REPS = """\
    rep_id,name,email,role,manager_id,territory,region,hire_date,end_date,capacity
    D1,Dana Director,dana@example.com,director,,,,2015-01-01,,
    M1,Max Manager,max@example.com,sales_manager,D1,North,East,2018-01-01,,80
    R1,Rita Rep,rita@example.com,account_manager,M1,North,East,2020-05-01,,
    H1,Hank Hunter,,hunter,M1,North,,2021-01-01,2025-12-31,120
    """
ACCOUNTS = """\
    account_id,name,industry,territory,owner_id,secondary_owner_id,parent_account_id,created_date,potential_revenue,status,lost_date,lost_reason
    A1,Acme Holding,Metal,North,R1,,,2020-06-01,100000.00,active,,
    A2,Acme Sub,Metal,North,R1,H1,A1,,2500.5,,,
    A3,Gone Ltd,Food,North,R1,,,2019-01-01,,lost,2025-06-30,price
    """


@pytest.fixture
def people(db, tmp_path):
    assert counts(run(tmp_path, "reps", REPS)) == (4, 0, 0, 0)


def test_reps_import_creates_the_hierarchy_and_territories(people):
    r1 = Rep.objects.select_related("manager", "territory__region").get(external_id="R1")
    assert (
        r1.manager.external_id == "M1" and r1.territory.name == "North" and r1.territory.region.name == "East"
    )
    assert r1.capacity == 100 and Rep.objects.get(external_id="H1").capacity == 120
    assert Rep.objects.get(external_id="H1").email is None


def test_reimport_is_idempotent_and_updates_changes(people, tmp_path):
    assert counts(run(tmp_path, "reps", REPS)) == (0, 0, 4, 0)
    changed = REPS.replace("Rita Rep,rita@example.com", "Rita Smith,rita@example.com")
    assert counts(run(tmp_path, "reps", changed)) == (0, 1, 3, 0)
    assert Rep.objects.get(external_id="R1").name == "Rita Smith"


def test_emails_can_move_between_reps_in_one_file(people, tmp_path):
    text = (
        "rep_id,name,role,email\n"
        "R1,Rita,account_manager,max@example.com\nM1,Max,sales_manager,rita@example.com\n"
    )
    assert counts(run(tmp_path, "reps", text)) == (0, 2, 0, 0)
    assert Rep.objects.get(external_id="R1").email == "max@example.com"


def test_accounts_open_ownership_from_created_date_or_import_date(people, tmp_path):
    assert counts(run(tmp_path, "accounts", ACCOUNTS)) == (3, 0, 0, 0)
    a1 = Account.objects.get(external_id="A1")
    assert a1.potential_revenue == Decimal("100000.00") and a1.industry == "Metal"
    [own] = a1.ownerships.all()
    assert (own.rep.external_id, own.role, own.start_date, own.end_date, own.reason) == (
        "R1",
        "primary",
        date(2020, 6, 1),
        None,
        "import",
    )
    a2 = Account.objects.get(external_id="A2")
    assert a2.parent == a1 and a2.potential_revenue == Decimal("2500.50")
    assert {(o.role, o.rep.external_id, o.start_date) for o in a2.ownerships.all()} == {
        ("primary", "R1", TODAY),
        ("secondary", "H1", TODAY),
    }
    a3 = Account.objects.get(external_id="A3")
    assert (a3.status, a3.lost_date, a3.lost_reason) == ("lost", date(2025, 6, 30), "price")
    assert counts(run(tmp_path, "accounts", ACCOUNTS)) == (0, 0, 3, 0)


def test_a_different_owner_ends_the_open_assignment_the_day_before(people, tmp_path):
    run(tmp_path, "accounts", ACCOUNTS)
    text = "account_id,name,owner_id\nA1,Acme Holding,H1\n"
    report = run(tmp_path, "accounts", text.replace("Acme Holding", "Acme Holding"), today=date(2026, 4, 1))
    assert counts(report) == (0, 1, 0, 0)
    history = list(Ownership.objects.filter(account__external_id="A1").order_by("start_date"))
    assert [(o.rep.external_id, o.start_date, o.end_date) for o in history] == [
        ("R1", date(2020, 6, 1), date(2026, 3, 31)),
        ("H1", date(2026, 4, 1), None),
    ]


def test_an_empty_owner_ends_nothing(people, tmp_path):
    run(tmp_path, "accounts", ACCOUNTS)
    text = (
        "account_id,name,industry,territory,created_date,potential_revenue\n"
        "A1,Acme Holding,Metal,North,2020-06-01,100000\n"
    )
    assert counts(run(tmp_path, "accounts", text)) == (0, 0, 1, 0)
    assert Ownership.objects.get(account__external_id="A1").end_date is None


def test_ownership_file_replaces_each_accounts_history(people, tmp_path):
    run(tmp_path, "accounts", ACCOUNTS)
    text = """\
        account_id,rep_id,role,start_date,end_date,reason
        A1,H1,primary,2020-06-01,2022-12-31,
        A1,R1,primary,2023-01-01,,hunter_to_am
        A1,H1,secondary,2023-01-01,2023-03-31,
        """
    assert counts(run(tmp_path, "ownership", text)) == (3, 0, 0, 1)
    rows = Ownership.objects.filter(account__external_id="A1").order_by("role", "start_date")
    assert [(o.rep.external_id, o.role, o.start_date, o.reason) for o in rows] == [
        ("H1", "primary", date(2020, 6, 1), "import"),
        ("R1", "primary", date(2023, 1, 1), "hunter_to_am"),
        ("H1", "secondary", date(2023, 1, 1), "import"),
    ]
    assert Ownership.objects.filter(account__external_id="A2").count() == 2  # not in the file: untouched
    assert counts(run(tmp_path, "ownership", text)) == (0, 0, 3, 0)


def test_orders_upsert_by_order_id(people, tmp_path):
    run(tmp_path, "accounts", ACCOUNTS)
    text = """\
        order_id,account_id,order_date,amount,gross_profit,product_line,rep_id,kind
        O1,A1,2026-01-05,1000.10,250.00,Pumps,R1,new
        O2,A1,2026-01-06,-50,,,,
        """
    assert counts(run(tmp_path, "orders", text)) == (2, 0, 0, 0)
    o2 = OrderLine.objects.get(external_id="O2")
    assert (o2.amount, o2.gross_profit, o2.rep, o2.kind) == (Decimal("-50.00"), None, None, "repeat")
    assert counts(run(tmp_path, "orders", text)) == (0, 0, 2, 0)
    assert counts(run(tmp_path, "orders", text.replace("-50", "-60"))) == (0, 1, 1, 0)
    assert OrderLine.objects.get(external_id="O2").amount == Decimal("-60.00")


def test_opportunities_upsert(people, tmp_path):
    run(tmp_path, "accounts", ACCOUNTS)
    text = (
        "opportunity_id,account_id,rep_id,name,stage,amount,expected_close_date,closed_date\n"
        "P1,A1,R1,Big deal,proposal,5000,2026-06-30,\nP2,A2,,Lost deal,lost,,,2026-01-01\n"
    )
    assert counts(run(tmp_path, "opportunities", text)) == (2, 0, 0, 0)
    assert counts(run(tmp_path, "opportunities", text.replace("proposal", "won"))) == (0, 1, 1, 0)
    assert Opportunity.objects.get(external_id="P1").stage == "won"


def test_activities_replace_the_reps_day(people, tmp_path):
    run(tmp_path, "accounts", ACCOUNTS)
    text = """\
        rep_id,date,hours,kind,account_id,note
        R1,2026-03-02,2.5,account_nurturing,A1,QBR
        R1,2026-03-02,1,admin,,
        H1,2026-03-02,8,prospecting,,cold calls
        """
    assert counts(run(tmp_path, "activities", text)) == (3, 0, 0, 0)
    assert counts(run(tmp_path, "activities", text)) == (0, 0, 3, 0)
    factories.activity(Rep.objects.get(external_id="R1"), date(2026, 3, 3), "4", "training")
    smaller = "rep_id,date,hours,kind\nR1,2026-03-02,3,admin\n"
    assert counts(run(tmp_path, "activities", smaller)) == (1, 0, 0, 2)
    assert Activity.objects.filter(rep__external_id="R1").count() == 2  # 03-03 untouched
    assert Activity.objects.filter(rep__external_id="H1").count() == 1


def test_dry_run_reports_but_changes_nothing(people, tmp_path):
    report = run(tmp_path, "accounts", ACCOUNTS, dry_run=True)
    assert counts(report) == (3, 0, 0, 0)
    assert report.summary() == "accounts: 3 created, 0 updated, 0 unchanged (dry run: nothing changed)"
    assert Account.objects.count() == 0 and Ownership.objects.count() == 0


def test_bom_and_case_insensitive_headers(people, tmp_path):
    path = write(tmp_path, "acc.csv", "ACCOUNT_ID,Name,Owner_Id\nA9,Nine,R1\n", bom=True)
    report = import_file(kind="accounts", path=path, today=TODAY)
    assert counts(report) == (1, 0, 0, 0)
    assert Account.objects.get(external_id="A9").ownerships.get().rep.external_id == "R1"


def test_xlsx_import(people, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Account_ID", "name", "created_date", "potential_revenue", "owner_id"])
    ws.append(["A10", "Ten", date(2021, 2, 3), 1234.5, "R1"])
    ws.append([11, "Eleven", None, 7, None])
    path = tmp_path / "acc.xlsx"
    wb.save(path)
    report = import_file(kind="accounts", path=path, today=TODAY)
    assert counts(report) == (2, 0, 0, 0)
    ten = Account.objects.get(external_id="A10")
    assert (ten.created_date, ten.potential_revenue) == (date(2021, 2, 3), Decimal("1234.50"))
    assert Account.objects.get(external_id="11").potential_revenue == Decimal("7.00")
    bad = tmp_path / "bad.xlsx"
    ws.append(["A12", "Twelve", "2021-13-01", None, None])
    wb.save(bad)
    report = import_file(kind="accounts", path=bad, filename="bad.xlsx", today=TODAY)
    assert messages(report) == ["bad.xlsx:4: created_date: '2021-13-01' is not a date (use YYYY-MM-DD)"]


def test_reps_with_an_email_get_a_login_named_by_it(people, tmp_path):
    rita = Rep.objects.select_related("user").get(external_id="R1")
    assert rita.user.username == "rita@example.com" and not rita.user.has_usable_password()
    assert Rep.objects.get(external_id="H1").user is None  # no email, no login
    run(tmp_path, "reps", REPS)
    assert get_user_model().objects.count() == 3  # re-import makes no second login
    run(tmp_path, "reps", REPS.replace("rita@example.com", "rita.smith@example.com"))
    rita.user.refresh_from_db()
    assert rita.user.username == rita.user.email == "rita.smith@example.com"
