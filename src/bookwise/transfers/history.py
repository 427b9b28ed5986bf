"""What each candidate rep has already done with an account and its family (its parent, its
subsidiaries, its sister companies): past ownership or co-coverage, deals won, days of
activity, relationships with its contacts. Set-based: a handful of grouped queries for a
set of accounts, whatever the number of reps (docs/transfers.md, "History")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.contacts.selectors import relationship_weights

from .scoring import History

Pair = tuple[int, int]  # (account pk, rep pk)


def families(account_ids: Iterable[int]) -> dict[int, set[int]]:
    """account -> its parent, subsidiaries and sister companies (itself left out)."""
    ids = set(account_ids)
    parents = dict(Account.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
    wanted = {p for p in parents.values() if p} | ids
    children: dict[int, set[int]] = defaultdict(set)
    for child, parent_id in Account.objects.filter(parent_id__in=wanted).values_list("pk", "parent_id"):
        children[parent_id].add(child)
    family: dict[int, set[int]] = {}
    for pk in ids:
        parent = parents.get(pk)
        members = set(children.get(pk, set()))
        if parent:
            members |= {parent} | children.get(parent, set())
        family[pk] = members - {pk}
    return family


def _deals(account_ids: set[int], rep_ids: set[int], day: date) -> dict[Pair, int]:
    """(account, rep) -> the larger of the rep's won opportunities and the order lines credited
    to them (the line's own rep) on the account, up to `day`."""
    won = (
        Opportunity.objects.filter(account_id__in=account_ids, rep_id__in=rep_ids, stage="won")
        .exclude(closed_date__gt=day)
        .order_by()
        .values_list("account_id", "rep_id")
        .annotate(n=Count("id"))
    )
    lines = (
        OrderLine.objects.filter(account_id__in=account_ids, rep_id__in=rep_ids, order_date__lte=day)
        .order_by()
        .values_list("account_id", "rep_id")
        .annotate(n=Count("id"))
    )
    out: dict[Pair, int] = defaultdict(int)
    for account, rep, n in [*won, *lines]:
        out[(account, rep)] = max(out[(account, rep)], n)
    return out


def _activity_days(account_ids: set[int], rep_ids: set[int], day: date) -> dict[Pair, int]:
    rows = (
        Activity.objects.filter(account_id__in=account_ids, rep_id__in=rep_ids, date__lte=day)
        .order_by()
        .values_list("account_id", "rep_id")
        .annotate(n=Count("date", distinct=True))
    )
    return {(a, r): n for a, r, n in rows}


def _ownership(account_ids: set[int], rep_ids: set[int], day: date) -> dict[Pair, str]:
    """(account, rep) -> "primary" when the rep owned the account before, else "secondary"
    when they co-covered it (assignments started on or before `day`)."""
    rows = Ownership.objects.filter(account_id__in=account_ids, rep_id__in=rep_ids, start_date__lte=day)
    out: dict[Pair, str] = {}
    for account, rep, role in rows.values_list("account_id", "rep_id", "role"):
        if out.get((account, rep)) != "primary":
            out[(account, rep)] = role
    return out


def history_facts(account_ids: Iterable[int], rep_ids: Iterable[int], day: date) -> dict[Pair, History]:
    """(account, rep) -> History, for every pair with anything to show."""
    accounts, reps = set(account_ids), set(rep_ids)
    family = families(accounts)
    everyone = accounts | {f for members in family.values() for f in members}
    deals, days = _deals(everyone, reps, day), _activity_days(everyone, reps, day)
    owned = _ownership(accounts, reps, day)
    weights = relationship_weights(account_ids=accounts, day=day)
    out: dict[Pair, History] = {}
    for account in accounts:
        for rep in reps:
            h = History(
                owned=owned.get((account, rep)),
                deals=deals.get((account, rep), 0),
                family_deals=sum(deals.get((f, rep), 0) for f in family[account]),
                activity_days=days.get((account, rep), 0),
                family_activity_days=sum(days.get((f, rep), 0) for f in family[account]),
                relationships=weights.get(account, {}).get(rep, 0.0),
            )
            if h.any:
                out[(account, rep)] = h
    return out
