"""Compute every statement of a period: pick the plans, credit the lines (vectorised,
falling back to the per-line engine), add the manager override. Read-only. Chunk by
chunk of reps (chunks.py), so that memory does not grow with the number of lines.

A statement's `lines` are the JSON-ready dicts of present.py."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import polars as pl

from bookwise.core.dates import Period, parse_period, period_kind
from bookwise.people.models import Rep
from bookwise.people.selectors import manager_map, subordinate_ids

from . import chunks as chunking
from . import engine, fastpath, loader
from .calc_fast import FastCrediting, Spill
from .calc_slow import Crediting, transfer_contexts
from .chunks import Book, Chunk
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


@dataclass(frozen=True)
class Reassignment:
    """A what-if: the account's primary owner is `rep` from `start`, as a transfer."""

    account: int
    rep: int
    start: date


@dataclass
class ChunkStatements:
    reps: tuple[int, ...]  # the chunk's reps (pks, in external id order)
    statements: list[RepStatement]  # theirs, overrides not yet added


class PeriodComputation:
    """Every statement of a period with the given (or current) plans (and, for a what-if,
    a hypothetical reassignment), computed chunk by chunk of reps (chunks.py) so that
    memory does not grow with the number of lines. The period's lines are read once, for
    every chunk, and that pass also sums every rep's credit for the managers' overrides."""

    def __init__(
        self,
        label: str,
        plans: list[PaidPlan] | None = None,
        vectorised: bool = True,
        reassignment: Reassignment | None = None,
    ) -> None:
        self.period = period = period_of(label)
        self.vectorised = vectorised
        by_role = plans_by_role(current_plans() if plans is None else plans, period)
        everybody = list(Rep.objects.values_list("id", "external_id", "role", "hire_date", "end_date"))
        everybody.sort(key=lambda r: r[1])
        self.order = [r[0] for r in everybody]  # every rep, by external id
        self.refs = {r[0]: r[1] for r in everybody}
        self.reps = {r[0]: r for r in everybody if r[2] in by_role}  # those with a plan
        self.rep_plans = {pk: by_role[r[2]] for pk, r in self.reps.items()}
        overrides = dict(QuotaOverride.objects.filter(period=label).values_list("rep_id", "quota"))
        self.quotas = {rep: overrides.get(rep, paid.plan.quota) for rep, paid in self.rep_plans.items()}
        needs_transfers = any(p.plan.transfer_rule for p in by_role.values())
        transfers = loader.transfers_until(period.end) if needs_transfers and by_role else {}
        self.crediting = Crediting(self.rep_plans, transfers, reassignment)
        self.book = Book(period.start, period.end, reassignment)
        self._fast: FastCrediting | None = None
        self._teams: dict[str, dict[str, dict[int, Decimal]]] = {}
        self._chain: dict[int, int | None] | None = None

    def estimates(self) -> dict[int, int]:
        """Per rep, the lines a chunk reads for them at most (none without plans)."""
        return self.book.estimates(self.order) if self.rep_plans else {}

    def plan(
        self, lines: int | None = None, most: int | None = None, beside: Sequence[PeriodComputation] = ()
    ) -> list[tuple[int, ...]]:
        """Every rep, in external id order, cut into chunks of at most `lines` estimated
        lines and `most` reps (default chunks.CHUNK_LINES, CHUNK_REPS); `beside`: other
        periods computed in the same chunks, one at a time next to this one."""
        estimates = [self.estimates(), *(other.estimates() for other in beside)]
        return chunking.plan(self.order, estimates, lines, most)

    def chunks(self, plan: list[tuple[int, ...]] | None = None) -> Generator[ChunkStatements, None, None]:
        """The statements, overrides included, chunk by chunk of `plan` (default:
        self.plan()). The period's lines are read once, when the first chunk is computed,
        and kept on disk for the chunks after it."""
        plan = self.plan() if plan is None else plan
        chunks = [self.book.chunk(reps) for reps in plan]
        with tempfile.TemporaryFile(prefix="bookwise-commissions-") as file:
            spill = None
            for k, chunk in enumerate(chunks):
                computed = None
                if self.vectorised and self.rep_plans:
                    if spill is None:
                        spill = Spill(file, self.period.start, self.period.end, chunks, self.fast)
                        self._teams[self.period.label] = spill.team.credit()
                    try:
                        computed = self._vectorised(chunk, spill.rows(k))
                    except fastpath.Unsupported:
                        computed = None
                if computed is None:
                    computed = self._per_line(chunk) if self.rep_plans else {}
                statements = self._statements(chunk, computed)
                self.add_overrides(statements)
                yield ChunkStatements(chunk.reps, statements)

    @property
    def fast(self) -> FastCrediting:
        if self._fast is None:
            c = self.crediting
            self._fast = FastCrediting(
                self.period.start, self.period.end, self.rep_plans, c.transfers, self.book, c.reassignment
            )
        return self._fast

    def _statements(self, chunk: Chunk, computed: dict[int, RepStatement]) -> list[RepStatement]:
        period = self.period
        statements = []
        for rep_id in chunk.reps:
            if rep_id not in self.reps:
                continue
            _, ref, _role, hired, left = self.reps[rep_id]
            employed = (hired is None or hired <= period.end) and (left is None or left >= period.start)
            if rep_id not in computed and not employed:
                continue
            s = computed.get(rep_id) or RepStatement(rep_id, ref, self.rep_plans[rep_id], self.quotas[rep_id])
            s.rep_ref = ref
            statements.append(s)
        return statements

    def _per_line(self, chunk: Chunk) -> dict[int, RepStatement]:
        per_rep: dict[int, list[engine.CreditLine]] = defaultdict(list)
        mine = set(chunk.reps)
        start, end = self.period.start, self.period.end
        for line in map(
            self.crediting.adjust, loader.iter_chunk_lines(start, end, chunk.accounts, chunk.reps)
        ):
            for share in self.crediting.shares(line):
                if share.rep in mine:
                    per_rep[share.rep].append(share)
        keys = {
            (rep, cl.account, cl.transfer)
            for rep, lines in per_rep.items()
            if _threshold(self.rep_plans[rep].plan)
            for cl in lines
            if cl.transfer is not None
        }
        contexts = transfer_contexts(keys, self.crediting, self.period)
        out = {}
        for rep, lines in per_rep.items():
            paid = self.rep_plans[rep]
            result = engine.rep_statement(paid.plan, self.quotas[rep], lines, contexts.get(rep))
            rows = [
                (r.line.order_id, r.line.account_ref, r.line.day.isoformat(), money(r.line.credit),
                 number(r.factor, 6), money(r.commission), r.explanation)
                for r in result.lines
            ]  # fmt: skip
            out[rep] = RepStatement(rep, "", paid, self.quotas[rep], result.credit, result.commission, rows)
        return out

    def _vectorised(self, chunk: Chunk, rows: list[tuple]) -> dict[int, RepStatement]:
        cols = self.fast.shares(chunk, rows)
        ruled = np.flatnonzero(cols.transfer >= 0)
        keys = {
            (rep, acc, fastpath.from_day(t))
            for rep, acc, t in zip(
                cols.rep[ruled].tolist(),
                cols.account[ruled].tolist(),
                cols.transfer[ruled].tolist(),
                strict=True,
            )
            if _threshold(self.rep_plans[rep].plan)
        }
        contexts = transfer_contexts(keys, self.crediting, self.period)
        plans = {rep: paid.plan for rep, paid in self.rep_plans.items()}
        result = fastpath.compute(cols, plans, self.quotas, contexts)
        return _statements_from(result, cols, self)

    def _team_of(self, period: Period) -> dict[str, dict[int, Decimal]]:
        """base -> rep -> credit share over `period` (every rep): one pass over its lines
        (vectorised; the period's own comes with reading its lines), or one aggregate
        query (per line)."""
        if period.label not in self._teams:
            if self.vectorised:
                self._teams[period.label] = self.fast.team(period.start, period.end)
            else:
                splits = {rep: paid.plan.co_coverage_split for rep, paid in self.rep_plans.items()}
                self._teams[period.label] = team_shares(period, splits)
        return self._teams[period.label]

    def add_overrides(self, statements: list[RepStatement]) -> None:
        """rate x max(0, T(P) - T(P - 1 year)) for plans with an override; the team is
        every rep below the manager as the reporting lines stand now."""
        managers = [s for s in statements if s.paid.plan.override_rate is not None]
        if not managers:
            return
        now = self._team_of(self.period)
        before = self._team_of(self.period.year_earlier())
        if self._chain is None:
            self._chain = manager_map()
        for s in managers:
            team = subordinate_ids(s.rep_id, self._chain)
            base = s.paid.plan.base
            t_now = sum((now[base].get(r, ZERO) for r in team), ZERO)
            t_before = sum((before[base].get(r, ZERO) for r in team), ZERO)
            s.override = engine.override_amount(s.paid.plan.override_rate or ZERO, t_now, t_before)
            s.team = (t_now, t_before)


