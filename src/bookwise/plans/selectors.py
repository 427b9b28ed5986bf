"""Reads of account plans, scoped through accounts.selectors.visible_accounts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet

from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.selectors import current_q, visible_accounts
from bookwise.core.errors import NotFound
from bookwise.people.models import Rep
from bookwise.people.selectors import chain_of_command, scope_for

from . import rules
from .models import AccountPlan, PlanMark, PlanStatus


def plan_rule() -> rules.PlanRule:
    floor = settings.BOOKWISE.get("plan_revenue_floor", None)
    tiers = settings.BOOKWISE.get("plan_required_tiers", ["A"])
    return rules.PlanRule(
        tiers=frozenset(tiers), revenue_floor=Decimal(str(floor)) if floor is not None else None
    )


def status_thresholds() -> tuple[Decimal, Decimal]:
    b = settings.BOOKWISE
    on_track = Decimal(str(b.get("plan_on_track_ratio", rules.DEFAULT_ON_TRACK)))
    return on_track, Decimal(str(b.get("plan_at_risk_ratio", rules.DEFAULT_AT_RISK)))


def tier_map(*, day: date, account_ids: Iterable[int] | None = None) -> Mapping[int, Any]:
    """Tiers from the retention app (account pk -> TierInfo with .tier, .t12m_revenue)."""
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
    qs = Ownership.objects.filter(current_q(day), role="primary")
    if account_ids is not None:
        qs = qs.filter(account_id__in=list(account_ids))
    rows = qs.values_list("account_id", "rep_id", "rep__external_id", "rep__name")
    return {a: (r, ext, name) for a, r, ext, name in rows}


def can_approve(*, user: Any, plan: AccountPlan, day: date) -> bool:
    """Admins, and a manager above the account's primary owner (never the owner)."""
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
    """Managers (anyone whose scope is wider than their own book) mark accounts."""
    scope = scope_for(user)
    return scope.everything or len(scope.rep_ids) > 1


# ----- coverage ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    pk: int
    account_id: str
    name: str
    territory: str
    tier: str | None
    t12m_revenue: Decimal | None
    marked: bool
    needs_plan: bool
    has_plan: bool
    owner_pk: int | None
    owner_id: str | None
    owner_name: str
    team: str


def planned_account_ids(year: int, account_ids: Iterable[int] | None = None) -> set[int]:
    """has_plan: a live (not archived) plan for that year that has been approved at least once."""
    qs = live_plans().filter(year=year, version__gte=1)
    if account_ids is not None:
        qs = qs.filter(account_id__in=list(account_ids))
    return set(qs.values_list("account_id", flat=True))


def _team_names() -> dict[int, str]:
    return {rid: name or "(no manager)" for rid, name in Rep.objects.values_list("id", "manager__name")}


def _everything(user: Any) -> bool:
    """user None = an operator (the CLI) who sees the whole book."""
    return user is None or scope_for(user).everything


def coverage_rows(*, user: Any, day: date, tiers: Mapping[int, Any] | None = None) -> list[CoverageRow]:
    """Every active account the user may see (user None: all), with whether it needs and has
    a plan."""
    accounts = Account.objects.all() if user is None else visible_accounts(user=user, day=day)
    accounts = accounts.filter(status="active")
    rows = list(accounts.values_list("id", "external_id", "name", "territory__name").order_by("external_id"))
    scoped = None if _everything(user) else [r[0] for r in rows]
    tiers = tiers if tiers is not None else tier_map(day=day, account_ids=scoped)
    owners = primary_owners(scoped, day)
    marks = set(PlanMark.objects.values_list("account_id", flat=True))
    planned = planned_account_ids(day.year, scoped)
    teams = _team_names()
    rule = plan_rule()
    out = []
    for pk, ext, name, territory in rows:
        info = tiers.get(pk)
        tier, revenue = (info.tier, info.t12m_revenue) if info is not None else (None, None)
        owner = owners.get(pk)
        marked = pk in marks
        out.append(
            CoverageRow(
                pk=pk, account_id=ext, name=name, territory=territory or "(no territory)",
                tier=tier, t12m_revenue=revenue, marked=marked,
                needs_plan=rules.needs_plan(rule, tier=tier, t12m_revenue=revenue, marked=marked),
                has_plan=pk in planned,
                owner_pk=owner[0] if owner else None, owner_id=owner[1] if owner else None,
                owner_name=owner[2] if owner else "(unowned)",
                team=teams.get(owner[0], "(no manager)") if owner else "(unowned)",
            )
        )  # fmt: skip
    return out


@dataclass
class CoverageGroup:
    name: str
    accounts: int = 0
    needs: int = 0
    has: int = 0
    lacks: int = 0

    @property
    def coverage(self) -> Decimal | None:
        return (
            (Decimal(self.needs - self.lacks) / self.needs).quantize(Decimal("0.0001"))
            if self.needs
            else None
        )


GROUPINGS = {"rep": "owner_name", "team": "team", "territory": "territory"}


def coverage_groups(rows: Iterable[CoverageRow], by: str) -> list[CoverageGroup]:
    """Counts per rep (primary owner), team (owner's manager) or territory."""
    attr = GROUPINGS[by]
    groups: dict[str, CoverageGroup] = {}
    for row in rows:
        g = groups.setdefault(getattr(row, attr), CoverageGroup(getattr(row, attr)))
        g.accounts += 1
        g.needs += row.needs_plan
        g.has += row.has_plan
        g.lacks += row.needs_plan and not row.has_plan
    return sorted(groups.values(), key=lambda g: (-g.lacks, g.name))


# ----- overdue reviews --------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueReview:
    plan: AccountPlan
    due_date: date
    days_overdue: int
    owner_id: str | None
    owner_name: str


def _review_candidates(day: date) -> QuerySet[AccountPlan]:
    # Reviews are only due inside the plan year; last year's December review can still be
    # overdue in January, so two plan years are enough.
    return (
        live_plans()
        .filter(first_approved_on__isnull=False, year__in=[day.year - 1, day.year])
        .select_related("account")
        .annotate(reviews_done=Count("reviews"))
    )


def overdue_reviews(*, day: date, user: Any = None, grace_days: int | None = None) -> list[OverdueReview]:
    """Approved plans whose next review is overdue by more than `review_overdue_days`
    (pass grace_days=0 for every review past its due date)."""
    grace = settings.BOOKWISE["review_overdue_days"] if grace_days is None else grace_days
    qs = _review_candidates(day)
    if not _everything(user):
        qs = qs.filter(Exists(visible_accounts(user=user, day=day).filter(pk=OuterRef("account_id"))))
    found = []
    for plan in qs:
        due = rules.next_review_due(
            plan.first_approved_on, plan.cadence, plan.reviews_done, date(plan.year, 12, 31)
        )
        if rules.is_flagged(due, day, grace):
            found.append((plan, due))
    owners = primary_owners([p.account_id for p, _ in found], day)
    out = []
    for plan, due in found:
        owner = owners.get(plan.account_id)
        out.append(
            OverdueReview(
                plan,
                due,
                rules.days_overdue(due, day),
                owner[1] if owner else None,
                owner[2] if owner else "",
            )
        )
    return sorted(out, key=lambda o: (-o.days_overdue, o.plan.account.external_id))


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
