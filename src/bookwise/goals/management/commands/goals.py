"""`bookwise goals list|set|split`: the goals of a period with where each stands, set the
company's goal, split a node's goal among its parts (--format json for scripts).

    bookwise goals list [--period 2026] [--figure nrr] [--date D] [--format table|json]
    bookwise goals set --period 2026 --figure nrr --target 105%
    bookwise goals split --period 2026 --figure nrr --node region:North --method even
    bookwise goals split ... --method hand --part "territory:North Coast=106%" --part ...
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError
from bookwise.goals import services
from bookwise.goals.figures import FIGURES, measuring
from bookwise.goals.periods import goal_period
from bookwise.goals.present import GOAL_FIELDS, goal_row
from bookwise.goals.selectors import everything_standings


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    pass


def _parts(values: list[str]) -> dict[str, str]:
    found = {}
    for value in values:
        ref, sep, target = value.rpartition("=")
        if not sep or not ref:
            raise error(f'--part {value!r}: give NODE=TARGET, e.g. "rep:R12=105%"')
        found[ref.strip()] = target.strip()
    return found


class Command(BaseCommand):
    help = "Goals: list them with attainment, set the company's, split a node's among its parts."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "set", "split"])
        parser.add_argument("--period", help="2026 or 2026-Q3 (default this year)")
        parser.add_argument("--figure", help=f"one of {', '.join(FIGURES)}")
        parser.add_argument("--target", help="set: 105%% or 1.05 for a ratio, an amount, a count")
        parser.add_argument(
            "--node", default="company", help="split: company, region:NAME, territory:NAME, rep:ID"
        )
        parser.add_argument("--method", choices=["even", "last_year", "hand"], default="even")
        parser.add_argument("--part", action="append", default=[], help="split by hand: NODE=TARGET (repeat)")
        parser.add_argument("--date", help="list: as-of date, YYYY-MM-DD (default today)")
        parser.add_argument("--format", default="table", choices=["table", "json"])

    def handle(self, *args, action, period, figure, format, **options):
        today = timezone.localdate()
        label = period or str(today.year)
        try:
            if action == "set":
                if not figure or options["target"] is None:
                    raise error("set needs --figure and --target")
                services.goal_set(figure_key=figure, period_label=label, target=options["target"], actor=None)
            elif action == "split":
                if not figure:
                    raise error("split needs --figure")
                parts = _parts(options["part"])
                services.goal_split(figure_key=figure, period_label=label, node_ref=options["node"],
                                    method=options["method"], targets=parts, actor=None)  # fmt: skip
            day = parse_iso_date(options["date"]) if options["date"] else today
            self._write(self._rows(label, figure, day, today), format)
        except ApplicationError as exc:
            raise error(exc.message) from None
        except ValueError as exc:
            raise error(str(exc)) from None

    def _rows(self, label: str, figure: str | None, day: Any, today: Any) -> list[dict[str, Any]]:
        with measuring():
            found = everything_standings(period=goal_period(label, today), day=day, figure_key=figure)
            return [goal_row(s) for s in found]

    def _write(self, rows: list[dict[str, Any]], format: str) -> None:
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        cells = [["" if r[f] is None else str(r[f]) for f in GOAL_FIELDS] for r in rows]
        widths = [max([len(f)] + [len(c[i]) for c in cells]) for i, f in enumerate(GOAL_FIELDS)]
        self.stdout.write("  ".join(f.ljust(w) for f, w in zip(GOAL_FIELDS, widths, strict=True)))
        for c in cells:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))
        if not rows:
            self.stdout.write("(no goals)")
