"""The settings of a rebalance scenario from what a user typed (command line, API, page),
refused in the user's words when they make no sense."""

from __future__ import annotations

from typing import Any

from bookwise.core.validation import InvalidValue

from .problem import BALANCE_FIGURES, TERRITORY_MODES, Settings

MAX_MOVES = 1_000_000


def _number(value: Any, label: str, field: str) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise InvalidValue(label, f"{value!r} is not a number.", field) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidValue(label, f"{value!r} is not a number.", field)
    return number


def _count(value: Any, label: str, field: str) -> int | None:
    if value is None or str(value).strip() in ("", "unlimited"):
        return None
    number = _number(value, label, field)
    if not number.is_integer() or not 0 <= number <= MAX_MOVES:
        raise InvalidValue(
            label, f"{value!r} is not a whole number from 0 to {MAX_MOVES:,} (or empty: unlimited).", field
        )
    return int(number)


def _share(value: Any, default: str, label: str, field: str, meaning: str) -> float:
    share = _number(value if value is not None else default, label, field)
    if not 0 <= share <= 1:
        raise InvalidValue(label, f"{value!r} is not {meaning}.", field)
    return share


def balance_option(balance: Any, tolerance: Any) -> tuple[str | None, float]:
    """What is balanced besides workload (revenue, potential or nothing) and its tolerance."""
    chosen = str(balance or "").strip().lower()
    if chosen in ("", "off", "none", "workload"):
        chosen = ""
    elif chosen not in BALANCE_FIGURES:
        raise InvalidValue(
            "Balance", f"{balance!r} is not one of revenue, potential (or empty: off).", "balance"
        )
    meaning = "a share of each rep's target from 0 to 1 (0.15 = within 15 %)"
    tol = _share(tolerance, "0.15", "Balance tolerance", "balance_tolerance", meaning)
    return chosen or None, tol


def scenario_settings(
    *, tolerance: Any = "0.10", max_moves: Any = None, max_moves_per_rep: Any = None,
    keep_territory: bool | str = False, max_revenue_moved: Any = None, balance: Any = None,
    balance_tolerance: Any = "0.15",
) -> Settings:  # fmt: skip
    meaning = "a share of capacity from 0 to 1 (0.10 = 10 points)"
    tol = _share(tolerance, "0.10", "Tolerance", "tolerance", meaning)
    figure, figure_tol = balance_option(balance, balance_tolerance)
    mode = keep_territory if isinstance(keep_territory, str) else ("hard" if keep_territory else "off")
    if mode not in TERRITORY_MODES:
        raise InvalidValue(
            "Keep territory", f"{keep_territory!r} is not one of off, soft, hard.", "keep_territory"
        )
    revenue = None
    if max_revenue_moved not in (None, ""):
        revenue = _number(max_revenue_moved, "Most revenue moved", "max_revenue_moved")
        if revenue < 0:
            raise InvalidValue(
                "Most revenue moved", f"{max_revenue_moved!r} is negative.", "max_revenue_moved"
            )
    return Settings(
        tolerance=tol,
        max_moves=_count(max_moves, "Most moves", "max_moves"),
        max_moves_per_rep=_count(max_moves_per_rep, "Most moves per rep", "max_moves_per_rep"),
        keep_territory=mode,
        max_revenue_moved=revenue,
        balance=figure,
        balance_tolerance=figure_tol,
    )
