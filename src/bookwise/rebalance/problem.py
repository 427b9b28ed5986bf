"""The rebalancing problem (pure, no Django): who should own each account of a scope so that
books are balanced with the least disruption. See docs/rebalance.md for the definitions.

A *unit* is what moves: an account, or a parent with its subsidiaries (they stay together
unless splitting is allowed). Every unit ends with exactly one owner among the reps. The
objective (minimised, in workload points) is

    balance_weight x (points of load outside each rep's band, summed over reps)
  + the disruption cost of every unit that moves (+ the territory penalty, soft mode)
  + balance_weight x (points a hunter keeps outside their hand-over window)

where a rep's band is (target +- tolerance) x capacity, target = the scope's load / the
capacity of the reps who stay (the capacity-weighted mean), and a leaving rep's band is 0.
Doing nothing is always allowed: a rule the current books already break (a rep over
capacity, a hunter's old account, a leaving rep's book) must not get worse and costs its
penalty while it lasts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

Id = Any

TERRITORY_MODES = ("off", "soft", "hard")
BALANCE_FIGURES = ("revenue", "potential")  # what else may be balanced besides workload


@dataclass(frozen=True)
class Rep:
    id: Id
    capacity: float
    fixed_load: float = 0.0  # points held that this problem does not move (secondary, pinned, out of scope)
    territory: Id | None = None
    hunter: bool = False  # takes only accounts inside the hand-over window
    leaving: bool = False  # receives nothing
    fixed_revenue: float = 0.0  # of the accounts held that this problem does not move
    fixed_potential: float = 0.0


@dataclass(frozen=True)
class Unit:
    id: Id
    owner: Id
    points: float
    members: tuple[Id, ...] = ()
    revenue: float = 0.0
    potential: float = 0.0
    cost: float = 1.0  # disruption cost of moving it
    territory: Id | None = None
    new: bool = False  # inside the hunters' hand-over window

    @property
    def size(self) -> int:
        return len(self.members) or 1


@dataclass(frozen=True)
class Settings:
    tolerance: float = 0.10
    max_moves: int | None = None  # accounts moved, in all
    max_revenue_moved: float | None = None
    max_moves_per_rep: int | None = None  # accounts in plus out, per rep
    keep_territory: str = "off"  # off, soft (a penalty per point moved out) or hard
    territory_penalty: float = 2.0  # per point of an account given to a rep of another territory
    balance_weight: float = 10.0  # per point of load outside a rep's band
    balance: str | None = None  # also balance revenue or potential (hard, see Problem.figure_band)
    balance_tolerance: float = 0.15  # a share of each rep's target revenue or potential


@dataclass(frozen=True)
class Problem:
    reps: tuple[Rep, ...]
    units: tuple[Unit, ...]
    settings: Settings = field(default_factory=Settings)

    def rep(self, rep_id: Id) -> Rep:
        return self._reps[rep_id]

    @cached_property
    def _reps(self) -> dict[Id, Rep]:
        return {r.id: r for r in self.reps}

    def current(self) -> dict[Id, Id]:
        """Doing nothing: every unit stays with its owner."""
        return {u.id: u.owner for u in self.units}

    @cached_property
    def _current_loads(self) -> dict[Id, float]:
        return loads(self, self.current())

    def current_loads(self) -> dict[Id, float]:
        return dict(self._current_loads)

    @cached_property
    def _target(self) -> float:
        total = sum(r.fixed_load for r in self.reps) + sum(u.points for u in self.units)
        capacity = sum(r.capacity for r in self.reps if not r.leaving)
        return total / capacity if capacity > 0 else 0.0

    def target(self) -> float:
        """The capacity-weighted mean load ratio of the reps who stay."""
        return self._target

    @cached_property
    def whole_points(self) -> bool:
        """Every unit weighs a whole number of points: a rep's load is then its fixed load plus
        a whole number, and a band edge between two such loads may be moved to the one inside
        (the same excess for every plan; a tighter relaxation)."""
        return all(float(u.points).is_integer() for u in self.units)

    def _inside(self, rep: Rep, low: float, high: float) -> tuple[float, float]:
        if not self.whole_points:
            return low, high
        f = rep.fixed_load
        return f + math.ceil(low - f - 1e-9), f + math.floor(high - f + 1e-9)

    def band(self, rep: Rep) -> tuple[float, float]:
        """The loads this rep may end at without a balance penalty: (target -+ tolerance) x
        capacity (0 for a leaving rep), narrowed to the loads the rep can reach."""
        target, tol = self.target(), self.settings.tolerance
        edges = (
            (0.0, 0.0)
            if rep.leaving
            else (max(0.0, target - tol) * rep.capacity, (target + tol) * rep.capacity)
        )
        low, high = self._inside(rep, *edges)
        return (low, high) if low <= high else edges

    def limit(self, rep: Rep) -> float:
        """The most a rep may hold: capacity, or what they hold now when already over it."""
        return max(self._inside(rep, 0.0, rep.capacity)[1], self._current_loads[rep.id])

    def may_receive(self, unit: Unit, rep: Rep) -> bool:
        """Whether `rep` may be given `unit` (staying with its owner is always allowed)."""
        if rep.id == unit.owner:
            return True
        if rep.leaving or rep.capacity <= 0 or (rep.hunter and not unit.new):
            return False
        hard = self.settings.keep_territory == "hard"
        return not (hard and unit.territory is not None and rep.territory != unit.territory)

    def figure(self, unit: Unit) -> float:
        """The unit's revenue or potential when one is balanced, else 0."""
        balance = self.settings.balance
        return unit.revenue if balance == "revenue" else unit.potential if balance == "potential" else 0.0

    def fixed_figure(self, rep: Rep) -> float:
        balance = self.settings.balance
        return (
            rep.fixed_revenue
            if balance == "revenue"
            else rep.fixed_potential
            if balance == "potential"
            else 0.0
        )

    @cached_property
    def _figures_now(self) -> dict[Id, float]:
        return figures(self, self.current())

    @cached_property
    def _figure_per_capacity(self) -> float:
        total = sum(self.fixed_figure(r) for r in self.reps) + sum(self.figure(u) for u in self.units)
        capacity = sum(r.capacity for r in self.reps if not r.leaving)
        return total / capacity if capacity > 0 else 0.0

    def figure_band(self, rep: Rep) -> tuple[float, float]:
        """Where a rep's revenue (or potential) must end, a hard rule when one is balanced: the
        rep's share of the scope's total by capacity (the capacity-weighted mean) +- the
        tolerance, as a share of that target; a leaving rep's is 0. Widened to what the rep
        holds today when outside it already (doing nothing is always allowed, as with capacity):
        then it must not get further out."""
        now = self._figures_now[rep.id]
        if not self.settings.balance:
            return (-math.inf, math.inf)
        target = 0.0 if rep.leaving else self._figure_per_capacity * rep.capacity
        tol = self.settings.balance_tolerance
        return min(target * (1 - tol), now), max(target * (1 + tol), now)

    def move_cost(self, unit: Unit, rep_id: Id) -> float:
        """Cost of giving `unit` to `rep_id` (0 when it stays)."""
        if rep_id == unit.owner:
            return 0.0
        rep = self.rep(rep_id)
        cost = unit.cost
        soft = self.settings.keep_territory == "soft"
        if soft and unit.territory is not None and rep.territory != unit.territory:
            cost += self.settings.territory_penalty * unit.points
        return cost

    def breach(self, unit: Unit, rep_id: Id) -> float:
        """Penalty of a hunter holding an account outside the hand-over window."""
        return self.settings.balance_weight * unit.points if self.rep(rep_id).hunter and not unit.new else 0.0


