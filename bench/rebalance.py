"""Speed and gap of the rebalance solver (issue #18), on synthetic instances (pure: no database).

    python bench/rebalance.py team      # 12 reps, 600 accounts: target under 2 s
    python bench/rebalance.py company   # 1,000 reps, 50,000 accounts: gap at 30 s and at 5 min
    python bench/rebalance.py company --only revenue --limits 30   # one scenario, one limit

Instances come from bench/rebalance_instances.py (capacities 60-140, tiers A/B/C at 10/30/60 %,
skewed books, one rep in twenty a hunter, one in fifty leaving). Each run prints the time, the
objective, the bound (and what it bounds), the gap, the greedy baseline and doing nothing, the
moves and the peak memory of the process (ru_maxrss)."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rebalance_instances import instance  # noqa: E402  (bench/rebalance_instances.py)

from bookwise.rebalance.problem import Settings, evaluate  # noqa: E402
from bookwise.rebalance.solve import solve  # noqa: E402

SCENARIOS = {
    "unlimited moves": Settings(),
    "up to 50 moves": Settings(max_moves=50),
    "territory kept, 20 moves per rep": Settings(keep_territory="hard", max_moves_per_rep=20),
    "revenue balanced within 15 %": Settings(balance="revenue", balance_tolerance=0.15),
}


def run(n_reps: int, n_accounts: int, limits: list[float], seed: int, only: str = "") -> None:
    for name, config in SCENARIOS.items():
        if only not in name:
            continue
        problem = instance(n_reps, n_accounts, seed=seed, territories=max(1, n_reps // 20), settings=config)
        for limit in limits:
            started = time.perf_counter()
            result = solve(problem, time_limit=limit, gap=0.005 if n_accounts > 10_000 else 1e-4)
            seconds = time.perf_counter() - started
            moves = evaluate(problem, result.assignment).moves
            gap = "-" if result.gap is None else f"{result.gap:.2%}"
            bound = "none" if result.bound is None else f"{result.bound:,.1f}"
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{name:34s} limit {limit:>5.0f} s: {seconds:6.2f} s, objective {result.objective:,.1f}, "
                f"bound {bound}, gap {gap}, greedy {result.greedy_objective:,.1f}, "
                f"doing nothing {result.nothing_objective:,.1f}, {moves} moves, {result.method}, "
                f"peak {peak:,.0f} MB",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=["team", "company"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limits", default="", help="Time limits in seconds, comma-separated")
    parser.add_argument("--only", default="", help="Only the scenarios whose name contains this")
    args = parser.parse_args()
    limits = [float(x) for x in args.limits.split(",") if x]
    if args.size == "team":
        run(12, 600, limits or [1.8], args.seed, args.only)
    else:
        run(1000, 50_000, limits or [30, 300], args.seed, args.only)


if __name__ == "__main__":
    main()
