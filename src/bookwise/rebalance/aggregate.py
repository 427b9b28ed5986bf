"""The decomposition for large scopes (pure): an aggregated model whose optimum bounds the
whole problem, then a packing of its moves onto recipients (pack.py).

Which rep may take a unit, and what it costs there, depends only on the unit's *class*: its
territory when the territory is kept, whether it is inside the hunters' hand-over window,
and -- when the scope has few of them (workload points come by tier) -- its *shape*, its
points and accounts. So instead of a binary per (unit, rep) the aggregated model has a
binary y_u per unit (it leaves its owner) and an inflow n[r,k] >= 0 of class k into rep r:

    sum_r w_k n[r,k] = sum_{u in k} p_u y_u                            every class
    load_r = fixed_r + own_r - sum_{u of r} p_u y_u + sum_k w_k n[r,k]  (capacity and band rows)
    sum size_u y_u <= max moves; revenue likewise
    sum_{u of r} size_u y_u + sum_k rho_k w_k n[r,k] <= moves per rep  (rho_k: fewest accounts per point)

With shapes, n[r,k] is a whole number of units of weight w_k = p_k, and rho_k w_k is exactly
their accounts; without, n is continuous points (w_k = 1). Proof that it is a relaxation:
take any plan of the full problem, set y_u = 1 for the units it moves and n[r,k] = the units
(points without shapes) of class k it gives to r. Every row holds with the plan's loads and
counts (sizes >= rho_k x points), and the objective is the plan's: the move costs and the
hunters' breaches sit on y, the territory penalty is per point and sits on n, the excess
columns take the plan's excess. So the model's optimum -- and any bound HiGHS proves for it
-- is a lower bound of the whole problem, and the gap reported against it is a proven one
(tests/rebalance/test_bound.py checks it against brute force). With shapes the converse
nearly holds too: a solution's n can be packed exactly (units of one class are
interchangeable), so the model is the problem without the per-unit recipients."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import lp
from .problem import Id, Problem, Rep, Unit, excess, loads

Class = tuple[Id | None, bool, tuple[float, int] | None]
MAX_SHAPES = 24  # distinct (points, accounts) in a scope: above this, classes without shapes


def shaped(problem: Problem) -> bool:
    return len({(u.points, u.size) for u in problem.units}) <= MAX_SHAPES and all(
        u.points > 0 for u in problem.units
    )


def class_of(problem: Problem, unit: Unit, shapes: bool | None = None) -> Class:
    keep = problem.settings.keep_territory != "off"
    shape = (unit.points, unit.size) if (shaped(problem) if shapes is None else shapes) else None
    return (unit.territory if keep else None, unit.new, shape)


def takes(problem: Problem, rep: Rep, k: Class) -> bool:
    territory, new, _ = k
    if rep.leaving or rep.capacity <= 0 or (rep.hunter and not new):
        return False
    hard = problem.settings.keep_territory == "hard"
    return not (hard and territory is not None and rep.territory != territory)


def weight(k: Class) -> float:
    """Points per unit of inflow: a unit's points with shapes, else 1 (inflow in points)."""
    return k[2][0] if k[2] is not None else 1.0


@dataclass
class Aggregated:
    builder: lp.Builder
    y: dict[Id, int]  # unit id -> column
    f: dict[tuple[Id, Class], int]  # (rep id, class) -> column
    constant: float
    excess: dict[Id, int]  # rep id -> column
    classes: dict[Id, Class]  # unit id -> its class
    figure_flow: dict[tuple[Id, Class], int]  # (rep id, class) -> column of the figure balanced


def _inflow_columns(
    problem: Problem, b: lp.Builder, by_class: dict[Class, list[Unit]]
) -> dict[tuple[Id, Class], int]:
    s = problem.settings
    f: dict[tuple[Id, Class], int] = {}
    for rep in problem.reps:
        for k, members in by_class.items():
            if takes(problem, rep, k):
                away = s.keep_territory == "soft" and k[0] is not None and rep.territory != k[0]
                cost = s.territory_penalty * weight(k) if away else 0.0
                whole = k[2] is not None
                f[(rep.id, k)] = b.column(cost, len(members) if whole else float("inf"), integer=whole)
    return f