def figures(problem: Problem, assignment: Mapping[Id, Id]) -> dict[Id, float]:
    """Each rep's revenue or potential (the figure balanced; 0 when none is)."""
    total = {r.id: problem.fixed_figure(r) for r in problem.reps}
    for unit in problem.units:
        total[assignment[unit.id]] += problem.figure(unit)
    return total


def loads(problem: Problem, assignment: Mapping[Id, Id]) -> dict[Id, float]:
    total = {r.id: r.fixed_load for r in problem.reps}
    for unit in problem.units:
        total[assignment[unit.id]] += unit.points
    return total


def excess(problem: Problem, rep: Rep, load: float) -> float:
    """Points of load outside the rep's band."""
    low, high = problem.band(rep)
    return max(0.0, load - high, low - load)


@dataclass(frozen=True)
class Evaluation:
    objective: float
    balance_cost: float
    move_cost: float
    breach_cost: float
    moves: int  # accounts moved
    revenue_moved: float
    loads: dict[Id, float]


def evaluate(problem: Problem, assignment: Mapping[Id, Id]) -> Evaluation:
    """The objective of a complete assignment (unit id -> rep id) and its parts."""
    load = loads(problem, assignment)
    weight = problem.settings.balance_weight
    balance = weight * sum(excess(problem, r, load[r.id]) for r in problem.reps)
    moved = [u for u in problem.units if assignment[u.id] != u.owner]
    move = sum(problem.move_cost(u, assignment[u.id]) for u in moved)
    breach = sum(problem.breach(u, assignment[u.id]) for u in problem.units)
    return Evaluation(
        objective=balance + move + breach,
        balance_cost=balance,
        move_cost=move,
        breach_cost=breach,
        moves=sum(u.size for u in moved),
        revenue_moved=sum(u.revenue for u in moved),
        loads=load,
    )


