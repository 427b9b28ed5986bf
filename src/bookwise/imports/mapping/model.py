"""What a column mapping is (pure, no Django): for one import kind, which source column(s)
or constant fill each Bookwise field and through which transforms, which rows are kept,
which extra rows each source row also gives, and how owners are derived when the source
has none. `mapping_from_dict` reads the YAML's structure (MappingError listing every
problem), `mapping_to_dict` writes it back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bookwise.imports.parsers import SPECS

from .transforms import BUILDERS, Step, map_step

TRANSFORM_KEYS = ("replace", "extract", "case", "slug", "map", "date", "number", "money")
SOURCE_KEYS = ("column", "columns", "join", "value", "first", "when", "default", "other", "trim")
OWNER_RULES = ("most_won_revenue", "most_won_deals")
ID_FIELDS = {
    "reps": "rep_id",
    "accounts": "account_id",
    "opportunities": "opportunity_id",
    "orders": "order_id",
}


class MappingError(ValueError):
    """The mapping itself is wrong (not the file): every problem, each naming where."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Condition:
    """A row test on a source column: its value is one of `values` (without case), or,
    with no values, not empty; `negate` turns it round."""

    column: str
    values: tuple[str, ...] = ()
    negate: bool = False

    def holds(self, cell: str) -> bool:
        cell = cell.strip()
        result = cell.casefold() in {v.casefold() for v in self.values} if self.values else bool(cell)
        return result != self.negate


@dataclass(frozen=True)
class FieldRule:
    """Where one Bookwise field comes from: source `columns` (several are joined with
    `join`, empty ones left out) or a constant `value`; only when `when` holds (else
    empty); then each transform in the order written; `default` when still empty."""

    columns: tuple[str, ...] = ()
    value: str | None = None
    join: str = " "
    when: Condition | None = None
    steps: tuple[tuple[str, Any], ...] = ()  # (transform name, its argument), in order
    other: str = "error"  # for `map`: error, keep or empty
    default: str | None = None
    trim: bool = True
    first: tuple[FieldRule, ...] = ()  # alternatives: the first that gives a value

    def all_columns(self) -> list[str]:
        """The source columns the rule reads (its alternatives' and conditions' too)."""
        names = [*self.columns, *([self.when.column] if self.when else [])]
        return names + [c for alt in self.first for c in alt.all_columns()]

    def built_steps(self) -> list[Step]:
        return [
            map_step(arg, self.other) if name == "map" else BUILDERS[name](arg) for name, arg in self.steps
        ]

    @property
    def label(self) -> str:
        if self.first:
            return " / ".join(alt.label for alt in self.first)
        return " + ".join(self.columns) if self.columns else "(constant)"


@dataclass(frozen=True)
class OwnershipRule:
    """Owners derived where the source names none: for every account of the file without a
    current primary owner, the rep with the most won revenue (or deals) on it in the
    `months` before its latest won deal (0 = all of them); `fill_account` also fills the
    account's empty created_date (its first won deal) and territory (the owner's)."""

    rule: str = "most_won_revenue"
    months: int = 12
    fill_account: bool = True


@dataclass(frozen=True)
class Mapping:
    kind: str
    fields: dict[str, FieldRule]
    keep: tuple[Condition, ...] = ()
    also: tuple[dict[str, FieldRule], ...] = ()
    ownership: OwnershipRule | None = None
    name: str = ""
    description: str = ""

    def columns(self) -> list[str]:
        """Every source column the mapping reads, once, in order of first use."""
        used: list[str] = []
        rules = [*self.fields.values(), *(r for extra in self.also for r in extra.values())]
        for rule in rules:
            for name in rule.all_columns():
                if name not in used:
                    used.append(name)
        for condition in self.keep:
            if condition.column not in used:
                used.append(condition.column)
        return used


# ---------------------------------------------------------------- from YAML structure


def mapping_from_dict(data: Any, *, kind: str | None = None, name: str = "") -> Mapping:
    """The mapping for `kind` in `data`: a one-kind mapping (`kind:` and `fields:`) or a
    preset of several (`kinds: {accounts: {...}, ...}`)."""
    if not isinstance(data, dict):
        raise MappingError(["a mapping is a YAML mapping with `kind` and `fields`"])
    if "kinds" in data:
        kinds = data["kinds"] or {}
        if kind not in kinds:
            raise MappingError([f"the mapping has no {kind!r} part (it has: {', '.join(kinds)})"])
        body = {**kinds[kind], "kind": kind}
        return _one({**body, "name": data.get("name", name)}, kind, name)
    return _one(data, kind, name)


def _one(data: dict[str, Any], kind: str | None, name: str) -> Mapping:
    problems: list[str] = []
    found = str(data.get("kind") or kind or "")
    if found not in SPECS:
        raise MappingError([f"kind: {found!r} is not one of {', '.join(SPECS)}"])
    if kind is not None and found != kind:
        raise MappingError([f"kind: the mapping is for {found}, not {kind}"])
    fields = _fields(data.get("fields"), found, "fields", problems)
    spec = SPECS[found]
    missing = [f for f, c in spec.columns.items() if c.required and f not in fields]
    problems += [f"fields: the required field {f!r} is not mapped" for f in missing]
    also = tuple(
        _fields(extra, found, f"also[{i}]", problems) for i, extra in enumerate(data.get("also") or [])
    )
    keep = tuple(_condition(c, f"keep[{i}]", problems) for i, c in enumerate(data.get("keep") or []))
    ownership = _ownership(data.get("ownership"), problems)
    if problems:
        raise MappingError(problems)
    return Mapping(
        found,
        fields,
        keep,
        also,
        ownership,
        str(data.get("name") or name),
        str(data.get("description") or ""),
    )


