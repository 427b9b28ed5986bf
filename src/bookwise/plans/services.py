"""Writes to account plans: create, edit, submit, approve (versioned), review, mark."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import today as current_day
from bookwise.core.errors import Conflict, Forbidden, RuleViolation
from bookwise.core.services import audit_changes, audit_record
from bookwise.people.selectors import require_edits_visible

from . import checks, rules
from .actuals import plan_actual
from .models import (
    SECTIONS,
    AccountPlan,
    ObjectiveStatus,
    PlanAction,
    PlanMark,
    PlanObjective,
    PlanReview,
    PlanStatus,
    PlanTemplate,
    PlanVersion,
    default_sections,
)
from .prefill import prefill
from .selectors import can_approve, tier_map

TEXT_FIELDS = ("situation", "growth_strategy", "risks", "contacts")


@dataclass
class PlanContent:
    """What an edit sends: the text sections, targets, cadence, objectives and actions
    (each a dict; an `id` updates that row, no id adds one, a missing row is removed)."""

    situation: str = ""
    revenue_target: Decimal | None = None
    gp_target: Decimal | None = None
    growth_strategy: str = ""
    risks: str = ""
    contacts: str = ""
    cadence: str = ""
    objectives: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)


def template_sections(plan: AccountPlan) -> list[dict]:
    if plan.template is not None:
        return plan.template.sections
    default = PlanTemplate.objects.filter(is_default=True).first()
    return default.sections if default else default_sections()


def validate_sections(sections: Any) -> list[dict]:
    """A template's sections: a list of {key, label, required} with known, unique keys."""
    if not isinstance(sections, list) or not sections:
        raise RuleViolation("A template needs a list of sections.", {"field": "sections"})
    seen = set()
    for item in sections:
        key = item.get("key") if isinstance(item, dict) else None
        if key not in SECTIONS or key in seen:
            raise RuleViolation(
                f"Unknown or repeated section {key!r} (use {', '.join(SECTIONS)}).", {"field": "sections"}
            )
        seen.add(key)
        item.setdefault("label", SECTIONS[key])
        item["required"] = bool(item.get("required", False))
    return sections


@transaction.atomic
def plan_template_save(*, template: PlanTemplate, actor: Any) -> PlanTemplate:
    template.sections = validate_sections(template.sections)
    stored = PlanTemplate.objects.filter(pk=template.pk).first() if template.pk else None
    if template.is_default:
        PlanTemplate.objects.exclude(pk=template.pk).filter(is_default=True).update(is_default=False)
    template.save()
    before, after = audit_changes(_template_facts(stored), _template_facts(template))
    data = {"before": before, "after": after}
    audit_record(actor=actor, action="plan_template.save", obj=template, data=data)
    return template


def _template_facts(template: PlanTemplate | None) -> dict[str, Any]:
    if template is None:
        return {}
    return {"name": template.name, "is_default": template.is_default, "sections": template.sections}


def missing_sections(plan: AccountPlan, sections: list[dict]) -> list[str]:
    """Labels of the template's required sections the plan leaves empty."""
    filled = {key: bool(getattr(plan, key, "").strip()) for key in TEXT_FIELDS}
    filled["revenue_target"] = plan.revenue_target is not None
    filled["objectives"] = plan.objectives.exists()
    filled["actions"] = plan.actions.exists()
    return [s["label"] for s in sections if s.get("required") and not filled.get(s["key"], False)]


