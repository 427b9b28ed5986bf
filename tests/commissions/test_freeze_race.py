"""A transfer completed into a period and the approval of that period's run cannot both
win: the approval refuses a run whose ownership history changed after it was computed,
and the two are serialised (accounts.frozen: a shared lock for every reader of the frozen
periods, an exclusive one for the approval), so at the very same moment exactly one of
them succeeds and the history stays the one the approved run paid by."""

import threading

import pytest
from django.db import connection, connections

from bookwise.accounts.models import Ownership
from bookwise.commissions.models import Run
from bookwise.commissions.services import plan_file_load, run_approve, run_compute
from bookwise.core.errors import Conflict
from bookwise.core.validation import InvalidValue
from bookwise.transfers import services as transfers
from tests import factories as f
from tests.transfers.helpers import EFFECTIVE, introduced

pytestmark = pytest.mark.django_db(transaction=True)
QUARTER = f"{EFFECTIVE.year}-Q{(EFFECTIVE.month - 1) // 3 + 1}"
PLAN = f"""\
plans:
  - name: AM {EFFECTIVE.year}
    roles: [account_manager, hunter]
    valid_from: {EFFECTIVE.year}-01-01
    valid_to: {EFFECTIVE.year}-12-31
    period: quarter
    base: amount
    quota: 100000
    tiers:
      - {{from: 0.0, rate: 0.05}}
"""


@pytest.fixture
def ready(org):
    """A draft run of the current quarter and a transfer into it, ready to complete."""
    plan_file_load(text=PLAN, filename="plans.yaml")
    account = f.account("ACME", owner=org["R1"], territory=org["R1"].territory)
    f.order(account, EFFECTIVE.replace(day=1), "1200.00", external_id="O1")
    run = run_compute(period=QUARTER)
    return run, introduced(org, account, to_key="R2")


def _owner_now() -> str:
    held = Ownership.objects.get(account__external_id="ACME", role="primary", end_date__isnull=True)
    return held.rep.external_id


def test_a_run_is_not_approved_once_a_transfer_changed_its_period(org, ready):
    run, transfer = ready
    transfers.transfer_complete(transfer=transfer, actor=org["M1"].user)
    with pytest.raises(Conflict) as refused:
        run_approve(run=run, actor=None)
    assert refused.value.message == (
        f"Who owned ACME during {QUARTER} changed after this run was computed; "
        "compute the run again, then approve it."
    )
    assert Run.objects.get(pk=run.pk).status == "draft"
    assert run_approve(run=run_compute(period=QUARTER), actor=None).approved


def test_a_transfer_is_not_completed_into_a_period_approved_since_its_drafting(org, ready):
    run, transfer = ready
    run_approve(run=run, actor=None)
    with pytest.raises(InvalidValue, match="commission run is approved and frozen"):
        transfers.transfer_complete(transfer=transfer, actor=org["M1"].user)
    assert _owner_now() == "R1"


@pytest.mark.postgres_only
def test_approval_and_completion_at_the_same_moment_exactly_one_wins(org, ready):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (SQLite serialises every write)")
    run, transfer = ready
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(name: str, action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
            outcomes[name] = "won"
        except (Conflict, InvalidValue):
            outcomes[name] = "refused"
        finally:
            connections.close_all()

    approve = threading.Thread(target=attempt, args=("approve", lambda: run_approve(run=run, actor=None)))
    complete = threading.Thread(
        target=attempt,
        args=("complete", lambda: transfers.transfer_complete(transfer=transfer, actor=org["M1"].user)),
    )
    for thread in (approve, complete):
        thread.start()
    for thread in (approve, complete):
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "won"]
    approved = Run.objects.get(pk=run.pk).status == "approved"
    assert approved == (outcomes["approve"] == "won")
    assert _owner_now() == ("R1" if approved else "R2")