def build(problem: Problem) -> Aggregated:
    b = lp.Builder()
    constant = sum(problem.breach(u, u.owner) for u in problem.units)
    y = {u.id: b.column(u.cost - problem.breach(u, u.owner)) for u in problem.units}
    shapes = shaped(problem)
    classes = {u.id: class_of(problem, u, shapes) for u in problem.units}
    by_class: dict[Class, list[Unit]] = defaultdict(list)
    for unit in problem.units:
        by_class[classes[unit.id]].append(unit)
    by_class = dict(sorted(by_class.items(), key=lambda kv: str(kv[0])))
    f = _inflow_columns(problem, b, by_class)
    for k, members in by_class.items():
        out = [(y[u.id], -u.points) for u in members]
        b.row([*out, *((col, weight(k)) for (_, kk), col in f.items() if kk == k)], 0.0, 0.0)
    excess = _rep_rows(problem, b, y, f)
    rho = {k: min(u.size / max(u.points, 1e-9) for u in members) for k, members in by_class.items()}
    _caps(problem, b, y, f, rho)
    g = _figure_rows(problem, b, y, f, by_class) if problem.settings.balance else {}
    return Aggregated(b, y, f, constant, excess, classes, g)


def _rep_rows(
    problem: Problem, b: lp.Builder, y: dict[Id, int], f: dict[tuple[Id, Class], int]
) -> dict[Id, int]:
    penalty = problem.settings.balance_weight
    owned: dict[Id, list[Unit]] = defaultdict(list)
    for unit in problem.units:
        owned[unit.owner].append(unit)
    inflow: dict[Id, list[tuple[int, float]]] = defaultdict(list)
    for (rid, k), col in f.items():
        inflow[rid].append((col, weight(k)))
    excess = {}
    for rep in problem.reps:
        base = rep.fixed_load + sum(u.points for u in owned[rep.id])
        terms = [(y[u.id], -u.points) for u in owned[rep.id]] + inflow[rep.id]
        e = excess[rep.id] = b.column(penalty, float("inf"), integer=False)
        low, high = problem.band(rep)
        b.row(terms, -float("inf"), problem.limit(rep) - base)
        b.row([*terms, (e, -1.0)], -float("inf"), high - base)
        b.row([*((c, -v) for c, v in terms), (e, -1.0)], -float("inf"), base - low)
    return excess


def _figure_rows(
    problem: Problem, b: lp.Builder, y: dict[Id, int], f: dict[tuple[Id, Class], int],
    by_class: dict[Class, list[Unit]],
) -> dict[tuple[Id, Class], int]:  # fmt: skip
    """The revenue (or potential) balanced: a continuous flow g[r,k] of it beside each inflow,
    the same relaxation as the points' without shapes (a plan sets g to what it moves)."""
    g = {key: b.column(0.0, float("inf"), integer=False) for key in f}
    for k, members in by_class.items():
        out = [(y[u.id], -problem.figure(u)) for u in members]
        b.row([*out, *((col, 1.0) for (_, kk), col in g.items() if kk == k)], 0.0, 0.0)
    terms: dict[Id, list[tuple[int, float]]] = defaultdict(list)
    base = {r.id: problem.fixed_figure(r) for r in problem.reps}
    for unit in problem.units:
        terms[unit.owner].append((y[unit.id], -problem.figure(unit)))
        base[unit.owner] += problem.figure(unit)
    for (rid, _), col in g.items():
        terms[rid].append((col, 1.0))
    for rep in problem.reps:
        low, high = problem.figure_band(rep)
        b.row(terms[rep.id], low - base[rep.id], high - base[rep.id])
    return g


def _caps(
    problem: Problem, b: lp.Builder, y: dict[Id, int], f: dict[tuple[Id, Class], int], rho: dict[Class, float]
) -> None:
    s = problem.settings
    if s.max_moves is not None:
        b.row([(y[u.id], float(u.size)) for u in problem.units], -float("inf"), float(s.max_moves))
    if s.max_revenue_moved is not None:
        b.row([(y[u.id], u.revenue) for u in problem.units], -float("inf"), s.max_revenue_moved)
    if s.max_moves_per_rep is not None:
        terms: dict[Id, list[tuple[int, float]]] = defaultdict(list)
        for unit in problem.units:
            terms[unit.owner].append((y[unit.id], float(unit.size)))
        for (rid, k), col in f.items():
            terms[rid].append((col, rho[k] * weight(k)))
        for row in terms.values():
            b.row(row, -float("inf"), float(s.max_moves_per_rep))


