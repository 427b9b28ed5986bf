"""`bookwise demo`: builds once, prints the logins, rebuilds on request, serves on 127.0.0.1."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bookwise.accounts.models import Account, OrderLine
from bookwise.core.models import AuditEntry
from bookwise.core.services import audit_record
from bookwise.demo.builder import DEMO_PASSWORD
from bookwise.demo.management.commands import demo as demo_command
from bookwise.people.models import Rep
from bookwise.retention.models import TierPin
from tests import factories
from tests.demo.checksum import book_checksum

from .conftest import SCALE, TODAY

ARGS = ["--no-serve", "--scale", str(SCALE), "--today", TODAY.isoformat()]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_builds_and_prints_the_logins_then_a_second_run_builds_nothing():
    out, _ = run(*ARGS)
    assert "Built the demo company" in out
    for username in ("admin", "dir1", "sm1", "r03"):
        assert f"  {username} " in out
    assert DEMO_PASSWORD in out
    assert "Where the other features have something to show:" in out and "/plans/overdue/" in out
    assert Account.objects.count() == 100
    before = (book_checksum(), OrderLine.objects.count())
    out, _ = run(*ARGS)
    assert "nothing built" in out and "Built" not in out
    assert "  sm1 " in out and DEMO_PASSWORD in out  # the logins are printed again
    assert (book_checksum(), OrderLine.objects.count()) == before


@pytest.mark.django_db
def test_rebuild_wipes_the_features_data_and_builds_the_same_book():
    run(*ARGS)
    first = book_checksum()
    account = Account.objects.get(external_id="AC-0001")
    TierPin.objects.create(account=account, tier="A")
    audit_record(actor=None, action="demo.test", obj=account)
    out, _ = run(*ARGS, "--rebuild")
    assert "Wiped the book" in out and "Built the demo company" in out
    assert book_checksum() == first
    # the rebuilt features write their own audit entries (through their services); ours is gone
    assert not TierPin.objects.exists() and not AuditEntry.objects.filter(action="demo.test").exists()
    assert Account.objects.count() == 100


@pytest.mark.django_db
def test_another_book_is_left_alone_unless_rebuild():
    factories.org()
    factories.account("X1", owner=Rep.objects.get(external_id="R1"))
    out, err = run(*ARGS)
    assert "another book" in err and "Built" not in out
    assert list(Account.objects.values_list("external_id", flat=True)) == ["X1"]
    out, _ = run(*ARGS, "--rebuild")
    assert not Account.objects.filter(external_id="X1").exists()
    assert not Rep.objects.filter(external_id="R1").exists()
    assert Account.objects.count() == 100


@pytest.mark.django_db
def test_serves_on_localhost_after_printing(monkeypatch):
    """gunicorn (`bookwise serve`) with a job worker beside it, stopped with the server (the
    real processes are started by tests/jobs/test_topology.py)."""
    calls, started = [], []

    class Worker:
        def __init__(self, args):
            started.append(args[1:])

        def terminate(self):
            started.append("terminated")

        def wait(self, timeout):
            return 0

    monkeypatch.setattr(demo_command, "call_command", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setattr(demo_command.subprocess, "Popen", Worker)
    out, _ = run("--scale", str(SCALE), "--today", TODAY.isoformat(), "--port", "8123")
    assert calls == [(("serve",), {"workers": 1, "bind": "127.0.0.1:8123"})]
    assert started == [["-m", "bookwise.cli", "worker", "--workers", "1"], "terminated"]
    assert out.index("  dir1 ") < out.index("http://127.0.0.1:8123/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "31/03/2026"], "not a date"),
        (["--scale", "0"], "--scale"),
        (["--port", "70000"], "--port"),
    ],
)
def test_bad_arguments_are_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", "--no-serve", *args, stdout=StringIO())
    assert not Account.objects.exists()
