"""`bookwise serve [--workers N] [--bind ADDR]`: serve Bookwise with gunicorn (the production
web server), static files through WhiteNoise as always."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication


class BookwiseServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return get_wsgi_application()


class Command(BaseCommand):
    help = "Serve Bookwise with gunicorn: N worker processes on ADDR (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("BOOKWISE_WEB_WORKERS", "2")),
            help="web worker processes (default 2, or BOOKWISE_WEB_WORKERS)",
        )
        parser.add_argument(
            "--bind",
            default=os.environ.get("BOOKWISE_BIND", "127.0.0.1:8000"),
            help="address to listen on, HOST:PORT or unix:PATH (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a stuck request's worker is restarted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["workers"] <= 64:
            raise CommandError("--workers must be between 1 and 64")
        server = BookwiseServer(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": 4,
                "timeout": options["timeout"],
                "graceful_timeout": 20,
                "accesslog": None,  # Bookwise logs each request itself (bookwise.request), with its id
                "errorlog": "-",
                "proc_name": "bookwise",
                "control_socket_disable": True,  # several servers may run on one machine
            }
        )
        connections.close_all()  # the schema check's connection must not be shared by the forks
        server.run()
