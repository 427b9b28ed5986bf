"""Compute every statement of a period: pick the plans, credit the lines, build transfer
contexts, run the pure engine per rep and add the manager override. Read-only."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bookwise.core.dates import Period, add_months, parse_period, period_kind
from bookwise.people.models import Rep
from bookwise.people.selectors import manager_map, subordinate_ids

from . import engine, loader
from .models import CommissionPlan, QuotaOverride

ZERO = Decimal(0)


@dataclass(frozen=True)
class PaidPlan:
    plan: engine.Plan
    version_id: int | None = None


@dataclass
class RepStatement:
    rep_id: int
    rep_ref: str
    paid: PaidPlan
    quota: Decimal | None
    result: engine.StatementResult
    override: Decimal = ZERO
    team: tuple[Decimal, Decimal] | None = None  # T(P), T(P - 1 year) for an override


def period_of(label: str) -> Period:
    period = parse_period(label)
    if period_kind(label) not in ("month", "quarter", "year"):
        raise ValueError(f"{label!r} is not a month, quarter or year")
    return period


def current_plans() -> list[PaidPlan]:
    """The newest version of every stored plan."""
    found = []
    for plan in CommissionPlan.objects.prefetch_related("versions"):
        latest = max(plan.versions.all(), key=lambda v: v.version, default=None)
        if latest is not None:
            from .planfile import plan_from_json

            found.append(PaidPlan(plan_from_json(latest.spec, latest.version), latest.id))
    return found


def plans_by_role(plans: list[PaidPlan], period: Period) -> dict[str, PaidPlan]:
    """Per role, the plan of the period's kind whose validity overlaps it (the later
    valid_from when two do)."""
    kind = period_kind(period.label)
    chosen: dict[str, PaidPlan] = {}
    for paid in sorted(plans, key=lambda p: (p.plan.valid_from, p.plan.name)):
        p = paid.plan
        if p.period == kind and p.valid_from <= period.end and p.valid_to >= period.start:
            for role in p.roles:
                chosen[role] = paid
    return chosen


class _Crediting:
    """Who each line credits, in which base, with which transfer date."""

    def __init__(self, rep_plans: dict[int, PaidPlan], transfers: dict[tuple[int, int], list[date]]):
        self.rep_plans = rep_plans
        self.transfers = transfers

    def split_of(self, credited: int | None) -> Decimal:
        paid = self.rep_plans.get(credited) if credited is not None else None
        return paid.plan.co_coverage_split if paid else ZERO

    def transfer_of(self, rep: int, account: int, day: date) -> date | None:
        starts = self.transfers.get((rep, account))
        if not starts:
            return None
        i = bisect_right(starts, day)
        return starts[i - 1] if i else None

    def shares(self, line: engine.OrderLine) -> list[engine.CreditLine]:
        out = []
        for rep, fraction, role in engine.credit_fractions(line, self.split_of(engine.credited_rep(line))):
            paid = self.rep_plans.get(rep)
            if paid is None:
                continue
            plan = paid.plan
            measure = engine.base_measure(line, plan.base)
            credit = ZERO if measure is None else (measure if fraction == 1 else measure * fraction)
            t = self.transfer_of(rep, line.account, line.day) if plan.transfer_rule else None
            out.append(
                engine.CreditLine(
                    line.order_id, line.account, line.account_ref, line.day, line.kind, credit,
                    measure is None, role, t, rep,
                )
            )  # fmt: skip
        return out


def compute_period(label: str, plans: list[PaidPlan] | None = None) -> list[RepStatement]:
    """Every statement of the period, sorted by rep id, with the given (or current) plans."""
    period = period_of(label)
    by_role = plans_by_role(current_plans() if plans is None else plans, period)
    if not by_role:
        return []
    reps = list(
        Rep.objects.filter(role__in=by_role).values_list("id", "external_id", "role", "hire_date", "end_date")
    )
    rep_plans = {r[0]: by_role[r[2]] for r in reps}
    needs_transfers = any(p.plan.transfer_rule for p in by_role.values())
    crediting = _Crediting(rep_plans, loader.transfers_until(period.end) if needs_transfers else {})
    per_rep: dict[int, list[engine.CreditLine]] = defaultdict(list)
    for line in loader.iter_lines(period.start, period.end):
        for share in crediting.shares(line):
            per_rep[share.rep].append(share)
    contexts = _transfer_contexts(per_rep, crediting, period)
    quotas = dict(QuotaOverride.objects.filter(period=label).values_list("rep_id", "quota"))
    statements = []
    for rep_id, ref, _role, hired, left in sorted(reps, key=lambda r: r[1]):
        employed = (hired is None or hired <= period.end) and (left is None or left >= period.start)
        if rep_id not in per_rep and not employed:
            continue
        paid = rep_plans[rep_id]
        quota = quotas.get(rep_id, paid.plan.quota)
        result = engine.rep_statement(paid.plan, quota, per_rep.get(rep_id, []), contexts.get(rep_id))
        statements.append(RepStatement(rep_id, ref, paid, quota, result))
    _add_overrides(statements, rep_plans, period)
    return statements


def _transfer_contexts(
    per_rep: dict[int, list[engine.CreditLine]], crediting: _Crediting, period: Period
) -> dict[int, dict[tuple[int, date], engine.TransferContext]]:
    """Baseline B and the credit before the period for every (rep, account, t) under a
    threshold rule (one chunked query over the accounts concerned)."""
    keys: set[tuple[int, int, date]] = set()
    for rep, lines in per_rep.items():
        rule = crediting.rep_plans[rep].plan.transfer_rule
        if rule is not None and rule.threshold == "prior_12_months":
            keys.update((rep, cl.account, cl.transfer) for cl in lines if cl.transfer is not None)
    if not keys:
        return {}
    by_account: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for rep, account, t in keys:
        by_account[account].append((rep, t))
    start = min(add_months(t, -12) for _, _, t in keys)
    baseline: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)
    prior: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)
    for line in loader.iter_lines(start, loader.day_before(period.start), by_account):
        for rep, t in by_account[line.account]:
            key = (rep, line.account, t)
            base = crediting.rep_plans[rep].plan.base
            if add_months(t, -12) <= line.day < t:
                baseline[key] += engine.base_measure(line, base) or ZERO
            elif line.day >= t:
                prior[key] += sum((s.credit for s in crediting.shares(line) if s.rep == rep), ZERO)
    out: dict[int, dict[tuple[int, date], engine.TransferContext]] = defaultdict(dict)
    for rep, account, t in keys:
        key = (rep, account, t)
        out[rep][(account, t)] = engine.TransferContext(baseline[key], prior[key])
    return out


def team_shares(period: Period, crediting_splits: dict[int, Decimal]) -> dict[str, dict[int, Decimal]]:
    """base -> rep -> the rep's credit share over the period (amount and gross profit)."""
    totals: dict[str, dict[int, Decimal]] = {
        "amount": defaultdict(Decimal),
        "gross_profit": defaultdict(Decimal),
    }
    for credited, secondary, amount, gp in loader.team_credit_groups(period.start, period.end):
        if credited is None:
            continue
        split = crediting_splits.get(credited, ZERO)
        shared = secondary is not None and secondary != credited and split != ZERO
        for base, value in (("amount", amount), ("gross_profit", gp)):
            if shared:
                totals[base][credited] += value * (1 - split)
                totals[base][secondary] += value * split
            else:
                totals[base][credited] += value
    return totals


def _add_overrides(statements: list[RepStatement], rep_plans: dict[int, PaidPlan], period: Period) -> None:
    managers = [s for s in statements if s.paid.plan.override_rate is not None]
    if not managers:
        return
    splits = {rep: paid.plan.co_coverage_split for rep, paid in rep_plans.items()}
    now, before = team_shares(period, splits), team_shares(period.year_earlier(), splits)
    chain = manager_map()
    for s in managers:
        team = subordinate_ids(s.rep_id, chain)
        base = s.paid.plan.base
        t_now = sum((now[base].get(r, ZERO) for r in team), ZERO)
        t_before = sum((before[base].get(r, ZERO) for r in team), ZERO)
        s.override = engine.override_amount(s.paid.plan.override_rate or ZERO, t_now, t_before)
        s.team = (t_now, t_before)
