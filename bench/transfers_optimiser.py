"""Benchmark of the mass-reassignment optimiser (pure, generated dataclasses; no database).

Run: .venv/bin/python bench/transfers_optimiser.py [--accounts 1000 --reps 50] [--seed 1]
Prints the solve time, HiGHS's objective, bound and gap, and the greedy baseline."""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from bookwise.transfers.optimiser import Item, Problem, Slot, optimise  # noqa: E402


def generate(n_accounts: int, n_reps: int, seed: int, candidates: int = 40) -> Problem:
    """Tier mix ~ 10 % A (5 points), 20 % B (2), 70 % C (1); reps at 30-70 % of capacity 100;
    scores 0-100 from rep quality + territory/industry fit + noise; each account sees
    `candidates` reps (the caller's pre-filter, like a territory/region shortlist)."""
    rng = random.Random(seed)
    accounts = [Item(f"A{i}", rng.choices([5, 2, 1], [0.1, 0.2, 0.7])[0]) for i in range(n_accounts)]
    needed = sum(a.points for a in accounts)
    capacity = max(100, int(needed / n_reps / 0.45))
    reps = [Slot(f"R{j}", capacity, round(rng.uniform(0.3, 0.55) * capacity)) for j in range(n_reps)]
    quality = {r.id: rng.uniform(20, 60) for r in reps}
    territory = {r.id: rng.randrange(max(1, n_reps // 10)) for r in reps}
    scores = {}
    for a in accounts:
        home = rng.randrange(max(1, n_reps // 10))
        pool = rng.sample(reps, min(candidates, n_reps))
        scores[a.id] = [
            (r.id, round(quality[r.id] + (25 if territory[r.id] == home else 0) + rng.uniform(0, 15), 2))
            for r in pool
        ]
    return Problem(accounts=accounts, reps=reps, scores=scores)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top-k", type=int, default=5)
    args = parser.parse_args()
    problem = generate(args.accounts, args.reps, args.seed)
    problem = Problem(problem.accounts, problem.reps, problem.scores, top_k=args.top_k)
    started = time.perf_counter()
    plan = optimise(problem)
    elapsed = time.perf_counter() - started
    better = None
    if plan.feasible and plan.greedy_objective:
        better = (plan.objective - plan.greedy_objective) / abs(plan.greedy_objective)
    print(
        f"accounts={args.accounts} reps={args.reps} top_k={args.top_k} seed={args.seed} "
        f"time={elapsed:.2f}s status={plan.status} objective={plan.objective} bound={plan.bound} "
        f"gap={plan.gap} greedy={plan.greedy_objective} vs_greedy={better} max_util={plan.max_utilisation}"
    )


if __name__ == "__main__":
    main()
