"""~2,000 customer accounts: Pareto-shaped sizes, industries with their product mix,
growth and decline, churn with and without a recorded reason, parents and subsidiaries."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from .blueprint import AccountSpec
from .catalogue import (
    INDUSTRIES,
    INDUSTRY_WORDS,
    LEGAL_FORMS,
    LOST_REASONS,
    NAME_STEMS,
    PRODUCT_LINES,
    TERRITORY_WEIGHTS,
)

PARETO_ALPHA = 0.9  # with the offset below: top 20 % of accounts hold ~80 % of revenue
SMALLEST_ANNUAL = 4000.0
NEW_SHARE = 0.18  # accounts won during the history
CHURN_SHARE = 0.20  # existing accounts that stop buying during the history
LOST_WITH_REASON = 0.55  # of the churned: recorded as lost with a reason; the rest go silent
SUBSIDIARY_SHARE = 0.05


def pareto_sizes(rng: random.Random, n: int) -> list[float]:
    """Yearly revenues at Pareto quantiles (the 80/20 shape at any scale), shuffled. The
    offset flattens the very top so that no single customer is more than ~5 % of the book."""
    offset = max(0.5, 0.0025 * n)
    sizes = [SMALLEST_ANNUAL * ((i + offset) / n) ** (-1 / PARETO_ALPHA) for i in range(n)]
    sizes = [round(s * rng.uniform(0.85, 1.15), 2) for s in sizes]
    rng.shuffle(sizes)
    return sizes


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random, industry: str, number: int, taken: set[str]) -> str:
    for _ in range(5):
        name = f"{rng.choice(NAME_STEMS)} {rng.choice(INDUSTRY_WORDS[industry])} {rng.choice(LEGAL_FORMS)}"
        if name not in taken:
            taken.add(name)
            return name
    return f"{name} {number}"


def _product_lines(rng: random.Random, industry: str, annual: float) -> list[str]:
    boost = max(0.0, 0.08 * math.log10(annual / 20000)) if annual > 20000 else 0.0
    adoption = INDUSTRIES[industry][1]
    lines = [
        line for line, p in zip(PRODUCT_LINES, adoption, strict=True) if rng.random() < min(0.97, p + boost)
    ]
    return lines or [PRODUCT_LINES[adoption.index(max(adoption))]]


def _growth(rng: random.Random) -> float:
    draw = rng.random()
    if draw < 0.2:
        return rng.uniform(0.15, 0.40)
    if draw < 0.4:
        return rng.uniform(-0.35, -0.10)
    return rng.uniform(-0.05, 0.10)


def _one_account(
    rng: random.Random, number: int, annual: float, start: date, today: date, taken
) -> AccountSpec:
    industry = _weighted(rng, {k: v[0] for k, v in INDUSTRIES.items()})
    territory = _weighted(rng, TERRITORY_WEIGHTS)
    span = (today - start).days
    new = rng.random() < NEW_SHARE
    created = (
        start + timedelta(days=rng.randint(30, span - 10))
        if new
        else start - timedelta(days=rng.randint(200, 5000))
    )
    account = AccountSpec(
        external_id=f"AC-{number:04d}",
        name=_name(rng, industry, number, taken),
        industry=industry,
        territory=territory,
        created=created,
        annual=annual,
        growth=_growth(rng),
        lines=_product_lines(rng, industry, annual),
    )
    if new:
        account.hunter = "?"  # decided with the ownership history
    _churn(rng, account, start, today)
    if rng.random() < (0.25 if annual > 50000 else 0.05):
        account.contract_from = start + timedelta(days=rng.randint(0, span - 60))
    return account


def _churn(rng: random.Random, account: AccountSpec, start: date, today: date) -> None:
    earliest = (account.created + timedelta(days=180)) if account.hunter else start + timedelta(days=90)
    latest = today - timedelta(days=45)
    if rng.random() >= (0.08 if account.hunter else CHURN_SHARE) or earliest >= latest:
        return
    account.churn = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


def _potential(rng: random.Random, account: AccountSpec, start: date, today: date) -> Decimal | None:
    years = (today - max(start, account.created)).days / 365.25
    now = account.annual * (1 + account.growth) ** years
    draw = rng.random()
    if draw < 0.05:
        return None
    factor = rng.uniform(0.8, 1.0) if draw < 0.15 else rng.uniform(1.15, 3.0)
    return Decimal(max(1000, round(now * factor, -3))).quantize(Decimal("0.01"))


def _record_losses(rng: random.Random, accounts: list[AccountSpec], today: date) -> None:
    """Churned accounts: some recorded lost with a reason (every kind), the rest silent."""
    reasons = LOST_REASONS[:]
    rng.shuffle(reasons)
    recorded = 0
    for account in accounts:
        if account.churn is None or rng.random() >= LOST_WITH_REASON:
            continue
        account.status = "lost"
        account.lost_date = min(today, account.churn + timedelta(days=rng.randint(20, 90)))
        account.lost_reason = reasons[recorded % len(reasons)]
        recorded += 1


def _link_subsidiaries(rng: random.Random, accounts: list[AccountSpec]) -> None:
    count = max(2, round(len(accounts) * SUBSIDIARY_SHARE))
    by_size = sorted(accounts, key=lambda a: -a.annual)
    parents = by_size[: max(1, count // 2)]
    children = rng.sample(by_size[len(parents) :], count)
    for i, child in enumerate(children):
        parent = parents[i % len(parents)]
        child.parent = parent.external_id
        child.industry = parent.industry
        child.name = f"{parent.name} - {child.territory} {i + 1}"


def plan_accounts(
    rng: random.Random, n: int, start: date, today: date
) -> tuple[list[AccountSpec], list[tuple[str, str]]]:
    taken: set[str] = set()
    sizes = pareto_sizes(rng, n)
    accounts = [_one_account(rng, i + 1, sizes[i], start, today, taken) for i in range(n)]
    _link_subsidiaries(rng, accounts)
    _record_losses(rng, accounts, today)
    story = _shape_story(accounts, today)
    for account in accounts:
        account.potential = _potential(rng, account, start, today)
    return accounts, story


def _shape_story(accounts: list[AccountSpec], today: date) -> list[tuple[str, str]]:
    """Give a few big existing accounts a clear story to show in the demo."""
    big = sorted((a for a in accounts if a.hunter is None and a.parent is None), key=lambda a: -a.annual)
    if len(big) < 8:
        return []
    silent, competitor, grower, decliner = big[3], big[4], big[5], big[6]
    for account in (silent, competitor, grower, decliner):
        account.status, account.lost_date, account.lost_reason, account.churn = "active", None, "", None
    silent.churn = today - timedelta(days=150)
    competitor.churn = today - timedelta(days=240)
    competitor.status, competitor.lost_date, competitor.lost_reason = (
        "lost",
        today - timedelta(days=200),
        "competitor",
    )
    grower.growth, decliner.growth = 0.45, -0.45
    return [
        (silent.external_id, "big account that silently stopped buying 5 months ago (unexplained loss)"),
        (competitor.external_id, "big account lost to a competitor 8 months ago (avoidable)"),
        (grower.external_id, "fast-growing account (+45 % a year)"),
        (decliner.external_id, "big account in steep decline (-45 % a year): at risk"),
    ]
