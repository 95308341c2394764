"""The engine and the course model stay importable without any UI library; charts without Textual; the
store without Textual or the course (each checked in a fresh interpreter)."""

import subprocess
import sys

import pytest

UI_LIBRARIES = ("textual", "rich", "plotext")
FORBIDDEN = {
    "gdtui.engine": UI_LIBRARIES,
    "gdtui.course": UI_LIBRARIES,
    "gdtui.charts": ("textual",),  # charts are rich Text: any front end can show them
    "gdtui.store": ("textual", "gdtui.course"),  # ids and answers, no lesson types
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_core_packages_load_without_what_sits_above_them(package):
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        f"print(','.join(m for m in {FORBIDDEN[package]!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{package} pulled in {result.stdout.strip()}"


def test_every_declared_dependency_is_imported_somewhere():
    """A dependency in pyproject.toml that no module imports is weight every install carries for nothing."""
    import ast
    import re
    from pathlib import Path

    import gdtui

    root = Path(gdtui.__file__).parent
    text = (root.parent / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)[1]
    declared = {re.match(r"[A-Za-z0-9_.-]+", d)[0] for d in re.findall(r'"([^"]+)"', block)}
    import_names = {"PyYAML": "yaml", "textual-serve": "textual_serve"}
    # declared ahead of the code that will use it (named, so the list cannot grow unnoticed)
    pending: dict[str, str] = {}
    imported = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    assert "numpy" in imported and "textual" in declared  # the scan and the parse see something
    unused = {d for d in declared if import_names.get(d, d) not in imported and d not in pending}
    assert unused == set()
    assert set(pending) <= declared


def test_no_eval_or_exec_in_source():
    """Nothing typed by a learner or written in a lesson may reach eval/exec; keep them out of the code."""
    import ast
    from pathlib import Path

    import gdtui

    offenders = []
    for path in Path(gdtui.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in {"eval", "exec", "compile", "__import__"}:
                    offenders.append(f"{path.name}:{node.lineno}: {node.func.id}")
            if isinstance(node, ast.Attribute) and node.attr in {"sympify", "parse_expr", "evaluate"}:
                if isinstance(node.value, ast.Name) and node.value.id in {"sympy", "numexpr", "ne"}:
                    offenders.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert offenders == []
