"""The rules paid in columns with NumPy on exact integers (pure: no Django), the only
production path.

Credits are integers in units of 1 / (100 x scale) of a currency unit (scale = 10^k so
that co-coverage shares of cents stay whole), rates integers in units of 10^-e. Tier
bounds are made whole by scaling the credits up by 10^j where a bound needs it
(a quota times a tier `from` with more decimals than a credit unit). R(x) and every
line's R(c + credit) - R(c) are then exact integer sums, and a line's commission in cents
is a half-up (away from zero) integer division; int64 where nothing can overflow,
Python integers (dtype object, slower, as exact) otherwise. Lines on a transferred
account (a factor other than 1) go through `rules.transfer_factor` one by one, in line
order. tests/commissions compares this with plain per-line restatements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import numpy as np

from . import rules
from .period import from_day
from .statements import PaidPlan, RepStatement, as_lines, money

LIMIT = 2**62
BIG = 2**61
MICRO = Decimal("0.000001")
Contexts = dict[int, dict[tuple[int, date], rules.TransferContext]]


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


def decimals(values: list[Decimal]) -> int:
    """The most decimal places among `values`."""
    exponents = [v.normalize().as_tuple().exponent for v in values]
    return max([0] + [-e for e in exponents if isinstance(e, int) and e < 0])


class _Segments:
    """R's segments of every rep's curve (one row per rep) as integers: bounds in credit
    units x 10^j, rates in units of 10^-e, int64 or Python integers where int64 could
    overflow; `divisor` turns R's integers into cents x 100."""

    def __init__(self, plans: list[rules.Plan], quotas: list[Decimal | None], scale: int, credit: np.ndarray):
        curves = [rules.RateCurve(p.tiers, q) for p, q in zip(plans, quotas, strict=True)]
        self.curves = curves
        e = decimals([t.rate for p in set(plans) for t in p.tiers])
        self.up = 10 ** decimals([b * 100 * scale for c in curves for b in c.bounds])
        self.divisor = scale * self.up * 10**e
        width = max(len(c.bounds) for c in curves)
        rates = [[int(r.scaleb(e)) for r in c.rates] for c in curves]
        total = float(np.abs(credit).sum(dtype=np.float64)) * self.up
        top = max([1, *(abs(r) for row in rates for r in row)])
        self.dtype: Any = np.int64 if total * top * width < LIMIT / 8 else object
        self.big = BIG if self.dtype is np.int64 else 10**60  # beyond every credit: no bound
        self.bounds = np.full((len(curves), width), self.big, dtype=self.dtype)
        self.rates = np.zeros((len(curves), width), dtype=self.dtype)
        for g, c in enumerate(curves):
            self.bounds[g, : len(c.bounds)] = [int(b * 100 * scale * self.up) for b in c.bounds]
            self.rates[g, : len(rates[g])] = rates[g]

    def r(self, x: np.ndarray, group: np.ndarray) -> np.ndarray:
        """R(x) of each line's rep's curve, x 10^e x 10^j credit units."""
        b = self.bounds[group]
        widths = np.empty_like(b)
        widths[:, :-1] = b[:, 1:] - b[:, :-1]
        widths[:, -1] = self.big
        over = np.minimum(np.maximum(np.maximum(x, 0)[:, None] - b, 0), widths)
        r = self.rates[group]
        total: np.ndarray = (over * r).sum(axis=1) + np.minimum(x, 0) * r[:, 0]  # numpy's sum is Any
        return total

    def segment(self, x: np.ndarray, group: np.ndarray) -> np.ndarray:
        below: np.ndarray = (self.bounds[group][:, 1:] <= x[:, None]).sum(axis=1)  # numpy's sum is Any
        return below


