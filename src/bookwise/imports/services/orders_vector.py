"""Reading a plain orders CSV as columns (polars), not row by row.

A file is *plain* when the bytes say the row reader could only ever split it on commas: no
double quote, no control character, `\\r` only before `\\n`, valid UTF-8, every line short
enough for the row reader's limits and no more lines than the row limit. `plain_lines` checks
that in one pass and counts the lines on the way (numpy over blocks of the file, a few tens of
milliseconds per million lines); any other file is read by `reading.read_rows` as before.

A plain file is read in blocks of whole lines, each line one string (line numbers are exact:
polars keeps blank lines as nulls). A row is checked as a vector when it is ASCII, has
exactly the header's cells, holds no `'` (the formula quote `reading` takes off) and passes
the same checks as `fastpath.fast_order`, which it then equals (a Hypothesis property in
tests/imports/test_orders_vector.py). Every other row goes back to the row path as the cells
the row reader would have given (a split on commas), so its values and errors are exactly
those of the row path."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from bookwise.imports.parsers import ORDER_KINDS, SPECS, check_header
from bookwise.imports.reading import Limits, canonical_header

BLOCK = 4 * 1024 * 1024  # bytes of whole lines read at once (about 58,000 order lines)
SCAN = 1024 * 1024  # bytes checked at once by `plain_lines` (a huge line is refused early)
_BAD = {*range(0, 9), 11, 12, *range(14, 32), 127, ord('"')}  # bytes a plain file does not hold
_GOOD = bytes(b for b in range(256) if b not in _BAD)  # deleted by bytes.translate: the bad are left
MONEY = r"^-?[0-9]{1,14}(\.[0-9]{1,2})?$"
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SPACE = " \t"
# The columns of a checked frame, as `orders_staged.COLUMNS` but with external ids
CHECKED = {
    "line": pl.Int64,
    "order_id": pl.String,
    "account": pl.String,
    "order_date": pl.String,  # ISO, checked
    "amount": pl.Int64,  # cents
    "gross_profit": pl.Int64,
    "product_line": pl.String,
    "rep": pl.String,  # "" = none
    "kind": pl.String,
}


@dataclass
class Block:
    """One block of a plain file: the rows checked as vectors (CHECKED columns) and the
    others as (line, cells) for the row path, both in line order."""

    checked: pl.DataFrame
    others: list[tuple[int, list[str]]]


def plain_lines(path: Path, limits: Limits, columns: int) -> int | None:
    """The file's lines when it can be read as columns (see the module's doc), else None."""
    if path.suffix.lower() == ".xlsx":
        return None
    longest = min(limits.cell_chars, (limits.cell_chars * 4 + 3) * (columns + 1))
    lines, tail = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(SCAN):
            data = tail + block
            cut = data.rfind(b"\n") + 1
            whole, tail = data[:cut], data[cut:]
            if not _plain_bytes(whole, longest):
                return None
            lines += whole.count(b"\n")
            if len(tail) > longest:
                return None
    lines += bool(tail)
    return lines if _plain_bytes(tail, longest) and lines <= limits.rows + 1 else None


def _plain_bytes(data: bytes, longest: int) -> bool:
    if not data:
        return True
    if data.translate(None, _GOOD) or data.count(b"\r") != data.count(b"\r\n"):
        return False
    if not _lines_within(data, longest):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _lines_within(data: bytes, longest: int) -> bool:
    """Whether no line of `data` is longer than `longest` bytes (its line end not counted).
    When every whole window of half that length holds a line end, none is: a longer line
    would cover a whole window. Otherwise each line is measured."""
    window = max(longest // 2, 1)
    windows = range(0, len(data) - window + 1, window)
    if all(data.find(b"\n", start, start + window) != -1 for start in windows):
        return True
    array = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(array == 10)
    starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else np.array([0])
    stops = ends if len(ends) else np.array([len(data)])
    if len(ends) and ends[-1] != len(data) - 1:
        starts, stops = np.append(starts, ends[-1] + 1), np.append(stops, len(data))
    return int((stops - starts).max()) <= longest


def header_of(path: Path, spec: object) -> tuple[list[str], int]:
    """The checked header (as `reading.read_rows` checks it: keep the two alike) and the byte
    offset of the first body line."""
    with path.open("rb") as handle:
        first = handle.readline()
    cells = next(csv.reader([first.decode("utf-8-sig")]))
    return check_header(spec, canonical_header(spec, cells)), len(first)  # type: ignore[arg-type]


def blocks(path: Path, header: list[str], offset: int) -> Iterator[Block]:
    """The file's body (from `offset`, line 2) block by block."""
    line = 2
    with path.open("rb") as handle:
        handle.seek(offset)
        tail = b""
        while True:
            block = handle.read(BLOCK)
            data = tail + block
            cut = len(data) if not block else data.rfind(b"\n") + 1
            whole, tail = data[:cut], data[cut:]
            if whole:
                yield read_block(whole, header, line)
                line += whole.count(b"\n") + (0 if whole.endswith(b"\n") else 1)
            if not block:
                return


