"""Commissions: the demo plan file loaded through the commissions service, the quarter
before last run and approved with one disputed line, and the last complete quarter
computed (a draft run, not approved)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bookwise.commissions.models import Statement
from bookwise.commissions.services.disputes import dispute_open
from bookwise.commissions.services.plans import plan_file_load
from bookwise.commissions.services.runs import run_approve, run_compute
from bookwise.core.dates import parse_period

from .common import director

PLAN_FILE = Path(__file__).resolve().parent.parent / "commission_plans.yaml"
DISPUTE = "This order was agreed before the account came to me; I expected the full rate."


def quarters(today: date) -> tuple[str, str]:
    """(quarter before last, last complete quarter) labels, e.g. ('2025-Q4', '2026-Q1')."""
    current = parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    last = current.previous()
    return last.previous().label, last.label


def plan_text(today: date) -> str:
    return PLAN_FILE.read_text(encoding="utf-8").replace("__YEAR__", str(today.year))


def _dispute(run) -> int:
    statements = Statement.objects.filter(run=run, rep__role="account_manager", rep__end_date__isnull=True)
    statement = statements.select_related("rep__user").order_by("rep__external_id").first()
    if statement is None or not statement.lines or statement.rep.user is None:
        return 0
    order_id = sorted(line[0] for line in statement.lines)[0]
    dispute_open(statement=statement, order_id=order_id, comment=DISPUTE, actor=statement.rep.user)
    return 1


def build_commissions(today: date) -> dict[str, int]:
    boss = director().user
    plan_file_load(text=plan_text(today), filename=PLAN_FILE.name, actor=boss)
    before_last, last = quarters(today)
    computed = run_compute(period=before_last, actor=boss, today=today)
    approved = run_approve(run=computed, actor=boss, today=today)
    disputes = _dispute(approved)
    run_compute(period=last, actor=boss, today=today)
    return {"commission runs": 2, "disputes": disputes}
