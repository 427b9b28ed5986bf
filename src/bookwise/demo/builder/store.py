"""Writes a planned Book into the database with bulk inserts (one transaction, batches)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.core.money import to_cents
from bookwise.people.models import Region, Rep, Territory
from bookwise.people.selectors import sales_ops_groups

from .blueprint import Book, RepSpec
from .catalogue import (
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    GEOGRAPHY,
    SALES_OPS_NAME,
    SALES_OPS_USERNAME,
)

BATCH = 5000


class Store:
    def __init__(self, book: Book, progress: tqdm) -> None:
        self.book, self.progress = book, progress
        self.territories: dict[str, int] = {}
        self.reps: dict[str, int] = {}
        self.accounts: dict[str, int] = {}

    def _bulk(self, model: Any, rows: list, label: str) -> list:
        self.progress.set_description(label)
        created = []
        for i in range(0, len(rows), BATCH):
            created.extend(model.objects.bulk_create(rows[i : i + BATCH]))
            self.progress.update(len(rows[i : i + BATCH]))
        return created

    def geography(self) -> None:
        regions = self._bulk(Region, [Region(name=name) for name in GEOGRAPHY], "regions")
        rows = [
            Territory(name=territory, region=region)
            for region in regions
            for territory in GEOGRAPHY[region.name]
        ]
        self.territories = {t.name: t.pk for t in self._bulk(Territory, rows, "territories")}

    def users(self) -> dict[str, Any]:
        """A login per rep plus the admin and sales ops (no rep; in the sales-ops group); an
        existing user of the same name is reused."""
        user_model = get_user_model()
        hashed = make_password(DEMO_PASSWORD)  # hashed once: the same demo password for every login
        wanted = [self._user(user_model, rep, hashed) for rep in self.book.reps]
        wanted.insert(0, user_model(username=ADMIN_USERNAME, email=f"admin@{EMAIL_DOMAIN}", password=hashed))
        wanted[0].is_staff = wanted[0].is_superuser = True
        first, _, last = SALES_OPS_NAME.partition(" ")
        wanted.insert(1, user_model(username=SALES_OPS_USERNAME, email=f"{SALES_OPS_USERNAME}@{EMAIL_DOMAIN}",
                                    first_name=first, last_name=last, password=hashed))  # fmt: skip
        existing = {
            u.username: u for u in user_model.objects.filter(username__in=[u.username for u in wanted])
        }
        for user in wanted:
            if user.username in existing:
                user.pk = existing[user.username].pk
        fields = ["password", "is_active", "is_staff", "is_superuser", "email"]
        user_model.objects.bulk_update([u for u in wanted if u.pk], fields)
        self._bulk(user_model, [u for u in wanted if not u.pk], "logins")
        ids = {u.username: u.pk for u in wanted}
        group, _ = Group.objects.get_or_create(name=sales_ops_groups()[0])
        group.user_set.add(ids[SALES_OPS_USERNAME])
        return ids

    def _user(self, user_model: Any, rep: RepSpec, hashed: str) -> Any:
        first, _, last = rep.name.partition(" ")
        return user_model(
            username=rep.username,
            email=f"{rep.username}@{EMAIL_DOMAIN}",
            first_name=first,
            last_name=last,
            password=hashed,
            is_active=rep.end_date is None or rep.end_date >= self.book.today,
        )

    def people(self) -> None:
        users = self.users()
        waves = [
            [r for r in self.book.reps if r.manager is None],
            [r for r in self.book.reps if r.role == "sales_manager"],
            [r for r in self.book.reps if r.manager is not None and r.role != "sales_manager"],
        ]
        for wave in waves:
            rows = [self._rep(rep, users[rep.username]) for rep in wave]
            self.reps.update({r.external_id: r.pk for r in self._bulk(Rep, rows, "reps")})

    def _rep(self, rep: RepSpec, user_id: int) -> Rep:
        return Rep(
            external_id=rep.external_id,
            name=rep.name,
            email=f"{rep.username}@{EMAIL_DOMAIN}",
            role=rep.role,
            manager_id=self.reps.get(rep.manager) if rep.manager else None,
            territory_id=self.territories.get(rep.territory) if rep.territory else None,
            hire_date=rep.hire_date,
            end_date=rep.end_date,
            capacity=rep.capacity,
            communication=rep.communication,
            flexibility=rep.flexibility,
            user_id=user_id,
        )

    def accounts_and_history(self) -> None:
        parents = {a.parent for a in self.book.accounts if a.parent}
        first = [a for a in self.book.accounts if a.external_id in parents]
        rest = [a for a in self.book.accounts if a.external_id not in parents]
        for wave in (first, rest):
            rows = [
                Account(
                    external_id=a.external_id,
                    name=a.name,
                    industry=a.industry,
                    territory_id=self.territories[a.territory],
                    parent_id=self.accounts.get(a.parent) if a.parent else None,
                    created_date=a.created,
                    potential_revenue=a.potential,
                    status=a.status,
                    lost_date=a.lost_date,
                    lost_reason=a.lost_reason,
                )
                for a in wave
            ]
            self.accounts.update({a.external_id: a.pk for a in self._bulk(Account, rows, "accounts")})
        owns = [
            Ownership(
                account_id=self.accounts[a.external_id],
                rep_id=self.reps[o.rep],
                role=o.role,
                start_date=o.start,
                end_date=o.end,
                reason=o.reason,
            )
            for a in self.book.accounts
            for o in a.ownerships
        ]
        self._bulk(Ownership, owns, "ownership")

    def _insert(self, model: Any, fields: list[str], rows: list[tuple], label: str) -> None:
        """Rows straight into the table (COPY on PostgreSQL, executemany elsewhere) for the
        two big tables: the ORM's per-row model and compiler work would be most of the build
        time. Values arrive prepared (money in cents via `to_cents`, dates adapted)."""
        self.progress.set_description(label)
        meta, quote = model._meta, connection.ops.quote_name
        table = quote(meta.db_table)
        columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for i, row in enumerate(rows, start=1):
                        copy.write_row(row)
                        if i % BATCH == 0:
                            self.progress.update(BATCH)
                self.progress.update(len(rows) % BATCH)
                return
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            for i in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[i : i + BATCH])
                self.progress.update(len(rows[i : i + BATCH]))

    def orders(self) -> None:
        day = connection.ops.adapt_datefield_value
        rows = [
            (
                o.external_id,
                self.accounts[o.account],
                day(o.day),
                to_cents(o.amount),
                to_cents(o.gross_profit),
                o.product_line,
                self.reps[o.rep] if o.rep else None,
                o.kind,
            )
            for o in self.book.orders
        ]
        fields = [
            "external_id",
            "account",
            "order_date",
            "amount",
            "gross_profit",
            "product_line",
            "rep",
            "kind",
        ]
        self._insert(OrderLine, fields, rows, "orders")

    def engagement(self) -> None:
        deals = [
            Opportunity(
                external_id=o.external_id,
                account_id=self.accounts[o.account],
                rep_id=self.reps[o.rep] if o.rep else None,
                name=o.name,
                stage=o.stage,
                amount=o.amount,
                expected_close_date=o.expected_close,
                closed_date=o.closed,
            )
            for o in self.book.opportunities
        ]
        self._bulk(Opportunity, deals, "opportunities")
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        day = connection.ops.adapt_datefield_value
        entries = [
            (
                now,
                now,
                self.reps[e.rep],
                day(e.day),
                e.hours,
                e.kind,
                self.accounts[e.account] if e.account else None,
                "",
            )
            for e in self.book.activities
        ]
        fields = ["created_at", "updated_at", "rep", "date", "hours", "kind", "account", "note"]
        self._insert(Activity, fields, entries, "time entries")


def row_count(book: Book) -> int:
    return (
        len(book.reps) * 2
        + 1
        + len(GEOGRAPHY)
        + sum(len(t) for t in GEOGRAPHY.values())
        + len(book.accounts)
        + sum(len(a.ownerships) for a in book.accounts)
        + len(book.orders)
        + len(book.opportunities)
        + len(book.activities)
    )


def store_book(book: Book, progress: tqdm) -> None:
    store = Store(book, progress)
    store.geography()
    store.people()
    store.accounts_and_history()
    store.orders()
    store.engagement()
