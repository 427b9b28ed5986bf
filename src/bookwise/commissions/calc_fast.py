"""Columnar crediting for the vectorised path, one chunk of reps at a time: the period's
lines read once and sorted out to the chunks (Spill), the ownership intervals resolved
with a sorted search (primary and secondary owner on each line's date), shares split per
the credited rep's plan, the shares of the chunk's reps kept, transfer dates attached."""

from __future__ import annotations

import marshal
from collections import defaultdict
from collections.abc import Sequence
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
_SQL = f"SELECT {_COLUMNS} FROM {OrderLine._meta.db_table} WHERE order_date >= %s AND order_date <= %s"


class Spill:
    """The period's lines read with one query and sorted out to the chunks that need them
    (a line can go to two: co-coverage, a transfer, a line naming a rep), kept in a
    temporary file (`file`, the caller's) until each chunk takes its own. One pass over the
    lines however many chunks: a query per chunk would read most of the table's pages every
    time on PostgreSQL when the period's lines are spread over it."""

    def __init__(
        self, file: IO[bytes], start: date, end: date, chunks: Sequence[Chunk], crediting: FastCrediting
    ) -> None:
        route: dict[int, tuple[int, ...]] = {}
        for k, chunk in enumerate(chunks):
            for account in chunk.accounts.tolist():
                route[account] = (*route.get(account, ()), k)
        named = {rep: k for k, chunk in enumerate(chunks) for rep in chunk.reps}
        self.file = file
        self.parts: list[list[tuple[int, int]]] = [[] for _ in chunks]  # (offset, size) per chunk
        self.team = Team(crediting.scale)  # every rep's credit over the period, for the overrides
        with connection.chunked_cursor() as cursor:  # streamed (a server-side cursor on PostgreSQL)
            cursor.execute(_SQL, [start, end])
            while rows := cursor.fetchmany(_FETCH):
                self._sort_out(rows, route, named)
                crediting.add_team(self.team, rows)

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


class Team:
    """base -> rep -> credit share in units of 1 / (100 x scale), summed batch by batch of
    lines (exact: Python integers across batches)."""

    def __init__(self, scale: int) -> None:
        self.scale = scale
        self.units: dict[str, dict[int, int]] = {"amount": defaultdict(int), "gross_profit": defaultdict(int)}

    def add(self, recipient: np.ndarray, amount: np.ndarray, gross_profit: np.ndarray) -> None:
        if len(recipient) == 0:
            return
        order = np.argsort(recipient, kind="stable")
        r = recipient[order]
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
        reps = r[starts].tolist()
        for base, units in (("amount", amount), ("gross_profit", gross_profit)):
            sums = self.units[base]
            for rep, total in zip(reps, np.add.reduceat(units[order], starts).tolist(), strict=True):
                sums[rep] += total

    def credit(self) -> dict[str, dict[int, Decimal]]:
        unit = 100 * self.scale
        return {
            base: {rep: Decimal(v) / unit for rep, v in sums.items()} for base, sums in self.units.items()
        }


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

    def _credit(self, acc: np.ndarray, day: np.ndarray, named: np.ndarray):
        """Every share of the lines: (line index, recipient, fraction in 1 / scale, secondary)."""
        primary, secondary = self.primary.on(acc, day), self.secondary.on(acc, day)
        r = self.reassignment
        if r is not None:  # a what-if: the account's primary owner from its start
            moved = (acc == r.account) & (day >= to_day(r.start))
            primary = np.where(moved, r.rep, primary)
        credited = np.where(named > 0, named, np.where(primary > 0, primary, secondary))
        split, scale = self.split, self.scale
        shared = (credited > 0) & (secondary > 0) & (secondary != credited) & (split[credited] > 0)
        main = np.flatnonzero(credited > 0)
        extra = np.flatnonzero(shared)
        src = np.concatenate([main, extra])
        recipient = np.concatenate([credited[main], secondary[extra]])
        frac = np.concatenate(
            [np.where(shared[main], scale - split[credited[main]], scale), split[credited[extra]]]
        )
        is_secondary = np.r_[np.zeros(len(main), dtype=bool), np.ones(len(extra), dtype=bool)]
        return src, recipient, frac, is_secondary

    def add_team(self, team: Team, rows: list[tuple]) -> None:
        """Every rep's shares of `rows` (lines as _COLUMNS gives them) added to `team`."""
        _, acc, day, _, amount, gp, _, named = zip(*rows, strict=True)
        src, recipient, frac, _ = self._credit(
            np.array(acc, dtype=np.int64), days_of(day), np.array(named, dtype=np.int64)
        )
        amount_a, gp_a = np.array(amount, dtype=np.int64), np.array(gp, dtype=np.int64)
        team.add(recipient, amount_a[src] * frac, gp_a[src] * frac)

    def team(self, start: date, end: date) -> dict[str, dict[int, Decimal]]:
        """base -> rep -> credit share over [start, end] (every rep), in one pass."""
        team = Team(self.scale)
        with connection.chunked_cursor() as cursor:
            cursor.execute(_SQL, [start, end])
            while rows := cursor.fetchmany(_FETCH):
                self.add_team(team, rows)
        return team.credit()

    def shares(self, chunk: Chunk, rows: list[tuple]) -> Columns:
        """The chunk's reps' shares of `rows` (the chunk's lines, Spill.rows)."""
        scale = self.scale
        oid, acc, day, kind, amount, gp, gp_null, named = (
            (list(c) for c in zip(*rows, strict=True)) if rows else [[]] * 8
        )
        acc_a = np.array(acc, dtype=np.int64)
        day_a = days_of(day) if rows else np.zeros(0, dtype=np.int64)
        src, recipient, frac, is_secondary = self._credit(acc_a, day_a, np.array(named, dtype=np.int64))
        mine = np.isin(recipient, np.array(chunk.reps, dtype=np.int64)) & self.has_plan[recipient]
        src, recipient, frac, is_secondary = src[mine], recipient[mine], frac[mine], is_secondary[mine]
        amount_a, gp_a, null_a = (
            np.array(amount, dtype=np.int64),
            np.array(gp, dtype=np.int64),
            np.array(gp_null, dtype=bool),
        )
        use_gp = self.gp_base[recipient]
        unknown = use_gp & null_a[src]
        credit = np.where(unknown, 0, np.where(use_gp, gp_a[src], amount_a[src]) * frac)
        transfer = np.full(len(src), -1, dtype=np.int64)
        ruled = np.flatnonzero(self.has_rule[recipient])
        transfer[ruled] = self.transfers.days(recipient[ruled], acc_a[src[ruled]], day_a[src[ruled]])
        oid_a = np.array(oid, dtype=str)
        kind_a = np.array([k or "repeat" for k in kind], dtype=object)
        return Columns(
            rep=recipient, order_id=oid_a[src], account=acc_a[src],
            account_ref=self.book.refs[acc_a[src]], day=day_a[src],
            kind=kind_a[src], credit=credit, unknown=unknown, secondary=is_secondary, transfer=transfer,
            scale=scale,
        )  # fmt: skip
