"""Properties of the rebalancing solver (pure): every plan is valid, never worse than doing
nothing or the greedy baseline, and on small instances optimal (brute force)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.rebalance.greedy import greedy
from bookwise.rebalance.problem import Problem, Rep, Settings, Unit, evaluate, violations
from bookwise.rebalance.solve import solve
from tests.properties import examples


@st.composite
def problems(draw: st.DrawFn, max_units: int = 6, max_reps: int = 3) -> Problem:
    n_reps = draw(st.integers(2, max_reps))
    reps = tuple(
        Rep(
            id=f"R{k}",
            capacity=float(draw(st.integers(0, 12))),
            fixed_load=float(draw(st.integers(0, 3))),
            territory=draw(st.sampled_from(["N", "S"])),
            hunter=draw(st.booleans()),
            leaving=draw(st.integers(0, 5)) == 0,
        )
        for k in range(n_reps)
    )
    n_units = draw(st.integers(0, max_units))
    units = tuple(
        Unit(
            id=f"A{i}",
            owner=draw(st.sampled_from(reps)).id,
            points=float(draw(st.sampled_from([1, 2, 5]))),
            members=tuple(f"A{i}.{m}" for m in range(draw(st.integers(1, 2)))),
            revenue=float(draw(st.integers(0, 100))),
            cost=draw(st.sampled_from([0.0, 1.0, 1.5, 3.0, 4.2])),
            territory=draw(st.sampled_from(["N", "S", None])),
            new=draw(st.booleans()),
        )
        for i in range(n_units)
    )
    config = Settings(
        tolerance=draw(st.sampled_from([0.0, 0.1, 0.3])),
        max_moves=draw(st.one_of(st.none(), st.integers(0, 4))),
        max_revenue_moved=draw(st.one_of(st.none(), st.floats(0, 200))),
        max_moves_per_rep=draw(st.one_of(st.none(), st.integers(0, 3))),
        keep_territory=draw(st.sampled_from(["off", "soft", "hard"])),
        balance_weight=draw(st.sampled_from([1.0, 10.0])),
    )
    return Problem(reps=reps, units=units, settings=config)


def brute_force(problem: Problem) -> float:
    """The optimum by trying every valid assignment."""
    ids = [u.id for u in problem.units]
    best = float("inf")
    for owners in itertools.product([r.id for r in problem.reps], repeat=len(ids)):
        plan = dict(zip(ids, owners, strict=True))
        if not violations(problem, plan):
            best = min(best, evaluate(problem, plan).objective)
    return best


QUICK = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(problems())
def test_plan_is_valid_and_never_worse_than_doing_nothing_or_greedy(problem: Problem) -> None:
    result = solve(problem, time_limit=10)
    assert violations(problem, result.assignment) == []  # capacity, fit, caps, one owner each
    assert result.objective <= result.nothing_objective + 1e-6
    assert result.objective <= result.greedy_objective + 1e-6
    assert violations(problem, greedy(problem)) == []
    assert result.bound is not None and result.bound <= result.objective + 1e-6


@QUICK
@given(problems())
def test_objective_equals_brute_force(problem: Problem) -> None:
    result = solve(problem, time_limit=10, gap=0.0)
    optimum = brute_force(problem)
    assert abs(result.objective - optimum) <= 1e-6 * max(1.0, optimum)
    assert result.bound is not None and result.bound <= optimum + 1e-6


def test_hand_worked_example() -> None:
    """Two reps of capacity 10, target (8 + 2) / 20 = 50 %, band 40-60 % = 4 to 6 points.
    Ann holds 8 points (four B accounts), Bo 2: Ann is 2 points over, Bo 2 under, 20 points
    of balance penalty (weight 10 x (2 + 2) = 40). Moving one B account (cost 1.5) brings both to
    6 and 4, inside the band: objective 1.5, one move."""
    reps = (Rep("ann", 10.0), Rep("bo", 10.0))
    units = tuple(Unit(f"A{i}", "ann", 2.0, cost=1.5) for i in range(4)) + (Unit("B0", "bo", 2.0, cost=1.5),)
    problem = Problem(reps, units, Settings(tolerance=0.1))
    assert evaluate(problem, problem.current()).objective == 40.0
    result = solve(problem)
    assert result.objective == 1.5 and result.gap == 0.0
    assert evaluate(problem, result.assignment).moves == 1
