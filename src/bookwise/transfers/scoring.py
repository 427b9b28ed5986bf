"""The recipient score, a pure rule (no Django): five parts a manager can read
(docs/transfers.md, "Recipient recommendation").

score = 100 * (0.25 performance + 0.10 skills + 0.15 fit + 0.35 history + 0.15 headroom),
each part in [0, 1]:
- performance = mean of the NRR part and the sales part, each estimated with shrinkage
  toward the team's figure: estimate = (n * own + k * team) / (n + k), n = the rep's own
  evidence (accounts with a base for NRR, months active for sales), k = the prior's weight
  (5 accounts, 6 months). Its uncertainty is spread / sqrt(n + k) per part.
- skills = (communication + flexibility - 2) / 8 (manager ratings 1-5; an unrated skill
  counts as the team's average rating, 3 when nobody is rated).
- fit = 0.4 same territory + 0.3 industry experience + 0.3 owns the parent/a subsidiary/a sister.
- history = 0.3 ownership (1 owned the account before, 0.5 co-covered it) + 0.5 dealings
  e / (e + 3), e = deals won on the account + deals on its family / 2 + activity days on the
  account / 4 + on its family / 8 + 0.2 contacts w / (w + 3), w = relationships with its
  contacts (met 1, regular 2, strong 3; a decision maker counts double).
- headroom = 1 - utilisation after taking the account, clamped to [0, 1]."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

WEIGHTS = {"performance": 0.25, "skills": 0.10, "fit": 0.15, "history": 0.35, "headroom": 0.15}
FIT_WEIGHTS = {"territory": 0.4, "industry": 0.3, "relationship": 0.3}
HISTORY_WEIGHTS = {"ownership": 0.3, "dealings": 0.5, "contacts": 0.2}
SATURATION = 3.0  # evidence points at which dealings (or contacts) reach one half
NRR_CAP = 1.5
NEUTRAL = 0.5
PRIOR_ACCOUNTS = 5.0
PRIOR_MONTHS = 6.0
DEFAULT_SPREAD = 0.25  # the spread assumed when fewer than two reps have evidence
DEFAULT_RATING = 3.0


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


@dataclass(frozen=True)
class Estimate:
    """A part of the performance estimated with shrinkage toward the team's figure."""

    value: float
    own: float | None  # the rep's own figure (None: no evidence)
    evidence: float  # n
    prior: float  # k
    team: float
    spread: float

    @property
    def own_share(self) -> float:
        """How much of the estimate is the rep's own figure: n / (n + k)."""
        return self.evidence / (self.evidence + self.prior)

    @property
    def uncertainty(self) -> float:
        return self.spread / math.sqrt(self.evidence + self.prior)


def shrink(own: float | None, evidence: float, team: float, prior: float, spread: float) -> Estimate:
    """(n * own + k * team) / (n + k); with no evidence the team's figure."""
    n = evidence if own is not None and evidence > 0 else 0.0
    value = team if n == 0 else (n * float(own or 0) + prior * team) / (n + prior)
    return Estimate(value, own if n else None, n, prior, team, spread)


def spread_of(values: list[float]) -> float:
    """The standard deviation of the reps' own figures (DEFAULT_SPREAD below two)."""
    if len(values) < 2:
        return DEFAULT_SPREAD
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


@dataclass(frozen=True)
class RepFacts:
    rep_id: int
    nrr: Estimate
    sales: Estimate
    communication: int | None
    flexibility: int | None
    points: Decimal
    capacity: int
    team_rating: float = DEFAULT_RATING


@dataclass(frozen=True)
class Fit:
    territory: bool
    industry: bool
    relationship: bool


@dataclass(frozen=True)
class History:
    owned: str | None = None  # "primary" (owned it before), "secondary" (co-covered), None
    deals: int = 0
    family_deals: int = 0
    activity_days: int = 0
    family_activity_days: int = 0
    relationships: float = 0.0

    @property
    def any(self) -> bool:
        return bool(self.owned or self.deals or self.family_deals or self.activity_days
                    or self.family_activity_days or self.relationships)  # fmt: skip

    @property
    def evidence(self) -> float:
        return self.deals + self.family_deals / 2 + self.activity_days / 4 + self.family_activity_days / 8


NO_HISTORY = History()


@dataclass(frozen=True)
class Score:
    total: float
    parts: dict[str, float]
    details: dict[str, object] = field(default_factory=dict)
    exact: float = 0.0  # the total before rounding: ranks two reps the rounding shows equal


def performance(facts: RepFacts) -> float:
    return (facts.nrr.value + facts.sales.value) / 2


def performance_uncertainty(facts: RepFacts) -> float:
    """The performance part's uncertainty in [0, 1] units (half the root sum of squares)."""
    return math.sqrt(facts.nrr.uncertainty**2 + facts.sales.uncertainty**2) / 2


def skills(facts: RepFacts) -> float:
    comm = facts.communication if facts.communication is not None else facts.team_rating
    flex = facts.flexibility if facts.flexibility is not None else facts.team_rating
    return (comm + flex - 2) / 8


def fit_part(fit: Fit) -> float:
    return sum(weight for name, weight in FIT_WEIGHTS.items() if getattr(fit, name))


def saturate(value: float) -> float:
    return value / (value + SATURATION) if value > 0 else 0.0


def history_part(h: History) -> float:
    ownership = 1.0 if h.owned == "primary" else 0.5 if h.owned == "secondary" else 0.0
    return (
        HISTORY_WEIGHTS["ownership"] * ownership
        + HISTORY_WEIGHTS["dealings"] * saturate(h.evidence)
        + HISTORY_WEIGHTS["contacts"] * saturate(h.relationships)
    )


def utilisation_after(facts: RepFacts, added: Decimal) -> float | None:
    return float((facts.points + added) / facts.capacity) if facts.capacity > 0 else None


def _details(facts: RepFacts, fit: Fit, h: History, after: float | None) -> dict[str, object]:
    return {
        "nrr_estimate": round(facts.nrr.value, 4),
        "sales_estimate": round(facts.sales.value, 4),
        "performance_uncertainty": round(100 * WEIGHTS["performance"] * performance_uncertainty(facts), 2),
        "own_evidence": {"accounts": facts.nrr.evidence, "months": round(facts.sales.evidence, 1)},
        "communication": facts.communication,
        "flexibility": facts.flexibility,
        "same_territory": fit.territory,
        "industry_experience": fit.industry,
        "relationship": fit.relationship,
        "owned_before": h.owned,
        "deals_won": h.deals,
        "family_deals_won": h.family_deals,
        "activity_days": h.activity_days,
        "family_activity_days": h.family_activity_days,
        "contact_relationships": h.relationships,
        "utilisation_after": None if after is None else round(after, 4),
    }


def score(facts: RepFacts, fit: Fit, added: Decimal, history: History = NO_HISTORY) -> Score:
    """The score of giving an account worth `added` points to this rep."""
    after = utilisation_after(facts, added)
    raw = {
        "performance": performance(facts),
        "skills": skills(facts),
        "fit": fit_part(fit),
        "history": history_part(history),
        "headroom": 0.0 if after is None else clamp(1 - after),
    }
    exact = {name: 100 * WEIGHTS[name] * value for name, value in raw.items()}
    parts = {name: round(value, 2) for name, value in exact.items()}
    total = sum(exact.values())
    return Score(round(total, 2), parts, _details(facts, fit, history, after), total)
