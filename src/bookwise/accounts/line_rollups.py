"""What every rollup of the order lines shares (retention's revenue months and quarters,
team's credited line months): a one-row state model holding the highest order line id the
rollup has seen, the freshness check against it, and the refresh of only the accounts that
hold lines added since. Each rollup passes its state model and its own `refresh`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Max

from .models import OrderLine

REFRESH_ALL_ABOVE = 5000  # accounts: one full rebuild beats a huge IN list
NEVER = -1  # the state row's mark before the first refresh


def max_line_id() -> int:
    return OrderLine.objects.aggregate(m=Max("id"))["m"] or 0


def seen(state: Any) -> int | None:
    """The highest order line id the rollup of `state` (its model) has seen; None before a
    state row exists."""
    return state.objects.filter(pk=1).values_list("max_line_id", flat=True).first()


def is_fresh(state: Any) -> bool:
    top = seen(state)
    return top is not None and top == max_line_id()


def fresh_elsewhere(state: Any, account_ids: list[int]) -> bool:
    """Whether the rollup already covers every line outside `account_ids`, so refreshing only
    those accounts leaves the whole rollup fresh."""
    top = seen(state)
    if top is None:
        return False
    return (OrderLine.objects.exclude(account_id__in=account_ids).aggregate(m=Max("id"))["m"] or 0) <= top


def ensure_fresh(state: Any, refresh: Callable[[list[int] | None], object]) -> None:
    """Bring a rollup up to date when order lines were added since its last refresh: only the
    accounts holding the new lines (everything before a first refresh, or when the highest id
    went down). The state row is made, then locked, so concurrent readers refresh once (two
    first readers would otherwise both rebuild, the second failing on the unique rows)."""
    if is_fresh(state):
        return
    state.objects.get_or_create(pk=1, defaults={"max_line_id": NEVER})
    with transaction.atomic():
        top = state.objects.select_for_update().filter(pk=1).values_list("max_line_id", flat=True).first()
        now = max_line_id()
        if top == now:
            return  # refreshed meanwhile
        added = None
        if top is not None and NEVER < top < now:
            new_lines = OrderLine.objects.filter(id__gt=top).order_by()
            added = list(new_lines.values_list("account_id", flat=True).distinct())
            if len(added) > REFRESH_ALL_ABOVE:
                added = None
        refresh(added)
