"""Domain rules for single values, stated once and used by forms, the API, imports and
commands alike. Each check raises `InvalidValue` (a 422 `RuleViolation`) whose message
names the field by the label a user sees and quotes the value, e.g.
    Effective date: 2099-12-31 is more than 365 days after today (2026-12-05).
The services call these; forms and API schemas only parse types."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from bookwise.core.errors import RuleViolation

#: the shortest text that counts as an answer, and what never does
MIN_ANSWER_CHARS = 3
_NO_ANSWER = re.compile(r"^[\W_]*$|^(n/?a|none|nil|x+|tbd|todo|test|asdf|\?+)$", re.IGNORECASE)


class InvalidValue(RuleViolation):
    """A value that parses but makes no sense for the domain; `extra` names the field."""

    def __init__(self, label: str, message: str, field: str = "") -> None:
        super().__init__(f"{label}: {message}", {"field": field or label, "label": label})


def date_within(
    value: date,
    label: str,
    *,
    not_before: date | None = None,
    not_after: date | None = None,
    before_what: str = "",
    after_what: str = "",
    field: str = "",
) -> date:
    """`value` inside [not_before, not_after]; `before_what`/`after_what` say what the bound is
    ("the account's start", "today") so the message reads as a sentence."""
    if not_before is not None and value < not_before:
        what = before_what or f"{not_before:%Y-%m-%d}"
        raise InvalidValue(label, f"{value:%Y-%m-%d} is before {what} ({not_before:%Y-%m-%d}).", field)
    if not_after is not None and value > not_after:
        what = after_what or f"{not_after:%Y-%m-%d}"
        raise InvalidValue(label, f"{value:%Y-%m-%d} is after {what} ({not_after:%Y-%m-%d}).", field)
    return value


def date_not_future(value: date, label: str, today: date, field: str = "") -> date:
    """A date of something that has happened: not after today."""
    return date_within(value, label, not_after=today, after_what="today", field=field)


def date_near_today(
    value: date, label: str, today: date, *, days_back: int, days_ahead: int, field: str = ""
) -> date:
    """A date within a window around today (a plan's due date, an effective date)."""
    return date_within(
        value,
        label,
        not_before=today - timedelta(days=days_back),
        not_after=today + timedelta(days=days_ahead),
        before_what=f"{days_back} days before today",
        after_what=f"{days_ahead} days after today",
        field=field,
    )


def whole_number_between(value: int, label: str, low: int, high: int, field: str = "") -> int:
    if not low <= value <= high:
        raise InvalidValue(label, f"{value} is not between {low} and {high}.", field)
    return value


def amount_not_negative(value: Decimal | int, label: str, field: str = "") -> Decimal | int:
    if value < 0:
        raise InvalidValue(label, f"{value} is negative; it must be 0 or more.", field)
    return value


def real_answer(value: str | None, label: str, *, min_chars: int = MIN_ANSWER_CHARS, field: str = "") -> str:
    """A required text that says something: trimmed, at least `min_chars` characters, and not
    a placeholder such as "-", ".", "x", "n/a" or "tbd"."""
    text = (value or "").strip()
    if not text:
        raise InvalidValue(label, "an answer is required.", field)
    if _NO_ANSWER.match(text) or len(text) < min_chars:
        hint = f"write at least {min_chars} characters that say something"
        raise InvalidValue(label, f"{text!r} is not an answer; {hint}.", field)
    return text
