"""Pinning accounts out of realignment through the API (units; the live server's cases are in
tests/live/cases_rebalance.py, the command line's in test_command.py): who may, what a pin
does to a proposal, and that each change is audited."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bookwise.core.models import AuditEntry
from bookwise.rebalance.models import RealignmentPin
from tests.rebalance.world import team

NOTE = {"note": "Key contract until 2030"}


@pytest.fixture
def world(org):
    return team(org)


def put(client, account_id: str, body=NOTE):  # noqa: ANN001
    return client.put(f"/api/rebalance/pins/{account_id}", body, content_type="application/json")


def test_a_manager_pins_an_account_of_their_team_and_the_proposal_leaves_it(world, login):
    m1 = login(world["M1"])
    answer = put(m1, "AC-00")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"account_id": "AC-00", "name": "Customer AC-00", "note": NOTE["note"],
                             "pinned_by": "m1", "since": timezone.localdate().isoformat()}  # fmt: skip
    assert m1.get("/api/rebalance/pins").json() == [answer.json()]
    body = {"scope": "team:M1", "scenarios": [{}]}
    [proposal] = m1.post("/api/rebalance/proposals", body, content_type="application/json").json()
    assert "AC-00" not in [m["account_id"] for m in proposal["moves"]]
    assert proposal["left_out"] == [
        {"account_id": "AC-00", "name": "Customer AC-00", "reason": "pinned out of realignment"}
    ]
    assert m1.delete("/api/rebalance/pins/AC-00").json() == {"account_id": "AC-00", "pinned": False}
    assert not RealignmentPin.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="rebalance.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["rebalance.pin", "rebalance.propose", "rebalance.unpin"]


def test_reps_may_not_pin_and_other_teams_accounts_do_not_exist(world, login):
    rep = login(world["R1"])
    assert put(rep, "AC-00").status_code == 403  # R1's own account
    assert rep.get("/api/rebalance/pins").status_code == 403
    assert put(login(world["M2"]), "AC-00").status_code == 404
    assert login(world["M2"]).delete("/api/rebalance/pins/AC-00").status_code == 404
    assert put(login(world["D1"]), "AC-01").status_code == 200
    assert list(RealignmentPin.objects.values_list("account__external_id", flat=True)) == ["AC-01"]
