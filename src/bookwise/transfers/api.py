"""Transfers API: the workflow, the interview, recommendations, plans and tracking."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bookwise.accounts.selectors import account_get
from bookwise.core.errors import Forbidden, NotFound
from bookwise.core.paging import ApiDate
from bookwise.people.models import Rep
from bookwise.people.selectors import rep_get

from . import plan_edit, planning, rules, services
from .introductions import interview_contacts_update, sync_contacts, unanswered_key_contacts
from .models import SECTION_LABELS, HandoffInterview, PlanLine, ReassignmentPlan, Transfer
from .permissions import can_manage_for, require_may_start
from .recommend import recommend
from .selectors import transfer_get, transfer_list
from .workload import workload_view

router = Router(tags=["transfers"])


class TransferIn(Schema):
    account_id: str
    to: str
    effective_date: ApiDate
    reason: str
    role: str = "primary"
    co_coverage_days: int | None = None
    note: str = ""
    backdate_reason: str = ""


class ReasonIn(Schema):
    """A reason (cancel, waive): required, and a real answer (checked by the service)."""

    reason: str = ""


class CompleteIn(Schema):
    backdate_reason: str = ""


class IntroduceIn(Schema):
    meeting_date: ApiDate
    attendees: str = Field("", max_length=Transfer._meta.get_field("introduction_attendees").max_length)
    notes: str = ""
    contacts_met: list[str] = Field(default_factory=list, max_length=500)


class ContactAnswerIn(Schema):
    contact_id: str = Field(..., max_length=64)
    introduced: str = Field("", max_length=10)
    waiver_reason: str = ""


class ContactAnswersIn(Schema):
    answers: list[ContactAnswerIn] = Field(..., max_length=500)


class InterviewIn(Schema):
    interview_date: ApiDate | None = None
    attendees: str | None = Field(None, max_length=HandoffInterview._meta.get_field("attendees").max_length)
    recent_sales: str | None = None
    upcoming_opportunities: str | None = None
    ongoing_obstacles: str | None = None
    past_obstacles: str | None = None
    key_contacts: str | None = None
    anything_else: str | None = None


class SkillsIn(Schema):
    """Both ratings, 1-5; null = unrated."""

    communication: int | None = None
    flexibility: int | None = None


class ReassignmentPlanIn(Schema):
    from_rep: str
    effective_date: ApiDate
    reason: str = "departure"


def transfer_json(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.pk,
        "account_id": t.account.external_id,
        "role": t.role,
        "from": t.from_rep.external_id if t.from_rep else None,
        "to": t.to_rep.external_id,
        "effective_date": t.effective_date.isoformat(),
        "reason": t.reason,
        "state": t.state,
        "co_coverage_days": t.co_coverage_days,
        "co_coverage_end": t.co_coverage_end.isoformat() if t.co_coverage_end else None,
        "interview_waived": t.interview_waived,
        "waiver_reason": t.waiver_reason,
        "introduction_date": t.introduction_date.isoformat() if t.introduction_date else None,
    }


def interview_json(i: HandoffInterview) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(i, name) for name in SECTION_LABELS}
    data.update(
        transfer_id=i.transfer_id,
        account_id=i.account.external_id,
        interview_date=i.interview_date.isoformat() if i.interview_date else None,
        attendees=i.attendees,
        missing=rules.interview_missing(i),
        contacts=[
            {
                "contact_id": r.contact.external_id,
                "name": r.contact.name,
                "buying_role": r.contact.buying_role,
                "key": r.key,
                "introduced": r.introduced or None,
                "waiver_reason": r.waiver_reason,
            }
            for r in sync_contacts(i)
        ],
        missing_contacts=unanswered_key_contacts(i.transfer) if i.transfer.is_open else [],
    )
    return data


@router.get("/transfers")
def list_transfers(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    return [transfer_json(t) for t in transfer_list(user=request.user, state=state)[:500]]


@router.post("/transfers", response={201: dict})
def create_transfer(request: HttpRequest, payload: TransferIn) -> Status[dict[str, Any]]:
    account = account_get(user=request.user, account_id=payload.account_id)
    require_may_start(request.user, services.open_owner(account, payload.role))  # before the rep lookup
    to_rep = Rep.objects.filter(external_id=payload.to).first()
    if to_rep is None:
        raise NotFound("No such rep.", {"field": "to"})
    transfer = services.transfer_create(
        account=account,
        to_rep=to_rep,
        effective_date=payload.effective_date,
        reason=payload.reason,
        actor=request.user,
        role=payload.role,
        co_coverage_days=payload.co_coverage_days,
        note=payload.note,
        backdate_reason=payload.backdate_reason,
    )
    return Status(201, transfer_json(transfer))


@router.get("/transfers/{int:transfer_id}")
def get_transfer(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    return transfer_json(transfer_get(user=request.user, transfer_id=transfer_id))


@router.post("/transfers/{int:transfer_id}/handoff")
def start_handoff(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    return transfer_json(services.transfer_start_handoff(transfer=t, actor=request.user))


@router.get("/transfers/{int:transfer_id}/interview")
def get_interview(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    interview = HandoffInterview.objects.filter(transfer=t).select_related("account").first()
    if interview is None:
        raise NotFound("This transfer has no interview yet.")
    return interview_json(interview)


@router.put("/transfers/{int:transfer_id}/interview")
def update_interview(request: HttpRequest, transfer_id: int, payload: InterviewIn) -> dict[str, Any]:
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    return interview_json(services.interview_update(transfer=t, actor=request.user, **fields))


@router.post("/transfers/{int:transfer_id}/waive")
def waive(request: HttpRequest, transfer_id: int, payload: ReasonIn | None = None) -> dict[str, Any]:
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    reason = payload.reason if payload else ""
    return transfer_json(services.transfer_waive_interview(transfer=t, actor=request.user, reason=reason))


@router.post("/transfers/{int:transfer_id}/introduce")
def introduce(request: HttpRequest, transfer_id: int, payload: IntroduceIn) -> dict[str, Any]:
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    done = services.transfer_introduce(
        transfer=t,
        actor=request.user,
        meeting_date=payload.meeting_date,
        attendees=payload.attendees,
        notes=payload.notes,
        contacts_met=payload.contacts_met,
    )
    return transfer_json(done)


@router.put("/transfers/{int:transfer_id}/interview/contacts")
def update_interview_contacts(
    request: HttpRequest, transfer_id: int, payload: ContactAnswersIn
) -> dict[str, Any]:
    """Per contact: has the incoming rep been introduced (yes, no, waived with a reason)?"""
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    answers = {a.contact_id: (a.introduced, a.waiver_reason) for a in payload.answers}
    interview_contacts_update(transfer=t, actor=request.user, answers=answers)
    return interview_json(HandoffInterview.objects.select_related("account").get(transfer=t))


@router.post("/transfers/{int:transfer_id}/complete")
def complete(request: HttpRequest, transfer_id: int, payload: CompleteIn | None = None) -> dict[str, Any]:
    """Writes the ownership; an effective date further back than the window needs an
    administrator's `backdate_reason` (unless confirmed when the transfer was drafted)."""
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    reason = payload.backdate_reason if payload else ""
    return transfer_json(services.transfer_complete(transfer=t, actor=request.user, backdate_reason=reason))


