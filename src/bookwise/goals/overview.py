"""The goals page for whoever sees more than one team (directors, administrators, sales ops,
the manager of a region): the teams at a glance first (the company, each region and each
territory against every figure), then each territory's reps folded away, so that the first
screen answers which teams are behind. One team or fewer (a rep, the manager of one
territory): None, and the page lists the goals as before."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import rules
from .selectors import Standing
from .tree import COMPANY, Tree, level_of


@dataclass
class Line:
    """One node of the organisation, with its standing per figure (None: no goal)."""

    key: str
    name: str
    level: str
    cells: list[Standing | None]


@dataclass
class Team:
    """A territory and its reps, one line each."""

    line: Line
    region: str
    reps: list[Line] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for rep in self.reps for s in rep.cells if s is not None and s.status == status)

    @property
    def off_track(self) -> int:
        """The reps' goals off track (a rep behind on two figures counts twice)."""
        return self._count(rules.OFF_TRACK)

    @property
    def close(self) -> int:
        return self._count(rules.CLOSE)


@dataclass
class Overview:
    figures: list[str]  # the figures' labels, the columns
    lines: list[Line]  # the company, the regions and the territories seen, in the cascade's order
    teams: list[Team]


def overview(rows: list[Standing], tree: Tree) -> Overview | None:
    """`rows`: the standings the user sees (selectors.visible_standings), `tree` the period's."""
    figures = list(dict.fromkeys(s.figure.key for s in rows))
    labels = {s.figure.key: s.figure.label for s in rows}
    by_node: dict[str, dict[str, Standing]] = {}
    for s in rows:
        by_node.setdefault(s.key, {})[s.figure.key] = s
    order = [k for k in tree.below(COMPANY) if k in by_node]

    def line(key: str) -> Line:
        mine = by_node.get(key, {})
        return Line(key, tree.names.get(key, key), level_of(key), [mine.get(f) for f in figures])

    teams: dict[str, Team] = {}
    for key in order:
        if level_of(key) == "territory":
            teams[key] = Team(line(key), _region(tree, key))
        elif level_of(key) == "rep":
            home = tree.parent(key) or ""
            teams.setdefault(home, Team(line(home), _region(tree, home))).reps.append(line(key))
    if len(teams) < 2:
        return None
    lines = [line(k) for k in order if level_of(k) != "rep"]
    return Overview([labels[f] for f in figures], lines, list(teams.values()))


def _region(tree: Tree, territory: str) -> str:
    parent = tree.parent(territory)
    return tree.names[parent] if parent is not None and level_of(parent) == "region" else ""
