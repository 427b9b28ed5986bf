"""Balancing revenue or potential besides workload (Settings.balance): a hard band around
each rep's capacity share of the scope's total, widened to today's figure for a rep already
outside it. Plans keep every rep inside its band, the solver stays optimal (brute force) and
the aggregated bound stays a bound."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.rebalance import aggregate
from bookwise.rebalance.problem import Problem, Rep, Settings, Unit, figures
from bookwise.rebalance.solve import solve

from .test_solver_properties import QUICK, brute_force, problems


@st.composite
def balanced(draw: st.DrawFn) -> Problem:
    base = draw(problems())
    money = st.integers(0, 100).map(float)
    reps = tuple(replace(r, fixed_revenue=draw(money), fixed_potential=draw(money)) for r in base.reps)
    units = tuple(replace(u, potential=draw(money)) for u in base.units)
    config = replace(
        base.settings,
        balance=draw(st.sampled_from(["revenue", "potential"])),
        balance_tolerance=draw(st.sampled_from([0.0, 0.2, 0.5, 1.0])),
    )
    return Problem(reps=reps, units=units, settings=config)


def strict_band(problem: Problem, rep: Rep) -> tuple[float, float]:
    """The band without today's widening: the capacity share of the total +- the tolerance."""
    total = sum(figures(problem, problem.current()).values())
    capacity = sum(r.capacity for r in problem.reps if not r.leaving)
    target = 0.0 if rep.leaving or capacity <= 0 else total * rep.capacity / capacity
    tol = problem.settings.balance_tolerance
    return target * (1 - tol) - 1e-6, target * (1 + tol) + 1e-6


def outside(band: tuple[float, float], x: float) -> float:
    return max(0.0, band[0] - x, x - band[1])


@QUICK
@given(balanced())
def test_every_rep_ends_inside_its_band(problem: Problem) -> None:
    result = solve(problem, time_limit=10)
    after, before = figures(problem, result.assignment), figures(problem, problem.current())
    for rep in problem.reps:
        low, high = problem.figure_band(rep)
        assert low - 1e-6 <= after[rep.id] <= high + 1e-6
        strict = strict_band(problem, rep)
        assert outside(strict, after[rep.id]) <= outside(strict, before[rep.id]) + 1e-6  # inside stays inside


@QUICK
@given(balanced())
def test_objective_equals_brute_force_with_the_balance_on(problem: Problem) -> None:
    result = solve(problem, time_limit=10, gap=0.0)
    optimum = brute_force(problem)  # brute force refuses plans outside the band (violations)
    assert abs(result.objective - optimum) <= 1e-6 * max(1.0, optimum)
    assert result.bound is not None and result.bound <= optimum + 1e-6
    assert aggregate.solve(problem, time_limit=10, gap=0.0).bound <= optimum + 1e-6  # type: ignore[operator]


def test_a_revenue_band_changes_which_account_moves() -> None:
    """Ann holds two B accounts (4 points of 10, target 2 each) and all the revenue (100);
    Bo none. On points alone the cheaper move is A1 (worth 90). With revenue balanced at 15 %
    Bo's band is 42.5-57.5 widened to today's 0, so up to 57.5: A1 would put Bo at 90, A2
    (worth 10) moves instead, and both reps end no further from their band than today."""
    reps = (Rep("ann", 10.0), Rep("bo", 10.0))
    units = (Unit("A1", "ann", 2.0, revenue=90.0, cost=1.0), Unit("A2", "ann", 2.0, revenue=10.0, cost=1.5))
    off = solve(Problem(reps, units, Settings(tolerance=0.0)))
    assert off.assignment == {"A1": "bo", "A2": "ann"}
    on = Problem(reps, units, Settings(tolerance=0.0, balance="revenue", balance_tolerance=0.15))
    assert on.figure_band(reps[1]) == (0.0, pytest.approx(57.5))
    assert solve(on).assignment == {"A1": "ann", "A2": "bo"}
