"""`bookwise ... --as USER`: what a command changes is recorded for that user; without
--as, for the operating-system user. Run as real subprocesses of the console script."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bookwise.cli import split_as
from tests.console import console_on_copy

REPS = "rep_id,name,role\nR1,Rita Rep,account_manager\nR2,Ben Becker,account_manager\n"
ACCOUNTS = "account_id,name,owner_id,created_date\nA1,Acme,R1,2020-01-01\n"
OWNERSHIP = "account_id,rep_id,role,start_date,end_date,reason\nA1,R2,primary,2020-01-01,,\n"
MAKE_USER = "from django.contrib.auth.models import User; User.objects.create_user('sm1', first_name='Sam')"


@pytest.fixture(scope="module")
def cli(migrated_database, tmp_path_factory):
    run = console_on_copy(migrated_database, tmp_path_factory.mktemp("cli"))
    for name, text in [("reps.csv", REPS), ("accounts.csv", ACCOUNTS), ("ownership.csv", OWNERSHIP)]:
        run.write(name, text)
    assert run("shell", "-c", MAKE_USER).returncode == 0
    return run


def entries(db: Path) -> list[dict]:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            "SELECT e.*, u.username FROM core_auditentry e"
            " LEFT JOIN auth_user u ON u.id = e.actor_id ORDER BY e.id"
        )
        return [{**dict(r), "data": json.loads(r["data"])} for r in rows]


def test_a_command_with_as_is_recorded_for_that_user(cli):
    assert cli("import", "reps", "reps.csv").returncode == 0
    done = cli("import", "accounts", "accounts.csv")  # opens A1's owner: recorded for the OS user
    assert done.returncode == 0, done.stderr
    [opened] = entries(cli.database)
    assert opened["username"] is None and opened["actor_name"].endswith("(OS user)")
    assert opened["via"] == "command" and opened["data"]["os_user"]

    refused = cli("import", "ownership", "ownership.csv", "--as", "nobody")
    assert refused.returncode == 1 and "error: --as nobody: there is no user 'nobody'" in refused.stderr
    assert len(entries(cli.database)) == 1  # nothing ran

    done = cli("import", "ownership", "ownership.csv", "--as", "sm1")
    assert done.returncode == 0, done.stderr
    entry = entries(cli.database)[-1]
    assert (entry["action"], entry["username"], entry["actor_name"]) == (
        "ownership.import",
        "sm1",
        "Sam (sm1)",
    )
    assert entry["account_label"] == "A1 Acme" and entry["via"] == "command"
    assert entry["data"]["command"] == "bookwise import ownership ownership.csv"
    assert entry["data"]["before"] == ["primary: Rita Rep (R1) 2020-01-01..open, import"]
    assert entry["data"]["after"] == ["primary: Ben Becker (R2) 2020-01-01..open, import"]


def test_as_is_taken_only_as_itself():
    assert split_as(["bookwise", "commissions", "run", "--as-of", "2026-01-01", "--as=sm1"]) == (
        ["bookwise", "commissions", "run", "--as-of", "2026-01-01"],
        "sm1",
    )
    with pytest.raises(SystemExit):
        split_as(["bookwise", "import", "reps", "x.csv", "--as"])
