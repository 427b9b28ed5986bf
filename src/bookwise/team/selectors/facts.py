"""Set-based facts behind the scorecards: a handful of grouped queries of the team rollup for
any number of reps.

"Credited to the rep" (METRICS.md Roles) = the line's rep, or else the primary owner on the
line's date (credits.py). The same facts worked out line by line from the order lines are
the test oracle (tests/team/oracle.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bookwise.accounts.models import Ownership
from bookwise.accounts.selectors import owner_spans
from bookwise.core.memory import gc_paused
from bookwise.retention.metrics import RetentionFigures

from .. import rollup
from ..models import LineMonth
from . import rolled
from .common import Windows
from .credits import AccountSums, resolve_credits

ZERO = Decimal("0.00")
# index 0 = cur window, 1 = prev, 2 = prev2
WINDOW_KEYS = ("cur", "prev", "prev2")


@dataclass
class Memo:
    """Per-rep partial sums of the scorecards, computed once per Facts."""

    accounts: list[tuple[int, str]] | None = None  # every account's (pk, external id)
    hunters: dict[int | None, list[tuple[int, date]]] | None = None  # hunter -> (account, first line)
    growth: dict[int, dict[int, int]] = field(default_factory=dict)  # window -> rep -> GP growth, cents
    retention: dict[int, dict[int, RetentionFigures]] = field(default_factory=dict)  # window -> rep -> ...


@dataclass
class Facts:
    windows: Windows
    owners: dict[date, dict[int, int]]  # day -> account id -> primary owner rep id
    sums: dict[int, AccountSums]
    credited: dict[int, list[int]]  # rep id -> [lines in cur, lines in prev]
    new_accounts: dict[int, tuple[date, int | None]]  # account id -> (first line date, credited rep)

    _books: dict[date, dict[int, list[int]]] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)

    def book(self, day: date, rep_ids: set[int]) -> list[int]:
        """Accounts the reps held as primary owner on `day` (an inverted index, built once)."""
        by_rep = self._books.get(day)
        if by_rep is None:
            by_rep = defaultdict(list)
            for account, rep in self.owners[day].items():
                by_rep[rep].append(account)
            self._books[day] = by_rep
        return [a for r in rep_ids for a in by_rep.get(r, ())]

    def account(self, account_id: int) -> AccountSums:
        return self.sums.get(account_id) or AccountSums()


def _candidates(rep_ids: set[int]) -> set[int]:
    """Accounts the reps ever owned or were credited a line of (from the rollup's rows with a
    rep: a small partial index, where the planner may scan every line)."""
    owned = Ownership.objects.filter(rep_id__in=rep_ids).values_list("account_id", flat=True)
    credited = (
        LineMonth.objects.filter(rep_id__in=rep_ids, rep__isnull=False)
        .values_list("account_id", flat=True)
        .distinct()
    )
    return set(owned) | set(credited)


def collect_facts(w: Windows, rep_ids: set[int] | None = None) -> Facts:
    """Everything the scorecards of `rep_ids` (None = every rep) need: ownership on four days,
    new accounts, and per account, window and line rep the sums and line counts, read from
    the team rollup (rolled.py; brought up to date first when order lines were added)."""
    rollup.ensure_fresh()
    with gc_paused():
        return _collect_facts(w, rep_ids)


def _collect_facts(w: Windows, rep_ids: set[int] | None) -> Facts:
    days = (w.day, w.prev.end, w.cur.start, w.prev.start)
    candidates = None if rep_ids is None else _candidates(rep_ids)
    spans = owner_spans(w.prev.start, w.day, candidates)
    owners = rolled.owners_on(days, spans, rep_ids)
    firsts = rolled.rollup_firsts(w, candidates, spans)
    sums, direct, unassigned = rolled.rollup_sums(w, None if candidates is None else candidates | set(firsts))
    credited = resolve_credits(direct, unassigned, w, spans, rolled.rollup_changed_counts)
    if rep_ids is not None:
        credited = {r: c for r, c in credited.items() if r in rep_ids}
    return Facts(windows=w, owners=owners, sums=sums, credited=credited, new_accounts=firsts)
