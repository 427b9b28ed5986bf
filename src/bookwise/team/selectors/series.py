"""Monthly series behind the sparklines of one scorecard (24 months ending at the day)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum

from bookwise.accounts.models import OrderLine, Ownership
from bookwise.accounts.selectors import held_on, owner_spans
from bookwise.core.dates import add_months
from bookwise.people.selectors import subordinate_ids

from .. import rollup
from ..models import LineMonth
from . import rolled
from .common import windows_at
from .scorecards import Scorecard

ZERO = Decimal("0.00")


def month_keys(day: date) -> list[tuple[int, int]]:
    first = add_months(date(day.year, day.month, 1), -23)
    return [(d.year, d.month) for d in (add_months(first, i) for i in range(24))]


def _by_month(
    rows: Iterable[Sequence[Any]], day: date, value: Callable[[Sequence[Any]], Decimal]
) -> list[Decimal]:
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        totals[(row[0].year, row[0].month)] += value(row)
    return [totals[k] for k in month_keys(day)]


def _start(day: date) -> date:
    return add_months(date(day.year, day.month, 1), -23)


def book_gp(rep_ids: set[int], day: date) -> list[Decimal]:
    """Gross profit per month of the accounts the reps own at `day` (a manager's team: many
    accounts): the whole months from the team rollup, the month of `day` (up to the day)
    from the order lines."""
    book = held_on(day, rep_ids=rep_ids).values("account_id")
    start = _start(day)
    rollup.ensure_fresh()
    months = LineMonth.objects.filter(
        account_id__in=book, month__gte=rollup.month_no(start), month__lt=rollup.month_no(day)
    )
    totals = months.order_by().values("month").annotate(gp=Sum("gross_profit")).values_list("month", "gp")
    whole = [(rollup.month_first(m), gp) for m, gp in totals]
    rows = OrderLine.objects.filter(account_id__in=book, order_date__range=(day.replace(day=1), day))
    return _by_month(
        whole + list(rows.values_list("order_date", "gross_profit")), day, lambda r: r[1] or ZERO
    )


def credited_orders(rep_id: int, day: date) -> list[Decimal]:
    span = Q(order_date__range=(_start(day), day))
    direct = OrderLine.objects.filter(span, rep_id=rep_id).values_list("order_date")
    owned = OrderLine.objects.filter(
        span,
        Q(rep_id__isnull=True)
        & Q(account__ownerships__role="primary", account__ownerships__rep_id=rep_id)
        & Q(account__ownerships__start_date__lte=F("order_date"))
        & (
            Q(account__ownerships__end_date__isnull=True)
            | Q(account__ownerships__end_date__gte=F("order_date"))
        ),
    ).values_list("order_date")
    return _by_month(list(direct) + list(owned), day, lambda r: Decimal(1))


def new_accounts(rep_id: int, day: date) -> tuple[list[Decimal], list[Decimal]]:
    """Per month, the accounts the rep opened (first line ever credited to them) and the gross
    profit of those accounts' lines."""
    w = windows_at(day)
    owned = set(Ownership.objects.filter(rep_id=rep_id).values_list("account_id", flat=True))
    owned |= set(OrderLine.objects.filter(rep_id=rep_id).values_list("account_id", flat=True))
    rollup.ensure_fresh()
    spans = owner_spans(w.prev.start, w.day, owned)
    found = rolled.rollup_firsts(w, owned, spans)
    firsts = {a: d for a, (d, hunter) in found.items() if hunter == rep_id}
    counts = _by_month([(d,) for d in firsts.values()], day, lambda r: Decimal(1))
    lines = OrderLine.objects.filter(account_id__in=list(firsts), order_date__range=(_start(day), day))
    gp = _by_month(lines.values_list("order_date", "gross_profit"), day, lambda r: r[1] or ZERO)
    return counts, gp


def sparklines(card: Scorecard) -> dict[str, Sequence[Decimal | int | None]]:
    """metric key -> values, oldest first (monthly where the metric adds up by month, else the
    previous and current 12-month figures)."""
    rep, day = card.rep, card.day
    series: dict[str, Sequence[Decimal | int | None]] = {m.key: [m.previous, m.value] for m in card.metrics}
    if "new_accounts" in series:
        series["new_accounts"], series["new_account_gp"] = new_accounts(rep.id, day)
    if "orders_taken" in series:
        series["orders_taken"] = credited_orders(rep.id, day)
    if "gp_growth" in series:
        series["gp_growth"] = book_gp({rep.id}, day)
    if "team_gp_growth" in series:
        series["team_gp_growth"] = book_gp(subordinate_ids(rep.id), day)
    return series
