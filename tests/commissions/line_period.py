"""The per-line oracle of a whole period: the run's own plan choice, chunks and statement
assembly (compute.computation.PeriodComputation), with the lines read one by one through
SQL joins (line_loader.py), credited per line (Crediting below), paid by
line_engine.rep_statement, and the managers' team credit from one aggregate query. The
tests compare it with the vectorised run."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import IO, Any

from bookwise.commissions.compute.chunks import Chunk
from bookwise.commissions.compute.computation import PeriodComputation, Reassignment, transfers_until
from bookwise.commissions.compute.period import PayPeriod
from bookwise.commissions.compute.reading import Row
from bookwise.commissions.compute.rules import TransferContext
from bookwise.commissions.compute.statements import PaidPlan, RepStatement, StatementLine, money, number
from bookwise.core.dates import add_months

from . import line_engine as engine
from . import line_loader as loader

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
    keys: set[tuple[int, int, date]], crediting: Crediting, period: PayPeriod
) -> dict[int, dict[tuple[int, date], TransferContext]]:
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
    out: dict[int, dict[tuple[int, date], TransferContext]] = defaultdict(dict)
    for rep, account, t in keys:
        key = (rep, account, t)
        out[rep][(account, t)] = TransferContext(baseline[key], prior[key])
    return out


def team_shares(period: PayPeriod, splits: dict[int, Decimal]) -> dict[str, dict[int, Decimal]]:
    """base -> rep -> the rep's credit share over the period (amount and gross profit)."""
    totals: dict[str, dict[int, Decimal]] = {
        "amount": defaultdict(Decimal),
        "gross_profit": defaultdict(Decimal),
    }
    for credited, secondary, amount, gp in loader.team_credit_groups(period.start, period.end):
        if credited is None:
            continue
        split = splits.get(credited, ZERO)
        for base, value in (("amount", amount), ("gross_profit", gp)):
            if secondary is not None and secondary != credited and split != ZERO:
                totals[base][credited] += value * (1 - split)
                totals[base][secondary] += value * split
            else:
                totals[base][credited] += value
    return totals


class _NoSpill:
    def rows(self, k: int) -> list[Row]:
        return []  # the per-line path reads each chunk's lines itself


class PerLineComputation(PeriodComputation):
    def __init__(self, period: str | PayPeriod, plans: Any = None, reassignment: Any = None) -> None:
        super().__init__(period, plans, reassignment)
        needs = any(p.plan.transfer_rule for p in self.rep_plans.values())
        self.per_line = Crediting(
            self.rep_plans, transfers_until(self.period.end) if needs else {}, reassignment
        )

    def _spill(self, file: IO[bytes], chunks: list[Chunk]) -> Any:
        return _NoSpill()

    def _team_of(self, period: PayPeriod) -> dict[str, dict[int, Decimal]]:
        if period.label not in self._teams:
            splits = {rep: paid.plan.co_coverage_split for rep, paid in self.rep_plans.items()}
            self._teams[period.label] = team_shares(period, splits)
        return self._teams[period.label]

    def _computed(self, chunk: Chunk, rows: list[Row]) -> dict[int, RepStatement]:
        per_rep: dict[int, list[engine.CreditLine]] = defaultdict(list)
        start, end = self.period.start, self.period.end
        for line in map(
            self.per_line.adjust, loader.iter_chunk_lines(start, end, chunk.accounts, chunk.reps)
        ):
            for share in self.per_line.shares(line):
                if share.rep in chunk.reps:
                    per_rep[share.rep].append(share)
        keys = {
            (rep, cl.account, cl.transfer)
            for rep, lines in per_rep.items()
            if (rule := self.rep_plans[rep].plan.transfer_rule) is not None
            and rule.threshold == "prior_12_months"
            for cl in lines
            if cl.transfer is not None
        }
        contexts = transfer_contexts(keys, self.per_line, self.period)
        return {rep: self._statement(rep, lines, contexts.get(rep)) for rep, lines in per_rep.items()}

    def _statement(self, rep: int, lines: list[engine.CreditLine], contexts: Any) -> RepStatement:
        paid = self.rep_plans[rep]
        result = engine.rep_statement(paid.plan, self.quotas[rep], lines, contexts)
        rows = [
            StatementLine(
                r.line.order_id, r.line.account_ref, r.line.day.isoformat(), money(r.line.credit) or "",
                number(r.factor, 6) or 0.0, money(r.commission) or "", r.explanation,
            )
            for r in result.lines
        ]  # fmt: skip
        return RepStatement(rep, "", paid, self.quotas[rep], result.credit, result.commission, rows)


def compute_period_per_line(
    period: str, plans: list[PaidPlan] | None = None, reassignment: Reassignment | None = None
) -> list[RepStatement]:
    """Every statement of the period, per line (see the module doc)."""
    computation = PerLineComputation(period, plans, reassignment)
    return [s for chunk in computation.chunks() for s in chunk.statements]


def compute_period(
    period: str, plans: list[PaidPlan] | None = None, reassignment: Reassignment | None = None
) -> list[RepStatement]:
    """Every statement of the period as the run computes it (vectorised), all in memory."""
    computation = PeriodComputation(period, plans, reassignment)
    return [s for chunk in computation.chunks() for s in chunk.statements]
