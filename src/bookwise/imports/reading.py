"""Reading import files, bounded whatever the file (no Django): `read_rows(path, spec,
limits)` yields (line, {column: text}) for every non-empty row of a CSV or XLSX file in
Bookwise's format (its header matched to the spec's columns by `header_key`: case, spaces
and punctuation do not matter); `read_table(path, limits, sheet)` reads any file, its
header as written (for column mappings, `imports.mapping`).

Every limit is a `Limits` field (the import service fills it from settings.BOOKWISE, see
docs/imports.md); going over one stops the read with a FileError naming the line:
* CSV is read line by line as bytes, at most `line_bytes` a line, and decoded line by line
  (an encoding error names its line and column, not a byte offset);
* an XLSX's declared uncompressed size is checked before it is opened (a zip bomb never
  gets unpacked: Python's zipfile stops at the declared size);
* at most `rows` rows;
* a cell longer than `cell_chars` or holding a control character (NUL and the other C0
  characters but tab and line breaks, and DEL) is an error of that row and column."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from bookwise.core.cells import csv_unquote

from .parsers import FileError, HeaderError, RowError, Rows, Spec, check_header

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_ALNUM = re.compile(r"[\W_]+")
MB = 1024 * 1024
TABLE_COLUMNS = 200  # the widest line a table of unknown width may have, in cells at the limit
HeaderCheck = Callable[[list[str]], list[str]]


def header_key(name: str | None) -> str:
    """A header as compared: case, spaces and punctuation ignored (`Rep ID`, `rep_id`,
    ` REP-ID ` are one column)."""
    return _NOT_ALNUM.sub("", (name or "").casefold())


def canonical_header(spec: Spec, header: list[str]) -> list[str]:
    """The header with every cell that matches a column of the spec by `header_key`
    written as that column; the others as they are (check_header reports them)."""
    names = {header_key(name): name for name in spec.columns}
    return [names.get(header_key(cell), cell) for cell in header]


@dataclass(frozen=True)
class Limits:
    rows: int = 5_000_000
    cell_chars: int = 10_000
    xlsx_uncompressed_bytes: int = 200 * MB

    def line_bytes(self, columns: int) -> int:
        """A CSV line holds at most every column's cell at the limit, quoted, in UTF-8."""
        return (self.cell_chars * 4 + 3) * (columns + 1)


def read_rows(path: str | Path, spec: Spec, limits: Limits | None = None) -> Rows:
    """The rows of a CSV or XLSX file; the header is checked first (HeaderError). LINE
    counts the header as line 1."""
    limits = limits or Limits()

    def check(header: list[str]) -> list[str]:
        return check_header(spec, canonical_header(spec, header))

    return _open(Path(path), check, limits, len(spec.columns), None)[1]


def read_table(
    path: str | Path, limits: Limits | None = None, sheet: str | None = None
) -> tuple[list[str], Rows]:
    """Any CSV or XLSX file (XLSX: the named sheet, else the first): its header as written
    (trimmed; a column named twice is a HeaderError) and its rows by that header."""
    return _open(Path(path), _table_header, limits or Limits(), TABLE_COLUMNS, sheet)


def _table_header(header: list[str]) -> list[str]:
    names = [(h or "").strip() for h in header]
    errors, seen = [], set()
    for index, name in enumerate(names):
        if header_key(name) and header_key(name) in seen:
            errors.append(RowError(1, name, "column appears twice"))
        seen.add(header_key(name))
        names[index] = name or f"(column {index + 1})"
    if errors:
        raise HeaderError(errors)
    return names


def sheet_names(path: str | Path, limits: Limits | None = None) -> list[str]:
    """The sheets of an XLSX workbook, in order."""
    from openpyxl import load_workbook

    check_xlsx_size(Path(path), limits or Limits())
    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _open(
    path: Path, check: HeaderCheck, limits: Limits, columns: int, sheet: str | None
) -> tuple[list[str], Rows]:
    if str(path).lower().endswith(".xlsx"):
        return _xlsx_rows(path, check, limits, sheet)
    return _csv_rows(path, check, limits, columns)


def _lines(handle: BinaryIO, most: int, cell_chars: int) -> Iterator[str]:
    """The file's lines decoded, each at most `most` bytes (FileError naming the line)."""
    number = 0
    while raw := handle.readline(most + 1):
        number += 1
        if len(raw) > most:
            raise FileError(
                RowError(
                    number,
                    "-",
                    f"the line is longer than {most} bytes: a cell holds at most "
                    f"{cell_chars} characters (the import_max_cell_chars setting)",
                )
            )
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            column = len(raw[: error.start].decode("utf-8", "replace")) + 1
            raise FileError(
                RowError(
                    number,
                    "-",
                    f"the file is not UTF-8 text: byte {raw[error.start]:#04x} at "
                    f"character {column} of the line cannot be read ({error.reason})",
                )
            ) from None
        yield text


