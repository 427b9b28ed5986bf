"""The code's shape (issue 12): no file in src/bookwise over 400 lines and no function over
40 lines (from its `def` line to its last line, as the ast counts them; migrations excluded).
A failure names every file and function over the limit."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import bookwise

ROOT = Path(bookwise.__file__).resolve().parent
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 40


def _sources() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def _long_functions(path: Path, text: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.name} is {length} lines"


def test_sources_are_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in _sources()}
    assert "transfers/services.py" in names
    assert not any("/migrations/" in name for name in names)


def test_no_file_over_400_lines() -> None:
    too_long = []
    for path in _sources():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_FILE_LINES:
            too_long.append(f"{path.relative_to(ROOT.parent)} is {count} lines")
    assert not too_long, f"Files over {MAX_FILE_LINES} lines:\n" + "\n".join(too_long)


def test_no_function_over_40_lines() -> None:
    too_long = [
        line for path in _sources() for line in _long_functions(path, path.read_text(encoding="utf-8"))
    ]
    assert not too_long, f"Functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(too_long)


def test_the_check_sees_a_long_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(40))
    found = list(_long_functions(ROOT / "example.py", f"def long():\n{body}\n"))
    assert found == ["bookwise/example.py:1 long is 41 lines"]
