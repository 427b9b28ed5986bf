"""The rebalance API fed nonsense: a clear 4xx naming the field, and nothing changes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bookwise.core.models import AuditEntry
from bookwise.rebalance.models import RealignmentPin, RebalanceLine, RebalanceProposal
from bookwise.rebalance.problem import Settings
from bookwise.rebalance.scopes import parse_scope
from bookwise.rebalance.services import propose
from bookwise.transfers.models import Transfer
from tests.rebalance.world import team


@pytest.fixture
def proposal(org):
    world = team(org)
    [p] = propose(
        scope=parse_scope("team:M1"), day=timezone.localdate(), scenarios=[Settings()], actor=org["M1"].user
    )
    return world, p


def snapshot() -> tuple:
    lines = sorted(RebalanceLine.objects.values_list("id", "to_rep_id"))
    return RebalanceProposal.objects.count(), lines, Transfer.objects.count(), AuditEntry.objects.count()


def refused(client, method: str, url: str, payload) -> dict:  # noqa: ANN001
    before = snapshot()
    answer = getattr(client, method)(url, payload, content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.content
    assert answer.json()["message"]
    assert snapshot() == before
    return answer.json()


@pytest.mark.parametrize(
    "body",
    [
        {"scope": "everything"},
        {"scope": "team:"},
        {"scope": "region:Atlantis"},
        {"scope": "team:NOBODY"},
        {"scope": "team:M1", "scenarios": []},
        {"scope": "team:M1", "scenarios": [{}] * 6},
        {"scope": "team:M1", "scenarios": [{"max_moves": -1}]},
        {"scope": "team:M1", "scenarios": [{"max_moves": 2.5}]},
        {"scope": "team:M1", "scenarios": [{"max_moves": "-"}]},
        {"scope": "team:M1", "scenarios": [{"tolerance": 1.5}]},
        {"scope": "team:M1", "scenarios": [{"tolerance": "NaN"}]},
        {"scope": "team:M1", "scenarios": [{"keep_territory": "sometimes"}]},
        {"scope": "team:M1", "scenarios": [{"max_moves_per_rep": "lots"}]},
        {"scope": "team:M1", "scenarios": [{"max_revenue_moved": -5}]},
        {"scope": "team:M1", "scenarios": [{"max_revenue_moved": "-"}]},
        {"scope": "team:M1", "scenarios": [{"max_revenue_moved": "Infinity"}]},
        {"scope": None},
    ],
)
def test_propose_refuses_nonsense(proposal, login, body):
    world, _ = proposal
    refused(login(world["M1"]), "post", "/api/rebalance/proposals", body)


def test_propose_names_the_field(proposal, login):
    world, _ = proposal
    answer = refused(
        login(world["M1"]),
        "post",
        "/api/rebalance/proposals",
        {"scope": "team:M1", "scenarios": [{"tolerance": 3}]},
    )
    assert answer["message"].startswith("Tolerance: ") and answer["extra"]["field"] == "tolerance"


@pytest.mark.parametrize("day", ["2099-12-31", "1900-01-01", "yesterday", "", None])
def test_commit_refuses_nonsense_dates(proposal, login, day):
    world, p = proposal
    refused(
        login(world["M1"]),
        "post",
        f"/api/rebalance/proposals/{p.pk}/commit",
        {"effective_date": day, "confirm": True},
    )


def test_commit_and_discard_need_confirmation(proposal, login):
    world, p = proposal
    m1 = login(world["M1"])
    today = timezone.localdate().isoformat()
    refused(m1, "post", f"/api/rebalance/proposals/{p.pk}/commit", {"effective_date": today})
    refused(m1, "post", f"/api/rebalance/proposals/{p.pk}/discard", {"confirm": False})


@pytest.mark.parametrize("to", ["", "NOBODY", "R3", "R1", "R2", None, 12])
def test_reassign_refuses_nonsense_recipients(proposal, login, to):
    world, p = proposal
    account = p.lines.first().account.external_id
    refused(login(world["M1"]), "put", f"/api/rebalance/proposals/{p.pk}/lines/{account}", {"to": to})


@pytest.mark.parametrize("ref", ["0", "99999999", "-1", "x"])
def test_unknown_proposals_and_lines(proposal, login, ref):
    world, p = proposal
    m1 = login(world["M1"])
    refused(m1, "delete", f"/api/rebalance/proposals/{ref}/lines/AC-00", None)
    refused(m1, "delete", f"/api/rebalance/proposals/{p.pk}/lines/NOPE{ref}", None)


@pytest.mark.parametrize("note", ["", "-", "n/a", "   ", "x" * 301, None, 12])
def test_a_pin_needs_a_real_reason(proposal, login, note):
    world, _ = proposal
    before = RealignmentPin.objects.count()
    answer = refused(login(world["M1"]), "put", "/api/rebalance/pins/AC-01", {"note": note})
    assert RealignmentPin.objects.count() == before and answer["message"]


@pytest.mark.parametrize("ref", ["NOPE", "0", "AC-99"])
def test_unknown_accounts_cannot_be_pinned(proposal, login, ref):
    world, _ = proposal
    refused(login(world["M1"]), "put", f"/api/rebalance/pins/{ref}", {"note": "Key contract until 2030"})
    refused(login(world["M1"]), "delete", f"/api/rebalance/pins/{ref}", None)
