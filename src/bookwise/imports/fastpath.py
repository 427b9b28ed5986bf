"""The fast path for big order files (pure, no Django): a well-formed row is read with a
regex and integer cents, without Decimal; anything else goes to the general parser in
`parsers`, which gives the same values or explains the errors (a Hypothesis property in
tests/imports/test_parsers.py checks that they agree)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .parsers import ORDER_KINDS

_PLAIN_MONEY = re.compile(r"-?\d{1,14}(?:\.\d{1,2})?")
_ORDER_KINDS = frozenset(ORDER_KINDS)


def plain_cents(raw: str) -> int | None:
    """Cents of a plain `-1234.5` amount, or None when it is not that simple (the caller
    then uses `money`, which accepts or explains)."""
    if not _PLAIN_MONEY.fullmatch(raw):
        return None
    whole, _, frac = raw.partition(".")
    cents = abs(int(whole)) * 100 + int((frac + "00")[:2])
    return -cents if raw.startswith("-") else cents


def fast_order(raw: dict[str, str]) -> tuple[Any, ...] | None:
    """(order_id, account_id, order_date, amount cents, gross_profit cents or None,
    product_line, rep_id, kind) of a well-formed orders row, else None: the caller then
    parses it with `parse_file_row`, which gives the same values or the errors."""
    g = raw.get
    order_id, account_id = g("order_id", "").strip(), g("account_id", "").strip()
    day, amount = g("order_date", "").strip(), g("amount", "").strip()
    gp, line = (g("gross_profit") or "").strip(), (g("product_line") or "").strip()
    rep, kind = (g("rep_id") or "").strip(), (g("kind") or "").strip() or "repeat"
    if not order_id or not account_id or len(order_id) > 64 or len(account_id) > 64 or len(rep) > 64:
        return None
    if len(line) > 120 or kind not in _ORDER_KINDS or not _ISO_DAY.fullmatch(day):
        return None
    if "\0extra" in raw or "\0bad" in raw:  # marked by `reading`: the general parser explains
        return None
    cents, gp_cents = plain_cents(amount), plain_cents(gp) if gp else None
    if cents is None or (gp and gp_cents is None):
        return None
    try:
        order_date = date.fromisoformat(day)
    except ValueError:
        return None
    return order_id, account_id, order_date, cents, gp_cents, line, rep, kind


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
