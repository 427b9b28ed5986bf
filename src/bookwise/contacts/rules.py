"""Relationship coverage, a pure rule (no Django): who on the sales side knows the customer's
people, and whether the account hangs on one thread (docs/contacts.md, "Coverage").

- A contact is *active* unless they left the company; only active contacts count.
- A contact is *covered* when at least one current rep knows them (met, regular or strong).
- Decision makers covered = active decision makers who are covered, of all active decision
  makers (the coverage figure; undefined when the account has no active decision maker).
- Multi-threaded contacts = active contacts known by two reps or more, of all active contacts.
- Single-threaded: at least one decision maker is covered and every relationship with the
  account's decision makers goes through one and the same rep (with a single decision maker:
  one rep knows the only decision maker).
- A relationship from activities: the days in the last 24 months on which a rep logged time
  on the account with a note naming the contact; 1-2 days = met, 3-5 = regular, 6 or more =
  strong. A recorded relationship and one from activities combine as the stronger."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

DECISION_MAKER = "decision_maker"
BUYING_ROLES = ("decision_maker", "influencer", "user", "finance", "procurement")
STRENGTHS = ("met", "regular", "strong")
STRENGTH_RANK = {name: rank for rank, name in enumerate(STRENGTHS, start=1)}
#: days with notes naming the contact needed for regular and strong
REGULAR_DAYS = 3
STRONG_DAYS = 6


def strength_from_days(days: int) -> str | None:
    """The strength an activity record shows: None (no day), met, regular or strong."""
    if days >= STRONG_DAYS:
        return "strong"
    if days >= REGULAR_DAYS:
        return "regular"
    return "met" if days > 0 else None


def stronger(a: str | None, b: str | None) -> str | None:
    """The stronger of two strengths (None = no relationship)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if STRENGTH_RANK[a] >= STRENGTH_RANK[b] else b


@dataclass(frozen=True)
class ContactFacts:
    contact_id: int
    buying_role: str
    left: bool
    knowers: dict[int, str] = field(default_factory=dict)  # current rep id -> strength

    @property
    def active(self) -> bool:
        return not self.left

    @property
    def decision_maker(self) -> bool:
        return self.buying_role == DECISION_MAKER


@dataclass(frozen=True)
class Coverage:
    decision_makers: int
    decision_makers_covered: int
    contacts: int
    multi_threaded: int
    dm_reps: frozenset[int]

    @property
    def ratio(self) -> Fraction | None:
        """Decision makers covered / decision makers (None without a decision maker)."""
        if self.decision_makers == 0:
            return None
        return Fraction(self.decision_makers_covered, self.decision_makers)

    @property
    def percent(self) -> float | None:
        """The coverage figure as a number for display (0.5 = 50 %)."""
        return None if self.ratio is None else float(self.ratio)

    @property
    def multi_ratio(self) -> Fraction | None:
        return Fraction(self.multi_threaded, self.contacts) if self.contacts else None

    @property
    def single_threaded(self) -> bool:
        return self.decision_makers_covered > 0 and len(self.dm_reps) == 1

    @property
    def uncovered_decision_makers(self) -> int:
        return self.decision_makers - self.decision_makers_covered

    @property
    def decision_maker_sentence(self) -> str:
        return dm_sentence(self)

    def sentence(self) -> str:
        """The coverage in words, e.g. "2 of 3 decision makers covered; 1 of 4 contacts known
        by more than one rep"."""
        if self.contacts == 0:
            return "No contacts recorded."
        dm = (
            f"{self.decision_makers_covered} of {self.decision_makers} decision makers covered"
            if self.decision_makers
            else "no decision maker recorded"
        )
        return f"{dm}; {self.multi_threaded} of {self.contacts} contacts known by more than one rep"


def dm_sentence(cov: Coverage) -> str:
    """The decision makers' side in words: "2 of 3 decision makers covered"."""
    return f"{cov.decision_makers_covered} of {cov.decision_makers} decision makers covered"


def coverage(contacts: Iterable[ContactFacts]) -> Coverage:
    active = [c for c in contacts if c.active]
    dms = [c for c in active if c.decision_maker]
    dm_reps: set[int] = set()
    for c in dms:
        dm_reps |= set(c.knowers)
    return Coverage(
        decision_makers=len(dms),
        decision_makers_covered=sum(1 for c in dms if c.knowers),
        contacts=len(active),
        multi_threaded=sum(1 for c in active if len(c.knowers) >= 2),
        dm_reps=frozenset(dm_reps),
    )


def names_contact(note: str, name: str) -> bool:
    """Whether an activity note names the contact (their full name, any case)."""
    wanted = " ".join(name.split()).casefold()
    return bool(wanted) and wanted in " ".join(note.split()).casefold()
