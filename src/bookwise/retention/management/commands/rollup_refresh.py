"""`bookwise rollup_refresh [ACCOUNT_ID ...]`: rebuild the monthly revenue rollup the
retention reports read (all accounts, or the given external ids)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bookwise.accounts.models import Account
from bookwise.retention.services import revenue_rollup_refresh


class error(CommandError):  # noqa: N801 - Django prints "<class name>: <message>", i.e. "error: ..."
    pass


class Command(BaseCommand):
    help = "Rebuild the monthly revenue rollup of the retention reports (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account_ids", nargs="*", help="external account ids (default: every account)")

    def handle(self, *args: Any, account_ids: list[str], **options: Any) -> None:
        ids = None
        if account_ids:
            found = dict(Account.objects.filter(external_id__in=account_ids).values_list("external_id", "id"))
            missing = sorted(set(account_ids) - set(found))
            if missing:
                raise error(f"no such account: {', '.join(missing)}")
            ids = list(found.values())
        start = time.perf_counter()
        rows = revenue_rollup_refresh(account_ids=ids)
        self.stdout.write(f"rollup refreshed: {rows} account-months in {time.perf_counter() - start:.1f} s")
