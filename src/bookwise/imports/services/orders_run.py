"""Import orders.csv: millions of lines, checked as columns, written in bulk, upserted by
order_id, all inside the import's one transaction.

A plain CSV (`orders_vector`) is read block by block as columns (polars); any other file
(XLSX, quoted cells...) row by row through `reading` and the row parsers. Either way each
block becomes one frame of checked lines, whose account and rep ids are looked up with a
join, and duplicates found against every order id seen before; the errors (file line,
column, value) are reported in line order, exactly as the row parsers word them. Then the
frame is written (`orders_write`): COPY on PostgreSQL, large batched statements on SQLite.
Memory holds the id maps, the order ids seen and one block."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

import polars as pl

from bookwise.accounts.models import Account
from bookwise.imports.fastpath import fast_order
from bookwise.imports.parsers import SPECS, RowError, Rows, parse_file_row
from bookwise.imports.reading import Limits, cells_to_row
from bookwise.people.models import Rep
from bookwise.retention.services import revenue_rollup_after_import

from . import orders_vector as vector
from .common import ImportReport, chunks, id_map
from .orders_write import open_writer

CHUNK = 50_000  # rows of a file read row by row, checked as one frame
OUT = ("external_id", "account_id", "order_date", "amount", "gross_profit", "product_line", "rep_id", "kind")


def _ids(model: Any, name: str) -> pl.DataFrame:
    pairs = id_map(model)
    return pl.DataFrame(
        {name: list(pairs), f"{name}_pk": list(pairs.values())},
        schema={name: pl.String, f"{name}_pk": pl.Int64},
    )


class SeenIds:
    """The order ids of the blocks read so far, to find an id repeated across blocks: each
    block is compared by 64-bit hashes (integers, cheap to compare against a million), and
    only an id whose hash was seen before is compared as text (a repeat, or a rare collision)."""

    def __init__(self) -> None:
        self.ids = pl.Series("order_id", [], dtype=pl.String)
        self.hashes = pl.Series("hash", [], dtype=pl.UInt64)

    def check_and_add(self, ids: pl.Series) -> pl.Series:
        """Which of `ids` were in an earlier block (a boolean Series); then remember them."""
        hashes = ids.hash(seed=0)
        earlier = hashes.is_in(self.hashes.implode())
        if earlier.any():
            earlier = earlier & ids.is_in(self.ids.implode())
        self.ids = pl.concat([self.ids, ids], rechunk=False)
        self.hashes = pl.concat([self.hashes, hashes], rechunk=False)
        return earlier


class OrderImporter:
    def __init__(self, report: ImportReport, limits: Limits) -> None:
        self.report = report
        self.limits = limits
        self.accounts = _ids(Account, "account")
        self.reps = _ids(Rep, "rep")
        self.seen = SeenIds()
        self.since: date | None = None  # the earliest order date written or replaced

    def run(self, rows: Rows, path: Path | None) -> set[int]:
        """Check and write every block; the accounts whose lines changed."""
        header = plain = None
        lines = None if path is None else vector.plain_lines(path, self.limits, len(SPECS["orders"].columns))
        if path is not None and lines is not None:
            header, offset = vector.header_of(path, SPECS["orders"])
            plain = vector.blocks(path, header, offset)
            rows.close()  # type: ignore[attr-defined]  # the row reader's file
        writer = open_writer(expected_lines=lines)
        with writer:
            for frame, errors in self._frames(plain, header, rows):
                good = self.resolve(frame, errors)
                if self.report.ok and good.height:
                    writer.write(good)
            if self.report.ok:
                writer.finish(self.report)
        self.since = date.fromisoformat(writer.earliest) if writer.earliest else None
        return writer.touched

    def _frames(
        self, plain: Iterator[vector.Block] | None, header: list[str] | None, rows: Rows
    ) -> Iterator[tuple[pl.DataFrame, list[RowError]]]:
        if plain is None:
            for batch in chunks(rows, CHUNK):
                yield checked_rows(batch, self._budget())
            return
        assert header is not None
        for block in plain:
            raws = ((line, cells_to_row(line, header, cells, self.limits)) for line, cells in block.others)
            frame, errors = checked_rows(raws, self._budget())
            yield pl.concat([block.checked, frame]).sort("line"), errors

    def _budget(self) -> int:
        """Errors the report takes before the import stops (0: no limit)."""
        report = self.report
        return max(report.max_errors - report.error_count, 1) if report.max_errors else 0

    def resolve(self, frame: pl.DataFrame, errors: list[RowError]) -> pl.DataFrame:
        """Database ids for the account and rep ids; unknown ones and order ids already seen
        reported (in line order); the lines to write, in OUT columns."""
        joined = frame.join(self.accounts, on="account", how="left").join(self.reps, on="rep", how="left")
        joined = joined.sort("line")
        earlier = self.seen.check_and_add(joined["order_id"])
        joined = joined.with_columns((pl.col("order_id").is_first_distinct() & ~earlier).alias("first"))
        bad = (pl.col("account_pk").is_null()) | ((pl.col("rep") != "") & pl.col("rep_pk").is_null())
        problems = joined.filter(bad | ~pl.col("first"))
        if problems.height or errors:
            self._report(problems, errors)
        return joined.filter(~bad & pl.col("first")).select(
            pl.col("order_id").alias("external_id"),
            pl.col("account_pk").alias("account_id"),
            "order_date",
            "amount",
            "gross_profit",
            "product_line",
            pl.col("rep_pk").alias("rep_id"),
            "kind",
        )

    def _report(self, problems: pl.DataFrame, parsing: list[RowError]) -> None:
        """The errors of a block in line order (a row's own in the order they are found)."""
        errors: list[RowError] = []
        for line, order_id, account, rep, account_pk, rep_pk, first in problems.select(
            "line", "order_id", "account", "rep", "account_pk", "rep_pk", "first"
        ).iter_rows():
            if account_pk is None:
                errors.append(RowError(line, "account_id", f"unknown account {account!r}"))
            if rep and rep_pk is None:
                errors.append(RowError(line, "rep_id", f"unknown rep {rep!r}"))
            if not first:
                errors.append(RowError(line, "order_id", f"{order_id!r} appears twice in the file"))
        for _, row in groupby(sorted(parsing + errors, key=lambda e: e.line), key=lambda e: e.line):
            self.report.add(list(row))  # as the rows are read: the import may stop at a row


def checked_rows(
    batch: Iterable[tuple[int, dict[str, str]]], budget: int = 0
) -> tuple[pl.DataFrame, list[RowError]]:
    """The rows that parse (fast path, else the general parser) as a CHECKED frame, and the
    others' errors; with a `budget`, no row after the one whose errors reach it."""
    found: list[tuple[Any, ...]] = []
    errors: list[RowError] = []
    for line, raw in batch:
        if budget and len(errors) >= budget:
            break
        fields = fast_order(raw) or _general(line, raw, errors)
        if fields is not None:
            order_id, account, day, cents, gp, product_line, rep, kind = fields
            found.append((line, order_id, account, day.isoformat(), cents, gp, product_line, rep, kind))
    return pl.DataFrame(found, schema=vector.CHECKED, orient="row"), errors


def _general(line: int, raw: dict[str, str], errors: list[RowError]) -> tuple[Any, ...] | None:
    """The general parser: the same values as `fast_order`, or the row's errors."""
    values, found = parse_file_row(SPECS["orders"], line, raw)
    if found:
        errors.extend(found)
        return None
    v = values
    return (
        v["order_id"],
        v["account_id"],
        v["order_date"],
        _cents(v["amount"]),
        _cents(v["gross_profit"]),
        v["product_line"] or "",
        v["rep_id"] or "",
        v["kind"],
    )


def _cents(value: Any) -> int | None:
    return None if value is None else int(value * 100)


def run_import(rows: Rows, report: ImportReport, *, path: Path | None, limits: Limits) -> None:
    """Check and write every line of the file (see the module's doc), then bring the rollups
    of the accounts whose lines changed up to date (at once, or by a queued job after a large
    import: retention.services.revenue_rollup_after_import)."""
    importer = OrderImporter(report, limits)
    touched = importer.run(rows, path)
    if report.ok and touched:
        revenue_rollup_after_import(account_ids=touched, since=importer.since)
