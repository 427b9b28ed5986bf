"""Balancing potential (or revenue) besides workload, through the API and the page (the
command line's in test_command.py). World.py's team, where R1's first three accounts have a
potential of 1,000.00 each and the others none: R1 holds 3,000.00 of potential, R5 none."""

from __future__ import annotations

import pytest

from bookwise.rebalance.models import RebalanceProposal
from tests.rebalance.world import team

BAD_TOLERANCES = (-0.1, 1.5, "-")


@pytest.fixture
def world(org):
    made = team(org)
    for account in made["accounts"][:3]:
        account.potential_revenue = "1000.00"
        account.save(update_fields=["potential_revenue"])
    return made


def inside_bands(proposal: RebalanceProposal, rows: list[dict], figure: str) -> bool:
    """Every rep's figure after is within its share of the total +- the tolerance, or no
    further out than before (the JSON's before/after rows)."""
    tol = proposal.options["balance_tolerance"]
    staying = {r["rep_id"]: r["capacity"] for r in proposal.reps if not r["leaving"]}
    total = sum(r[figure] for r in proposal.reps)
    before = {r["rep_id"]: r[figure] for r in proposal.reps}
    for row in rows:
        share = total * staying[row["rep_id"]] / sum(staying.values()) if row["rep_id"] in staying else 0.0
        low, high = (
            min(share * (1 - tol), before[row["rep_id"]]),
            max(share * (1 + tol), before[row["rep_id"]]),
        )
        if not low - 0.01 <= row[figure] <= high + 0.01:
            return False
    return True


def test_the_api_balances_potential_and_reports_it(world, login):
    client = login(world["M1"])
    body = {"scope": "team:M1", "scenarios": [{"balance": "potential", "balance_tolerance": "0.2"}]}
    answer = client.post("/api/rebalance/proposals", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    [data] = answer.json()
    assert data["options"]["balance"] == "potential" and data["options"]["balance_tolerance"] == 0.2
    before = {r["rep_id"]: r["potential"] for r in data["before"]}
    assert before["R1"] == 3000.0 and before["R5"] == 0.0
    assert sum(r["potential"] for r in data["after"]) == 3000.0  # moved, not made
    assert set(data["balance_before"]["potential"]) == {"max_ratio", "cv"}
    assert data["balance_after"]["potential"]["cv"] <= data["balance_before"]["potential"]["cv"]
    proposal = RebalanceProposal.objects.get()
    assert inside_bands(proposal, data["after"], "potential")
    assert "revenue" in data["after"][0] and "revenue" not in data["balance_after"]


@pytest.mark.parametrize("tolerance", BAD_TOLERANCES)
def test_the_api_refuses_a_bad_balance_tolerance(world, login, tolerance):
    client = login(world["M1"])
    body = {"scope": "team:M1", "scenarios": [{"balance": "revenue", "balance_tolerance": tolerance}]}
    answer = client.post("/api/rebalance/proposals", body, content_type="application/json")
    assert answer.status_code == 422, answer.content
    said = "a number" if tolerance == "-" else "a share of each rep's target from 0 to 1 (0.15 = within 15 %)"
    assert answer.json()["message"] == f"Balance tolerance: {tolerance!r} is not {said}."
    assert answer.json()["extra"]["field"] == "balance_tolerance"
    assert not RebalanceProposal.objects.exists()


def test_the_api_refuses_an_unknown_figure(world, login):
    body = {"scope": "team:M1", "scenarios": [{"balance": "profit"}]}
    answer = login(world["M1"]).post("/api/rebalance/proposals", body, content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["message"] == "Balance: 'profit' is not one of revenue, potential (or empty: off)."


FORM = {"scope": "team:M1", "s1_on": "on", "s1_tolerance": "10", "s1_keep_territory": "off",
        "s2_keep_territory": "off", "s3_keep_territory": "off"}  # fmt: skip


def test_the_page_balances_potential(world, login):
    client = login(world["M1"])
    assert 'name="s1_balance"' in client.get("/rebalance/").content.decode()
    answer = client.post("/rebalance/", {**FORM, "s1_balance": "potential", "s1_balance_tolerance": "20 %"})
    assert answer.status_code in (200, 302), answer.content
    proposal = RebalanceProposal.objects.get()
    assert proposal.options["balance"] == "potential" and proposal.options["balance_tolerance"] == 0.2


@pytest.mark.parametrize("typed", ["-5", "150", "-"])
def test_the_page_refuses_a_bad_balance_tolerance(world, login, typed):
    client = login(world["M1"])
    answer = client.post("/rebalance/", {**FORM, "s1_balance": "revenue", "s1_balance_tolerance": typed})
    assert answer.status_code == 400
    message = f"Scenario 1: Balance within (%): &#x27;{typed}&#x27; is not a percentage from 0 to 100"
    assert message in answer.content.decode()
    assert not RebalanceProposal.objects.exists()
