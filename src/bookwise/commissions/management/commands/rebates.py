"""`bookwise rebates report --year 2026`: the year-end customer rebate list for finance."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bookwise.commissions.present import money
from bookwise.commissions.rebates import rebate_report

from ._output import emit, error

COLUMNS = ["account_id", "name", "year", "programme", "revenue", "tier", "rate", "rebate"]


class Command(BaseCommand):
    help = "Customer rebates: report --year YYYY (--format table|csv|json)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="Per account: revenue, tier reached, rate and rebate.")
        report.add_argument("--year", type=int, required=True)
        report.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, action: str, year: int, **options: Any) -> None:
        if not 1900 <= year <= 9999:
            raise error(f"--year {year} is not a year")
        rows = rebate_report(year=year)
        if options["format"] == "json":
            out = [
                {**r, "revenue": money(r["revenue"]), "tier": money(r["tier"]), "rate": float(r["rate"]),
                 "rebate": money(r["rebate"])}
                for r in rows
            ]  # fmt: skip
            emit(self.stdout, out, COLUMNS, "json")
            return
        emit(self.stdout, rows, COLUMNS, options["format"])
