"""Pure team rules (no Django): time-study shares, separation advice, role fit, medians and
the weekly-hours signal. Fed plain dicts, Decimal and date; tested table-driven."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

HUNTING_KINDS = ("prospecting", "new_business_meeting")
NURTURING_KINDS = ("account_nurturing",)
ALL_KINDS = ("prospecting", "new_business_meeting", "account_nurturing", "admin", "training")
ZERO = Decimal("0")


def nurturing_share(hours: Mapping[str, Decimal]) -> Decimal | None:
    """METRICS.md: nurturing / (prospecting + new business meeting + nurturing); None when 0/0."""
    nurturing = sum((hours.get(k, ZERO) for k in NURTURING_KINDS), ZERO)
    selling = nurturing + sum((hours.get(k, ZERO) for k in HUNTING_KINDS), ZERO)
    if selling <= 0:
        return None
    return nurturing / selling


def recommend_separation(share: Decimal | None, threshold: Decimal) -> bool:
    """Strictly above the threshold recommends separating hunters from account managers."""
    return share is not None and share > threshold


def median(values: Iterable[Decimal | int | None]) -> Decimal | None:
    """Median of the known values (None ignored); the mean of the two middle ones when even."""
    known = sorted(Decimal(v) for v in values if v is not None)
    if not known:
        return None
    mid = len(known) // 2
    if len(known) % 2:
        return known[mid]
    return (known[mid - 1] + known[mid]) / 2


def week_start(day: date) -> date:
    """Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def completed_weeks(day: date, count: int) -> list[date]:
    """Mondays of the last `count` completed ISO weeks at `day`, oldest first. The week holding
    `day` counts as completed only when `day` is its Sunday."""
    last = week_start(day) if day.weekday() == 6 else week_start(day) - timedelta(days=7)
    return [last - timedelta(days=7 * i) for i in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class LongWeeks:
    weeks: list[tuple[date, Decimal]]  # (monday, hours) oldest first; missing weeks are 0
    long_weeks: int
    limit: Decimal
    fired: bool


def long_weeks_signal(
    weekly_hours: Mapping[date, Decimal], mondays: list[date], limit: Decimal, needed: int = 4
) -> LongWeeks:
    """Hours strictly above `limit` in at least `needed` of the given weeks (no entries = 0 hours)."""
    weeks = [(m, weekly_hours.get(m, ZERO)) for m in mondays]
    count = sum(1 for _, h in weeks if h > limit)
    return LongWeeks(weeks=weeks, long_weeks=count, limit=limit, fired=count >= needed)


def falling_activity_rising_load(
    hours_before: Decimal, hours_now: Decimal, load_before: Decimal | None, load_now: Decimal | None
) -> bool:
    """Logged hours strictly fell while the workload strictly rose."""
    if load_before is None or load_now is None:
        return False
    return hours_now < hours_before and load_now > load_before


def plain_share(value: Decimal, digits: int) -> str:
    """A ratio as JSON and the commands write it in a sentence: 0.8912 -> 89%."""
    return f"{value:.{digits}%}"


@dataclass(frozen=True)
class RoleFit:
    role: str  # "hunter" | "account_manager" | "undetermined"
    results: list[str] = field(default_factory=list)  # the metrics against the team median
    share: Decimal | None = None  # the nurturing share the time mix was read from
    threshold: Decimal | None = None

    def evidence_in(self, share: Callable[[Decimal, int], str] = plain_share, digits: int = 0) -> list[str]:
        """The evidence, the shares written by `share` (the share to `digits` decimals, the
        threshold whole): plain for JSON and the commands, the site's percent for the page."""
        if self.share is None or self.threshold is None:
            return list(self.results)
        mix = f"nurturing share {share(self.share, digits)} (threshold {share(self.threshold, 0)})"
        return [*self.results, mix]

    @property
    def evidence(self) -> list[str]:
        return self.evidence_in()


def _above(value: Decimal | int | None, med: Decimal | None, lower_is_better: bool = False) -> int | None:
    if value is None or med is None:
        return None
    if lower_is_better:
        return 1 if Decimal(value) < med else 0
    return 1 if Decimal(value) > med else 0


def role_fit(
    *,
    share: Decimal | None,
    threshold: Decimal,
    hunter: Mapping[str, tuple[Decimal | int | None, Decimal | None]],
    manager: Mapping[str, tuple[Decimal | int | None, Decimal | None, bool]],
) -> RoleFit:
    """Who fits which role, from what they do (time mix) and how well they do it.

    `hunter` maps a metric to (value, team median); `manager` to (value, median,
    lower_is_better). Strength = share of known metrics strictly better than the median.
    The higher strength wins; a tie (or no metrics) falls back to the time mix; no time
    entries and no metrics -> undetermined."""
    evidence: list[str] = []
    h_hits = [_above(v, m) for v, m in hunter.values()]
    a_hits = [_above(v, m, low) for v, m, low in manager.values()]
    h_known = [x for x in h_hits if x is not None]
    a_known = [x for x in a_hits if x is not None]
    h_strength = Decimal(sum(h_known)) / len(h_known) if h_known else None
    a_strength = Decimal(sum(a_known)) / len(a_known) if a_known else None
    if h_known:
        evidence.append(f"hunter metrics above team median: {sum(h_known)} of {len(h_known)}")
    if a_known:
        evidence.append(f"account-manager metrics better than team median: {sum(a_known)} of {len(a_known)}")
    if h_strength is not None and a_strength is not None and h_strength != a_strength:
        return RoleFit("hunter" if h_strength > a_strength else "account_manager", evidence, share, threshold)
    if share is None:
        return RoleFit("undetermined", evidence)
    return RoleFit("account_manager" if share > threshold else "hunter", evidence, share, threshold)
