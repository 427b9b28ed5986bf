"""Pure parsing and validation of import files (no Django): headers, rows, fields (the
files are read by `reading`).

The column specifications below ARE the contract of docs IMPORT_FORMATS.md: a column is
never renamed; the enum values mirror the models' TextChoices (a test checks they agree).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bookwise.core.dates import parse_iso_date
from bookwise.core.money import parse_money

ROLES = ("hunter", "account_manager", "sales_manager", "director")
STATUSES = ("active", "lost")
LOST_REASONS = (
    "acquired",
    "bankrupt",
    "closed",
    "relocated",
    "price",
    "service",
    "competitor",
    "relationship",
    "other",
)
OWNERSHIP_ROLES = ("primary", "secondary")
OWNERSHIP_REASONS = (
    "import",
    "transfer",
    "departure",
    "promotion",
    "rebalance",
    "manager_offload",
    "hunter_to_am",
    "other",
)
ORDER_KINDS = ("new", "repeat", "contract_release")
STAGES = ("prospecting", "engaging", "proposal", "won", "lost")
ACTIVITY_KINDS = ("prospecting", "new_business_meeting", "account_nurturing", "admin", "training")
AGREEMENT_KINDS = ("blanket", "kanban", "framework")
AGREEMENT_STATUSES = ("draft", "active", "expired", "renewed", "cancelled")
KINDS = ("reps", "accounts", "ownership", "orders", "opportunities", "activities", "agreements")


@dataclass(frozen=True, order=True)
class RowError:
    """One problem in a file; rendered as `FILE:LINE: COLUMN: message`."""

    line: int
    column: str
    message: str

    def render(self, filename: str) -> str:
        if self.line == 0:  # the whole file (unreadable), not one row
            return f"{filename}: {self.message}"
        return f"{filename}:{self.line}: {self.column}: {self.message}"


class HeaderError(Exception):
    """The header row is unusable (unknown or missing columns); nothing was read."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class FileError(Exception):
    """The file cannot be read further (over a limit, not UTF-8, malformed): the error names
    the line (0 = the whole file)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.errors = [error]


# ---------------------------------------------------------------- field parsers

Parser = Callable[[str], Any]


def text(max_length: int) -> Parser:
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        return raw

    return parse


def enum(values: tuple[str, ...]) -> Parser:
    def parse(raw: str) -> str:
        if raw not in values:
            raise ValueError(f"{raw!r} is not one of {', '.join(values)}")
        return raw

    return parse


def money(raw: str) -> Decimal:
    value = parse_money(raw)
    if abs(value) >= Decimal("1e16"):
        raise ValueError(f"{raw!r} is too large")
    return value


def iso_date(raw: str) -> date:
    return parse_iso_date(raw)


def positive_int(raw: str) -> int:
    if not re.fullmatch(r"\d{1,9}", raw):
        raise ValueError(f"{raw!r} is not a whole number >= 0")
    return int(raw)


def hours(raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number of hours") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{raw!r} is not a number of hours with at most 2 decimals")
    if not Decimal(0) < value <= Decimal(24):
        raise ValueError(f"{raw} hours is out of range (more than 0, at most 24)")
    return value.quantize(Decimal("0.01"))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(raw: str) -> str:
    if len(raw) > 254 or not _EMAIL.match(raw):
        raise ValueError(f"{raw!r} is not an email address")
    return raw


def yes_no(raw: str) -> bool:
    value = raw.lower()
    if value in ("yes", "true", "1"):
        return True
    if value in ("no", "false", "0"):
        return False
    raise ValueError(f"{raw!r} is not yes or no")


def quantity(raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a quantity") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")) or value >= Decimal("1e12"):
        raise ValueError(f"{raw!r} is not a quantity with at most 2 decimals")
    return value


@dataclass(frozen=True)
class Column:
    parse: Parser
    required: bool = False
    default: Any = None


def _id() -> Column:
    return Column(text(64), required=True)


def _ref() -> Column:
    return Column(text(64))


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: dict[str, Column]
    checks: tuple[Callable[[dict[str, Any]], list[tuple[str, str]]], ...] = field(default=())

    @property
    def header(self) -> list[str]:
        return list(self.columns)


def _not_before(later: str, earlier: str) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
    def check(row: dict[str, Any]) -> list[tuple[str, str]]:
        if row.get(later) and row.get(earlier) and row[later] < row[earlier]:
            return [(later, f"{row[later]} is before {earlier} {row[earlier]}")]
        return []

    return check


def _lost_needs_date_and_reason(row: dict[str, Any]) -> list[tuple[str, str]]:
    if row.get("status") != "lost":
        return []
    return [(c, "required when status is lost") for c in ("lost_date", "lost_reason") if not row.get(c)]


SPECS: dict[str, Spec] = {
    "reps": Spec(
        "reps",
        {
            "rep_id": _id(),
            "name": Column(text(200), required=True),
            "email": Column(email),
            "role": Column(enum(ROLES), required=True),
            "manager_id": _ref(),
            "territory": Column(text(120)),
            "region": Column(text(120)),
            "hire_date": Column(iso_date),
            "end_date": Column(iso_date),
            "capacity": Column(positive_int, default=100),
        },
        (_not_before("end_date", "hire_date"),),
    ),
    "accounts": Spec(
        "accounts",
        {
            "account_id": _id(),
            "name": Column(text(255), required=True),
            "industry": Column(text(120)),
            "territory": Column(text(120)),
            "owner_id": _ref(),
            "secondary_owner_id": _ref(),
            "parent_account_id": _ref(),
            "created_date": Column(iso_date),
            "potential_revenue": Column(money),
            "status": Column(enum(STATUSES), default="active"),
            "lost_date": Column(iso_date),
            "lost_reason": Column(enum(LOST_REASONS)),
        },
        (_lost_needs_date_and_reason,),
    ),
    "ownership": Spec(
        "ownership",
        {
            "account_id": _id(),
            "rep_id": _id(),
            "role": Column(enum(OWNERSHIP_ROLES), default="primary"),
            "start_date": Column(iso_date, required=True),
            "end_date": Column(iso_date),
            "reason": Column(enum(OWNERSHIP_REASONS), default="import"),
        },
        (_not_before("end_date", "start_date"),),
    ),
    "orders": Spec(
        "orders",
        {
            "order_id": _id(),
            "account_id": _id(),
            "order_date": Column(iso_date, required=True),
            "amount": Column(money, required=True),
            "gross_profit": Column(money),
            "product_line": Column(text(120)),
            "rep_id": _ref(),
            "kind": Column(enum(ORDER_KINDS), default="repeat"),
        },
    ),
    "opportunities": Spec(
        "opportunities",
        {
            "opportunity_id": _id(),
            "account_id": _id(),
            "rep_id": _ref(),
            "name": Column(text(255)),
            "stage": Column(enum(STAGES), required=True),
            "amount": Column(money),
            "expected_close_date": Column(iso_date),
            "closed_date": Column(iso_date),
        },
    ),
    "activities": Spec(
        "activities",
        {
            "rep_id": _id(),
            "date": Column(iso_date, required=True),
            "hours": Column(hours, required=True),
            "kind": Column(enum(ACTIVITY_KINDS), required=True),
            "account_id": _ref(),
            "note": Column(text(500)),
        },
    ),
    "agreements": Spec(
        "agreements",
        {
            "agreement_id": _id(),
            "account_id": _id(),
            "kind": Column(enum(AGREEMENT_KINDS), required=True),
            "start_date": Column(iso_date, required=True),
            "end_date": Column(iso_date, required=True),
            "committed_amount": Column(money, required=True),
            "committed_quantity": Column(quantity),
            "product_line": Column(text(120), default=""),
            "include_subsidiaries": Column(yes_no, default=False),
            "price_terms": Column(text(4000), default=""),
            "notice_days": Column(positive_int, default=90),
            "owner_id": _ref(),
            "status": Column(enum(AGREEMENT_STATUSES), default="active"),
            "document_ref": Column(text(200), default=""),
            "renews_id": _ref(),
        },
        (_not_before("end_date", "start_date"),),
    ),
}


def check_header(spec: Spec, header: list[str]) -> list[str]:
    """Normalised column names (lower case, stripped); HeaderError for unknown, duplicate
    or missing required columns (all of them reported at once, on line 1)."""
    names = [(h or "").strip().lower() for h in header]
    errors: list[RowError] = []
    for index, name in enumerate(names):
        if name not in spec.columns:
            shown = name or f"(column {index + 1})"
            errors.append(RowError(1, shown, f"unknown column (expected: {', '.join(spec.header)})"))
        elif name in names[:index]:
            errors.append(RowError(1, name, "column appears twice"))
    for name, column in spec.columns.items():
        if column.required and name not in names:
            errors.append(RowError(1, name, "missing required column"))
    if errors:
        raise HeaderError(errors)
    return names


def parse_row(spec: Spec, line: int, raw: dict[str, str]) -> tuple[dict[str, Any], list[RowError]]:
    """Typed values for every column of the spec (missing = default) and the row's errors."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, column in spec.columns.items():
        cell = (raw.get(name) or "").strip()
        if not cell:
            if column.required:
                errors.append(RowError(line, name, "required"))
            values[name] = column.default
            continue
        try:
            values[name] = column.parse(cell)
        except ValueError as error:
            errors.append(RowError(line, name, str(error)))
            values[name] = None
    if not errors:
        for check in spec.checks:
            errors.extend(RowError(line, col, msg) for col, msg in check(values))
    return values, errors


# ---------------------------------------------------------------- reading files

Rows = Iterator[tuple[int, dict[str, str]]]


def shape_errors(line: int, raw: dict[str, str]) -> list[RowError]:
    """The problems `reading` found in the row's cells: more cells than the header, control
    characters, cells over the length limit (marked under keys starting with a NUL)."""
    errors = [RowError(line, "-", raw["\0extra"])] if "\0extra" in raw else []
    if "\0bad" in raw:
        errors += [RowError(line, k[5:], v) for k, v in raw.items() if k.startswith("\0bad:")]
    return errors


def parse_file_row(spec: Spec, line: int, raw: dict[str, str]) -> tuple[dict[str, Any], list[RowError]]:
    values, errors = parse_row(spec, line, raw)
    return values, shape_errors(line, raw) + errors
