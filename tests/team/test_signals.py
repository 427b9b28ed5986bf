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


def test_hours_ceiling_four_of_six_weeks_with_empty_weeks_counting_zero(org):
    for monday in (LAST_SIX[0], LAST_SIX[2], LAST_SIX[3], LAST_SIX[5]):
        log_week(org["R1"], monday, "10.5")  # 52.5 h
    result = one(org)
    assert result.weeks.long_weeks == 4 and "hours_ceiling" in keys(result)
    assert "long_hours" not in keys(result)  # no baseline to compare with
    assert [h for _, h in result.weeks.weeks] == [D("52.50"), 0, D("52.50"), D("52.50"), 0, D("52.50")]
    signal = next(s for s in result.signals if s.key == "hours_ceiling")
    assert signal.label == "Above the 50-hour ceiling"
    assert signal.evidence == ["4 of the last 6 weeks above 50 hours",
                               "hours worked, week by week: 53, 0, 53, 53, 0 and 53"]  # fmt: skip


def test_three_long_weeks_or_exactly_fifty_do_not_pass_the_ceiling(org):
    for monday in LAST_SIX[:3]:
        log_week(org["R1"], monday, "10.5")
    log_week(org["R1"], LAST_SIX[4], "10")  # exactly 50
    assert "hours_ceiling" not in keys(one(org))


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


BASELINE = [date(2026, 5, 18) - timedelta(weeks=i) for i in range(12, 0, -1)]  # 2026-02-23 .. 05-11


def rising_load(org):
    """R1 (capacity 20): OLD since 2020 (tier C, 1 point); NEWER from 2026-06-01, the only
    revenue (tier A, 5 points): load 1 six weeks ago, 6 now: a rise of 5 >= max(5, 10 % of 20)."""
    org["R1"].capacity = 20
    org["R1"].save()
    f.account("OLD", owner=org["R1"], since=date(2020, 1, 1))
    newer = f.account("NEWER", owner=org["R1"], since=date(2026, 6, 1))
    f.order(newer, date(2026, 6, 2), "900.00")


def test_activity_falling_against_own_baseline_while_load_rises(org):
    """Usual 40 h a week over the 12 weeks before; 28 h in each of the last 6: 30 % less, lower
    in 6 of 6 weeks; load 1 -> 6 points."""
    for monday in BASELINE:
        log_week(org["R1"], monday, "8")
    for monday in LAST_SIX:
        log_week(org["R1"], monday, "5.6")
    rising_load(org)
    result = one(org)
    evidence = next(s for s in result.signals if s.key == "activity_falling_load_rising").evidence
    assert evidence == [
        "logged 28 hours a week over the last 6 weeks, against their usual 40 hours a week over the "
        "12 weeks before: 30 % less, lower in 6 of 6 weeks",
        "load rose from 1 to 6 points (5 points, 25 % of capacity)",
    ]


def test_a_holiday_week_is_left_out(org):
    """Usual 40 h; 34 h in five of the last weeks and 10 h in a week holding a public holiday.
    Counted, the holiday week would make it (5 x 34 + 10) / 6 = 30 h, 25 % less in 6 of 6 weeks:
    the signal would fire. Left out, 34 h is 15 % less: under the 20 % minimum."""
    from bookwise.team.models import NonWorkingDay

    for monday in BASELINE:
        log_week(org["R1"], monday, "8")
    for monday in LAST_SIX:
        if monday == LAST_SIX[2]:
            f.activity(org["R1"], monday, "10", "account_nurturing")
        else:
            log_week(org["R1"], monday, "6.8")
    rising_load(org)
    assert "activity_falling_load_rising" in keys(one(org))  # without the calendar
    NonWorkingDay.objects.create(date=LAST_SIX[2] + timedelta(days=1), reason="Public holiday")
    assert "activity_falling_load_rising" not in keys(one(org))


