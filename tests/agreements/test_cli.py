"""`bookwise import agreements` and `bookwise agreements renewals` as real subprocesses of the
console script, on their own SQLite database."""

from __future__ import annotations

import json

import pytest

from tests.console import console_on_copy

REPS = "rep_id,name,role\nR1,Rita Rep,account_manager\n"
ACCOUNTS = "account_id,name,owner_id,created_date\nA1,Acme,R1,2020-01-01\n"
ORDERS = (
    "order_id,account_id,order_date,amount,product_line,kind\n"
    "O1,A1,2026-01-15,5000.00,Pumps,contract_release\n"
)
AGREEMENTS = (
    "agreement_id,account_id,kind,start_date,end_date,committed_amount,product_line,owner_id\n"
    "AG-1,A1,blanket,2026-01-01,2026-05-31,36500.00,Pumps,R1\n"
    "AG-2,A1,kanban,2026-01-01,2026-12-31,1000.00,,R1\n"
)


@pytest.fixture(scope="module")
def cli(migrated_database, tmp_path_factory):
    run = console_on_copy(migrated_database, tmp_path_factory.mktemp("agreements-cli"))
    for name, text in [("reps.csv", REPS), ("accounts.csv", ACCOUNTS), ("orders.csv", ORDERS),
                       ("agreements.csv", AGREEMENTS)]:  # fmt: skip
        run.write(name, text)
    for kind in ("reps", "accounts", "orders", "agreements"):
        done = run("import", kind, f"{kind}.csv")
        assert done.returncode == 0, done.stderr
    return run


def test_renewals_as_json(cli):
    done = cli("agreements", "renewals", "--days", "90", "--date", "2026-04-10", "--format", "json")
    assert done.returncode == 0, done.stderr
    [row] = json.loads(done.stdout)
    assert {k: row[k] for k in ("agreement_id", "account_id", "end_date", "committed_amount", "released",
                                "remaining", "owner_id")} == {
        "agreement_id": "AG-1", "account_id": "A1", "end_date": "2026-05-31", "committed_amount": "36500.00",
        "released": "5000.00", "remaining": "31500.00", "owner_id": "R1",
    }  # fmt: skip
    wider = json.loads(
        cli("agreements", "renewals", "--days", "300", "--date", "2026-04-10", "--format", "json").stdout
    )
    assert [r["agreement_id"] for r in wider] == ["AG-1", "AG-2"]


def test_bad_arguments_say_what_is_wrong(cli):
    done = cli("agreements", "renewals", "--days", "-3")
    assert done.returncode == 1 and "--days: '-3' is not a whole number of days" in done.stderr
    done = cli("agreements", "renewals", "--date", "2026-02-30")
    assert done.returncode == 1 and "--date:" in done.stderr


def test_a_bad_file_imports_nothing(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "agreement_id,account_id,kind,start_date,end_date,committed_amount\nAG-9,A1,blanket,2026-01-01,2026-12-31,-1\n"
    )
    done = cli("import", "agreements", str(bad))
    assert done.returncode == 1 and "bad.csv:2: committed_amount: -1.00 must be more than 0" in done.stderr
    assert "AG-9" not in cli("agreements", "renewals", "--days", "3650", "--date", "2026-01-01").stdout


def test_remind_mails_the_owner_once_from_the_notice_date(cli, tmp_path):
    reps = "rep_id,name,role,email\nR1,Rita Rep,account_manager,rita@example.com\n"
    (tmp_path / "reps.csv").write_text(reps)
    assert cli("import", "reps", str(tmp_path / "reps.csv")).returncode == 0
    early = cli("agreements", "remind", "--date", "2026-02-20", "--dry-run")  # AG-1: notice from 2026-03-02
    assert early.returncode == 0 and json.loads(early.stdout)["reminders"] == []
    dry = cli("agreements", "remind", "--date", "2026-04-10", "--dry-run")
    [due] = json.loads(dry.stdout)["reminders"]
    assert (due["agreement_id"], due["recipients"]) == ("AG-1", ["rita@example.com"])
    sent = cli("agreements", "remind", "--date", "2026-04-10")  # the console mail backend prints it
    assert sent.returncode == 0, sent.stderr
    assert "Subject: Agreement AG-1 ends on 2026-05-31: Acme" in sent.stdout
    assert "To: rita@example.com" in sent.stdout
    again = cli("agreements", "remind", "--date", "2026-04-12")
    assert json.loads(again.stdout)["reminders"] == [] and "Subject:" not in again.stdout