def read_block(data: bytes, header: list[str], first_line: int) -> Block:
    lines = pl.read_csv(
        data, has_header=False, separator="\x01", quote_char=None, schema={"text": pl.String}
    ).with_row_index("line", offset=first_line)
    lines = lines.with_columns(pl.col("line").cast(pl.Int64))
    width = len(header)
    simple = (
        pl.col("text").is_not_null()
        & (pl.col("text").str.count_matches(",", literal=True) == width - 1)
        & ~pl.col("text").str.contains(r"[^\x00-\x7f']")
    )
    lines = lines.with_columns(simple.fill_null(False).alias("simple"))
    simple_rows = lines.filter(pl.col("simple"))
    cells = simple_rows.select(
        "line",
        "text",
        pl.col("text").str.split_exact(",", width - 1).struct.rename_fields(header).alias("c"),
    ).unnest("c")
    checked, rejected = _check(cells)
    others = lines.filter(~pl.col("simple") & pl.col("text").is_not_null()).select("line", "text")
    rest = sorted((n, t.split(",")) for frame in (others, rejected) for n, t in frame.iter_rows())
    return Block(checked, [(n, c) for n, c in rest if any(x.strip() for x in c)])


def _stripped(name: str, present: set[str]) -> pl.Expr:
    if name not in present:
        return pl.lit("", dtype=pl.String).alias(name)
    return pl.col(name).fill_null("").str.strip_chars(SPACE).alias(name)


def _cents(name: str) -> pl.Expr:
    """Cents of a checked plain amount (MONEY: at most 14 digits and 2 decimals): polars'
    own decimal parsing, whose integer at scale 2 is the cents (a tenth of the CPU of taking
    the digits apart with regular expressions)."""
    return pl.col(name).cast(pl.Decimal(18, 2)).to_physical().cast(pl.Int64)


def _check(cells: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the rows that pass fast_order's checks, typed as CHECKED; the rest as (line, text))."""
    present = set(cells.columns) - {"line", "text"}
    names = list(SPECS["orders"].columns)
    values = cells.select("line", *[_stripped(n, present) for n in names])
    values = values.with_columns(
        pl.when(pl.col("kind") == "").then(pl.lit("repeat")).otherwise(pl.col("kind")).alias("kind")
    )
    n = pl.col
    ok = (
        n("order_id").str.len_bytes().is_between(1, 64)
        & n("account_id").str.len_bytes().is_between(1, 64)
        & (n("rep_id").str.len_bytes() <= 64)
        & (n("product_line").str.len_bytes() <= 120)
        & n("kind").is_in(list(ORDER_KINDS))
        & n("order_date").str.contains(DAY)
        & ~n("order_date").str.starts_with("0000")
        & n("order_date").str.to_date("%Y-%m-%d", strict=False).is_not_null()
        & n("amount").str.contains(MONEY)
        & ((n("gross_profit") == "") | n("gross_profit").str.contains(MONEY))
    )
    flagged = values.with_columns(ok.fill_null(False).alias("ok"), cells["text"])
    good = flagged.filter(n("ok"))
    checked = good.select(
        "line",
        "order_id",
        n("account_id").alias("account"),
        "order_date",
        _cents("amount").alias("amount"),
        pl.when(n("gross_profit") == "").then(None).otherwise(_cents("gross_profit")).alias("gross_profit"),
        "product_line",
        n("rep_id").alias("rep"),
        "kind",
    )
    return checked, flagged.filter(~n("ok")).select("line", "text")
