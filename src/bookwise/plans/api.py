"""Account plans over the API: an account's plans, a plan, its workflow and its reviews."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status

from bookwise.accounts.selectors import account_get, today
from bookwise.core.paging import ApiDate

from . import services
from .actuals import PlanActual, plan_actual, plan_actuals
from .models import AccountPlan, PlanReview
from .selectors import next_review, plan_get, primary_owners

router = Router(tags=["plans"])


class PlanOut(Schema):
    plan_id: int
    account_id: str
    owner_id: str | None
    year: int
    status: str
    version: int
    cadence: str
    revenue_target: str | None
    gp_target: str | None
    approved_on: date | None
    next_review_due: date | None
    revenue_ytd: str
    gross_profit_ytd: str
    prorated_target: str | None
    attainment: float | None
    track: str
    objectives_done: float | None


class AccountPlanIn(Schema):
    year: int


class ProgressIn(Schema):
    objective_id: int
    status: str = ""
    note: str = ""


class ReviewIn(Schema):
    review_date: ApiDate
    progress: list[ProgressIn] = []
    notes: str = ""
    next_steps: str = ""


class ReviewOut(Schema):
    number: int
    due_date: date
    review_date: date
    reviewer: str | None
    revenue_to_date: str
    prorated_target: str | None
    progress: list[dict]
    notes: str
    next_steps: str


def _s(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _plan_out(plan: AccountPlan, actual: PlanActual, owner_id: str | None) -> PlanOut:
    return PlanOut(
        plan_id=plan.pk, account_id=plan.account.external_id, owner_id=owner_id, year=plan.year,
        status=plan.status, version=plan.version, cadence=plan.cadence,
        revenue_target=_s(plan.revenue_target), gp_target=_s(plan.gp_target), approved_on=plan.approved_on,
        next_review_due=next_review(plan), revenue_ytd=f"{actual.revenue:.2f}",
        gross_profit_ytd=f"{actual.gross_profit:.2f}", prorated_target=_s(actual.revenue_target),
        attainment=_f(actual.revenue_ratio), track=actual.status, objectives_done=_f(actual.completion),
    )  # fmt: skip


def _owner(plan: AccountPlan, day: date) -> str | None:
    owner = primary_owners([plan.account_id], day).get(plan.account_id)
    return owner[1] if owner else None


def _review_out(review: PlanReview) -> ReviewOut:
    return ReviewOut(
        number=review.number, due_date=review.due_date, review_date=review.review_date,
        reviewer=review.reviewer.get_username() if review.reviewer else None,
        revenue_to_date=f"{review.revenue_to_date:.2f}", prorated_target=_s(review.prorated_target),
        progress=review.progress, notes=review.notes, next_steps=review.next_steps,
    )  # fmt: skip


@router.get("/accounts/{account_id}/plans", response=list[PlanOut])
def account_plans(request, account_id: str):
    account = account_get(user=request.user, account_id=account_id)
    day = today()
    plans = list(
        AccountPlan.objects.filter(account=account).select_related("account").order_by("-year", "-id")
    )
    actuals = plan_actuals(plans, day=day)
    owner = primary_owners([account.pk], day).get(account.pk)
    return [_plan_out(p, actuals[p.pk], owner[1] if owner else None) for p in plans]


@router.post("/accounts/{account_id}/plans", response={201: PlanOut})
def plan_create(request, account_id: str, payload: AccountPlanIn):
    account = account_get(user=request.user, account_id=account_id)
    day = today()
    plan = services.plan_create(account=account, year=payload.year, actor=request.user, day=day)
    return Status(201, _plan_out(plan, plan_actual(plan, day=day), _owner(plan, day)))


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    day = today()
    return _plan_out(plan, plan_actual(plan, day=day), _owner(plan, day))


@router.post("/plans/{plan_id}/submit", response=PlanOut)
def plan_submit(request, plan_id: int):
    plan = services.plan_submit(plan=plan_get(user=request.user, plan_id=plan_id), actor=request.user)
    day = today()
    return _plan_out(plan, plan_actual(plan, day=day), _owner(plan, day))


@router.post("/plans/{plan_id}/approve", response=PlanOut)
def plan_approve(request, plan_id: int):
    day = today()
    plan = services.plan_approve(
        plan=plan_get(user=request.user, plan_id=plan_id), actor=request.user, day=day
    )
    return _plan_out(plan, plan_actual(plan, day=day), _owner(plan, day))


@router.get("/plans/{plan_id}/reviews", response=list[ReviewOut])
def plan_reviews(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    return [_review_out(r) for r in plan.reviews.select_related("reviewer")]


@router.post("/plans/{plan_id}/reviews", response={201: ReviewOut})
def review_create(request, plan_id: int, payload: ReviewIn):
    plan = plan_get(user=request.user, plan_id=plan_id)
    review = services.review_record(
        plan=plan, actor=request.user, review_date=payload.review_date,
        progress=[p.dict() for p in payload.progress], notes=payload.notes, next_steps=payload.next_steps,
    )  # fmt: skip
    return Status(201, _review_out(review))