def _csv_rows(path: Path, check: HeaderCheck, limits: Limits, columns: int) -> tuple[list[str], Rows]:
    handle = path.open("rb")
    try:
        # the csv module's limit is the process's: only ever raised (a cell over the
        # import's own limit is then named with its column by cells_to_row)
        csv.field_size_limit(max(csv.field_size_limit(), limits.cell_chars + 1))
        reader = csv.reader(_lines(handle, limits.line_bytes(columns), limits.cell_chars))
        try:
            header = check(next(reader))
        except StopIteration:
            raise HeaderError([RowError(1, "-", "the file is empty (no header row)")]) from None
    except (HeaderError, FileError, csv.Error):
        handle.close()
        raise
    return header, _csv_body(handle, reader, header, limits)


def _csv_body(handle: Any, reader: Any, header: list[str], limits: Limits) -> Rows:
    with handle:
        start, count = reader.line_num + 1, 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise FileError(RowError(start, "-", _csv_message(error, limits))) from None
            if any(c.strip() for c in cells):
                count += 1
                _check_count(start, count, limits)
                yield start, cells_to_row(start, header, cells, limits)
            start = reader.line_num + 1


def _csv_message(error: csv.Error, limits: Limits) -> str:
    if "field larger than field limit" in str(error):
        return f"a cell is longer than {limits.cell_chars} characters (the import_max_cell_chars setting)"
    return f"the CSV is malformed ({error})"


def _check_count(line: int, count: int, limits: Limits) -> None:
    if count > limits.rows:
        raise FileError(
            RowError(
                line,
                "-",
                f"the file has more than {limits.rows} rows (the import_max_rows "
                "setting); split it into several files",
            )
        )


def cells_to_row(line: int, header: list[str], cells: list[str], limits: Limits) -> dict[str, str]:
    """The row by column name, each cell with the quote of a neutralised formula taken off
    (core.cells.csv_unquote: the exports write `'=x` for `=x`); cells over the length limit
    or with control characters marked for `parsers.shape_errors`. (One join of the cells
    answers the common case, a clean row, at C speed.)"""
    joined = "\n".join(cells)
    if "'" in joined:
        cells = [csv_unquote(c) for c in cells]
    row = dict(zip(header, cells, strict=False))
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        row["\0extra"] = f"{len(cells)} cells but the header has {len(header)} columns"
    too_long = len(joined) > limits.cell_chars and max(map(len, cells)) > limits.cell_chars
    if too_long or _CONTROL.search(joined):
        _mark_bad(row, header, cells, limits)
    return row


def _mark_bad(row: dict[str, str], header: list[str], cells: list[str], limits: Limits) -> None:
    row["\0bad"] = ""
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else f"(column {index + 1})"
        if len(cell) > limits.cell_chars:
            row[f"\0bad:{name}"] = (
                f"longer than {limits.cell_chars} characters ({len(cell)}; the import_max_cell_chars setting)"
            )
        elif found := _CONTROL.search(cell):
            row[f"\0bad:{name}"] = (
                f"holds a control character (U+{ord(found.group()):04X}) at character {found.start() + 1}; "
                "remove it"
            )


def cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV would hold (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def check_xlsx_size(path: Path, limits: Limits) -> None:
    """Refuse an XLSX whose parts unpack to more than the limit, before unpacking any."""
    with zipfile.ZipFile(path) as archive:
        size = sum(info.file_size for info in archive.infolist())
    if size > limits.xlsx_uncompressed_bytes:
        raise FileError(
            RowError(
                0,
                "-",
                f"the XLSX unpacks to {size / MB:,.1f} MB, more than the "
                f"{limits.xlsx_uncompressed_bytes / MB:,.0f} MB allowed (the "
                "import_max_xlsx_uncompressed_mb setting); save it as CSV or split it",
            )
        )


def _xlsx_rows(path: Path, check: HeaderCheck, limits: Limits, name: str | None) -> tuple[list[str], Rows]:
    from openpyxl import load_workbook

    check_xlsx_size(path, limits)
    workbook = load_workbook(path, read_only=True, data_only=True)
    if name is not None and name not in workbook.sheetnames:
        workbook.close()
        raise FileError(
            RowError(0, "-", f"the workbook has no sheet {name!r} ({', '.join(workbook.sheetnames)})")
        )
    sheet = workbook[name] if name is not None else workbook.worksheets[0]
    sheet.reset_dimensions()  # rows as they are, not padded to a declared (hostile) width
    rows = sheet.iter_rows(values_only=True)
    try:
        header = check([cell_text(v) for v in next(rows)])
    except StopIteration:
        workbook.close()
        raise HeaderError([RowError(1, "-", "the sheet is empty (no header row)")]) from None
    except HeaderError:
        workbook.close()
        raise
    return header, _xlsx_body(workbook, rows, header, limits)


def _xlsx_body(workbook: Any, rows: Any, header: list[str], limits: Limits) -> Rows:
    count = 0
    try:
        for index, values in enumerate(rows, start=2):
            cells = [cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                count += 1
                _check_count(index, count, limits)
                yield index, cells_to_row(index, header, cells, limits)
    finally:
        workbook.close()
