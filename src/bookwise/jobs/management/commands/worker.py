"""`bookwise worker [--workers N]`: run a job worker (huey's consumer) with the queue of
settings.HUEY; it also runs the daily schedule. Several may run, on several machines."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey

from bookwise.jobs.runner import reap
from bookwise.jobs.tasks import send


class Command(BaseCommand):
    help = "Run a worker: take jobs from the queue (imports, reminders, the daily schedule) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2, help="jobs run at once (threads, default 2)")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="do not run the daily schedule here (when another worker does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            self.stderr.write("error: --workers must be at least 1")
            raise SystemExit(1)
        taken = reap(send, only_this_host=True)
        if taken:
            self.stdout.write(f"{taken} job(s) left running by a stopped worker here: retried or failed.")
        self.stdout.write(self.ready_line(options["workers"]))
        self.stdout.flush()  # a log file is block-buffered: whoever waits for a worker reads this now
        # huey's own consumer command, by its class: huey.contrib.djhuey is not an installed
        # app (importing it builds the queue's storage client, which other commands never use)
        call_command(
            RunHuey(), workers=options["workers"], worker_type="thread", periodic=not options["no_schedule"]
        )

    @staticmethod
    def ready_line(workers: int) -> str:
        """What the worker says once it is about to take jobs (operators and tests wait for it)."""
        return f"Worker ready: taking jobs with {workers} thread(s); stop with Ctrl-C or SIGTERM."
