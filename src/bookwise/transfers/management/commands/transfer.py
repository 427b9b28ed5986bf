"""bookwise transfer recommend ACCOUNT_ID | plan --from REP_ID [--save --as USER] |
plan-apply PLAN_ID --as USER | end-co-coverage [--date D]."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.actor import acting
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
        plan.add_argument(
            "--effective-date", default=None, help="Day the transfers take effect (default: the day after "
            "a leaving rep's last day, else --date); tiers and workloads are taken as on that day",
        )  # fmt: skip
        plan.add_argument(
            "--tolerance", type=float, default=None, help="Balance tolerance (0.10 = 10 points)"
        )
        plan.add_argument(
            "--save", action="store_true", help="Keep the plan as a draft for review (needs --as)"
        )
        apply = sub.add_parser("plan-apply", help="Apply a stored plan: every transfer drafted, or none.")
        apply.add_argument("plan_id", type=int)
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
                self.plan(day, options)
            elif options["action"] == "plan-apply":
                self.plan_apply(options["plan_id"])
            else:
                self.end_co_coverage(day, options["dry_run"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def recommend(self, account_id: str, day: date, fmt: str) -> None:
        from bookwise.transfers.recommend import recommend

        account = Account.objects.filter(external_id=account_id).first()
        if account is None:
            raise CommandError(f"no account {account_id!r}")
        data = recommend(account=account, day=day)
        if fmt == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        rows = [
            [c["rep_id"], c["name"], f"{c['score']:.2f}", *(f"{v:.2f}" for v in c["parts"].values()),
             f"±{c['performance_uncertainty']:.2f}"]
            for c in data["candidates"]
        ]  # fmt: skip
        blank = [""] * 5
        rows += [[e["rep_id"], e["name"], "excluded", e["reason"], *blank] for e in data["excluded"]]
        header = ["rep_id", "name", "score", "performance", "skills", "fit", "history", "headroom"]
        self.emit([*header, "performance_uncertainty"], rows, fmt)

    def plan(self, day: Any, options: dict[str, Any]) -> None:
        from bookwise.transfers import plan_edit, planning

        rep = Rep.objects.filter(external_id=options["from_rep"]).first()
        if rep is None:
            raise CommandError(f"--from: no rep {options['from_rep']!r}")
        effective = _date_option(options, "effective_date") or plan_edit.effective_default(rep, day)
        if options["tolerance"] is not None and not 0 <= options["tolerance"] <= 1:
            raise CommandError("--tolerance: give a share of capacity between 0 and 1 (0.10 = 10 points)")
        if options["top_k"] < 1:
            raise CommandError("--top-k: give at least 1 candidate per account")
        planning.check_effective_date(effective, day)
        if options["save"]:
            user = _user("--save")
            plan = planning.plan_create(from_rep=rep, actor=user, day=day, effective_date=effective)
            self.stdout.write(f"Saved plan {plan.pk} (draft): /transfers/plans/{plan.pk}/")
            return
        data = planning.plan_compute(
            from_rep=rep, user=None, day=day, effective_date=effective, top_k=options["top_k"],
            tolerance=options["tolerance"],
        )  # fmt: skip
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        if options["format"] == "table":
            self.plan_header(data)
        rows = [
            [
                a["account_id"],
                a["account_name"],
                a["to"],
                a["to_name"],
                f"{a['score']:.2f}",
                f"{a['points']:.2f}",
            ]
            for a in data["assignments"]
        ]
        self.emit(["account_id", "account", "to", "to_name", "score", "points"], rows, options["format"])

    def plan_header(self, data: dict[str, Any]) -> None:
        out = self.stdout.write
        out(
            f"Book of {data['from_name']} ({data['from']}), effective {data['effective_date']}: "
            f"{data['planned']} of {data['accounts']} accounts planned, "
            f"{'complete' if data['feasible'] else 'INCOMPLETE'}"
        )
        gap = "-" if data["gap"] is None else f"{data['gap']:.2%}"
        out(
            f"objective {data['objective']}, bound {data['bound']} (over {data['bound_scope']}), "
            f"gap at most {gap}, greedy {data['greedy_objective']}"
        )
        b = data["balance"]
        if b:
            out(
                f"balance: within {b['tolerance']:.0%} of the even level {b['level']:.1%} "
                f"({b['floor']:.1%} to {b['ceiling']:.1%}); kept: {b['met']}"
            )
        for x in data["excluded"]:
            out(f"left out: {x['account_id']} {x['name']}: {x['reason']}")
        for s in data["shortfalls"]:
            out("shortfall: " + ", ".join(f"{k}={v}" for k, v in s.items()))
        for r in data["recipients"]:
            out(
                f"recipient {r['name']} ({r['rep_id']}): {r['accounts']} accounts, revenue "
                f"{Decimal(r['revenue']):,.2f}, load {r['points_before']:.2f} -> {r['points_after']:.2f} "
                f"of {r['capacity']} points "
                f"({_pct(r['utilisation_before'])} -> {_pct(r['utilisation_after'])})"
            )

    def plan_apply(self, plan_id: int) -> None:
        from bookwise.transfers import plan_edit
        from bookwise.transfers.models import ReassignmentPlan

        user = _user("plan-apply")
        plan = ReassignmentPlan.objects.select_related("from_rep").filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"no plan {plan_id}")
        transfers = plan_edit.plan_apply(plan=plan, actor=user)
        self.stdout.write(f"Applied plan {plan.pk}: {len(transfers)} transfers drafted.")

    def end_co_coverage(self, day: date, dry_run: bool) -> None:
        from bookwise.transfers.coverage import co_coverage_end_due

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


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _date_option(options: dict[str, Any], name: str) -> Any:
    if not options.get(name):
        return None
    try:
        return parse_iso_date(options[name])
    except ValueError as exc:
        raise CommandError(f"--{name.replace('_', '-')}: {exc}") from None


def _user(what: str) -> User:
    """The person running the command (bookwise's global `--as USER`, else the Bookwise user
    named like the OS user): a plan is saved or applied in someone's name, checked for scope."""
    user: User | None = acting().user
    if user is None:
        raise CommandError(f"{what} needs --as USERNAME (who is recorded in the audit trail)")
    return user
