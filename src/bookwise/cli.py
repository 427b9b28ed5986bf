"""The `bookwise` console script: Django's management commands with Bookwise's settings.

`bookwise migrate` creates or upgrades the schema; every other command first checks that
the database has the current schema and says clearly what to do when it has not.

`--as USER` (anywhere on the line, for every command) names the person the audit trail
records for what the command changes; without it, the operating-system user is recorded
(and the Bookwise user of that name, when there is one)."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

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


HELP_WORDS = {"help", "--help", "-h"}
CHECKED_COMMANDS = {"check", "runserver", "migrate"}  # these still run Django's system checks
AS_HELP = (
    "\nOption of every bookwise command:\n"
    "  --as USER   the Bookwise user the audit trail records for what the command changes\n"
    "              (anywhere on the line; default: the operating-system user)\n"
)


def migration_files() -> set[tuple[str, str]]:
    """(app label, migration name) of every installed app's migration file, found by listing
    the migrations packages (as Django's loader names them), without importing them."""
    import importlib.util
    import pkgutil

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    names = set()
    for config in apps.get_app_configs():
        module, _explicit = MigrationLoader.migrations_module(config.label)
        spec = importlib.util.find_spec(module) if module else None
        if spec is None or not spec.submodule_search_locations:
            continue
        for info in pkgutil.iter_modules(spec.submodule_search_locations):
            if not info.ispkg and info.name[0] not in "_~":
                names.add((config.label, info.name))
    return names


def all_applied() -> bool:
    """Whether the database records every migration file as applied: one query and a listing
    of files, where Django's executor imports every migration (a tenth of a small command's
    start-up). False whenever unsure: the executor then says what is wrong."""
    from django.db import DatabaseError, connections
    from django.db.migrations.recorder import MigrationRecorder

    try:
        applied = MigrationRecorder(connections["default"]).applied_migrations()
    except DatabaseError:
        return False
    return bool(applied) and migration_files() <= set(applied)


def schema_problem() -> str | None:
    """None when the database is migrated, else a sentence saying what is wrong."""
    if all_applied():
        return None
    from django.db import connections
    from django.db.migrations.exceptions import InconsistentMigrationHistory
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    connection = connections["default"]
    try:
        executor = MigrationExecutor(connection)
        executor.loader.check_consistent_history(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as error:
        return f"cannot open the database ({error})"
    except InconsistentMigrationHistory as error:
        return f"the database records its migrations out of order ({error})"
    if not plan:
        return None
    applied = executor.loader.applied_migrations
    name = connection.settings_dict["NAME"]
    if not applied:
        return f"the database {name} has no Bookwise schema yet"
    count = f"{len(plan)} migration{'s' if len(plan) != 1 else ''}"
    return f"the database {name} has an older Bookwise schema ({count} to apply)"


def split_as(args: list[str]) -> tuple[list[str], str]:
    """(the arguments without `--as USER` / `--as=USER`, USER or ""). Only the exact option
    is taken (`--as-of` is another command's). SystemExit when USER is missing."""
    rest: list[str] = []
    as_user = ""
    items = iter(args)
    for arg in items:
        if arg == "--as":
            as_user = next(items, "")
            if not as_user or as_user.startswith("-"):
                _fail("--as needs a username, e.g. --as sm1")
        elif arg.startswith("--as="):
            as_user = arg.removeprefix("--as=")
            if not as_user:
                _fail("--as needs a username, e.g. --as=sm1")
        else:
            rest.append(arg)
    return rest, as_user


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(1)


def _start_audit(args: list[str], as_user: str, *, check: bool) -> None:
    """Record who runs this command for the audit trail; an unknown --as user is an error
    before anything runs."""
    from bookwise.core.actor import command_start

    actor = command_start(command=" ".join(["bookwise", *args[1:]]), as_user=as_user)
    if not check:
        return
    try:
        actor.resolve()
    except LookupError as error:
        _fail(str(error))


def without_system_checks(args: list[str]) -> list[str]:
    """The command line with `--skip-checks` added for a command that would run Django's
    system checks first (importing every URL and view: a large part of a small command's
    start-up). `bookwise check` runs them; so do the development server and `migrate`."""
    if len(args) < 2 or args[1].startswith("-") or "--skip-checks" in args or HELP_WORDS & set(args[1:]):
        return args
    from django.core.management import get_commands, load_command_class

    app = get_commands().get(args[1])
    if app is None or args[1] in CHECKED_COMMANDS:
        return args
    command = load_command_class(app, args[1])
    # right after the command's name: the command's own parser (not a subcommand's) takes it
    return [*args[:2], "--skip-checks", *args[2:]] if command.requires_system_checks else args


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    args, as_user = split_as(list(sys.argv if argv is None else argv))
    args[0] = "bookwise"
    os.environ["BOOKWISE_COMMAND"] = args[1] if len(args) > 1 else ""  # settings: DEBUG
    import django

    django.setup()
    if len(args) > 1 and args[1] not in SCHEMA_FREE_COMMANDS:
        problem = schema_problem()
        if problem:
            sys.stderr.write(f"error: {problem}. Run `bookwise migrate` first.\n")
            raise SystemExit(1)
        _start_audit(args, as_user, check=True)
    else:  # migrate, shell...: the schema may not be there yet; a bad --as fails when used
        _start_audit(args, as_user, check=False)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(without_system_checks(args))
    finally:  # `bookwise --help`, `bookwise help X`, `bookwise X --help` (argparse exits)
        if len(args) == 1 or HELP_WORDS & set(args[1:]):
            sys.stdout.write(AS_HELP)


if __name__ == "__main__":
    main()
