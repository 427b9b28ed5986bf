"""Reads: which agreements a user may see, their releases and figures, the renewal pipeline.
Coverage and the retention of contracted accounts are in `coverage.py`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from bookwise.accounts.models import Account, OrderLine
from bookwise.accounts.selectors import visible_accounts
from bookwise.accounts.tiers import tiers_for
from bookwise.core.errors import NotFound
from bookwise.people.selectors import scope_for

from . import rules
from .models import COUNTING, Agreement

PIPELINE_BUCKETS = (30, 60, 90, 180)


def tolerance() -> Decimal:
    return Decimal(str(settings.BOOKWISE.get("agreement_pace_tolerance", "0.20")))


def visible_agreements(*, user: Any) -> QuerySet[Agreement]:
    """The agreements of the accounts the user may see, and those a rep in their scope owns
    (a rep: their accounts' and their own; a manager: their team's; directors: all). No user
    (a command, a job): every agreement."""
    qs = Agreement.objects.select_related("account", "owner", "renews")
    if user is None:
        return qs
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(Q(account__in=visible_accounts(user=user)) | Q(owner_id__in=scope.rep_ids))


def agreement_get(*, user: Any, agreement_id: str) -> Agreement:
    """One agreement by its id, if the user may see it; NotFound otherwise (never a leak)."""
    found = visible_agreements(user=user).filter(external_id=agreement_id).first()
    if found is None:
        raise NotFound("No such agreement.")
    return found


def _subsidiaries(account_ids: Iterable[int]) -> dict[int, set[int]]:
    children: dict[int, set[int]] = defaultdict(set)
    for pk, parent in Account.objects.filter(parent_id__in=list(account_ids)).values_list("id", "parent_id"):
        children[parent].add(pk)
    return children


def terms_of(agreements: Iterable[Agreement]) -> list[rules.Terms]:
    items = list(agreements)
    children = _subsidiaries({a.account_id for a in items if a.include_subsidiaries})
    return [
        rules.Terms(
            a.pk,
            frozenset({a.account_id} | (children[a.account_id] if a.include_subsidiaries else set())),
            a.start_date,
            a.end_date,
            a.product_line,
        )  # fmt: skip
        for a in items
    ]


def release_lines(agreements: Iterable[Agreement]) -> dict[int, list[rules.Line]]:
    """agreement pk -> its releases. The lines are shared out among every counting agreement
    of the same accounts (a line counts once: `rules.allocate`); a draft or cancelled
    agreement collects none."""
    asked = list(agreements)
    if not asked:
        return {}
    accounts = set().union(*(t.accounts for t in terms_of(asked)))
    rivals = Agreement.objects.filter(status__in=COUNTING).filter(
        Q(account_id__in=accounts) | Q(pk__in=[a.pk for a in asked])
    )
    counting = [a for a in asked if a.status in COUNTING]
    terms = terms_of({a.pk: a for a in [*rivals, *counting]}.values())
    accounts |= set().union(*(t.accounts for t in terms)) if terms else set()
    start = min(t.start for t in terms) if terms else date.min
    end = max(t.end for t in terms) if terms else date.min
    rows = OrderLine.objects.filter(account_id__in=accounts, order_date__range=(start, end)).values_list(
        "id", "order_date", "amount", "account_id", "product_line", "kind"
    )
    shared = rules.allocate(terms, (rules.Line(*row) for row in rows.order_by()))
    return {a.pk: shared.get(a.pk, []) if a.status in COUNTING else [] for a in asked}


@dataclass(frozen=True)
class Figures:
    agreement: Agreement
    day: date
    lines: list[rules.Line]
    released: Decimal
    remaining: Decimal
    over_commitment: Decimal
    expected: Decimal
    consumption: str
    projected_exhaustion: date | None
    exhausted_on: date | None
    notice_date: date

    @property
    def consumption_label(self) -> str:
        return rules.CONSUMPTION_LABELS[self.consumption]

    @property
    def burn_share(self) -> Decimal | None:
        return rules.share(self.released, self.agreement.committed_amount)


def figures_of(agreement: Agreement, lines: list[rules.Line], day: date) -> Figures:
    a = agreement
    done = rules.released(lines, day)
    committed, start, end = a.committed_amount, a.start_date, a.end_date
    return Figures(
        a, day, lines, done, rules.remaining(committed, done), rules.over_commitment(committed, done),
        rules.expected_to_date(committed, start, end, day),
        rules.consumption(committed, done, start, end, day, tolerance()),
        rules.projected_exhaustion(committed, done, start, end, day),
        rules.exhausted_on(committed, [x for x in lines if x.day <= day]),
        rules.notice_date(end, a.notice_days),
    )  # fmt: skip


def figures_for(agreements: Iterable[Agreement], day: date) -> dict[int, Figures]:
    items = list(agreements)
    lines = release_lines(items)
    return {a.pk: figures_of(a, lines[a.pk], day) for a in items}


def agreement_figures(agreement: Agreement, day: date) -> Figures:
    return figures_for([agreement], day)[agreement.pk]


@dataclass(frozen=True)
class AgreementFilters:
    status: str = ""
    kind: str = ""
    owner_id: int | None = None
    search: str = ""
    ending_within: int | None = None
    consumption: str = ""


def agreement_list(*, user: Any, day: date, filters: AgreementFilters | None = None) -> list[Figures]:
    f = filters or AgreementFilters()
    qs = visible_agreements(user=user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.owner_id:
        qs = qs.filter(owner_id=f.owner_id)
    if f.search:
        qs = qs.filter(
            Q(external_id__iexact=f.search) | Q(account__name__icontains=f.search)
            | Q(account__external_id__iexact=f.search) | Q(document_ref__icontains=f.search)
        )  # fmt: skip
    if f.ending_within is not None:
        qs = qs.filter(end_date__range=(day, day + timedelta(days=f.ending_within)))
    rows = list(figures_for(qs.order_by("end_date", "external_id"), day).values())
    return [r for r in rows if not f.consumption or r.consumption == f.consumption]


@dataclass(frozen=True)
class RenewalRow:
    figures: Figures
    bucket: int  # ends within this many days (30, 60, 90 or 180)
    days_left: int
    tier: str | None

    @property
    def agreement(self) -> Agreement:
        return self.figures.agreement


def bucket_of(days_left: int) -> int:
    return next(b for b in PIPELINE_BUCKETS if days_left <= b)


def renewal_pipeline(*, user: Any, day: date, days: int = 180) -> list[RenewalRow]:
    """Active agreements ending in [day, day + days], soonest first, each in its bucket
    (30/60/90/180 days), with the account's tier and the revenue released under it."""
    qs = visible_agreements(user=user).filter(
        status="active", end_date__range=(day, day + timedelta(days=days))
    )
    figures = figures_for(qs.order_by("end_date", "external_id"), day)
    tiers = tiers_for(day=day, account_ids={f.agreement.account_id for f in figures.values()})
    rows = []
    for f in figures.values():
        left = (f.agreement.end_date - day).days
        tier = tiers.get(f.agreement.account_id)
        rows.append(
            RenewalRow(f, bucket_of(left) if left <= 180 else left, left, tier.tier if tier else None)
        )
    return rows


