"""The account-plan rules for single values, stated once: the plan year, targets, the due
dates of objectives and actions, and what makes a review (see docs/plans.md). Each raises
`InvalidValue` (422) naming the field by its label; the services call these, so forms, the
API and commands all get the same answer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bookwise.core.dates import add_months
from bookwise.core.money import MoneyError, parse_money
from bookwise.core.validation import (
    InvalidValue,
    amount_not_negative,
    date_not_future,
    date_within,
    real_answer,
    whole_number_between,
)

from .models import ObjectiveKind

#: a plan is made for last year, this year or next year
PLAN_YEARS_BACK, PLAN_YEARS_AHEAD = 1, 1
#: a due date may lie this many days before today (when that is earlier than the plan's year)
DUE_DAYS_BACK = 30
#: ... and at most this many years after today
DUE_YEARS_AHEAD = 5
MONEY_KINDS = (ObjectiveKind.REVENUE, ObjectiveKind.GROSS_PROFIT)


def check_plan_year(year: int, day: date) -> int:
    return whole_number_between(
        year, "Plan year", day.year - PLAN_YEARS_BACK, day.year + PLAN_YEARS_AHEAD, "year"
    )


def check_targets(revenue_target: Decimal | None, gp_target: Decimal | None) -> None:
    if revenue_target is not None:
        amount_not_negative(revenue_target, "Revenue target", "revenue_target")
    if gp_target is not None:
        amount_not_negative(gp_target, "Gross profit target", "gp_target")


def due_window(year: int, today: date) -> tuple[date, date]:
    """The earliest and latest due date of a plan's objectives and actions: from the start
    of the plan's year (or a month before today, if earlier) to five years after today."""
    earliest = min(date(year, 1, 1), today - timedelta(days=DUE_DAYS_BACK))
    return earliest, add_months(today, 12 * DUE_YEARS_AHEAD)


def check_due_date(value: date | None, label: str, year: int, today: date) -> None:
    if value is None:
        return
    low, high = due_window(year, today)
    before = "the start of the plan year" if low == date(year, 1, 1) else f"{DUE_DAYS_BACK} days before today"
    date_within(value, label, not_before=low, not_after=high, before_what=before,
                after_what=f"{DUE_YEARS_AHEAD} years after today", field="objectives")  # fmt: skip


def _objective_target(row: dict, name: str) -> None:
    target = str(row.get("target") or "").strip()
    label = f"Target of objective {name}"
    if row.get("kind") not in ObjectiveKind.values:
        measures = ", ".join(str(label) for label in ObjectiveKind.labels)
        raise InvalidValue(f"Measure of objective {name}", f"choose one of {measures}.", "objectives")
    if row["kind"] not in MONEY_KINDS:
        real_answer(target, label, min_chars=2, field="objectives")
        return
    try:
        amount = parse_money(target)
    except MoneyError:
        hint = "write it like 120000.00"
        raise InvalidValue(label, f"{target!r} is not an amount ({hint}).", "objectives") from None
    amount_not_negative(amount, label, "objectives")


def check_objectives(rows: list[dict], year: int, today: date) -> None:
    """Each objective says what it is, is measurable (an amount, not negative, for revenue and
    gross profit; a name for a product line or a department) and is due within the window."""
    for i, row in enumerate(rows, start=1):
        description = real_answer(row.get("description"), f"Description of objective {i}", field="objectives")
        name = f"“{description}”"
        _objective_target(row, name)
        check_due_date(row.get("due_date"), f"Due date of objective {name}", year, today)


def check_actions(rows: list[dict], year: int, today: date) -> None:
    for i, row in enumerate(rows, start=1):
        description = real_answer(row.get("description"), f"Description of action {i}", field="actions")
        check_due_date(row.get("due_date"), f"Due date of action “{description}”", year, today)


def check_review(*, review_date: date, approved_on: date, today: date, notes: str, next_steps: str) -> None:
    """A review happened (not in the future, not before the plan was approved) and says
    something: notes that are a real answer; next steps, when given, too."""
    date_within(review_date, "Review date", not_before=approved_on, before_what="the plan's approval",
                field="review_date")  # fmt: skip
    date_not_future(review_date, "Review date", today, "review_date")
    real_answer(notes, "Notes", field="notes")
    if next_steps.strip():
        real_answer(next_steps, "Next steps", field="next_steps")


def check_progress_note(note: str, objective: str) -> str:
    """A progress note may be left out; when written, it says something."""
    return real_answer(note, f"Progress of objective “{objective}”", field="progress") if note.strip() else ""
