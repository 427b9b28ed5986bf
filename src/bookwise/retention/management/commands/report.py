"""`bookwise report retention|lost|tiers|gaps|at_risk`: the retention reports as a table,
CSV or JSON, computed over the whole book (the CLI runs as an operator)."""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError
from bookwise.retention.reports import GROUPINGS
from bookwise.retention.rows import FIELDS, cell, report_rows, resolve_period


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    pass


def _date(text: str | None):
    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise error(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Retention reports (METRICS.md). retention/lost cover a period (--start/--end, default "
        "the last complete calendar quarter) against the period before; tiers/gaps/at_risk are "
        "at --date (default today)."
    )

    def add_arguments(self, parser):
        parser.add_argument("report", choices=list(FIELDS))
        parser.add_argument("--start", help="period start, YYYY-MM-DD")
        parser.add_argument("--end", help="period end, YYYY-MM-DD (inclusive)")
        parser.add_argument("--by", default="territory", choices=GROUPINGS, help="retention grouping")
        parser.add_argument("--date", help="as-of date for tiers, gaps and at_risk (default today)")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json"])

    def handle(self, *args, report, start, end, by, date, format, **options):
        today = timezone.localdate()
        try:
            period = resolve_period(_date(start), _date(end), today)
            rows = report_rows(report, user=None, period=period, by=by, day=_date(date) or today)
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
            self._table(
                fields, rows, f"{report} {period.label}" if report in ("retention", "lost") else report
            )

    def _table(self, fields, rows, title):
        cells = [[cell(row[f]) for f in fields] for row in rows]
        widths = [max([len(f)] + [len(r[i]) for r in cells]) for i, f in enumerate(fields)]
        self.stdout.write(title)
        self.stdout.write("  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)))
        for r in cells:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if not rows:
            self.stdout.write("(no rows)")