@router.post("/transfers/{int:transfer_id}/cancel")
def cancel(request: HttpRequest, transfer_id: int, payload: ReasonIn | None = None) -> dict[str, Any]:
    t = transfer_get(user=request.user, transfer_id=transfer_id)
    reason = payload.reason if payload else ""
    return transfer_json(services.transfer_cancel(transfer=t, actor=request.user, reason=reason))


@router.get("/accounts/{account_id}/recommendations")
def recommendations(request: HttpRequest, account_id: str, day: date | None = None) -> dict[str, Any]:
    account = account_get(user=request.user, account_id=account_id)
    if not can_manage_for(request.user, services.open_owner(account, "primary")):
        raise Forbidden("Only the account's managers or an admin may see recommendations.")
    return recommend(account=account, user=request.user, day=day or timezone.localdate())


@router.put("/reps/{rep_id}/skills")
def set_skills(request: HttpRequest, rep_id: str, payload: SkillsIn) -> dict[str, Any]:
    """A manager rates the rep's communication and flexibility (read by the recommendation)."""
    from bookwise.people.services import rep_skills_set

    rep = rep_skills_set(
        rep=rep_get(user=request.user, rep_id=rep_id), actor=request.user,
        communication=payload.communication, flexibility=payload.flexibility,
    )  # fmt: skip
    return {"rep_id": rep.external_id, "communication": rep.communication, "flexibility": rep.flexibility}


