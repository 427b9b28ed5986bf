"""Large instances of the reassignment problem (pure, numpy): a Lagrangian upper bound and
a large-neighbourhood search that re-optimises chunks of accounts with HiGHS.

The bound relaxes the rep rows (load_r + sum p x) / cap_r <= U with multipliers mu >= 0:
  L(mu) = sum_a max_r (s_ar - mu_r p_a / cap_r) - sum_r mu_r load_r / cap_r + max(0, sum mu - lambda n)
which is >= the optimum for every mu (each account picks one rep; U in [0, 1]); subgradient
steps lower it. It uses every candidate pair and leaves out the balance limit (a relaxation),
so it bounds the whole problem, unsparsified and balanced."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # annotations only: the optimiser imports this module where it decomposes
    from .optimiser import Problem

Id = Any  # any hashable id (account or rep); Any as the callers' dicts key by their own (int) ids
SolveSub = Callable[["Problem", Mapping[Id, Id]], dict[Id, Id] | None]  # a sub-MIP, warm-started


@dataclass
class Arrays:
    acc: np.ndarray  # account index per pair, sorted
    rep: np.ndarray  # rep index per pair
    score: np.ndarray
    points: np.ndarray  # per account
    cap: np.ndarray  # per rep
    load: np.ndarray  # per rep
    room: np.ndarray  # per rep: points it may still take (capacity x balance limit - load)
    starts: np.ndarray  # first pair of each account


def arrays(problem: Problem, rep_index: dict[Id, int]) -> Arrays:
    acc, rep, score = [], [], []
    for a, item in enumerate(problem.accounts):
        for r, s in problem.scores.get(item.id, ()):
            if r in rep_index:
                acc.append(a)
                rep.append(rep_index[r])
                score.append(s)
    slots = problem.reps
    acc_arr = np.array(acc, dtype=np.int64)
    return Arrays(
        acc=acc_arr,
        rep=np.array(rep, dtype=np.int64),
        score=np.array(score, dtype=float),
        points=np.array([i.points for i in problem.accounts], dtype=float),
        cap=np.array([s.capacity for s in slots], dtype=float),
        load=np.array([s.load for s in slots], dtype=float),
        room=np.array([s.headroom for s in slots], dtype=float),
        starts=np.searchsorted(acc_arr, np.arange(len(problem.accounts))),
    )


def _choose(arr: Arrays, mu: np.ndarray) -> tuple[float, np.ndarray]:
    reduced = arr.score - mu[arr.rep] * arr.points[arr.acc] / arr.cap[arr.rep]
    best = np.maximum.reduceat(reduced, arr.starts)
    is_best = reduced >= best[arr.acc] - 1e-12
    first = np.full(len(arr.starts), -1)
    idx = np.nonzero(is_best)[0]
    first[arr.acc[idx[::-1]]] = idx[::-1]  # the first best pair of each account
    return float(best.sum()), first


def lagrangian_bound(
    arr: Arrays, weight: float, primal: float, iterations: int = 400, mus: list[np.ndarray] | None = None
) -> float:
    """Smallest L(mu) found by Polyak subgradient steps (a valid upper bound). Every 40th
    multiplier vector is appended to `mus` (for the repair heuristic)."""
    n = len(arr.starts)
    mu = np.zeros(len(arr.cap))
    best_bound = np.inf
    factor = 2.0
    for step in range(iterations):
        if mus is not None and step % 40 == 39:
            mus.append(mu.copy())
        picked, first = _choose(arr, mu)
        u = 1.0 if mu.sum() > weight * n else 0.0
        value = picked - float((mu * arr.load / arr.cap).sum()) + max(0.0, float(mu.sum()) - weight * n)
        if value < best_bound - 1e-9:
            best_bound = value
        else:
            factor *= 0.97
        used = np.bincount(arr.rep[first], weights=arr.points, minlength=len(arr.cap))
        grad = u - (arr.load + used) / arr.cap
        norm = float((grad**2).sum())
        if norm < 1e-12:
            break
        mu = np.maximum(0.0, mu - factor * (value - primal) / norm * grad)
    return best_bound


def chunks(n: int, size: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i : i + size] for i in range(0, n, size)]


def improve(
    problem: Problem, plan: dict[Id, Id], solve_sub: SolveSub, deadline: float, size: int = 1500
) -> dict[Id, Id]:
    """Large-neighbourhood search: re-optimise one chunk of accounts at a time with the rest
    fixed (their points counted as load). Never worse: each sub-MIP is warm-started."""
    from .optimiser import Problem

    items = list(problem.accounts)
    by_id = {s.id: s for s in problem.reps}
    weight_total = problem.balance_weight * len(items)
    for round_no in range(2):
        for part in chunks(len(items), size, seed=round_no):
            if time.perf_counter() > deadline:
                return plan
            inside = {items[i].id for i in part}
            extra: dict[Id, float] = {}
            for item in items:
                if item.id not in inside:
                    extra[plan[item.id]] = extra.get(plan[item.id], 0.0) + item.points
            sub = Problem(
                accounts=[items[i] for i in part],
                reps=[replace(r, load=r.load + extra.get(r.id, 0.0)) for r in by_id.values()],
                scores={i: problem.scores[i] for i in inside},
                balance_weight=weight_total / len(part),
                top_k=problem.top_k,
                gap_target=problem.gap_target,
                time_limit=max(1.0, deadline - time.perf_counter()),
            )
            better = solve_sub(sub, {a: plan[a] for a in inside})
            if better is not None:
                plan.update(better)
    return plan


def repair(arr: Arrays, mu: np.ndarray) -> np.ndarray | None:
    """A feasible plan from multipliers: accounts by regret (best minus second-best reduced
    score) descending, each to its best reduced-score rep that still has room. Returns the
    chosen pair index per account, or None when some account fits nowhere."""
    reduced = arr.score - mu[arr.rep] * arr.points[arr.acc] / arr.cap[arr.rep]
    order = np.lexsort((-reduced, arr.acc))  # pairs by account, best first
    ends = np.append(arr.starts[1:], len(arr.acc))
    best = reduced[order[arr.starts]]
    second = np.where(ends - arr.starts > 1, reduced[order[np.minimum(arr.starts + 1, ends - 1)]], best - 1e6)
    room = arr.room.copy()
    chosen = np.full(len(arr.starts), -1)
    for a in np.argsort(-(best - second), kind="stable"):
        need = arr.points[a]
        for j in order[arr.starts[a] : ends[a]]:
            r = arr.rep[j]
            if room[r] + 1e-9 >= need:
                room[r] -= need
                chosen[a] = j
                break
        else:
            return None
    return chosen
