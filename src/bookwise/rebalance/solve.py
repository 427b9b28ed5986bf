"""Solve a rebalancing problem (pure): the full MIP with HiGHS when it is small enough, else
the aggregated decomposition (aggregate.py); always compared with doing nothing and with the
greedy baseline, and never worse than either."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from . import aggregate, lp, mip
from .greedy import greedy, improve
from .pack import pack
from .problem import Id, Problem, evaluate

FULL_PAIRS = 60_000  # up to this many (unit, rep) columns: the full model


@dataclass
class Result:
    assignment: dict[Id, Id]
    objective: float
    bound: float | None
    gap: float | None
    bound_kind: str  # what the bound is a bound of, and how it was proven
    status: str
    method: str
    greedy_objective: float
    nothing_objective: float
    seconds: float
    trace: list[tuple[float, float, float | None]] = field(default_factory=list)  # (seconds, objective, gap)


def gap_of(objective: float, bound: float | None) -> float | None:
    """(objective - bound) / objective; 0 when both are 0."""
    if bound is None:
        return None
    if objective <= 1e-9:
        return 0.0
    return max(0.0, (objective - bound) / objective)


def pairs_count(problem: Problem) -> int:
    return sum(1 for u in problem.units for r in problem.reps if problem.may_receive(u, r))


def solve(problem: Problem, time_limit: float = 60.0, gap: float = 1e-4) -> Result:
    """The best plan found within `time_limit` seconds, stopping early at `gap`."""
    started = time.perf_counter()
    base = greedy(problem)
    if not problem.units:
        return _result(problem, base, 0.0, "no accounts to place", "Optimal", "none", base, started)
    small = pairs_count(problem) <= FULL_PAIRS
    share = 0.3 if small else 0.6  # the rest: packing and the greedy polish
    budget = share * (time_limit - (time.perf_counter() - started))
    outcome = aggregate.solve(problem, budget, gap, start=base)
    packed = improve(problem, pack(problem, outcome), deadline=started + time_limit)
    best = min((packed, base), key=lambda a: evaluate(problem, a).objective)
    kind = "the whole problem: HiGHS bound of the aggregated relaxation (moves by class, not by recipient)"
    method = "decomposed: aggregated MIP, packing, greedy polish"
    close = (gap_of(evaluate(problem, best).objective, outcome.bound) or 1.0) <= gap
    if not small or close:
        return _result(problem, best, outcome.bound, kind, outcome.status, method, base, started)
    return _full(problem, time_limit, gap, best, outcome.bound, base, started)


def _full(
    problem: Problem, time_limit: float, gap: float, best: dict[Id, Id], bound: float | None,
    base: dict[Id, Id], started: float,
) -> Result:  # fmt: skip
    model = mip.build(problem)
    budget = time_limit - (time.perf_counter() - started)
    stop_at = None if bound is None else bound + gap * abs(bound)
    h = lp.run(model.builder.model(), budget, gap, mip.start_vector(problem, model, best), stop_at)
    found = mip.decode(model, list(h.getSolution().col_value)) if lp.has_solution(h) else best
    own = lp.dual_bound(h)
    bounds = [b for b in (own, bound) if b is not None]
    kind = "the whole problem: HiGHS on the full model, and the aggregated relaxation"
    status = h.modelStatusToString(h.getModelStatus()).replace(
        "Interrupted by user", "Stopped at the target gap"
    )
    return _result(
        problem, found, max(bounds) if bounds else None, kind, status, "full MIP (HiGHS)", base, started
    )


def _result(
    problem: Problem, found: dict[Id, Id], bound: float | None, kind: str, status: str, method: str,
    base: dict[Id, Id], started: float,
) -> Result:  # fmt: skip
    nothing = problem.current()
    candidates = [found, base, nothing]  # never worse than greedy or doing nothing
    best = min(candidates, key=lambda a: evaluate(problem, a).objective)
    objective = evaluate(problem, best).objective
    if bound is not None:
        bound = min(bound, objective)  # solver tolerance: a bound never above a feasible plan
    return Result(
        assignment=best,
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        bound_kind=kind,
        status=status,
        method=method,
        greedy_objective=evaluate(problem, base).objective,
        nothing_objective=evaluate(problem, nothing).objective,
        seconds=time.perf_counter() - started,
    )
