"""Compute every statement of a period: pick the plans, credit the lines (vectorised,
falling back to the per-line engine), add the manager override. Read-only.

A statement's `lines` are the JSON-ready dicts of present.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl

from bookwise.core.dates import Period, parse_period, period_kind
from bookwise.people.models import Rep
from bookwise.people.selectors import manager_map, subordinate_ids

from . import engine, fastpath, loader
from .calc_fast import load_shares
from .calc_slow import Crediting, transfer_contexts
from .models import CommissionPlan, QuotaOverride
from .present import money, number

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
    credit: Decimal = ZERO
    commission: Decimal = ZERO
    lines: list[tuple] = field(default_factory=list)  # rows in present.LINE_COLUMNS order
    override: Decimal = ZERO
    team: tuple[Decimal, Decimal] | None = None  # T(P), T(P - 1 year) for an override

    @property
    def attainment(self) -> Decimal | None:
        return engine.attainment(self.credit, self.quota)


def period_of(label: str) -> Period:
    period = parse_period(label)
    if period_kind(label) not in ("month", "quarter", "year"):
        raise ValueError(f"{label!r} is not a month, quarter or year")
    return period


def current_plans() -> list[PaidPlan]:
    """The newest version of every stored plan."""
    from .planfile import plan_from_json

    found = []
    for plan in CommissionPlan.objects.prefetch_related("versions"):
        latest = max(plan.versions.all(), key=lambda v: v.version, default=None)
        if latest is not None:
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


@dataclass
class _Context:
    period: Period
    rep_plans: dict[int, PaidPlan]
    quotas: dict[int, Decimal | None]
    crediting: Crediting


@dataclass(frozen=True)
class Reassignment:
    """A what-if: the account's primary owner is `rep` from `start`, as a transfer."""

    account: int
    rep: int
    start: date


def compute_period(
    label: str,
    plans: list[PaidPlan] | None = None,
    vectorised: bool = True,
    reassignment: Reassignment | None = None,
) -> list[RepStatement]:
    """Every statement of the period, sorted by rep id, with the given (or current) plans
    (and, for a what-if, a hypothetical reassignment)."""
    period = period_of(label)
    by_role = plans_by_role(current_plans() if plans is None else plans, period)
    if not by_role:
        return []
    reps = list(
        Rep.objects.filter(role__in=by_role).values_list("id", "external_id", "role", "hire_date", "end_date")
    )
    rep_plans = {r[0]: by_role[r[2]] for r in reps}
    overrides = dict(QuotaOverride.objects.filter(period=label).values_list("rep_id", "quota"))
    quotas = {rep: overrides.get(rep, paid.plan.quota) for rep, paid in rep_plans.items()}
    needs_transfers = any(p.plan.transfer_rule for p in by_role.values())
    ctx = _Context(
        period,
        rep_plans,
        quotas,
        Crediting(rep_plans, loader.transfers_until(period.end) if needs_transfers else {}, reassignment),
    )
    computed, team = None, None
    if vectorised:
        try:
            computed, team = _vectorised(ctx)
        except fastpath.Unsupported:
            computed = None
    if computed is None:
        computed = _per_line(ctx)
    statements = []
    for rep_id, ref, _role, hired, left in sorted(reps, key=lambda r: r[1]):
        employed = (hired is None or hired <= period.end) and (left is None or left >= period.start)
        if rep_id not in computed and not employed:
            continue
        s = computed.get(rep_id) or RepStatement(rep_id, ref, rep_plans[rep_id], quotas[rep_id])
        s.rep_ref = ref
        statements.append(s)
    _add_overrides(statements, rep_plans, period, team)
    return statements


def _per_line(ctx: _Context) -> dict[int, RepStatement]:
    per_rep: dict[int, list[engine.CreditLine]] = defaultdict(list)
    for line in map(ctx.crediting.adjust, loader.iter_lines(ctx.period.start, ctx.period.end)):
        for share in ctx.crediting.shares(line):
            per_rep[share.rep].append(share)
    keys = {
        (rep, cl.account, cl.transfer)
        for rep, lines in per_rep.items()
        if _threshold(ctx.rep_plans[rep].plan)
        for cl in lines
        if cl.transfer is not None
    }
    contexts = transfer_contexts(keys, ctx.crediting, ctx.period)
    out = {}
    for rep, lines in per_rep.items():
        paid = ctx.rep_plans[rep]
        result = engine.rep_statement(paid.plan, ctx.quotas[rep], lines, contexts.get(rep))
        rows = [
            (r.line.order_id, r.line.account_ref, r.line.day.isoformat(), money(r.line.credit),
             number(r.factor, 6), money(r.commission), r.explanation)
            for r in result.lines
        ]  # fmt: skip
        out[rep] = RepStatement(rep, "", paid, ctx.quotas[rep], result.credit, result.commission, rows)
    return out


