from datetime import date, timedelta

import pytest
from django.core import mail

from bookwise.accounts.models import Ownership
from bookwise.core.errors import Conflict, Forbidden, RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.transfers import coverage, services
from bookwise.transfers.models import HandoffInterview
from bookwise.transfers.selectors import latest_handoff_interview
from tests import factories
from tests.transfers.helpers import EFFECTIVE, SECTIONS, book, draft, introduced

pytestmark = pytest.mark.django_db


def history(account):
    return [
        (o.rep.external_id, o.role, o.start_date, o.end_date, o.reason)
        for o in Ownership.objects.filter(account=account)
        .select_related("rep")
        .order_by("role", "start_date")
    ]


def test_draft_records_from_rep_and_default_co_coverage(org):
    transfer = draft(org, book(org))
    assert transfer.state == "draft"
    assert transfer.from_rep == org["R1"] and transfer.to_rep == org["R2"]
    assert transfer.co_coverage_days == 90
    assert AuditEntry.objects.filter(action="transfer.create", object_id=str(transfer.pk)).exists()


def test_full_workflow_writes_history_with_co_coverage(org, django_capture_on_commit_callbacks):
    account = book(org)
    with django_capture_on_commit_callbacks(execute=True):
        transfer = introduced(org, account)
        transfer = services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    assert transfer.state == "completed"
    assert transfer.co_coverage_end == EFFECTIVE + timedelta(days=89)
    assert history(account) == [
        ("R1", "primary", date(2020, 1, 1), EFFECTIVE - timedelta(days=1), "import"),
        ("R2", "primary", EFFECTIVE, None, "rebalance"),
        ("R1", "secondary", EFFECTIVE, EFFECTIVE + timedelta(days=89), "rebalance"),
    ]
    actions = list(
        AuditEntry.objects.filter(object_id=str(transfer.pk), object_type="transfers.transfer").values_list(
            "action", flat=True
        )
    )
    assert {
        "transfer.create",
        "transfer.handoff",
        "transfer.interview",
        "transfer.introduce",
        "transfer.complete",
    } <= set(actions)
    assert any("ready to complete" in m.body for m in mail.outbox)
    assert latest_handoff_interview(account=account).key_contacts == SECTIONS["key_contacts"]


def test_end_co_coverage_is_idempotent_and_keeps_the_end_date(org):
    account = book(org)
    transfer = services.transfer_complete(transfer=introduced(org, account), actor=org["M1"].user)
    end = transfer.co_coverage_end
    assert coverage.co_coverage_end_due(day=end) == []  # still running on its last day
    assert len(coverage.co_coverage_end_due(day=end + timedelta(days=1))) == 1
    assert coverage.co_coverage_end_due(day=end + timedelta(days=1)) == []
    secondary = Ownership.objects.get(account=account, role="secondary")
    assert secondary.end_date == end and secondary.rep == org["R1"]


def test_no_co_coverage_when_zero_days(org):
    account = book(org)
    transfer = introduced(org, account, co_coverage_days=0)
    services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    assert not Ownership.objects.filter(account=account, role="secondary").exists()


def test_handoff_prefills_recent_sales_and_opportunities(org):
    account = book(org)
    factories.opportunity(account, stage="proposal", amount="5000.00", close=date(2026, 9, 1))
    transfer = services.transfer_start_handoff(
        transfer=draft(org, account), actor=org["M1"].user, day=date(2026, 5, 1)
    )
    interview = HandoffInterview.objects.get(transfer=transfer)
    assert "Paper: 1200.00" in interview.recent_sales
    assert "5000.00" in interview.upcoming_opportunities
    assert set(interview.missing_sections()) == {"ongoing_obstacles", "past_obstacles", "key_contacts"}


def test_incomplete_interview_blocks_introduction(org):
    transfer = services.transfer_start_handoff(transfer=draft(org, book(org)), actor=org["M1"].user)
    with pytest.raises(RuleViolation) as err:
        services.transfer_introduce(transfer=transfer, actor=org["M1"].user, meeting_date=EFFECTIVE)
    assert "key_contacts" in err.value.extra["missing"]


