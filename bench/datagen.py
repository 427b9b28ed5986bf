"""Generate a realistic benchmark book of business straight into a database.

    python bench/datagen.py --database-url URL --accounts 50000 --lines 5000000 --reps 1000 [--seed 1]

Runs the migrations on URL, then bulk-inserts (executemany in large transactions on
SQLite, COPY on PostgreSQL): regions, territories, a rep hierarchy (directors, sales
managers, reps; some who left), accounts (Pareto revenue, industries, potentials, parents,
some lost), ownership history (imports, then transfers/departures/rebalances; some
secondary owners), order lines over 3+ years (new/repeat/contract_release, product lines,
gross profit, credit notes), opportunities and activities, and logins: `admin` (superuser,
password `bookwise`) and one user per rep (username = lower-case rep id, unusable password).

Deterministic for a given seed. Refuses to write into a database that already has accounts.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
INDUSTRIES = [
    "Manufacturing", "Retail", "Healthcare", "Construction", "Logistics", "Hospitality",
    "Education", "Public sector", "Finance", "Energy", "Agriculture", "Technology",
]  # fmt: skip
PRODUCT_LINES = ["Consumables", "Equipment", "Service", "Software", "Spare parts", "Training", "Rental"]
LOST_REASONS = [
    "acquired",
    "bankrupt",
    "closed",
    "relocated",
    "price",
    "service",
    "competitor",
    "relationship",
]
TRANSFER_REASONS = ["transfer", "rebalance", "promotion", "manager_offload", "hunter_to_am", "other"]
ACTIVITY_KINDS = ["prospecting", "new_business_meeting", "account_nurturing", "admin", "training"]
STAMP = "2026-01-01 00:00:00"
FIRST_DAY = date(2023, 1, 1)


def setup_django(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def epoch_days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def as_dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype("int32")).cast(pl.Date)


class Writer:
    """Bulk insert a polars frame: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.stamp = STAMP + ("+00" if self.postgres else "")

    def insert(self, table: str, frame: pl.DataFrame, stamped: bool = True) -> None:
        if stamped:
            frame = frame.with_columns(
                pl.lit(self.stamp).alias("created_at"), pl.lit(self.stamp).alias("updated_at")
            )
        if self.postgres:
            self._copy(table, frame)
        else:
            self._executemany(table, frame)

    @contextmanager
    def without_indexes(self, table: str) -> Iterator[None]:
        """Drop the table's secondary indexes and foreign keys for the load, rebuild after."""
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                    [table],
                )
                constraints = cursor.fetchall()
                for name, _ in constraints:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes"
                    " WHERE tablename = %s AND indexname NOT LIKE %s",
                    [table, "%pkey"],
                )
            else:
                constraints = []
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                    " AND sql IS NOT NULL",
                    [table],
                )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        yield
        with self.connection.cursor() as cursor:
            for name, definition in constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            for _, definition in indexes:
                cursor.execute(definition)

    def _copy(self, table: str, frame: pl.DataFrame) -> None:
        cols = ", ".join(frame.columns)
        text_cols = [c for c, t in frame.schema.items() if t == pl.String]
        force = f", FORCE_NOT_NULL ({', '.join(text_cols)})" if text_cols else ""
        sql = f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv{force})"
        with self.connection.cursor() as cursor:
            with cursor.cursor.copy(sql) as copy:
                for start in range(0, frame.height, 500_000):
                    buffer = io.BytesIO()
                    frame.slice(start, 500_000).write_csv(buffer, include_header=False)
                    copy.write(buffer.getvalue())
            if "id" in frame.columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )

    def _executemany(self, table: str, frame: pl.DataFrame) -> None:
        frame = frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))
        cols = ", ".join(frame.columns)
        marks = ", ".join("?" * len(frame.columns))
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            for start in range(0, frame.height, 200_000):
                raw.executemany(
                    f"INSERT INTO {table} ({cols}) VALUES ({marks})", frame.slice(start, 200_000).rows()
                )


