"""Team advice that reads the team as it is, pure rules (no Django) (docs/team.md,
"Advice and signals, issue #17"):

- the time study does not tell a team that already has hunters and account managers to
  separate the roles; it names who spends more than half their selling time on the other
  role's work;
- the activity signal compares each rep with their own rolling baseline, leaves out weeks
  with a non-working day (holidays, absences) or no entries at all, and needs a sustained drop
  of a minimum size; the long-hours signal likewise needs a sustained rise of a minimum size
  against that baseline (the 50-hour ceiling is a second rule, rules.long_weeks_signal); the
  load signal needs a rise of a minimum size;
- evidence is rounded and in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

HALF = Decimal("0.5")
#: the activity signal: the last RECENT_WEEKS against the BASELINE_WEEKS before them
RECENT_WEEKS = 6
BASELINE_WEEKS = 12
MIN_DROP = Decimal("0.20")  # the recent weekly average at least 20 % below the baseline's
WEEKS_BELOW_NEEDED = 4  # ... and at least 4 of the counted recent weeks below the baseline
MIN_RECENT_WEEKS = 4  # counted weeks needed (not holidays, absences or empty)
MIN_BASELINE_WEEKS = 6
#: the long-hours signal, same windows: the recent weekly average at least 20 % above the
#: baseline's and at least 5 hours a week more, with at least 4 counted recent weeks above it
MIN_RISE = Decimal("0.20")
MIN_EXTRA_HOURS = Decimal(5)
WEEKS_ABOVE_NEEDED = 4
#: the queue signals (overdue plan reviews, unanswered transfers), now against four weeks ago:
#: a rise of at least 20 percentage points of the share, or of at least 2 transfers
MIN_SHARE_RISE = Decimal("0.20")
MIN_COUNT_RISE = 2
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
class Comparison:
    """A rep's weekly hours over the last RECENT_WEEKS against their own baseline, the
    BASELINE_WEEKS before: averages over the counted weeks (None = no counted week)."""

    recent_average: Decimal | None
    baseline_average: Decimal | None
    weeks_below: int  # counted recent weeks below the baseline average
    weeks_above: int  # ... above it
    recent_counted: int
    baseline_counted: int
    skipped: int  # recent weeks left out (holidays, absences, no entries)

    @property
    def enough(self) -> bool:
        return self.recent_counted >= MIN_RECENT_WEEKS and self.baseline_counted >= MIN_BASELINE_WEEKS

    def _words(self, change: Decimal | None, more: bool, weeks: int, amount: str = "") -> str:
        skipped = f" ({weeks_word(self.skipped)} off left out)" if self.skipped else ""
        way, compared = ("more", "higher") if more else ("less", "lower")
        return (
            f"logged {whole(self.recent_average or 0)} hours a week over the last {weeks_word(RECENT_WEEKS)}"
            f"{skipped}, against their usual {whole(self.baseline_average or 0)} hours a week over the "
            f"{weeks_word(BASELINE_WEEKS)} before: {percent(change or 0)} {way}{amount}, "
            f"{compared} in {weeks} of {self.recent_counted} weeks"
        )


class ActivityDrop(Comparison):
    @property
    def drop(self) -> Decimal | None:
        """(baseline − recent) / baseline, None without both averages or a zero baseline."""
        if self.recent_average is None or not self.baseline_average:
            return None
        return (self.baseline_average - self.recent_average) / self.baseline_average

    @property
    def fired(self) -> bool:
        drop = self.drop
        return (
            self.enough and drop is not None and drop >= MIN_DROP and self.weeks_below >= WEEKS_BELOW_NEEDED
        )

    def evidence(self) -> str:
        return self._words(self.drop, False, self.weeks_below)


class HoursRise(Comparison):
    """The long-hours signal: working clearly longer than the rep's own usual week."""

    @property
    def extra(self) -> Decimal | None:
        """Hours a week more than usual (recent − baseline)."""
        if self.recent_average is None or self.baseline_average is None:
            return None
        return self.recent_average - self.baseline_average

    @property
    def rise(self) -> Decimal | None:
        """(recent − baseline) / baseline, None without both averages or a zero baseline."""
        extra = self.extra
        return None if extra is None or not self.baseline_average else extra / self.baseline_average

    @property
    def fired(self) -> bool:
        rise, extra = self.rise, self.extra
        return (
            self.enough
            and rise is not None
            and extra is not None
            and rise >= MIN_RISE
            and extra >= MIN_EXTRA_HOURS
            and self.weeks_above >= WEEKS_ABOVE_NEEDED
        )

    def evidence(self) -> str:
        extra = f" ({whole(self.extra or 0)} hours a week)"
        return self._words(self.rise, True, self.weeks_above, extra)


def _average(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


Compared = TypeVar("Compared", bound=Comparison)


def _compare(
    kind: type[Compared], recent: Sequence[Decimal | None], baseline: Sequence[Decimal | None]
) -> Compared:
    now = [h for h in recent if h is not None]
    usual = [h for h in baseline if h is not None]
    base = _average(usual)
    below = sum(1 for h in now if base is not None and h < base)
    above = sum(1 for h in now if base is not None and h > base)
    return kind(_average(now), base, below, above, len(now), len(usual), len(recent) - len(now))


def activity_drop(recent: Sequence[Decimal | None], baseline: Sequence[Decimal | None]) -> ActivityDrop:
    """Weekly hours, oldest first; None = a week left out (a non-working day, or no entries)."""
    return _compare(ActivityDrop, recent, baseline)


def hours_rise(recent: Sequence[Decimal | None], baseline: Sequence[Decimal | None]) -> HoursRise:
    """Weekly hours, oldest first; None = a week left out (a non-working day, or no entries)."""
    return _compare(HoursRise, recent, baseline)


def week_by_week(hours: Sequence[Decimal | None]) -> str:
    """ "hours worked, week by week: 52, 51, left out and 55" (None: a week left out)."""
    words = ["left out" if h is None else whole(h) for h in hours]
    listed = ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)
    return f"hours worked, week by week: {listed}"


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
    """The hours-ceiling signal's evidence in words, hours rounded."""
    return [
        f"{count} of the last {len(weeks)} weeks above {whole(limit)} hours",
        week_by_week([h for _, h in weeks]),
    ]
