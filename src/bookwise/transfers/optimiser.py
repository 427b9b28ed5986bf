"""Mass reassignment as a mixed-integer program (HiGHS), with a greedy baseline. Pure: no Django.

Given accounts (points), eligible reps (capacity, current load) and a fit score for each
allowed (account, rep) pair, choose one rep per account to maximise

    sum of scores of the chosen pairs  -  balance_weight * n_accounts * U

subject to: every account assigned exactly once, and for each rep
(load + assigned points) / capacity <= U <= 1 (so nobody goes over capacity, and U is the
highest utilisation, kept low by its small weight) and load + assigned points <= capacity *
limit (the balance limit, see `optimise_balanced`). Only each account's `top_k` best
candidates become variables (plus the greedy choice, so the greedy plan is always a
feasible warm start and the result scores at least the greedy baseline).

The reported bound always holds for the whole problem (every candidate pair): HiGHS's own
bound when the model had every pair, else the optimum of the LP relaxation over every pair
(a valid upper bound of the full MIP; the reduced model's bound is not one)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # annotations only: highspy loads where a model is solved; decompose imports this
    import highspy

    from .decompose import Arrays

Id = Any  # any hashable id (account or rep); Any as the callers' dicts key by their own (int) ids
Pair = tuple[int, Id, float]  # a candidate: (account index, rep id, score)


@dataclass(frozen=True)
class Item:
    id: Id
    points: float


@dataclass(frozen=True)
class Slot:
    id: Id
    capacity: float
    load: float = 0.0
    limit: float = 1.0  # highest utilisation this rep may end at (the balance limit)

    @property
    def headroom(self) -> float:
        return self.capacity * min(1.0, self.limit) - self.load


@dataclass(frozen=True)
class Problem:
    accounts: Sequence[Item]
    reps: Sequence[Slot]
    scores: Mapping[Id, Sequence[tuple[Id, float]]]  # account id -> [(rep id, score)]
    balance_weight: float = 1.0
    top_k: int = 5
    gap_target: float = 0.005
    time_limit: float = 55.0
    floor: float = 0.0  # a rep that receives anything ends at least this utilised (balance)


@dataclass
class Solution:
    """The optimiser's answer: who gets each account, its objective, bound and gap (a
    reassignment plan stores it; "plan" alone means the plan, not this)."""

    feasible: bool
    assignments: dict[Id, Id] = field(default_factory=dict)
    scores: dict[Id, float] = field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    greedy_objective: float | None = None
    max_utilisation: float | None = None
    status: str = ""
    shortfalls: list[dict[str, Any]] = field(default_factory=list)
    bound_scope: str = "every candidate pair"
    balance: dict[str, Any] = field(default_factory=dict)


def evaluate(problem: Problem, assignment: Mapping[Id, Id]) -> tuple[float, float]:
    """(objective, max utilisation) of a complete assignment."""
    score = {(a, r): s for a, pairs in problem.scores.items() for r, s in pairs}
    points = {item.id: item.points for item in problem.accounts}
    added: dict[Id, float] = defaultdict(float)
    for account, rep in assignment.items():
        added[rep] += points[account]
    util = max(((s.load + added[s.id]) / s.capacity for s in problem.reps if s.capacity > 0), default=0.0)
    total = sum(score[(a, r)] for a, r in assignment.items())
    return total - problem.balance_weight * len(problem.accounts) * util, util


def greedy(problem: Problem) -> dict[Id, Id] | None:
    """Biggest accounts first, each to its best-scoring rep that still has room (ties: the
    less utilised). None when some account fits nowhere."""
    room = {s.id: s.headroom for s in problem.reps}
    capacity = {s.id: s.capacity for s in problem.reps}
    plan: dict[Id, Id] = {}
    for item in sorted(problem.accounts, key=lambda i: (-i.points, str(i.id))):
        best = None
        for rep, score in problem.scores.get(item.id, ()):
            if rep in room and room[rep] + 1e-9 >= item.points:
                key = (score, room[rep] / capacity[rep] if capacity[rep] else 0)
                if best is None or key > best[0]:
                    best = (key, rep)
        if best is None:
            return None
        plan[item.id] = best[1]
        room[best[1]] -= item.points
    return plan


def shortfalls(problem: Problem) -> list[dict[str, Any]]:
    """Why no plan exists: total capacity short, or accounts that fit with nobody."""
    reasons: list[dict[str, Any]] = []
    needed = sum(i.points for i in problem.accounts)
    available = sum(max(0.0, s.headroom) for s in problem.reps)
    if needed > available + 1e-9:
        reasons.append(
            {"kind": "total_capacity", "needed": needed, "available": available, "short": needed - available}
        )
    room = {s.id: s.headroom for s in problem.reps}
    for item in problem.accounts:
        best = max((room.get(r, 0.0) for r, _ in problem.scores.get(item.id, ())), default=0.0)
        if item.points > best + 1e-9:
            reasons.append(
                {
                    "kind": "account_fits_nowhere",
                    "account_id": item.id,
                    "points": item.points,
                    "max_headroom": best,
                }
            )
    if not reasons:
        reasons.append(
            {
                "kind": "packing",
                "needed": needed,
                "available": available,
                "short": 0.0,
                "detail": "capacity exists in total but cannot be packed",
            }
        )
    return reasons


def _pairs(problem: Problem, warm: Mapping[Id, Id] | None) -> list[Pair]:
    """(account index, rep id, score): each account's top_k candidates plus the warm choice."""
    room = {s.id: s.headroom for s in problem.reps if s.capacity > 0}
    out: list[Pair] = []
    for index, item in enumerate(problem.accounts):
        ranked = sorted(
            ((r, s) for r, s in problem.scores.get(item.id, ()) if room.get(r, -1.0) + 1e-9 >= item.points),
            key=lambda p: -p[1],
        )
        chosen = ranked[: problem.top_k]
        if warm and item.id in warm and all(r != warm[item.id] for r, _ in chosen):
            chosen += [p for p in ranked if p[0] == warm[item.id]]
        out.extend((index, r, s) for r, s in chosen)
    return out


