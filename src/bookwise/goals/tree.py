"""The organisation a goal cascades down: the company, its regions, their territories, and
each territory's reps. Node keys are internal ("company", "region:3", "territory:5",
"rep:17"); people see names, and the API and the command line name a node by its ref
("company", "region:North", "territory:North Coast", "rep:R12").

A territory's reps are the people whose territory it is, directors aside, who work some
day of the period (hired by its end, not gone before its start). Territories without a
region hang from the company directly."""

from __future__ import annotations

from dataclasses import dataclass, field

from bookwise.core.dates import Period
from bookwise.core.errors import NotFound
from bookwise.people.models import Region, Rep, Role, Territory

COMPANY = "company"
LEVEL_ORDER = {"company": 0, "region": 1, "territory": 2, "rep": 3}


def level_of(key: str) -> str:
    return key.split(":", 1)[0]


def pk_of(key: str) -> int | None:
    return int(key.split(":", 1)[1]) if ":" in key else None


@dataclass
class Tree:
    names: dict[str, str] = field(default_factory=dict)  # key -> what people read
    refs: dict[str, str] = field(default_factory=dict)  # key -> ref (API, command line)
    kids: dict[str, list[str]] = field(default_factory=dict)
    up: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, name: str, ref: str, parent: str | None) -> None:
        self.names[key], self.refs[key] = name, ref
        self.kids.setdefault(key, [])
        if parent is not None:
            self.kids.setdefault(parent, []).append(key)
            self.up[key] = parent

    def children(self, key: str) -> list[str]:
        return self.kids.get(key, [])

    def parent(self, key: str) -> str | None:
        return self.up.get(key)

    def below(self, key: str) -> list[str]:
        """`key` and every node under it, depth first (the order of the cascade's tables)."""
        found = [key]
        for child in self.children(key):
            found.extend(self.below(child))
        return found

    def reps_under(self, key: str) -> set[int]:
        return {pk for k in self.below(key) if level_of(k) == "rep" and (pk := pk_of(k)) is not None}

    def key_for(self, ref: str) -> str:
        """The node a ref names; NotFound in words otherwise."""
        wanted = ref.strip()
        for key, known in self.refs.items():
            if known == wanted:
                return key
        raise NotFound(
            f"No such part of the organisation: {ref!r} (use company, region:NAME, territory:NAME or rep:ID)."
        )

    def label(self, key: str) -> str:
        level = level_of(key)
        return self.names[key] if level == COMPANY else f"{self.names[key]} ({level})"


def tree_for(period: Period) -> Tree:
    tree = Tree()
    tree.add(COMPANY, "The company", COMPANY, None)
    for region in Region.objects.order_by("name"):
        tree.add(f"region:{region.pk}", region.name, f"region:{region.name}", COMPANY)
    for t in Territory.objects.order_by("name"):
        parent = f"region:{t.region_id}" if t.region_id else COMPANY
        tree.add(f"territory:{t.pk}", t.name, f"territory:{t.name}", parent)
    for rep in working_reps(period):
        tree.add(f"rep:{rep.pk}", rep.name, f"rep:{rep.external_id}", f"territory:{rep.territory_id}")
    return tree


def working_reps(period: Period) -> list[Rep]:
    reps = Rep.objects.filter(territory__isnull=False).exclude(role=Role.DIRECTOR).order_by("name")
    return [
        r
        for r in reps
        if (r.hire_date is None or r.hire_date <= period.end)
        and (r.end_date is None or r.end_date >= period.start)
    ]
