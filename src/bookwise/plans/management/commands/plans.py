"""`bookwise plans coverage|overdue|remind [--date D]`: which accounts need and have a plan,
which plan reviews are overdue, and the reminder emails (idempotent per plan and due date)."""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bookwise.core.dates import parse_iso_date
from bookwise.plans.reminders import reminders_send
from bookwise.plans.reports import COVERAGE_FIELDS, OVERDUE_FIELDS, coverage_report, overdue_report


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    pass


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Command(BaseCommand):
    help = (
        "Account plans: `coverage` (every active account: tier, needs_plan, has_plan, owner), "
        "`overdue` (plans whose review is overdue by more than review_overdue_days) and `remind` "
        "(email the owner and their manager once per plan and due date). --date defaults to today."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["coverage", "overdue", "remind"])
        parser.add_argument("--date", help="as-of date, YYYY-MM-DD (default today)")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json"])
        parser.add_argument("--dry-run", action="store_true", help="remind: list, send nothing")

    def handle(self, *args, action, date, format, dry_run, **options):
        try:
            day = parse_iso_date(date) if date else timezone.localdate()
        except ValueError as exc:
            raise error(str(exc)) from None
        if action == "remind":
            sent = reminders_send(day=day, dry_run=dry_run)
            rows, fields = sent, ["plan_id", "account_id", "due_date", "recipients"]
        elif action == "coverage":
            rows, fields = coverage_report(day=day), COVERAGE_FIELDS
        else:
            rows, fields = overdue_report(day=day), OVERDUE_FIELDS
        self._write(rows, fields, format)

    def _write(self, rows, fields, format):
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        cells = [[_cell(row[f]) for f in fields] for row in rows]
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(fields)
            writer.writerows(cells)
            return
        widths = [max([len(f)] + [len(r[i]) for r in cells]) for i, f in enumerate(fields)]
        self.stdout.write("  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)))
        for r in cells:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if not rows:
            self.stdout.write("(no rows)")
