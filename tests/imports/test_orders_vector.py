"""The orders import's column reader (services/orders_vector.py): which files it reads, that
the rows it checks as vectors get exactly the row parsers' values, and that a file gives the
same report whether it is read as columns or row by row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookwise.imports import fastpath, parsers
from bookwise.imports.reading import Limits
from bookwise.imports.services import orders_vector as vector
from tests.properties import examples

from .helpers import line_structures, messages, plain_indexes, run
from .test_import_behaviour import ACCOUNTS, people  # noqa: F401 - the fixture

HEADER = "order_id,account_id,order_date,amount,gross_profit,product_line,rep_id,kind"
COLUMNS = HEADER.split(",")


def _plain(tmp_path: Path, data: bytes) -> bool:
    path = tmp_path / "orders.csv"
    path.write_bytes(data)
    lines = vector.plain_lines(path, Limits(), len(COLUMNS))
    if lines is not None:  # a plain file's lines are counted on the way, the last one unended too
        assert lines == len(data.rstrip(b"\n").split(b"\n"))
    return lines is not None


@pytest.mark.parametrize(
    ("body", "plain"),
    [
        (b"O1,A1,2026-01-05,10,,,,\n", True),
        (b"O1,A1,2026-01-05,10,,,,\r\nO2,A1,2026-01-05,10,,,,\r\n", True),  # Windows line ends
        (b"O1,A1,2026-01-05,10,,\xc3\xa9t\xc3\xa9,,\n", True),  # UTF-8 text
        (b'O1,A1,2026-01-05,10,,"Pumps, large",,\n', False),  # a quoted cell: read row by row
        (b"O1,A1,2026-01-05,10,,a\rb,,\n", False),  # a carriage return inside a line
        (b"O1,A1,2026-01-05,10,,a\x00b,,\n", False),  # a control character
        (b"O1,A1,2026-01-05,10,,\xff,,\n", False),  # not UTF-8
        (b"O1,A1,2026-01-05,10,," + b"P" * 10_001 + b",,\n", False),  # over the cell limit
    ],
)
def test_which_files_are_read_as_columns(tmp_path, body, plain):
    assert _plain(tmp_path, HEADER.encode() + b"\n" + body) is plain


def test_a_plain_files_last_line_counts_without_its_line_end(tmp_path):
    assert _plain(tmp_path, HEADER.encode() + b"\nO1,A1,2026-01-05,10,,,,\nO2,A1,2026-01-05,10,,,,")


@settings(max_examples=examples(300), deadline=None)
@given(
    lines=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30),
    ended=st.booleans(),
    longest=st.integers(min_value=1, max_value=30),
)
def test_the_line_length_check_measures_every_line_exactly(lines, ended, longest):
    """The windowed check of `_lines_within` says what measuring each line says."""
    data = b"\n".join(b"x" * n for n in lines) + (b"\n" if ended else b"")
    assert vector._lines_within(data, longest) is (max(lines) <= longest)


_cells = st.one_of(
    st.sampled_from(["", " ", "0", "-0", "-0.5", "12.", "+5", "1e3", "0000-01-01", "2024-02-30", "x" * 70]),
    st.from_regex(r"-?\d{1,16}(\.\d{0,3})?", fullmatch=True),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    # what a plain file may hold (no control character but tab, no double quote); `'` and
    # non-ASCII text go to the row path
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters=',"') | st.just("\t"),
        max_size=8,
    ),
)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "order_id": st.one_of(st.from_regex(r"[A-Z]\d{1,5}", fullmatch=True), _cells),
            "account_id": st.one_of(st.from_regex(r"A\d{1,3}", fullmatch=True), _cells),
            "order_date": st.one_of(st.dates().map(date.isoformat), _cells),
            "amount": st.one_of(st.from_regex(r"\s?-?\d{1,15}(\.\d{1,2})?\s?", fullmatch=True), _cells),
            "gross_profit": st.one_of(st.just(""), _cells),
            "product_line": st.one_of(st.just("Pumps"), _cells, st.just("y" * 121)),
            "rep_id": st.one_of(st.just(""), _cells),
            "kind": st.sampled_from([*parsers.ORDER_KINDS, "", " new ", "upsell", "\trepeat"]),
        }
    )
)
def test_a_row_checked_as_a_vector_has_the_fast_paths_values(raw):
    """Each row is either checked as a vector, with exactly `fast_order`'s values (which
    equal the general parser's: test_parsers), or handed to the row path unchanged."""
    cells = [raw[c] for c in COLUMNS]
    if any(("," in c or "\n" in c) for c in cells):
        return
    block = vector.read_block((",".join(cells) + "\n").encode(), COLUMNS, 7)
    fast = fastpath.fast_order(raw)
    if block.checked.height:
        assert fast is not None
        line, order_id, account, day, cents, gp, product_line, rep, kind = block.checked.row(0)
        assert line == 7 and not block.others
        assert (order_id, account, date.fromisoformat(day), cents, gp, product_line, rep, kind) == fast
    elif any(c.strip() for c in cells):
        assert block.others == [(7, cells)]  # as the csv module splits it


