"""Pressure from other apps' queues, now and four weeks ago: overdue plan reviews (plans app)
and transfers left unanswered past their effective date (transfers app)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from bookwise.accounts.selectors import owners_on
from bookwise.plans import rules as plan_rules
from bookwise.plans.models import AccountPlan, PlanReview
from bookwise.transfers.models import OPEN_STATES, Transfer


def overdue_share_on(rep_ids: list[int], day: date) -> dict[int, Decimal]:
    """rep -> share of the approved plans of their primary book whose next review (counting the
    reviews recorded by `day`) is overdue by more than `review_overdue_days` on `day`."""
    owners = owners_on(day, rep_ids=rep_ids)
    live = AccountPlan.objects.filter(
        account_id__in=list(owners), first_approved_on__lte=day, year__in=[day.year - 1, day.year]
    ).exclude(status="archived")
    plans: list[tuple[int, int, date, str, int]] = list(
        live.values_list("id", "account_id", "first_approved_on", "cadence", "year")  # type: ignore[arg-type]
    )
    done: dict[int, int] = defaultdict(int)
    for plan_id in PlanReview.objects.filter(
        plan_id__in=[p[0] for p in plans], review_date__lte=day
    ).values_list("plan_id", flat=True):
        done[plan_id] += 1
    grace = int(str(settings.BOOKWISE.get("review_overdue_days", 7)))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for plan_id, account_id, anchor, cadence, year in plans:
        due = plan_rules.next_review_due(anchor, cadence, done[plan_id], date(year, 12, 31))
        counts[owners[account_id]][1] += 1
        counts[owners[account_id]][0] += plan_rules.is_flagged(due, day, grace)
    return {rep: Decimal(late) / total for rep, (late, total) in counts.items() if total}


def overdue_review_shares(
    rep_ids: list[int], day: date, before: date
) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    now, then = overdue_share_on(rep_ids, day), overdue_share_on(rep_ids, before)
    return {r: (now.get(r), then.get(r, Decimal(0)) if r in now else None) for r in rep_ids}


def unanswered_on(rep_ids: list[int], day: date) -> dict[int, int]:
    """rep -> transfers they are a side of that were open on `day` past their effective date.
    Open on a past day is rebuilt from created_at and completed_at (cancelled ones count as
    closed from their last update)."""
    qs = Transfer.objects.filter(
        Q(from_rep_id__in=rep_ids) | Q(to_rep_id__in=rep_ids),
        created_at__date__lte=day,
        effective_date__lt=day,
    )
    counts: dict[int, int] = defaultdict(int)
    for from_id, to_id, state, completed, updated in qs.values_list(
        "from_rep_id", "to_rep_id", "state", "completed_at", "updated_at"
    ):
        closed_on = completed.date() if completed else (updated.date() if state == "cancelled" else None)
        if state not in OPEN_STATES and (closed_on is None or closed_on <= day):
            continue
        for rep in {from_id, to_id} & set(rep_ids):
            counts[rep] += 1
    return counts


def unanswered_transfer_counts(rep_ids: list[int], day: date, before: date) -> dict[int, tuple[int, int]]:
    now, then = unanswered_on(rep_ids, day), unanswered_on(rep_ids, before)
    return {r: (now.get(r, 0), then.get(r, 0)) for r in rep_ids}
