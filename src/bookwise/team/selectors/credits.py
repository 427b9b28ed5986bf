"""Per-account sums of the scorecards' windows and the crediting of order lines to reps.

"Credited to the rep" (METRICS.md Roles) = the line's rep, or else the primary owner on the
line's date. Lines with a rep go to that rep; lines without one to the account's single
primary owner over the window (the usual case, from the grouped counts); the (account,
window) pairs whose owner changed inside the window are handed to a `ChangedCounts`
function, which credits their lines on each line's date (`rolled.rollup_changed_counts`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bookwise.accounts.selectors import Span
from bookwise.core.dates import Period

from .common import Windows

ZERO = Decimal("0.00")


@dataclass
class AccountSums:
    """Per window (0 cur, 1 prev, 2 prev2): revenue and gross profit in integer cents, added
    up exactly and quickly; figures become Decimal amounts at the end (`money`)."""

    rev: list[int] = field(default_factory=lambda: [0, 0, 0])
    gp: list[int] = field(default_factory=lambda: [0, 0, 0])


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


Counts = dict[int, list[int]]  # rep id -> [lines in cur, lines in prev]
Unassigned = dict[tuple[int, int], int]  # (account, window) -> lines without a rep
ChangedCounts = Callable[[Windows, set[tuple[int, int]], dict[int, list[Span]]], Counts]


def _single_owner(spans: list[Span], period: Period) -> int | None | bool:
    """The rep owning the account over the whole period; None when nobody owned it at all in
    the period; False when it changed hands (or had gaps) inside the period."""
    inside = [s for s in spans if s[0] <= period.end and (s[1] is None or s[1] >= period.start)]
    if not inside:
        return None
    start, end, rep = inside[0]
    if len(inside) == 1 and start <= period.start and (end is None or end >= period.end):
        return rep
    return False


def _window_owner(spans: list[Span], period: Period) -> int | None | bool:
    if len(spans) == 1:  # the usual case first: one assignment over both windows
        start, end, rep = spans[0]
        if start <= period.start and (end is None or end >= period.end):
            return rep
    return _single_owner(spans, period)


def add_counts(result: Counts, found: Counts) -> None:
    for rep, counts in found.items():
        result[rep][0] += counts[0]
        result[rep][1] += counts[1]


def resolve_credits(
    direct: Counts,
    unassigned: dict[tuple[int, int], int],
    w: Windows,
    spans: dict[int, list[Span]],
    changed_counts: ChangedCounts,
) -> Counts:
    """rep id -> [lines credited in cur, in prev]: `direct` (lines with a rep, per rep and
    window) to their rep; `unassigned` (lines without one, per (account, window)) to the
    account's single primary owner over the window (from `spans`, the primary assignments
    overlapping [prev.start, d]); where the owner changed inside a window,
    `changed_counts(w, pairs, spans)` credits the (account, window) pairs concerned."""
    result: Counts = defaultdict(lambda: [0, 0])
    add_counts(result, direct)
    periods = (w.cur, w.prev)
    owners = {(a, b): _window_owner(spans.get(a, []), periods[b]) for a, b in unassigned}
    changed = {pair for pair, owner in owners.items() if owner is False}
    if changed:
        add_counts(result, changed_counts(w, changed, spans))
    for pair, n in unassigned.items():
        owner = owners[pair]
        if pair not in changed and owner:
            result[owner][pair[1]] += n
    return dict(result)