def move_counts(problem: Problem, assignment: Mapping[Id, Id]) -> dict[Id, int]:
    """Accounts in plus accounts out, per rep."""
    counts = {r.id: 0 for r in problem.reps}
    for unit in problem.units:
        if assignment[unit.id] != unit.owner:
            counts[unit.owner] += unit.size
            counts[assignment[unit.id]] += unit.size
    return counts


def violations(problem: Problem, assignment: Mapping[Id, Id]) -> list[str]:
    """Every hard rule the assignment breaks (empty: it is a valid plan)."""
    out: list[str] = []
    units = {u.id: u for u in problem.units}
    if set(assignment) != set(units):
        out.append("not every unit has exactly one owner")
        return out
    out += [
        f"{uid} may not go to {rid}"
        for uid, rid in assignment.items()
        if not problem.may_receive(units[uid], problem.rep(rid))
    ]
    load = loads(problem, assignment)
    out += [f"{r.id} over its limit" for r in problem.reps if load[r.id] > problem.limit(r) + 1e-6]
    if problem.settings.balance:
        held = figures(problem, assignment)
        out += [
            f"{r.id}'s {problem.settings.balance} outside its band"
            for r in problem.reps
            if not problem.figure_band(r)[0] - 1e-6 <= held[r.id] <= problem.figure_band(r)[1] + 1e-6
        ]
    ev = evaluate(problem, assignment)
    s = problem.settings
    if s.max_moves is not None and ev.moves > s.max_moves:
        out.append(f"{ev.moves} moves > {s.max_moves}")
    if s.max_revenue_moved is not None and ev.revenue_moved > s.max_revenue_moved + 1e-6:
        out.append("revenue moved over the cap")
    if s.max_moves_per_rep is not None:
        out += [
            f"{r} moves {n}" for r, n in move_counts(problem, assignment).items() if n > s.max_moves_per_rep
        ]
    return out


@dataclass(frozen=True)
class Balance:
    max_ratio: float
    cv: float  # coefficient of variation of the load ratios


def balance(problem: Problem, load: Mapping[Id, float]) -> Balance:
    """Max load ratio and coefficient of variation (population standard deviation / mean)
    over the reps who stay and have a capacity."""
    ratios = [load[r.id] / r.capacity for r in problem.reps if not r.leaving and r.capacity > 0]
    if not ratios:
        return Balance(0.0, 0.0)
    mean = sum(ratios) / len(ratios)
    std = math.sqrt(sum((x - mean) ** 2 for x in ratios) / len(ratios))
    return Balance(max(ratios), std / mean if mean > 0 else 0.0)
