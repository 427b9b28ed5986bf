"""The figures of an agreement, pure (docs/agreements.md has the definitions and the
hand-worked examples): which order lines are releases, released to date, remaining, the
straight line, pace, projected exhaustion, consumption and coverage. No Django here."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bookwise.core.money import round_cents

ZERO = Decimal("0.00")
CONTRACT_RELEASE = "contract_release"
#: consumption is judged once this many days of the period have passed
MIN_DAYS_TO_JUDGE = 30
DEFAULT_TOLERANCE = Decimal("0.20")
#: a projected exhaustion further away than this (about 20 years) is "not in sight"
PROJECTION_DAYS = 7300

EXCEEDED, OVER, UNDER, ON_PACE, EARLY, NOT_STARTED = (
    "exceeded", "over", "under", "on_pace", "early", "not_started",
)  # fmt: skip
CONSUMPTION_LABELS = {
    EXCEEDED: "Commitment exceeded",
    OVER: "Over-consuming",
    UNDER: "Under-consuming",
    ON_PACE: "On pace",
    EARLY: "Too early to judge",
    NOT_STARTED: "Not started",
}


@dataclass(frozen=True)
class Line:
    """One order line: what the release rule reads."""

    key: int
    day: date
    amount: Decimal
    account: int
    product_line: str
    kind: str


@dataclass(frozen=True)
class Terms:
    """What decides an agreement's releases: its accounts (the account, with its subsidiaries
    when they are included), its period and its product line ("" = every line)."""

    key: int
    accounts: frozenset[int]
    start: date
    end: date
    product_line: str = ""


def is_release(terms: Terms, line: Line) -> bool:
    """A line of one of the agreement's accounts dated inside its period, and either of kind
    contract_release (of the agreement's product line, or of none, when it names one), or of
    the agreement's product line when it names one (the matching rule)."""
    if line.account not in terms.accounts or not terms.start <= line.day <= terms.end:
        return False
    if not terms.product_line:
        return line.kind == CONTRACT_RELEASE
    if line.product_line == terms.product_line:
        return True
    return line.kind == CONTRACT_RELEASE and not line.product_line


def allocate(agreements: Sequence[Terms], lines: Iterable[Line]) -> dict[int, list[Line]]:
    """agreement key -> its releases. A line several agreements could claim counts once, for
    the one that started first (then the lowest key)."""
    ordered = sorted(agreements, key=lambda t: (t.start, t.key))
    found: dict[int, list[Line]] = {t.key: [] for t in agreements}
    for line in lines:
        for terms in ordered:
            if is_release(terms, line):
                found[terms.key].append(line)
                break
    return found


def released(lines: Iterable[Line], day: date) -> Decimal:
    """Sum of the releases dated on or before `day` (credit notes count, negative)."""
    return sum((line.amount for line in lines if line.day <= day), ZERO)


def remaining(committed: Decimal, released_: Decimal) -> Decimal:
    """What is left of the commitment: committed - released, never below 0."""
    return max(ZERO, committed - released_)


def over_commitment(committed: Decimal, released_: Decimal) -> Decimal:
    """How far releases went past the commitment: released - committed, never below 0."""
    return max(ZERO, released_ - committed)


def period_days(start: date, end: date) -> int:
    return (end - start).days + 1


def elapsed_days(start: date, end: date, day: date) -> int:
    """Days of the period up to and including `day` (0 before it starts, all after it ends)."""
    if day < start:
        return 0
    return (min(day, end) - start).days + 1


def expected_to_date(committed: Decimal, start: date, end: date, day: date) -> Decimal:
    """The straight line: committed x elapsed days / days of the period, in cents."""
    return round_cents(committed * elapsed_days(start, end, day) / period_days(start, end))


def exhausted_on(committed: Decimal, lines: Iterable[Line]) -> date | None:
    """The day the running total of releases first reached the commitment, else None."""
    total = ZERO
    for line in sorted(lines, key=lambda x: (x.day, x.key)):
        total += line.amount
        if total >= committed:
            return line.day
    return None


def projected_exhaustion(
    committed: Decimal, released_: Decimal, start: date, end: date, day: date
) -> date | None:
    """At the pace so far (released / elapsed days), the day the commitment runs out:
    day + ceil(remaining x elapsed / released). None before the start or with nothing
    released (no pace), or more than PROJECTION_DAYS away (not in sight). An exhausted
    agreement's date is `exhausted_on`, not this."""
    elapsed = elapsed_days(start, end, day)
    left = remaining(committed, released_)
    if elapsed == 0 or released_ <= 0 or left <= 0:
        return None
    days = math.ceil(left * elapsed / released_)
    return min(day, end) + timedelta(days=days) if days <= PROJECTION_DAYS else None


def consumption(
    committed: Decimal,
    released_: Decimal,
    start: date,
    end: date,
    day: date,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> str:
    """exceeded (released > committed), else over / under when releases are more than
    `tolerance` above / below the straight line, else on_pace; early in the first
    MIN_DAYS_TO_JUDGE days, not_started before the start."""
    if day < start:
        return NOT_STARTED
    if released_ > committed:
        return EXCEEDED
    expected = expected_to_date(committed, start, end, day)
    if elapsed_days(start, end, day) < MIN_DAYS_TO_JUDGE or expected <= 0:
        return EARLY
    if released_ > expected * (1 + tolerance):
        return OVER
    if released_ < expected * (1 - tolerance):
        return UNDER
    return ON_PACE


@dataclass(frozen=True)
class BurnDown:
    days: list[date]
    remaining: list[Decimal | None]  # what is left after each day's releases (None: not yet)
    straight: list[Decimal]  # what the straight line leaves on that day


def burn_down(committed: Decimal, start: date, end: date, lines: Iterable[Line], day: date) -> BurnDown:
    """The remaining commitment on the start, on each release day up to `day`, and on `day`
    (or the end), against the straight line from committed on the start to 0 on the end."""
    last = min(max(day, start), end)
    by_day: dict[date, Decimal] = {}
    for line in lines:
        if line.day <= last:
            by_day[line.day] = by_day.get(line.day, ZERO) + line.amount
    days = sorted({start, last, *by_day})
    points: list[Decimal | None] = []
    total = ZERO
    for d in days:
        total += by_day.get(d, ZERO)
        points.append(committed - total)
    straight = [committed - expected_to_date(committed, start, end, d) for d in days]
    if end not in days:  # the straight line's end, so the chart shows where it lands
        days.append(end)
        points.append(None)
        straight.append(ZERO)
    return BurnDown(days, points, straight)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole; None when there is no revenue to share (never 0 or 1 by default)."""
    if whole <= 0:
        return None
    return part / whole


def notice_date(end: date, notice_days: int) -> date:
    """The day the renewal notice period starts: end - notice_days."""
    return end - timedelta(days=notice_days)


def lapsed_unrenewed(end: date, status: str, renewed: bool, day: date, window_days: int = 365) -> bool:
    """Ended before `day` (within the last `window_days`), neither renewed nor cancelled."""
    if renewed or status in ("renewed", "cancelled", "draft"):
        return False
    return day - timedelta(days=window_days) <= end < day