def _model(problem: Problem, pairs: list[Pair], relax: bool = False) -> highspy.HighsLp:
    """Columns: one per pair, then U. Rows: each account once; per rep its utilisation
    <= U; per rep its added points <= its headroom under the balance limit."""
    import highspy

    slots = [s for s in problem.reps if s.capacity > 0]
    n_acc, n_pairs, n_slots = len(problem.accounts), len(pairs), len(slots)
    util_row = {s.id: n_acc + k for k, s in enumerate(slots)}
    caps = {s.id: s.capacity for s in slots}
    points = np.array([problem.accounts[a].points for a, _, _ in pairs], dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_ = n_pairs + 1
    lp.num_row_ = n_acc + 2 * n_slots
    lp.col_cost_ = np.append([s for _, _, s in pairs], -problem.balance_weight * n_acc)
    lp.col_lower_ = np.zeros(n_pairs + 1)
    lp.col_upper_ = np.ones(n_pairs + 1)
    lp.row_lower_ = np.concatenate([np.ones(n_acc), np.full(2 * n_slots, -np.inf)])
    lp.row_upper_ = np.concatenate(
        [np.ones(n_acc), [-s.load / s.capacity for s in slots], [max(0.0, s.headroom) for s in slots]]
    )
    index = np.empty(3 * n_pairs + n_slots, dtype=np.int32)
    value = np.empty(3 * n_pairs + n_slots)
    index[0 : 3 * n_pairs : 3] = [a for a, _, _ in pairs]
    index[1 : 3 * n_pairs : 3] = [util_row[r] for _, r, _ in pairs]
    index[2 : 3 * n_pairs : 3] = [util_row[r] + n_slots for _, r, _ in pairs]
    value[0 : 3 * n_pairs : 3] = 1.0
    value[1 : 3 * n_pairs : 3] = points / np.array([caps[r] for _, r, _ in pairs])
    value[2 : 3 * n_pairs : 3] = points
    index[3 * n_pairs :] = [util_row[s.id] for s in slots]
    value[3 * n_pairs :] = -1.0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.append(np.arange(0, 3 * n_pairs + 1, 3), 3 * n_pairs + n_slots).astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.sense_ = highspy.ObjSense.kMaximize
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_pairs + [highspy.HighsVarType.kContinuous]
    return lp


def full_bound(problem: Problem) -> float | None:
    """Optimum of the LP relaxation over every candidate pair: an upper bound of the whole
    MIP (None when even the relaxation is infeasible)."""
    import highspy

    pairs = _pairs(replace(problem, top_k=len(problem.reps)), None)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(_model(problem, pairs, relax=True))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(h.getInfo().objective_function_value)


def _solve(problem: Problem, pairs: list[Pair], warm: Mapping[Id, Id] | None) -> highspy.Highs:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", problem.gap_target)
    h.setOptionValue("time_limit", problem.time_limit)
    h.passModel(_model(problem, pairs))
    slots = _add_floor(h, problem, pairs) if problem.floor > 0 else []
    if warm and meets_floor(problem, warm):
        ids = [problem.accounts[a].id for a, _, _ in pairs]
        start = [1.0 if warm.get(ids[j]) == r else 0.0 for j, (_, r, _) in enumerate(pairs)]
        _, util = evaluate(problem, warm)
        receiving = set(warm.values())
        solution = highspy.HighsSolution()
        solution.col_value = [*start, util, *(1.0 if s.id in receiving else 0.0 for s in slots)]
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    return h


def meets_floor(problem: Problem, plan: Mapping[Id, Id]) -> bool:
    """Every rep that receives something ends at least `floor` utilised."""
    points = {item.id: item.points for item in problem.accounts}
    added: dict[Id, float] = defaultdict(float)
    for account, rep in plan.items():
        added[rep] += points[account]
    slots = {s.id: s for s in problem.reps}
    return all(
        slots[r].load + extra >= problem.floor * slots[r].capacity - 1e-9 for r, extra in added.items()
    )


def _add_floor(h: highspy.Highs, problem: Problem, pairs: list[Pair]) -> list[Slot]:
    """A binary y_r per rep (receives anything) with  sum_a x_ar <= n y_r  and
    load_r + sum_a p_a x_ar >= floor cap_r y_r."""
    import highspy

    slots = [s for s in problem.reps if s.capacity > 0]
    first = len(pairs) + 1
    n = len(problem.accounts)
    h.addCols(len(slots), np.zeros(len(slots)), np.zeros(len(slots)), np.ones(len(slots)), 0, [], [], [])
    h.changeColsIntegrality(
        len(slots), np.arange(first, first + len(slots), dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * len(slots)),
    )  # fmt: skip
    for k, slot in enumerate(slots):
        cols = [j for j, (_, r, _) in enumerate(pairs) if r == slot.id]
        pts = [problem.accounts[pairs[j][0]].points for j in cols]
        y = first + k
        h.addRow(
            -np.inf,
            0.0,
            len(cols) + 1,
            np.array([*cols, y], dtype=np.int32),
            np.array([1.0] * len(cols) + [-n]),
        )
        h.addRow(
            -slot.load, np.inf, len(cols) + 1, np.array([*cols, y], dtype=np.int32),
            np.array([*pts, -problem.floor * slot.capacity]),
        )  # fmt: skip
    return slots


def _decode(problem: Problem, pairs: list[Pair], h: highspy.Highs) -> dict[Id, Id] | None:
    if h.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    values = h.getSolution().col_value
    plan = {problem.accounts[a].id: r for j, (a, r, _) in enumerate(pairs) if values[j] > 0.5}
    return plan if len(plan) == len(problem.accounts) else None


LARGE_PAIRS = 25_000  # above this many variables: decompose (see decompose.py)
FULL_PAIRS = 5_000  # up to this many candidate pairs in all: no top_k reduction


def _solve_sub(sub: Problem, start: Mapping[Id, Id]) -> dict[Id, Id] | None:
    pairs = _pairs(sub, start)
    return _decode(sub, pairs, _solve(sub, pairs, start))


def _optimise_large(problem: Problem, warm: dict[Id, Id], greedy_objective: float | None) -> Solution:
    """Lagrangian bound and repair heuristic over every pair, then chunked HiGHS re-optimisation
    of the best plan until the time budget; the gap is against the Lagrangian bound."""
    from . import decompose

    started = time.perf_counter()
    usable = replace(problem, reps=[s for s in problem.reps if s.capacity > 0])
    arr = decompose.arrays(usable, {s.id: k for k, s in enumerate(usable.reps)})
    mus: list[np.ndarray] = []
    bound = decompose.lagrangian_bound(arr, problem.balance_weight, evaluate(problem, warm)[0], 600, mus)
    plan = max([warm, *_repaired(problem, usable, arr, mus)], key=lambda p: evaluate(problem, p)[0])
    objective = evaluate(problem, plan)[0]
    if (bound - objective) / max(abs(objective), 1e-9) > problem.gap_target:  # not yet good enough
        deadline = started + 0.85 * problem.time_limit
        plan = decompose.improve(problem, dict(plan), _solve_sub, deadline)
    return _finish(
        problem, plan, bound, greedy_objective, "Decomposed: Lagrangian bound and repair, HiGHS on chunks",
        "every candidate pair (Lagrangian)",
    )  # fmt: skip


def _repaired(problem: Problem, usable: Problem, arr: Arrays, mus: list[np.ndarray]) -> list[dict[Id, Id]]:
    from . import decompose

    plans = []
    for mu in mus[-4:]:
        chosen = decompose.repair(arr, mu)
        if chosen is not None:
            plans.append({problem.accounts[a].id: usable.reps[arr.rep[j]].id for a, j in enumerate(chosen)})
    return plans


def optimise(problem: Problem) -> Solution:
    """The MIP plan (never worse than greedy), with HiGHS's bound and gap; or why none exists.
    Reps already at or over capacity cannot take anything and are left out (also of U)."""
    problem = replace(problem, reps=[s for s in problem.reps if s.capacity > 0 and s.load < s.capacity])
    if not problem.accounts:
        zero = 0.0  # nothing to assign
        return Solution(True, objective=zero, bound=zero, gap=zero, greedy_objective=zero, status="empty")
    warm = greedy(problem)
    greedy_objective = evaluate(problem, warm)[0] if warm else None
    if warm is not None and len(problem.accounts) * problem.top_k > LARGE_PAIRS:
        return _optimise_large(replace(problem, floor=0.0), warm, greedy_objective)
    if warm is not None and not meets_floor(problem, warm):
        warm = None
    every = len(_pairs(replace(problem, top_k=len(problem.reps)), None))
    if every <= FULL_PAIRS:  # small enough to solve on every candidate: the optimum is the true one
        problem = replace(problem, top_k=len(problem.reps))
    pairs = _pairs(problem, warm)
    h = _solve(problem, pairs, warm)
    plan = _decode(problem, pairs, h)
    if plan is None and warm is None and len(pairs) < sum(len(v) for v in problem.scores.values()):
        widest = replace(problem, top_k=len(problem.reps))  # sparsified model failed: try every pair
        pairs = _pairs(widest, None)
        h = _solve(widest, pairs, None)
        plan = _decode(widest, pairs, h)
    if plan is None and warm is None:
        return Solution(
            feasible=False, status=h.modelStatusToString(h.getModelStatus()), shortfalls=shortfalls(problem)
        )
    best = max([p for p in (plan, warm) if p is not None], key=lambda p: evaluate(problem, p)[0])
    info = h.getInfo()
    bound: float | None
    if len(pairs) >= every and np.isfinite(info.mip_dual_bound):
        bound, scope = info.mip_dual_bound, "every candidate pair (HiGHS)"
    else:  # the reduced model's bound does not bound the whole problem: the LP over every pair does
        bound, scope = full_bound(problem), "every candidate pair (LP relaxation)"
    return _finish(problem, best, bound, greedy_objective, h.modelStatusToString(h.getModelStatus()), scope)


def _finish(
    problem: Problem, best: dict[Id, Id], bound: float | None, greedy_objective: float | None, status: str,
    scope: str,
) -> Solution:  # fmt: skip
    objective, util = evaluate(problem, best)
    if bound is not None:
        bound = max(bound, objective)  # a valid bound is never below a feasible plan (solver tolerance)
    gap = max(0.0, (bound - objective) / max(abs(objective), 1e-9)) if bound is not None else None
    score = {(a, r): s for a, ps in problem.scores.items() for r, s in ps}
    return Solution(
        feasible=True,
        assignments=best,
        scores={a: score[(a, r)] for a, r in best.items()},
        objective=objective,
        bound=bound,
        gap=gap,
        greedy_objective=greedy_objective,
        max_utilisation=util,
        status=status,
        bound_scope=scope,
    )
