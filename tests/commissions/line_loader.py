"""Per-line reads for the per-line oracle (line_period.py): order lines with who held the
account on their date (one SQL query joining the ownership intervals), and team credit sums."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection

from bookwise.accounts.models import Account, OrderLine, Ownership

from . import line_engine as engine

_CHUNK = 500
_FETCH = 20_000


def _tables() -> dict[str, str]:
    return {
        "line": OrderLine._meta.db_table,
        "acc": Account._meta.db_table,
        "own": Ownership._meta.db_table,
    }


def _holder_join(alias: str, role: str) -> str:
    own = _tables()["own"]
    return (
        f"LEFT JOIN {own} {alias} ON {alias}.account_id = l.account_id AND {alias}.role = '{role}'"
        f" AND {alias}.start_date <= l.order_date"
        f" AND ({alias}.end_date IS NULL OR {alias}.end_date >= l.order_date)"
    )


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _cents(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _money(value: int | None) -> Decimal:
    """Cents of a column that is never NULL (an amount) as money."""
    return Decimal(value or 0).scaleb(-2)


def iter_lines(
    start: date, end: date, account_ids: Iterable[int] | None = None, reps: Iterable[int] | None = None
) -> Iterator[engine.OrderLine]:
    """Order lines dated in [start, end] with their rep_id, primary and secondary owner
    on the date; optionally only some accounts, or only lines naming some reps (queried
    in chunks)."""
    t = _tables()
    sql = (
        "SELECT l.external_id, l.account_id, a.external_id, l.order_date, l.kind, l.amount,"
        " l.gross_profit, l.rep_id, p.rep_id, s.rep_id"
        f" FROM {t['line']} l JOIN {t['acc']} a ON a.id = l.account_id "
        f"{_holder_join('p', 'primary')} {_holder_join('s', 'secondary')}"
        " WHERE l.order_date >= %s AND l.order_date <= %s"
    )
    if account_ids is None and reps is None:
        yield from _run(sql, [start, end])
        return
    column, ids = ("l.account_id", account_ids) if reps is None else ("l.rep_id", reps)
    ordered = sorted({int(i) for i in ids or ()})
    for i in range(0, len(ordered), _CHUNK):
        chunk = ordered[i : i + _CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        yield from _run(f"{sql} AND {column} IN ({marks})", [start, end, *chunk])


def iter_chunk_lines(
    start: date, end: date, accounts: Iterable[int], reps: Iterable[int]
) -> Iterator[engine.OrderLine]:
    """A chunk's lines (chunks.py): those dated in [start, end] on `accounts`, and those
    naming one of `reps` on other accounts."""
    own = {int(a) for a in accounts}
    if own:
        yield from iter_lines(start, end, own)
    for line in iter_lines(start, end, reps=reps):
        if line.account not in own:
            yield line


def _run(sql: str, params: list) -> Iterator[engine.OrderLine]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_FETCH):
            for oid, acc, ref, day, kind, amount, gp, rep, primary, secondary in rows:
                yield engine.OrderLine(
                    oid,
                    acc,
                    ref,
                    _as_date(day),
                    kind or "repeat",
                    _money(amount),
                    _cents(gp),
                    rep,
                    primary,
                    secondary,
                )


def team_credit_groups(start: date, end: date) -> list[tuple[int | None, int | None, Decimal, Decimal]]:
    """(credited rep, secondary owner, sum of amount, sum of known gross profit) per
    pair over [start, end]: enough to split team credit exactly without loading lines."""
    t = _tables()
    sql = (
        "SELECT COALESCE(l.rep_id, p.rep_id, s.rep_id), s.rep_id,"
        " SUM(l.amount), SUM(COALESCE(l.gross_profit, 0))"
        f" FROM {t['line']} l {_holder_join('p', 'primary')} {_holder_join('s', 'secondary')}"
        " WHERE l.order_date >= %s AND l.order_date <= %s GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        return [(a, b, _money(int(c)), _money(int(d))) for a, b, c, d in cursor.fetchall()]


def day_before(day: date) -> date:
    return day - timedelta(days=1)
