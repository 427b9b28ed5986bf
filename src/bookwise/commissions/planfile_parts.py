"""Readers for the sections of the plan file (plans, quotas, rebates); see planfile.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import yaml

from .compute.rules import Plan, RampStep, Tier, TransferRule

if TYPE_CHECKING:
    from .planfile import PlanFile, _Reader

ZERO = Decimal(0)


Header = tuple[str, tuple[str, ...], date, date]


def read_plans(reader: _Reader, node: yaml.Node, result: PlanFile) -> None:
    from .planfile import PLAN_KEYS

    seen: list[Header] = []
    for item in reader.sequence(node, "plans"):
        fields = reader.mapping(item, PLAN_KEYS, "a plan")
        if fields is None:
            continue
        plan, header = _read_plan(reader, item, fields)
        if header is None:
            continue
        if any(header[0] == other[0] for other in seen):
            reader.error(fields["name"], f"plan {header[0]!r} is defined twice")
            continue
        _check_overlap(reader, header, item, seen)
        seen.append(header)
        if plan is not None:
            result.plans.append(plan)
            result.plan_lines[plan.name] = item.start_mark.line + 1


def _check_overlap(reader: _Reader, plan: Header, node: yaml.Node, seen: list[Header]) -> None:
    name, roles, start, end = plan
    for other, other_roles, other_start, other_end in seen:
        common = set(roles) & set(other_roles)
        if common and start <= other_end and other_start <= end:
            reader.error(node, f"plan {name!r} overlaps plan {other!r} for role {', '.join(sorted(common))}")


def _required(reader: _Reader, item: yaml.Node, fields: dict[str, yaml.Node], keys: tuple[str, ...]) -> bool:
    missing = [k for k in keys if k not in fields]
    for key in missing:
        reader.error(item, f"a plan needs {key!r}")
    return not missing


def _read_plan(
    reader: _Reader, item: yaml.Node, fields: dict[str, yaml.Node]
) -> tuple[Plan | None, Header | None]:
    """The plan (None when anything is wrong) and its name, roles and validity (None
    when those are wrong), so overlaps are reported even for plans with other errors."""
    if not _required(reader, item, fields, ("name", "roles", "valid_from", "valid_to")):
        return None, None
    before = len(reader.errors)
    name = reader.scalar(fields["name"], "name") or ""
    roles = _roles(reader, fields["roles"])
    start, end = reader.day(fields["valid_from"], "valid_from"), reader.day(fields["valid_to"], "valid_to")
    if start and end and end < start:
        reader.error(fields["valid_to"], "valid_to is before valid_from")
    header = (name, roles, start, end) if len(reader.errors) == before else None
    opt = _plan_options(reader, fields)
    if len(opt.get("tiers") or ()) > 1 and opt.get("quota") is None and "quota" not in fields:
        reader.error(fields["tiers"], "a plan with more than one tier needs a quota")
    if len(reader.errors) > before:
        return None, header  # type: ignore[return-value]
    tiers = tuple(Tier(a, b) for a, b in opt.pop("tiers", ()))
    plan = Plan(name=name, roles=roles, valid_from=start, valid_to=end, tiers=tiers, **opt)  # type: ignore[arg-type]
    return plan, header  # type: ignore[return-value]


_OPTIONS: dict[str, tuple[str, Any]] = {
    "period": ("period", lambda r, n: r.choice(n, "period", ("month", "quarter", "year"))),
    "base": ("base", lambda r, n: r.choice(n, "base", ("amount", "gross_profit"))),
    "quota": ("quota", lambda r, n: r.number(n, "quota", Decimal("0.01"))),
    "tiers": ("tiers", lambda r, n: _tiers(r, n, "from")),
    "transfer_rule": ("transfer_rule", lambda r, n: _rule(r, n)),
    "co_coverage_split": ("co_coverage_split", lambda r, n: r.rate(n, "co_coverage_split")),
    "override": ("override_rate", lambda r, n: _override(r, n)),
}


def _plan_options(reader: _Reader, fields: dict[str, yaml.Node]) -> dict[str, Any]:
    return {attr: read(reader, fields[key]) for key, (attr, read) in _OPTIONS.items() if key in fields}


def _roles(reader: _Reader, node: yaml.Node) -> tuple[str, ...]:
    from .planfile import ROLES

    roles = []
    for item in reader.sequence(node, "roles"):
        role = reader.choice(item, "role", ROLES)
        if role:
            roles.append(role)
    return tuple(roles)


def _tiers(reader: _Reader, node: yaml.Node, start_key: str) -> list[tuple[Decimal, Decimal]]:
    tiers: list[tuple[Decimal, Decimal]] = []
    last: Decimal | None = None
    for item in reader.sequence(node, "tiers"):
        fields = reader.mapping(item, {start_key, "rate"}, "a tier")
        if fields is None:
            continue
        if start_key not in fields or "rate" not in fields:
            reader.error(item, f"a tier needs {start_key!r} and 'rate'")
            continue
        start = reader.number(fields[start_key], start_key, ZERO)
        rate = reader.rate(fields["rate"], "rate")
        if start is None:
            continue
        if last is not None and start <= last:
            reader.error(item, f"tiers are not sorted: {start_key} {start} after {last}")
        last = start
        if rate is not None:
            tiers.append((start, rate))
    return tiers


def _rule(reader: _Reader, node: yaml.Node) -> TransferRule | None:
    from .planfile import RULE_KEYS

    fields = reader.mapping(node, RULE_KEYS, "transfer_rule")
    if fields is None:
        return None
    opt: dict[str, Any] = {}
    if "horizon_months" in fields:
        opt["horizon_months"] = reader.integer(fields["horizon_months"], "horizon_months", 1)
    if "delay_months" in fields:
        opt["delay_months"] = reader.integer(fields["delay_months"], "delay_months", 0)
    if "new_orders_only" in fields:
        opt["new_orders_only"] = reader.boolean(fields["new_orders_only"], "new_orders_only")
    if "threshold" in fields:
        opt["threshold"] = reader.choice(fields["threshold"], "threshold", ("none", "prior_12_months"))
    if "ramp" in fields:
        opt["ramp"] = _ramp(reader, fields["ramp"])
    if any(v is None for v in opt.values()):
        return None
    return TransferRule(**opt)


def _ramp(reader: _Reader, node: yaml.Node) -> tuple[RampStep, ...]:
    steps: list[RampStep] = []
    items = reader.sequence(node, "ramp")
    for item in items:
        fields = reader.mapping(item, {"from_month", "multiplier"}, "a ramp step")
        if fields is None:
            continue
        if "from_month" not in fields or "multiplier" not in fields:
            reader.error(item, "a ramp step needs 'from_month' and 'multiplier'")
            continue
        month = reader.integer(fields["from_month"], "from_month", 0)
        mult = reader.number(fields["multiplier"], "multiplier", ZERO)
        if month is None or mult is None:
            continue
        if not steps and month != 0:
            reader.error(item, f"the ramp must start at month 0, not {month}")
        elif steps and month <= steps[-1].from_month:
            reader.error(item, f"ramp steps are not sorted: month {month} after {steps[-1].from_month}")
        steps.append(RampStep(month, mult))
    return tuple(steps)


def _override(reader: _Reader, node: yaml.Node) -> Decimal | None:
    fields = reader.mapping(node, {"rate", "basis"}, "override")
    if fields is None:
        return None
    if "rate" not in fields:
        reader.error(node, "override needs a 'rate'")
        return None
    if "basis" in fields:
        reader.choice(fields["basis"], "basis", ("team_growth",))
    return reader.rate(fields["rate"], "override rate")


def read_quotas(reader: _Reader, node: yaml.Node, result: PlanFile) -> None:
    from .planfile import QuotaSpec, check_period

    for item in reader.sequence(node, "quotas"):
        fields = reader.mapping(item, {"rep_id", "period", "quota"}, "a quota")
        if fields is None:
            continue
        if len(fields) < 3:
            reader.error(item, "a quota needs 'rep_id', 'period' and 'quota'")
            continue
        rep = reader.scalar(fields["rep_id"], "rep_id")
        period = check_period(reader, fields["period"], reader.scalar(fields["period"], "period"))
        quota = reader.number(fields["quota"], "quota", Decimal("0.01"))
        if rep and period and quota is not None:
            result.quotas.append(QuotaSpec(rep, period, quota, item.start_mark.line + 1))


def read_rebates(reader: _Reader, node: yaml.Node, result: PlanFile) -> None:
    from .planfile import RebateSpec

    for item in reader.sequence(node, "rebates"):
        fields = reader.mapping(item, {"name", "year", "tiers"}, "a rebate programme")
        if fields is None:
            continue
        if len(fields) < 3:
            reader.error(item, "a rebate programme needs 'name', 'year' and 'tiers'")
            continue
        before = len(reader.errors)
        name = reader.scalar(fields["name"], "name")
        year = reader.integer(fields["year"], "year", 1900)
        tiers = _tiers(reader, fields["tiers"], "from")
        if len(reader.errors) == before and name and year:
            result.rebates.append(RebateSpec(name, year, tuple(tiers), item.start_mark.line + 1))
