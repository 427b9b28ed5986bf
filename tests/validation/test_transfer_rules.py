"""The transfer workflow's domain rules (transfers.rules), through the services: the effective
date's window and back-dating, co-coverage, the interview's date and answers, completion and
cancellation. Each "regression" test replays an input issue 11 found accepted on main."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookwise.core.errors import RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.core.validation import InvalidValue
from bookwise.transfers import services
from bookwise.transfers.models import HandoffInterview, Transfer
from tests import factories
from tests.transfers.helpers import SECTIONS, book, draft, introduced

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def in_handoff(org, account=None):
    transfer = draft(org, account or book(org))
    return services.transfer_start_handoff(transfer=transfer, actor=org["M1"].user)


# --- the effective date and co-coverage ---------------------------------------------------


def test_regression_effective_date_far_in_the_future_is_refused(org):
    with pytest.raises(InvalidValue, match=r"Effective date: 2099-12-31 is after 365 days after today"):
        draft(org, book(org), effective_date=date(2099, 12, 31))
    assert not Transfer.objects.exists()


def test_regression_co_coverage_of_99999_days_is_refused(org):
    account = book(org)
    with pytest.raises(InvalidValue, match="Co-coverage days: 99999 is not between 0 and 365"):
        draft(org, account, co_coverage_days=99_999)
    with pytest.raises(InvalidValue, match="Co-coverage days: -1"):
        draft(org, account, co_coverage_days=-1)
    assert not Transfer.objects.exists()


def test_the_window_edges_are_accepted(org):
    assert draft(org, book(org, account_id="E1"), effective_date=TODAY - timedelta(days=30)).pk
    assert draft(org, book(org, account_id="E2"), effective_date=TODAY + timedelta(days=365)).pk
    assert draft(org, book(org, account_id="E3"), co_coverage_days=365).co_coverage_days == 365


def test_regression_back_dating_nine_months_is_refused_for_a_manager(org):
    nine_months = TODAY - timedelta(days=270)
    with pytest.raises(InvalidValue, match="needs an administrator to confirm it with a reason"):
        draft(org, book(org), effective_date=nine_months, backdate_reason="the client asked")
    assert not Transfer.objects.exists()


def test_an_administrator_back_dates_with_a_real_reason_audited(org):
    admin = factories.admin_user()
    account, nine_months = book(org), TODAY - timedelta(days=270)

    def create(reason: str) -> Transfer:
        return services.transfer_create(
            account=account, to_rep=org["R2"], effective_date=nine_months, reason="rebalance",
            actor=admin, backdate_reason=reason,
        )  # fmt: skip

    with pytest.raises(InvalidValue, match="Effective date"):
        create("")
    with pytest.raises(InvalidValue, match="Back-dating reason: '-' is not an answer"):
        create("-")
    transfer = create("Signed in March; the CRM was updated late.")
    entry = AuditEntry.objects.get(action="transfer.backdate", object_id=str(transfer.pk))
    assert entry.actor == admin and entry.data["effective_date"] == nine_months.isoformat()
    assert entry.data["reason"] == "Signed in March; the CRM was updated late."


def test_the_window_is_configurable(org, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "transfer_backdate_days": 400, "transfer_ahead_days": 10}
    assert draft(org, book(org, account_id="W1"), effective_date=TODAY - timedelta(days=300)).pk
    with pytest.raises(InvalidValue, match="10 days after today"):
        draft(org, book(org, account_id="W2"), effective_date=TODAY + timedelta(days=11))


# --- completion -----------------------------------------------------------------------------


def test_regression_a_transfer_that_fell_behind_the_window_is_not_completed_without_a_word(org):
    transfer = introduced(org, book(org))
    Transfer.objects.filter(pk=transfer.pk).update(effective_date=TODAY - timedelta(days=270))
    with pytest.raises(InvalidValue, match="back-dating further needs an administrator"):
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    transfer.refresh_from_db()
    assert transfer.state == "introduced"
    done = services.transfer_complete(
        transfer=transfer, actor=factories.admin_user(), backdate_reason="Agreed with finance in March."
    )
    assert done.state == "completed"
    assert AuditEntry.objects.filter(action="transfer.backdate", object_id=str(transfer.pk)).exists()


def test_a_back_dating_confirmed_at_drafting_carries_to_completion(org):
    admin, account = factories.admin_user(), book(org)
    transfer = services.transfer_create(
        account=account, to_rep=org["R2"], effective_date=TODAY - timedelta(days=100), reason="rebalance",
        actor=admin, backdate_reason="Agreed with finance in March.",
    )  # fmt: skip
    transfer = services.transfer_start_handoff(transfer=transfer, actor=admin)
    services.interview_update(transfer=transfer, actor=admin, **SECTIONS)
    services.transfer_introduce(transfer=transfer, actor=admin, meeting_date=TODAY)
    assert services.transfer_complete(transfer=transfer, actor=org["M1"].user).state == "completed"


def test_incomplete_interview_blocks_completion_naming_the_questions(org):
    transfer = introduced(org, book(org))
    HandoffInterview.objects.filter(transfer=transfer).update(key_contacts=".", ongoing_obstacles="")
    with pytest.raises(RuleViolation) as err:
        services.transfer_complete(transfer=transfer, actor=org["M1"].user)
    assert "Ongoing obstacles, Key contacts and relationships" in err.value.message
    assert err.value.extra["missing"] == ["ongoing_obstacles", "key_contacts"]
    transfer.refresh_from_db()
    assert transfer.state == "introduced"


# --- the interview --------------------------------------------------------------------------


def test_regression_interview_dated_2030_is_refused(org):
    transfer = in_handoff(org)
    with pytest.raises(InvalidValue, match="Interview date: 2030-01-15 is after today"):
        services.interview_update(transfer=transfer, actor=org["M1"].user, interview_date=date(2030, 1, 15))
    assert HandoffInterview.objects.get(transfer=transfer).interview_date is None


def test_interview_dated_before_the_transfer_was_drafted_is_refused(org):
    transfer = in_handoff(org)
    with pytest.raises(InvalidValue, match="before the day the transfer was drafted"):
        services.interview_update(
            transfer=transfer, actor=org["M1"].user, interview_date=TODAY - timedelta(days=1)
        )
    saved = services.interview_update(transfer=transfer, actor=org["M1"].user, interview_date=TODAY)
    assert saved.interview_date == TODAY


@pytest.mark.parametrize("junk", [".", "-", "x", "n/a", " ?? ", "ab"])
def test_regression_placeholder_answers_are_refused(org, junk):
    transfer = in_handoff(org)
    with pytest.raises(InvalidValue, match="Key contacts and relationships: .* is not an answer"):
        services.interview_update(
            transfer=transfer, actor=org["M1"].user, **{**SECTIONS, "key_contacts": junk}
        )
    interview = HandoffInterview.objects.get(transfer=transfer)
    assert interview.key_contacts == "" and interview.submitted_at is None


def test_placeholders_stored_before_the_rule_count_as_missing(org):
    transfer = in_handoff(org)
    services.interview_update(transfer=transfer, actor=org["M1"].user, **SECTIONS)
    HandoffInterview.objects.filter(transfer=transfer).update(recent_sales="-", past_obstacles="x")
    assert services.missing_interview_sections(transfer) == ["recent_sales", "past_obstacles"]
    with pytest.raises(RuleViolation, match="Recent sales .*How past obstacles were handled"):
        services.transfer_introduce(transfer=transfer, actor=org["M1"].user, meeting_date=TODAY)


def test_a_blank_section_may_wait_but_stays_missing(org):
    transfer = in_handoff(org)
    interview = services.interview_update(transfer=transfer, actor=org["M1"].user, key_contacts="")
    assert "key_contacts" in services.missing_interview_sections(transfer) and interview.submitted_at is None


def test_meeting_date_in_the_future_is_refused(org):
    transfer = in_handoff(org)
    services.interview_update(transfer=transfer, actor=org["M1"].user, **SECTIONS)
    with pytest.raises(InvalidValue, match="Meeting date: .* is after today"):
        services.transfer_introduce(
            transfer=transfer, actor=org["M1"].user, meeting_date=TODAY + timedelta(days=3)
        )


def test_waiver_needs_a_real_reason(org):
    transfer = in_handoff(org)
    with pytest.raises(InvalidValue, match="Waiver reason"):
        services.transfer_waive_interview(transfer=transfer, actor=org["M1"].user, reason="-")


# --- cancel ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "-", "."])
def test_regression_cancel_needs_a_real_reason(org, reason):
    transfer = draft(org, book(org))
    with pytest.raises(InvalidValue, match="Cancellation reason"):
        services.transfer_cancel(transfer=transfer, actor=org["M1"].user, reason=reason)
    transfer.refresh_from_db()
    assert transfer.state == "draft" and transfer.cancel_reason == ""
    done = services.transfer_cancel(transfer=transfer, actor=org["M1"].user, reason="  The client objected. ")
    assert (done.state, done.cancel_reason) == ("cancelled", "The client objected.")
