from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from bookwise.plans.models import AccountPlan
from bookwise.retention.services import tier_pin
from bookwise.team.selectors.signals import rep_signals, signal_list
from bookwise.transfers.models import Transfer
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 28)  # a Sunday: the last six weeks start on Mondays 2026-05-18 .. 2026-06-22
LAST_SIX = [date(2026, 5, 18) + timedelta(weeks=i) for i in range(6)]


def keys(result):
    return [s.key for s in result.signals]


def one(org, name="R1"):
    return rep_signals([org[name]], DAY)[0]


def log_week(rep, monday, per_day):
    for i in range(5):
        f.activity(rep, monday + timedelta(days=i), str(per_day), "account_nurturing")


def test_long_hours_four_of_six_weeks_with_empty_weeks_counting_zero(org):
    for monday in (LAST_SIX[0], LAST_SIX[2], LAST_SIX[3], LAST_SIX[5]):
        log_week(org["R1"], monday, "10.5")  # 52.5 h
    result = one(org)
    assert result.weeks.long_weeks == 4 and "long_hours" in keys(result)
    assert [h for _, h in result.weeks.weeks] == [D("52.50"), 0, D("52.50"), D("52.50"), 0, D("52.50")]
    evidence = next(s for s in result.signals if s.key == "long_hours").evidence
    assert evidence[0] == "4 of the last 6 weeks above 50 hours"


def test_three_long_weeks_or_exactly_fifty_do_not_fire(org):
    for monday in LAST_SIX[:3]:
        log_week(org["R1"], monday, "10.5")
    log_week(org["R1"], LAST_SIX[4], "10")  # exactly 50
    assert "long_hours" not in keys(one(org))


def test_over_capacity_links_to_the_smallest_account(org):
    r1 = org["R1"]
    r1.capacity = 3
    r1.save()
    big, small = f.account("BIG", owner=r1), f.account("SMALL", owner=r1)
    f.account("ZERO", owner=r1)
    f.account("ALSO0", owner=r1)
    f.order(big, date(2026, 3, 1), "900.00")
    f.order(small, date(2026, 3, 1), "10.00")
    result = one(org)
    assert result.load.points == D(8)  # BIG tier A 5 + three tier C 1 each
    assert "over_capacity" in keys(result)
    assert result.delegate_url == "/transfers/new/ALSO0/"  # no revenue, first by id


def test_key_accounts_above_the_limit(org, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "key_accounts_limit": 1}
    admin = f.admin_user()
    a1, a2 = f.account("K1", owner=org["R1"]), f.account("K2", owner=org["R1"])
    tier_pin(account=a1, tier="A", actor=admin)
    assert "key_accounts" not in keys(one(org))
    tier_pin(account=a2, tier="A", actor=admin)
    result = one(org)
    assert result.key_accounts == 2 and "key_accounts" in keys(result)


def test_activity_falling_while_load_rises(org):
    for monday in LAST_SIX:
        f.activity(org["R1"], monday - timedelta(weeks=6), "8", "prospecting")
        f.activity(org["R1"], monday, "4", "prospecting")
    f.account("OLD", owner=org["R1"], since=date(2020, 1, 1))
    f.account("NEWER", owner=org["R1"], since=date(2026, 6, 1))
    result = one(org)
    assert "activity_falling_load_rising" in keys(result)
    evidence = next(s for s in result.signals if s.key == "activity_falling_load_rising").evidence
    assert evidence == ["hours logged fell from 48.00 (6 weeks before) to 24.00 (last 6 weeks)",
                        "load rose from 1 to 2 points"]  # fmt: skip


def test_rising_share_of_overdue_reviews(org):
    a = f.account("P1", owner=org["R1"])
    AccountPlan.objects.create(
        account=a,
        year=2026,
        status="approved",
        cadence="monthly",
        version=1,
        first_approved_on=date(2026, 5, 20),
    )
    # First review due 2026-06-20: 8 days late on 2026-06-28, not yet due on 2026-05-31.
    result = one(org)
    signal = next(s for s in result.signals if s.key == "overdue_reviews")
    assert signal.evidence == ["share of approved plans with an overdue review: 0 four weeks ago, 1 now"]


def test_rising_unanswered_transfers(org):
    a = f.account("T1", owner=org["R1"])
    t = Transfer.objects.create(
        account=a, from_rep=org["R1"], to_rep=org["R3"], effective_date=date(2026, 6, 10), reason="rebalance"
    )
    Transfer.objects.filter(pk=t.pk).update(created_at=datetime(2026, 5, 1, tzinfo=UTC))
    assert "unanswered_transfers" in keys(one(org))
    assert "unanswered_transfers" in keys(one(org, "R3"))
    assert "unanswered_transfers" not in keys(one(org, "R2"))


def test_quiet_rep_has_no_signals(org):
    result = one(org, "R4")
    assert result.signals == [] and result.delegate_url is None


def test_signals_are_scoped(org):
    assert [s.rep.external_id for s in signal_list(user=org["R1"].user, day=DAY)] == ["R1"]
    assert {s.rep.external_id for s in signal_list(user=org["M2"].user, day=DAY)} == {"M2", "R3", "R4"}