def people(rng: np.random.Generator, n_reps: int, today: date) -> dict[str, Any]:
    n_regions, n_territories = 5, 50
    regions = pl.DataFrame(
        {"id": range(1, n_regions + 1), "name": [f"Region {i}" for i in range(1, n_regions + 1)]}
    )
    territories = pl.DataFrame(
        {
            "id": range(1, n_territories + 1),
            "name": [f"Territory {i:02d}" for i in range(1, n_territories + 1)],
            "region_id": [(i % n_regions) + 1 for i in range(n_territories)],
        }
    )
    n_dir = max(1, n_reps // 200)
    n_mgr = max(1, n_reps // 16)
    n_front = n_reps - n_dir - n_mgr
    ids = np.arange(1, n_reps + 1)
    role = np.array(
        ["director"] * n_dir + ["sales_manager"] * n_mgr + ["account_manager"] * n_front, dtype=object
    )
    hunters = rng.random(n_reps) < 0.25
    role[(role == "account_manager") & hunters] = "hunter"
    prefix = {"director": "D", "sales_manager": "M", "account_manager": "R", "hunter": "R"}
    ext = [f"{prefix[r]}{i:05d}" for r, i in zip(role, ids, strict=True)]
    manager = np.zeros(n_reps, dtype=np.int64)
    manager[n_dir : n_dir + n_mgr] = rng.integers(1, n_dir + 1, n_mgr)
    manager[n_dir + n_mgr :] = rng.integers(n_dir + 1, n_dir + n_mgr + 1, n_front)
    mgr_territory = np.arange(n_mgr) % n_territories + 1
    territory = np.zeros(n_reps, dtype=np.int64)
    territory[n_dir : n_dir + n_mgr] = mgr_territory
    territory[n_dir + n_mgr :] = mgr_territory[manager[n_dir + n_mgr :] - n_dir - 1]
    hire = epoch_days(date(2015, 1, 1)) + rng.integers(0, 2500, n_reps)
    left = (rng.random(n_reps) < 0.04) & (role != "director") & (role != "sales_manager")
    end = np.where(left, epoch_days(today) - rng.integers(30, 700, n_reps), -1)
    reps = pl.DataFrame(
        {
            "id": ids,
            "external_id": ext,
            "name": [f"Rep {e}" for e in ext],
            "email": [f"{e.lower()}@bench.example" for e in ext],
            "role": role.tolist(),
            "manager_id": pl.Series(manager).replace(0, None),
            "territory_id": pl.Series(territory).replace(0, None),
            "hire_date": as_dates(hire),
            "end_date": as_dates(end).set(pl.Series(~left), None),
            "capacity": rng.choice([80, 100, 120, 150], n_reps),
            "user_id": ids + 1,
            "communication": rng.integers(1, 6, n_reps),
            "flexibility": rng.integers(1, 6, n_reps),
        }
    )
    front = ids[n_dir + n_mgr :]
    return {
        "regions": regions,
        "territories": territories,
        "reps": reps,
        "active_front": front[~left[n_dir + n_mgr :]],
        "left_front": front[left[n_dir + n_mgr :]],
        "territory": territory,
        "end": end,
    }


def users(n_reps: int, reps: pl.DataFrame) -> pl.DataFrame:
    from django.contrib.auth.hashers import make_password

    names = ["admin"] + [e.lower() for e in reps["external_id"]]
    n = len(names)
    return pl.DataFrame(
        {
            "id": range(1, n + 1),
            "password": [make_password("bookwise")] + ["!"] * (n - 1),
            "is_superuser": [True] + [False] * (n - 1),
            "username": names,
            "first_name": [""] * n,
            "last_name": [""] * n,
            "email": [""] * n,
            "is_staff": [True] + [False] * (n - 1),
            "is_active": [True] * n,
            "date_joined": [STAMP] * n,
        }
    )


def accounts(rng: np.random.Generator, n: int, ppl: dict, today: date) -> dict:
    ids = np.arange(1, n + 1)
    weight = rng.lognormal(0.0, 1.6, n)
    owner = rng.choice(ppl["active_front"], n)
    territory = ppl["territory"][owner - 1]
    potential = np.round(weight * rng.uniform(1.2, 3.5, n) * 4_000_000).astype(np.int64)
    potential = np.where(rng.random(n) < 0.1, -1, potential)
    created = epoch_days(date(2010, 1, 1)) + rng.integers(
        0, epoch_days(FIRST_DAY) - epoch_days(date(2010, 1, 1)), n
    )
    lost = rng.random(n) < 0.08
    lost_date = epoch_days(FIRST_DAY) + rng.integers(200, epoch_days(today) - epoch_days(FIRST_DAY), n)
    parent = np.where((rng.random(n) < 0.05) & (ids > 100), rng.integers(1, 101, n), 0)
    reason = np.array(LOST_REASONS + [""], dtype=object)[rng.integers(0, len(LOST_REASONS) + 1, n)]
    frame = pl.DataFrame(
        {
            "id": ids,
            "external_id": [f"A{i:06d}" for i in ids],
            "name": [f"Customer {i:06d} {INDUSTRIES[i % 12].split()[0]}" for i in ids],
            "industry": np.array(INDUSTRIES, dtype=object)[rng.integers(0, len(INDUSTRIES), n)].tolist(),
            "territory_id": territory,
            "parent_id": pl.Series(parent).replace(0, None),
            "created_date": as_dates(created),
            "potential_revenue": pl.Series(potential).replace(-1, None),
            "status": np.where(lost, "lost", "active").tolist(),
            "lost_date": as_dates(lost_date).set(pl.Series(~lost), None),
            "lost_reason": np.where(lost, reason, "").tolist(),
        }
    )
    return {
        "frame": frame,
        "weight": weight,
        "owner": owner,
        "created": created,
        "lost": lost,
        "lost_date": lost_date,
    }


def ownerships(rng: np.random.Generator, acc: dict, ppl: dict, today: date) -> pl.DataFrame:
    """Per account: an import assignment; for some a later transfer (or a departure of the
    first owner); for some an open secondary owner."""
    n = len(acc["owner"])
    ids = np.arange(1, n + 1)
    start = acc["created"]
    moved = rng.random(n) < 0.15
    departed = rng.random(n) < 0.04
    left = ppl["left_front"]
    first = np.where(moved, rng.choice(ppl["active_front"], n), acc["owner"])
    if len(left):
        first = np.where(departed, rng.choice(left, n), first)
    switch = epoch_days(FIRST_DAY) + rng.integers(0, epoch_days(today) - epoch_days(FIRST_DAY) - 30, n)
    rep_end = ppl["end"][first - 1]
    switch = np.where(departed & (rep_end > 0), rep_end + 1, switch)
    changed = (moved | departed) & (first != acc["owner"]) & (switch > start + 1)
    reasons = np.array(TRANSFER_REASONS, dtype=object)[rng.integers(0, len(TRANSFER_REASONS), n)]
    reasons = np.where(departed, "departure", reasons)
    parts = [
        _own(ids[~changed], acc["owner"][~changed], "primary", start[~changed], None, "import"),
        _own(ids[changed], first[changed], "primary", start[changed], switch[changed] - 1, "import"),
        _own(ids[changed], acc["owner"][changed], "primary", switch[changed], None, reasons[changed]),
    ]
    second = rng.random(n) < 0.2
    co = rng.choice(ppl["active_front"], n)
    second &= co != acc["owner"]
    parts.append(
        _own(ids[second], co[second], "secondary", np.maximum(start[second], switch[second]), None, "import")
    )
    frame = pl.concat(parts).sort(["account_id", "role", "start_date"])
    return frame.with_columns(pl.Series("id", np.arange(1, frame.height + 1))).select(
        ["id", "account_id", "rep_id", "role", "start_date", "end_date", "reason"]
    )


def _own(account, rep, role, start, end, reason) -> pl.DataFrame:
    k = len(account)
    reason_list = [reason] * k if isinstance(reason, str) else list(reason)
    return pl.DataFrame(
        {
            "account_id": account.astype(np.int64),
            "rep_id": rep.astype(np.int64),
            "role": [role] * k,
            "start_date": as_dates(start),
            "end_date": as_dates(end) if end is not None else pl.Series([None] * k, dtype=pl.Date),
            "reason": reason_list,
        }
    )


def order_lines(
    rng: np.random.Generator, acc: dict, n_lines: int, today: date, chunk: int
) -> Iterator[pl.DataFrame]:
    """Lines in date order, chunk by chunk; lines of lost accounts stop at the lost date."""
    p = acc["weight"] / acc["weight"].sum()
    first, last = epoch_days(FIRST_DAY), epoch_days(today)
    lost_end = np.where(acc["lost"], acc["lost_date"], last)
    span = last - first
    done = 0
    while done < n_lines:
        k = min(chunk, n_lines - done)
        account = rng.choice(len(p), k, p=p) + 1
        frac = rng.random(k)
        day = first + (frac * (lost_end[account - 1] - first)).astype(np.int64)
        day = np.minimum(day, first + span)
        amount = np.round(rng.lognormal(np.log(30_000), 1.0, k)).astype(np.int64) + 100
        amount = np.where(rng.random(k) < 0.02, -amount // 3, amount)
        gp = np.round(amount * rng.uniform(0.1, 0.45, k)).astype(np.int64)
        kind = np.array(["new", "repeat", "contract_release"], dtype=object)[
            rng.choice(3, k, p=[0.05, 0.8, 0.15])
        ]
        product = np.array(PRODUCT_LINES, dtype=object)[rng.integers(0, len(PRODUCT_LINES), k)]
        frame = pl.DataFrame(
            {
                "account_id": account,
                "order_date": as_dates(day),
                "amount": amount,
                "gross_profit": gp,
                "product_line": product.tolist(),
                "kind": kind.tolist(),
            }
        ).sort("order_date")
        ids = np.arange(done + 1, done + k + 1)
        yield frame.with_columns(
            pl.Series("id", ids),
            pl.Series("external_id", [f"L{i:08d}" for i in ids]),
            pl.lit(None, dtype=pl.Int64).alias("rep_id"),
        )
        done += k


def opportunities(rng: np.random.Generator, acc: dict, today: date) -> pl.DataFrame:
    n_acc = len(acc["owner"])
    k = n_acc // 2
    account = rng.integers(1, n_acc + 1, k)
    stage = np.array(["prospecting", "engaging", "proposal", "won", "lost"], dtype=object)[
        rng.integers(0, 5, k)
    ]
    close = epoch_days(today) + rng.integers(-400, 200, k)
    closed = np.isin(stage, ["won", "lost"])
    ids = np.arange(1, k + 1)
    return pl.DataFrame(
        {
            "id": ids,
            "external_id": [f"OP{i:07d}" for i in ids],
            "account_id": account,
            "rep_id": acc["owner"][account - 1],
            "name": [f"Deal {i}" for i in ids],
            "stage": stage.tolist(),
            "amount": np.round(rng.lognormal(np.log(500_000), 1.0, k)).astype(np.int64),
            "expected_close_date": as_dates(close),
            "closed_date": as_dates(close).set(pl.Series(~closed), None),
        }
    )


def activities(rng: np.random.Generator, acc: dict, ppl: dict, today: date) -> pl.DataFrame:
    reps = ppl["active_front"]
    k = len(reps) * 200
    rep = rng.choice(reps, k)
    kind = np.array(ACTIVITY_KINDS, dtype=object)[rng.integers(0, len(ACTIVITY_KINDS), k)]
    day = epoch_days(today) - rng.integers(0, 365, k)
    account = np.where(kind == "account_nurturing", rng.integers(1, len(acc["owner"]) + 1, k), 0)
    return pl.DataFrame(
        {
            "id": np.arange(1, k + 1),
            "rep_id": rep,
            "date": as_dates(day),
            "hours": np.round(rng.uniform(0.5, 4.0, k) * 4) / 4,
            "kind": kind.tolist(),
            "account_id": pl.Series(account).replace(0, None),
            "note": [""] * k,
        }
    )


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from bookwise.accounts.models import Account

    call_command("migrate", verbosity=0)
    if Account.objects.exists():
        raise SystemExit("error: the database already has accounts; use an empty database")
    rng = np.random.default_rng(args.seed)
    today = date.today()
    writer = Writer()
    clock = time.perf_counter()

    def step(label: str) -> None:
        print(f"{label}: {time.perf_counter() - clock:.1f} s", flush=True)

    with transaction.atomic():
        ppl = people(rng, args.reps, today)
        writer.insert("auth_user", users(args.reps, ppl["reps"]), stamped=False)
        writer.insert("people_region", ppl["regions"])
        writer.insert("people_territory", ppl["territories"])
        writer.insert("people_rep", ppl["reps"])
        acc = accounts(rng, args.accounts, ppl, today)
        writer.insert("accounts_account", acc["frame"])
        writer.insert("accounts_ownership", ownerships(rng, acc, ppl, today))
        writer.insert("accounts_opportunity", opportunities(rng, acc, today))
        writer.insert("accounts_activity", activities(rng, acc, ppl, today))
        step("people, accounts, ownership, opportunities, activities")
    with writer.without_indexes("accounts_orderline"):
        for frame in order_lines(rng, acc, args.lines, today, chunk=1_000_000):
            with transaction.atomic():
                writer.insert("accounts_orderline", frame, stamped=False)
            step(f"order lines up to {frame['id'][-1]:,}")
    step("order line indexes")
    analyze(writer)
    step("done")


def analyze(writer: Writer) -> None:
    with writer.connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--reps", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django(args.database_url)
    generate(args)


if __name__ == "__main__":
    main()
