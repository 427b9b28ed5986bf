"""Supply agreements on the biggest accounts, through the agreements services: in the sales
manager SM1's team a pipeline of renewals (one running out in weeks, one under-consuming,
one on pace), one over-consumed, one renewed by its successor; elsewhere agreements running
on pace; and on the account whose revenue fell most, an agreement that expired without
renewal (an at-risk reason). Committed amounts follow each account's own orders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from bookwise.accounts.models import Account, OrderLine
from bookwise.agreements import services
from bookwise.agreements.models import Agreement
from bookwise.core.dates import add_months, trailing_12_months
from bookwise.people.models import Rep
from bookwise.retention.selectors import revenue_between

from .common import primary_owners, rep

# (days until the end, period in days, committed / released so far, kind, status)
STORIES = [
    (25, 365, Decimal("1.05"), "blanket", "active"),  # running out in weeks
    (50, 365, Decimal("1.60"), "kanban", "active"),  # under-consuming
    (80, 365, None, "blanket", "active"),  # on pace (committed = the straight line)
    (150, 540, None, "framework", "active"),
    (200, 365, Decimal("0.80"), "kanban", "active"),  # over-consumed: commitment exceeded
]
OTHERS = 8


def _main_line(account: Account, start: date, end: date) -> tuple[str, Decimal]:
    """The account's biggest product line over [start, end] and its revenue there."""
    rows = (
        OrderLine.objects.filter(account=account, order_date__range=(start, end)).exclude(product_line="")
        .values("product_line").annotate(total=Sum("amount")).order_by("-total", "product_line")
    )  # fmt: skip
    top = rows.first()
    return (top["product_line"], top["total"] or Decimal(0)) if top else ("", Decimal(0))


def _create(account: Account, number: int, owner: Rep, today: date, story: tuple) -> Agreement | None:
    left, length, factor, kind, status = story
    end = today + timedelta(days=left)
    start = end - timedelta(days=length - 1)
    line, released = _main_line(account, start, today)
    if not line or released <= 0:
        return None
    elapsed = (today - start).days + 1
    committed = released * (factor if factor is not None else Decimal(length) / elapsed)
    data = services.AgreementInput(
        external_id=f"AG-{number:04d}", kind=kind, start_date=start, end_date=end,
        committed_amount=committed.quantize(Decimal("1")), owner=owner, product_line=line, status=status,
        price_terms=f"List price less 8 % on {line}; prices fixed for the period.",
        notice_days=60 if left < 60 else 90, document_ref=f"CTR-{today.year}-{number:04d}.pdf",
    )  # fmt: skip
    return services.agreement_create(account=account, data=data, actor=owner.user, today=today)


def _biggest(day: date, exclude: set[int], rep_ids: set[int] | None, count: int) -> list[Account]:
    t12m = trailing_12_months(day)
    revenue = revenue_between(t12m.start, day)
    owners = primary_owners(list(revenue), day)
    ranked = sorted(revenue, key=lambda pk: (-revenue[pk], pk))
    chosen = [
        pk for pk in ranked
        if pk in owners and pk not in exclude and (rep_ids is None or owners[pk].pk in rep_ids)
    ]  # fmt: skip
    found = {
        a.pk: a for a in Account.objects.filter(pk__in=chosen[: count * 2], status="active", parent=None)
    }
    return [found[pk] for pk in chosen if pk in found][:count]


def _lapsed(today: date, number: int, exclude: set[int]) -> int:
    """The active account whose revenue fell most gets an agreement that ended 45 days ago."""
    t12m = trailing_12_months(today)
    now = revenue_between(t12m.start, today)
    before = revenue_between(add_months(today, -24) + timedelta(days=1), t12m.start - timedelta(days=1))
    falls = sorted((before[pk] - now.get(pk, Decimal(0)), pk) for pk in before if pk not in exclude)
    active = set(
        Account.objects.filter(pk__in=[pk for _, pk in falls[-20:]], status="active").values_list(
            "pk", flat=True
        )
    )
    pk = next((pk for _, pk in reversed(falls) if pk in active), None)
    owner = primary_owners([pk], today).get(pk) if pk else None
    if pk is None or owner is None:
        return 0
    made = _create(
        Account.objects.get(pk=pk),
        number,
        owner,
        today - timedelta(days=46),
        (1, 365, Decimal("1.1"), "blanket", "active"),
    )
    if made is not None:
        services.agreements_expire_due(day=today)
    return 1 if made else 0


def build_agreements(today: date) -> dict[str, int]:
    manager = rep("SM1")
    team = {r.pk for r in Rep.objects.filter(manager=manager)} | {manager.pk}
    accounts = _biggest(today, set(), team, len(STORIES) + 1)
    owners = primary_owners([a.pk for a in accounts], today)
    made: list[Agreement] = []
    for number, (account, story) in enumerate(zip(accounts, STORIES, strict=False), start=1):
        found = _create(account, number, owners[account.pk], today, story)
        made += [found] if found else []
    others = _biggest(today, {a.pk for a in accounts}, None, OTHERS)
    other_owners = primary_owners([a.pk for a in others], today)
    for i, account in enumerate(others):
        story = (120 + 40 * i, 365 * (1 + i % 2), None, ("blanket", "kanban", "framework")[i % 3], "active")
        found = _create(account, 100 + i, other_owners[account.pk], today, story)
        made += [found] if found else []
    lapsed = _lapsed(today, 900, {a.pk for a in accounts + others})
    return {"supply agreements": len(made) + lapsed}
