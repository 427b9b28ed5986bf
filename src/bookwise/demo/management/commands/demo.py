"""`bookwise demo`: build the demo company (once) and serve Bookwise on 127.0.0.1 (gunicorn and
a job worker, as in production)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bookwise.core.dates import parse_iso_date
from bookwise.demo.builder import DemoSummary, book_state, build_demo, demo_logins, people_in_db, wipe_book


class Command(BaseCommand):
    help = (
        "Build the demo company into an empty database (or, with --rebuild, wipe the book and "
        "build it again), print the demo logins, then serve Bookwise on 127.0.0.1:PORT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="build (if needed) and print, do not serve"
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="wipe the whole book and build the demo again"
        )
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="size of the book (1.0 = ~2,000 accounts)"
        )
        parser.add_argument("--today", help="anchor date YYYY-MM-DD (default: today)")

    def handle(self, *args, **options) -> None:
        today = self._today(options["today"])
        if not 0 < options["scale"] <= 5:
            raise CommandError("--scale must be above 0 and at most 5")
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535")
        state = book_state()
        if options["rebuild"] and state != "empty":
            removed = wipe_book()
            self.stdout.write(f"Wiped the book ({removed} logins of reps removed).")
            state = "empty"
        if state == "empty":
            self.stdout.write(f"Building the demo company (anchored on {today}) ...")
            summary = build_demo(
                today=today, scale=options["scale"], stdout=getattr(self.stdout, "_out", None)
            )
            self._report_build(summary)
            logins = summary.logins
        elif state == "demo":
            self.stdout.write("The demo company is already in the database; nothing built (use --rebuild).")
            logins = demo_logins(people_in_db(), today)
        else:
            self.stderr.write(
                "note: this database holds another book, left untouched; the demo logins do not exist "
                "here. Use --rebuild to replace it with the demo company."
            )
            logins = []
        self._print_logins(logins)
        if not options["no_serve"]:
            self._serve(options["port"])

    def _serve(self, port: int) -> None:
        """The production shape on one machine: a job worker beside gunicorn (one web worker)."""
        self.stdout.write(f"\nServing Bookwise on http://127.0.0.1:{port}/ and a job worker (Ctrl-C stops)")
        worker = subprocess.Popen([sys.executable, "-m", "bookwise.cli", "worker", "--workers", "1"])
        try:
            call_command("serve", workers=1, bind=f"127.0.0.1:{port}")
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _today(self, text: str | None) -> date:
        if not text:
            return timezone.localdate()
        try:
            return parse_iso_date(text)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _report_build(self, summary: DemoSummary) -> None:
        counts = ", ".join(f"{value:,} {name}" for name, value in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Built the demo company in {summary.seconds:.1f} s: {counts}."))
        if summary.story:
            self.stdout.write("\nAccounts with a story:")
            for account_id, why in summary.story:
                self.stdout.write(f"  {account_id}  {why}")
        if summary.pages:
            self.stdout.write("\nWhere the other features have something to show:")
            width = max(len(where) for where, _ in summary.pages)
            for where, what in summary.pages:
                self.stdout.write(f"  {where:<{width}}  {what}")

    def _print_logins(self, logins: list) -> None:
        if not logins:
            return
        self.stdout.write("\nDemo logins (every rep can log in: username = rep id in lower case, e.g. r03):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username:<{width}}  password {login.password}  {login.who}: sees {login.sees}"
            )
