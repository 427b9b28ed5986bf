"""The domain rules of an agreement's values, pure and shared by the services (pages, API)
and the `agreements` import: each problem is (field, message), the field being the import
column / API field name; `LABELS` gives the words a user sees."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.core.dates import add_months
from bookwise.core.errors import RuleViolation
from bookwise.core.validation import InvalidValue, real_answer

LABELS = {
    "agreement_id": "Agreement id",
    "account_id": "Account",
    "kind": "Kind",
    "start_date": "Start date",
    "end_date": "End date",
    "committed_amount": "Committed amount",
    "committed_quantity": "Committed quantity",
    "product_line": "Product line",
    "include_subsidiaries": "Include subsidiaries",
    "price_terms": "Price terms",
    "notice_days": "Notice period (days)",
    "owner_id": "Owner",
    "status": "Status",
    "document_ref": "Document reference",
    "renews_id": "Renews",
}
YEARS_BACK, YEARS_AHEAD, LONGEST_YEARS = 15, 2, 10
MAX_NOTICE_DAYS = 365
MAX_AMOUNT = Decimal("1e13")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

Problem = tuple[str, str]


def _id(value: Any) -> list[Problem]:
    if not isinstance(value, str) or not _ID.match(value):
        return [("agreement_id", f"{value!r} is not an id (letters, digits, . _ -; at most 64)")]
    return []


def _dates(values: dict[str, Any], today: date) -> list[Problem]:
    start, end = values.get("start_date"), values.get("end_date")
    found: list[Problem] = []
    if start is not None:
        low, high = add_months(today, -12 * YEARS_BACK), add_months(today, 12 * YEARS_AHEAD)
        if not low <= start <= high:
            found.append(("start_date", f"{start} is not between {low} and {high}"))
    if start is not None and end is not None:
        if end < start:
            found.append(("end_date", f"{end} is before the start date {start}"))
        elif end > add_months(start, 12 * LONGEST_YEARS):
            found.append(
                ("end_date", f"{end} is more than {LONGEST_YEARS} years after the start date {start}")
            )
    return found


def _amounts(values: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    amount = values.get("committed_amount")
    if amount is not None and not Decimal(0) < amount < MAX_AMOUNT:
        found.append(("committed_amount", f"{amount} must be more than 0 and less than 10,000,000,000,000"))
    quantity = values.get("committed_quantity")
    if quantity is not None and not Decimal(0) < quantity < MAX_AMOUNT:
        found.append(("committed_quantity", f"{quantity} must be more than 0 (or left empty)"))
    notice = values.get("notice_days")
    if notice is not None and not 0 <= notice <= MAX_NOTICE_DAYS:
        found.append(("notice_days", f"{notice} is not between 0 and {MAX_NOTICE_DAYS}"))
    return found


def _texts(values: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    for name in ("price_terms", "document_ref"):
        text = values.get(name) or ""
        if text.strip():
            try:
                real_answer(text, LABELS[name])
            except InvalidValue as error:
                found.append((name, error.message.split(": ", 1)[1]))
    return found


CHECKS: tuple[Callable[..., list[Problem]], ...] = (_amounts, _texts)


def problems(values: dict[str, Any], today: date) -> list[Problem]:
    """Every rule the values break (only the fields present are checked)."""
    found = _id(values["agreement_id"]) if "agreement_id" in values else []
    found += _dates(values, today)
    for check in CHECKS:
        found += check(values)
    return found


def refuse(found: list[Problem]) -> None:
    """Raise the first problem as a 422 naming the field by its label."""
    if found:
        field, message = found[0]
        raise RuleViolation(
            f"{LABELS.get(field, field)}: {message}.", {"field": field, "label": LABELS.get(field)}
        )
