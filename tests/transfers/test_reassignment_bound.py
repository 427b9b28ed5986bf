"""Item 3 of issue 11: the reported bound holds for the whole problem, and the balance limit.

On today's main the first test fails (seed 21: reported bound 2,445 below the full optimum
2,509): the bound came from the model reduced to each account's best two candidates."""

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookwise.transfers import optimiser
from bookwise.transfers.balance import balance_level, optimise_balanced
from bookwise.transfers.optimiser import Item, Problem, Slot, optimise
from tests.properties import examples


def instance(seed: int, n: int = 30, m: int = 8, top_k: int = 2) -> Problem:
    rng = random.Random(seed)
    accounts = [Item(f"a{i}", rng.choice([1, 2, 5])) for i in range(n)]
    reps = [Slot(f"r{j}", rng.randint(10, 30), rng.randint(0, 8)) for j in range(m)]
    scores = {a.id: [(r.id, rng.randint(0, 100)) for r in reps] for a in accounts}
    return Problem(accounts=accounts, reps=reps, scores=scores, top_k=top_k, gap_target=0.0)


@pytest.fixture
def reduced_model(monkeypatch):
    """Force the top_k reduction (small books are otherwise solved on every pair)."""
    monkeypatch.setattr(optimiser, "FULL_PAIRS", 0, raising=False)


@pytest.mark.parametrize("seed", [6, 21, 29, 32, 35, 37, 38, 40, 41, 42])
def test_reported_bound_is_at_least_the_optimum_over_every_candidate(seed, reduced_model):
    p = instance(seed)
    reduced = optimise(p)
    full = optimise(replace(p, top_k=len(p.reps)))  # every pair: HiGHS proves the optimum
    assert full.feasible and full.gap == pytest.approx(0, abs=1e-6)
    assert reduced.bound >= full.objective - 1e-6
    assert reduced.gap >= (full.objective - reduced.objective) / abs(reduced.objective) - 1e-9
    assert reduced.bound_scope.startswith("every candidate pair")


@pytest.mark.parametrize("seed", [3, 21])
def test_balanced_bound_holds_for_the_whole_balanced_problem(seed, reduced_model):
    p = instance(seed)
    reduced = optimise_balanced(p, 0.10)
    full = optimise_balanced(replace(p, top_k=len(p.reps)), 0.10)
    assert reduced.bound >= full.objective - 1e-6


def favourite_problem() -> Problem:
    """72 small accounts; every account scores best with one rep (the "49 of 72 to one rep
    at 100 %" of the issue): without the balance limit the favourite fills up."""
    accounts = [Item(f"a{i}", 2.0) for i in range(72)]
    reps = [Slot("fav", 100, 2), *(Slot(f"r{j}", 100, 40) for j in range(5))]
    scores = {a.id: [("fav", 70.0), *((f"r{j}", 60.0 + j) for j in range(5))] for a in accounts}
    return Problem(accounts=accounts, reps=reps, scores=scores, gap_target=0.0)


def utilisations(p: Problem, plan) -> dict[str, float]:
    added = {s.id: sum(i.points for i in p.accounts if plan.assignments[i.id] == s.id) for s in p.reps}
    return {s.id: (s.load + added[s.id]) / s.capacity for s in p.reps if added[s.id] > 0}


def test_without_the_limit_one_favourite_takes_almost_everything():
    p = favourite_problem()
    plain = optimise(p)
    assert utilisations(p, plain)["fav"] >= 0.99  # the defect the limit fixes


def test_balance_limit_keeps_recipients_within_the_tolerance_of_the_level():
    p = favourite_problem()
    level = balance_level(p)  # (144 + 202) points over 600 of capacity
    assert level == pytest.approx((144 + 2 + 200) / 600, abs=1e-6)
    plan = optimise_balanced(p, 0.10)
    assert plan.feasible and plan.balance["met"] == "both"
    loads = utilisations(p, plan)
    assert max(loads.values()) <= level + 0.10 + 1e-9
    assert min(loads.values()) >= level - 0.10 - 1e-9  # recipients within the tolerance of each other
    assert len(loads) >= 2


def test_balance_limit_gives_way_when_capacity_does_not_allow_it():
    accounts = [Item("big", 9.0), Item("small", 1.0)]
    reps = [Slot("x", 10, 0), Slot("y", 10, 0)]
    p = Problem(accounts=accounts, reps=reps, scores={"big": [("x", 1)], "small": [("x", 1), ("y", 1)]})
    plan = optimise_balanced(p, 0.10)  # level 0.5: "big" fits nowhere under 0.6
    assert plan.feasible and plan.balance["met"] == "none" and plan.assignments["big"] == "x"


def test_small_books_are_solved_on_every_candidate():
    p = instance(21)
    plan = optimise(p)  # 240 pairs: no reduction, HiGHS proves the optimum of the whole problem
    assert plan.bound_scope == "every candidate pair (HiGHS)" and plan.gap == pytest.approx(0, abs=1e-6)


@st.composite
def books(draw) -> Problem:
    n, m = draw(st.integers(8, 20)), draw(st.integers(3, 6))
    accounts = [Item(f"a{i}", draw(st.sampled_from([1.0, 2.0, 5.0]))) for i in range(n)]
    reps = []
    for j in range(m):
        cap = draw(st.integers(8, 30))
        reps.append(Slot(f"r{j}", cap, draw(st.integers(0, cap // 2))))
    scores = {a.id: [(r.id, draw(st.integers(0, 100))) for r in reps] for a in accounts}
    return Problem(accounts=accounts, reps=reps, scores=scores, top_k=1, gap_target=0.0)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_bound_of_the_reduced_model_holds_for_every_pair_hypothesis(p):
    """Each account's single best candidate in the model; the full problem solved on every
    pair. On main a falsifying example comes within a few dozen."""
    optimiser.FULL_PAIRS, saved = 0, optimiser.FULL_PAIRS  # force the reduction
    try:
        plan = optimise(p)
    finally:
        optimiser.FULL_PAIRS = saved
    full = optimise(replace(p, top_k=len(p.reps)))
    if plan.feasible and full.feasible:
        assert plan.bound >= full.objective - 1e-6


def test_large_books_keep_the_balance_ceiling(monkeypatch):
    monkeypatch.setattr(optimiser, "LARGE_PAIRS", 10)
    p = favourite_problem()
    plan = optimise_balanced(p, 0.10)
    assert plan.status.startswith("Decomposed") and plan.balance["met"] in {"both", "ceiling"}
    assert max(utilisations(p, plan).values()) <= plan.balance["ceiling"] + 1e-9
    assert plan.bound >= plan.objective
