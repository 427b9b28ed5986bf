"""The `bookwise` console script: Django's management commands with Bookwise's settings.

`bookwise migrate` creates or upgrades the schema; every other command first checks that
the database has the current schema and says clearly what to do when it has not."""

from __future__ import annotations

import os
import sys

SCHEMA_FREE_COMMANDS = {
    "migrate",
    "makemigrations",
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "check",
    "showmigrations",
    "sqlmigrate",
    "shell",
    "dbshell",
    "collectstatic",
    "test",
    "squashmigrations",
    "diffsettings",
}


def schema_problem() -> str | None:
    """None when the database is migrated, else a sentence saying what is wrong."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    connection = connections["default"]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as error:
        return f"cannot open the database ({error})"
    if not plan:
        return None
    applied = executor.loader.applied_migrations
    name = connection.settings_dict["NAME"]
    if not applied:
        return f"the database {name} has no Bookwise schema yet"
    return f"the database {name} has an older Bookwise schema ({len(plan)} migrations to apply)"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "bookwise"
    import django

    django.setup()
    if len(args) > 1 and args[1] not in SCHEMA_FREE_COMMANDS:
        problem = schema_problem()
        if problem:
            sys.stderr.write(f"error: {problem}. Run `bookwise migrate` first.\n")
            raise SystemExit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