@dataclass
class Solution:
    leaving: list[Id]  # units that leave their owner
    inflow: dict[tuple[Id, Class], float]  # points of each class each rep receives
    figure_flow: dict[tuple[Id, Class], float] = field(default_factory=dict)  # and the figure


@dataclass
class Outcome:
    solutions: list[Solution]  # the MIP's incumbent, the LP's rounding (either may be missing)
    bound: float | None  # a lower bound of the whole problem
    status: str
    classes: dict[Id, Class]


def start_vector(problem: Problem, agg: Aggregated, assignment: Mapping[Id, Id]) -> list[float]:
    """Column values of a complete plan (a warm start for HiGHS)."""
    values = [0.0] * len(agg.builder.cost)
    for unit in problem.units:
        to = assignment[unit.id]
        if to != unit.owner:
            k = agg.classes[unit.id]
            values[agg.y[unit.id]] = 1.0
            values[agg.f[(to, k)]] += unit.points / weight(k)
    load = loads(problem, assignment)
    for rep in problem.reps:
        values[agg.excess[rep.id]] = excess(problem, rep, load[rep.id])
    return values


def solve(problem: Problem, time_limit: float, gap: float, start: Mapping[Id, Id] | None = None) -> Outcome:
    """The LP relaxation first (a bound in seconds; given at least a minute whatever the
    limit, since a proposal always reports a bound), its rounding completed by a short MIP
    (the units the LP moves fixed), then the MIP in the time left from the better of that and
    the plan `start`; the bound is the better of the LP's and the MIP's."""
    started = time.perf_counter()
    agg = build(problem)
    relaxed = lp.run(agg.builder.model(relax=True), max(time_limit, 60.0), gap)
    lp_bound = lp.dual_bound(relaxed, relaxed=True)
    rounded = (
        None if lp_bound is None else _rounded(agg, relaxed.getSolution().col_value, time_limit / 4, gap)
    )
    given = None if start is None or problem.settings.balance else start_vector(problem, agg, start)
    warm = [v for v in (rounded, given) if v]  # (start_vector leaves the figure's flows out)
    best = min(warm, key=lambda v: float(np.dot(agg.builder.cost, v))) if warm else None
    h = lp.run(agg.builder.model(), time_limit - (time.perf_counter() - started), gap, best)
    found = [b for b in (lp_bound, lp.dual_bound(h)) if b is not None]
    bound = max(found) + agg.constant if found else None
    status = h.modelStatusToString(h.getModelStatus())
    values = [list(h.getSolution().col_value)] if lp.has_solution(h) else []
    values += [
        v for v in (rounded, list(relaxed.getSolution().col_value) if lp_bound is not None else None) if v
    ]
    return Outcome([_solution(agg, v) for v in values], bound, status, agg.classes)


def _rounded(agg: Aggregated, relaxed: Sequence[float], time_limit: float, gap: float) -> list[float] | None:
    """The LP's solution rounded (a unit leaves when y > 1/2) and completed by the MIP with
    those y fixed: the inflows in whole units of each class (None when that has no solution)."""
    model = agg.builder.model()
    lower, upper = np.array(model.col_lower_), np.array(model.col_upper_)
    cols = np.fromiter(agg.y.values(), dtype=np.int64, count=len(agg.y))
    lower[cols] = upper[cols] = (np.asarray(relaxed)[cols] > 0.5).astype(float)
    model.col_lower_, model.col_upper_ = lower, upper
    h = lp.run(model, time_limit, gap)
    return list(h.getSolution().col_value) if lp.has_solution(h) else None


def _solution(agg: Aggregated, values: list[float]) -> Solution:
    """A solution's moves; an LP's rounded (y > 1/2 leaves)."""
    leaving = [uid for uid, col in agg.y.items() if values[col] > 0.5]
    inflow = {key: values[col] * weight(key[1]) for key, col in agg.f.items() if values[col] > 1e-9}
    return Solution(leaving, inflow, {key: values[col] for key, col in agg.figure_flow.items()})
