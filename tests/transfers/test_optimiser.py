import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookwise.transfers.optimiser import Item, Problem, Slot, evaluate, greedy, optimise
from tests.properties import examples


def problem(accounts, reps, scores, **kw):
    return Problem(
        accounts=[Item(a, p) for a, p in accounts],
        reps=[Slot(r, c, load) for r, c, load in reps],
        scores=scores,
        **kw,
    )


def brute_force(p: Problem):
    """Best objective over every complete feasible assignment (None when none). Reps already
    full are left out of the balance term, as `optimise` documents."""
    from dataclasses import replace

    usable = replace(p, reps=[s for s in p.reps if s.capacity > 0 and s.load < s.capacity])
    allowed = {a: dict(pairs) for a, pairs in p.scores.items()}
    ids = [i.id for i in p.accounts]
    best = None
    for combo in itertools.product(*(list(allowed[a]) for a in ids)):
        plan = dict(zip(ids, combo, strict=True))
        if feasible(p, plan):
            value = evaluate(usable, plan)[0]
            best = value if best is None else max(best, value)
    return best


def feasible(p: Problem, plan) -> bool:
    points = {i.id: i.points for i in p.accounts}
    for slot in p.reps:
        added = sum(points[a] for a, r in plan.items() if r == slot.id)
        if slot.load + added > slot.capacity + 1e-9:
            return False
    return True


def test_greedy_takes_best_candidate_biggest_account_first():
    p = problem(
        [("a", 5), ("b", 2), ("c", 1)],
        [("x", 6, 0), ("y", 3, 0)],
        {"a": [("x", 80), ("y", 90)], "b": [("x", 50), ("y", 60)], "c": [("x", 10), ("y", 70)]},
    )
    assert greedy(p) == {"a": "x", "b": "y", "c": "y"}  # a does not fit y (capacity 3)


def test_optimiser_beats_greedy_when_greedy_is_myopic():
    # Greedy gives the big account to its favourite and strands the small one on a poor fit.
    p = problem(
        [("big", 3), ("small", 2)],
        [("x", 4, 0), ("y", 3, 0)],
        {"big": [("x", 61), ("y", 60)], "small": [("x", 90), ("y", 10)]},
        balance_weight=0,
    )
    assert greedy(p) == {"big": "x", "small": "y"}
    plan = optimise(p)
    assert plan.assignments == {"big": "y", "small": "x"}
    assert plan.objective == 150 and plan.greedy_objective == 71
    assert plan.gap == pytest.approx(0, abs=1e-6)


def test_infeasible_total_capacity_is_explained():
    p = problem(
        [("a", 5), ("b", 5)], [("x", 6, 0), ("y", 3, 0)], {"a": [("x", 1), ("y", 1)], "b": [("x", 1)]}
    )
    plan = optimise(p)
    assert not plan.feasible
    assert plan.shortfalls[0] == {"kind": "total_capacity", "needed": 10, "available": 9, "short": 1}


def test_account_that_fits_nowhere_is_named():
    p = problem(
        [("a", 5), ("b", 1)], [("x", 10, 7), ("y", 10, 8)], {"a": [("x", 1), ("y", 1)], "b": [("x", 1)]}
    )
    plan = optimise(p)
    assert not plan.feasible
    assert {
        "kind": "account_fits_nowhere",
        "account_id": "a",
        "points": 5,
        "max_headroom": 3,
    } in plan.shortfalls


def test_packing_shortfall_when_total_fits_but_pieces_do_not():
    p = problem(
        [("a", 2), ("b", 2)],
        [("x", 3, 0), ("y", 3, 0), ("z", 1, 0)],
        {"a": [("x", 1)], "b": [("x", 1), ("z", 1)]},
    )
    plan = optimise(p)
    assert not plan.feasible and plan.shortfalls[0]["kind"] == "packing"


def test_empty_book_is_trivially_feasible():
    assert optimise(problem([], [("x", 5, 0)], {})).feasible


@st.composite
def instances(draw, max_accounts=5, max_reps=3):
    n_acc = draw(st.integers(1, max_accounts))
    n_rep = draw(st.integers(1, max_reps))
    accounts = [(f"a{i}", draw(st.sampled_from([1, 2, 5]))) for i in range(n_acc)]
    reps = []
    for j in range(n_rep):
        cap = draw(st.integers(1, 12))
        reps.append((f"r{j}", cap, draw(st.integers(0, cap))))
    scores = {}
    for a, _ in accounts:
        allowed = draw(st.lists(st.sampled_from([r for r, _, _ in reps]), min_size=1, unique=True))
        scores[a] = [(r, draw(st.integers(0, 100))) for r in allowed]
    weight = draw(st.sampled_from([0.0, 1.0]))
    return problem(accounts, reps, scores, balance_weight=weight, gap_target=0.0)


@example(
    problem([("a0", 1)], [("r0", 1, 1), ("r1", 2, 0)], {"a0": [("r0", 0), ("r1", 0)]}, balance_weight=1.0)
)  # a rep already full does not count in the balance term
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_is_complete_within_capacity_and_at_least_greedy_and_optimal(p):
    plan = optimise(p)
    best = brute_force(p)
    assert plan.feasible == (best is not None)
    if not plan.feasible:
        assert plan.shortfalls
        return
    assert set(plan.assignments) == {i.id for i in p.accounts}
    assert feasible(p, plan.assignments)
    assert all(dict(p.scores[a])[r] == plan.scores[a] for a, r in plan.assignments.items())
    if plan.greedy_objective is not None:
        assert plan.objective >= plan.greedy_objective - 1e-6
    assert plan.objective == pytest.approx(best, abs=1e-6)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_lagrangian_bound_is_never_below_the_optimum(p):
    from dataclasses import replace

    from bookwise.transfers import decompose

    best = brute_force(p)
    usable = replace(p, reps=[s for s in p.reps if s.capacity > 0 and s.load < s.capacity])
    if best is None or len(usable.reps) < len(p.reps):
        return
    arr = decompose.arrays(usable, {s.id: k for k, s in enumerate(usable.reps)})
    assert decompose.lagrangian_bound(arr, p.balance_weight, best, 100) >= best - 1e-6


def test_large_instances_take_the_decomposition_path(monkeypatch):
    import random

    from bookwise.transfers import optimiser

    rng = random.Random(7)
    accounts = [(f"a{i}", rng.choice([1, 2, 5])) for i in range(120)]
    reps = [(f"r{j}", 60, rng.randint(0, 15)) for j in range(8)]
    scores = {a: [(r, rng.randint(0, 100)) for r, _, _ in reps] for a, _ in accounts}
    p = problem(accounts, reps, scores, top_k=4)
    monkeypatch.setattr(optimiser, "LARGE_PAIRS", 10)
    plan = optimise(p)
    assert plan.status.startswith("Decomposed")
    assert set(plan.assignments) == {a for a, _ in accounts} and feasible(p, plan.assignments)
    assert plan.objective >= plan.greedy_objective - 1e-6
    assert plan.bound >= plan.objective - 1e-6 and plan.gap < 0.05


def test_reps_already_over_capacity_are_left_out_not_fatal():
    p = problem(
        [("a", 1), ("b", 2)], [("x", 10, 12), ("y", 10, 0)], {"a": [("x", 90), ("y", 10)], "b": [("y", 5)]}
    )
    plan = optimise(p)
    assert plan.feasible and plan.status == "Optimal" and plan.assignments == {"a": "y", "b": "y"}
    assert plan.bound is not None and plan.max_utilisation == pytest.approx(0.3)
