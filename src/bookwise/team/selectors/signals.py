"""Workload and burnout signals, each with its evidence (issue #7 part 3).

Load and utilisation come from the transfers app (`rep_loads`, METRICS.md Workload), tiers
from the retention app; overdue plan reviews from the plans app; transfers from transfers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from django.db.models import DecimalField, Sum
from django.urls import NoReverseMatch, reverse

from bookwise.accounts.models import Account, Activity
from bookwise.accounts.selectors import held_on
from bookwise.core.numbers import display_percent
from bookwise.core.users import Viewer
from bookwise.people.models import Rep
from bookwise.retention.selectors import TierInfo, account_tiers
from bookwise.transfers.workload import RepLoad, rep_loads

from ..advice import (
    BASELINE_WEEKS,
    MIN_COUNT_RISE,
    MIN_SHARE_RISE,
    RECENT_WEEKS,
    LoadRise,
    activity_drop,
    hours_rise,
    long_weeks_words,
    percent,
    week_by_week,
    whole,
)
from ..calendar import off_weeks
from ..rules import LongWeeks, completed_weeks, long_weeks_signal
from .common import decimal_setting, setting, visible_reps
from .pressure import overdue_review_shares, unanswered_transfer_counts

ZERO = Decimal("0.00")
TREND_DAYS = 28  # overdue reviews and unanswered transfers: now against four weeks ago


@dataclass
class Signal:
    key: str
    label: str
    evidence: list[str]  # as JSON and the commands write it
    shown: list[str] | None = None  # as the page writes it, when its figures differ

    @property
    def display_evidence(self) -> list[str]:
        return self.evidence if self.shown is None else self.shown


@dataclass
class RepSignals:
    rep: Rep
    load: RepLoad | None
    weeks: LongWeeks
    key_accounts: int
    signals: list[Signal] = field(default_factory=list)
    smallest_account: str | None = None  # external id of the account to delegate

    @property
    def delegate_url(self) -> str | None:
        """The transfers app's page to hand the smallest account to a qualified rep with room."""
        if self.load is None or not self.load.overloaded or self.smallest_account is None:
            return None
        try:
            return reverse("transfers:new", kwargs={"account_id": self.smallest_account})
        except NoReverseMatch:  # pragma: no cover - the transfers app is installed
            return f"/accounts/{self.smallest_account}/"


def weekly_hours(rep_ids: list[int], mondays: list[date]) -> dict[int, dict[date, Decimal]]:
    """rep id -> Monday -> hours logged that ISO week (weeks without entries are absent)."""
    start, end = mondays[0], mondays[-1] + timedelta(days=6)
    rows = (
        Activity.objects.filter(rep_id__in=rep_ids, date__range=(start, end))
        .order_by()
        .values("rep_id", "date")
        .annotate(total=Sum("hours", output_field=DecimalField(max_digits=14, decimal_places=2)))
    )
    result: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        monday = row["date"] - timedelta(days=row["date"].weekday())
        result[row["rep_id"]][monday] += Decimal(row["total"]).quantize(Decimal("0.01"))
    return result


def primary_books(rep_ids: list[int], day: date) -> dict[int, list[int]]:
    books: dict[int, list[int]] = defaultdict(list)
    rows = held_on(day, rep_ids=rep_ids)
    for rep_id, account_id in rows.values_list("rep_id", "account_id"):
        books[rep_id].append(account_id)
    return books


def _smallest(accounts: list[int], tiers: dict[int, TierInfo], ext: dict[int, str]) -> str | None:
    if not accounts:
        return None
    best = min(accounts, key=lambda a: (tiers[a].t12m_revenue if a in tiers else ZERO, ext[a]))
    return ext[best]


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def capacity_signal(load: RepLoad | None) -> list[Signal]:
    """Over capacity; the page writes the utilisation as its column does (111.1 %), JSON and
    the commands as before (111%)."""
    if load is None or not load.overloaded:
        return []
    words = f"load {load.points:.0f} points for a capacity of {load.capacity} (utilisation {{}})"
    plain, shown = words.format(_pct(load.utilisation)), words.format(display_percent(load.utilisation))
    return [Signal("over_capacity", "Over capacity", [plain], [shown])]


def activity_signal(
    load: RepLoad | None, before: RepLoad | None, recent: list[Decimal | None], baseline: list[Decimal | None]
) -> list[Signal]:
    """Activity fell against the rep's own baseline (sustained, at least MIN_DROP) while their
    load rose by at least the minimum (advice.py); holiday and empty weeks left out."""
    drop = activity_drop(recent, baseline)
    if load is None or before is None or not drop.fired:
        return []
    rise = LoadRise(before.points, load.points, load.capacity)
    if not rise.fired:
        return []
    return [
        Signal(
            "activity_falling_load_rising",
            "Activity falling while load rises",
            [drop.evidence(), rise.evidence()],
        )
    ]


def longer_hours_signal(recent: list[Decimal | None], baseline: list[Decimal | None]) -> list[Signal]:
    """Working clearly longer than their own usual week (advice.HoursRise): weeks off and
    weeks without entries left out of both sides."""
    rise = hours_rise(recent, baseline)
    if not rise.fired:
        return []
    return [Signal("long_hours", "Working longer than usual", [rise.evidence(), week_by_week(recent)])]


