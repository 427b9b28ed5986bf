"""Pure rules of the competency assessment: gaps, development suggestions, promotion readiness.
No Django: ratings come in as dicts competency -> 1..5."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

COMPETENCIES = ("business_planning", "talent", "tracking", "performance", "pricing")
BLIND_SPOT = 2  # self rating at least this much above the director's
LOW = 2  # a director rating at or below this needs development
RELATIVE = Decimal(1)  # a competency this far below the subject's own average needs development
STRONG = 4  # a peer rated at least this by a director can teach it


@dataclass(frozen=True)
class Gap:
    competency: str
    self_rating: int | None
    director_rating: int | None

    @property
    def difference(self) -> int | None:
        """Self minus director (positive = the subject rates themself higher)."""
        if self.self_rating is None or self.director_rating is None:
            return None
        return self.self_rating - self.director_rating


def gaps(self_ratings: Mapping[str, int], director_ratings: Mapping[str, int]) -> list[Gap]:
    return [Gap(c, self_ratings.get(c), director_ratings.get(c)) for c in COMPETENCIES]


@dataclass(frozen=True)
class Suggestion:
    competency: str
    kind: str  # mentoring | peer_learning | independent_learning
    partner_id: int | None
    reason: str


def _needs(gap: Gap, average: Decimal | None) -> str | None:
    """Why this competency needs development, or None."""
    if gap.difference is not None and gap.difference >= BLIND_SPOT:
        return f"self rating {gap.self_rating} is {gap.difference} above the director's {gap.director_rating}"
    if gap.director_rating is not None and gap.director_rating <= LOW:
        return f"director rating {gap.director_rating} (of 5)"
    if gap.director_rating is not None and average is not None and gap.director_rating <= average - RELATIVE:
        return f"director rating {gap.director_rating} well below the subject's average {average:.1f}"
    return None


def best_peer(competency: str, peers: Mapping[int, Mapping[str, int]]) -> int | None:
    """The peer with the highest director rating (>= STRONG) on the competency; ties: lowest id."""
    rated = [(-r[competency], pid) for pid, r in peers.items() if r.get(competency, 0) >= STRONG]
    return min(rated)[1] if rated else None


def suggestions(
    gap_list: list[Gap], *, mentor_id: int | None, peers: Mapping[int, Mapping[str, int]]
) -> list[Suggestion]:
    """Blind spots go to mentoring by the subject's manager; weak competencies to peer learning
    with the strongest peer, or independent learning when no peer is strong at it."""
    known = [g.director_rating for g in gap_list if g.director_rating is not None]
    average = Decimal(sum(known)) / len(known) if known else None
    found = []
    for gap in gap_list:
        reason = _needs(gap, average)
        if reason is None:
            continue
        blind = gap.difference is not None and gap.difference >= BLIND_SPOT
        if blind and mentor_id is not None:
            found.append(Suggestion(gap.competency, "mentoring", mentor_id, reason))
            continue
        peer = best_peer(gap.competency, peers)
        if peer is not None:
            found.append(Suggestion(gap.competency, "peer_learning", peer, reason))
        else:
            found.append(Suggestion(gap.competency, "independent_learning", None, reason))
    return found


@dataclass(frozen=True)
class Readiness:
    rows: list[tuple[str, int | None, int]]  # competency, rating, target
    basis: str  # director | self | none
    ready: bool
    reasons: list[str]


def readiness(director: Mapping[str, int], own: Mapping[str, int], profile: Mapping[str, int]) -> Readiness:
    """Ready for a sales-manager role when a director rated every competency at or above the
    manager profile. Sales results never enter: the best seller is not promoted by default."""
    basis, ratings = ("director", director) if director else (("self", own) if own else ("none", {}))
    rows = [(c, ratings.get(c), int(profile.get(c, 3))) for c in COMPETENCIES]
    short = [f"{c}: {r if r is not None else 'unrated'} below the profile's {t}" for c, r, t in rows
             if r is None or r < t]  # fmt: skip
    reasons = list(short)
    if basis != "director":
        reasons.append("no director assessment yet: a self assessment alone never makes a candidate ready")
    return Readiness(rows, basis, basis == "director" and not short, reasons)
