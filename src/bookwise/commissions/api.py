"""Commissions over the API: runs (admins and directors compute and approve), statements
(scoped: own, team, everything), disputes, and the rebate list.

A statement is the run's stored JSON (see present.py) plus `id`, `run_id`, `status`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bookwise.accounts.selectors import visible_accounts
from bookwise.core.errors import ApplicationError
from bookwise.core.validation import InvalidValue

from . import selectors, services
from .models import Dispute, Run, Statement
from .present import money
from .services import run_chunks

router = Router(tags=["commissions"])


class NoQueue(ApplicationError):
    status_code = 503


class RunIn(Schema):
    period: str
    background: bool = Field(
        False,
        description="Queue the run and answer 202 with the job to follow at GET /api/jobs/{id}, "
        "instead of computing it in the request (201 with the run).",
    )


class RunOut(Schema):
    id: int
    period: str
    status: str
    created_at: datetime
    approved_at: datetime | None
    statements: int
    commission: str | None
    override: str | None
    adjustments: str | None


class QueuedJobOut(Schema):
    id: int
    state: str  # "queued"; "done" (or "failed") when the queue runs jobs at once (no worker)
    url: str  # GET it to follow the job: /api/jobs/<id>
    page: str  # where a person follows it: the job's line on /jobs/ (the run's page once done)


class RunQueuedOut(Schema):
    job: QueuedJobOut


class DisputeIn(Schema):
    order_id: str
    comment: str


class ResolveIn(Schema):
    decision: str  # accepted | rejected
    reason: str = ""
    # 0 or more (with clawback it is taken back); at most 15 digits, else not money (no 500 on 1e30)
    amount: Decimal | None = Field(None, max_digits=15)
    clawback: bool = False
    beyond_limit: bool = False  # the amount is more than 10 x the line's commission, on purpose


class DisputeOut(Schema):
    id: int
    statement_id: int
    rep_id: str
    period: str
    order_id: str
    comment: str
    status: str
    amount: str | None
    resolution: str
    settled_in_run: int | None


def _run_out(request: HttpRequest, run: Run) -> RunOut:
    visible = selectors.statement_list(user=request.user, run=run)
    full = selectors.can_run(request.user)
    return RunOut(
        id=run.pk,
        period=run.period,
        status=run.status,
        created_at=run.created_at,
        approved_at=run.approved_at,
        statements=visible.count(),
        commission=money(run.commission) if full else None,
        override=money(run.override) if full else None,
        adjustments=money(run.adjustments) if full else None,
    )


def statement_out(st: Statement, lines: bool = True) -> dict[str, Any]:
    data = {"id": st.pk, "run_id": st.run_id, "status": st.run.status, **(st.as_json() if lines else st.data)}
    return data


def _dispute_out(d: Dispute) -> DisputeOut:
    return DisputeOut(
        id=d.pk,
        statement_id=d.statement_id,
        rep_id=d.statement.rep.external_id,
        period=d.statement.run.period,
        order_id=d.order_id,
        comment=d.comment,
        status=d.status,
        amount=money(d.amount),
        resolution=d.resolution,
        settled_in_run=d.settled_in_id,
    )


@router.get("/commissions/runs", response=list[RunOut])
def runs(request: HttpRequest) -> list[RunOut]:
    return [_run_out(request, r) for r in selectors.run_list(user=request.user)]


@router.post("/commissions/runs", response={201: RunOut, 202: RunQueuedOut})
def run_create(request: HttpRequest, payload: RunIn) -> Status[RunOut] | Status[RunQueuedOut]:
    """Compute the period's draft run (201, the run), or with `background` queue it (202, the
    job to follow at its `url`); the period and the caller's right are checked first."""
    if payload.background:
        return Status(202, _run_queue(request, payload.period))
    run = services.run_compute(period=payload.period, actor=request.user)
    return Status(201, _run_out(request, run))


def _run_queue(request: HttpRequest, period: str) -> RunQueuedOut:
    queued = run_chunks.run_queue(period=period, actor=request.user)
    if queued is None:
        raise NoQueue('There is no job queue here: run it without "background".')
    job = QueuedJobOut(id=queued.id, state=queued.state, url=queued.url, page=queued.page)
    return RunQueuedOut(job=job)


@router.get("/commissions/runs/{run_id}", response=RunOut, url_name="commissions_run")
def run_detail(request: HttpRequest, run_id: int) -> RunOut:
    return _run_out(request, selectors.run_get(user=request.user, run_id=run_id))


@router.post("/commissions/runs/{run_id}/approve", response=RunOut)
def run_approve(request: HttpRequest, run_id: int) -> RunOut:
    run = selectors.run_get(user=request.user, run_id=run_id)
    return _run_out(request, services.run_approve(run=run, actor=request.user))


@router.get("/commissions/statements", response=list[dict[str, Any]])
def statements(
    request: HttpRequest, period: str = "", rep_id: str = "", run_id: int | None = None
) -> list[dict[str, Any]]:
    run = selectors.run_get(user=request.user, run_id=run_id) if run_id else None
    qs = selectors.statement_list(user=request.user, run=run, period=period, rep_id=rep_id)
    return [statement_out(st, lines=False) for st in qs]


@router.get("/commissions/statements/{statement_id}", response=dict)
def statement_detail(request: HttpRequest, statement_id: int) -> dict[str, Any]:
    return statement_out(selectors.statement_get(user=request.user, statement_id=statement_id))


@router.post("/commissions/statements/{statement_id}/disputes", response={201: DisputeOut})
def dispute_create(request: HttpRequest, statement_id: int, payload: DisputeIn) -> Status[DisputeOut]:
    st = selectors.statement_get(user=request.user, statement_id=statement_id)
    d = services.dispute_open(
        statement=st, order_id=payload.order_id, comment=payload.comment, actor=request.user
    )
    return Status(201, _dispute_out(d))


@router.get("/commissions/disputes", response=list[DisputeOut])
def disputes(request: HttpRequest, status: str = "") -> list[DisputeOut]:
    return [_dispute_out(d) for d in selectors.dispute_list(user=request.user, status=status)]


@router.post("/commissions/disputes/{dispute_id}/resolve", response=DisputeOut)
def dispute_resolve(request: HttpRequest, dispute_id: int, payload: ResolveIn) -> DisputeOut:
    d = selectors.dispute_get(user=request.user, dispute_id=dispute_id)
    if payload.decision not in ("accepted", "rejected"):
        raise InvalidValue("Decision", f"{payload.decision!r} is neither accepted nor rejected.", "decision")
    d = services.dispute_resolve(
        dispute=d, actor=request.user, accept=payload.decision == "accepted", reason=payload.reason,
        amount=payload.amount, clawback=payload.clawback, beyond_limit=payload.beyond_limit,
    )  # fmt: skip
    return _dispute_out(d)


@router.get("/commissions/rebates", response=list[dict[str, Any]])
def rebates(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    rows = selectors.rebate_report(year=year, accounts=visible_accounts(user=request.user))
    return [
        {
            **r,
            "revenue": money(r["revenue"]),
            "tier": money(r["tier"]),
            "rate": float(r["rate"]),
            "rebate": money(r["rebate"]),
        }
        for r in rows
    ]
