"""Account plans for the current year on most tier-A accounts: approved (with reviews, some
up to date, some overdue), a couple of drafts and one submitted plan waiting for approval."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bookwise.accounts.models import Account
from bookwise.core.dates import add_months
from bookwise.core.errors import ApplicationError
from bookwise.people.models import Rep
from bookwise.plans import services
from bookwise.plans.models import AccountPlan
from bookwise.retention.selectors import account_tiers

from .common import director, primary_owners

SKIP_EVERY = 5  # every 5th tier-A account has no plan: the coverage report shows gaps
DRAFTS, SUBMITTED = 2, 1
# The tier-A accounts of these teams come first (the leaving rep's team, then SM1's; the
# managers' own accounts included), then the others. Each plan goes through the services
# (~50-90 ms with its reviews): the cap keeps the build fast at full scale.
PLAN_TEAMS = ("SM2", "SM1")
MAX_PLANS = 50
APPROVED_DAYS_AGO = 125


def _content(account: Account, owner: Rep, revenue: Decimal, today: date) -> services.PlanContent:
    target = (revenue * Decimal("1.08")).quantize(Decimal("1"))
    end = date(today.year, 12, 31)
    return services.PlanContent(
        situation=f"{account.name} buys about {revenue:,.0f} a year; relationship is good.",
        revenue_target=target,
        gp_target=(target * Decimal("0.3")).quantize(Decimal("1")),
        growth_strategy="Grow the lines the industry buys and the customer does not yet.",
        risks="Price pressure from a competitor on the core range.",
        contacts="Head of purchasing; site manager; finance controller.",
        objectives=[
            {"description": "Grow revenue 8 %", "kind": "revenue", "target": str(target),
             "owner": owner, "due_date": end, "status": "in_progress"},
            {"description": "Reach the maintenance department", "kind": "department",
             "target": "Maintenance", "owner": owner, "due_date": end, "status": "open"},
        ],
        actions=[
            {"description": "Quarterly business review with purchasing", "owner": owner,
             "due_date": today + timedelta(days=30), "done": False},
            {"description": "Send the whitespace proposal", "owner": owner,
             "due_date": today - timedelta(days=20), "done": True},
        ],
    )  # fmt: skip


def _approver(owner: Rep) -> object:
    manager = owner.manager if owner.role not in ("sales_manager", "director") else None
    return manager.user if manager is not None and manager.user else director().user


def _reviews(plan: AccountPlan, actor: object, today: date, index: int) -> int:
    """Record the due reviews: only the first one for a third of the plans (overdue), all
    but the last two for another third (overdue), all of them for the rest (up to date)."""
    anchor, months = plan.first_approved_on, 1 if plan.cadence == "monthly" else 3
    assert anchor is not None
    due = [add_months(anchor, n * months) for n in range(1, 13)]
    due = [d for d in due if d <= today and d.year <= plan.year]
    keep = min(1, len(due)) if index % 3 == 0 else max(0, len(due) - 2) if index % 3 == 1 else len(due)
    objective = plan.objectives.order_by("pk").first()
    if objective is None:
        return 0
    for day in due[:keep]:
        progress = [{"objective_id": objective.pk, "status": "in_progress", "note": "On track."}]
        services.review_record(
            plan=plan, actor=actor, review_date=min(today, day + timedelta(days=2)), progress=progress,
            notes="Orders in line with the plan.", next_steps="Follow up the second-site quote.", today=today,
        )  # fmt: skip
    return keep


def _one_plan(account: Account, owner: Rep, revenue: Decimal, today: date, state: str, index: int) -> int:
    actor = owner.user or director().user
    plan = services.plan_create(account=account, year=today.year, actor=actor, day=today)
    content = _content(account, owner, revenue, today)
    plan = services.plan_update(plan=plan, content=content, actor=actor, today=today)
    if state == "draft":
        return 0
    plan = services.plan_submit(plan=plan, actor=actor)
    if state == "submitted":
        return 0
    approver, day = _approver(owner), today - timedelta(days=APPROVED_DAYS_AGO + 7 * (index % 4))
    try:
        plan = services.plan_approve(plan=plan, actor=approver, day=day)
    except ApplicationError:  # the owner changed since: approve as of today
        plan = services.plan_approve(plan=plan, actor=director().user, day=today)
    return _reviews(plan, approver, today, index)


def _team_rank(owner: Rep) -> int:
    team = owner.external_id if owner.role == "sales_manager" else getattr(owner.manager, "external_id", "")
    return PLAN_TEAMS.index(team) if team in PLAN_TEAMS else len(PLAN_TEAMS)


def build_plans(today: date) -> dict[str, int]:
    tiers = account_tiers(day=today)
    a_ids = sorted(pk for pk, info in tiers.items() if info.tier == "A")
    accounts = list(Account.objects.filter(pk__in=a_ids, status="active").order_by("external_id"))
    owners = primary_owners([a.pk for a in accounts], today)
    accounts = [a for a in accounts if a.pk in owners]
    accounts.sort(key=lambda a: (_team_rank(owners[a.pk]), a.external_id))
    chosen = [a for i, a in enumerate(accounts) if i % SKIP_EVERY != SKIP_EVERY - 1][:MAX_PLANS]
    waiting = ["draft"] * DRAFTS + ["submitted"] * SUBMITTED  # the last ones chosen
    states = ["approved"] * max(0, len(chosen) - len(waiting)) + waiting[-len(chosen) :]
    reviews = sum(
        _one_plan(a, owners[a.pk], tiers[a.pk].t12m_revenue, today, state, i)
        for i, (a, state) in enumerate(zip(chosen, states, strict=False))
    )
    return {"account plans": len(chosen), "plan reviews": reviews}
