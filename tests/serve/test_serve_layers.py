"""The serve package imports nothing above it and has no import loop (TYPE_CHECKING imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVE = Path(__file__).resolve().parents[2] / "gdtui" / "serve"


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def serve_graph() -> dict[str, set[str]]:
    modules = {f"gdtui.serve.{path.stem}": path for path in SERVE.glob("*.py") if path.stem != "__init__"}
    return {name: {other for other in imports_of(path) if other in modules and other != name}
            for name, path in modules.items()}


def test_serve_never_imports_the_command_line():
    for path in SERVE.glob("*.py"):
        assert not any(name == "gdtui.cli" or name.startswith("gdtui.cli.") for name in imports_of(path)), path.name


def test_no_import_loop_inside_serve():
    graph = serve_graph()
    assert "gdtui.serve._gateway" in graph["gdtui.serve._session"]  # sessions get the narrow interface
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            assert state.get(other) != 1, f"import loop: {' -> '.join(trail + [other])}"
            if other not in state:
                visit(other, trail + [other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
