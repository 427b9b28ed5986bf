"""Random rebalancing instances (pure), for the benchmark and the property tests."""

from __future__ import annotations

import numpy as np

from bookwise.rebalance.problem import Problem, Rep, Settings, Unit

TIER_POINTS = (5.0, 2.0, 1.0)
TIER_COST = (3.0, 1.5, 1.0)


def instance(
    n_reps: int, n_accounts: int, seed: int = 0, territories: int = 1, settings: Settings | None = None
) -> Problem:
    """Reps of capacity 60 to 140 with a skewed share of the book; tiers A/B/C at 10/30/60 %;
    one rep in twenty a hunter, one in fifty leaving."""
    rng = np.random.default_rng(seed)
    reps = tuple(
        Rep(
            id=f"R{k:04d}",
            capacity=float(rng.integers(60, 141)),
            territory=f"T{k % territories}",
            hunter=bool(k % 20 == 19),
            leaving=bool(k % 50 == 49),
        )
        for k in range(n_reps)
    )
    weights = rng.gamma(2.0, 1.0, n_reps)
    owners = rng.choice(n_reps, size=n_accounts, p=weights / weights.sum())
    tiers = rng.choice(3, size=n_accounts, p=(0.1, 0.3, 0.6))
    units = tuple(
        Unit(
            id=f"A{i:06d}",
            owner=reps[int(owners[i])].id,
            points=TIER_POINTS[int(tiers[i])],
            revenue=float(rng.integers(1_000, 200_000)),
            cost=TIER_COST[int(tiers[i])] * (1.0 + float(rng.integers(0, 5)) * 0.2),
            territory=reps[int(owners[i])].territory
            if rng.random() < 0.9
            else f"T{rng.integers(territories)}",
            new=bool(rng.random() < 0.1),
        )
        for i in range(n_accounts)
    )
    return Problem(reps=reps, units=units, settings=settings or Settings())