def _fields(data: Any, kind: str, where: str, problems: list[str]) -> dict[str, FieldRule]:
    if not isinstance(data, dict) or not data:
        problems.append(f"{where}: expected the Bookwise fields, each with its source")
        return {}
    rules = {}
    for target, source in data.items():
        if target not in SPECS[kind].columns:
            problems.append(f"{where}.{target}: not a field of {kind} ({', '.join(SPECS[kind].columns)})")
            continue
        rule = _rule(source, f"{where}.{target}", problems)
        if rule is not None:
            rules[str(target)] = rule
    return rules


def _rule(source: Any, where: str, problems: list[str]) -> FieldRule | None:
    if isinstance(source, str):
        return FieldRule(columns=(source,))
    if not isinstance(source, dict):
        problems.append(f"{where}: expected a column name or {{column: ..., ...}}")
        return None
    unknown = [k for k in source if k not in SOURCE_KEYS + TRANSFORM_KEYS]
    problems += [
        f"{where}.{k}: unknown key (known: {', '.join(SOURCE_KEYS + TRANSFORM_KEYS)})" for k in unknown
    ]
    columns = source.get("columns") or ([source["column"]] if "column" in source else [])
    first = [_rule(alt, f"{where}.first[{i}]", problems) for i, alt in enumerate(source.get("first") or [])]
    if not columns and "value" not in source and not first:
        problems.append(f"{where}: needs a `column`, `columns`, `first` or a constant `value`")
    steps = tuple((k, v) for k, v in source.items() if k in TRANSFORM_KEYS)
    for step, arg in steps:
        _check_step(step, arg, f"{where}.{step}", problems)
    when = _condition(source["when"], f"{where}.when", problems) if "when" in source else None
    return FieldRule(
        columns=tuple(str(c) for c in columns),
        value=None if source.get("value") is None else str(source["value"]),
        join=str(source.get("join", " ")),
        when=when,
        steps=steps,
        other=str(source.get("other", "error")),
        default=None if source.get("default") is None else str(source["default"]),
        trim=bool(source.get("trim", True)),
        first=tuple(alt for alt in first if alt is not None),
    )


def _check_step(step: str, arg: Any, where: str, problems: list[str]) -> None:
    try:
        if step == "map" and not isinstance(arg, dict):
            raise ValueError("expected source values and their Bookwise value")
        if step == "case" and arg not in ("upper", "lower", "title"):
            raise ValueError("one of upper, lower, title")
        BUILDERS[step](arg)
    except Exception as error:  # noqa: BLE001 - any bad argument is the mapping's problem
        problems.append(f"{where}: {error}")


def _condition(data: Any, where: str, problems: list[str]) -> Condition:
    if not isinstance(data, dict) or "column" not in data:
        problems.append(f"{where}: expected {{column: ..., in: [...]}} or {{column: ..., not_empty: true}}")
        return Condition("")
    negate = "not_in" in data or data.get("empty") is True
    values = data.get("in", data.get("not_in", []))
    return Condition(str(data["column"]), tuple(str(v) for v in values or ()), negate)


def _ownership(data: Any, problems: list[str]) -> OwnershipRule | None:
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("derive") not in OWNER_RULES:
        problems.append(f"ownership: expected {{derive: {' or '.join(OWNER_RULES)}, months: 12}}")
        return None
    months = data.get("months", 12)
    if not isinstance(months, int) or not 0 <= months <= 120:
        problems.append("ownership.months: a whole number of months from 0 (all) to 120")
        return None
    return OwnershipRule(str(data["derive"]), months, bool(data.get("fill_account", True)))


# ---------------------------------------------------------------- back to YAML structure


def mapping_to_dict(mapping: Mapping) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": mapping.kind}
    if mapping.name:
        data["name"] = mapping.name
    if mapping.description:
        data["description"] = mapping.description
    data["fields"] = {k: _rule_dict(r) for k, r in mapping.fields.items()}
    if mapping.keep:
        data["keep"] = [_condition_dict(c) for c in mapping.keep]
    if mapping.also:
        data["also"] = [{k: _rule_dict(r) for k, r in extra.items()} for extra in mapping.also]
    if mapping.ownership:
        rule = mapping.ownership
        data["ownership"] = {"derive": rule.rule, "months": rule.months, "fill_account": rule.fill_account}
    return data


def _rule_dict(rule: FieldRule) -> Any:
    if len(rule.columns) == 1 and rule == FieldRule(columns=rule.columns):
        return rule.columns[0]
    data: dict[str, Any] = {}
    if len(rule.columns) == 1:
        data["column"] = rule.columns[0]
    elif rule.columns:
        data |= {"columns": list(rule.columns), "join": rule.join}
    if rule.value is not None:
        data["value"] = rule.value
    if rule.first:
        data["first"] = [_rule_dict(alt) for alt in rule.first]
    if rule.when is not None:
        data["when"] = _condition_dict(rule.when)
    data |= dict(rule.steps)
    data |= {"other": rule.other} if rule.other != "error" else {}
    data |= {"default": rule.default} if rule.default is not None else {}
    data |= {"trim": False} if not rule.trim else {}
    return data


def _condition_dict(condition: Condition) -> dict[str, Any]:
    if not condition.values:
        return {"column": condition.column, "empty" if condition.negate else "not_empty": True}
    return {"column": condition.column, "not_in" if condition.negate else "in": list(condition.values)}
