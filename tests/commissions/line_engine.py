"""Per-line crediting (the readable path, and the fallback of the vectorised one), and
the transfer contexts (baseline B, credit since t before the period) both paths use."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.core.dates import Period, add_months

from . import engine, loader

ZERO = Decimal(0)


class Crediting:
    """Who each line credits, in which base, with which transfer date."""

    def __init__(
        self,
        rep_plans: dict[int, Any],
        transfers: dict[tuple[int, int], list[date]],
        reassignment: Any = None,
    ):
        self.rep_plans = rep_plans
        self.transfers = transfers
        self.reassignment = reassignment  # a what-if: (account, rep, start) as a transfer
        if reassignment is not None:
            key = (reassignment.rep, reassignment.account)
            self.transfers = {**transfers, key: sorted([*transfers.get(key, []), reassignment.start])}

    def adjust(self, line: engine.OrderLine) -> engine.OrderLine:
        """The line as the what-if reassignment would have it (primary owner from start)."""
        r = self.reassignment
        if r is None or line.account != r.account or line.day < r.start:
            return line
        return replace(line, primary=r.rep)

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


def transfer_contexts(
    keys: set[tuple[int, int, date]], crediting: Crediting, period: Period
) -> dict[int, dict[tuple[int, date], engine.TransferContext]]:
    """Baseline B and the credit before the period for every (rep, account, t) of a line
    under a threshold rule (one chunked query over the accounts concerned)."""
    if not keys:
        return {}
    by_account: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for rep, account, t in keys:
        by_account[account].append((rep, t))
    start = min(add_months(t, -12) for _, _, t in keys)
    # B covers [t - 12 months, t - 1 day], which reaches into the period when t lies in it.
    end = loader.day_before(max(period.start, *(t for _, _, t in keys)))
    baseline: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)
    prior: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)
    for line in map(crediting.adjust, loader.iter_lines(start, end, by_account)):
        for rep, t in by_account[line.account]:
            key = (rep, line.account, t)
            base = crediting.rep_plans[rep].plan.base
            if add_months(t, -12) <= line.day < t:
                # every rep's shares add up to the line's measure; a line crediting
                # nobody (no rep_id, no owner on its date) is nobody's credit
                if engine.credited_rep(line) is not None:
                    baseline[key] += engine.base_measure(line, base) or ZERO
            elif t <= line.day < period.start:
                prior[key] += sum((s.credit for s in crediting.shares(line) if s.rep == rep), ZERO)
    out: dict[int, dict[tuple[int, date], engine.TransferContext]] = defaultdict(dict)
    for rep, account, t in keys:
        key = (rep, account, t)
        out[rep][(account, t)] = engine.TransferContext(baseline[key], prior[key])
    return out
