"""`bookwise report retention|lost|tiers|gaps|at_risk`: the retention reports as a table,
CSV or JSON, computed over the whole book (the CLI runs as an operator)."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError
from bookwise.core.periods import PERIOD_FORMS
from bookwise.retention.coverage import period_warnings
from bookwise.retention.reports import GROUPINGS
from bookwise.retention.rows import FIELDS, cell, report_rows, resolve_day, resolve_period


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    pass


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise error(f"--{option}: {exc}") from None


class Command(BaseCommand):
    # A read-only report: Django's system checks (which import every URL, view and API
    # module) are `bookwise check`'s job, not this command's start-up.
    requires_system_checks: list[str] = []
    help = (
        "Retention reports (METRICS.md). retention/lost cover a period (--period or --start/--end, "
        "default the last complete quarter of the data) against the period before, with warnings "
        "when the data is incomplete; tiers/gaps/at_risk are at --date (default today, or the end "
        "of that quarter for a history that stops earlier)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report", choices=list(FIELDS))
        parser.add_argument("--period", help=f"the period: {PERIOD_FORMS} (or --start and --end)")
        parser.add_argument("--start", help="period start, YYYY-MM-DD")
        parser.add_argument("--end", help="period end, YYYY-MM-DD (inclusive)")
        parser.add_argument("--by", default="territory", choices=GROUPINGS, help="retention grouping")
        parser.add_argument("--date", help="as-of date for tiers, gaps and at_risk (default today)")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json"])

    def handle(
        self, *args: Any, report: str, period: str | None, start: str | None, end: str | None, by: str,
        date: str | None, format: str, **options: Any,
    ) -> None:  # fmt: skip
        today = timezone.localdate()
        try:
            span = resolve_period(_date(start, "start"), _date(end, "end"), today, period)
            day = resolve_day(_date(date, "date"), today)
            rows = report_rows(report, user=None, period=span, by=by, day=day, today=today)
        except (ValueError, ApplicationError) as exc:
            raise error(getattr(exc, "message", None) or str(exc)) from None
        fields = FIELDS[report]
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
        elif format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(fields)
            writer.writerows([cell(row[f]) for f in fields] for row in rows)
        else:
            shown = [f for f in fields if f != "warnings"]  # printed below the table instead
            self._table(shown, rows, f"{report} {span.label}" if report in ("retention", "lost") else report)
        if report in ("retention", "lost"):  # beside the table; CSV and JSON keep stdout to the rows
            out = self.stdout if format == "table" else self.stderr
            for warning in period_warnings(span, today):
                out.write(f"warning: {warning}")

    def _table(self, fields: list[str], rows: list[dict[str, Any]], title: str) -> None:
        cells = [[cell(row[f]) for f in fields] for row in rows]
        widths = [max([len(f)] + [len(r[i]) for r in cells]) for i, f in enumerate(fields)]
        self.stdout.write(title)
        self.stdout.write("  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)))
        for r in cells:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if not rows:
            self.stdout.write("(no rows)")
