"""One migrated PostgreSQL database per set of migrations, which the run's test databases are
copied from (`CREATE DATABASE ... TEMPLATE`, a file copy on the server) instead of each being
migrated again: the test database of each pytest process and of the live API run, and the
topology tests' databases.

Its name carries a fingerprint of every migration file (this checkout's and Django's) and
Django's version, so a changed migration makes a new template and the old ones are dropped. The
first process to need it builds it under a PostgreSQL advisory lock, through `bookwise migrate`
on a database that is renamed to the template's name only once migrated (a build that fails
leaves no template behind); the others wait on the lock and copy it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import django
import psycopg

import bookwise

PACKAGES = (Path(bookwise.__file__).parent, Path(django.__file__).parent)
SOURCE = Path(bookwise.__file__).resolve().parents[1]


def fingerprint() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for package in PACKAGES:
        for path in sorted(package.glob("**/migrations/*.py")):
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def split(url: str) -> tuple[str, str]:
    """postgresql://user@host:port/name -> (the server's URL without a database, name)."""
    server, _, name = url.rpartition("/")
    return server, name


def migrated_template(url: str) -> str:
    """The template's name for the test databases of `url` (BOOKWISE_TEST_DATABASE_URL),
    built first if it is missing."""
    server, base = split(url)
    name = f"{base}_migrated_{fingerprint()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [base])
        try:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                _build(conn, server, name)
                _drop_older(conn, base, name)
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [base])
    return name


def copy(url: str, name: str) -> str:
    """A new database `name` beside `url`'s (dropped first if it exists), a copy of the
    migrated template; its URL."""
    server, _ = split(url)
    template = migrated_template(url)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{server}/{name}"


def _build(conn: psycopg.Connection, server: str, name: str) -> None:
    building = f"{name}_building"
    conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{building}"')
    env = {**os.environ, "BOOKWISE_DATABASE_URL": f"{server}/{building}", "PYTHONPATH": str(SOURCE)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "bookwise.cli", "migrate", "--no-input", "-v", "0"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        raise RuntimeError(f"migrating the PostgreSQL test template failed:\n{done.stderr[-3000:]}")
    conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')


def _drop_older(conn: psycopg.Connection, base: str, keep: str) -> None:
    rows = conn.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
        [f"{base}\\_migrated\\_%", keep],
    ).fetchall()
    for (old,) in rows:
        conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
