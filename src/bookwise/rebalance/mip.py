"""The full mixed-integer program (pure): one binary per (unit, rep it may go to, its owner
included), one continuous excess per rep. Its HiGHS bound is a bound of the whole problem.

    minimise  sum cost(u, r) x[u,r] + W sum_r e_r
    s.t.      sum_r x[u,r] = 1                                   every unit
              fixed_r + sum_u p_u x[u,r] <= limit_r              capacity (or today's load)
              fixed_r + sum_u p_u x[u,r] - e_r <= high_r          band
              low_r - fixed_r - sum_u p_u x[u,r] <= e_r           band
              sum moved size_u x[u,r] <= max moves; revenue likewise; per rep in + out
              low'_r <= fixed'_r + sum_u v_u x[u,r] <= high'_r   revenue or potential v, when balanced
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from . import lp
from .problem import Id, Problem, loads


@dataclass
class Model:
    builder: lp.Builder
    pairs: list[tuple[Id, Id]]  # (unit id, rep id) per binary column
    excess_cols: dict[Id, int]


def _pair_columns(problem: Problem, b: lp.Builder) -> list[tuple[Id, Id]]:
    pairs: list[tuple[Id, Id]] = []
    for unit in problem.units:
        for rep in problem.reps:
            if problem.may_receive(unit, rep):
                b.column(problem.move_cost(unit, rep.id) + problem.breach(unit, rep.id))
                pairs.append((unit.id, rep.id))
    return pairs


def build(problem: Problem) -> Model:
    b = lp.Builder()
    pairs = _pair_columns(problem, b)
    weight = problem.settings.balance_weight
    excess_cols = {r.id: b.column(weight, upper=float("inf"), integer=False) for r in problem.reps}
    units = {u.id: u for u in problem.units}
    by_unit: dict[Id, list[int]] = defaultdict(list)
    by_rep: dict[Id, list[tuple[int, float]]] = defaultdict(list)
    for j, (uid, rid) in enumerate(pairs):
        by_unit[uid].append(j)
        by_rep[rid].append((j, units[uid].points))
    for unit in problem.units:
        b.row([(j, 1.0) for j in by_unit[unit.id]], 1.0, 1.0)
    for rep in problem.reps:
        terms = by_rep[rep.id]
        low, high = problem.band(rep)
        b.row(terms, -float("inf"), problem.limit(rep) - rep.fixed_load)
        b.row([*terms, (excess_cols[rep.id], -1.0)], -float("inf"), high - rep.fixed_load)
        b.row(
            [*((j, -p) for j, p in terms), (excess_cols[rep.id], -1.0)], -float("inf"), rep.fixed_load - low
        )
    _caps(problem, b, pairs)
    if problem.settings.balance:
        for rep in problem.reps:
            low, high = problem.figure_band(rep)
            fixed = problem.fixed_figure(rep)
            terms = [(j, problem.figure(units[pairs[j][0]])) for j, _ in by_rep[rep.id]]
            b.row(terms, low - fixed, high - fixed)
    return Model(b, pairs, excess_cols)


def _caps(problem: Problem, b: lp.Builder, pairs: list[tuple[Id, Id]]) -> None:
    s = problem.settings
    units = {u.id: u for u in problem.units}
    moved = [(j, units[uid], rid) for j, (uid, rid) in enumerate(pairs) if rid != units[uid].owner]
    if s.max_moves is not None:
        b.row([(j, float(u.size)) for j, u, _ in moved], -float("inf"), float(s.max_moves))
    if s.max_revenue_moved is not None:
        b.row([(j, u.revenue) for j, u, _ in moved], -float("inf"), s.max_revenue_moved)
    if s.max_moves_per_rep is not None:
        per_rep: dict[Id, list[tuple[int, float]]] = defaultdict(list)
        for j, u, rid in moved:
            per_rep[rid].append((j, float(u.size)))
            per_rep[u.owner].append((j, float(u.size)))
        for terms in per_rep.values():
            b.row(terms, -float("inf"), float(s.max_moves_per_rep))


def start_vector(problem: Problem, model: Model, assignment: Mapping[Id, Id]) -> list[float]:
    """Column values of a complete assignment (a warm start)."""
    values = [1.0 if assignment[uid] == rid else 0.0 for uid, rid in model.pairs]
    load = loads(problem, assignment)
    excess = []
    for rep in problem.reps:
        low, high = problem.band(rep)
        excess.append(max(0.0, load[rep.id] - high, low - load[rep.id]))
    return values + excess


def decode(model: Model, values: list[float]) -> dict[Id, Id]:
    return {uid: rid for j, (uid, rid) in enumerate(model.pairs) if values[j] > 0.5}
