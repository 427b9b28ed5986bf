"""The balance rule of mass reassignment (pure): recipients' loads stay within a tolerance
of the even level, where capacity allows.

The even level L is the utilisation at which filling every candidate up to L (from its own
load) takes the whole book. With tolerance T, a plan is balanced when every recipient ends
between L - T and L + T (nobody above L + T; a rep that takes anything is filled to at
least L - T, so no recipient is left far below the others). When that cannot be packed
(big accounts, few candidates) the floor is dropped first, then the ceiling; the plan says
which held."""

from __future__ import annotations

from dataclasses import replace

from .optimiser import Problem, Solution, meets_floor, optimise

DEFAULT_TOLERANCE = 0.10


def balance_level(problem: Problem) -> float:
    """L with sum over reps of max(0, L * capacity - load) = the book's points (1.0 when short)."""
    needed = sum(i.points for i in problem.accounts)
    reps = [s for s in problem.reps if s.capacity > 0]

    def room(level: float) -> float:
        return sum(max(0.0, level * s.capacity - s.load) for s in reps)

    if room(1.0) <= needed:
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(50):
        mid = (low + high) / 2
        low, high = (mid, high) if room(mid) < needed else (low, mid)
    return high


def optimise_balanced(problem: Problem, tolerance: float = DEFAULT_TOLERANCE) -> Solution:
    """`optimise` under the balance rule; balance = level, tolerance, ceiling, floor, met
    ("both", "ceiling" or "none": which side of the rule the plan keeps)."""
    level = balance_level(problem)
    ceiling = min(1.0, level + tolerance)
    floor = max(0.0, level - tolerance)
    capped = replace(problem, reps=[replace(s, limit=ceiling) for s in problem.reps])
    attempts = [(replace(capped, floor=floor), "both"), (capped, "ceiling"), (problem, "none")]
    for candidate, met in attempts:
        plan = optimise(candidate)
        if plan.feasible or met == "none":
            break
    if met == "both" and not meets_floor(attempts[0][0], plan.assignments):
        met = "ceiling"  # the decomposition of large books keeps the ceiling only
    ceiling = 1.0 if met == "none" else ceiling
    floor = floor if met == "both" else 0.0
    plan.balance = {"level": level, "tolerance": tolerance, "ceiling": ceiling, "floor": floor, "met": met}
    return plan
