"""The data the live API tests act on, built per test through the services (the live
server's `transactional_db` empties the tables after each test).

The organisation is tests/factories.py's `org()`: director D1; sales manager M1 over R1 and
R2 (North); M2 over R3 and R4 (South); plus an admin and "ops", sales operations (no rep,
in the "Sales ops" group). Every object is fresh on each call, so
a case can prepare one target for the token call and another for the session call."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.commissions.models import Dispute, Run, Statement
from bookwise.commissions.services import dispute_open, plan_file_load, run_approve, run_compute
from bookwise.people.models import Rep
from bookwise.plans import services as plan_services
from bookwise.plans.models import AccountPlan
from bookwise.plans.services import PlanContent
from bookwise.transfers import planning
from bookwise.transfers import services as transfer_services
from bookwise.transfers.models import ReassignmentPlan, Transfer
from tests import factories

SECTIONS = {
    "recent_sales": "Steady repeat orders of paper and toner.",
    "upcoming_opportunities": "Renewal of the service contract in the spring.",
    "ongoing_obstacles": "Price pressure from a regional competitor.",
    "past_obstacles": "Late deliveries last year, fixed with a weekly call.",
    "key_contacts": "Jane Roe (buyer), Tom Poe (CFO).",
}

COMMISSION_PLAN = """\
plans:
  - name: Reps {year}
    roles: [account_manager, hunter]
    valid_from: {year}-01-01
    valid_to: {year}-12-31
    period: quarter
    base: amount
    quota: 100000
    tiers:
      - {{from: 0.0, rate: 0.05}}
"""


class World:
    """A small book and factories of write targets in the state each endpoint needs."""

    def __init__(self) -> None:
        self.org: dict[str, Rep] = factories.org()
        self.admin: Any = factories.admin_user()
        self.sales_ops: Any = factories.sales_ops_user("ops")
        self.today: date = timezone.localdate()
        self.year = self.today.year - 1  # commission periods: last year's, always in the past
        self._seq = itertools.count(1)
        self._quarters = itertools.count(1)
        self._commission_plan_loaded = False

    def user(self, who: str) -> Any:
        if who in ("admin", "ops"):
            return self.admin if who == "admin" else self.sales_ops
        return self.org[who].user

    def account(self, owner: Rep | None = None) -> Account:
        """A new account of `owner` (R1 by default) with one order last month."""
        rep = owner or self.org["R1"]
        a = factories.account(f"LIVE{next(self._seq):03d}", owner=rep, territory=rep.territory)
        factories.order(a, self.today - timedelta(days=30), "1200.00", gp="300.00", product_line="Paper")
        return a

    def rep(self) -> Rep:
        """A new account manager under M1 (North) with two accounts."""
        r = factories.rep(
            f"RL{next(self._seq):03d}", manager=self.org["M1"], territory=self.org["M1"].territory
        )
        self.account(r)
        self.account(r)
        return r

    # transfers -----------------------------------------------------------------------------

    def transfer(self, state: str = "draft") -> Transfer:
        """A transfer of a new R1 account to R2, started by M1, brought to `state`."""
        actor = self.user("M1")
        t = transfer_services.transfer_create(
            account=self.account(), to_rep=self.org["R2"], effective_date=self.today,
            reason="rebalance", actor=actor,
        )  # fmt: skip
        if state in ("handoff", "introduced"):
            t = transfer_services.transfer_start_handoff(transfer=t, actor=actor)
        if state == "introduced":
            transfer_services.interview_update(transfer=t, actor=actor, **SECTIONS)
            t = transfer_services.transfer_introduce(
                transfer=t, actor=actor, meeting_date=self.today, attendees="Jane Roe, R1, R2"
            )
        return t

    def reassignment_plan(self) -> ReassignmentPlan:
        return planning.plan_create(
            from_rep=self.rep(), actor=self.user("M1"), day=self.today,
            effective_date=self.today + timedelta(days=14), reason="departure",
        )  # fmt: skip

    # commissions ---------------------------------------------------------------------------

    def period(self) -> str:
        """A new quarter of last year (Q1, Q2, ... in turn), its commission plan loaded."""
        if not self._commission_plan_loaded:
            plan_file_load(text=COMMISSION_PLAN.format(year=self.year), filename="live.yaml")
            self._commission_plan_loaded = True
        return f"{self.year}-Q{next(self._quarters)}"

    def run(self, *, approved: bool = False, order_id: str = "") -> Run:
        """A computed run of a new period; with `order_id`, R1 sold that order in it."""
        period = self.period()
        if order_id:
            month = 3 * int(period[-1]) - 2
            a = self.account()
            factories.order(
                a, date(self.year, month, 10), "1000.00", rep=self.org["R1"], external_id=order_id
            )
        run = run_compute(period=period)
        return run_approve(run=run, actor=None) if approved else run

    def statement(self) -> tuple[Statement, str]:
        """R1's statement in an approved run, and the order on it."""
        order_id = f"OL{next(self._seq):04d}"
        run = self.run(approved=True, order_id=order_id)
        return run.statements.get(rep=self.org["R1"]), order_id

    def dispute(self) -> Dispute:
        st, order_id = self.statement()
        return dispute_open(
            statement=st, order_id=order_id, comment="It was 1,200.00.", actor=self.user("R1")
        )

    # account plans -------------------------------------------------------------------------

    def account_plan(self, status: str = "draft") -> AccountPlan:
        """A filled-in plan of this year for a new R1 account, brought to `status`."""
        plan = plan_services.plan_create(
            account=self.account(), year=self.today.year, actor=self.user("R1"), day=self.today
        )
        plan = plan_services.plan_update(plan=plan, content=self._content(), actor=self.user("R1"))
        if status in ("submitted", "approved"):
            plan = plan_services.plan_submit(plan=plan, actor=self.user("R1"))
        if status == "approved":
            plan = plan_services.plan_approve(plan=plan, actor=self.user("M1"), day=self.today)
        return plan

    def _content(self) -> PlanContent:
        year_end = date(self.today.year, 12, 31)
        return PlanContent(
            situation="Long-standing customer, growing in two departments.",
            revenue_target=Decimal("120000.00"), gp_target=Decimal("30000.00"),
            growth_strategy="Open the service line.", risks="A budget freeze.",
            contacts="Ann Lee, CFO (sponsor)",
            objectives=[{"description": "Grow revenue", "kind": "revenue", "target": "120000.00",
                         "owner": None, "due_date": year_end, "status": "open"}],
            actions=[{"description": "Meet the CFO", "owner": None, "due_date": year_end, "done": False}],
        )  # fmt: skip
