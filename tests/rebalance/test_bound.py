"""The aggregated model (aggregate.py) is a relaxation of the whole problem: its bound is
never above the brute-force optimum, with shapes (whole units per class) or without (points);
with shapes its optimum packs exactly (pack.py) into an optimal plan."""

from __future__ import annotations

import pytest
from hypothesis import given

from bookwise.rebalance import aggregate
from bookwise.rebalance.pack import pack
from bookwise.rebalance.problem import Problem, evaluate, violations

from .test_solver_properties import QUICK, brute_force, problems


@QUICK
@given(problems())
def test_aggregated_bound_is_at_most_the_optimum_and_packs_to_it(problem: Problem) -> None:
    outcome = aggregate.solve(problem, time_limit=10, gap=0.0)
    optimum = brute_force(problem)
    assert outcome.bound is not None and outcome.bound <= optimum + 1e-6
    plan = pack(problem, outcome)
    assert violations(problem, plan) == []
    if outcome.status == "Optimal":
        assert abs(evaluate(problem, plan).objective - optimum) <= 1e-6 * max(1.0, optimum)


@QUICK
@given(problems())
def test_bound_without_shapes_is_at_most_the_optimum(problem: Problem) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aggregate, "MAX_SHAPES", 0)  # classes by territory and window only
        assert not aggregate.shaped(problem) or not problem.units
        outcome = aggregate.solve(problem, time_limit=10, gap=0.0)
    assert outcome.bound is not None and outcome.bound <= brute_force(problem) + 1e-6
    assert violations(problem, pack(problem, outcome)) == []
