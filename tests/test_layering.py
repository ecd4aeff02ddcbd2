"""One-way imports between the project's packages, read from the source with ``ast``.

- ``workbooks/`` and ``udfs/`` import nothing from ``macros/`` or ``addin/``;
- ``macros/`` imports nothing from ``addin/``;
- ``xlwings`` is imported only in ``udfs/excel.py`` and under ``addin/``.

Every import counts, including those inside functions (deferred imports are still edges).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("workbooks", "udfs", "macros", "addin")
FORBIDDEN = {"workbooks": {"macros", "addin"}, "udfs": {"macros", "addin"}, "macros": {"addin"}, "addin": set()}
XLWINGS_ALLOWED = {"udfs/excel.py"}


@cache
def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Return (line, top-level module) for every import in ``path``; a relative import counts as the
    file's own package."""
    return parse_imports(path.read_text(encoding="utf-8"), path.relative_to(ROOT).parts[0])


def parse_imports(text: str, own: str) -> list[tuple[int, str]]:
    tree = ast.parse(text)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, own if node.level else (node.module or "").split(".")[0]))
    return found


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "static" not in p.parts)


def test_the_parser_sees_every_kind_of_import():
    text = "import a.b, g\nfrom c.d import e\nfrom . import h\ndef f():\n    import addin.cli\n    from xlwings import x\n"
    assert sorted(parse_imports(text, "macros")) == [(1, "a"), (1, "g"), (2, "c"), (3, "macros"), (5, "addin"),
                                                      (6, "xlwings")]


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package):
    bad = [f"{p.relative_to(ROOT)}:{line} imports {mod}"
           for p in sources(package) for line, mod in imported_modules(p) if mod in FORBIDDEN[package]]
    assert bad == []


def test_xlwings_only_in_the_excel_adapters():
    bad = [f"{p.relative_to(ROOT)}:{line}"
           for package in PACKAGES if package != "addin" for p in sources(package)
           for line, mod in imported_modules(p)
           if mod == "xlwings" and p.relative_to(ROOT).as_posix() not in XLWINGS_ALLOWED]
    assert bad == []
    assert any(mod == "xlwings" for _, mod in imported_modules(ROOT / "udfs" / "excel.py"))


def test_the_command_line_is_a_front_end():
    assert not (ROOT / "macros" / "cli.py").exists()
    assert ("addin" in {m for _, m in imported_modules(ROOT / "addin" / "cli.py")})