def ceiling_signal(weeks: LongWeeks) -> list[Signal]:
    """The absolute ceiling, whatever the rep's usual week: more than `weekly_hours_limit`
    hours in `long_weeks_needed` of the last `long_weeks_window` weeks."""
    if not weeks.fired:
        return []
    label = f"Above the {weeks.limit:.0f}-hour ceiling"
    return [Signal("hours_ceiling", label, long_weeks_words(weeks.weeks, weeks.long_weeks, weeks.limit))]


def key_account_signal(count: int, limit: int) -> list[Signal]:
    if count <= limit:
        return []
    return [
        Signal(
            "key_accounts",
            "Too many key accounts",
            [f"{count} tier A accounts as primary owner (limit {limit})"],
        )
    ]


Figure = TypeVar("Figure", Decimal, int)


def trend_signal(
    key: str, label: str, figures: tuple[Figure | None, Figure | None], minimum: Figure, unit: str,
    words: Callable[[Figure], str],
) -> list[Signal]:  # fmt: skip
    """Fires when the figure (now, four weeks ago) rose by at least `minimum`; `words` rounds
    it for the evidence (a share as a whole percentage, a count as a whole number)."""
    now, before = figures
    if now is None or before is None or now - before < minimum:
        return []
    return [Signal(key, label, [f"{unit}: {words(before)} four weeks ago, {words(now)} now"])]


@dataclass
class Inputs:
    """Everything the signals of a set of reps need, fetched set-based."""

    day: date
    mondays: list[date]
    loads: dict[int, RepLoad]
    loads_before: dict[int, RepLoad]
    hours: dict[int, dict[date, Decimal]]
    off: dict[int, set[date]]
    books: dict[int, list[int]]
    tiers: dict[int, TierInfo]
    external: dict[int, str]
    reviews: dict[int, tuple[Decimal | None, Decimal | None]]
    transfers: dict[int, tuple[int, int]]


def gather(rep_ids: list[int], day: date) -> Inputs:
    mondays = completed_weeks(day, RECENT_WEEKS + BASELINE_WEEKS)
    books = primary_books(rep_ids, day)
    accounts = [a for held in books.values() for a in held]
    tiers = account_tiers(day=day, account_ids=accounts) if accounts else {}
    return Inputs(
        day=day,
        mondays=mondays,
        loads=rep_loads(day=day, rep_ids=rep_ids),
        loads_before=rep_loads(day=day - timedelta(weeks=RECENT_WEEKS), rep_ids=rep_ids),
        hours=weekly_hours(rep_ids, mondays),
        off=off_weeks(rep_ids, mondays),
        books=books,
        tiers=tiers,
        external=dict(Account.objects.filter(id__in=accounts).values_list("id", "external_id")),
        reviews=overdue_review_shares(rep_ids, day, day - timedelta(days=TREND_DAYS)),
        transfers=unanswered_transfer_counts(rep_ids, day, day - timedelta(days=TREND_DAYS)),
    )


def signals_of(rep: Rep, data: Inputs) -> RepSignals:
    window = int(setting("long_weeks_window"))
    limit = decimal_setting("weekly_hours_limit")
    mine, off = data.hours.get(rep.id, {}), data.off.get(rep.id, set())
    weeks = long_weeks_signal(mine, data.mondays[-window:], limit, int(setting("long_weeks_needed")))
    counted: list[Decimal | None] = [None if m in off or m not in mine else mine[m] for m in data.mondays]
    book = data.books.get(rep.id, [])
    key_count = sum(1 for a in book if a in data.tiers and data.tiers[a].tier == "A")
    load = data.loads.get(rep.id)
    found = capacity_signal(load) + activity_signal(
        load, data.loads_before.get(rep.id), counted[-RECENT_WEEKS:], counted[:BASELINE_WEEKS]
    )
    found += longer_hours_signal(counted[-RECENT_WEEKS:], counted[:BASELINE_WEEKS])
    found += ceiling_signal(weeks)
    found += key_account_signal(key_count, int(setting("key_accounts_limit")))
    found += trend_signal("overdue_reviews", "Rising share of overdue plan reviews",
                          data.reviews.get(rep.id, (None, None)), MIN_SHARE_RISE,
                          "share of approved plans with an overdue review", percent)  # fmt: skip
    found += trend_signal("unanswered_transfers", "Rising unanswered transfers",
                          data.transfers.get(rep.id, (0, 0)), MIN_COUNT_RISE,
                          "open transfers past their effective date", whole)  # fmt: skip
    return RepSignals(rep, load, weeks, key_count, found, _smallest(book, data.tiers, data.external))


def rep_signals(reps: list[Rep], day: date) -> list[RepSignals]:
    if not reps:
        return []
    data = gather([r.id for r in reps], day)
    return [signals_of(r, data) for r in reps]


def signal_list(*, user: Viewer, day: date) -> list[RepSignals]:
    """Signals of every rep the user may see: a manager their team, a rep their own."""
    return rep_signals(list(visible_reps(user=user)), day)
