"""Plan against actual: revenue and gross profit of the plan year to date against the
target pro-rated by day, objective completion and the on track / at risk / off track status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bookwise.accounts.models import OrderLine
from bookwise.core import charts

from . import rules
from .models import AccountPlan
from .selectors import status_thresholds

ZERO = Decimal("0.00")


@dataclass
class PlanActual:
    plan: AccountPlan
    day: date
    revenue: Decimal = ZERO
    gross_profit: Decimal = ZERO
    revenue_target: Decimal | None = None
    gp_target: Decimal | None = None
    revenue_ratio: Decimal | None = None
    gp_ratio: Decimal | None = None
    status: str = rules.NOT_STARTED
    completion: Decimal | None = None
    monthly: dict[int, Decimal] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ")


def _ytd_lines(account_ids: Iterable[int], year: int, day: date):
    start, end = rules.year_bounds(year)
    return OrderLine.objects.filter(
        account_id__in=list(account_ids), order_date__gte=start, order_date__lte=min(day, end)
    ).values_list("account_id", "order_date", "amount", "gross_profit")


def _measure(plan: AccountPlan, day: date, lines: list, statuses: list[str]) -> PlanActual:
    result = PlanActual(plan=plan, day=day)
    monthly: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for _account, order_date, amount, gp in lines:
        result.revenue += amount
        result.gross_profit += gp or ZERO
        monthly[order_date.month] += amount
    result.monthly = dict(monthly)
    if plan.revenue_target is not None:
        result.revenue_target = rules.prorated_target(plan.revenue_target, plan.year, day)
        result.revenue_ratio = rules.attainment(result.revenue, result.revenue_target)
    if plan.gp_target is not None:
        result.gp_target = rules.prorated_target(plan.gp_target, plan.year, day)
        result.gp_ratio = rules.attainment(result.gross_profit, result.gp_target)
    result.status = rules.plan_status(result.revenue_ratio, *status_thresholds())
    result.completion = rules.completion(statuses)
    return result


def plan_actuals(plans: Iterable[AccountPlan], *, day: date) -> dict[int, PlanActual]:
    """plan pk -> PlanActual at `day` (plans of any years; one query per plan year)."""
    by_year: dict[int, list[AccountPlan]] = defaultdict(list)
    for plan in plans:
        by_year[plan.year].append(plan)
    out: dict[int, PlanActual] = {}
    for year, group in by_year.items():
        lines: dict[int, list] = defaultdict(list)
        for row in _ytd_lines({p.account_id for p in group}, year, day):
            lines[row[0]].append(row)
        statuses = _objective_statuses(group)
        for plan in group:
            out[plan.pk] = _measure(plan, day, lines[plan.account_id], statuses[plan.pk])
    return out


def _objective_statuses(plans: list[AccountPlan]) -> dict[int, list[str]]:
    from .models import PlanObjective

    found: dict[int, list[str]] = defaultdict(list)
    rows = PlanObjective.objects.filter(plan__in=plans).values_list("plan_id", "status")
    for plan_id, status in rows:
        found[plan_id].append(status)
    return found


def plan_actual(plan: AccountPlan, *, day: date) -> PlanActual:
    return plan_actuals([plan], day=day)[plan.pk]


def actual_chart(actual: PlanActual) -> dict:
    """Cumulative actual revenue against the pro-rated target at each month end."""
    plan = actual.plan
    points = rules.month_ends(plan.year, actual.day)
    target = plan.revenue_target or ZERO
    cumulative, targets = rules.cumulative_series(actual.monthly, target, plan.year, points)
    labels = [p.strftime("%Y-%m") for p in points]
    series = {"Actual revenue (cumulative)": cumulative}
    if plan.revenue_target is not None:
        series["Pro-rated target"] = targets
    return charts.line_chart(f"Revenue {plan.year}: actual against target", labels, series)
