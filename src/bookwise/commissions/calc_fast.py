"""Columnar crediting for the vectorised path, one chunk of reps at a time: the period's
lines read once and sorted out to the chunks (Spill), the ownership intervals resolved
with a sorted search (primary and secondary owner on each line's date), shares split per
the credited rep's plan, the shares of the chunk's reps kept, transfer dates attached."""

from __future__ import annotations

import marshal
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

import numpy as np
from django.db import connection

from bookwise.accounts.models import OrderLine

from .chunks import SHIFT, Book, Chunk, days_of
from .fastpath import Columns, _decimals, to_day

_FETCH = 20_000
_COLUMNS = (
    "external_id, account_id, CAST(order_date AS TEXT), kind, amount, COALESCE(gross_profit, 0),"
    " CASE WHEN gross_profit IS NULL THEN 1 ELSE 0 END, COALESCE(rep_id, 0)"
)


@dataclass
class Shares:
    cols: Columns
    team: dict[str, dict[int, Decimal]]  # base -> rep -> credit share over the period (the chunk's reps)


class Spill:
    """The period's lines read with one query and sorted out to the chunks that need them
    (a line can go to two: co-coverage, a transfer, a line naming a rep), kept in a
    temporary file (`file`, the caller's) until each chunk takes its own. One pass over the
    lines however many chunks: a query per chunk would read most of the table's pages every
    time on PostgreSQL when the period's lines are spread over it."""

    def __init__(self, file: IO[bytes], start: date, end: date, chunks: Sequence[Chunk]) -> None:
        route: dict[int, tuple[int, ...]] = {}
        for k, chunk in enumerate(chunks):
            for account in chunk.accounts.tolist():
                route[account] = (*route.get(account, ()), k)
        named = {rep: k for k, chunk in enumerate(chunks) for rep in chunk.reps}
        self.file = file
        self.parts: list[list[tuple[int, int]]] = [[] for _ in chunks]  # (offset, size) per chunk
        sql = f"SELECT {_COLUMNS} FROM {OrderLine._meta.db_table} WHERE order_date >= %s AND order_date <= %s"
        with connection.chunked_cursor() as cursor:  # streamed (a server-side cursor on PostgreSQL)
            cursor.execute(sql, [start, end])
            while rows := cursor.fetchmany(_FETCH):
                self._sort_out(rows, route, named)

    def _sort_out(self, rows: list[tuple], route: dict, named: dict) -> None:
        out: dict[int, list[tuple]] = defaultdict(list)
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

    def rows(self, k: int) -> list[tuple]:
        """Chunk k's lines (once)."""
        found: list[tuple] = []
        for offset, size in self.parts[k]:
            self.file.seek(offset)
            found.extend(marshal.loads(self.file.read(size)))
        self.parts[k] = []
        return found


