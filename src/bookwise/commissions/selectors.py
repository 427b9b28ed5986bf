"""Reads of runs, statements and disputes, scoped through people.selectors.scope_for:
a rep sees their own statements, a manager their team's, directors and admins all.
What a user may not see is NotFound (never a leak)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from bookwise.core.errors import NotFound
from bookwise.core.users import Viewer
from bookwise.people.selectors import scope_for

from .models import Dispute, Run, Statement
from .rebates import AccountRebate, account_rebate_status, rebate_report

__all__ = [
    "AccountRebate",
    "account_rebate_status",
    "can_approve",
    "can_run",
    "dispute_get",
    "dispute_list",
    "rebate_report",
    "run_get",
    "run_list",
    "statement_get",
    "statement_list",
]


def can_run(user: Viewer) -> bool:
    """Admins, directors and sales ops compute runs (and see every run's totals, and the
    what-if page)."""
    scope = scope_for(user)
    return scope.manages_everything or scope.sales_ops


def can_approve(user: Viewer) -> bool:
    """Admins and directors approve (sign off) runs; sales ops do not."""
    return scope_for(user).manages_everything


def statement_list(
    *, user: Viewer, run: Run | None = None, period: str = "", rep_id: str = "", status: str = ""
) -> QuerySet[Statement]:
    scope = scope_for(user)
    # lists read the summary (`data`, money columns), never the compressed lines
    qs = Statement.objects.select_related("run", "rep", "plan_version__plan").defer("lines_blob")
    if not scope.everything:
        qs = qs.filter(rep_id__in=scope.rep_ids)
    if run is not None:
        qs = qs.filter(run=run)
    if period:
        qs = qs.filter(run__period=period)
    if rep_id:
        qs = qs.filter(rep__external_id=rep_id)
    if status:
        qs = qs.filter(run__status=status)
    return qs.order_by("-run__period", "-run_id", "rep__external_id")


def statement_get(*, user: Viewer, statement_id: int) -> Statement:
    statement = (
        Statement.objects.select_related("run", "rep", "plan_version__plan").filter(pk=statement_id).first()
    )
    if statement is None or not scope_for(user).covers(statement.rep_id):
        raise NotFound("No such statement.")
    return statement


def run_list(*, user: Viewer) -> QuerySet[Run]:
    """Approvers see every run; others the runs holding a statement they may see."""
    scope = scope_for(user)
    qs = Run.objects.all()
    if not scope.everything:
        visible = Statement.objects.filter(run=OuterRef("pk"), rep_id__in=scope.rep_ids)
        qs = qs.filter(Exists(visible))
    return qs.order_by("-period", "-id")


def run_get(*, user: Viewer, run_id: int) -> Run:
    run = run_list(user=user).filter(pk=run_id).first()
    if run is None:
        raise NotFound("No such run.")
    return run


def dispute_list(*, user: Viewer, status: str = "") -> QuerySet[Dispute]:
    scope = scope_for(user)
    qs = Dispute.objects.select_related("statement__rep", "statement__run", "raised_by", "resolved_by")
    if not scope.everything:
        qs = qs.filter(statement__rep_id__in=scope.rep_ids)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def dispute_get(*, user: Viewer, dispute_id: int) -> Dispute:
    dispute = dispute_list(user=user).filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound("No such dispute.")
    return dispute
