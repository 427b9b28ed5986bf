import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bookwise.config.settings import database_from_url, envbool
from bookwise.core.models import ApiToken, AuditEntry
from bookwise.core.services import api_token_create, audit_record
from tests import factories as f
from tests.console import Console


def run_cli(args: list[str], db_path: Path):
    return Console(db_path.parent, database=db_path)(*args, timeout=120)


def test_commands_on_a_database_without_schema_say_so(tmp_path):
    result = run_cli(["export", "accounts", str(tmp_path / "out.csv")], tmp_path / "empty.sqlite3")
    assert result.returncode == 1
    assert "has no Bookwise schema yet" in result.stderr
    assert "bookwise migrate" in result.stderr


def test_migrate_then_commands_run(tmp_path):
    db = tmp_path / "book.sqlite3"
    assert run_cli(["migrate", "--no-input", "-v0"], db).returncode == 0
    result = run_cli(["check"], db)
    assert result.returncode == 0, result.stderr


def test_a_database_missing_one_migration_is_refused_and_a_current_one_runs(cli, tmp_path):
    """The quick check (every migration file recorded as applied) lets a migrated database
    through; one migration unrecorded sends the command to Django's executor, which names it.
    (A copy of the session's database, migrated by `bookwise migrate` as the test above does.)"""
    db = cli.database
    assert run_cli(["export", "accounts", str(tmp_path / "out.csv")], db).returncode == 0
    with sqlite3.connect(db) as connection:  # the newest migration, as after an upgrade of the code
        connection.execute("DELETE FROM django_migrations WHERE id = (SELECT MAX(id) FROM django_migrations)")
    result = run_cli(["export", "accounts", str(tmp_path / "out.csv")], db)
    assert result.returncode == 1
    assert "older Bookwise schema (1 migration to apply)" in result.stderr
    assert "bookwise migrate" in result.stderr
    with sqlite3.connect(db) as connection:  # one in the middle: a history Django's migrate refuses too
        connection.execute("DELETE FROM django_migrations WHERE app = 'jobs' AND name = '0001_job'")
    result = run_cli(["export", "accounts", str(tmp_path / "out.csv")], db)
    assert result.returncode == 1 and "out of order" in result.stderr, result.stderr


def test_envbool_accepts_only_true_and_false(monkeypatch):
    monkeypatch.setenv("X_FLAG", "True")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        envbool("X_FLAG", False)


def test_database_urls():
    pg = database_from_url("postgresql://postgres@127.0.0.1:5432/book")
    assert pg["ENGINE"] == "django.db.backends.postgresql" and pg["NAME"] == "book"
    lite = database_from_url("sqlite:////tmp/x.sqlite3")
    assert lite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {**os.environ, "BOOKWISE_ENV": "production"}
    env.pop("BOOKWISE_SECRET_KEY", None)
    code = "import bookwise.config.settings"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "BOOKWISE_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_audit_records_actor_and_object():
    admin = f.admin_user()
    acc = f.account("A-1")
    entry = audit_record(actor=admin, action="account.touch", obj=acc, data={"x": 1})
    assert AuditEntry.objects.get() == entry
    assert (entry.actor, entry.object_type, entry.object_id) == (admin, "accounts.account", str(acc.pk))


@pytest.mark.django_db
def test_api_tokens_are_stored_hashed_and_resolve_to_their_user():
    admin = f.admin_user()
    key = api_token_create(user=admin, label="ci")
    assert not ApiToken.objects.filter(digest=key).exists()
    assert ApiToken.user_for(key) == admin
    assert ApiToken.user_for(key + "x") is None
    admin.is_active = False
    admin.save()
    assert ApiToken.user_for(key) is None