def test_waiver_needs_a_reason_and_lets_the_transfer_through(org):
    transfer = services.transfer_start_handoff(transfer=draft(org, book(org)), actor=org["M1"].user)
    with pytest.raises(RuleViolation):
        services.transfer_waive_interview(transfer=transfer, actor=org["M1"].user, reason="  ")
    services.transfer_waive_interview(transfer=transfer, actor=org["M1"].user, reason="R1 has left")
    transfer = services.transfer_introduce(transfer=transfer, actor=org["M1"].user, meeting_date=EFFECTIVE)
    assert transfer.state == "introduced"


def test_rep_cannot_waive_or_complete(org):
    transfer = introduced(org, book(org))
    with pytest.raises(Forbidden):
        services.transfer_complete(transfer=transfer, actor=org["R1"].user)
    with pytest.raises(Forbidden):
        services.transfer_waive_interview(transfer=transfer, actor=org["R2"].user, reason="x")


def test_other_team_manager_cannot_start(org):
    with pytest.raises(Forbidden):
        draft(org, book(org), actor_key="M2")


def test_cancelled_transfer_cannot_move_on(org):
    transfer = draft(org, book(org))
    services.transfer_cancel(transfer=transfer, actor=org["M1"].user, reason="changed our mind")
    with pytest.raises(Conflict):
        services.transfer_start_handoff(transfer=transfer, actor=org["M1"].user)
    with pytest.raises(Conflict):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)


def test_completing_twice_is_a_conflict(org):
    transfer = introduced(org, book(org))
    services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    with pytest.raises(Conflict):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)


def test_only_one_open_transfer_per_account(org):
    account = book(org)
    draft(org, account)
    with pytest.raises(Conflict):
        draft(org, account)


def test_over_capacity_recipient_refused(org):
    org["R2"].capacity = 0
    org["R2"].save()
    with pytest.raises(RuleViolation, match="over capacity"):
        draft(org, book(org))


def test_departing_recipient_refused(org):
    org["R2"].end_date = date(2026, 12, 31)
    org["R2"].save()
    with pytest.raises(RuleViolation, match="leaving"):
        draft(org, book(org))


def test_recipient_who_became_overloaded_is_refused_at_completion(org):
    transfer = introduced(org, book(org))
    org["R2"].capacity = 0
    org["R2"].save()
    with pytest.raises(RuleViolation):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    transfer.refresh_from_db()
    assert transfer.state == "introduced"


def test_owner_changed_since_draft_is_a_conflict(org):
    account = book(org)
    transfer = introduced(org, account)
    Ownership.objects.filter(account=account, end_date__isnull=True).update(end_date=date(2026, 2, 1))
    factories.own(account, org["R3"], date(2026, 2, 2))
    with pytest.raises(Conflict, match="changed owner"):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)


def test_incoming_secondary_owner_becomes_primary(org):
    account = book(org)
    factories.own(account, org["R2"], date(2025, 1, 1), role="secondary")
    services.transfer_complete(transfer=introduced(org, account), actor=org["M1"].user)
    rows = history(account)
    assert ("R2", "secondary", date(2025, 1, 1), EFFECTIVE - timedelta(days=1), "import") in rows
    assert ("R1", "secondary", EFFECTIVE, EFFECTIVE + timedelta(days=89), "rebalance") in rows


def test_secondary_transfer_moves_the_secondary_only(org):
    account = book(org)
    factories.own(account, org["R2"], date(2025, 1, 1), role="secondary")
    transfer = introduced(org, account, to_key="R3", actor_key="D1", role="secondary")
    assert transfer.from_rep == org["R2"] and transfer.co_coverage_days == 0
    services.transfer_complete(transfer=transfer, actor=org["D1"].user)
    rows = history(account)
    assert ("R1", "primary", date(2020, 1, 1), None, "import") in rows
    assert ("R3", "secondary", EFFECTIVE, None, "rebalance") in rows
