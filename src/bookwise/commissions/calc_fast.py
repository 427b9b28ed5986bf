"""Columnar crediting for the vectorised path: one query for the period's order lines,
the ownership intervals resolved with a sorted search (primary and secondary owner on
each line's date), shares split per the credited rep's plan, transfer dates attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.db import connection

from bookwise.accounts.models import Account, OrderLine, Ownership

from .fastpath import Columns, _decimals, to_day

SHIFT = 1 << 21  # days fit below 2^21; keys are account * SHIFT + day


@dataclass
class Shares:
    cols: Columns
    team: dict[str, dict[int, Decimal]]  # base -> rep -> credit share over the period (every rep)


def _fetch(start: date, end: date) -> list[tuple]:
    sql = (
        "SELECT external_id, account_id, CAST(order_date AS TEXT), kind, amount, COALESCE(gross_profit, 0),"
        " CASE WHEN gross_profit IS NULL THEN 1 ELSE 0 END, COALESCE(rep_id, 0)"
        f" FROM {OrderLine._meta.db_table} WHERE order_date >= %s AND order_date <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        return cursor.fetchall()


def _days(values) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]").astype(np.int64)


def _holders(role: str, account: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The rep holding each (account, day) in `role`, 0 when nobody."""
    rows = list(
        Ownership.objects.filter(role=role).values_list("account_id", "start_date", "end_date", "rep_id")
    )
    if not rows:
        return np.zeros(len(account), dtype=np.int64)
    acc = np.array([r[0] for r in rows], dtype=np.int64)
    start = _days([r[1] for r in rows])
    end = np.array([to_day(r[2]) if r[2] else SHIFT - 1 for r in rows], dtype=np.int64)
    rep = np.array([r[3] for r in rows], dtype=np.int64)
    keys = acc * SHIFT + start
    order = np.argsort(keys, kind="stable")
    keys, acc, end, rep = keys[order], acc[order], end[order], rep[order]
    i = np.searchsorted(keys, account * SHIFT + day, side="right") - 1
    j = np.maximum(i, 0)
    ok = (i >= 0) & (acc[j] == account) & (end[j] >= day)
    return np.where(ok, rep[j], 0)


def _transfer_days(rep: np.ndarray, account: np.ndarray, day: np.ndarray, transfers) -> np.ndarray:
    """Latest transfer t <= day of (rep, account), -1 when none."""
    pairs = [(r, a, to_day(t)) for (r, a), starts in transfers.items() for t in starts]
    if not pairs:
        return np.full(len(rep), -1, dtype=np.int64)
    pair = np.array([p[0] for p in pairs], dtype=np.int64) * (1 << 32) + np.array([p[1] for p in pairs])
    uniq = np.unique(pair)
    keys = np.sort(np.searchsorted(uniq, pair) * SHIFT + np.array([p[2] for p in pairs]))
    line_pair = rep * (1 << 32) + account
    pos = np.minimum(np.searchsorted(uniq, line_pair), len(uniq) - 1)
    known = uniq[pos] == line_pair
    i = np.searchsorted(keys, pos * SHIFT + day, side="right") - 1
    j = np.maximum(i, 0)
    ok = known & (i >= 0) & (keys[j] // SHIFT == pos)
    return np.where(ok, keys[j] % SHIFT, -1)


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


def _account_refs() -> np.ndarray:
    """External account ids indexed by account pk."""
    pairs = list(Account.objects.values_list("id", "external_id"))
    refs = np.empty(max([0] + [p[0] for p in pairs]) + 1, dtype=object)
    for pk, ref in pairs:
        refs[pk] = ref
    return refs


def load_shares(start: date, end: date, rep_plans: dict, transfers: dict, reassignment=None) -> Shares:
    rows = _fetch(start, end)
    scale = 10 ** max([0] + [_decimals([p.plan.co_coverage_split]) for p in rep_plans.values()])
    oid, acc, day, kind, amount, gp, gp_null, named = (
        (list(c) for c in zip(*rows, strict=True)) if rows else [[]] * 8
    )
    acc_a = np.array(acc, dtype=np.int64)
    day_a = _days(day) if rows else np.zeros(0, dtype=np.int64)
    primary, secondary = _holders("primary", acc_a, day_a), _holders("secondary", acc_a, day_a)
    if reassignment is not None:  # a what-if: the account's primary owner from its start
        moved = (acc_a == reassignment.account) & (day_a >= to_day(reassignment.start))
        primary = np.where(moved, reassignment.rep, primary)
    named_a = np.array(named, dtype=np.int64)
    credited = np.where(named_a > 0, named_a, np.where(primary > 0, primary, secondary))
    size = int(max([0, *rep_plans, credited.max(initial=0), secondary.max(initial=0)])) + 1
    split, has_plan, gp_base, has_rule = _plan_arrays(rep_plans, size, scale)
    shared = (credited > 0) & (secondary > 0) & (secondary != credited) & (split[credited] > 0)
    main = np.flatnonzero(credited > 0)
    extra = np.flatnonzero(shared)
    src = np.concatenate([main, extra])
    recipient = np.concatenate([credited[main], secondary[extra]])
    frac = np.concatenate(
        [np.where(shared[main], scale - split[credited[main]], scale), split[credited[extra]]]
    )
    is_secondary = np.r_[np.zeros(len(main), dtype=bool), np.ones(len(extra), dtype=bool)]
    amount_a, gp_a, null_a = (
        np.array(amount, dtype=np.int64),
        np.array(gp, dtype=np.int64),
        np.array(gp_null, dtype=bool),
    )
    team = {
        "amount": _team(recipient, amount_a[src] * frac, scale),
        "gross_profit": _team(recipient, gp_a[src] * frac, scale),
    }
    keep = has_plan[recipient]
    src, recipient, frac, is_secondary = src[keep], recipient[keep], frac[keep], is_secondary[keep]
    use_gp = gp_base[recipient]
    unknown = use_gp & null_a[src]
    credit = np.where(unknown, 0, np.where(use_gp, gp_a[src], amount_a[src]) * frac)
    transfer = np.full(len(src), -1, dtype=np.int64)
    ruled = np.flatnonzero(has_rule[recipient])
    transfer[ruled] = _transfer_days(recipient[ruled], acc_a[src[ruled]], day_a[src[ruled]], transfers)
    refs = _account_refs()
    oid_a = np.array(oid, dtype=str)
    kind_a = np.array([k or "repeat" for k in kind], dtype=object)
    cols = Columns(
        rep=recipient, order_id=oid_a[src], account=acc_a[src],
        account_ref=refs[acc_a[src]], day=day_a[src],
        kind=kind_a[src], credit=credit, unknown=unknown, secondary=is_secondary, transfer=transfer,
        scale=scale,
    )  # fmt: skip
    return Shares(cols, team)
