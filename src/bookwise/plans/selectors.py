"""Reads of account plans, scoped through accounts.selectors.visible_accounts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet

from bookwise.accounts.selectors import held_on, visible_accounts
from bookwise.core.errors import NotFound
from bookwise.people.selectors import chain_of_command, scope_for

from . import rules
from .models import AccountPlan, PlanReview, PlanStatus


def setting(name: str, default: Any = None) -> Any:
    """A business setting from settings.BOOKWISE, with the plans app's default."""
    return settings.BOOKWISE.get(name, default)


def plan_rule() -> rules.PlanRule:
    floor, tiers = setting("plan_revenue_floor"), setting("plan_required_tiers", ["A"])
    return rules.PlanRule(
        tiers=frozenset(tiers), revenue_floor=Decimal(str(floor)) if floor is not None else None
    )


def status_thresholds() -> tuple[Decimal, Decimal]:
    on_track = Decimal(str(setting("plan_on_track_ratio", rules.DEFAULT_ON_TRACK)))
    return on_track, Decimal(str(setting("plan_at_risk_ratio", rules.DEFAULT_AT_RISK)))


def tier_map(*, day: date, account_ids: Iterable[int] | None = None) -> Mapping[int, Any]:
    """Tiers from the retention app (account pk -> TierInfo with .tier, .t12m_revenue); the
    retention app keeps the whole book's tiers until the data behind them changes."""
    from bookwise.retention.selectors import account_tiers

    return account_tiers(day=day, account_ids=account_ids)


def live_plans() -> QuerySet[AccountPlan]:
    return AccountPlan.objects.exclude(status=PlanStatus.ARCHIVED)


def visible_plans(*, user: Any, day: date | None = None) -> QuerySet[AccountPlan]:
    accounts = visible_accounts(user=user, day=day)
    qs = AccountPlan.objects.select_related("account", "account__territory")
    if scope_for(user).everything:
        return qs
    return qs.filter(account__in=accounts)


def plan_get(*, user: Any, plan_id: int | str) -> AccountPlan:
    """One plan the user may see (its account is visible); NotFound otherwise."""
    try:
        return visible_plans(user=user).get(pk=int(plan_id))
    except (AccountPlan.DoesNotExist, ValueError):
        raise NotFound("No such plan.") from None


def primary_owners(account_ids: Iterable[int] | None, day: date) -> dict[int, tuple[int, str, str]]:
    """account pk -> (rep pk, rep external id, rep name) of the primary owner on `day`."""
    rows = held_on(day, account_ids=account_ids).values_list(
        "account_id", "rep_id", "rep__external_id", "rep__name"
    )
    return {a: (r, ext, name) for a, r, ext, name in rows}


def can_approve(*, user: Any, plan: AccountPlan, day: date) -> bool:
    """Admins, and a manager above the account's primary owner (never the owner; never sales
    ops, who are no rep)."""
    scope = scope_for(user)
    if scope.admin:
        return True
    if scope.rep is None:
        return False
    owner = primary_owners([plan.account_id], day).get(plan.account_id)
    if owner is None:
        return scope.rep.role == "director"
    if owner[0] == scope.rep.id:
        return False
    return scope.rep.id in chain_of_command(owner[0])


def can_mark(*, user: Any) -> bool:
    """Managers (anyone whose scope is wider than their own book), directors and admins mark
    accounts; not sales ops."""
    scope = scope_for(user)
    return scope.manages_everything or len(scope.rep_ids) > 1


def planned_account_ids(year: int) -> set[int]:
    """has_plan: a live (not archived) plan for that year that has been approved at least once."""
    return set(live_plans().filter(year=year, version__gte=1).values_list("account_id", flat=True))


def everything(user: Any) -> bool:
    """user None = an operator (the CLI) who sees the whole book."""
    return user is None or scope_for(user).everything


# ----- overdue reviews --------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueReview:
    plan_id: int
    account_pk: int
    account_id: str
    account_name: str
    year: int
    cadence: str
    due_date: date
    days_overdue: int
    owner_id: str | None = None
    owner_name: str = ""


def _review_counts(years: list[int]) -> dict[int, int]:
    rows = (
        PlanReview.objects.filter(plan__year__in=years)
        .order_by()
        .values_list("plan_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def overdue_reviews(*, day: date, user: Any = None, grace_days: int | None = None) -> list[OverdueReview]:
    """Approved, live plans whose next review is overdue by more than `review_overdue_days`
    (grace_days=0: every review past its due date), most overdue first. Reviews are only due
    inside the plan year, and last year's December review may still be overdue in January,
    so two plan years are read."""
    grace = int(setting("review_overdue_days", 7)) if grace_days is None else grace_days
    years = [day.year - 1, day.year]
    qs = live_plans().filter(first_approved_on__isnull=False, year__in=years).order_by()
    if not everything(user):
        qs = qs.filter(Exists(visible_accounts(user=user, day=day).filter(pk=OuterRef("account_id"))))
    done = _review_counts(years)
    found = []
    fields = (
        "id",
        "account_id",
        "account__external_id",
        "account__name",
        "year",
        "cadence",
        "first_approved_on",
    )
    for pk, account_pk, ext, name, year, cadence, anchor in qs.values_list(*fields):
        due = rules.next_review_due(anchor, cadence, done.get(pk, 0), date(year, 12, 31))
        if due is not None and rules.is_flagged(due, day, grace):
            found.append(OverdueReview(pk, account_pk, ext, name, year, cadence, due, (day - due).days))
    owners = primary_owners([o.account_pk for o in found], day)
    out = [replace(o, owner_id=owners[o.account_pk][1], owner_name=owners[o.account_pk][2])
           if o.account_pk in owners else o for o in found]  # fmt: skip
    return sorted(out, key=lambda o: (-o.days_overdue, o.account_id))


def overdue_reviews_for(*, user: Any, day: date) -> list[OverdueReview]:
    """The dashboard panel: overdue reviews of the plans in the user's scope."""
    if not getattr(user, "is_authenticated", False):
        return []
    return overdue_reviews(day=day, user=user)


def next_review(plan: AccountPlan) -> date | None:
    if plan.first_approved_on is None:
        return None
    done = plan.reviews.count()
    return rules.next_review_due(plan.first_approved_on, plan.cadence, done, date(plan.year, 12, 31))
