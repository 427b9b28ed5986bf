"""`bookwise commissions load|run|approve|what-if`: plans, runs and what-if on the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import today
from bookwise.commissions.models import Run, RunStatus
from bookwise.commissions.planfile import PlanFileError, parse_plan_file
from bookwise.commissions.services import plan_file_load, run_approve, run_chunks, run_compute
from bookwise.commissions.services.periods import check_period
from bookwise.commissions.services.runs import statements_for
from bookwise.commissions.whatif import PeriodChange, transfer_what_if, what_if
from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError
from bookwise.people.models import Rep

from ._output import emit, emit_json_list, error

SUMMARY = [
    "rep_id",
    "plan",
    "quota",
    "credit",
    "attainment",
    "commission",
    "override",
    "adjustments",
    "total",
]
WHAT_IF = ["period", "rep_id", "current", "proposed", "difference"]


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: {exc.strerror}") from None


def _what_if_table(rows: list[PeriodChange]) -> list[dict[str, object]]:
    """The what-if's rows for a table or CSV: each rep's line, then each period's total."""
    flat: list[dict[str, object]] = [{"period": p["period"], **r} for p in rows for r in p["reps"]]
    flat += [
        {"period": p["period"], "rep_id": "TOTAL", "current": p["current"], "proposed": p["proposed"],
         "difference": p["difference"]}
        for p in rows
    ]  # fmt: skip
    return flat


class Command(BaseCommand):
    help = "Commission plans and runs: load FILE, run --period P, approve --period P, what-if FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Validate the plan file whole, then store it (new plan versions).")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="Validate only; store nothing.")
        run = sub.add_parser("run", help="Compute every statement of a period and store it as the draft run.")
        run.add_argument("--period", required=True, help="2026-Q1, 2026-03 or 2026")
        run.add_argument("--dry-run", action="store_true", help="Print only; store nothing.")
        run.add_argument("--format", choices=["table", "csv", "json"], default="table")
        run.add_argument(
            "--background", action="store_true",
            help="Queue the run for the workers (its chunks shared out in --jobs jobs); print the job.",
        )  # fmt: skip
        run.add_argument(
            "--jobs", type=int, default=4, help="With --background: jobs the run is shared into."
        )
        run.add_argument(
            "--chunk-reps", type=int, default=None, help="With --background: reps per chunk at most."
        )
        approve = sub.add_parser("approve", help="Approve (freeze) the draft run of a period.")
        approve.add_argument("--period", required=True)
        whatif = sub.add_parser("what-if", help="What a draft plan file would have paid.")
        whatif.add_argument("file")
        whatif.add_argument("--periods", type=int, default=4)
        whatif.add_argument(
            "--as-of", help="YYYY-MM-DD (default today): periods before the one containing it"
        )
        whatif.add_argument("--format", choices=["table", "csv", "json"], default="table")
        move = sub.add_parser(
            "what-if-transfer", help="What a transfer would have paid over the last periods."
        )
        move.add_argument("--account", required=True, help="account id")
        move.add_argument("--to", required=True, help="rep id receiving the account")
        move.add_argument("--periods", type=int, default=4)
        move.add_argument("--period-kind", choices=["month", "quarter", "year"], default="quarter")
        move.add_argument("--as-of", help="YYYY-MM-DD (default today)")
        move.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handler = {
            "load": self.load,
            "run": self.run,
            "approve": self.approve,
            "what-if": self.what_if,
            "what-if-transfer": self.what_if_transfer,
        }[action]
        try:
            handler(options)
        except PlanFileError as exc:  # every error as `error: FILE:LINE: message`; nothing stored
            for message in exc.errors[:-1]:
                self.stderr.write(f"error: {message}")
            raise error(exc.errors[-1]) from None
        except ApplicationError as exc:
            raise error(exc.message) from None

    def load(self, options: dict[str, Any]) -> None:
        path = options["file"]
        report = plan_file_load(text=_read(path), filename=path, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"{path}: valid ({len(report.created)} plan(s)); nothing stored")
            return
        for name in report.created:
            self.stdout.write(f"stored {name}")
        for name in report.unchanged:
            self.stdout.write(f"unchanged {name}")
        self.stdout.write(f"quotas changed: {report.quotas}; rebate programmes changed: {report.rebates}")

    def run(self, options: dict[str, Any]) -> None:
        period = options["period"]
        if options["background"] and not options["dry_run"]:
            self.queue(period, options)
            return
        if options["dry_run"]:  # computed in memory, for a period a run may be computed for
            rows = [data for _, data in statements_for(check_period(period))]
        else:  # stored chunk by chunk, printed one statement at a time
            run = run_compute(period=period)
            stored = run.statements.order_by("rep__external_id")
            if options["format"] == "json":
                emit_json_list(self.stdout, (st.as_json() for st in stored.iterator(chunk_size=50)))
                return
            rows = list(stored.values_list("data", flat=True))  # the summary: no lines
            if options["format"] == "table":
                self.stdout.write(f"draft run {run.pk} of {period}: {len(rows)} statement(s)")
        if options["format"] == "json":
            emit(self.stdout, rows, [], "json")
            return
        emit(self.stdout, rows, SUMMARY, options["format"])

    def queue(self, period: str, options: dict[str, Any]) -> None:
        """The run as jobs (services.run_chunks) on the queue the workers take them from."""
        if options["jobs"] < 1 or (options["chunk_reps"] is not None and options["chunk_reps"] < 1):
            raise error("--jobs and --chunk-reps must be at least 1")
        queued = run_chunks.run_queue(
            period=period, actor=None, jobs=options["jobs"], most=options["chunk_reps"]
        )
        if queued is None:
            raise error("there is no job queue: run without --background")
        self.stdout.write(f"queued the run of {period}: follow it at {queued.page}")

    def approve(self, options: dict[str, Any]) -> None:
        run = Run.objects.filter(period=options["period"], status=RunStatus.DRAFT).first()
        if run is None:
            raise error(f"no draft run of {options['period']}")
        run_approve(run=run, actor=None)
        self.stdout.write(f"approved run {run.pk} of {run.period}")

    def what_if(self, options: dict[str, Any]) -> None:
        path = options["file"]
        draft = parse_plan_file(_read(path), path).plans
        as_of = self._as_of(options.get("as_of"))
        if options["periods"] < 1:
            raise error("--periods must be at least 1")
        rows = what_if(draft=draft, periods=options["periods"], as_of=as_of)
        if options["format"] == "json":
            emit(self.stdout, rows, [], "json")
            return
        emit(self.stdout, _what_if_table(rows), WHAT_IF, options["format"])

    def what_if_transfer(self, options: dict[str, Any]) -> None:
        account = Account.objects.filter(external_id=options["account"]).first()
        rep = Rep.objects.filter(external_id=options["to"]).first()
        if account is None or rep is None:
            raise error(f"no account {options['account']}" if account is None else f"no rep {options['to']}")
        if options["periods"] < 1:
            raise error("--periods must be at least 1")
        rows = transfer_what_if(
            account=account, rep=rep, periods=options["periods"], as_of=self._as_of(options.get("as_of")),
            kind=options["period_kind"],
        )  # fmt: skip
        if options["format"] == "json":
            emit(self.stdout, rows, [], "json")
            return
        emit(self.stdout, _what_if_table(rows), WHAT_IF, options["format"])

    @staticmethod
    def _as_of(raw: str | None) -> date:
        if not raw:
            return today()
        try:
            return parse_iso_date(raw)
        except ValueError as exc:
            raise error(f"--as-of: {exc}") from None
