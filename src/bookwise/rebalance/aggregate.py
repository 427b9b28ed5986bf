"""The decomposition for large scopes (pure): an aggregated model whose optimum bounds the
whole problem, then a packing of its moves onto recipients.

Which rep may take a unit depends only on the unit's *class* (its territory when the
territory is kept, and whether it is inside the hunters' hand-over window). So instead of a
binary per (unit, rep) the aggregated model has a binary y_u per unit (it leaves its owner)
and a continuous inflow f[r,k] >= 0 of points of class k into rep r:

    sum_r f[r,k] = sum_{u in k} p_u y_u                               every class
    load_r = fixed_r + own_r - sum_{u of r} p_u y_u + sum_k f[r,k]    (capacity and band rows)
    sum size_u y_u <= max moves; revenue likewise
    sum_{u of r} size_u y_u + sum_k rho_k f[r,k] <= moves per rep    (rho_k: fewest accounts per point)

Every plan of the full problem gives a solution of this model with the same objective (the
territory penalty is per point, so it sits on f), hence the model's optimum -- and any
bound HiGHS proves for it -- is a lower bound of the whole problem: a relaxation, and the
gap reported against it is a proven one."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from . import lp
from .problem import Id, Problem, Rep, Unit

Class = tuple[Id | None, bool]


def class_of(problem: Problem, unit: Unit) -> Class:
    keep = problem.settings.keep_territory != "off"
    return (unit.territory if keep else None, unit.new)


def takes(problem: Problem, rep: Rep, k: Class) -> bool:
    territory, new = k
    if rep.leaving or rep.capacity <= 0 or (rep.hunter and not new):
        return False
    hard = problem.settings.keep_territory == "hard"
    return not (hard and territory is not None and rep.territory != territory)


@dataclass
class Aggregated:
    builder: lp.Builder
    y: dict[Id, int]  # unit id -> column
    f: dict[tuple[Id, Class], int]  # (rep id, class) -> column
    constant: float


def _inflow_columns(problem: Problem, b: lp.Builder, classes: list[Class]) -> dict[tuple[Id, Class], int]:
    s = problem.settings
    f: dict[tuple[Id, Class], int] = {}
    for rep in problem.reps:
        for k in classes:
            if takes(problem, rep, k):
                away = s.keep_territory == "soft" and k[0] is not None and rep.territory != k[0]
                f[(rep.id, k)] = b.column(s.territory_penalty if away else 0.0, float("inf"), integer=False)
    return f


def build(problem: Problem) -> Aggregated:
    b = lp.Builder()
    constant = sum(problem.breach(u, u.owner) for u in problem.units)
    y = {u.id: b.column(u.cost - problem.breach(u, u.owner)) for u in problem.units}
    by_class: dict[Class, list[Unit]] = defaultdict(list)
    for unit in problem.units:
        by_class[class_of(problem, unit)].append(unit)
    classes = sorted(by_class, key=str)
    f = _inflow_columns(problem, b, classes)
    for k in classes:
        out = [(y[u.id], -u.points) for u in by_class[k]]
        b.row([*out, *((col, 1.0) for (_, kk), col in f.items() if kk == k)], 0.0, 0.0)
    _rep_rows(problem, b, y, f)
    _caps(problem, b, y, f, {k: min(u.size / max(u.points, 1e-9) for u in by_class[k]) for k in classes})
    return Aggregated(b, y, f, constant)


def _rep_rows(problem: Problem, b: lp.Builder, y: dict[Id, int], f: dict[tuple[Id, Class], int]) -> None:
    weight = problem.settings.balance_weight
    owned: dict[Id, list[Unit]] = defaultdict(list)
    for unit in problem.units:
        owned[unit.owner].append(unit)
    inflow: dict[Id, list[int]] = defaultdict(list)
    for (rid, _), col in f.items():
        inflow[rid].append(col)
    for rep in problem.reps:
        base = rep.fixed_load + sum(u.points for u in owned[rep.id])
        terms = [(y[u.id], -u.points) for u in owned[rep.id]] + [(c, 1.0) for c in inflow[rep.id]]
        e = b.column(weight, float("inf"), integer=False)
        low, high = problem.band(rep)
        b.row(terms, -float("inf"), problem.limit(rep) - base)
        b.row([*terms, (e, -1.0)], -float("inf"), high - base)
        b.row([*((c, -v) for c, v in terms), (e, -1.0)], -float("inf"), base - low)


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
            terms[rid].append((col, rho[k]))
        for row in terms.values():
            b.row(row, -float("inf"), float(s.max_moves_per_rep))


@dataclass
class Outcome:
    leaving: list[Id]  # units that leave their owner
    inflow: dict[tuple[Id, Class], float]
    bound: float | None  # a lower bound of the whole problem
    status: str


def solve(problem: Problem, time_limit: float, gap: float) -> Outcome:
    """The LP relaxation first (a bound in seconds; given at least a minute whatever the
    limit, since a proposal always reports a bound), then the MIP in the time left; the bound
    is the better of the two."""
    started = time.perf_counter()
    agg = build(problem)
    relaxed = lp.run(agg.builder.model(relax=True), max(time_limit, 60.0), gap)
    lp_bound = lp.dual_bound(relaxed, relaxed=True)
    h = lp.run(agg.builder.model(), time_limit - (time.perf_counter() - started), gap)
    found = [b for b in (lp_bound, lp.dual_bound(h)) if b is not None]
    bound = max(found) + agg.constant if found else None
    status = h.modelStatusToString(h.getModelStatus())
    source = h if lp.has_solution(h) else relaxed  # no MIP solution yet: round the LP's
    if lp_bound is None and source is relaxed:
        return Outcome([], {}, bound, status)
    values = source.getSolution().col_value
    leaving = [uid for uid, col in agg.y.items() if values[col] > 0.5]
    inflow = {key: values[col] for key, col in agg.f.items() if values[col] > 1e-9}
    return Outcome(leaving, inflow, bound, status)


def pack(problem: Problem, outcome: Outcome) -> dict[Id, Id]:
    """Give each leaving unit (largest first) to the rep of its class with the most inflow
    still to receive, where capacity and the per-rep cap allow; else it stays."""
    plan = problem.current()
    units = {u.id: u for u in problem.units}
    index = {r.id: k for k, r in enumerate(problem.reps)}
    load = np.array([problem.current_loads()[r.id] for r in problem.reps])
    limit = np.array([problem.limit(r) for r in problem.reps])
    counts = np.zeros(len(problem.reps))
    cap = problem.settings.max_moves_per_rep
    want: dict[Class, np.ndarray] = defaultdict(lambda: np.full(len(problem.reps), -np.inf))
    for (rid, k), amount in outcome.inflow.items():
        want[k][index[rid]] = amount
    for uid in sorted(outcome.leaving, key=lambda i: (-units[i].points, str(i))):
        unit = units[uid]
        k, a = class_of(problem, unit), index[unit.owner]
        score = np.where(load + unit.points <= limit + 1e-9, want[k], -np.inf)
        score[a] = -np.inf
        if cap is not None:
            if counts[a] + unit.size > cap:
                continue
            score = np.where(counts + unit.size <= cap, score, -np.inf)
        r = int(np.argmax(score))
        if not np.isfinite(score[r]):
            continue
        want[k][r] -= unit.points
        load[r] += unit.points
        load[a] -= unit.points
        counts[r] += unit.size
        counts[a] += unit.size
        plan[uid] = problem.reps[r].id
    return plan
