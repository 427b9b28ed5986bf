"""The recipient score, a pure rule (no Django): four parts a manager can read.

score = 100 * (0.30 performance + 0.20 skills + 0.30 fit + 0.20 headroom), each part in [0, 1]:
- performance = mean of nrr_part = min(NRR, 1.5) / 1.5 and gp_part = (clamp(GP growth rate, -1, 1) + 1) / 2,
  where NRR is the rep's book NRR over the trailing 12 months vs the 12 before and the GP growth
  rate is (gp T12M - gp previous 12 months) / gp previous 12 months over the book; unknown -> 0.5.
- skills = (communication + flexibility - 2) / 8 (ratings 1-5; an unrated skill counts 3).
- fit = 0.4 same territory + 0.3 industry experience + 0.3 relationship with the parent/subsidiaries.
- headroom = 1 - utilisation after taking the account, clamped to [0, 1]."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WEIGHTS = {"performance": 0.30, "skills": 0.20, "fit": 0.30, "headroom": 0.20}
FIT_WEIGHTS = {"territory": 0.4, "industry": 0.3, "relationship": 0.3}
NRR_CAP = 1.5
NEUTRAL = 0.5


@dataclass(frozen=True)
class RepFacts:
    rep_id: int
    nrr: Decimal | None
    gp_growth_rate: Decimal | None
    communication: int | None
    flexibility: int | None
    points: Decimal
    capacity: int


@dataclass(frozen=True)
class Fit:
    territory: bool
    industry: bool
    relationship: bool


@dataclass(frozen=True)
class Score:
    total: float
    parts: dict[str, float]
    details: dict[str, object]


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def performance(facts: RepFacts) -> float:
    nrr = NEUTRAL if facts.nrr is None else clamp(float(facts.nrr) / NRR_CAP)
    rate = facts.gp_growth_rate
    gp = NEUTRAL if rate is None else (clamp(float(rate), -1.0, 1.0) + 1) / 2
    return (nrr + gp) / 2


def skills(facts: RepFacts) -> float:
    return ((facts.communication or 3) + (facts.flexibility or 3) - 2) / 8


def fit_part(fit: Fit) -> float:
    return sum(weight for name, weight in FIT_WEIGHTS.items() if getattr(fit, name))


def utilisation_after(facts: RepFacts, added: Decimal) -> float | None:
    return float((facts.points + added) / facts.capacity) if facts.capacity > 0 else None


def score(facts: RepFacts, fit: Fit, added: Decimal) -> Score:
    """The score of giving an account worth `added` points to this rep."""
    after = utilisation_after(facts, added)
    raw = {
        "performance": performance(facts),
        "skills": skills(facts),
        "fit": fit_part(fit),
        "headroom": 0.0 if after is None else clamp(1 - after),
    }
    parts = {name: round(100 * WEIGHTS[name] * value, 2) for name, value in raw.items()}
    details: dict[str, object] = {
        "nrr": None if facts.nrr is None else float(round(facts.nrr, 4)),
        "gp_growth_rate": None if facts.gp_growth_rate is None else float(round(facts.gp_growth_rate, 4)),
        "communication": facts.communication,
        "flexibility": facts.flexibility,
        "same_territory": fit.territory,
        "industry_experience": fit.industry,
        "relationship": fit.relationship,
        "utilisation_after": None if after is None else round(after, 4),
    }
    return Score(round(sum(parts.values()), 2), parts, details)