@transaction.atomic
def plan_create(*, account: Account, year: int, actor: Any, day: date) -> AccountPlan:
    """A draft plan, cadence from the tier, growth strategy and risks pre-filled (by whoever
    may see the account but sales ops; so are the plan's edits, submission and reviews)."""
    require_edits_visible(actor)
    checks.check_plan_year(year, day)
    if AccountPlan.objects.filter(account=account, year=year).exclude(status="archived").exists():
        raise Conflict(f"Account {account.external_id} already has a plan for {year}.", {"field": "year"})
    info = tier_map(day=day, account_ids=[account.pk]).get(account.pk)
    plan = AccountPlan(
        account=account,
        year=year,
        cadence=rules.default_cadence(info.tier if info else None),
        template=PlanTemplate.objects.filter(is_default=True).first(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **prefill(account, day),
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise Conflict(f"Account {account.external_id} already has a plan for {year}.") from None
    audit_record(actor=actor, action="plan.create", obj=plan, data={"year": year})
    return plan


def _sync_rows(plan: AccountPlan, model: Any, rows: list[dict], fields: tuple[str, ...]) -> None:
    existing = {obj.pk: obj for obj in model.objects.filter(plan=plan)}
    keep = set()
    for row in rows:
        obj = existing.get(int(row["id"])) if row.get("id") else None
        obj = obj or model(plan=plan)
        for name in fields:
            setattr(obj, name, row.get(name))
        obj.save()
        keep.add(obj.pk)
    model.objects.filter(plan=plan).exclude(pk__in=keep).delete()


@transaction.atomic
def plan_update(
    *, plan: AccountPlan, content: PlanContent, actor: Any, today: date | None = None
) -> AccountPlan:
    """Edit the plan. An approved (or submitted) plan goes back to draft: the change is a
    new revision that becomes the next version when the manager approves it. Targets not
    negative, objectives measurable, due dates in the window of checks.due_window."""
    require_edits_visible(actor)
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.ARCHIVED:
        raise Conflict("An archived plan cannot be edited.")
    stored = {**snapshot(plan), "status": plan.status}
    day = today or current_day()
    checks.check_targets(content.revenue_target, content.gp_target)
    checks.check_objectives(content.objectives, plan.year, day)
    checks.check_actions(content.actions, plan.year, day)
    for name in (*TEXT_FIELDS, "revenue_target", "gp_target"):
        setattr(plan, name, getattr(content, name))
    plan.cadence = content.cadence or plan.cadence
    if plan.cadence not in rules.CADENCE_MONTHS:
        raise RuleViolation(f"Unknown cadence {plan.cadence!r}.", {"field": "cadence"})
    plan.status = PlanStatus.DRAFT
    plan.save()
    _sync_rows(
        plan,
        PlanObjective,
        content.objectives,
        ("description", "kind", "target", "owner", "due_date", "status"),
    )
    _sync_rows(plan, PlanAction, content.actions, ("description", "owner", "due_date", "done"))
    before, after = audit_changes(stored, {**snapshot(plan), "status": plan.status})
    data = {"version": plan.version, "before": before, "after": after}
    audit_record(actor=actor, action="plan.update", obj=plan, data=data)
    return plan


@transaction.atomic
def plan_submit(*, plan: AccountPlan, actor: Any) -> AccountPlan:
    require_edits_visible(actor)
    plan = AccountPlan.objects.select_for_update(of=("self",)).select_related("template").get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(f"Only a draft can be submitted (this plan is {plan.status}).")
    missing = missing_sections(plan, template_sections(plan))
    if missing:
        raise RuleViolation("Required sections are empty: " + ", ".join(missing) + ".", {"missing": missing})
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="plan.submit", obj=plan)
    return plan


def snapshot(plan: AccountPlan) -> dict:
    """The plan's content as plain JSON (what a version keeps)."""
    data: dict[str, Any] = {name: getattr(plan, name) for name in TEXT_FIELDS}
    for name in ("revenue_target", "gp_target"):
        value = getattr(plan, name)
        data[name] = None if value is None else str(value)
    data["cadence"] = plan.cadence
    data["objectives"] = [
        {
            "description": o.description, "kind": o.kind, "target": o.target, "status": o.status,
            "owner_id": o.owner.external_id if o.owner else None,
            "due_date": o.due_date.isoformat() if o.due_date else None,
        }
        for o in plan.objectives.select_related("owner")
    ]  # fmt: skip
    data["actions"] = [
        {
            "description": a.description, "done": a.done,
            "owner_id": a.owner.external_id if a.owner else None,
            "due_date": a.due_date.isoformat() if a.due_date else None,
        }
        for a in plan.actions.select_related("owner")
    ]  # fmt: skip
    return data


@transaction.atomic
def plan_approve(*, plan: AccountPlan, actor: Any, day: date) -> AccountPlan:
    """The manager approves a submitted plan: it becomes version n + 1 (kept for good)."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    if not can_approve(user=actor, plan=plan, day=day):
        raise Forbidden("Only a manager of the account's owner can approve its plan.")
    if plan.status != PlanStatus.SUBMITTED:
        raise Conflict(f"Only a submitted plan can be approved (this plan is {plan.status}).")
    plan.version += 1
    plan.status = PlanStatus.APPROVED
    plan.approved_on = day
    plan.approved_by = actor
    plan.first_approved_on = plan.first_approved_on or day
    plan.save()
    PlanVersion.objects.create(
        plan=plan, number=plan.version, content=snapshot(plan), approved_on=day, approved_by=actor
    )
    audit_record(actor=actor, action="plan.approve", obj=plan, data={"version": plan.version})
    return plan


@transaction.atomic
def plan_return(*, plan: AccountPlan, actor: Any, day: date, note: str = "") -> AccountPlan:
    """The manager sends a submitted plan back to draft."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    if not can_approve(user=actor, plan=plan, day=day):
        raise Forbidden("Only a manager of the account's owner can return its plan.")
    if plan.status != PlanStatus.SUBMITTED:
        raise Conflict("Only a submitted plan can be returned.")
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="plan.return", obj=plan, data={"note": note})
    return plan


