"""No module in src/ is there only for the tests: each is imported by another module of
src/, named in a setting or a URL configuration (a dotted string), or found by Django's own
conventions (apps, models, admin, management commands, template tags, migrations)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bookwise

SRC = Path(bookwise.__file__).resolve().parent
FOUND_BY_DJANGO = {"apps", "models", "admin", "migrations", "management", "templatetags", "wsgi"}
# the settings pytest runs with (pyproject's DJANGO_SETTINGS_MODULE): configuration, not code
CONFIGURATION = {"bookwise.config.test_settings"}


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_every_module_in_src_is_used_by_src() -> None:
    files = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
    used: set[str] = set()
    for path in files:
        used |= _imported(path)
        used |= set(re.findall(r"[\"'](bookwise(?:\.\w+)+)", path.read_text()))
    used |= {name.rpartition(".")[0] for name in used}  # a dotted setting names a module's member
    used |= {f"{name}.base" for name in used}  # a database ENGINE names the package of a `base`
    unused = sorted(
        name
        for name in map(_name, files)
        if name not in used
        and name.count(".") > 0
        and not FOUND_BY_DJANGO & set(name.split(".")[1:])
        and name not in CONFIGURATION
    )
    assert unused == [], f"modules of src that nothing in src uses (tests only?): {unused}"
