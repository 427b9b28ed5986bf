"""Team advice that reads the team as it is, pure rules (no Django) (docs/team.md,
"Advice and signals, issue #17"):

- the time study does not tell a team that already has hunters and account managers to
  separate the roles; it names who spends more than half their selling time on the other
  role's work;
- the activity signal compares each rep with their own rolling baseline, leaves out weeks
  with a non-working day (holidays, absences) or no entries at all, and needs a sustained drop
  of a minimum size; the load signal needs a rise of a minimum size;
- evidence is rounded and in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HALF = Decimal("0.5")
#: the activity signal: the last RECENT_WEEKS against the BASELINE_WEEKS before them
RECENT_WEEKS = 6
BASELINE_WEEKS = 12
MIN_DROP = Decimal("0.20")  # the recent weekly average at least 20 % below the baseline's
WEEKS_BELOW_NEEDED = 4  # ... and at least 4 of the counted recent weeks below the baseline
MIN_RECENT_WEEKS = 4  # counted weeks needed (not holidays, absences or empty)
MIN_BASELINE_WEEKS = 6
#: the load signal: a rise of at least 5 points and at least 10 % of capacity
MIN_LOAD_RISE_POINTS = Decimal(5)
MIN_LOAD_RISE_SHARE = Decimal("0.10")


def roles_split(roles: Iterable[str]) -> bool:
    """The team already has both hunters and account managers."""
    present = set(roles)
    return "hunter" in present and "account_manager" in present


def other_role_share(role: str, nurturing: Decimal | None) -> Decimal | None:
    """The share of selling time spent on the other role's work: a hunter's nurturing share,
    an account manager's hunting share (1 − nurturing); None for other roles or no hours."""
    if nurturing is None:
        return None
    if role == "hunter":
        return nurturing
    if role == "account_manager":
        return 1 - nurturing
    return None


def whole(value: Decimal | float | int) -> str:
    """A number rounded to a whole, as people say it."""
    return str(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value: Decimal | float) -> str:
    return f"{whole(Decimal(str(value)) * 100)} %"


def weeks_word(n: int) -> str:
    return f"{n} week" if n == 1 else f"{n} weeks"


@dataclass(frozen=True)
class ActivityDrop:
    recent_average: Decimal | None
    baseline_average: Decimal | None
    weeks_below: int
    recent_counted: int
    baseline_counted: int
    skipped: int  # recent weeks left out (holidays, absences, no entries)

    @property
    def drop(self) -> Decimal | None:
        """(baseline − recent) / baseline, None without both averages or a zero baseline."""
        if self.recent_average is None or not self.baseline_average:
            return None
        return (self.baseline_average - self.recent_average) / self.baseline_average

    @property
    def enough(self) -> bool:
        return self.recent_counted >= MIN_RECENT_WEEKS and self.baseline_counted >= MIN_BASELINE_WEEKS

    @property
    def fired(self) -> bool:
        drop = self.drop
        return (
            self.enough and drop is not None and drop >= MIN_DROP and self.weeks_below >= WEEKS_BELOW_NEEDED
        )

    def evidence(self) -> str:
        skipped = f" ({weeks_word(self.skipped)} off left out)" if self.skipped else ""
        return (
            f"logged {whole(self.recent_average or 0)} hours a week over the last {weeks_word(RECENT_WEEKS)}"
            f"{skipped}, against their usual {whole(self.baseline_average or 0)} hours a week over the "
            f"{weeks_word(BASELINE_WEEKS)} before: {percent(self.drop or 0)} less, lower in "
            f"{self.weeks_below} of {self.recent_counted} weeks"
        )


def _average(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def activity_drop(recent: Sequence[Decimal | None], baseline: Sequence[Decimal | None]) -> ActivityDrop:
    """Weekly hours, oldest first; None = a week left out (a non-working day, or no entries)."""
    now = [h for h in recent if h is not None]
    usual = [h for h in baseline if h is not None]
    base = _average(usual)
    below = sum(1 for h in now if base is not None and h < base)
    return ActivityDrop(_average(now), base, below, len(now), len(usual), len(recent) - len(now))


@dataclass(frozen=True)
class LoadRise:
    before: Decimal
    now: Decimal
    capacity: int

    @property
    def rise(self) -> Decimal:
        return self.now - self.before

    @property
    def needed(self) -> Decimal:
        return max(MIN_LOAD_RISE_POINTS, MIN_LOAD_RISE_SHARE * self.capacity)

    @property
    def fired(self) -> bool:
        return self.rise >= self.needed

    def evidence(self) -> str:
        share = f", {percent(self.rise / self.capacity)} of capacity" if self.capacity else ""
        rise = f"{whole(self.rise)} points{share}"
        return f"load rose from {whole(self.before)} to {whole(self.now)} points ({rise})"


def long_weeks_words(weeks: Sequence[tuple[object, Decimal]], count: int, limit: Decimal) -> list[str]:
    """The long-hours signal's evidence in words, hours rounded."""
    hours = [whole(h) for _, h in weeks]
    listed = ", ".join(hours[:-1]) + f" and {hours[-1]}" if len(hours) > 1 else "".join(hours)
    return [
        f"{count} of the last {len(weeks)} weeks above {whole(limit)} hours",
        f"hours worked, week by week: {listed}",
    ]
