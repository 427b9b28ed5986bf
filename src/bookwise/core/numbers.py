"""Numbers in the form people read them on the pages (the `number` and `percent` template
filters, and the sentences a page builds with figures in them): thousands separators, a
precision that suits the figure, a dash for a missing one. JSON, the API and the commands
keep their plain figures; these are for display only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"
TENTH = Decimal("0.1")
WHOLE_HOURS_FROM = Decimal(100)  # from 100 hours on, a tenth of an hour says nothing


def display_number(value: Decimal | float | int | str | None, digits: int | None = None) -> str:
    """A count or a quantity (hours, points) with thousands separators: 4187.5 -> 4,187.5;
    `digits` fixes the decimals; a dash for None."""
    if value is None or value == "":
        return MISSING
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if digits is not None:
        return f"{amount:,.{digits}f}"
    return f"{amount.normalize():,f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"


def display_percent(value: Decimal | float | str | None, digits: int = 1) -> str:
    """0.9312 -> 93.1 %; a dash for a missing or undefined ratio."""
    if value is None or value == "":
        return MISSING
    try:
        return f"{Decimal(str(value)) * 100:,.{digits}f} %"
    except (InvalidOperation, ValueError):
        return str(value)


def display_hours(value: Decimal | float | int | str | None, unit: bool = True) -> str:
    """Hours, with their unit unless the sentence has it: to the whole hour from 100 on
    (38931.75 -> 38,932 hours), to a tenth below (7.25 -> 7.3 hours, 1 -> 1 hour)."""
    if value is None or value == "":
        return MISSING
    amount = Decimal(str(value))
    step = Decimal(1) if abs(amount) >= WHOLE_HOURS_FROM else TENTH
    figure = display_number(amount.quantize(step, rounding=ROUND_HALF_UP))
    if not unit:
        return figure
    return f"{figure} {'hour' if figure == '1' else 'hours'}"
