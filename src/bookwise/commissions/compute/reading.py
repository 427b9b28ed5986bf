"""The one way commissions read order lines: `batches` of rows in `ROW` order, streamed
(a server-side cursor on PostgreSQL), for the period, the year-earlier team credit and
the threshold baselines alike; and `Spill`, which sorts the period's lines out to the
chunks of reps that need them in one pass."""

from __future__ import annotations

import marshal
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, Any

from django.db import connection

from bookwise.accounts.models import OrderLine

from .chunks import Chunk

FETCH = 20_000
IN_LIST = 500  # accounts per query when only some are read
# A row: (order id, account pk, ISO date, kind, amount cents, gross profit cents or 0,
# 1 when the gross profit is unknown, rep_id pk or 0).
ROW = ("order_id", "account", "day", "kind", "amount", "gross_profit", "gp_unknown", "named")
_SQL = (
    "SELECT external_id, account_id, CAST(order_date AS TEXT), kind, amount, COALESCE(gross_profit, 0),"
    " CASE WHEN gross_profit IS NULL THEN 1 ELSE 0 END, COALESCE(rep_id, 0)"
    f" FROM {OrderLine._meta.db_table} WHERE order_date >= %s AND order_date <= %s"
)
Row = tuple[Any, ...]


def batches(start: date, end: date, accounts: Iterable[int] | None = None) -> Iterator[list[Row]]:
    """The lines dated in [start, end] (optionally only on `accounts`), batch by batch."""
    if accounts is None:
        yield from _fetch(_SQL, [start, end])
        return
    ordered = sorted({int(a) for a in accounts})
    for i in range(0, len(ordered), IN_LIST):
        part = ordered[i : i + IN_LIST]
        yield from _fetch(f"{_SQL} AND account_id IN ({', '.join(['%s'] * len(part))})", [start, end, *part])


def _fetch(sql: str, params: list[Any]) -> Iterator[list[Row]]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            yield rows


class Spill:
    """The period's lines read once and sorted out to the chunks that need them (a line
    can go to two: co-coverage, a transfer, a line naming a rep), kept in a temporary file
    (`file`, the caller's) until each chunk takes its own; `seen` gets every batch (the
    team sums of the overrides). One pass however many chunks: a query per chunk would read
    most of the table's pages every time on PostgreSQL when the lines are spread over it."""

    def __init__(
        self,
        file: IO[bytes],
        start: date,
        end: date,
        chunks: Sequence[Chunk],
        seen: Callable[[list[Row]], None],
    ) -> None:
        route: dict[int, tuple[int, ...]] = {}
        for k, chunk in enumerate(chunks):
            for account in chunk.accounts.tolist():
                route[account] = (*route.get(account, ()), k)
        named = {rep: k for k, chunk in enumerate(chunks) for rep in chunk.reps}
        self.file = file
        self.parts: list[list[tuple[int, int]]] = [[] for _ in chunks]  # (offset, size) per chunk
        for rows in batches(start, end):
            self._sort_out(rows, route, named)
            seen(rows)

    def _sort_out(self, rows: list[Row], route: dict[int, tuple[int, ...]], named: dict[int, int]) -> None:
        out: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            ks = route.get(row[1], ())
            for k in ks:
                out[k].append(row)
            if row[7]:  # rep_id: that rep's chunk reads it too
                k = named.get(row[7], -1)
                if k >= 0 and k not in ks:
                    out[k].append(row)
        for k, part in out.items():
            data = marshal.dumps(part)
            self.parts[k].append((self.file.tell(), len(data)))
            self.file.write(data)

    def rows(self, k: int) -> list[Row]:
        """Chunk k's lines (once)."""
        found: list[Row] = []
        for offset, size in self.parts[k]:
            self.file.seek(offset)
            found.extend(marshal.loads(self.file.read(size)))
        self.parts[k] = []
        return found
