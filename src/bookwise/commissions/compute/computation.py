"""Every statement of a period: pick the plans, credit the lines (crediting.py), pay them
(vector.py), add the manager override. Read-only. Chunk by chunk of reps (chunks.py), so
that memory does not grow with the number of lines."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

import numpy as np

from bookwise.accounts.models import Ownership
from bookwise.people.models import Rep
from bookwise.people.selectors import manager_map, subordinate_ids

from ..models import CommissionPlan, QuotaOverride
from ..planfile import plan_from_json
from . import chunks as chunking
from . import vector
from .chunks import Book, Chunk, Reassignment
from .crediting import Crediting
from .period import PayPeriod, from_day
from .reading import Row, Spill
from .rules import Plan, override_amount
from .statements import PaidPlan, RepStatement

ZERO = Decimal(0)
Team = dict[str, dict[int, Decimal]]  # base -> rep pk -> credit share


def current_plans() -> list[PaidPlan]:
    """The newest version of every stored plan."""
    found = []
    for plan in CommissionPlan.objects.prefetch_related("versions"):
        latest = max(plan.versions.all(), key=lambda v: v.version, default=None)
        if latest is not None:
            found.append(PaidPlan(plan_from_json(latest.spec, latest.version), latest.id))
    return found


def plans_by_role(plans: list[PaidPlan], period: PayPeriod) -> dict[str, PaidPlan]:
    """Per role, the plan of the period's kind whose validity overlaps it (the later
    valid_from when two do)."""
    chosen: dict[str, PaidPlan] = {}
    for paid in sorted(plans, key=lambda p: (p.plan.valid_from, p.plan.name)):
        p = paid.plan
        if p.period == period.kind and p.valid_from <= period.end and p.valid_to >= period.start:
            for role in p.roles:
                chosen[role] = paid
    return chosen


def transfers_until(end: date) -> dict[tuple[int, int], list[date]]:
    """(rep pk, account pk) -> sorted start dates of the primary assignments the rep
    received by transfer (reason other than import) up to `end`."""
    found: dict[tuple[int, int], list[date]] = defaultdict(list)
    rows = (
        Ownership.objects.filter(role="primary", start_date__lte=end)
        .exclude(reason="import")
        .values_list("rep_id", "account_id", "start_date")
        .order_by("start_date")
    )
    for rep, account, start in rows:
        found[(rep, account)].append(start)
    return found


@dataclass
class ChunkStatements:
    reps: tuple[int, ...]  # the chunk's reps (pks, in external id order)
    statements: list[RepStatement]  # theirs, overrides added


class PeriodComputation:
    """Every statement of a period with the given (or current) plans (and, for a what-if,
    a hypothetical reassignment), computed chunk by chunk of reps (chunks.py) so that
    memory does not grow with the number of lines. The period's lines are read once, for
    every chunk, and that pass also sums every rep's credit for the managers' overrides."""

    def __init__(
        self,
        period: str | PayPeriod,
        plans: list[PaidPlan] | None = None,
        reassignment: Reassignment | None = None,
    ) -> None:
        self.period = period = PayPeriod.of(period)
        self.by_role = by_role = plans_by_role(current_plans() if plans is None else plans, period)
        everybody = list(Rep.objects.values_list("id", "external_id", "role", "hire_date", "end_date"))
        everybody.sort(key=lambda r: r[1])
        self.order = [r[0] for r in everybody]  # every rep, by external id
        self.refs = {r[0]: r[1] for r in everybody}
        self.reps = {r[0]: r for r in everybody if r[2] in by_role}  # those with a plan
        self.rep_plans = {pk: by_role[r[2]] for pk, r in self.reps.items()}
        overrides = dict(QuotaOverride.objects.filter(period=period.label).values_list("rep_id", "quota"))
        self.quotas = {rep: overrides.get(rep, paid.plan.quota) for rep, paid in self.rep_plans.items()}
        needs_transfers = any(p.plan.transfer_rule for p in by_role.values())
        transfers = transfers_until(period.end) if needs_transfers else {}
        self.book = Book(period.start, period.end, reassignment)
        self.crediting = Crediting(self.rep_plans, transfers, self.book, reassignment)
        self._teams: dict[str, Team] = {}
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

    def chunks(
        self, plan: list[tuple[int, ...]] | None = None, part: range | None = None
    ) -> Generator[ChunkStatements, None, None]:
        """The statements, overrides included, chunk by chunk of `plan` (default:
        self.plan()), or only the chunks of `part` (indexes into the plan: a worker's share
        of a run, the same statements). The period's lines are read once, when the first
        chunk is computed, and kept on disk for the chunks after it."""
        plan = self.plan() if plan is None else plan
        chunks = [self.book.chunk(plan[k]) for k in (range(len(plan)) if part is None else part)]
        with tempfile.TemporaryFile(prefix="bookwise-commissions-") as file:
            spill = None
            for k, chunk in enumerate(chunks):
                computed: dict[int, RepStatement] = {}
                if self.rep_plans:
                    if spill is None:
                        spill = self._spill(file, chunks)
                    computed = self._computed(chunk, spill.rows(k))
                statements = self._statements(chunk, computed)
                self.add_overrides(statements)
                yield ChunkStatements(chunk.reps, statements)

    def _spill(self, file: IO[bytes], chunks: list[Chunk]) -> Spill:
        team = self.crediting.new_team()
        spill = Spill(
            file, self.period.start, self.period.end, chunks, lambda rows: self.crediting.add_team(team, rows)
        )
        self._teams[self.period.label] = team.credit()
        return spill

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

    def _computed(self, chunk: Chunk, rows: list[Row]) -> dict[int, RepStatement]:
        cols = self.crediting.shares(chunk, rows)
        ruled = np.flatnonzero(cols.transfer >= 0)
        keys = {
            (rep, acc, from_day(t))
            for rep, acc, t in zip(
                cols.rep[ruled].tolist(),
                cols.account[ruled].tolist(),
                cols.transfer[ruled].tolist(),
                strict=True,
            )
            if _threshold(self.rep_plans[rep].plan)
        }
        contexts = self.crediting.contexts(keys, self.period)
        plans = {rep: paid.plan for rep, paid in self.rep_plans.items()}
        result = vector.compute(cols, plans, self.quotas, contexts)
        return vector.statements_from(result, cols, self.rep_plans, self.quotas)

    def _team_of(self, period: PayPeriod) -> Team:
        """base -> rep -> credit share over `period` (every rep): the period's own comes
        with reading its lines, another one takes a pass over its lines."""
        if period.label not in self._teams:
            self._teams[period.label] = self.crediting.team(period.start, period.end)
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
            s.override = override_amount(s.paid.plan.override_rate or ZERO, t_now, t_before)
            s.team = (t_now, t_before)


def period_totals(
    period: str | PayPeriod, plans: list[PaidPlan] | None = None, reassignment: Reassignment | None = None
) -> dict[str, Decimal]:
    """Per rep ref, commission + override of the period (what-ifs), computed chunk by
    chunk, each chunk's lines dropped once counted."""
    computation = PeriodComputation(period, plans, reassignment)
    return {s.rep_ref: s.commission + s.override for c in computation.chunks() for s in c.statements}


def _threshold(plan: Plan) -> bool:
    return plan.transfer_rule is not None and plan.transfer_rule.threshold == "prior_12_months"
