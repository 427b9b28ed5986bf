"""Plan test helpers: explicit, deterministic plans built through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookwise.plans import services
from bookwise.plans.models import AccountPlan
from bookwise.plans.services import PlanContent
from bookwise.retention.models import TierPin
from tests import factories


def pin(account, tier: str) -> None:
    TierPin.objects.create(account=account, tier=tier)


def content(**changes) -> PlanContent:
    base = dict(
        situation="Long-standing customer, growing in two departments.",
        revenue_target=Decimal("120000.00"),
        gp_target=Decimal("30000.00"),
        growth_strategy="Open the service line.",
        risks="Budget freeze.",
        contacts="CFO Ann Lee (sponsor)",
        cadence="",
        objectives=[
            {"description": "Grow revenue", "kind": "revenue", "target": "120000", "owner": None,
             "due_date": date(2026, 12, 31), "status": "open"},
        ],
        actions=[{"description": "Meet the CFO", "owner": None, "due_date": date(2026, 2, 1), "done": False}],
    )  # fmt: skip
    base.update(changes)
    return PlanContent(**base)


def draft(account, *, year: int = 2026, actor=None, day: date = date(2026, 1, 5), **changes) -> AccountPlan:
    plan = services.plan_create(account=account, year=year, actor=actor, day=day)
    return services.plan_update(plan=plan, content=content(**changes), actor=actor)


def approved(account, approver, *, year: int = 2026, on: date = date(2026, 1, 31), **changes) -> AccountPlan:
    plan = draft(account, year=year, **changes)
    services.plan_submit(plan=plan, actor=None)
    return services.plan_approve(plan=plan, actor=approver, day=on)


def book(org):
    """R1 owns A1 (tier A, pinned), A2 (C); R3 owns A3 (pinned A)."""
    a1 = factories.account("A1", owner=org["R1"], territory=org["R1"].territory)
    a2 = factories.account("A2", owner=org["R1"], territory=org["R1"].territory)
    a3 = factories.account("A3", owner=org["R3"], territory=org["R3"].territory)
    pin(a1, "A")
    pin(a3, "A")
    return a1, a2, a3