@router.get("/transfers/plans")
def list_plans(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    plans = ReassignmentPlan.objects.select_related("from_rep").order_by("-created_at", "-id")
    if state:
        plans = plans.filter(state=state)
    return [_plan_head(p) for p in plans[:500] if can_manage_for(request.user, p.from_rep)]


@router.post("/transfers/plans", response={201: dict})
def create_plan(request: HttpRequest, payload: ReassignmentPlanIn) -> Status[dict[str, Any]]:
    rep = rep_get(user=request.user, rep_id=payload.from_rep)
    plan = planning.plan_create(
        from_rep=rep,
        actor=request.user,
        day=timezone.localdate(),
        effective_date=payload.effective_date,
        reason=payload.reason,
    )
    return Status(201, plan_json(plan))


def _plan_for(request: HttpRequest, plan_id: int) -> ReassignmentPlan:
    plan = ReassignmentPlan.objects.select_related("from_rep").filter(pk=plan_id).first()
    if plan is None or not can_manage_for(request.user, plan.from_rep):
        raise NotFound("No such plan.")
    return plan


def _plan_head(plan: ReassignmentPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "from": plan.from_rep.external_id,
        "from_name": plan.from_rep.name,
        "state": plan.state,
        "effective_date": plan.effective_date.isoformat(),
        "reason": plan.reason,
        "feasible": plan.feasible,
    }


def plan_json(plan: ReassignmentPlan) -> dict[str, Any]:
    lines = list(plan.lines.select_related("account", "to_rep").order_by("account__external_id"))
    view = workload_view(day=plan.effective_date)
    revenue = planning.t12m_revenue([x.account for x in lines], plan.day)
    moves = [(x.account, x.to_rep) for x in lines if x.to_rep is not None]
    return {
        **_plan_head(plan),
        "objective": plan.objective,
        "bound": plan.bound,
        "bound_scope": plan.bound_scope,
        "gap": plan.gap,
        "greedy_objective": plan.greedy_objective,
        "balance": plan.balance,
        "shortfalls": plan.shortfalls,
        "applied": plan.applied_at is not None,
        "assignments": [
            {
                "account_id": x.account.external_id,
                "account_name": x.account.name,
                "to": x.to_rep.external_id if x.to_rep else None,
                "to_name": x.to_rep.name if x.to_rep else None,
                "points": float(x.points),
                "score": x.score,
                "edited": x.edited,
            }
            for x in lines
        ],
        "excluded": plan.excluded,
        "recipients": planning.summary_json(planning.recipient_summary(view, moves, revenue)),
    }


@router.get("/transfers/plans/{int:plan_id}")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plan_json(_plan_for(request, plan_id))


class LineIn(Schema):
    to: str | None


def _plan_line(plan: ReassignmentPlan, account_id: str) -> PlanLine:
    line = plan.lines.select_related("account", "to_rep").filter(account__external_id=account_id).first()
    if line is None:
        raise NotFound("No such account in this plan.", {"field": "account_id"})
    return line


@router.put("/transfers/plans/{int:plan_id}/lines/{account_id}")
def edit_plan_line(request: HttpRequest, plan_id: int, account_id: str, payload: LineIn) -> dict[str, Any]:
    plan = _plan_for(request, plan_id)
    line = _plan_line(plan, account_id)
    to_rep = rep_get(user=request.user, rep_id=payload.to) if payload.to else None
    plan_edit.plan_line_update(line=line, to_rep=to_rep, actor=request.user)
    return plan_json(plan)


@router.delete("/transfers/plans/{int:plan_id}/lines/{account_id}")
def remove_plan_line(request: HttpRequest, plan_id: int, account_id: str) -> dict[str, Any]:
    plan = _plan_for(request, plan_id)
    plan_edit.plan_line_remove(line=_plan_line(plan, account_id), actor=request.user)
    plan.refresh_from_db()
    return plan_json(plan)


@router.post("/transfers/plans/{int:plan_id}/discard")
def discard_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plan_json(plan_edit.plan_discard(plan=_plan_for(request, plan_id), actor=request.user))


@router.post("/transfers/plans/{int:plan_id}/apply")
def apply_plan(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    transfers = plan_edit.plan_apply(plan=_plan_for(request, plan_id), actor=request.user)
    return [transfer_json(t) for t in transfers]


@router.get("/transfers/tracking")
def tracking(request: HttpRequest, group: str = "rep") -> dict[str, Any]:
    from .tracking import tracking_report

    return tracking_report(user=request.user, group=group, day=timezone.localdate())
