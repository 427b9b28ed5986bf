"""Plan coverage: which active accounts need a plan (rule: tier, revenue floor, manager's
mark), which have one, grouped per rep, team or territory.

Built for 50,000 accounts: one query of integers for the whole book (accounts with their
primary owner on the day), the tier map, and names only for the rows shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import FilteredRelation, Q, QuerySet

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import current_q, visible_accounts
from bookwise.people.models import Rep, Territory

from . import rules
from .models import PlanMark
from .selectors import everything, plan_rule, planned_account_ids, tier_map

GROUPINGS = ("rep", "team", "territory")


class Fact(NamedTuple):
    pk: int
    territory_id: int | None
    owner_pk: int | None
    tier: str | None
    t12m_revenue: Decimal | None
    marked: bool
    needs_plan: bool
    has_plan: bool


def _accounts(user: Any, day: date) -> QuerySet[Account]:
    qs = Account.objects.all() if everything(user) else visible_accounts(user=user, day=day)
    primary = FilteredRelation(
        "ownerships", condition=Q(ownerships__role="primary") & current_q(day, "ownerships__")
    )
    return qs.filter(status="active").annotate(primary_owner=primary).order_by()


def coverage_facts(*, user: Any, day: date, tiers: Mapping[int, Any] | None = None) -> list[Fact]:
    """Every active account the user may see (user None: all) with its tier, primary owner
    on `day`, whether it needs a plan and whether it has one for the year of `day`."""
    fields = ("id", "territory_id", "primary_owner__rep_id")  # primary_owner: a FilteredRelation
    rows = list(_accounts(user, day).values_list(*fields))
    if tiers is None:
        tiers = tier_map(day=day, account_ids=None if everything(user) else [r[0] for r in rows])
    marks = set(PlanMark.objects.values_list("account_id", flat=True))
    planned = planned_account_ids(day.year)
    rule, needs_plan = plan_rule(), rules.needs_plan
    facts = []
    for pk, territory_id, owner in rows:
        info = tiers.get(pk)
        tier, revenue = (info.tier, info.t12m_revenue) if info is not None else (None, None)
        marked = pk in marks
        needs = needs_plan(rule, tier=tier, t12m_revenue=revenue, marked=marked)
        facts.append(Fact(pk, territory_id, owner, tier, revenue, marked, needs, pk in planned))
    return facts


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
    owner_id: str | None
    owner_name: str
    team: str


class _Names:
    """Names of reps, their managers and territories (small tables, one query each)."""

    def __init__(self) -> None:
        reps = list(Rep.objects.values_list("id", "external_id", "name", "manager_id"))
        self.rep = {pk: (ext, name) for pk, ext, name, _ in reps}
        self.manager = {pk: manager for pk, _, _, manager in reps}
        self.territory = dict(Territory.objects.values_list("id", "name"))

    def owner(self, pk: int | None) -> tuple[str | None, str]:
        return self.rep.get(pk, (None, "(unowned)")) if pk else (None, "(unowned)")

    def team(self, owner_pk: int | None) -> str:
        if owner_pk is None:
            return "(unowned)"
        manager = self.manager.get(owner_pk)
        return self.rep[manager][1] if manager is not None and manager in self.rep else "(no manager)"

    def territory_name(self, pk: int | None) -> str:
        return self.territory.get(pk, "(no territory)") if pk is not None else "(no territory)"


def describe(facts: list[Fact]) -> list[CoverageRow]:
    """Facts with ids and names, ordered by account id."""
    names = _Names()
    accounts = Account.objects.order_by().values_list("id", "external_id", "name")
    if len(facts) <= 1000:
        accounts = accounts.filter(id__in=[f.pk for f in facts])
    labels = {pk: (ext, name) for pk, ext, name in accounts}
    rows = []
    for f in facts:
        owner_id, owner_name = names.owner(f.owner_pk)
        rows.append(
            CoverageRow(
                f.pk, *labels[f.pk], names.territory_name(f.territory_id), f.tier, f.t12m_revenue, f.marked,
                f.needs_plan, f.has_plan, owner_id, owner_name, names.team(f.owner_pk),
            )
        )  # fmt: skip
    return sorted(rows, key=lambda r: r.account_id)


def coverage_rows(*, user: Any, day: date, tiers: Mapping[int, Any] | None = None) -> list[CoverageRow]:
    return describe(coverage_facts(user=user, day=day, tiers=tiers))


@dataclass
class CoverageGroup:
    name: str
    accounts: int = 0
    needs: int = 0
    has: int = 0
    lacks: int = 0

    @property
    def coverage(self) -> Decimal | None:
        """Share of the accounts that need a plan that have one (None when none needs one)."""
        if not self.needs:
            return None
        return (Decimal(self.needs - self.lacks) / self.needs).quantize(Decimal("0.0001"))


def coverage_groups(facts: Iterable[Fact], by: str) -> list[CoverageGroup]:
    """Counts per rep (the primary owner), team (the owner's manager) or territory, the
    groups lacking most plans first."""
    names = _Names()
    label = {"rep": lambda f: names.owner(f.owner_pk)[1], "team": lambda f: names.team(f.owner_pk)}.get(
        by, lambda f: names.territory_name(f.territory_id)
    )
    counts: dict[tuple[int | None, ...], list[int]] = {}
    for f in facts:
        key = (f.territory_id,) if by == "territory" else (f.owner_pk,)
        c = counts.setdefault(key, [0, 0, 0, 0, f])  # type: ignore[list-item]
        c[0] += 1
        c[1] += f.needs_plan
        c[2] += f.needs_plan and f.has_plan
        c[3] += f.needs_plan and not f.has_plan
    groups: dict[str, CoverageGroup] = {}
    for accounts, needs, has, lacks, sample in counts.values():
        g = groups.setdefault(label(sample), CoverageGroup(label(sample)))
        g.accounts, g.needs, g.has, g.lacks = (
            g.accounts + accounts,
            g.needs + needs,
            g.has + has,
            g.lacks + lacks,
        )
    return sorted(groups.values(), key=lambda g: (-g.lacks, g.name))


def lacking(facts: Iterable[Fact]) -> list[Fact]:
    """Accounts that need a plan and lack one, largest T12M revenue first."""
    found = [f for f in facts if f.needs_plan and not f.has_plan]
    return sorted(found, key=lambda f: (-(f.t12m_revenue or 0), f.pk))


def totals(facts: Iterable[Fact]) -> dict[str, int]:
    out = {"accounts": 0, "needs": 0, "has": 0, "lacks": 0}
    for f in facts:
        out["accounts"] += 1
        out["needs"] += f.needs_plan
        out["has"] += f.needs_plan and f.has_plan
        out["lacks"] += f.needs_plan and not f.has_plan
    return out