class _TransferIndex:
    """Latest transfer t <= day of (rep, account), by a sorted search."""

    def __init__(self, transfers: dict[tuple[int, int], list[date]]):
        pairs = [(r, a, to_day(t)) for (r, a), starts in transfers.items() for t in starts]
        self.empty = not pairs
        if self.empty:
            return
        pair = np.array([p[0] for p in pairs], dtype=np.int64) * (1 << 32) + np.array([p[1] for p in pairs])
        self.uniq = np.unique(pair)
        self.keys = np.sort(np.searchsorted(self.uniq, pair) * SHIFT + np.array([p[2] for p in pairs]))

    def days(self, rep: np.ndarray, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The transfer's day, -1 when none."""
        if self.empty:
            return np.full(len(rep), -1, dtype=np.int64)
        line_pair = rep * (1 << 32) + account
        pos = np.minimum(np.searchsorted(self.uniq, line_pair), len(self.uniq) - 1)
        known = self.uniq[pos] == line_pair
        i = np.searchsorted(self.keys, pos * SHIFT + day, side="right") - 1
        j = np.maximum(i, 0)
        ok = known & (i >= 0) & (self.keys[j] // SHIFT == pos)
        return np.where(ok, self.keys[j] % SHIFT, -1)


def _plan_arrays(rep_plans: dict, size: int, scale: int):
    split = np.zeros(size, dtype=np.int64)
    has_plan = np.zeros(size, dtype=bool)
    gp_base = np.zeros(size, dtype=bool)
    has_rule = np.zeros(size, dtype=bool)
    for rep, paid in rep_plans.items():
        if rep < size:
            split[rep] = int(paid.plan.co_coverage_split * scale)
            has_plan[rep], gp_base[rep] = True, paid.plan.base == "gross_profit"
            has_rule[rep] = paid.plan.transfer_rule is not None
    return split, has_plan, gp_base, has_rule


def _team(recipient: np.ndarray, units: np.ndarray, scale: int) -> dict[int, Decimal]:
    if len(recipient) == 0:
        return {}
    order = np.argsort(recipient, kind="stable")
    r, u = recipient[order], units[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    sums = np.add.reduceat(u, starts)
    return {int(k): Decimal(int(v)) / (100 * scale) for k, v in zip(r[starts], sums, strict=True)}


class FastCrediting:
    """What crediting needs besides the lines, prepared once per period: owners, plan
    arrays indexed by rep pk, transfer dates."""

    def __init__(
        self, start: date, end: date, rep_plans: dict, transfers: dict, book: Book, reassignment=None
    ):
        self.start, self.end, self.book, self.reassignment = start, end, book, reassignment
        self.scale = 10 ** max([0] + [_decimals([p.plan.co_coverage_split]) for p in rep_plans.values()])
        self.primary, self.secondary = book.holders("primary"), book.holders("secondary")
        self.transfers = _TransferIndex(transfers)
        self.size = max([0, *rep_plans, book.largest_rep()]) + 1  # any rep can be credited
        self.split, self.has_plan, self.gp_base, self.has_rule = _plan_arrays(
            rep_plans, self.size, self.scale
        )

    def shares(self, chunk: Chunk, rows: list[tuple]) -> Shares:
        """The chunk's reps' shares of `rows` (the chunk's lines, Spill.rows)."""
        scale = self.scale
        oid, acc, day, kind, amount, gp, gp_null, named = (
            (list(c) for c in zip(*rows, strict=True)) if rows else [[]] * 8
        )
        acc_a = np.array(acc, dtype=np.int64)
        day_a = days_of(day) if rows else np.zeros(0, dtype=np.int64)
        primary, secondary = self.primary.on(acc_a, day_a), self.secondary.on(acc_a, day_a)
        r = self.reassignment
        if r is not None:  # a what-if: the account's primary owner from its start
            moved = (acc_a == r.account) & (day_a >= to_day(r.start))
            primary = np.where(moved, r.rep, primary)
        named_a = np.array(named, dtype=np.int64)
        credited = np.where(named_a > 0, named_a, np.where(primary > 0, primary, secondary))
        split = self.split
        shared = (credited > 0) & (secondary > 0) & (secondary != credited) & (split[credited] > 0)
        main = np.flatnonzero(credited > 0)
        extra = np.flatnonzero(shared)
        src = np.concatenate([main, extra])
        recipient = np.concatenate([credited[main], secondary[extra]])
        frac = np.concatenate(
            [np.where(shared[main], scale - split[credited[main]], scale), split[credited[extra]]]
        )
        is_secondary = np.r_[np.zeros(len(main), dtype=bool), np.ones(len(extra), dtype=bool)]
        mine = np.isin(recipient, np.array(chunk.reps, dtype=np.int64))
        src, recipient, frac, is_secondary = src[mine], recipient[mine], frac[mine], is_secondary[mine]
        amount_a, gp_a, null_a = (
            np.array(amount, dtype=np.int64),
            np.array(gp, dtype=np.int64),
            np.array(gp_null, dtype=bool),
        )
        team = {
            "amount": _team(recipient, amount_a[src] * frac, scale),
            "gross_profit": _team(recipient, gp_a[src] * frac, scale),
        }
        keep = self.has_plan[recipient]
        src, recipient, frac, is_secondary = src[keep], recipient[keep], frac[keep], is_secondary[keep]
        use_gp = self.gp_base[recipient]
        unknown = use_gp & null_a[src]
        credit = np.where(unknown, 0, np.where(use_gp, gp_a[src], amount_a[src]) * frac)
        transfer = np.full(len(src), -1, dtype=np.int64)
        ruled = np.flatnonzero(self.has_rule[recipient])
        transfer[ruled] = self.transfers.days(recipient[ruled], acc_a[src[ruled]], day_a[src[ruled]])
        oid_a = np.array(oid, dtype=str)
        kind_a = np.array([k or "repeat" for k in kind], dtype=object)
        cols = Columns(
            rep=recipient, order_id=oid_a[src], account=acc_a[src],
            account_ref=self.book.refs[acc_a[src]], day=day_a[src],
            kind=kind_a[src], credit=credit, unknown=unknown, secondary=is_secondary, transfer=transfer,
            scale=scale,
        )  # fmt: skip
        return Shares(cols, team)
