"""`bookwise rebalance propose ... --format json` and `bookwise rebalance commit`, run as
real subprocesses of the console script against a fresh SQLite database."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.console import console_on_copy

REPS = (
    "rep_id,name,role,manager_id,territory,region,capacity\n"
    "M1,Mia Manager,sales_manager,,North,East,100\n"
    "R1,Rita Rep,account_manager,M1,North,East,10\n"
    "R5,Ravi Rep,account_manager,M1,North,East,10\n"
)
ACCOUNTS = "account_id,name,owner_id,created_date,territory\n" + "".join(
    f"AC-{i:02d},Customer {i},R1,2020-01-01,North\n" for i in range(8)
)
MAKE_USER = (
    "from django.contrib.auth.models import User; from bookwise.people.models import Rep; "
    "u = User.objects.create_user('mia'); Rep.objects.filter(external_id='M1').update(user=u)"
)


@pytest.fixture(scope="module")
def cli(migrated_database, tmp_path_factory):
    run = console_on_copy(migrated_database, tmp_path_factory.mktemp("rebalance_cli"))
    run.write("reps.csv", REPS)
    run.write("accounts.csv", ACCOUNTS)
    for what in ("reps", "accounts"):
        done = run("import", what, f"{what}.csv")
        assert done.returncode == 0, done.stderr
    assert run("shell", "-c", MAKE_USER).returncode == 0
    return run


def test_propose_json_then_commit(cli):
    done = cli("rebalance", "propose", "--scope", "team:M1", "--tolerance", "0.10", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    keys = ("scope", "feasible", "objective", "bound", "gap", "greedy_objective", "moves", "before", "after")
    for key in keys:
        assert key in data
    assert data["scope"] == "team:M1" and data["feasible"] is True
    # target 8 / 20 = 40 %, band 30-50 % of 10 = 3 to 5 points: R1 8 -> 5, R5 0 -> 3, three moves
    assert [(m["from"], m["to"]) for m in data["moves"]] == [("R1", "R5")] * 3
    assert {r["rep_id"]: r["load"] for r in data["after"]} == {"R1": 5.0, "R5": 3.0}
    assert data["balance_before"] == {"max_load_ratio": 0.8, "cv": 1.0}
    assert data["balance_after"] == {"max_load_ratio": 0.5, "cv": 0.25}
    assert data["gap"] == 0.0
    assert data["objective"] <= data["greedy_objective"] <= data["nothing_objective"]

    refused = cli("rebalance", "commit", str(data["proposal_id"]), "--effective", "2099-01-01", "--as", "mia")
    assert refused.returncode == 1 and "Effective date" in refused.stderr
    today = date.today().isoformat()
    done = cli("rebalance", "commit", str(data["proposal_id"]), "--effective", today, "--as", "mia")
    assert done.returncode == 0, done.stderr
    assert "3 transfers drafted" in done.stdout


def test_nonsense_is_refused_in_words(cli):
    bad = cli("rebalance", "propose", "--scope", "galaxy:far")
    assert bad.returncode == 1 and "Scope: 'galaxy:far' is not a scope" in bad.stderr
    bad = cli("rebalance", "propose", "--scope", "all", "--max-moves", "-3")
    assert bad.returncode == 1 and "Most moves: '-3'" in bad.stderr


def test_the_revenue_cap_is_an_option_refused_when_negative(cli):
    bad = cli("rebalance", "propose", "--scope", "team:M1", "--max-revenue-moved", "-5")
    assert bad.returncode == 1 and "Most revenue moved: '-5' is negative." in bad.stderr
    done = cli("rebalance", "propose", "--scope", "team:M1", "--max-revenue-moved", "0", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["options"]["max_revenue_moved"] == 0.0


def test_pins_from_the_command_line(cli):
    done = cli("rebalance", "pin", "AC-07", "--note", "Key contract until 2030", "--as", "mia")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Customer 7 (AC-07) stays with its owner."
    listed = cli("rebalance", "pins", "--format", "json")
    assert [(p["account_id"], p["note"], p["pinned_by"]) for p in json.loads(listed.stdout)] == [
        ("AC-07", "Key contract until 2030", "mia")
    ]
    bad = cli("rebalance", "pin", "AC-06", "--note", "-")
    assert bad.returncode == 1 and "Why it stays" in bad.stderr
    bad = cli("rebalance", "pin", "AC-99", "--note", "Key contract")
    assert bad.returncode == 1 and "no account with id 'AC-99'" in bad.stderr
    done = cli("rebalance", "unpin", "AC-07")
    assert done.returncode == 0 and "Customer 7 (AC-07) may be rebalanced again." in done.stdout
    assert json.loads(cli("rebalance", "pins", "--format", "json").stdout) == []


def test_balance_revenue_or_potential_and_its_tolerance(cli):
    done = cli("rebalance", "propose", "--scope", "team:M1", "--balance", "potential",
               "--balance-tolerance", "0.2", "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["options"]["balance"] == "potential" and data["options"]["balance_tolerance"] == 0.2
    assert {r["rep_id"]: r["potential"] for r in data["after"]} == {"R1": 0.0, "R5": 0.0}
    assert data["balance_after"]["potential"] == {"max_ratio": 0.0, "cv": 0.0}
    for typed in ("-0.1", "1.5", "-"):
        flags = ("--scope=team:M1", "--balance=revenue", f"--balance-tolerance={typed}")
        bad = cli("rebalance", "propose", *flags)
        said = "a number" if typed == "-" else "a share of each rep's target from 0 to 1"
        assert bad.returncode == 1 and f"Balance tolerance: '{typed}' is not {said}" in bad.stderr
    bad = cli("rebalance", "propose", "--scope", "team:M1", "--balance", "profit")
    assert bad.returncode == 1 and "Balance: 'profit' is not one of revenue, potential" in bad.stderr
