"""The domain rules of the transfer workflow, in one place for forms, the API and commands
(all of which go through `services`): the effective date's window around today and the
administrator's confirmation of back-dating beyond it, co-coverage 0-365 days, dates of the
interview and the introduction (happened, and not before the transfer was drafted), the
recipient (active, not over capacity), the interview's answers (real answers, see
core.validation.real_answer) and its lock once the client is introduced.

The window is `settings.BOOKWISE["transfer_backdate_days"]` (default 30, environment
BOOKWISE_TRANSFER_BACKDATE_DAYS) and `["transfer_ahead_days"]` (default 365,
BOOKWISE_TRANSFER_AHEAD_DAYS)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.errors import RuleViolation
from bookwise.core.models import AuditEntry
from bookwise.core.users import Viewer
from bookwise.core.validation import (
    InvalidValue,
    date_within,
    real_answer,
    whole_number_between,
)
from bookwise.people.models import Rep
from bookwise.people.selectors import is_admin

from .models import REQUIRED_SECTIONS, SECTION_LABELS, TRANSFER_REASONS, HandoffInterview, Transfer
from .workload import account_points, rep_loads, tier_map

MAX_CO_COVERAGE_DAYS = 365
BACKDATE_ACTION = "transfer.backdate"


def window() -> tuple[int, int]:
    """(days back, days ahead) of today that an effective date may be without confirmation."""
    cfg = settings.BOOKWISE
    return int(str(cfg.get("transfer_backdate_days", 30))), int(str(cfg.get("transfer_ahead_days", 365)))


def check_reason(reason: str) -> str:
    if reason not in dict(TRANSFER_REASONS):
        choices = ", ".join(label.lower() for _, label in TRANSFER_REASONS)
        raise InvalidValue("Reason", f"{reason!r} is not a transfer reason (choose {choices}).", "reason")
    return reason


def check_co_coverage(days: int) -> int:
    return whole_number_between(days, "Co-coverage days", 0, MAX_CO_COVERAGE_DAYS, field="co_coverage_days")


def check_effective_date(
    effective: date, *, today: date, actor: Viewer | None, backdate_reason: str = "", confirmed: bool = False
) -> str:
    """Refuse an effective date after the window, or before it unless it was `confirmed`
    already or an administrator confirms now with a real reason (returned, to be audited;
    "" when no confirmation was needed)."""
    back, ahead = window()
    date_within(
        effective,
        "Effective date",
        not_after=today + timedelta(days=ahead),
        after_what=f"{ahead} days after today",
        field="effective_date",
    )
    earliest = today - timedelta(days=back)
    if effective >= earliest or confirmed:
        return ""
    if not is_admin(actor) or not (backdate_reason or "").strip():
        raise InvalidValue(
            "Effective date",
            f"{effective:%Y-%m-%d} is more than {back} days before today (the earliest is "
            f"{earliest:%Y-%m-%d}); back-dating further needs an administrator to confirm it "
            "with a reason.",
            "effective_date",
        )
    return real_answer(backdate_reason, "Back-dating reason", field="backdate_reason")


def backdate_confirmed(transfer: Transfer) -> bool:
    """An administrator confirmed back-dating this transfer to its current effective date."""
    entries = AuditEntry.objects.filter(
        action=BACKDATE_ACTION, object_type=transfer._meta.label_lower, object_id=str(transfer.pk)
    )
    wanted = transfer.effective_date.isoformat()
    return any(e.data.get("effective_date") == wanted for e in entries)


def drafted_on(transfer: Transfer, today: date) -> date:
    """The day the transfer was drafted (never after `today`, for a demo anchored in the past)."""
    return min(timezone.localdate(transfer.created_at), today)


def check_event_date(value: date, label: str, transfer: Transfer, today: date, field: str) -> date:
    """A date of something that happened during the transfer (the interview, the
    introduction): not in the future, not before the transfer was drafted."""
    return date_within(
        value,
        label,
        not_before=drafted_on(transfer, today),
        not_after=today,
        before_what="the day the transfer was drafted",
        after_what="today",
        field=field,
    )


def check_recipient(*, account: Account, to_rep: Rep, role: str, day: date, capacity: bool = True) -> None:
    """Refuse a recipient who is leaving or left, not yet hired, or would go over capacity
    (`capacity=False` when the caller has checked a whole batch, as plan_apply does)."""
    if to_rep.end_date is not None:
        raise RuleViolation(f"{to_rep.name} is leaving or has left ({to_rep.end_date}).", {"field": "to"})
    if to_rep.hire_date and to_rep.hire_date > day:
        raise RuleViolation(f"{to_rep.name} is not active on {day}.", {"field": "to"})
    if not capacity:
        return
    tiers = tier_map(day=day)  # one pass over the book for the recipient's load and the account
    load = rep_loads(day=day, rep_ids=[to_rep.id], tiers=tiers)[to_rep.id]
    tier = tiers.get(account.pk, "C")
    after = load.points + account_points(tier, role)
    if after > load.capacity:
        raise RuleViolation(
            f"{to_rep.name} would be over capacity ({after} of {load.capacity} points).",
            {"field": "to", "points_after": str(after), "capacity": load.capacity},
        )


def is_answer(text: str) -> bool:
    try:
        real_answer(text, "answer")
    except InvalidValue:
        return False
    return True


def interview_missing(interview: HandoffInterview) -> list[str]:
    """The required sections without a real answer (blank, ".", "-", "x", "n/a", ...)."""
    return [name for name in REQUIRED_SECTIONS if not is_answer(getattr(interview, name))]


def missing_labels(missing: list[str]) -> str:
    return ", ".join(SECTION_LABELS[name] for name in missing)


INTERVIEW_LABELS = {**SECTION_LABELS, "interview_date": "Interview date", "attendees": "Attendees"}


def clean_interview(fields: dict[str, Any], transfer: Transfer, today: date) -> dict[str, Any]:
    """The interview's fields checked: known names, a sane date, and every required section
    that is filled a real answer (a blank one may wait; it stays missing)."""
    unknown = sorted(set(fields) - set(INTERVIEW_LABELS))
    if unknown:
        raise RuleViolation(f"Unknown interview fields: {', '.join(unknown)}.", {"field": unknown[0]})
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "interview_date":
            cleaned[name] = value and check_event_date(value, "Interview date", transfer, today, name)
        elif name in REQUIRED_SECTIONS and (value or "").strip():
            cleaned[name] = real_answer(value, SECTION_LABELS[name], field=name)
        else:
            cleaned[name] = (value or "").strip()
    return cleaned


def interview_amendment(interview: HandoffInterview, cleaned: dict[str, Any]) -> dict[str, dict[str, str]]:
    """After the handoff step (the client introduced) the interview is a record: a change is
    an amendment, {"before": ..., "after": ...} of the fields it changes (for the audit), and
    a required section that was answered cannot be emptied."""
    emptied = [
        n
        for n in REQUIRED_SECTIONS
        if n in cleaned and is_answer(getattr(interview, n)) and not is_answer(cleaned[n] or "")
    ]
    if emptied:
        raise RuleViolation(
            f"The handoff interview is locked since the introduction: {missing_labels(emptied)} "
            "cannot be emptied; amend it with a real answer instead.",
            {"field": emptied[0], "missing": emptied},
        )
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for name, value in cleaned.items():
        old = getattr(interview, name)
        if (old or "") != (value or ""):
            before[name], after[name] = _shown(old), _shown(value)
    return {"before": before, "after": after}


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")
