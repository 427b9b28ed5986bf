"""`bookwise agreements renewals [--days 90] [--date D] [--format table|csv|json]`: the
active agreements ending in the next days; `bookwise agreements remind [--date D] [--dry-run]`:
the renewal reminders due (once per agreement and notice date) and the expiry of agreements
whose end date has passed."""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bookwise.agreements.reminders import reminders_send
from bookwise.agreements.selectors import renewal_rows
from bookwise.agreements.services import agreements_expire_due
from bookwise.core.dates import parse_iso_date

FIELDS = ["agreement_id", "account_id", "account_name", "end_date", "days_left", "tier",
          "committed_amount", "released", "remaining", "consumption", "owner_id"]  # fmt: skip


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    pass


class Command(BaseCommand):
    help = (
        "Supply agreements: `renewals` (active agreements ending within --days, default 90, of "
        "--date, default today) and `remind` (email the owner and their manager at the notice date, "
        "once; mark ended agreements expired)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["renewals", "remind"])
        parser.add_argument(
            "--days", default="90", help="renewals: the window in days (1 to 3650; default 90)"
        )
        parser.add_argument("--date", help="as-of date, YYYY-MM-DD (default today)")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json"])
        parser.add_argument("--dry-run", action="store_true", help="remind: list, send and change nothing")

    def handle(self, *args, action, days, date, format, dry_run, **options):
        try:
            day = parse_iso_date(date) if date else timezone.localdate()
        except ValueError as exc:
            raise error(f"--date: {exc}") from None
        if not days.isdigit() or not 1 <= int(days) <= 3650:
            raise error(f"--days: {days!r} is not a whole number of days from 1 to 3650")
        if action == "remind":
            expired = [] if dry_run else agreements_expire_due(day=day)
            sent = reminders_send(day=day, dry_run=dry_run)
            self.stdout.write(json.dumps({"reminders": sent, "expired": expired}, indent=2))
            return
        self._write(renewal_rows(user=None, day=day, days=int(days)), format)

    def _write(self, rows, format):
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        cells = [["" if row[f] is None else str(row[f]) for f in FIELDS] for row in rows]
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(FIELDS)
            writer.writerows(cells)
            return
        widths = [max([len(f)] + [len(r[i]) for r in cells]) for i, f in enumerate(FIELDS)]
        self.stdout.write("  ".join(f.ljust(w) for f, w in zip(FIELDS, widths, strict=True)))
        for r in cells:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if not rows:
            self.stdout.write("(no agreement ends in this window)")
