"""The `bookwise` console script as a user runs it: a subprocess of this checkout's code on a
SQLite file of its own (the one home of the command-line tests' runner).

Migrating a new file costs seconds, so a session migrates one file once (`migrated_database`)
and each test runs on a copy of it (`console`, or `console_on_copy` for a module's fixture).
A test of `migrate` itself runs the command on an empty file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import bookwise

SCRIPT = str(Path(sys.executable).parent / "bookwise")
SRC = str(Path(bookwise.__file__).resolve().parents[1])
DATABASE = "db.sqlite3"


class Console:
    """`bookwise ARGS` run in `folder` on `folder/db.sqlite3` (or `database`), `suffix` after
    every command's own arguments, `env` on top of this process's environment."""

    def __init__(
        self, folder: Path, *, database: Path | None = None, suffix: Sequence[str] = (), **env: str
    ) -> None:
        self.folder = folder
        self.database = database or folder / DATABASE
        self.suffix = tuple(suffix)
        self.env = {
            **os.environ,
            "BOOKWISE_DATABASE_URL": f"sqlite:///{self.database}",
            "PYTHONPATH": SRC,
            **env,
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    def __call__(
        self, *args: str, check: bool = False, timeout: int = 300
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [SCRIPT, *args, *self.suffix], env=self.env, capture_output=True, text=True,
            cwd=self.folder, timeout=timeout,
        )  # fmt: skip
        if check:
            assert done.returncode == 0, f"bookwise {' '.join(args)}: {done.stderr[-3000:]}"
        return done

    def python(self, code: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        """`python -c CODE` with the same code, database and environment (a script that
        drives the pages with Django's client in a process of its own)."""
        return subprocess.run(
            [sys.executable, "-c", code], env=self.env, capture_output=True, text=True,
            cwd=self.folder, timeout=timeout,
        )  # fmt: skip

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path


def migrate_new(folder: Path) -> Path:
    """A new SQLite file in `folder`, migrated through the console script."""
    Console(folder)("migrate", "--no-input", "-v0", "--skip-checks", check=True)
    return folder / DATABASE


def console_on_copy(template: Path, folder: Path, suffix: Sequence[str] = (), **env: str) -> Console:
    """A console on a copy of the migrated `template`, in `folder`."""
    shutil.copyfile(template, folder / DATABASE)
    return Console(folder, suffix=suffix, **env)