def compute_period(
    label: str,
    plans: list[PaidPlan] | None = None,
    vectorised: bool = True,
    reassignment: Reassignment | None = None,
) -> list[RepStatement]:
    """Every statement of the period, sorted by rep id, with the given (or current) plans
    (and, for a what-if, a hypothetical reassignment). All in memory (tests, small
    periods); a run stores chunk by chunk (services.runs), what-ifs use period_totals."""
    computation = PeriodComputation(label, plans, vectorised, reassignment)
    return [s for chunk in computation.chunks() for s in chunk.statements]


def period_totals(
    label: str, plans: list[PaidPlan] | None = None, reassignment: Reassignment | None = None
) -> dict[str, Decimal]:
    """Per rep ref, commission + override of the period (what-ifs): computed like
    compute_period, each chunk's lines dropped once counted."""
    computation = PeriodComputation(label, plans, reassignment=reassignment)
    return {s.rep_ref: s.commission + s.override for c in computation.chunks() for s in c.statements}


def _threshold(plan: engine.Plan) -> bool:
    return plan.transfer_rule is not None and plan.transfer_rule.threshold == "prior_12_months"


def _statements_from(
    result: fastpath.FastResult, cols: fastpath.Columns, ctx: PeriodComputation
) -> dict[int, RepStatement]:
    idx = result.index
    dates = np.datetime_as_string(cols.day[idx].astype("datetime64[D]")).tolist()
    oids, refs = cols.order_id[idx].tolist(), cols.account_ref[idx].tolist()
    credits = _unit_strings(cols.credit[idx], cols.scale)
    assert result.commission is not None, "a computed period has its commissions"
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
        for base, value in (("amount", amount), ("gross_profit", gp)):
            if secondary is not None and secondary != credited and split != ZERO:
                totals[base][credited] += value * (1 - split)
                totals[base][secondary] += value * split
            else:
                totals[base][credited] += value
    return totals