def test_a_long_file_is_read_in_blocks_with_exact_line_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(vector, "BLOCK", 64)  # a few lines per block
    lines = [f"O{i},A1,2026-01-{1 + i % 28:02d},{i}.5,,,," for i in range(40)]
    lines[17] = "O17,A1,2026-02-30,1,,,,"  # no such day
    lines[33] = ""  # a blank line is skipped, and counted
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    header, offset = vector.header_of(path, parsers.SPECS["orders"])
    blocks = list(vector.blocks(path, header, offset))
    assert len(blocks) > 5
    checked = [row[0] for b in blocks for row in b.checked.iter_rows()]
    others = [line for b in blocks for line, _ in b.others]
    assert others == [19]  # line 1 is the header
    assert sorted(checked + others) == [n + 2 for n in range(40) if n != 33]


BAD = f"""{HEADER}
O1,A1,2026-01-05,10.00,,Pumps,R1,new
O2,A9,2026-01-05,10.00,,Pumps,,new
O3,A1,2026-01-05,ten,,Pumps,,new
O1,A1,2026-01-06,5,,,,
O4,A1,2026-01-05,1,,Pumps,R9,upsell
O5,A1,2026-01-05,1,,Pumps,R9,
,,,,,,,
O6, A1 ,2026-01-05,1,,'=Pumps,,
"""


def test_a_file_gives_the_same_report_read_as_columns_or_row_by_row(people, tmp_path):  # noqa: F811
    run(tmp_path, "accounts", ACCOUNTS)
    as_columns = run(tmp_path, "orders", BAD)
    row_by_row = run(tmp_path, "orders", BAD.replace("Pumps,R1", '"Pumps",R1'))  # a quote: row by row
    assert messages(as_columns) == messages(row_by_row)
    assert messages(as_columns) == [
        "orders.csv:3: account_id: unknown account 'A9'",
        "orders.csv:4: amount: 'ten' is not a decimal amount (use 1234.56)",
        "orders.csv:5: order_id: 'O1' appears twice in the file",
        "orders.csv:6: kind: 'upsell' is not one of new, repeat, contract_release",
        "orders.csv:7: rep_id: unknown rep 'R9'",
    ]


def test_a_large_first_load_rebuilds_the_keys_and_defers_the_indexes_on_either_database(
    people,  # noqa: F811 - the fixture
    tmp_path,
    settings,
):
    from bookwise.accounts import bulk_indexes
    from bookwise.accounts.models import OrderLine

    run(tmp_path, "accounts", ACCOUNTS)
    settings.BOOKWISE = {**settings.BOOKWISE, "import_bulk_min_lines": 1}
    before = line_structures()
    plain = plain_indexes(before)
    good = "\n".join(BAD.splitlines()[:2]) + "\nO2,A2,2026-02-01,-3.5,,,,\n"
    report = run(tmp_path, "orders", good)
    assert report.ok and report.created == 2, messages(report)
    assert line_structures() == {name: s for name, s in before.items() if name not in plain}
    assert len(plain) == 3 and set(bulk_indexes.pending(OrderLine._meta.db_table)) == plain
    bulk_indexes.build_deferred()
    assert line_structures() == before and bulk_indexes.pending(OrderLine._meta.db_table) == []
    assert sorted(OrderLine.objects.values_list("external_id", flat=True)) == ["O1", "O2"]
    assert not run(tmp_path, "orders", BAD.replace("O1,", "O7,")).ok  # nothing more: all or nothing
    assert OrderLine.objects.count() == 2 and line_structures() == before


def test_a_header_written_otherwise_is_read_as_columns_too(people, tmp_path):  # noqa: F811
    run(tmp_path, "accounts", ACCOUNTS)
    header = "Order ID,Account-ID,ORDER DATE,Amount,Gross Profit,Product Line,Rep ID,Kind"
    path = tmp_path / "orders.csv"
    path.write_text(header + "\nO1,A1,2026-01-05,10.00,,Pumps,R1,new\n")
    assert vector.header_of(path, parsers.SPECS["orders"])[0] == COLUMNS
    report = run(tmp_path, "orders", path.read_text())
    assert report.ok and report.created == 1, messages(report)
