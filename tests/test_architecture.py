"""The map in docs/architecture.md is the code's: every import under gdtui/ goes to a folder the map allows,
no two modules import each other in a loop, and textual stays in the folders that draw on a terminal.

A plain AST scan, no imports run: `from X import name` counts as importing the module X.name when there is
one (and X itself too, unless X is a package the importer lives in: Python has that one loaded already).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gdtui"
MAP = ROOT / "docs" / "architecture.md"
# the version, the data locations, the user's settings (theme, chart mode, language), the message catalogue:
# anyone may import them
BASE = {"gdtui", "gdtui.paths", "gdtui.settings", "gdtui.i18n"}
TERMINAL_ONLY = {"textual"}  # third-party packages only these folders may import:
TERMINAL_FOLDERS = {"ui", "serve", "report", "cli"}  # report: its live --watch screen
# What the redesign (issue 12) left to others, named so it cannot grow; part 6 (serve-harden) removed both.
KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_LOOPS: list[set[str]] = []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def folder(module: str) -> str | None:
    """The map's folder of a module: engine, course, … ('cli' for cli.py and __main__.py); None for BASE."""
    if module in BASE:
        return None
    name = module.split(".")[1]
    return "cli" if name == "__main__" else name


def allowed_imports() -> dict[str, set[str]]:
    """The table of docs/architecture.md: folder -> the folders it may import."""
    rows = re.findall(r"^\| `([\w/]+)` \| .* \| ([^|]+) \|$", MAP.read_text(encoding="utf-8"), re.M)
    table = {name.rstrip("/"): {w.strip() for w in may.split(",") if w.strip() not in ("", "—")}
             for name, may in rows}
    assert table, "docs/architecture.md has no map table"
    return table


@cache
def scan() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module -> gdtui modules it imports, module -> third-party top-level packages it imports)."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    inner: dict[str, set[str]] = defaultdict(set)
    outer: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        me = module_name(path)
        package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    (inner[me].add(alias.name) if alias.name in modules else outer[me].add(alias.name.split(".")[0]))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(parts + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if not target.startswith("gdtui"):
                    outer[me].add(target.split(".")[0])
                    continue
                subs = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules}
                inner[me] |= subs
                own_package = me.startswith(target + ".")
                if target in modules and not (own_package and len(subs) == len(node.names)):
                    inner[me].add(target)
        inner[me].discard(me)
    return inner, outer


def loops(graph: dict[str, set[str]]) -> list[set[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                part.add(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(part)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_map_names_every_folder_of_the_package():
    table = allowed_imports()
    inner, _ = scan()
    folders = {folder(m) for m in inner} - {None}
    assert folders <= set(table), f"folders missing from the map in docs/architecture.md: {folders - set(table)}"
    for name, may in table.items():
        assert may <= set(table), f"{name} may import {may - set(table)}, which the map does not name"


def test_every_import_goes_where_the_map_allows():
    table = allowed_imports()
    inner, _ = scan()
    wrong = []
    for module, targets in sorted(inner.items()):
        mine = folder(module)
        for target in sorted(targets):
            theirs = folder(target)
            if theirs is None or theirs == mine or theirs in table.get(mine, set()):
                continue
            if (module, target) not in KNOWN_UPWARD:
                wrong.append(f"{module} imports {target} ({mine}/ may import {', '.join(sorted(table[mine])) or 'nothing'})")
    assert wrong == []


@pytest.mark.parametrize("pair", sorted(KNOWN_UPWARD))
def test_a_known_upward_import_is_still_there_until_it_goes(pair):
    inner, _ = scan()
    module, target = pair
    assert target in inner[module], f"{module} no longer imports {target}: take the pair out of KNOWN_UPWARD"


def test_no_import_loops_between_modules():
    inner, _ = scan()
    found = loops(inner)
    assert [part for part in found if part not in KNOWN_LOOPS] == []


def test_textual_only_where_a_terminal_is_drawn():
    _, outer = scan()
    wrong = sorted(f"{m} imports {p}" for m, packages in outer.items() for p in packages & TERMINAL_ONLY
                   if folder(m) not in TERMINAL_FOLDERS)
    assert wrong == []


def test_the_scan_sees_what_it_should():
    """The scan is not vacuous: it finds the imports a reader can see in the code."""
    inner, outer = scan()
    assert "gdtui.course.runs" in inner["gdtui.charts.data"]
    assert "gdtui.engine.descent" in inner["gdtui.course.runs"]
    assert "gdtui.charts.fmt" in inner["gdtui.charts.canvas"]  # `from . import fmt`
    assert "gdtui.charts" not in inner["gdtui.charts.canvas"]  # … without the package that holds it
    assert "textual" in outer["gdtui.ui.app"] and "numpy" in outer["gdtui.engine.descent"]
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


LONG_KNOWN = {"gdtui/store/sqlite.py"}  # the store's part of the redesign (issue 12, part 5) splits it
MAX_LINES = 400


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) - LONG_KNOWN == set(), long
