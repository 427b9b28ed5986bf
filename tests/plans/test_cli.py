"""`bookwise plans coverage|overdue|remind`."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from bookwise.plans.models import ReviewReminder

from .helpers import approved, book

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("plans", *args, stdout=out)
    return out.getvalue()


def test_coverage_json(org):
    a1, _, _ = book(org)
    approved(a1, org["M1"].user)
    rows = {
        r["account_id"]: r for r in json.loads(run("coverage", "--date", "2026-03-01", "--format", "json"))
    }
    assert rows["A1"] == {
        "account_id": "A1", "name": "Customer A1", "tier": "A", "t12m_revenue": "0.00", "marked": False,
        "needs_plan": True, "has_plan": True, "owner_id": "R1", "territory": "North",
    }  # fmt: skip
    assert (rows["A3"]["needs_plan"], rows["A3"]["has_plan"], rows["A2"]["tier"]) == (True, False, "C")


def test_coverage_table_and_csv(org):
    book(org)
    assert run("coverage", "--date", "2026-03-01").splitlines()[0].startswith("account_id")
    assert run("coverage", "--format", "csv").splitlines()[1].startswith("A1,Customer A1,A,")


def test_overdue_json(org):
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    assert json.loads(run("overdue", "--date", "2026-03-07", "--format", "json")) == []
    [row] = json.loads(run("overdue", "--date", "2026-03-10", "--format", "json"))
    assert row == {
        "plan_id": plan.pk, "account_id": "A1", "year": 2026, "owner_id": "R1",
        "due_date": "2026-02-28", "days_overdue": 10,
    }  # fmt: skip


def test_remind_is_idempotent_per_plan_and_due_date(org, django_capture_on_commit_callbacks):
    a1, _, _ = book(org)
    approved(a1, org["M1"].user, on=date(2026, 1, 31))
    assert (
        json.loads(run("remind", "--date", "2026-03-10", "--dry-run", "--format", "json"))[0]["account_id"]
        == "A1"
    )
    assert not ReviewReminder.objects.exists() and len(mail.outbox) == 0
    with django_capture_on_commit_callbacks(execute=True):
        run("remind", "--date", "2026-03-10")
    with django_capture_on_commit_callbacks(execute=True):
        run("remind", "--date", "2026-03-12")
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["m1@example.com", "r1@example.com"]
    assert "2026-02-28" in mail.outbox[0].body
    assert ReviewReminder.objects.get().due_date == date(2026, 2, 28)


def test_bad_date_is_an_error(db):
    with pytest.raises(CommandError, match="is not a date"):
        run("overdue", "--date", "2026-13-01")
