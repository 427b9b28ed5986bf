"""Packing the aggregated model's moves (aggregate.py) onto recipients (pure): which unit
goes to which rep. Units of one class with shapes are interchangeable, so a whole-number
solution packs exactly (same loads, counts and objective, or better); anything else (an
LP's rounding, classes without shapes) is packed one unit at a time where the rules allow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np

from .aggregate import Class, Outcome, Solution
from .problem import Id, Problem, Unit, evaluate, figures, violations


def pack(problem: Problem, outcome: Outcome) -> dict[Id, Id]:
    """The best plan packed from the outcome's solutions (doing nothing when it has none)."""
    plans = [_pack(problem, outcome.classes, s) for s in outcome.solutions]
    valid = [p for p in plans if not violations(problem, p)]
    return min([*valid, problem.current()], key=lambda a: evaluate(problem, a).objective)


def _pack(problem: Problem, classes: Mapping[Id, Class], solution: Solution) -> dict[Id, Id]:
    """The exact packing when it gives a valid plan, else the one-at-a-time packing."""
    exact = _exact(problem, classes, solution)
    if exact is not None and not violations(problem, exact):
        return exact
    return _sequential(problem, classes, solution)


def _exact(problem: Problem, classes: Mapping[Id, Class], outcome: Solution) -> dict[Id, Id] | None:
    """Per class: a rep that both sends and receives keeps that many of its own units (the
    cheapest plan of the two), then the units left go to the slots left in any order. None
    when the inflow is not whole units of the class or does not match what leaves."""
    units = {u.id: u for u in problem.units}
    sending: dict[Class, dict[Id, list[Unit]]] = defaultdict(lambda: defaultdict(list))
    for uid in outcome.leaving:
        sending[classes[uid]][units[uid].owner].append(units[uid])
    slots: dict[Class, dict[Id, int]] = defaultdict(dict)
    for (rid, k), points in outcome.inflow.items():
        if k[2] is None:
            return None
        count = points / k[2][0]
        if abs(count - round(count)) > 1e-4:  # HiGHS keeps integers to 1e-6
            return None
        slots[k][rid] = round(count)
    plan = problem.current()
    for k in set(sending) | set(slots):
        per_unit = {r: outcome.figure_flow.get((r, k), 0.0) / max(n, 1) for r, n in slots[k].items()}
        given = _match(problem, sending[k], slots[k], per_unit)
        if given is None:
            return None
        plan.update(given)
    return plan


def _match(
    problem: Problem, sending: dict[Id, list[Unit]], slots: dict[Id, int], per_unit: dict[Id, float]
) -> dict[Id, Id] | None:
    """Units to slots; when a figure is balanced, the units carrying the most of it to the
    slots of the reps the solution sends the most per unit (sorted against sorted)."""
    out: list[Unit] = []
    for owner, members in sending.items():
        members.sort(key=lambda u: (u.cost, str(u.id)))  # the dearest stay first
        keep = min(len(members), slots.get(owner, 0))
        if keep:
            slots[owner] -= keep
        out += members[: len(members) - keep]
    places = [
        rid for rid, n in sorted(slots.items(), key=lambda x: (per_unit[x[0]], str(x[0]))) for _ in range(n)
    ]
    if len(places) != len(out):
        return None
    out.sort(key=lambda u: (problem.figure(u), str(u.id)))
    return {u.id: rid for u, rid in zip(out, places, strict=True)}


def _sequential(problem: Problem, classes: Mapping[Id, Class], outcome: Solution) -> dict[Id, Id]:
    """Give each leaving unit (largest first) to the rep of its class with the most inflow
    still to receive, where capacity and the per-rep cap allow; else it stays. The classes
    without shapes: what a rep still wants is in points, whatever their shape (a fractional
    solution packs better so)."""
    plan = problem.current()
    units = {u.id: u for u in problem.units}
    index = {r.id: k for k, r in enumerate(problem.reps)}
    load, limit, held, low, high = _arrays(problem)
    counts = np.zeros(len(problem.reps))
    cap = problem.settings.max_moves_per_rep
    totals = [0.0, 0.0]  # accounts and revenue moved
    want = _wants(problem, index, outcome)
    for uid in sorted(outcome.leaving, key=lambda i: (-units[i].points, str(i))):
        unit = units[uid]
        kind, a = classes[uid][:2], index[unit.owner]
        v = problem.figure(unit)
        fits = (load + unit.points <= limit + 1e-9) & (held + v <= high + 1e-6)
        score = np.where(fits, want[kind], -np.inf)
        score[a] = -np.inf
        if held[a] - v < low[a] - 1e-6 or not _within_totals(problem, totals, unit):
            continue
        if cap is not None:
            if counts[a] + unit.size > cap:
                continue
            score = np.where(counts + unit.size <= cap, score, -np.inf)
        r = int(np.argmax(score))
        if not np.isfinite(score[r]):
            continue
        want[kind][r] -= unit.points
        load[r] += unit.points
        load[a] -= unit.points
        counts[r] += unit.size
        counts[a] += unit.size
        held[r] += v
        held[a] -= v
        totals[0] += unit.size
        totals[1] += unit.revenue
        plan[uid] = problem.reps[r].id
    return plan


def _arrays(problem: Problem) -> tuple[np.ndarray, ...]:
    """Per rep today: load, its limit, the figure balanced and that figure's band."""
    now = figures(problem, problem.current())
    low, high = zip(*(problem.figure_band(r) for r in problem.reps), strict=True)
    return (
        np.array([problem.current_loads()[r.id] for r in problem.reps]),
        np.array([problem.limit(r) for r in problem.reps]),
        np.array([now[r.id] for r in problem.reps]),
        np.array(low),
        np.array(high),
    )


def _wants(problem: Problem, index: Mapping[Id, int], outcome: Solution) -> dict[tuple[Any, ...], np.ndarray]:
    """Points each rep is to receive, per class without shapes (-inf: none of that class)."""
    want: dict[tuple[Any, ...], np.ndarray] = defaultdict(lambda: np.full(len(problem.reps), -np.inf))
    for (rid, k), amount in outcome.inflow.items():
        row = want[k[:2]]
        row[index[rid]] = max(row[index[rid]], 0.0) + amount
    return want


def _within_totals(problem: Problem, totals: list[float], unit: Unit) -> bool:
    """Whether moving `unit` keeps the accounts and the revenue moved within their caps."""
    s = problem.settings
    if s.max_moves is not None and totals[0] + unit.size > s.max_moves:
        return False
    return s.max_revenue_moved is None or totals[1] + unit.revenue <= s.max_revenue_moved + 1e-9
