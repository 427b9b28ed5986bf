"""The engine vectorised with NumPy on exact integers (pure: no Django).

Credits are integers in units of 1 / (100 x scale) of a currency unit (scale = 10^k so
that co-coverage shares of cents stay whole), rates integers in units of 10^-e, tier
bounds integers in credit units. R(x) and every line's R(c + credit) - R(c) are then
exact int64 sums, and a line's commission in cents is a half-up (away from zero)
integer division. Lines on a transferred account (a factor other than 1) go through
`engine.transfer_factor` one by one, in line order, exactly as in engine.rep_statement.
Raises Unsupported when a bound is not a whole number of units or an intermediate
could overflow; the caller then uses engine.rep_statement (same results, slower).
The property tests compare this with reference.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

import numpy as np

from . import engine

LIMIT = 2**62
BIG = 2**61
EPOCH = date(1970, 1, 1)


class Unsupported(Exception):
    pass


@dataclass
class Columns:
    """Share lines (one row per rep credited), any order."""

    rep: np.ndarray  # int64 rep pk
    order_id: np.ndarray  # str (numpy unicode)
    account: np.ndarray  # int64 account pk
    account_ref: np.ndarray  # object: external account id
    day: np.ndarray  # int64 days since 1970-01-01
    kind: np.ndarray  # object: order kind
    credit: np.ndarray  # int64 credit units
    unknown: np.ndarray  # bool: gross profit unknown
    secondary: np.ndarray  # bool: the co-coverage share
    transfer: np.ndarray  # int64 day of the transfer t, -1 = none
    scale: int = 1


@dataclass
class FastResult:
    """Per rep (sorted lines): slices into the line arrays, and the line arrays."""

    reps: dict[int, slice] = field(default_factory=dict)
    index: np.ndarray | None = None  # row of Columns for each sorted line
    commission: np.ndarray | None = None  # int64 cents
    factor: list[float] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    credit_total: dict[int, int] = field(default_factory=dict)  # credit units


def to_day(value: date) -> int:
    return (value - EPOCH).days


@lru_cache(maxsize=1 << 16)
def from_day(value: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(value))


def _decimals(values: list[Decimal]) -> int:
    exponents = [v.normalize().as_tuple().exponent for v in values]
    return max([0] + [-e for e in exponents if isinstance(e, int) and e < 0])


def _curve_units(
    plan: engine.Plan, quota: Decimal | None, unit: int, e: int
) -> tuple[list[int], list[int], list[Decimal]]:
    """Bounds (credit units) and rates (10^-e units) of R's segments, with the rates."""
    curve = engine.RateCurve(plan.tiers, quota)
    bounds = []
    for b in curve.bounds:
        units = b * unit
        if units != units.to_integral_value():
            raise Unsupported("tier bound is not a whole number of credit units")
        bounds.append(int(units))
    rates = [int(r.scaleb(e)) for r in curve.rates]
    return bounds, rates, curve.rates


