"""The candidates' performance, estimated with shrinkage toward the team's figure so that a
rep with a short history is neither a flat "unknown" nor judged on two orders
(docs/transfers.md, "Performance").

- The window: the 12 months to the *anchor*, the book's latest order on or before the day
  (the day itself on a live book; the end of the data on an imported sample that stops), and
  the 12 months before.
- NRR part: min(NRR, 1.5) / 1.5 of the rep's current primary book (METRICS.md Retention over
  the accounts with revenue in the previous 12 months); own evidence n = those accounts; team
  figure = the pooled NRR of every candidate's book; prior weight k = 5 accounts.
- Sales part: the rep's credited revenue per month active in the window (credited = the
  line's rep, else the primary owner on the line's date; months active = the part of the
  window between hire and end dates), r / (r + team rate), team rate = the candidates' credited
  revenue over their months; team figure 0.5; own evidence n = months active; k = 6 months."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Max, Sum

from bookwise.accounts.models import OrderLine, Ownership
from bookwise.core.dates import trailing_12_months
from bookwise.core.money import MoneyField, from_cents
from bookwise.people.models import Rep

from .scoring import NRR_CAP, PRIOR_ACCOUNTS, PRIOR_MONTHS, Estimate, shrink, spread_of

ZERO = Decimal(0)
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class BookFigures:
    """One rep's primary book over the window: revenue now and before of the accounts with a
    base, and how many such accounts."""

    current: Decimal
    previous: Decimal
    accounts: int


def anchor_day(day: date) -> date:
    """The book's latest order on or before `day` (the day when there is none)."""
    latest = OrderLine.objects.filter(order_date__lte=day).aggregate(m=Max("order_date"))["m"]
    return latest or day


def months_active(rep: Rep, start: date, end: date) -> float:
    """Months of [start, end] between the rep's hire and end dates, to a tenth (0 when none)."""
    first = max(start, rep.hire_date or start)
    last = min(end, rep.end_date or end)
    return round(max(0.0, ((last - first).days + 1) / DAYS_PER_MONTH), 1)


LINES, OWNERSHIPS = OrderLine._meta.db_table, Ownership._meta.db_table
# Lines without a rep of accounts whose primary ownership covers the whole window: the
# window's lines summed per account once, then per owner (no join line by line).
_WHOLE = f"""SELECT o.rep_id, SUM(a.total) FROM (
    SELECT account_id, SUM(amount) AS total FROM {LINES}
    WHERE rep_id IS NULL AND order_date >= %(start)s AND order_date <= %(end)s GROUP BY account_id
) a JOIN {OWNERSHIPS} o ON o.account_id = a.account_id
WHERE o.role = 'primary' AND o.rep_id IN ({{reps}}) AND o.start_date <= %(start)s
  AND (o.end_date IS NULL OR o.end_date >= %(end)s)
GROUP BY o.rep_id"""  # noqa: S608 - our own SQL, the values are parameters
# ... and of primary ownerships that start or end inside the window: their own days' lines.
_PART = f"""SELECT o.rep_id, SUM((
    SELECT SUM(l.amount) FROM {LINES} l
    WHERE l.account_id = o.account_id AND l.rep_id IS NULL
      AND l.order_date >= %(start)s AND l.order_date <= %(end)s AND l.order_date >= o.start_date
      AND (o.end_date IS NULL OR l.order_date <= o.end_date)
)) FROM {OWNERSHIPS} o
WHERE o.role = 'primary' AND o.rep_id IN ({{reps}}) AND o.start_date <= %(end)s
  AND (o.end_date IS NULL OR o.end_date >= %(start)s)
  AND (o.start_date > %(start)s OR o.end_date < %(end)s)
GROUP BY o.rep_id"""  # noqa: S608


def credited_revenue(rep_ids: list[int], start: date, end: date) -> dict[int, Decimal]:
    """rep id -> revenue credited to them in [start, end]: the line's own rep, else the
    primary owner on the line's date. Set-based: the lines with a rep grouped by rep; those
    without, grouped by account and joined to the primary ownerships that cover the window,
    plus, line by line, those of the few ownerships that start or end inside it."""
    if not rep_ids:
        return {}
    money = MoneyField()
    own = (
        OrderLine.objects.filter(rep_id__in=rep_ids, order_date__gte=start, order_date__lte=end)
        .order_by()
        .values_list("rep_id")
        .annotate(total=Sum("amount", output_field=money))
    )
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for rep_id, total in own:
        out[rep_id] += total or ZERO
    names = {f"r{i}": rid for i, rid in enumerate(rep_ids)}
    reps = ", ".join(f"%({name})s" for name in names)
    with connection.cursor() as cursor:
        for sql in (_WHOLE, _PART):
            cursor.execute(sql.format(reps=reps), {"start": start, "end": end, **names})
            for rep_id, cents in cursor.fetchall():
                out[rep_id] += from_cents(int(cents or 0))
    return dict(out)


def nrr_estimates(books: dict[int, BookFigures], rep_ids: list[int]) -> dict[int, Estimate]:
    own = {
        r: min(float(b.current / b.previous), NRR_CAP) / NRR_CAP for r, b in books.items() if b.previous > 0
    }
    base = sum((b.previous for b in books.values()), ZERO)
    now = sum((b.current for b in books.values()), ZERO)
    team = min(float(now / base), NRR_CAP) / NRR_CAP if base > 0 else 0.5
    spread = spread_of(list(own.values()))
    return {
        r: shrink(own.get(r), books[r].accounts if r in books else 0, team, PRIOR_ACCOUNTS, spread)
        for r in rep_ids
    }


def sales_estimates(reps: dict[int, Rep], day: date) -> dict[int, Estimate]:
    window = trailing_12_months(day)
    revenue = credited_revenue(list(reps), window.start, window.end)
    months = {r: months_active(rep, window.start, window.end) for r, rep in reps.items()}
    total_months = sum(months.values())
    team_rate = float(sum(revenue.values(), ZERO)) / total_months if total_months else 0.0
    own: dict[int, float] = {}
    for r, m in months.items():
        rate = float(revenue.get(r, ZERO)) / m if m else 0.0
        if m and rate + team_rate > 0:
            own[r] = rate / (rate + team_rate)
    spread = spread_of(list(own.values()))
    return {r: shrink(own.get(r), months[r], 0.5, PRIOR_MONTHS, spread) for r in reps}


def previous_window(day: date) -> tuple[date, date, date]:
    now = trailing_12_months(day)
    return now.start - (now.end - now.start) - timedelta(days=1), now.start, now.end
