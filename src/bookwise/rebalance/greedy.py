"""The greedy baseline (pure, numpy): passes over the units, fullest owners first and the
cheapest moves per point first, each moved to the rep that lowers the objective most while
every rule holds; until a pass moves nothing. Also used to polish a solver's plan."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .problem import Id, Problem, Unit


@dataclass
class State:
    problem: Problem
    index: dict[Id, int]
    low: np.ndarray
    high: np.ndarray
    limit: np.ndarray
    load: np.ndarray
    counts: np.ndarray  # accounts in + out per rep
    territory: np.ndarray
    hunter: np.ndarray
    closed: np.ndarray  # leaving or no capacity: receives nothing
    figure: np.ndarray  # revenue or potential held, when balanced (problem.figure_band)
    figure_band: tuple[np.ndarray, np.ndarray]
    moves: int = 0
    revenue: float = 0.0


def territory_codes(problem: Problem) -> dict[Id, int]:
    names = {r.territory for r in problem.reps} | {u.territory for u in problem.units}
    return {t: k for k, t in enumerate(sorted(names, key=str))}


def _state(problem: Problem, assignment: Mapping[Id, Id], terr: Mapping[Id, int]) -> State:
    reps = problem.reps
    index = {r.id: k for k, r in enumerate(reps)}
    bands = [problem.band(r) for r in reps]
    load = np.array([r.fixed_load for r in reps], dtype=float)
    counts = np.zeros(len(reps))
    figure = np.array([problem.fixed_figure(r) for r in reps], dtype=float)
    fig_bands = [problem.figure_band(r) for r in reps]
    moves, revenue = 0, 0.0
    for unit in problem.units:
        k = index[assignment[unit.id]]
        load[k] += unit.points
        figure[k] += problem.figure(unit)
        if assignment[unit.id] != unit.owner:
            counts[k] += unit.size
            counts[index[unit.owner]] += unit.size
            moves += unit.size
            revenue += unit.revenue
    return State(
        problem, index, np.array([b[0] for b in bands]), np.array([b[1] for b in bands]),
        np.array([problem.limit(r) for r in reps]), load, counts,
        np.array([terr[r.territory] for r in reps]), np.array([r.hunter for r in reps], dtype=bool),
        np.array([r.leaving or r.capacity <= 0 for r in reps], dtype=bool), figure,
        (np.array([b[0] for b in fig_bands]), np.array([b[1] for b in fig_bands])), moves, revenue,
    )  # fmt: skip


def _excess(st: State, load: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, np.maximum(load - st.high, st.low - load))


def _gain_vector(st: State, unit: Unit, terr: int) -> np.ndarray:
    """Change of the objective if `unit` (still with its owner) went to each rep; inf where
    it may not go."""
    p = st.problem
    s = p.settings
    a = st.index[unit.owner]
    w = s.balance_weight
    delta = w * (_excess(st, st.load + unit.points) - _excess(st, st.load))
    delta += w * (max(0.0, st.load[a] - unit.points - st.high[a], st.low[a] - st.load[a] + unit.points)
                  - max(0.0, st.load[a] - st.high[a], st.low[a] - st.load[a]))  # fmt: skip
    delta += unit.cost - p.breach(unit, unit.owner)
    other = st.territory != terr
    if s.keep_territory == "soft" and unit.territory is not None:
        delta += s.territory_penalty * unit.points * other
    blocked = st.closed | (st.load + unit.points > st.limit + 1e-9)
    if not unit.new:
        blocked |= st.hunter
    if s.keep_territory == "hard" and unit.territory is not None:
        blocked |= other
    if s.max_moves_per_rep is not None:
        blocked |= st.counts + unit.size > s.max_moves_per_rep
    if s.balance:
        blocked |= st.figure + p.figure(unit) > st.figure_band[1] + 1e-6
    blocked[a] = True
    return np.where(blocked, np.inf, delta)


def _allowed_totals(st: State, unit: Unit) -> bool:
    s = st.problem.settings
    if s.max_moves is not None and st.moves + unit.size > s.max_moves:
        return False
    a = st.index[unit.owner]
    if s.max_moves_per_rep is not None and st.counts[a] + unit.size > s.max_moves_per_rep:
        return False
    if s.balance and st.figure[a] - st.problem.figure(unit) < st.figure_band[0][a] - 1e-6:
        return False
    return s.max_revenue_moved is None or st.revenue + unit.revenue <= s.max_revenue_moved + 1e-9


def _apply(st: State, unit: Unit, k: int) -> None:
    a = st.index[unit.owner]
    st.load[a] -= unit.points
    st.load[k] += unit.points
    st.counts[a] += unit.size
    st.counts[k] += unit.size
    st.moves += unit.size
    st.revenue += unit.revenue
    st.figure[a] -= st.problem.figure(unit)
    st.figure[k] += st.problem.figure(unit)


def _order(st: State, assignment: Mapping[Id, Id]) -> list[Unit]:
    """Units still with their owner: fullest owners first, then cheapest per point."""
    ratio = st.load / np.maximum(st.high, 1e-9)
    waiting = [u for u in st.problem.units if assignment[u.id] == u.owner]
    return sorted(waiting, key=lambda u: (-ratio[st.index[u.owner]], u.cost / max(u.points, 1e-9), str(u.id)))


def improve(
    problem: Problem, assignment: Mapping[Id, Id], passes: int = 10, deadline: float | None = None
) -> dict[Id, Id]:
    """Greedy single moves from `assignment` (units not yet moved only) while they help, until
    `deadline` (time.perf_counter())."""
    plan = dict(assignment)
    terr = territory_codes(problem)
    st = _state(problem, plan, terr)
    reps = problem.reps
    for _ in range(passes):
        changed = False
        for unit in _order(st, plan):
            if deadline is not None and time.perf_counter() > deadline:
                return plan
            if not _allowed_totals(st, unit):
                continue
            delta = _gain_vector(st, unit, terr[unit.territory])
            k = int(np.argmin(delta))
            if delta[k] < -1e-9:
                _apply(st, unit, k)
                plan[unit.id] = reps[k].id
                changed = True
        if not changed:
            break
    return plan


LARGE = 10_000  # units: above this, two passes (each pass is units x reps)


def greedy(problem: Problem) -> dict[Id, Id]:
    """The baseline: greedy moves from doing nothing."""
    return improve(problem, problem.current(), passes=2 if len(problem.units) > LARGE else 10)
