"""Writes: the domain rules, the status lifecycle and its audit, expiry, reminders, and the
at-risk reason retention shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from bookwise.agreements import services
from bookwise.agreements.reminders import reminders_send
from bookwise.core.errors import Conflict, RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.retention.book import at_risk, at_risk_summary
from bookwise.retention.services import revenue_rollup_refresh
from tests import factories

from .helpers import DAY, agreement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"committed_amount": Decimal("0")}, "Committed amount: 0 must be more than 0"),
        ({"committed_amount": Decimal("-5")}, "Committed amount: -5 must be more than 0"),
        ({"end_date": date(2025, 12, 1)}, "End date: 2025-12-01 is before the start date 2026-01-01"),
        (
            {"start_date": date(2099, 1, 1), "end_date": date(2099, 2, 1)},
            "Start date: 2099-01-01 is not between",
        ),
        ({"end_date": date(2040, 1, 1)}, "End date: 2040-01-01 is more than 10 years after"),
        ({"price_terms": "-"}, "Price terms: '-' is not an answer"),
        ({"notice_days": 400}, "Notice period (days): 400 is not between 0 and 365"),
        ({"kind": "handshake"}, "Kind: 'handshake' is not one of blanket, kanban, framework"),
    ],
)
def test_nonsense_is_refused_and_nothing_is_written(org, fields, message):
    a = factories.account("A1", owner=org["R1"])
    with pytest.raises(RuleViolation) as refused:
        agreement(a, **fields)
    assert refused.value.message.startswith(message)
    assert not a.agreements.exists() and not AuditEntry.objects.exists()


def test_a_new_agreement_is_a_draft_or_active(org):
    a = factories.account("A1", owner=org["R1"])
    data = services.AgreementInput("AG-1", "kanban", date(2026, 1, 1), date(2026, 12, 31), Decimal("100"),
                                   status="renewed")  # fmt: skip
    with pytest.raises(RuleViolation, match="Status: a new agreement is draft or active"):
        services.agreement_create(account=a, data=data, actor=None, today=DAY)


def test_an_owner_outside_the_team_is_refused(org):
    a = factories.account("A1", owner=org["R1"])
    data = services.AgreementInput("AG-1", "kanban", date(2026, 1, 1), date(2026, 12, 31), Decimal("100"),
                                   owner=org["R3"])  # fmt: skip
    with pytest.raises(RuleViolation, match="Owner: R3 is not in your team"):
        services.agreement_create(account=a, data=data, actor=org["M1"].user, today=DAY)


def test_status_changes_follow_the_lifecycle_and_are_audited(org):
    a = factories.account("A1", owner=org["R1"])
    ag = agreement(a, status="draft")
    services.agreement_set_status(agreement=ag, status="active", actor=org["M1"].user)
    with pytest.raises(Conflict, match="a active agreement cannot become draft|cannot become draft"):
        services.agreement_set_status(agreement=ag, status="draft", actor=org["M1"].user)
    entry = AuditEntry.objects.filter(action="agreement.status").get()
    assert entry.data["before"] == {"status": "draft"} and entry.data["after"] == {"status": "active"}
    assert entry.account_ref == a.pk and entry.actor == org["M1"].user


def test_an_active_renewal_marks_the_old_agreement_renewed(org):
    a = factories.account("A1", owner=org["R1"])
    old = agreement(a, "AG-1")
    agreement(a, "AG-2", start_date=date(2027, 1, 1), end_date=date(2027, 12, 31), renews=old)
    old.refresh_from_db()
    assert old.status == "renewed"


def test_edits_are_audited_with_before_and_after(org):
    a = factories.account("A1", owner=org["R1"])
    ag = agreement(a)
    services.agreement_update(
        agreement=ag, changes={"committed_amount": Decimal("40000")}, actor=None, today=DAY
    )
    entry = AuditEntry.objects.get(action="agreement.update")
    assert entry.data["before"] == {"committed_amount": "36500.00"} and entry.data["after"] == {
        "committed_amount": "40000.00"
    }
    with pytest.raises(RuleViolation, match="Start date: required"):
        services.agreement_update(agreement=ag, changes={"start_date": None}, actor=None, today=DAY)


def test_ended_agreements_expire_and_reminders_go_once_at_the_notice_date(org):
    org["R1"].email, org["M1"].email = "r1@example.com", "m1@example.com"
    org["R1"].save(), org["M1"].save()
    a = factories.account("A1", owner=org["R1"])
    agreement(a, "AG-1", end_date=date(2026, 3, 31))
    agreement(a, "AG-2", end_date=date(2026, 6, 30), owner=org["R1"], product_line="Valves")
    assert services.agreements_expire_due(day=DAY) == ["AG-1"]
    assert reminders_send(day=date(2026, 3, 31)) == []  # notice from 2026-04-01
    [sent] = reminders_send(day=DAY)
    assert sent["agreement_id"] == "AG-2" and sent["recipients"] == ["r1@example.com", "m1@example.com"]
    assert reminders_send(day=DAY) == [] and len(mail.outbox) <= 1


def test_an_agreement_lapsed_without_renewal_while_revenue_falls_is_an_at_risk_reason(org):
    a = factories.account("A1", owner=org["R1"])
    factories.order(a, date(2025, 2, 1), "10000.00", product_line="Pumps")
    factories.order(a, date(2025, 9, 1), "8000.00", product_line="Pumps")  # -20 %: below the 30 % rule
    agreement(a, "AG-1", start_date=date(2025, 1, 1), end_date=date(2026, 1, 31))
    revenue_rollup_refresh()
    day = date(2026, 6, 1)
    [row] = at_risk(day=day)
    assert row.flag.reasons == (
        "agreement AG-1 ended on 2026-01-31 without renewal while revenue fell 20.0 %",
    )
    assert at_risk_summary(day=day).count == 1 and at_risk(day=day, user=org["R3"].user) == []
    agreement(a, "AG-2", start_date=date(2026, 2, 1), end_date=date(2026, 12, 31))
    assert at_risk(day=day) == []  # renewed: no reason
