"""The engine and the course model must stay importable without any UI library."""

import subprocess
import sys

import pytest

UI_LIBRARIES = ("textual", "rich", "plotext")


@pytest.mark.parametrize("package", ["gdtui.engine", "gdtui.course"])
def test_core_packages_load_no_ui_library(package):
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        f"print(','.join(m for m in {UI_LIBRARIES!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{package} pulled in {result.stdout.strip()}"


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