def compute(
    cols: Columns,
    plans: dict[int, engine.Plan],
    quotas: dict[int, Decimal | None],
    contexts: dict[int, dict[tuple[int, date], engine.TransferContext]] | None = None,
) -> FastResult:
    unit = 100 * cols.scale
    order = np.lexsort((cols.order_id, cols.day, cols.rep))
    rep, credit = cols.rep[order], cols.credit[order]
    n = len(rep)
    result = FastResult(index=order)
    if n == 0:
        result.commission = np.zeros(0, dtype=np.int64)
        return result
    if int(np.abs(credit).sum()) >= LIMIT // 4:
        raise Unsupported("credits too large")
    new_group = np.r_[True, rep[1:] != rep[:-1]]
    starts = np.flatnonzero(new_group)
    group = np.cumsum(new_group) - 1
    cs = np.cumsum(credit)
    before = cs - credit - (cs - credit)[starts][group]
    after = before + credit
    group_reps = rep[starts]
    e = _decimals([r for p in {plans[int(r)] for r in group_reps} for t in p.tiers for r in [t.rate]])
    curves = [_curve_units(plans[int(r)], quotas.get(int(r)), unit, e) for r in group_reps]
    width = max(len(c[0]) for c in curves)
    bounds = np.full((len(curves), width), BIG, dtype=np.int64)
    rates = np.zeros((len(curves), width), dtype=np.int64)
    for g, (b, r, _) in enumerate(curves):
        bounds[g, : len(b)] = b
        rates[g, : len(r)] = r
    peak = int(max(np.abs(before).max(), np.abs(after).max()))
    if peak * max(int(rates.max()), 1) * width >= LIMIT // 2:
        raise Unsupported("intermediate could overflow")
    delta = _big_r(after, bounds, rates, group) - _big_r(before, bounds, rates, group)
    denominator = cols.scale * 10**e
    result.commission = np.sign(delta) * ((np.abs(delta) * 2 + denominator) // (2 * denominator))
    low, high = np.minimum(before, after), np.maximum(before, after)
    seg_lo, seg_hi = _segment(low, bounds, group), _segment(high, bounds, group)
    at_bound = (high > low) & (seg_hi > seg_lo) & (high == bounds[group, seg_hi])
    seg_hi = seg_hi - at_bound
    result.factor = [1.0] * n
    _explain(result, cols, order, plans, group_reps, group, seg_lo, seg_hi, curves)
    _transfers(result, cols, order, plans, contexts or {}, delta, Decimal(unit * 10**e))
    for g, r in enumerate(group_reps):
        stop = starts[g + 1] if g + 1 < len(starts) else n
        result.reps[int(r)] = slice(int(starts[g]), int(stop))
        result.credit_total[int(r)] = int(after[stop - 1])
    return result


def _big_r(x: np.ndarray, bounds: np.ndarray, rates: np.ndarray, group: np.ndarray) -> np.ndarray:
    b = bounds[group]
    widths = np.empty_like(b)
    widths[:, :-1] = b[:, 1:] - b[:, :-1]
    widths[:, -1] = BIG
    over = np.clip(np.maximum(x, 0)[:, None] - b, 0, widths)
    r = rates[group]
    return (over * r).sum(axis=1) + np.minimum(x, 0) * r[:, 0]


def _segment(x: np.ndarray, bounds: np.ndarray, group: np.ndarray) -> np.ndarray:
    return (bounds[group][:, 1:] <= x[:, None]).sum(axis=1)


def _explain(result, cols, order, plans, group_reps, group, seg_lo, seg_hi, curves) -> None:
    cache: dict[tuple, str] = {}
    secondary, unknown = cols.secondary[order], cols.unknown[order]
    out = []
    for g, lo, hi, sec, unk in zip(group.tolist(), seg_lo.tolist(), seg_hi.tolist(), secondary.tolist(),
                                   unknown.tolist(), strict=True):  # fmt: skip
        key = (g, lo, hi, sec, unk)
        text = cache.get(key)
        if text is None:
            plan = plans[int(group_reps[g])]
            parts = [f"plan {plan.name} v{plan.version}"]
            if unk:
                parts.append("gross profit unknown: credit 0")
            elif sec:
                parts.append(f"co-coverage share {plan.co_coverage_split.normalize():f}")
            if plan.tiers:
                labels = curves[g][2]
                parts.append(", ".join(f"tier {k + 1} ({engine._pct(labels[k])})" for k in range(lo, hi + 1)))
            else:
                parts.append("no tiers (override only)")
            text = cache[key] = "; ".join(parts)
        out.append(text)
    result.explanation = out


def _transfers(result, cols, order, plans, contexts, delta, divisor: Decimal) -> None:
    """Lines on a transferred account, in line order: f_i exactly as the engine does."""
    rows = np.flatnonzero(cols.transfer[order] >= 0)
    if len(rows) == 0:
        return
    src = order[rows]
    columns = (cols.rep, cols.order_id, cols.account, cols.account_ref, cols.day, cols.kind, cols.credit,
               cols.unknown, cols.secondary, cols.transfer)  # fmt: skip
    fields = zip(rows.tolist(), *(c[src].tolist() for c in columns), delta[rows].tolist(), strict=True)
    running: dict[tuple[int, int, int], Decimal] = {}
    unit = Decimal(100 * cols.scale)
    empty = engine.TransferContext()
    micro = Decimal("0.000001")
    with localcontext(engine._PRECISION):
        for i, rep, oid, account, ref, day, kind, credit, unknown, secondary, t_day, d in fields:
            rule = plans[rep].transfer_rule
            if rule is None:
                continue
            t = from_day(t_day)
            role = "secondary" if secondary else "credited"
            line = engine.CreditLine(
                oid, account, ref, from_day(day), kind, Decimal(credit) / unit, unknown, role, t, rep
            )
            ctx = contexts.get(rep, {}).get((account, t), empty)
            key = (rep, account, t_day)
            s_before = running.get(key, ctx.prior_credit)
            f = engine.transfer_factor(line, rule, s_before, ctx.baseline)
            running[key] = s_before + line.credit
            paid = engine.round_cents(f.numerator * (Decimal(d) / divisor) / f.denominator)
            result.commission[i] = int(paid.scaleb(2))
            if f.numerator == f.denominator:
                result.factor[i] = 1.0
            else:
                result.factor[i] = float(
                    (f.numerator / f.denominator).quantize(micro, rounding=ROUND_HALF_UP)
                )
            if f.why:
                result.explanation[i] = f"{result.explanation[i]}; {f.why}"


def columns_from_lines(rep: int, lines: list[engine.CreditLine]) -> Columns:
    """Columns for one rep's CreditLines (for tests and small inputs)."""
    k = max([0] + [_decimals([cl.credit]) - 2 for cl in lines])
    scale = 10**k
    return Columns(
        rep=np.full(len(lines), rep, dtype=np.int64),
        order_id=np.array([cl.order_id for cl in lines], dtype=str),
        account=np.array([cl.account for cl in lines], dtype=np.int64),
        account_ref=np.array([cl.account_ref for cl in lines], dtype=object),
        day=np.array([to_day(cl.day) for cl in lines], dtype=np.int64),
        kind=np.array([cl.kind for cl in lines], dtype=object),
        credit=np.array([int(cl.credit * 100 * scale) for cl in lines], dtype=np.int64),
        unknown=np.array([cl.unknown_gp for cl in lines], dtype=bool),
        secondary=np.array([cl.role == "secondary" for cl in lines], dtype=bool),
        transfer=np.array([to_day(cl.transfer) if cl.transfer else -1 for cl in lines], dtype=np.int64),
        scale=scale,
    )