def test_a_one_point_rise_or_a_small_dip_does_not_fire(org):
    for monday in BASELINE:
        log_week(org["R1"], monday, "8")
    for monday in LAST_SIX:
        log_week(org["R1"], monday, "7")  # 35 h: 12.5 % less, under the 20 % minimum
    rising_load(org)
    assert "activity_falling_load_rising" not in keys(one(org))
    org["R1"].activities.filter(date__gte=LAST_SIX[0]).delete()
    for monday in LAST_SIX:
        log_week(org["R1"], monday, "4")
    org["R1"].capacity = 100  # a rise of 5 points is under 10 % of 100
    org["R1"].save()
    assert "activity_falling_load_rising" not in keys(one(org))


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
    words = "share of approved plans with an overdue review: 0 % four weeks ago, {} now"
    assert signal.evidence == [words.format("100 %")]
    for name in ("P2", "P3"):  # two quarterly plans, first review due in August: 1 of 3 overdue
        AccountPlan.objects.create(
            account=f.account(name, owner=org["R1"]), year=2026, status="approved", cadence="quarterly",
            version=1, first_approved_on=date(2026, 5, 20),
        )  # fmt: skip
    signal = next(s for s in one(org).signals if s.key == "overdue_reviews")
    assert signal.evidence == [words.format("33 %")]  # 1/3, rounded: a rise of 33 points
    for name in ("P4", "P5", "P6"):  # 1 of 6 overdue: 17 %, a rise under the 20-point minimum
        AccountPlan.objects.create(
            account=f.account(name, owner=org["R1"]), year=2026, status="approved", cadence="quarterly",
            version=1, first_approved_on=date(2026, 5, 20),
        )  # fmt: skip
    assert "overdue_reviews" not in keys(one(org))
    AccountPlan.objects.filter(account__external_id="P4").update(cadence="monthly")  # 2 of 6: 33 %
    assert "overdue_reviews" in keys(one(org))


def _unanswered(org, account_id):
    t = Transfer.objects.create(
        account=f.account(account_id, owner=org["R1"]), from_rep=org["R1"], to_rep=org["R3"],
        effective_date=date(2026, 6, 10), reason="rebalance",
    )  # fmt: skip
    Transfer.objects.filter(pk=t.pk).update(created_at=datetime(2026, 5, 1, tzinfo=UTC))


def test_rising_unanswered_transfers_by_at_least_two(org):
    """Open past their effective date (2026-06-10) on 2026-06-28, not yet due four weeks before."""
    _unanswered(org, "T1")
    assert "unanswered_transfers" not in keys(one(org))  # 0 -> 1: under the minimum rise of 2
    _unanswered(org, "T2")
    signal = next(s for s in one(org).signals if s.key == "unanswered_transfers")
    assert signal.evidence == ["open transfers past their effective date: 0 four weeks ago, 2 now"]
    assert "unanswered_transfers" in keys(one(org, "R3"))  # the receiving side too
    assert "unanswered_transfers" not in keys(one(org, "R2"))


def test_quiet_rep_has_no_signals(org):
    result = one(org, "R4")
    assert result.signals == [] and result.delegate_url is None


def test_signals_are_scoped(org):
    assert [s.rep.external_id for s in signal_list(user=org["R1"].user, day=DAY)] == ["R1"]
    assert {s.rep.external_id for s in signal_list(user=org["M2"].user, day=DAY)} == {"M2", "R3", "R4"}


def test_longer_hours_than_usual_against_own_baseline_a_holiday_week_left_out(org):
    """Usual 40 h a week (12 weeks); the last 6: 50 h in five and 32 h in the week holding a
    public holiday. Counted, the holiday week makes it (5 x 50 + 32) / 6 = 47 h, 17.5 % more:
    under the 20 % minimum. Left out, 50 h is 25 % (10 h) more in 5 of 5 weeks: fires. Never
    above the 50-hour ceiling (exactly 50 is not above)."""
    from bookwise.team.models import NonWorkingDay

    for monday in BASELINE:
        log_week(org["R1"], monday, "8")
    for monday in LAST_SIX:
        log_week(org["R1"], monday, "6.4" if monday == LAST_SIX[3] else "10")
    assert "long_hours" not in keys(one(org))  # without the calendar
    NonWorkingDay.objects.create(date=LAST_SIX[3] + timedelta(days=4), reason="Public holiday")
    result = one(org)
    assert "hours_ceiling" not in keys(result)
    signal = next(s for s in result.signals if s.key == "long_hours")
    assert signal.label == "Working longer than usual"
    assert signal.evidence == [
        "logged 50 hours a week over the last 6 weeks (1 week off left out), against their usual 40 hours "
        "a week over the 12 weeks before: 25 % more (10 hours a week), higher in 5 of 5 weeks",
        "hours worked, week by week: 50, 50, 50, left out, 50 and 50",
    ]


def test_always_long_hours_pass_the_ceiling_but_are_not_longer_than_usual(org):
    """55 h every week for 18 weeks: nothing changed against their own baseline, so only the
    absolute ceiling speaks."""
    for monday in BASELINE + LAST_SIX:
        log_week(org["R1"], monday, "11")
    found = keys(one(org))
    assert "hours_ceiling" in found and "long_hours" not in found