def compute(
    cols: Columns,
    plans: dict[int, rules.Plan],
    quotas: dict[int, Decimal | None],
    contexts: Contexts | None = None,
) -> FastResult:
    """Every line's commission in cents, per rep in line order (date, order id)."""
    order = np.lexsort((cols.order_id, cols.day, cols.rep))
    result = FastResult(index=order, commission=np.zeros(0, dtype=np.int64))
    rep = cols.rep[order]
    if len(rep) == 0:
        return result
    new_group = np.r_[True, rep[1:] != rep[:-1]]
    starts, group = np.flatnonzero(new_group), np.cumsum(new_group) - 1
    group_reps = rep[starts].tolist()
    seg = _Segments(
        [plans[r] for r in group_reps], [quotas.get(r) for r in group_reps], cols.scale, cols.credit
    )
    credit = cols.credit[order].astype(seg.dtype) * seg.up
    cs = np.cumsum(credit)
    before = cs - credit - (cs - credit)[starts][group]
    after = before + credit
    delta = seg.r(after, group) - seg.r(before, group)
    twice = 2 * seg.divisor
    sign = np.where(delta < 0, -1, 1)
    result.commission = (sign * ((np.abs(delta) * 2 + seg.divisor) // twice)).astype(np.int64)
    low, high = np.minimum(before, after), np.maximum(before, after)
    seg_lo, seg_hi = seg.segment(low, group), seg.segment(high, group)
    at_bound = (high > low) & (seg_hi > seg_lo) & (high == seg.bounds[group, seg_hi])
    result.factor = [1.0] * len(rep)
    result.explanation = _explain(cols, order, plans, seg, group_reps, group, seg_lo, seg_hi - at_bound)
    _transfers(result, cols, order, plans, contexts or {}, delta, Decimal(100 * seg.divisor))
    stops = [*starts[1:].tolist(), len(rep)]
    for g, r in enumerate(group_reps):
        result.reps[r] = slice(int(starts[g]), stops[g])
        result.credit_total[r] = int(after[stops[g] - 1]) // seg.up
    return result


def _explain(
    cols: Columns, order: np.ndarray, plans: dict[int, rules.Plan], seg: _Segments, group_reps: list[int],
    group: np.ndarray, seg_lo: np.ndarray, seg_hi: np.ndarray,
) -> list[str]:  # fmt: skip
    cache: dict[tuple[int, int, int, bool, bool], str] = {}
    secondary, unknown = cols.secondary[order].tolist(), cols.unknown[order].tolist()
    out = []
    for key in zip(group.tolist(), seg_lo.tolist(), seg_hi.tolist(), secondary, unknown, strict=True):
        text = cache.get(key)
        if text is None:
            g, lo, hi, sec, unk = key
            rates = seg.curves[g].rates
            tiers = ", ".join(f"tier {k + 1} ({rules.pct(rates[k])})" for k in range(lo, hi + 1))
            text = cache[key] = rules.explanation(plans[group_reps[g]], tiers, unk, sec)
        out.append(text)
    return out


def _transfers(
    result: FastResult, cols: Columns, order: np.ndarray, plans: dict[int, rules.Plan], contexts: Contexts,
    delta: np.ndarray, divisor: Decimal,
) -> None:  # fmt: skip
    """Lines on a transferred account, in line order: f_i by the rule, line by line."""
    rows = np.flatnonzero(cols.transfer[order] >= 0)
    if len(rows) == 0:
        return
    src = order[rows]
    columns = (cols.rep, cols.account, cols.day, cols.kind, cols.credit, cols.transfer)
    fields = zip(rows.tolist(), *(c[src].tolist() for c in columns), delta[rows].tolist(), strict=True)
    running: dict[tuple[int, int, int], Decimal] = {}
    unit = Decimal(100 * cols.scale)
    empty = rules.TransferContext()
    assert result.commission is not None
    with localcontext(rules.PRECISION):
        for i, rep, account, day, kind, units, t_day, d in fields:
            rule = plans[rep].transfer_rule
            if rule is None:
                continue
            t, credit = from_day(t_day), Decimal(units) / unit
            ctx = contexts.get(rep, {}).get((account, t), empty)
            key = (rep, account, t_day)
            s_before = running.get(key, ctx.prior_credit)
            f = rules.transfer_factor(rule, t, from_day(day), kind, credit, s_before, ctx.baseline)
            running[key] = s_before + credit
            result.commission[i] = int(
                rules.round_cents(f.numerator * (Decimal(d) / divisor) / f.denominator).scaleb(2)
            )
            if f.numerator != f.denominator:
                result.factor[i] = float(
                    (f.numerator / f.denominator).quantize(MICRO, rounding=ROUND_HALF_UP)
                )
            if f.why:
                result.explanation[i] = f"{result.explanation[i]}; {f.why}"


def statements_from(
    result: FastResult, cols: Columns, rep_plans: dict[int, PaidPlan], quotas: dict[int, Decimal | None]
) -> dict[int, RepStatement]:
    """Per rep, the statement (its ref left blank) with its typed lines in line order."""
    idx = result.index
    assert idx is not None and result.commission is not None, "a computed period has its commissions"
    dates = np.datetime_as_string(cols.day[idx].astype("datetime64[D]")).tolist()
    credits = unit_strings(cols.credit[idx], cols.scale)
    rows = as_lines(
        zip(cols.order_id[idx].tolist(), cols.account_ref[idx].tolist(), dates, credits, result.factor,
            cent_strings(result.commission), result.explanation, strict=True)
    )  # fmt: skip
    unit = Decimal(100 * cols.scale)
    out = {}
    for rep, sl in result.reps.items():
        commission = (Decimal(int(result.commission[sl].sum())) / 100).quantize(rules.CENT)
        credit = Decimal(result.credit_total[rep]) / unit
        out[rep] = RepStatement(rep, "", rep_plans[rep], quotas[rep], credit, commission, rows[sl])
    return out


def cent_strings(cents: np.ndarray) -> list[str]:
    """Money strings ("-12.05") for integer cents, vectorised."""
    import polars as pl  # here, not at the top: every command's start-up imports this module

    frame = pl.DataFrame({"c": pl.Series(cents, dtype=pl.Int64)})
    text = frame.select(
        pl.concat_str(
            pl.when(pl.col("c") < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (pl.col("c").abs() // 100).cast(pl.Utf8),
            pl.lit("."),
            (pl.col("c").abs() % 100).cast(pl.Utf8).str.zfill(2),
        )
    )
    return text.to_series().to_list()


def unit_strings(units: np.ndarray, scale: int) -> list[str]:
    """Credit strings of credit units (1 / (100 x scale)): cents when whole, the exact
    decimal otherwise."""
    if scale == 1:
        return cent_strings(units)
    out = cent_strings(units // scale)
    for i in np.flatnonzero(units % scale).tolist():
        out[i] = money(Decimal(int(units[i])) / (100 * scale)) or ""
    return out
