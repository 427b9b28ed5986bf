"""Pure rules of goals (docs/goals.md): a target's units, the three ways to split a target
among the children of a node, the consistency of a split and whether a figure is on track.
No Django: plain values in, plain values out.

A target is kept as a whole number in its figure's unit: a ratio in ten-thousandths
(1.0500 = 105.00 %), money in cents, a count as itself. Splits work in those units, so an
additive split sums back to its parent exactly."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

RATIO, MONEY, COUNT = "ratio", "money", "count"
SCALE = {RATIO: 4, MONEY: 2, COUNT: 0}
EVEN, LAST_YEAR, HAND = "even", "last_year", "hand"
METHODS = {EVEN: "evenly", LAST_YEAR: "by last year's share", HAND: "by hand"}
ON_TRACK, CLOSE, OFF_TRACK, NO_DATA = "on_track", "close", "off_track", "no_data"
TOLERANCE = Decimal("0.05")  # "close": at most 5 % of the target to date below it


class SplitRefused(ValueError):
    """A split that cannot be made or does not add up; the message says why in words."""


def to_units(value: Decimal, kind: str) -> int:
    """The value in the kind's unit (1.05 ratio -> 10500); more decimals than the unit holds
    is refused, not rounded."""
    units = value.scaleb(SCALE[kind])
    if units != units.to_integral_value():
        raise ValueError(f"{value} has more decimals than a {kind} target keeps ({SCALE[kind]})")
    return int(units)


def from_units(units: int, kind: str) -> Decimal:
    return Decimal(units).scaleb(-SCALE[kind])


THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?%?")


def parse_target(text: str, kind: str) -> Decimal:
    """A target as typed: a ratio as a fraction ("1.05") or a percentage ("105%", "105 %");
    money and counts as plain numbers (thousands separators allowed). ValueError in words."""
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if "," in raw and not THOUSANDS.fullmatch(raw):
        raise ValueError(f"{text!r} is not a number (thousands are separated in groups of three: 1,250,000)")
    raw = raw.replace(",", "")
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.removesuffix("%"))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    if percent:
        if kind != RATIO:
            raise ValueError(f"{text!r}: only a ratio target is given in per cent")
        value = value / 100
    to_units(value, kind)
    return value


# --- splits ------------------------------------------------------------------------------


def largest_remainder(total: int, weights: Sequence[Decimal]) -> list[int]:
    """`total` units shared in proportion to `weights` (>= 0, not all 0), whole units each,
    summing to `total` exactly: each gets the floor of its share, and the units left go one
    each to the largest remainders (ties: the earlier child)."""
    whole = sum(weights, Decimal(0))
    if whole <= 0:
        raise SplitRefused("no child had any of it last year to share by")
    shares = [Decimal(total) * w / whole for w in weights]
    floors = [math.floor(s) for s in shares]
    left = total - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def split_even(target: int, n: int, kind: str) -> list[int]:
    """Additive: equal parts summing to the target; a ratio: the target for every child."""
    if n <= 0:
        raise SplitRefused("there is nobody to split it among")
    if kind == RATIO:
        return [target] * n
    return largest_remainder(target, [Decimal(1)] * n)


def split_last_year(
    target: int, kind: str, weights: Sequence[Decimal], last: Sequence[Decimal | None] = ()
) -> list[int]:
    """Additive: in proportion to each child's figure of last year (`weights`). A ratio: each
    child keeps its distance to the parent's level of last year, t_c = last_c + (T - M), where
    M is the weighted mean of the children's last-year values (weights: each child's base);
    a child without a value of last year gets T. Rounded up to the unit, so the weighted mean
    is never below T."""
    if not weights:
        raise SplitRefused("there is nobody to split it among")
    if kind != RATIO:
        return largest_remainder(target, [max(w, Decimal(0)) for w in weights])
    known = [(w, v) for w, v in zip(weights, last, strict=True) if v is not None and w > 0]
    total_target = from_units(target, RATIO)
    if not known:
        return [target] * len(weights)
    mean = sum((w * v for w, v in known), Decimal(0)) / sum((w for w, _ in known), Decimal(0))
    shifted = [total_target if v is None else v + (total_target - mean) for v in last]
    return [int(t.scaleb(SCALE[RATIO]).to_integral_value(ROUND_CEILING)) for t in shifted]


def weighted_mean(targets: Sequence[int], weights: Sequence[Decimal]) -> Decimal | None:
    """Sum of w_c * t_c over the sum of w_c (in units); the plain mean when every weight is 0;
    None for no children."""
    if not targets:
        return None
    total = sum(weights, Decimal(0))
    if total <= 0:
        return Decimal(sum(targets)) / len(targets)
    return sum((w * t for w, t in zip(weights, targets, strict=True)), Decimal(0)) / total


@dataclass(frozen=True)
class Consistency:
    consistent: bool
    children_total: Decimal | None  # the sum (additive) or the weighted mean (ratio), in units
    message: str


def consistency(parent: int, children: Sequence[int], weights: Sequence[Decimal], kind: str) -> Consistency:
    """Additive: the children's targets sum to the parent's exactly. A ratio: the weighted mean
    of the children's targets (weights: each child's base for the period) is not below the
    parent's, so if every child meets its target the parent meets its own."""
    if kind != RATIO:
        total = Decimal(sum(children))
        ok = total == parent
        diff = from_units(int(total) - parent, kind)
        text = "" if ok else f"the parts sum to {from_units(int(total), kind)}, {diff:+} against the goal"
        return Consistency(ok, total, text)
    mean = weighted_mean(children, weights)
    if mean is None:
        return Consistency(False, None, "there is nobody to split it among")
    ok = mean >= parent
    short = (Decimal(parent) - mean).scaleb(-2).quantize(Decimal("0.01"))
    text = "" if ok else f"the parts' weighted mean is {short} percentage points below the goal"
    return Consistency(ok, mean, text)


# --- attainment --------------------------------------------------------------------------


def prorated(target: Decimal, kind: str, elapsed_days: int, period_days: int) -> Decimal:
    """The target to date: a ratio's target holds all along; an additive target grows in a
    straight line from 0 on the first day to the whole target on the last."""
    if kind == RATIO:
        return target
    share = Decimal(min(max(elapsed_days, 0), period_days)) / Decimal(period_days)
    return (target * share).quantize(Decimal(1).scaleb(-SCALE[kind]))


def attainment(value: Decimal | None, target_to_date: Decimal) -> Decimal | None:
    if value is None or target_to_date <= 0:
        return None
    return value / target_to_date


def track(value: Decimal | None, target_to_date: Decimal, tolerance: Decimal = TOLERANCE) -> str:
    """on track: at or above the target to date; close: below it by at most `tolerance` of
    it; off track: further below; no data: the figure is undefined (an empty base)."""
    if value is None:
        return NO_DATA
    if value >= target_to_date:
        return ON_TRACK
    if value >= target_to_date - tolerance * abs(target_to_date):
        return CLOSE
    return OFF_TRACK
