"""The at-risk reason agreements give retention: an agreement that ended in the last 12 months
without renewal while the account's revenue falls (docs/agreements.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bookwise.core.dates import add_months, trailing_12_months
from bookwise.retention import metrics
from bookwise.retention.selectors import revenue_between

from . import rules
from .models import Agreement

LAPSE_WINDOW_DAYS = 365


def lapsed(day: date, scope: Any = None) -> dict[int, Agreement]:
    """account pk -> its latest agreement that ended in the last LAPSE_WINDOW_DAYS days before
    `day` unrenewed (active or expired, no agreement renews it), when the account has no
    agreement running on `day` or starting later (draft and cancelled ones do not count)."""
    low = day - timedelta(days=LAPSE_WINDOW_DAYS)
    qs = Agreement.objects.filter(
        status__in=("active", "expired"), end_date__range=(low, day - timedelta(days=1))
    )
    qs = qs.exclude(renewals__status__in=("active", "expired", "renewed"))
    if scope is not None:
        qs = qs.filter(account__in=scope)
    found = {a.account_id: a for a in qs.order_by("end_date", "external_id")}
    later = Agreement.objects.filter(
        account_id__in=list(found), status__in=("active", "renewed", "expired"), end_date__gte=day
    ).values_list("account_id", flat=True)
    for pk in set(later):
        found.pop(pk, None)
    return {pk: a for pk, a in found.items() if rules.lapsed_unrenewed(a.end_date, a.status, False, day)}


def lapsed_while_falling(day: date, scope: Any = None) -> dict[int, str]:
    """account pk -> the reason, for the lapsed agreements whose account's T12M revenue is
    below the 12 months before."""
    found = lapsed(day, scope)
    if not found:
        return {}
    ids = list(found)
    t12m = trailing_12_months(day)
    now = revenue_between(t12m.start, day, ids)
    before = revenue_between(add_months(day, -24) + timedelta(days=1), t12m.start - timedelta(days=1), ids)
    reasons = {}
    for pk, agreement in found.items():
        fall = metrics.decline(now.get(pk, rules.ZERO), before.get(pk, rules.ZERO))
        if fall is not None and fall > 0:
            reasons[pk] = (
                f"agreement {agreement.external_id} ended on {agreement.end_date.isoformat()} "
                f"without renewal while revenue fell {fall * 100:.1f} %"
            )
    return reasons
