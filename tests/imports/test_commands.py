"""The `import` / `export` commands: summary on stdout, errors on stderr, exit codes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bookwise.people.models import Rep
from tests.console import console_on_copy

from .helpers import write


def _call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, skip_checks=True)
    return out.getvalue(), err.getvalue()


def test_import_prints_a_one_line_summary(db, tmp_path):
    path = write(tmp_path, "reps.csv", "rep_id,name,role\nX1,Xa,hunter\nX2,Xb,hunter\n")
    out, err = _call("import", "reps", str(path))
    assert out == "reps: 2 created, 0 updated, 0 unchanged\n"
    out, _ = _call("import", "reps", str(path))
    assert out == "reps: 0 created, 0 updated, 2 unchanged\n"


def test_dry_run_changes_nothing(db, tmp_path):
    path = write(tmp_path, "reps.csv", "rep_id,name,role\nX1,Xa,hunter\n")
    out, _ = _call("import", "reps", str(path), "--dry-run")
    assert out.startswith("reps: 1 created, 0 updated, 0 unchanged")
    assert not Rep.objects.exists()


def test_errors_go_to_stderr_and_fail(db, tmp_path):
    path = write(tmp_path, "reps.csv", "rep_id,name,role\nX1,Xa,boss\nX2,,hunter\n")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", "reps", str(path), stderr=err, skip_checks=True)
    assert type(caught.value).__name__ == "error"  # Django prints "error: <message>"
    assert err.getvalue().splitlines() == [
        f"{path}:2: role: 'boss' is not one of hunter, account_manager, sales_manager, director",
        f"{path}:3: name: required",
    ]
    assert not Rep.objects.exists()


def test_missing_file_and_unknown_user(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _call("import", "reps", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="no user called 'ghost'"):
        _call("export", "reps", str(tmp_path / "x.csv"), "--user", "ghost")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="one end-to-end run is enough")
def test_cli_exit_codes_and_stderr_format(migrated_database, tmp_path):
    cli = console_on_copy(migrated_database, tmp_path, suffix=("--skip-checks",))
    good = write(tmp_path, "reps.csv", "rep_id,name,role\nX1,Xa,hunter\n")
    done = cli("import", "reps", "reps.csv")
    assert (done.returncode, done.stdout) == (0, "reps: 1 created, 0 updated, 0 unchanged\n"), done.stderr
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    bad = write(tmp_path, "bad.csv", "rep_id,name,role,colour\nX1,Xa,hunter,red\n")
    done = cli("import", "reps", bad.name)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith("bad.csv:1: colour: unknown column")
    assert lines[-1] == "error: 1 error(s) in bad.csv; nothing was imported"
    assert good.exists()
