"""`bookwise team time-study|scorecards|signals`: the team reports on the command line;
`bookwise team rollup-refresh`: rebuild the scorecards' rollup of the order lines."""

from __future__ import annotations

import csv
import json
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bookwise.accounts.selectors import today
from bookwise.core.dates import parse_iso_date, trailing_12_months
from bookwise.people.models import Rep
from bookwise.team import presenters
from bookwise.team.rules import ALL_KINDS
from bookwise.team.selectors.common import team_member_ids
from bookwise.team.selectors.scorecards import build_scorecards
from bookwise.team.selectors.signals import rep_signals
from bookwise.team.selectors.timestudy import time_study
from bookwise.team.services import line_rollup_refresh


def _date(raw: str | None, default: date, name: str) -> date:
    if not raw:
        return default
    try:
        return parse_iso_date(raw)
    except ValueError as exc:
        raise CommandError(f"--{name}: {exc}") from None


class Command(BaseCommand):
    help = "Team reports: time-study, scorecards, signals (--format table|csv|json)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        study = sub.add_parser("time-study", help="Hours per kind per rep and the separation advice.")
        study.add_argument("--team", help="The team's manager rep id (default: everybody)")
        study.add_argument("--start", help="YYYY-MM-DD (default: trailing 12 months)")
        study.add_argument("--end", help="YYYY-MM-DD (default: today)")
        cards = sub.add_parser("scorecards", help="Scorecards by role at a date.")
        cards.add_argument("--date", help="YYYY-MM-DD (default: today)")
        signals = sub.add_parser("signals", help="Workload and burnout signals at a date.")
        signals.add_argument("--date", help="YYYY-MM-DD (default: today)")
        for p in (study, cards, signals):
            p.add_argument("--format", choices=["table", "csv", "json"], default="table")
        cal = sub.add_parser(
            "calendar-import",
            help="Import non-working days: CSV/XLSX with date, rep_id (empty = everyone), reason.",
        )
        cal.add_argument("file")
        sub.add_parser(
            "rollup-refresh",
            help="Rebuild the scorecards' monthly rollup of the order lines (normally kept in step by "
            "every revenue rollup refresh, e.g. after an orders import).",
        )

    def handle(self, *args: Any, report: str, **options: Any) -> None:
        if report == "calendar-import":
            self.calendar_import(options["file"])
            return
        if report == "rollup-refresh":
            start = time.perf_counter()
            written = line_rollup_refresh()
            self.stdout.write(f"team rollup refreshed: {written} rows in {time.perf_counter() - start:.1f} s")
            return
        handler = {"time-study": self.time_study, "scorecards": self.scorecards, "signals": self.signals}[
            report
        ]
        rows, columns = handler(options)
        self.emit(rows, columns, options["format"])

    def calendar_import(self, path: str) -> None:
        """All-or-nothing: the errors on stderr as FILE:LINE: COLUMN: message, exit 1."""
        from pathlib import Path

        from django.core.management.base import CommandError
        from django.utils import timezone

        from bookwise.team.calendar import import_calendar

        if not Path(path).is_file():
            raise CommandError(f"{path}: no such file")
        added, errors = import_calendar(path, actor=None, today=timezone.localdate())
        if errors:
            for line in errors[:200]:
                self.stderr.write(line)
            raise CommandError(f"{len(errors)} error(s) in {path}; nothing was imported")
        self.stdout.write(f"calendar: {added} days off added")

    def emit(self, rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        flat = [{c: self.cell(row.get(c)) for c in columns} for row in rows]
        if fmt == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(flat)
            return
        widths = {c: max([len(c)] + [len(r[c]) for r in flat]) for c in columns}
        self.stdout.write("  ".join(c.ljust(widths[c]) for c in columns))
        for r in flat:
            self.stdout.write("  ".join(r[c].ljust(widths[c]) for c in columns))

    @staticmethod
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return str(value)

    def time_study(self, options: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
        default = trailing_12_months(today())
        start, end = (
            _date(options["start"], default.start, "start"),
            _date(options["end"], default.end, "end"),
        )
        if end < start:
            raise CommandError("--end is before --start")
        team = None
        reps = Rep.objects.select_related("manager").order_by("name")
        if options["team"]:
            team = Rep.objects.filter(external_id=options["team"]).first()
            if team is None or not team.reports.exists():
                raise CommandError(f"no team managed by {options['team']!r}")
            reps = reps.filter(id__in=team_member_ids(team))
        rows = presenters.time_study_json(time_study(reps=list(reps), team=team, start=start, end=end))
        if options["format"] != "json":
            for row in rows:
                row.update(row.pop("hours"))
        columns = ["rep_id", "name", "role", *ALL_KINDS, "total_hours", "nurturing_share", "suggested_role"]
        return rows, columns + ["recommend_separation", "evidence"]

    def scorecards(self, options: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
        day = _date(options["date"], today(), "date")
        reps = list(Rep.objects.select_related("manager").order_by("name"))
        cards = [presenters.scorecard_json(c) for c in build_scorecards(reps, day, everyone=True)]
        if options["format"] == "json":
            return cards, []
        rows = []
        for card in cards:
            for m in card["metrics"]:
                rows.append({"rep_id": card["rep_id"], "name": card["name"], "role": card["role"], **m})
        return rows, ["rep_id", "name", "role", "key", "value", "previous", "team_median", "note"]

    def signals(self, options: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
        day = _date(options["date"], today(), "date")
        rows = [presenters.signals_json(s) for s in rep_signals(list(Rep.objects.order_by("name")), day)]
        if options["format"] != "json":
            for row in rows:
                row["signals"] = [f"{s['label']}: {'; '.join(s['evidence'])}" for s in row["signals"]]
        columns = ["rep_id", "name", "load_points", "capacity", "utilisation", "key_accounts", "signals"]
        return rows, columns
