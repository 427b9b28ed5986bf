"""What every rollup of the order lines shares (retention's revenue months and quarters,
team's credited line months): a one-row state model holding the highest order line id the
rollup has seen, the freshness check against it, and the refresh of only the accounts that
hold lines added since. Each rollup passes its state model and its own `refresh`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from bookwise.core import marks

from . import bulk_indexes
from .models import OrderLine

REFRESH_ALL_ABOVE = 5000  # accounts: one full rebuild beats a huge IN list
NEVER = -1  # the state row's mark before the first refresh
# set while a reader brings a rollup up to date (ensure_fresh): indexes_rebuilt keeps the indexes
_READERS_REFRESH: ContextVar[bool] = ContextVar("readers_refresh", default=False)


def date_param(day: date) -> date | str:
    """`day` as a raw SQL parameter compared with a date column: ISO text on SQLite (where
    dates are stored as such), a date elsewhere."""
    return day.isoformat() if connection.vendor == "sqlite" else day


def max_line_id() -> int:
    return OrderLine.objects.aggregate(m=Max("id"))["m"] or 0


def seen(state: Any) -> int | None:
    """The highest order line id the rollup of `state` (its model) has seen; None before a
    state row exists."""
    return state.objects.filter(pk=1).values_list("max_line_id", flat=True).first()


def is_fresh(state: Any) -> bool:
    """Whether the rollup of `state` has seen the highest order line id (one statement: every
    page that reads a rollup asks it first)."""
    top, highest = marks.read(marks.value_of_row_one(state, "max_line_id"), marks.highest(OrderLine))
    return top is not None and top == (highest or 0)


def fresh_elsewhere(state: Any, account_ids: list[int]) -> bool:
    """Whether the rollup already covers every line outside `account_ids`, so refreshing only
    those accounts leaves the whole rollup fresh."""
    top = seen(state)
    if top is None:
        return False
    return (OrderLine.objects.exclude(account_id__in=account_ids).aggregate(m=Max("id"))["m"] or 0) <= top


def rebuilds_whole(state: Any, account_ids: list[int] | None) -> bool:
    """Whether refreshing `account_ids` (None: all) means rebuilding the whole rollup of
    `state`: everything asked for, more than REFRESH_ALL_ABOVE accounts, or a rollup that is
    stale beyond them too (so that refreshing only them would leave it stale)."""
    if account_ids is None or len(account_ids) > REFRESH_ALL_ABOVE:
        return True
    return not fresh_elsewhere(state, account_ids)


def refresh_scope(state: Any, account_ids: list[int] | None) -> tuple[int, list[int] | None]:
    """What a refresh of the rollup of `state` covers: the highest order line id now, and
    `account_ids`, or None when it rebuilds the whole rollup (`rebuilds_whole`). The indexes a
    bulk load of the lines left are built first (bulk_indexes.build_deferred): a refresh reads
    the lines by account and date."""
    bulk_indexes.build_deferred()
    top = max_line_id()
    return top, None if rebuilds_whole(state, account_ids) else account_ids


def outdate(state: Any) -> None:
    """Mark the rollup of `state` for a whole rebuild (after a large import: the queued job or
    the first reader, through `ensure_fresh`, rebuilds it)."""
    state.objects.update_or_create(pk=1, defaults={"max_line_id": NEVER})


def ensure_fresh(state: Any, refresh: Callable[[list[int] | None], object], *, bulk: bool = False) -> None:
    """Bring a rollup up to date when order lines were added since its last refresh: only the
    accounts holding the new lines (everything before a first refresh, after `outdate`, or
    when the highest id went down). The state row is made, then locked, so concurrent readers
    and the queued rebuild refresh once (two would otherwise both rebuild, the second failing
    on the unique rows). A reader keeps the rollup's indexes; the queued job (`bulk`) drops
    them for a whole rebuild (`indexes_rebuilt`)."""
    if is_fresh(state):
        return
    bulk_indexes.build_deferred()  # before the state row's lock: see build_deferred
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
        reading = _READERS_REFRESH.set(not bulk)
        try:
            refresh(added)
        finally:
            _READERS_REFRESH.reset(reading)


@contextmanager
def indexes_rebuilt(table: str, *, whole: bool) -> Iterator[None]:
    """For a whole rebuild (`whole`) of a rollup's table: its secondary structures dropped
    while the block writes every row and made again after it (bulk_indexes.structures_rebuilt)."""
    if not whole or _READERS_REFRESH.get():
        # a refresh made for a reader keeps the indexes: dropping one locks the table
        # exclusively, and another reader's transaction may already hold a share of it
        # (a deadlock on PostgreSQL); the bulk paths (imports, the refresh job) drop them
        yield
        return
    with bulk_indexes.structures_rebuilt(table):
        yield