def _apply_progress(plan: AccountPlan, progress: list[dict]) -> list[dict]:
    objectives = {o.pk: o for o in plan.objectives.all()}
    out = []
    for item in progress:
        obj = objectives.get(int(item.get("objective_id") or 0))
        if obj is None:
            raise RuleViolation("Progress names an objective of another plan.", {"field": "progress"})
        status = item.get("status") or obj.status
        if status not in ObjectiveStatus.values:
            raise RuleViolation(f"Unknown objective status {status!r}.", {"field": "progress"})
        note = checks.check_progress_note(str(item.get("note") or ""), obj.description)
        if status != obj.status:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
        out.append({"objective_id": obj.pk, "objective": obj.description, "status": status,
                    "note": note})  # fmt: skip
    return out


@transaction.atomic
def review_record(
    *,
    plan: AccountPlan,
    actor: Any,
    review_date: date,
    progress: list[dict],
    notes: str = "",
    next_steps: str = "",
    today: date | None = None,
) -> PlanReview:
    """Record the next due review: progress per objective (updates their status), revenue to
    date against the pro-rated target at the review date, notes and next steps. A review
    that says nothing, or is dated in the future or before the approval, is refused (and
    so does not move the next due date)."""
    require_edits_visible(actor)
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.first_approved_on is None:
        raise RuleViolation("A plan is reviewed once it has been approved.")
    checks.check_review(
        review_date=review_date, approved_on=plan.first_approved_on, today=today or current_day(),
        notes=notes, next_steps=next_steps,
    )  # fmt: skip
    number = plan.reviews.count() + 1
    due = rules.review_due_date(plan.first_approved_on, plan.cadence, number)
    entries = _apply_progress(plan, progress)
    actual = plan_actual(plan, day=review_date)
    review = PlanReview.objects.create(
        plan=plan, number=number, due_date=due, review_date=review_date, reviewer=actor,
        progress=entries, revenue_to_date=actual.revenue, prorated_target=actual.revenue_target,
        notes=notes.strip(), next_steps=next_steps.strip(),
    )  # fmt: skip
    audit_record(actor=actor, action="plan.review", obj=plan, data={"number": number, "due": due.isoformat()})
    return review


@transaction.atomic
def plan_archive(*, plan: AccountPlan, actor: Any, day: date) -> AccountPlan:
    """Retire a plan (e.g. the account was lost): kept with its versions and reviews, no
    longer counted as the account's plan, never due for review; a new plan may follow."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    if not can_approve(user=actor, plan=plan, day=day):
        raise Forbidden("Only a manager of the account's owner can archive its plan.")
    plan.status = PlanStatus.ARCHIVED
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="plan.archive", obj=plan)
    return plan


@transaction.atomic
def plan_mark(*, account: Account, actor: Any, note: str = "") -> PlanMark:
    mark, _ = PlanMark.objects.get_or_create(account=account, defaults={"marked_by": actor, "note": note})
    audit_record(actor=actor, action="plan.mark", obj=account, data={"note": note})
    return mark


@transaction.atomic
def plan_unmark(*, account: Account, actor: Any) -> None:
    PlanMark.objects.filter(account=account).delete()
    audit_record(actor=actor, action="plan.unmark", obj=account)
