"""Packing the aggregated model's moves (aggregate.py) onto recipients (pure): which unit
goes to which rep. Units of one class with shapes are interchangeable, so a whole-number
solution packs exactly (same loads, counts and objective, or better); anything else (an
LP's rounding, classes without shapes) is packed one unit at a time where the rules allow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from .aggregate import Class, Outcome, Solution
from .problem import Id, Problem, Unit, evaluate, figures, violations


def pack(problem: Problem, outcome: Outcome) -> dict[Id, Id]:
    """The best plan packed from the outcome's solutions (doing nothing when it has none)."""
    plans = [_pack(problem, outcome.classes, s) for s in outcome.solutions]
    return min([*plans, problem.current()], key=lambda a: evaluate(problem, a).objective)


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
        if abs(count - round(count)) > 1e-6:
            return None
        slots[k][rid] = round(count)
    plan = problem.current()
    for k in set(sending) | set(slots):
        given = _match(sending[k], slots[k])
        if given is None:
            return None
        plan.update(given)
    return plan


def _match(sending: dict[Id, list[Unit]], slots: dict[Id, int]) -> dict[Id, Id] | None:
    out: list[Unit] = []
    for owner, members in sending.items():
        members.sort(key=lambda u: (u.cost, str(u.id)))  # the dearest stay first
        keep = min(len(members), slots.get(owner, 0))
        if keep:
            slots[owner] -= keep
        out += members[: len(members) - keep]
    places = [rid for rid, n in sorted(slots.items(), key=lambda x: str(x[0])) for _ in range(n)]
    if len(places) != len(out):
        return None
    return {u.id: rid for u, rid in zip(out, places, strict=True)}


def _sequential(problem: Problem, classes: Mapping[Id, Class], outcome: Solution) -> dict[Id, Id]:
    """Give each leaving unit (largest first) to the rep of its class with the most inflow
    still to receive, where capacity and the per-rep cap allow; else it stays."""
    plan = problem.current()
    units = {u.id: u for u in problem.units}
    index = {r.id: k for k, r in enumerate(problem.reps)}
    load = np.array([problem.current_loads()[r.id] for r in problem.reps])
    limit = np.array([problem.limit(r) for r in problem.reps])
    counts = np.zeros(len(problem.reps))
    cap = problem.settings.max_moves_per_rep
    now = figures(problem, plan)
    held = np.array([now[r.id] for r in problem.reps])
    low, high = (np.array(x) for x in zip(*(problem.figure_band(r) for r in problem.reps), strict=True))
    want: dict[Class, np.ndarray] = defaultdict(lambda: np.full(len(problem.reps), -np.inf))
    for (rid, k), amount in outcome.inflow.items():
        want[k][index[rid]] = amount
    for uid in sorted(outcome.leaving, key=lambda i: (-units[i].points, str(i))):
        unit = units[uid]
        k, a = classes[uid], index[unit.owner]
        v = problem.figure(unit)
        fits = (load + unit.points <= limit + 1e-9) & (held + v <= high + 1e-6)
        score = np.where(fits, want[k], -np.inf)
        score[a] = -np.inf
        if held[a] - v < low[a] - 1e-6:
            continue
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
        held[r] += v
        held[a] -= v
        plan[uid] = problem.reps[r].id
    return plan
