"""bookwise rebalance propose --scope all|region:NAME|territory:NAME|team:REP_ID [--max-moves N]
[--max-revenue-moved AMOUNT] [--tolerance 0.10] [--keep-territory]
[--balance revenue|potential [--balance-tolerance 0.15]] [--format json]
| commit PROPOSAL_ID --effective DATE --as USER | pin ACCOUNT_ID --note TEXT | unpin ACCOUNT_ID
| pins [--format json]."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bookwise.core.actor import acting
from bookwise.core.dates import parse_iso_date
from bookwise.core.errors import ApplicationError

from ...options import scenario_settings


class Command(BaseCommand):
    help = "Rebalance a team, a territory, a region or the company: propose, then commit as transfers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        pro = sub.add_parser("propose", help="Propose a rebalance (kept as a draft rebalance proposal).")
        pro.add_argument("--scope", required=True, help="all, region:NAME, territory:NAME or team:REP_ID")
        pro.add_argument("--max-moves", default=None, help="Most accounts moved (default: unlimited)")
        pro.add_argument("--max-moves-per-rep", default=None, help="Most accounts in plus out per rep")
        pro.add_argument(
            "--max-revenue-moved", default=None, help="Most revenue (last 12 months) of the accounts moved"
        )
        pro.add_argument(
            "--tolerance", default="0.10", help="Band around the target load ratio (0.10 = 10 points)"
        )
        pro.add_argument(
            "--keep-territory", action="store_true", help="Accounts stay in their territory (hard)"
        )
        pro.add_argument(
            "--balance",
            default=None,
            help="Also keep each rep's revenue or potential near their share (hard)",
        )
        pro.add_argument(
            "--balance-tolerance", default="0.15", help="Band around that share (0.15 = within 15 %%)"
        )
        pro.add_argument("--date", default=None, help="Tiers and workloads as on this day (default today)")
        pro.add_argument("--time-limit", type=float, default=20.0, help="Seconds for the solver")
        pro.add_argument("--format", choices=["table", "json"], default="table")
        com = sub.add_parser("commit", help="Create a proposal's transfers (all or none).")
        com.add_argument("proposal_id", type=int)
        com.add_argument("--effective", required=True, help="Day the transfers take effect (YYYY-MM-DD)")
        pin = sub.add_parser("pin", help="Keep an account with its owner in every rebalance.")
        pin.add_argument("account_id")
        pin.add_argument("--note", required=True, help="Why it stays (a key relationship, a contract, ...)")
        unpin = sub.add_parser("unpin", help="Let a pinned account be rebalanced again.")
        unpin.add_argument("account_id")
        pins = sub.add_parser("pins", help="List the accounts pinned out of realignment.")
        pins.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            action = options["action"]
            if action == "propose":
                self.propose(options)
            elif action == "commit":
                self.commit(options["proposal_id"], options["effective"])
            else:
                self.pins(action, options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def propose(self, options: dict[str, Any]) -> None:
        from bookwise.rebalance.scopes import parse_scope
        from bookwise.rebalance.selectors import proposal_json
        from bookwise.rebalance.services import propose

        day = _day(options["date"], "--date") if options["date"] else timezone.localdate()
        config = scenario_settings(
            tolerance=options["tolerance"], max_moves=options["max_moves"],
            max_moves_per_rep=options["max_moves_per_rep"], keep_territory=options["keep_territory"],
            max_revenue_moved=options["max_revenue_moved"], balance=options["balance"],
            balance_tolerance=options["balance_tolerance"],
        )  # fmt: skip
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit: give a number of seconds above 0")
        scope = parse_scope(options["scope"])
        made = propose(
            scope=scope, day=day, scenarios=[config], actor=acting().user, time_limit=options["time_limit"]
        )
        data = proposal_json(made[0])
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.table(data)

    def table(self, data: dict[str, Any]) -> None:
        gap = "-" if data["gap"] is None else f"{data['gap']:.2%}"
        self.stdout.write(
            f"Rebalance proposal {data['proposal_id']} ({data['scope_label']}, {data['scenario']}): "
            f"{len(data['moves'])} moves, objective {data['objective']} (bound {data['bound']}, gap {gap}; "
            f"greedy {data['greedy_objective']}, doing nothing {data['nothing_objective']})"
        )
        for m in data["moves"]:
            self.stdout.write(
                f"  {m['account_id']}  {m['name']}: {m['from_name']} -> {m['to_name']} ({m['points']} points)"
            )
        before, after = data["balance_before"], data["balance_after"]
        self.stdout.write(
            f"Balance: max load ratio {before['max_load_ratio']:.1%} -> {after['max_load_ratio']:.1%}, "
            f"CV {before['cv']:.3f} -> {after['cv']:.3f}"
        )

    def commit(self, proposal_id: int, effective: str) -> None:
        from bookwise.rebalance.commit import commit
        from bookwise.rebalance.models import RebalanceProposal

        user = acting().user
        if user is None:
            raise CommandError("commit needs --as USERNAME (who is recorded in the audit trail)")
        day = _day(effective, "--effective")
        proposal = RebalanceProposal.objects.filter(pk=proposal_id).first()
        if proposal is None:
            raise CommandError(f"no rebalance proposal {proposal_id}")
        made = commit(proposal=proposal, effective_date=day, actor=user)
        self.stdout.write(
            f"Committed rebalance proposal {proposal.pk}: {len(made)} transfers drafted, effective {day}."
        )

    def pins(self, action: str, options: dict[str, Any]) -> None:
        """pin, unpin (audited, as the --as user when given) and the list of pins."""
        from bookwise.rebalance import services
        from bookwise.rebalance.selectors import pins_for

        user = acting().user
        if action == "pins":
            rows = pins_for(user=user)
            if options["format"] == "json":
                self.stdout.write(json.dumps(rows, indent=2))
            for row in rows if options["format"] == "table" else []:
                self.stdout.write(f"{row['account_id']}  {row['name']}: {row['note']} (since {row['since']})")
            return
        account = _account(options["account_id"])
        if action == "pin":
            services.pin(account=account, note=options["note"], actor=user)
            self.stdout.write(f"{account.name} ({account.external_id}) stays with its owner.")
        else:
            services.unpin(account=account, actor=user)
            self.stdout.write(f"{account.name} ({account.external_id}) may be rebalanced again.")


def _account(account_id: str) -> Any:
    from bookwise.accounts.models import Account

    account = Account.objects.filter(external_id=account_id).first()
    if account is None:
        raise CommandError(f"no account with id {account_id!r}")
    return account


def _day(text: str, option: str) -> Any:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}") from None
