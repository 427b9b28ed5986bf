"""Account-plan rules, pure: which accounts need a plan, review cadence and due dates,
pro-rated targets and the plan-against-actual status. No Django here: plain values in,
plain values out (see docs/plans.md for the readings chosen)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bookwise.core.dates import add_months
from bookwise.core.money import round_cents

MONTHLY = "monthly"
QUARTERLY = "quarterly"
CADENCE_MONTHS = {MONTHLY: 1, QUARTERLY: 3}

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NOT_STARTED = "not_started"

DEFAULT_ON_TRACK = Decimal("0.95")
DEFAULT_AT_RISK = Decimal("0.80")


@dataclass(frozen=True)
class PlanRule:
    """Which accounts need a plan: a tier in `tiers`, OR T12M revenue >= `revenue_floor`
    (when set), OR marked by a manager."""

    tiers: frozenset[str] = frozenset({"A"})
    revenue_floor: Decimal | None = None


def needs_plan(rule: PlanRule, *, tier: str | None, t12m_revenue: Decimal | None, marked: bool) -> bool:
    if marked or (tier is not None and tier in rule.tiers):
        return True
    if rule.revenue_floor is None or t12m_revenue is None:
        return False
    return t12m_revenue >= rule.revenue_floor


def default_cadence(tier: str | None) -> str:
    """Tier A accounts are reviewed monthly, every other tier (or unknown) quarterly."""
    return MONTHLY if tier == "A" else QUARTERLY


def review_due_date(anchor: date, cadence: str, n: int) -> date:
    """The n-th review (n >= 1) is due n cadence intervals after the first approval,
    always counted from the anchor so that month-end clamping never drifts
    (approved 2026-01-31, monthly: 2026-02-28, 2026-03-31, 2026-04-30, ...)."""
    if n < 1:
        raise ValueError("reviews are numbered from 1")
    return add_months(anchor, n * CADENCE_MONTHS[cadence])


def next_review_due(anchor: date, cadence: str, reviews_done: int, year_end: date) -> date | None:
    """Due date of the next review after `reviews_done` reviews; None once the next one
    would fall after the plan year (the plan's review cycle is over)."""
    due = review_due_date(anchor, cadence, reviews_done + 1)
    return due if due <= year_end else None


def days_overdue(due: date | None, day: date) -> int:
    """Days past the due date (0 when not yet due or nothing due)."""
    if due is None or day <= due:
        return 0
    return (day - due).days


def is_flagged(due: date | None, day: date, grace_days: int) -> bool:
    """Flagged when the review is overdue by MORE than `grace_days` days."""
    return days_overdue(due, day) > grace_days


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def days_elapsed(year: int, day: date) -> int:
    """Days of the plan year up to and including `day` (0 before it, all after it)."""
    start, end = year_bounds(year)
    if day < start:
        return 0
    return (min(day, end) - start).days + 1


def days_in_year(year: int) -> int:
    start, end = year_bounds(year)
    return (end - start).days + 1


def prorated_target(target: Decimal, year: int, day: date) -> Decimal:
    """target x days elapsed in the plan year / days in the plan year, to the cent."""
    return round_cents(target * days_elapsed(year, day) / days_in_year(year))


def attainment(actual: Decimal, target: Decimal) -> Decimal | None:
    """actual / target, None when the target is not positive."""
    if target <= 0:
        return None
    return (actual / target).quantize(Decimal("0.0001"))


def plan_status(
    ratio: Decimal | None, on_track: Decimal = DEFAULT_ON_TRACK, at_risk: Decimal = DEFAULT_AT_RISK
) -> str:
    """>= on_track -> on track; >= at_risk -> at risk; else off track; no ratio -> not started."""
    if ratio is None:
        return NOT_STARTED
    if ratio >= on_track:
        return ON_TRACK
    if ratio >= at_risk:
        return AT_RISK
    return OFF_TRACK


def completion(statuses: Iterable[str]) -> Decimal | None:
    """Share of objectives done; None when the plan has no objectives."""
    items = list(statuses)
    if not items:
        return None
    done = sum(1 for s in items if s == "done")
    return (Decimal(done) / len(items)).quantize(Decimal("0.0001"))


def month_ends(year: int, day: date) -> list[date]:
    """Month ends of the plan year up to `day` (the current month ends at `day`)."""
    ends = []
    for month in range(1, 13):
        end = add_months(date(year, month, 1), 1).replace(day=1)
        last = date.fromordinal(end.toordinal() - 1)
        if date(year, month, 1) > day:
            break
        ends.append(min(last, day))
    return ends


def cumulative_series(
    monthly: dict[int, Decimal], target: Decimal, year: int, points: Sequence[date]
) -> tuple[list[Decimal], list[Decimal]]:
    """(cumulative actual, pro-rated target) at each point, from actuals by month number."""
    actual, running = [], Decimal("0.00")
    targets = []
    for point in points:
        running += monthly.get(point.month, Decimal("0.00"))
        actual.append(running)
        targets.append(prorated_target(target, year, point))
    return actual, targets
