"""The demo company as written to the database (5 % scale)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.accounts.services import Interval, find_overlaps
from bookwise.core.dates import add_months, trailing_12_months
from bookwise.people.models import Region, Rep, Territory

from .conftest import TODAY


def test_organisation(demo):
    assert Region.objects.count() == 3
    assert Territory.objects.count() == 8
    director = Rep.objects.get(role="director")
    managers = Rep.objects.filter(role="sales_manager")
    assert managers.count() == 5 and all(m.manager_id == director.pk for m in managers)
    sellers = Rep.objects.filter(role__in=["hunter", "account_manager"])
    assert set(sellers.values_list("manager__role", flat=True)) == {"sales_manager"}
    assert sellers.exclude(end_date__lt=TODAY).count() == 40
    assert Rep.objects.filter(end_date__lt=TODAY).count() == 2  # two reps left during the history


def test_exactly_one_rep_leaves_next_month(demo):
    start = add_months(TODAY.replace(day=1), 1)
    end = add_months(start, 1) - timedelta(days=1)
    leaving = Rep.objects.filter(end_date__range=(start, end))
    assert leaving.count() == 1
    assert Ownership.objects.filter(rep=leaving.get(), end_date__isnull=True).exists()  # a book to hand over


def test_two_sales_managers_own_key_accounts(demo):
    owners = Ownership.objects.filter(role="primary", end_date__isnull=True, rep__role="sales_manager")
    assert set(owners.values_list("rep__external_id", flat=True)) == {"SM1", "SM3"}


def test_ownership_never_overlaps_and_one_open_primary(demo):
    history = defaultdict(list)
    for own in Ownership.objects.all():
        history[own.account_id].append(own)
    assert set(history) == set(Account.objects.values_list("pk", flat=True))
    for owns in history.values():
        assert find_overlaps([Interval(o.role, o.start_date, o.end_date) for o in owns]) == []
        assert sum(1 for o in owns if o.role == "primary" and o.end_date is None) == 1


def test_transfers_and_co_coverage(demo):
    reasons = Counter(Ownership.objects.exclude(reason="import").values_list("reason", flat=True))
    assert reasons["hunter_to_am"] > 0 and reasons["departure"] > 0
    assert sum(reasons.values()) >= 10
    for own in Ownership.objects.filter(role="secondary"):
        assert (own.end_date - own.start_date).days + 1 == 90
    # the reps who left own nothing any more
    assert not Ownership.objects.filter(rep__end_date__lt=TODAY, end_date__isnull=True).exists()


def test_money_is_decimal_and_exact(demo):
    line = OrderLine.objects.first()
    assert isinstance(line.amount, Decimal) and isinstance(line.gross_profit, Decimal)
    assert all(
        isinstance(a.potential_revenue, Decimal) for a in Account.objects.exclude(potential_revenue=None)
    )
    assert all(isinstance(o.amount, Decimal) for o in Opportunity.objects.all())
    amounts = list(OrderLine.objects.values_list("amount", flat=True))
    assert all(a == a.quantize(Decimal("0.01")) for a in amounts)
    for line in OrderLine.objects.filter(amount__gt=0):
        assert Decimal("0.19") * line.amount <= line.gross_profit <= Decimal("0.41") * line.amount


def test_orders_tell_a_three_year_story(demo):
    kinds = Counter(OrderLine.objects.values_list("kind", flat=True))
    assert kinds["new"] > 0 and kinds["contract_release"] > 0 and kinds["repeat"] > 1000
    assert OrderLine.objects.filter(amount__lt=0).exists()  # credit notes
    assert set(OrderLine.objects.filter(kind="new").values_list("rep__role", flat=True)) == {"hunter"}
    first = OrderLine.objects.order_by("order_date").first().order_date
    assert first <= add_months(TODAY, -36)
    assert OrderLine.objects.order_by("-order_date").first().order_date <= TODAY


def test_revenue_is_pareto_shaped(demo):
    window = trailing_12_months(TODAY)
    revenue = defaultdict(Decimal)
    for account_id, amount in OrderLine.objects.filter(
        order_date__range=(window.start, window.end)
    ).values_list("account_id", "amount"):
        revenue[account_id] += amount
    values = sorted(revenue.values(), reverse=True)
    top = sum(values[: Account.objects.count() // 5])
    assert top / sum(values) >= Decimal("0.65")


def test_lost_accounts_with_and_without_reason(demo):
    lost = Account.objects.filter(status="lost")
    assert lost.exists() and all(a.lost_reason and a.lost_date for a in lost)
    recent = OrderLine.objects.filter(order_date__gt=TODAY - timedelta(days=90)).values("account_id")
    silent = (
        Account.objects.filter(status="active", order_lines__isnull=False).exclude(pk__in=recent).distinct()
    )
    assert silent.exists()  # stopped buying, no reason recorded: unexplained


def test_accounts_have_wallets_parents_and_industries(demo):
    assert Account.objects.filter(parent__isnull=False).exists()
    assert Account.objects.values("industry").distinct().count() >= 6
    with_wallet = Account.objects.exclude(potential_revenue=None).count()
    assert with_wallet >= Account.objects.count() * 0.85


def test_pipeline_and_time_study(demo):
    stages = set(Opportunity.objects.values_list("stage", flat=True))
    assert {"prospecting", "engaging", "proposal"} & stages and {"won", "lost"} & stages
    hours = defaultdict(Decimal)
    for role, kind, value in Activity.objects.values_list("rep__role", "kind", "hours"):
        hours[(role, kind)] += value
    assert hours[("hunter", "prospecting")] > hours[("hunter", "account_nurturing")]
    assert hours[("account_manager", "account_nurturing")] > hours[("account_manager", "prospecting")]
    weeks = defaultdict(Decimal)
    for rep_id, day, value in Activity.objects.values_list("rep_id", "date", "hours"):
        weeks[(rep_id, day.isocalendar()[:2])] += value
    assert max(weeks.values()) > 50


def test_nurturing_entries_name_an_account_the_rep_owned_that_day(demo):
    entries = Activity.objects.filter(account__isnull=False)
    assert entries.exists() and set(entries.values_list("kind", flat=True)) == {"account_nurturing"}
    owned = defaultdict(list)
    for account_id, rep_id, start, end in Ownership.objects.filter(role="primary").values_list(
        "account_id", "rep_id", "start_date", "end_date"
    ):
        owned[(account_id, rep_id)].append((start, end))
    for entry in entries:
        spans = owned[(entry.account_id, entry.rep_id)]
        assert any(start <= entry.date and (end is None or entry.date <= end) for start, end in spans)