def renewal_rows(*, user: Any, day: date, days: int = 90) -> list[dict[str, Any]]:
    """The pipeline as plain values (the CLI's JSON, the API)."""
    return [
        {
            "agreement_id": r.agreement.external_id,
            "account_id": r.agreement.account.external_id,
            "account_name": r.agreement.account.name,
            "kind": r.agreement.kind,
            "end_date": r.agreement.end_date.isoformat(),
            "notice_date": r.figures.notice_date.isoformat(),
            "days_left": r.days_left,
            "tier": r.tier,
            "committed_amount": f"{r.agreement.committed_amount:.2f}",
            "released": f"{r.figures.released:.2f}",
            "remaining": f"{r.figures.remaining:.2f}",
            "consumption": r.figures.consumption,
            "owner_id": r.agreement.owner.external_id if r.agreement.owner else None,
        }
        for r in renewal_pipeline(user=user, day=day, days=days)
    ]


def account_agreements(*, account: Account, day: date) -> list[Figures]:
    """Every agreement of the account (its own, not its parent's), latest end first."""
    qs = Agreement.objects.filter(account=account).select_related("account", "owner", "renews")
    return list(figures_for(qs.order_by("-end_date", "external_id"), day).values())


def export_rows(*, user: Any = None) -> list[list[str]]:
    """The agreements the user may see (all without a user) in the import format's columns,
    renewed agreements before the ones renewing them (a reference points to an earlier row)."""
    qs = visible_agreements(user=user).order_by("start_date", "external_id")
    rows = []
    for a in qs:
        rows.append([
            a.external_id, a.account.external_id, a.kind, a.start_date.isoformat(), a.end_date.isoformat(),
            f"{a.committed_amount:.2f}",
            "" if a.committed_quantity is None else f"{a.committed_quantity:.2f}",
            a.product_line, "yes" if a.include_subsidiaries else "no", a.price_terms, str(a.notice_days),
            a.owner.external_id if a.owner else "", a.status, a.document_ref,
            a.renews.external_id if a.renews else "",
        ])  # fmt: skip
    return rows


def contract_coverage(accounts_or_scope: Any, day: date) -> Any:
    """The share of the accounts' T12M revenue under an agreement in force on `day`
    (`coverage.contract_coverage`, the definition's home; here for other apps to find)."""
    from .coverage import contract_coverage as compute  # coverage reads this module's releases

    return compute(accounts_or_scope, day)


def coverage_by_account(*, day: date) -> dict[int, tuple[Decimal, Decimal]]:
    """account pk -> (T12M revenue under an agreement in force on `day`, T12M revenue)
    (`coverage.coverage_by_account`)."""
    from .coverage import coverage_by_account as compute

    return compute(day=day)