def _threshold(plan: engine.Plan) -> bool:
    return plan.transfer_rule is not None and plan.transfer_rule.threshold == "prior_12_months"


def _vectorised(ctx: _Context) -> tuple[dict[int, RepStatement], dict[str, dict[int, Decimal]]]:
    shares = load_shares(
        ctx.period.start, ctx.period.end, ctx.rep_plans, ctx.crediting.transfers, ctx.crediting.reassignment
    )
    cols = shares.cols
    ruled = np.flatnonzero(cols.transfer >= 0)
    keys = {
        (rep, acc, fastpath.from_day(t))
        for rep, acc, t in zip(
            cols.rep[ruled].tolist(), cols.account[ruled].tolist(), cols.transfer[ruled].tolist(), strict=True
        )
        if _threshold(ctx.rep_plans[rep].plan)
    }
    contexts = transfer_contexts(keys, ctx.crediting, ctx.period)
    plans = {rep: paid.plan for rep, paid in ctx.rep_plans.items()}
    result = fastpath.compute(cols, plans, ctx.quotas, contexts)
    return _statements_from(result, cols, ctx), shares.team


def _statements_from(
    result: fastpath.FastResult, cols: fastpath.Columns, ctx: _Context
) -> dict[int, RepStatement]:
    idx = result.index
    dates = np.datetime_as_string(cols.day[idx].astype("datetime64[D]")).tolist()
    oids, refs = cols.order_id[idx].tolist(), cols.account_ref[idx].tolist()
    credits = _unit_strings(cols.credit[idx], cols.scale)
    paid_cents = _cent_strings(result.commission)
    factors, why = result.factor, result.explanation
    unit = Decimal(100 * cols.scale)
    out = {}
    rows = list(zip(oids, refs, dates, credits, factors, paid_cents, why, strict=True))
    for rep, sl in result.reps.items():
        commission = Decimal(int(result.commission[sl].sum())) / 100
        credit = Decimal(result.credit_total[rep]) / unit
        quantized = commission.quantize(Decimal("0.01"))
        out[rep] = RepStatement(rep, "", ctx.rep_plans[rep], ctx.quotas[rep], credit, quantized, rows[sl])
    return out


def _cent_strings(cents: np.ndarray) -> list[str]:
    """Money strings ("-12.05") for integer cents, vectorised."""
    c = pl.Series(cents, dtype=pl.Int64)
    frame = pl.DataFrame({"c": c})
    text = frame.select(
        pl.concat_str(
            pl.when(pl.col("c") < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (pl.col("c").abs() // 100).cast(pl.Utf8),
            pl.lit("."),
            (pl.col("c").abs() % 100).cast(pl.Utf8).str.zfill(2),
        )
    )
    return text.to_series().to_list()


def _unit_strings(units: np.ndarray, scale: int) -> list[str]:
    """Credit strings: cents when whole, the exact decimal otherwise."""
    if scale == 1:
        return _cent_strings(units)
    out = _cent_strings(units // scale)
    for i in np.flatnonzero(units % scale).tolist():
        out[i] = money(Decimal(int(units[i])) / (100 * scale)) or ""
    return out


def team_shares(period: Period, splits: dict[int, Decimal]) -> dict[str, dict[int, Decimal]]:
    """base -> rep -> the rep's credit share over the period (amount and gross profit)."""
    totals: dict[str, dict[int, Decimal]] = {
        "amount": defaultdict(Decimal),
        "gross_profit": defaultdict(Decimal),
    }
    for credited, secondary, amount, gp in loader.team_credit_groups(period.start, period.end):
        if credited is None:
            continue
        split = splits.get(credited, ZERO)
        shared = secondary is not None and secondary != credited and split != ZERO
        for base, value in (("amount", amount), ("gross_profit", gp)):
            if shared:
                totals[base][credited] += value * (1 - split)
                totals[base][secondary] += value * split
            else:
                totals[base][credited] += value
    return totals


def _add_overrides(
    statements: list[RepStatement], rep_plans: dict[int, PaidPlan], period: Period, now=None
) -> None:
    """rate x max(0, T(P) - T(P - 1 year)) for plans with an override; the team is every
    rep below the manager as the reporting lines stand now."""
    managers = [s for s in statements if s.paid.plan.override_rate is not None]
    if not managers:
        return
    splits = {rep: paid.plan.co_coverage_split for rep, paid in rep_plans.items()}
    now = now if now is not None else team_shares(period, splits)
    before = team_shares(period.year_earlier(), splits)
    chain = manager_map()
    for s in managers:
        team = subordinate_ids(s.rep_id, chain)
        base = s.paid.plan.base
        t_now = sum((now[base].get(r, ZERO) for r in team), ZERO)
        t_before = sum((before[base].get(r, ZERO) for r in team), ZERO)
        s.override = engine.override_amount(s.paid.plan.override_rate or ZERO, t_now, t_before)
        s.team = (t_now, t_before)


def day_of(value: int) -> date:
    return fastpath.from_day(value)
