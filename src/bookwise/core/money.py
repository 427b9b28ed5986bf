"""Money: exact Decimal in Python, integer cents in the database.

Storing cents keeps sums exact on SQLite (which would otherwise sum decimals as floats)
and fast everywhere; `MoneyField` converts at the boundary so code only sees Decimal.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    pass


_PLAIN_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
LARGEST = Decimal("1e15")  # well inside a 64-bit count of cents


def parse_money(text: str) -> Decimal:
    """Parse `1234.56` / `-12.5` (dot decimal, no thousands separator, no exponent) into
    Decimal; MoneyError says what is wrong otherwise."""
    raw = text.strip()
    if not _PLAIN_DECIMAL.match(raw):
        raise MoneyError(f"{text!r} is not a decimal amount (use 1234.56)")
    value = Decimal(raw)
    if abs(value) >= LARGEST:
        raise MoneyError(f"{text!r} is too large for an amount")
    if value != value.quantize(CENT):
        raise MoneyError(f"{text!r} has more than 2 decimal places")
    return value.quantize(CENT)


def round_cents(value: Decimal) -> Decimal:
    """Round half-up (away from zero for negatives) to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal | int) -> int:
    amount = Decimal(value)
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise MoneyError(f"{value} has fractions of a cent")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_money(value: Decimal | None) -> str:
    """The machine form (CSV, JSON): 1234567.50, no separators."""
    return "" if value is None else f"{value:.2f}"


def display_money(value: Decimal | int | float | str | None, missing: str = "—") -> str:
    """The form people read on the pages: 1,234,567.50, always two decimals (thousands
    separators; an amount finer than a cent, a median 9763.085 or a co-coverage share 0.006,
    rounded half-up to the cent: 9,763.09, 0.01). JSON, the API and the commands keep the
    exact figure (`format_money`, the statements' strings)."""
    if value is None or value == "":
        return missing
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not amount.is_finite():
        return str(value)
    return f"{round_cents(amount):,.2f}"


class MoneyField(models.BigIntegerField):
    """A Decimal amount stored as integer cents (exact sums on every database)."""

    description = "Money (Decimal, stored as integer cents)"
    # What django-stubs reads for the attribute types: Decimal in and out (narrower than the
    # integer field's, on purpose: models see money, never cents).
    _pyi_private_set_type: Decimal | int  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return from_cents(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value)).quantize(CENT)

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int | Decimal):
            return to_cents(value)
        return to_cents(Decimal(str(value)))

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DecimalField(max_digits=16, decimal_places=2, **kwargs)
