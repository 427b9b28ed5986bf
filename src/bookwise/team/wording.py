"""How the team's sentences of evidence write their figures: PLAIN for JSON, the API, the
commands and what an assessment stores (machines read those: figures as Python writes them,
unchanged), DISPLAY for the pages (the site's number formats: thousands separators, hours
rounded with their unit, percentages as the tables show them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from bookwise.core.money import display_money
from bookwise.core.numbers import display_hours, display_number, display_percent


@dataclass(frozen=True)
class Wording:
    hours: Callable[[Decimal], str]  # an amount of hours, the figure (the sentence says "hours")
    money: Callable[[Decimal], str]
    count: Callable[[int], str]
    share: Callable[[Decimal, int], str]  # a ratio as a percentage, to `digits` decimals


PLAIN = Wording(
    hours=str,
    money=str,
    count=str,
    share=lambda r, digits: f"{r:.{digits}%}",
)
DISPLAY = Wording(
    hours=lambda h: display_hours(h, unit=False),
    money=display_money,
    count=display_number,
    share=display_percent,
)
