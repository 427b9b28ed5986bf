"""Crediting, stated once and in columns: who each line credits (its `rep_id`, else the
primary owner on its date, else the secondary owner), the co-coverage share of the
secondary owner on the date (the credited rep's plan's split), each share in its
recipient's plan base (unknown gross profit credits 0), the transfer date of each share;
the team sums of the overrides and the threshold baselines come from the same step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from bookwise.core.dates import add_months

from . import reading
from .chunks import Book, Chunk, Reassignment
from .period import SHIFT, PayPeriod, days_of, to_day
from .reading import Row
from .rules import TransferContext
from .statements import PaidPlan
from .vector import Columns, decimals

Shares = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class TransferIndex:
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


def _plan_arrays(
    rep_plans: dict[int, PaidPlan], size: int, scale: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


class Crediting:
    """The crediting step of one period: owners, plan arrays indexed by rep pk, transfer
    dates (with a what-if's reassignment counted as a transfer), prepared once."""

    def __init__(
        self, rep_plans: dict[int, PaidPlan], transfers: dict[tuple[int, int], list[date]], book: Book,
        reassignment: Reassignment | None = None,
    ) -> None:  # fmt: skip
        self.rep_plans, self.book, self.reassignment = rep_plans, book, reassignment
        if reassignment is not None:
            key = (reassignment.rep, reassignment.account)
            transfers = {**transfers, key: sorted([*transfers.get(key, []), reassignment.start])}
        self.scale = 10 ** max([0] + [decimals([p.plan.co_coverage_split]) for p in rep_plans.values()])
        self.primary, self.secondary = book.holders("primary"), book.holders("secondary")
        self.transfers = TransferIndex(transfers)
        self.size = max([0, *rep_plans, book.largest_rep()]) + 1  # any rep can be credited
        self.split, self.has_plan, self.gp_base, self.has_rule = _plan_arrays(
            rep_plans, self.size, self.scale
        )

    def credit(self, acc: np.ndarray, day: np.ndarray, named: np.ndarray) -> Shares:
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

    def new_team(self) -> Team:
        return Team(self.scale)

    def add_team(self, team: Team, rows: list[Row]) -> None:
        """Every rep's shares of `rows` (reading.ROW) added to `team`."""
        _, acc, day, _, amount, gp, _, named = zip(*rows, strict=True)
        src, recipient, frac, _ = self.credit(
            np.array(acc, dtype=np.int64), days_of(day), np.array(named, dtype=np.int64)
        )
        amount_a, gp_a = np.array(amount, dtype=np.int64), np.array(gp, dtype=np.int64)
        team.add(recipient, amount_a[src] * frac, gp_a[src] * frac)

    def team(self, start: date, end: date) -> dict[str, dict[int, Decimal]]:
        """base -> rep -> credit share over [start, end] (every rep), in one pass."""
        team = Team(self.scale)
        for rows in reading.batches(start, end):
            self.add_team(team, rows)
        return team.credit()

    def shares(self, chunk: Chunk, rows: list[Row]) -> Columns:
        """The chunk's reps' shares of `rows` (the chunk's lines, Spill.rows)."""
        oid, acc, day, kind, amount, gp, gp_null, named = (
            (list(c) for c in zip(*rows, strict=True)) if rows else [[]] * 8
        )
        acc_a = np.array(acc, dtype=np.int64)
        day_a = days_of(day) if rows else np.zeros(0, dtype=np.int64)
        src, recipient, frac, is_secondary = self.credit(acc_a, day_a, np.array(named, dtype=np.int64))
        mine = np.isin(recipient, np.array(chunk.reps, dtype=np.int64)) & self.has_plan[recipient]
        src, recipient, frac, is_secondary = src[mine], recipient[mine], frac[mine], is_secondary[mine]
        amount_a, gp_a = np.array(amount, dtype=np.int64), np.array(gp, dtype=np.int64)
        use_gp = self.gp_base[recipient]
        unknown = use_gp & np.array(gp_null, dtype=bool)[src]
        credit = np.where(unknown, 0, np.where(use_gp, gp_a[src], amount_a[src]) * frac)
        transfer = np.full(len(src), -1, dtype=np.int64)
        ruled = np.flatnonzero(self.has_rule[recipient])
        transfer[ruled] = self.transfers.days(recipient[ruled], acc_a[src[ruled]], day_a[src[ruled]])
        kind_a = np.array([k or "repeat" for k in kind], dtype=object)
        return Columns(
            rep=recipient, order_id=np.array(oid, dtype=str)[src], account=acc_a[src],
            account_ref=self.book.refs[acc_a[src]], day=day_a[src],
            kind=kind_a[src], credit=credit, unknown=unknown, secondary=is_secondary, transfer=transfer,
            scale=self.scale,
        )  # fmt: skip

    def contexts(
        self, keys: set[tuple[int, int, date]], period: PayPeriod
    ) -> dict[int, dict[tuple[int, date], TransferContext]]:
        """Baseline B and the rep's credit from t before the period, for every (rep,
        account, t) of a line under a threshold rule: the lines of those accounts over
        [min t - 12 months, the day before max(period start, max t)], credited as above."""
        if not keys:
            return {}
        start = min(add_months(t, -12) for _, _, t in keys)
        # B covers [t - 12 months, t - 1 day], which reaches into the period when t lies in it.
        end = max(period.start, *(t for _, _, t in keys))
        sums = _ContextSums(self, reading.batches(start, end, {a for _, a, _ in keys}), end)
        out: dict[int, dict[tuple[int, date], TransferContext]] = defaultdict(dict)
        unit = 100 * self.scale
        for rep, account, t in keys:
            gp = self.gp_base[rep]
            baseline = sums.whole(account, to_day(add_months(t, -12)), to_day(t), gp)
            prior = sums.share(rep, account, to_day(t), to_day(period.start), gp)
            out[rep][(account, t)] = TransferContext(Decimal(baseline) / unit, Decimal(prior) / unit)
        return out


class _ContextSums:
    """Prefix sums over lines read for the threshold contexts (days before `end`): whole
    lines that credit someone, by (account, day); shares, by (rep, account, day); in
    credit units, amount and gross profit (unknown = 0)."""

    def __init__(self, crediting: Crediting, parts: Iterable[list[Row]], end: date) -> None:
        columns: list[list[Any]] = [[] for _ in reading.ROW]
        for rows in parts:
            for column, values in zip(columns, zip(*rows, strict=True), strict=True):
                column += values
        _, acc, day, _, amount, gp, _, named = columns
        day_a = days_of(day) if day else np.zeros(0, np.int64)
        keep = day_a < to_day(end)
        acc_a, day_a = np.array(acc, dtype=np.int64)[keep], day_a[keep]
        amount_a = np.array(amount, dtype=np.int64)[keep] * crediting.scale
        gp_a = np.array(gp, dtype=np.int64)[keep] * crediting.scale
        named_a = np.array(named, dtype=np.int64)[keep]
        src, recipient, frac, _ = crediting.credit(acc_a, day_a, named_a)
        credited = np.zeros(len(acc_a), dtype=bool)
        credited[src] = True
        self.lines = _Prefix(acc_a, day_a, amount_a * credited, gp_a * credited)
        pair = recipient * (1 << 32) + acc_a[src]
        self.pairs = np.unique(pair)
        pos = np.searchsorted(self.pairs, pair)
        scale = crediting.scale
        self.shares = _Prefix(pos, day_a[src], amount_a[src] // scale * frac, gp_a[src] // scale * frac)

    def whole(self, account: int, first: int, stop: int, gp: bool) -> int:
        return self.lines.total(account, first, stop, gp)

    def share(self, rep: int, account: int, first: int, stop: int, gp: bool) -> int:
        pair = rep * (1 << 32) + account
        pos = int(np.searchsorted(self.pairs, pair))
        if pos >= len(self.pairs) or self.pairs[pos] != pair:
            return 0
        return self.shares.total(pos, first, stop, gp)


class _Prefix:
    """Sums of two measures over days [first, stop) of one id, by a sorted search."""

    def __init__(self, ident: np.ndarray, day: np.ndarray, amount: np.ndarray, gp: np.ndarray) -> None:
        keys = ident * SHIFT + day
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.amount = np.r_[0, np.cumsum(amount[order])]
        self.gp = np.r_[0, np.cumsum(gp[order])]

    def total(self, ident: int, first: int, stop: int, gp: bool) -> int:
        if stop <= first:  # an empty window (t on or after the period's start: no credit before it)
            return 0
        lo, hi = np.searchsorted(self.keys, [ident * SHIFT + first, ident * SHIFT + stop])
        sums = self.gp if gp else self.amount
        return int(sums[hi] - sums[lo])
