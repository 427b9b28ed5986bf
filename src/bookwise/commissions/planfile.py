"""The YAML plan file, validated whole, every error with its line (pure, no Django).

`parse_plan_file(text, filename)` returns a PlanFile or raises PlanFileError whose
`errors` are `FILE:LINE: message` strings. Numbers are read from the scalar's text, so
`0.05` is exactly Decimal('0.05')."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from bookwise.core.dates import parse_iso_date, parse_period

from .compute.rules import Plan, RampStep, Tier, TransferRule

ROLES = ("hunter", "account_manager", "sales_manager", "director")
PLAN_KEYS = {
    "name",
    "roles",
    "valid_from",
    "valid_to",
    "period",
    "base",
    "quota",
    "tiers",
    "transfer_rule",
    "co_coverage_split",
    "override",
}
RULE_KEYS = {"horizon_months", "delay_months", "new_orders_only", "threshold", "ramp"}


class PlanFileError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class QuotaSpec:
    rep_id: str
    period: str
    quota: Decimal
    line: int


@dataclass(frozen=True)
class RebateSpec:
    name: str
    year: int
    tiers: tuple[tuple[Decimal, Decimal], ...]
    line: int


@dataclass
class PlanFile:
    plans: list[Plan] = field(default_factory=list)
    plan_lines: dict[str, int] = field(default_factory=dict)
    quotas: list[QuotaSpec] = field(default_factory=list)
    rebates: list[RebateSpec] = field(default_factory=list)


class _Reader:
    """Walks the composed node tree, collecting errors instead of stopping at the first."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[str] = []

    def error(self, node: yaml.Node, message: str) -> None:
        self.errors.append(f"{self.filename}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, allowed: set[str], what: str) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping")
            return None
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name not in allowed:
                self.error(key, f"unknown key {name!r} in {what}")
            elif name in out:
                self.error(key, f"duplicate key {name!r} in {what}")
            else:
                out[name] = value
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list")
            return []
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be a single value")
            return None
        return str(node.value)

    def number(
        self, node: yaml.Node, what: str, low: Decimal | None = None, high: Decimal | None = None
    ) -> Decimal | None:
        raw = self.scalar(node, what)
        if raw is None:
            return None
        try:
            value = Decimal(raw.replace("_", ""))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.error(node, f"{what} must be a number, not {raw!r}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"[{low}, {high}]" if high is not None else f">= {low}"
            self.error(node, f"{what} {raw} is outside {bounds}")
            return None
        return value

    def integer(self, node: yaml.Node, what: str, low: int = 0) -> int | None:
        value = self.number(node, what, Decimal(low))
        if value is not None and value != value.to_integral_value():
            self.error(node, f"{what} must be a whole number")
            return None
        return None if value is None else int(value)

    def rate(self, node: yaml.Node, what: str) -> Decimal | None:
        return self.number(node, what, Decimal(0), Decimal(1))

    def day(self, node: yaml.Node, what: str) -> date | None:
        raw = self.scalar(node, what)
        try:
            return None if raw is None else parse_iso_date(raw)
        except ValueError as exc:
            self.error(node, f"{what}: {exc}")
            return None

    def choice(self, node: yaml.Node, what: str, options: tuple[str, ...]) -> str | None:
        raw = self.scalar(node, what)
        if raw is not None and raw not in options:
            self.error(node, f"{what} must be one of {', '.join(options)}, not {raw!r}")
            return None
        return raw

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        raw = self.scalar(node, what)
        if raw is None:
            return None
        if raw.lower() in ("true", "yes", "on"):
            return True
        if raw.lower() in ("false", "no", "off"):
            return False
        self.error(node, f"{what} must be true or false")
        return None


def parse_plan_file(text: str, filename: str = "<plan>") -> PlanFile:
    reader = _Reader(filename)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise PlanFileError([f"{filename}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    if root is None:
        raise PlanFileError([f"{filename}:1: the file is empty"])
    top = reader.mapping(root, {"plans", "quotas", "rebates"}, "the file") or {}
    result = PlanFile()
    from .planfile_parts import read_plans, read_quotas, read_rebates

    if "plans" in top:
        read_plans(reader, top["plans"], result)
    if "quotas" in top:
        read_quotas(reader, top["quotas"], result)
    if "rebates" in top:
        read_rebates(reader, top["rebates"], result)
    if reader.errors:
        raise PlanFileError(reader.errors)
    return result


def check_period(reader: _Reader, node: yaml.Node, raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        parse_period(raw)
    except ValueError as exc:
        reader.error(node, str(exc))
        return None
    return raw


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """A JSON-safe, canonical dict of a plan (what a plan version stores)."""
    rule = plan.transfer_rule
    return {
        "name": plan.name,
        "roles": list(plan.roles),
        "valid_from": plan.valid_from.isoformat(),
        "valid_to": plan.valid_to.isoformat(),
        "period": plan.period,
        "base": plan.base,
        "quota": None if plan.quota is None else str(plan.quota),
        "tiers": [{"from": str(t.start), "rate": str(t.rate)} for t in plan.tiers],
        "transfer_rule": None
        if rule is None
        else {
            "horizon_months": rule.horizon_months,
            "delay_months": rule.delay_months,
            "new_orders_only": rule.new_orders_only,
            "threshold": rule.threshold,
            "ramp": [{"from_month": s.from_month, "multiplier": str(s.multiplier)} for s in rule.ramp],
        },
        "co_coverage_split": str(plan.co_coverage_split),
        "override": None
        if plan.override_rate is None
        else {"rate": str(plan.override_rate), "basis": "team_growth"},
    }


def plan_from_json(data: dict[str, Any], version: int = 1) -> Plan:
    rule = data.get("transfer_rule")
    return Plan(
        name=data["name"],
        roles=tuple(data["roles"]),
        valid_from=date.fromisoformat(data["valid_from"]),
        valid_to=date.fromisoformat(data["valid_to"]),
        period=data["period"],
        base=data["base"],
        quota=None if data.get("quota") is None else Decimal(data["quota"]),
        tiers=tuple(Tier(Decimal(t["from"]), Decimal(t["rate"])) for t in data.get("tiers") or []),
        transfer_rule=None
        if rule is None
        else TransferRule(
            horizon_months=rule.get("horizon_months"),
            delay_months=rule.get("delay_months") or 0,
            new_orders_only=bool(rule.get("new_orders_only")),
            threshold=rule.get("threshold") or "none",
            ramp=tuple(RampStep(s["from_month"], Decimal(s["multiplier"])) for s in rule.get("ramp") or []),
        ),
        co_coverage_split=Decimal(data.get("co_coverage_split") or "0"),
        override_rate=None if not data.get("override") else Decimal(data["override"]["rate"]),
        version=version,
    )
