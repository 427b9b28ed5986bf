"""Every write endpoint of the API as a case: who may call it, who may not (and the answer
they get), and how to prepare a target and see the call's effect in the database.

`CASES` is keyed by (METHOD, path as in the OpenAPI schema); test_writes.py checks that it
names every write operation the schema has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bookwise.accounts.models import Account
from bookwise.agreements.models import Agreement
from bookwise.commissions.models import Dispute, Run
from bookwise.contacts.models import Contact, Relationship
from bookwise.people.models import Rep
from bookwise.plans.models import AccountPlan, PlanReview
from bookwise.rebalance.models import RebalanceLine, RebalanceProposal
from bookwise.rebalance.problem import Settings
from bookwise.retention.models import TierPin
from bookwise.transfers.models import HandoffInterview, InterviewContact, PlanLine, ReassignmentPlan, Transfer
from tests import factories

from .world import SECTIONS, World


@dataclass
class Target:
    """What one call acts on: its path parameters, its JSON body (None: no body) and a check,
    read from the database, that the call had its effect."""

    params: dict[str, Any]
    body: dict[str, Any] | None
    done: Callable[[], bool]


@dataclass(frozen=True)
class Case:
    allowed: str  # a user who may: "admin", "D1", "M1", "R1", ...
    denied: str  # a user who may not
    denied_status: int  # 403 when they may see the object, 404 when they may not
    prepare: Callable[[World], Target] = field(repr=False)
    ok_status: int = 200


def _state(t: Transfer, state: str) -> Callable[[], bool]:
    return lambda: Transfer.objects.get(pk=t.pk).state == state


# retention ------------------------------------------------------------------------------


def _pin(w: World) -> Target:
    a = w.account()
    return Target({"account_id": a.external_id}, {"tier": "A", "note": "Strategic customer."},
                  lambda: TierPin.objects.filter(account=a, tier="A").exists())  # fmt: skip


def _unpin(w: World) -> Target:
    a = w.account()
    TierPin.objects.create(account=a, tier="B")
    return Target({"account_id": a.external_id}, None, lambda: not TierPin.objects.filter(account=a).exists())


def _lost(w: World) -> Target:
    a = w.account()
    body = {"reason": "price", "lost_date": w.today.isoformat()}
    return Target({"account_id": a.external_id}, body, lambda: Account.objects.get(pk=a.pk).status == "lost")


# contacts -------------------------------------------------------------------------------


def _contact(w: World) -> Contact:
    a = w.account()
    return Contact.objects.create(
        external_id=f"CT-{a.external_id}", account=a, name="Jane Roe", buying_role="decision_maker"
    )


def _contact_add(w: World) -> Target:
    a = w.account()
    body = {"name": "Tom Poe", "title": "CFO", "buying_role": "finance", "email": "tom@example.com"}
    return Target({"account_id": a.external_id}, body, lambda: Contact.objects.filter(account=a).exists())


def _contact_change(w: World) -> Target:
    c = _contact(w)
    return Target({"contact_id": c.external_id}, {"left": True}, lambda: Contact.objects.get(pk=c.pk).left)


def _relationship_set(w: World) -> Target:
    c = _contact(w)
    done = lambda: Relationship.objects.filter(contact=c, rep__external_id="R1").exists()  # noqa: E731
    return Target({"contact_id": c.external_id, "rep_id": "R1"}, {"strength": "strong"}, done)


def _relationship_remove(w: World) -> Target:
    c = _contact(w)
    Relationship.objects.create(contact=c, rep=w.org["R1"], strength="met")
    done = lambda: not Relationship.objects.filter(contact=c).exists()  # noqa: E731
    return Target({"contact_id": c.external_id, "rep_id": "R1"}, None, done)


def _skills(w: World) -> Target:
    r = w.org["R1"]
    done = lambda: Rep.objects.get(pk=r.pk).communication == 4  # noqa: E731
    return Target({"rep_id": "R1"}, {"communication": 4, "flexibility": 5}, done)


# transfers ------------------------------------------------------------------------------


def _transfer_create(w: World) -> Target:
    a = w.account()
    body = {"account_id": a.external_id, "to": "R2", "effective_date": w.today.isoformat(),
            "reason": "rebalance", "note": "R2 has room in North."}  # fmt: skip
    return Target({}, body, lambda: Transfer.objects.filter(account=a, state="draft").exists())


def _handoff(w: World) -> Target:
    t = w.transfer("draft")
    return Target({"transfer_id": t.pk}, None, _state(t, "handoff"))


def _interview(w: World) -> Target:
    t = w.transfer("handoff")
    done = lambda: HandoffInterview.objects.get(transfer=t).missing_sections() == []  # noqa: E731
    return Target({"transfer_id": t.pk}, dict(SECTIONS), done)


def _interview_contacts(w: World) -> Target:
    t = w.transfer("handoff")
    c = Contact.objects.create(external_id=f"CT-T{t.pk}", account=t.account, name="Jane Roe",
                               buying_role="decision_maker")  # fmt: skip
    body = {"answers": [{"contact_id": c.external_id, "introduced": "yes"}]}
    done = lambda: InterviewContact.objects.filter(contact=c, introduced="yes").exists()  # noqa: E731
    return Target({"transfer_id": t.pk}, body, done)


def _waive(w: World) -> Target:
    t = w.transfer("draft")
    body = {"reason": "R1 left the company before the interview."}
    return Target({"transfer_id": t.pk}, body, lambda: Transfer.objects.get(pk=t.pk).interview_waived)


def _introduce(w: World) -> Target:
    t = w.transfer("handoff")
    HandoffInterview.objects.filter(transfer=t).update(**SECTIONS)
    body = {"meeting_date": w.today.isoformat(), "attendees": "Jane Roe, R1, R2"}
    return Target({"transfer_id": t.pk}, body, _state(t, "introduced"))


def _complete(w: World) -> Target:
    t = w.transfer("introduced")
    return Target({"transfer_id": t.pk}, None, _state(t, "completed"))


def _cancel(w: World) -> Target:
    t = w.transfer("draft")
    body = {"reason": "The customer asked to keep R1 until the renewal."}
    return Target({"transfer_id": t.pk}, body, _state(t, "cancelled"))


def _plan_create(w: World) -> Target:
    r = w.rep()
    body = {"from_rep": r.external_id, "effective_date": w.today.isoformat(), "reason": "departure"}
    return Target({}, body, lambda: ReassignmentPlan.objects.filter(from_rep=r).exists())


def _plan_line(w: World) -> Target:
    plan = w.reassignment_plan()
    line = plan.lines.select_related("account").first()
    to = "R1" if line.to_rep is None or line.to_rep.external_id != "R1" else "R2"
    done = lambda: PlanLine.objects.get(pk=line.pk).to_rep.external_id == to  # noqa: E731
    return Target({"plan_id": plan.pk, "account_id": line.account.external_id}, {"to": to}, done)


def _plan_line_remove(w: World) -> Target:
    plan = w.reassignment_plan()
    line = plan.lines.select_related("account").first()
    done = lambda: not PlanLine.objects.filter(pk=line.pk).exists()  # noqa: E731
    return Target({"plan_id": plan.pk, "account_id": line.account.external_id}, None, done)


def _plan_discard(w: World) -> Target:
    plan = w.reassignment_plan()
    done = lambda: ReassignmentPlan.objects.get(pk=plan.pk).state == "discarded"  # noqa: E731
    return Target({"plan_id": plan.pk}, None, done)


def _plan_apply(w: World) -> Target:
    plan = w.reassignment_plan()
    return Target({"plan_id": plan.pk}, None, lambda: Transfer.objects.filter(plan=plan).exists())


# rebalance ------------------------------------------------------------------------------


def _rebalance_team(w: World) -> None:
    """R1 (capacity 10) holds six more accounts; two new account managers under M1 hold none."""
    from tests import factories

    w.org["R1"].capacity = 10
    w.org["R1"].save(update_fields=["capacity"])
    for _ in range(2):
        north = w.org["M1"].territory
        factories.rep(f"RB{next(w._seq):03d}", manager=w.org["M1"], territory=north, capacity=10)
    for _ in range(6):
        w.account()


def _rebalance_proposal(w: World) -> RebalanceProposal:
    from bookwise.rebalance.scopes import parse_scope
    from bookwise.rebalance.services import propose

    _rebalance_team(w)
    scope = parse_scope("team:M1")
    [proposal] = propose(scope=scope, day=w.today, scenarios=[Settings()], actor=w.user("M1"))
    assert proposal.lines.exists()
    return proposal


def _rebalance_propose(w: World) -> Target:
    _rebalance_team(w)
    before = RebalanceProposal.objects.count()
    body = {"scope": "team:M1", "scenarios": [{"max_moves": 2}, {}]}
    return Target({}, body, lambda: RebalanceProposal.objects.count() == before + 2)


def _rebalance_line_remove(w: World) -> Target:
    p = _rebalance_proposal(w)
    line = p.lines.select_related("account").first()
    done = lambda: not RebalanceLine.objects.filter(pk=line.pk).exists()  # noqa: E731
    return Target({"proposal_id": p.pk, "account_id": line.account.external_id}, None, done)


def _rebalance_line_reassign(w: World) -> Target:
    p = _rebalance_proposal(w)
    line = p.lines.select_related("account").first()
    busy = (line.from_rep.external_id, line.to_rep.external_id, "R2")
    to = next(r["rep_id"] for r in p.reps if r["rep_id"] not in busy)
    body = {"to": to}
    done = lambda: RebalanceLine.objects.get(pk=line.pk).to_rep.external_id == to  # noqa: E731
    return Target({"proposal_id": p.pk, "account_id": line.account.external_id}, body, done)


def _rebalance_discard(w: World) -> Target:
    p = _rebalance_proposal(w)
    done = lambda: RebalanceProposal.objects.get(pk=p.pk).state == "discarded"  # noqa: E731
    return Target({"proposal_id": p.pk}, {"confirm": True}, done)


def _rebalance_commit(w: World) -> Target:
    p = _rebalance_proposal(w)
    done = lambda: RebalanceProposal.objects.get(pk=p.pk).state == "committed"  # noqa: E731
    return Target({"proposal_id": p.pk}, {"effective_date": w.today.isoformat(), "confirm": True}, done)


# commissions ----------------------------------------------------------------------------


def _run_create(w: World) -> Target:
    period = w.period()
    return Target({}, {"period": period}, lambda: Run.objects.filter(period=period).exists())


def _run_approve(w: World) -> Target:
    run = w.run()
    return Target({"run_id": run.pk}, None, lambda: Run.objects.get(pk=run.pk).status == "approved")


def _dispute_create(w: World) -> Target:
    st, order_id = w.statement()
    body = {"order_id": order_id, "comment": "The order was 1,200.00, not 1,000.00."}
    return Target({"statement_id": st.pk}, body, lambda: st.disputes.filter(order_id=order_id).exists())


def _dispute_resolve(w: World) -> Target:
    d = w.dispute()
    body = {"decision": "rejected", "reason": "The invoice says 1,000.00."}
    return Target({"dispute_id": d.pk}, body, lambda: Dispute.objects.get(pk=d.pk).status == "rejected")


# account plans --------------------------------------------------------------------------


def _account_plan_create(w: World) -> Target:
    a = w.account()
    body = {"year": w.today.year}
    return Target({"account_id": a.external_id}, body, lambda: AccountPlan.objects.filter(account=a).exists())


def _plan_status(status_before: str, status_after: str) -> Callable[[World], Target]:
    def prepare(w: World) -> Target:
        plan = w.account_plan(status_before)
        return Target(
            {"plan_id": plan.pk}, None, lambda: AccountPlan.objects.get(pk=plan.pk).status == status_after
        )

    return prepare


def _review(w: World) -> Target:
    plan = w.account_plan("approved")
    objective = plan.objectives.get()
    progress = [{"objective_id": objective.pk, "status": "in_progress", "note": "Half way."}]
    body = {"review_date": w.today.isoformat(), "notes": "Met the buyer; orders on track.",
            "next_steps": "Quote the service line.", "progress": progress}  # fmt: skip
    return Target({"plan_id": plan.pk}, body, lambda: PlanReview.objects.filter(plan=plan).exists())


# agreements -----------------------------------------------------------------------------


def _agreement_create(w: World) -> Target:
    a = w.account()
    body = {"agreement_id": f"AG-{a.external_id}", "account_id": a.external_id, "kind": "kanban",
            "start_date": w.today.replace(month=1, day=1).isoformat(),
            "end_date": w.today.replace(month=12, day=31).isoformat(), "committed_amount": "24000.00",
            "product_line": "Paper", "owner_id": "R1", "status": "active"}  # fmt: skip
    return Target({}, body, lambda: Agreement.objects.filter(account=a, status="active").exists())


def _agreement_update(w: World) -> Target:
    a = w.account()
    ag = factories.agreement(a, f"AG-{a.external_id}", start_date=w.today.replace(month=1, day=1),
                             end_date=w.today.replace(month=12, day=31))  # fmt: skip
    done = lambda: Agreement.objects.get(pk=ag.pk).committed_amount == 40000  # noqa: E731
    return Target({"agreement_id": ag.external_id}, {"committed_amount": "40000.00", "notice_days": 60}, done)


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/rebalance/proposals"): Case("M1", "R1", 403, _rebalance_propose),
    ("DELETE", "/api/rebalance/proposals/{proposal_id}/lines/{account_id}"): Case(
        "M1", "M2", 404, _rebalance_line_remove
    ),
    ("PUT", "/api/rebalance/proposals/{proposal_id}/lines/{account_id}"): Case(
        "M1", "M2", 404, _rebalance_line_reassign
    ),
    ("POST", "/api/rebalance/proposals/{proposal_id}/discard"): Case("M1", "M2", 404, _rebalance_discard),
    ("POST", "/api/rebalance/proposals/{proposal_id}/commit"): Case("M1", "M2", 404, _rebalance_commit),
    ("PUT", "/api/retention/tier-pins/{account_id}"): Case("admin", "M1", 403, _pin),
    ("DELETE", "/api/retention/tier-pins/{account_id}"): Case("admin", "M1", 403, _unpin),
    ("POST", "/api/retention/lost-reasons/{account_id}"): Case("M1", "R1", 403, _lost),
    ("POST", "/api/accounts/{account_id}/contacts"): Case("R1", "R3", 404, _contact_add, 201),
    ("PUT", "/api/contacts/{contact_id}"): Case("R1", "R3", 404, _contact_change),
    ("PUT", "/api/contacts/{contact_id}/relationships/{rep_id}"): Case("R1", "R3", 404, _relationship_set),
    ("DELETE", "/api/contacts/{contact_id}/relationships/{rep_id}"): Case(
        "M1", "R3", 404, _relationship_remove
    ),
    ("PUT", "/api/reps/{rep_id}/skills"): Case("M1", "R2", 404, _skills),
    ("POST", "/api/transfers"): Case("M1", "R1", 403, _transfer_create, 201),
    ("POST", "/api/transfers/{transfer_id}/handoff"): Case("M1", "R2", 403, _handoff),
    ("PUT", "/api/transfers/{transfer_id}/interview"): Case("R1", "R2", 403, _interview),
    ("PUT", "/api/transfers/{transfer_id}/interview/contacts"): Case("R1", "R2", 403, _interview_contacts),
    ("POST", "/api/transfers/{transfer_id}/waive"): Case("M1", "R2", 403, _waive),
    ("POST", "/api/transfers/{transfer_id}/introduce"): Case("M1", "R3", 404, _introduce),
    ("POST", "/api/transfers/{transfer_id}/complete"): Case("M1", "R2", 403, _complete),
    ("POST", "/api/transfers/{transfer_id}/cancel"): Case("admin", "M2", 404, _cancel),
    ("POST", "/api/transfers/plans"): Case("M1", "M2", 404, _plan_create, 201),
    ("PUT", "/api/transfers/plans/{plan_id}/lines/{account_id}"): Case("M1", "M2", 404, _plan_line),
    ("DELETE", "/api/transfers/plans/{plan_id}/lines/{account_id}"): Case("M1", "M2", 404, _plan_line_remove),
    ("POST", "/api/transfers/plans/{plan_id}/discard"): Case("M1", "M2", 404, _plan_discard),
    ("POST", "/api/transfers/plans/{plan_id}/apply"): Case("D1", "R1", 404, _plan_apply),
    ("POST", "/api/commissions/runs"): Case("D1", "M1", 403, _run_create, 201),
    ("POST", "/api/commissions/runs/{run_id}/approve"): Case("admin", "M1", 403, _run_approve),
    ("POST", "/api/commissions/statements/{statement_id}/disputes"): Case(
        "R1", "M1", 403, _dispute_create, 201
    ),
    ("POST", "/api/commissions/disputes/{dispute_id}/resolve"): Case("M1", "R1", 403, _dispute_resolve),
    ("POST", "/api/accounts/{account_id}/plans"): Case("R1", "R3", 404, _account_plan_create, 201),
    ("POST", "/api/plans/{plan_id}/submit"): Case("R1", "M2", 404, _plan_status("draft", "submitted")),
    ("POST", "/api/plans/{plan_id}/approve"): Case("M1", "R1", 403, _plan_status("submitted", "approved")),
    ("POST", "/api/plans/{plan_id}/reviews"): Case("R1", "R3", 404, _review, 201),
    ("POST", "/api/agreements"): Case("R1", "R3", 404, _agreement_create, 201),
    ("PATCH", "/api/agreements/{agreement_id}"): Case("M1", "M2", 404, _agreement_update),
}

from .cases_goals import goal_cases  # noqa: E402 - the goals API's cases, kept in their own file

CASES.update(goal_cases())

from .cases_rebalance import pin_cases  # noqa: E402 - the realignment pins' cases, in their own file

CASES.update(pin_cases())

from .cases_team import days_off_cases  # noqa: E402 - the days-off API's cases, in their own file

CASES.update(days_off_cases())
