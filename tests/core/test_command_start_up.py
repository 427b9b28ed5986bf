"""Commands start lean: DEBUG only for the development server (a command with DEBUG on keeps
a log of every query it runs), and no system checks before a command (`bookwise check` runs
them)."""

from __future__ import annotations

import os
import subprocess
import sys

from bookwise.cli import without_system_checks
from bookwise.config.settings import development_server

BOOKWISE = [sys.executable, "-c", "from bookwise.cli import main; main()"]


def test_a_command_runs_with_debug_off(tmp_path):
    env = {**os.environ, "BOOKWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("BOOKWISE_DEBUG", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "from django.conf import settings; print(settings.DEBUG)"
    command = [*BOOKWISE, "shell", "-c", code]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_only_the_development_server_is_one(monkeypatch):
    monkeypatch.setenv("BOOKWISE_COMMAND", "runserver")
    assert development_server()
    for command in ("import", "serve", "worker", "report"):
        monkeypatch.setenv("BOOKWISE_COMMAND", command)
        assert not development_server()


def test_commands_skip_the_system_checks_but_check_and_the_servers_run_them():
    assert without_system_checks(["bookwise", "import", "orders", "o.csv"]) == [
        "bookwise",
        "import",
        "--skip-checks",
        "orders",
        "o.csv",
    ]
    for command in ("check", "runserver", "migrate", "help"):
        args = ["bookwise", command]
        assert without_system_checks(args) == args
    assert without_system_checks(["bookwise", "import", "--help"]) == ["bookwise", "import", "--help"]
