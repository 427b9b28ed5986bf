"""bookwise transfer recommend ACCOUNT_ID | plan --from REP_ID | end-co-coverage [--date D]."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError
from bookwise.people.models import Rep


class Command(BaseCommand):
    help = "Transfers: recommend a recipient, plan a whole book's reassignment, end co-coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser("recommend", help="Rank candidate recipients for an account.")
        rec.add_argument("account_id")
        rec.add_argument("--date", default=None, help="Day of the ranking (default today)")
        rec.add_argument("--format", choices=["table", "csv", "json"], default="table")
        plan = sub.add_parser("plan", help="Propose a reassignment of a rep's whole book.")
        plan.add_argument("--from", dest="from_rep", required=True, help="Rep id whose book moves")
        plan.add_argument("--date", default=None)
        plan.add_argument("--top-k", type=int, default=5, help="Candidates per account in the model")
        plan.add_argument("--format", choices=["table", "csv", "json"], default="table")
        end = sub.add_parser("end-co-coverage", help="End co-coverage periods that are over (daily cron).")
        end.add_argument("--date", default=None, help="Today (default the real today)")
        end.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = parse_iso_date(options["date"]) if options.get("date") else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from None
        try:
            if options["action"] == "recommend":
                self.recommend(options["account_id"], day, options["format"])
            elif options["action"] == "plan":
                self.plan(options["from_rep"], day, options["top_k"], options["format"])
            else:
                self.end_co_coverage(day, options["dry_run"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def recommend(self, account_id: str, day: Any, fmt: str) -> None:
        from bookwise.transfers.recommend import recommend

        account = Account.objects.filter(external_id=account_id).first()
        if account is None:
            raise CommandError(f"no account {account_id!r}")
        data = recommend(account=account, day=day)
        if fmt == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        rows = [
            [c["rep_id"], c["name"], f"{c['score']:.2f}", *(f"{v:.2f}" for v in c["parts"].values())]
            for c in data["candidates"]
        ]
        rows += [[e["rep_id"], e["name"], "excluded", e["reason"], "", "", ""] for e in data["excluded"]]
        self.emit(["rep_id", "name", "score", "performance", "skills", "fit", "headroom"], rows, fmt)

    def plan(self, rep_id: str, day: Any, top_k: int, fmt: str) -> None:
        from bookwise.transfers.planning import plan_compute

        rep = Rep.objects.filter(external_id=rep_id).first()
        if rep is None:
            raise CommandError(f"no rep {rep_id!r}")
        data = plan_compute(from_rep=rep, user=None, day=day, top_k=top_k)
        if fmt == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        if fmt == "table":
            self.stdout.write(
                f"from {data['from']}: feasible={data['feasible']} objective={data['objective']} "
                f"bound={data['bound']} gap={data['gap']} greedy={data['greedy_objective']}"
            )
            for s in data["shortfalls"]:
                self.stdout.write("shortfall: " + ", ".join(f"{k}={v}" for k, v in s.items()))
        rows = [
            [a["account_id"], a["to"], f"{a['score']:.2f}", str(a["points"])] for a in data["assignments"]
        ]
        self.emit(["account_id", "to", "score", "points"], rows, fmt)

    def end_co_coverage(self, day: Any, dry_run: bool) -> None:
        from bookwise.transfers.services import co_coverage_end_due

        done = co_coverage_end_due(day=day, dry_run=dry_run)
        verb = "would end" if dry_run else "ended"
        for t in done:
            who = t.from_rep.external_id if t.from_rep else "?"
            self.stdout.write(
                f"{verb} co-coverage of {t.account.external_id} by {who} on {t.co_coverage_end}"
            )
        self.stdout.write(f"{len(done)} co-coverage period(s) {verb}.")

    def emit(self, header: list[str], rows: list[list[str]], fmt: str) -> None:
        if fmt == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(header)
            writer.writerows(rows)
            return
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
        for row in [header, *rows]:
            self.stdout.write("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)).rstrip())
