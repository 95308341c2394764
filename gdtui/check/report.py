"""The problems `gdtui check` found, kept once each, and printed as text, JSON lines or GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path

from gdtui.check.codes import code_of
from gdtui.course.model import CourseError

FORMATS = ("text", "json", "github")


class Report:
    """Problems found, each kept once: the same problem in many variants is one line, with a count."""

    def __init__(self) -> None:
        self.problems: list[CourseError] = []
        self._seen: dict[tuple, int] = {}
        self._repeats: dict[int, int] = {}

    def add(self, path: Path, line: int, message: str, severity: str = "error", key=None,
            column: int | None = None) -> None:
        key = (str(path), line, severity, key if key is not None else message)
        if key in self._seen:
            index = self._seen[key]
            self._repeats[index] = self._repeats.get(index, 0) + 1
            return
        self._seen[key] = len(self.problems)
        self.problems.append(CourseError(path, line, message, severity, column))

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    def entries(self) -> list[tuple[CourseError, str, str]]:
        """(problem, code, message with its repeat count), in file and line order."""
        order = sorted(range(len(self.problems)), key=lambda i: (str(self.problems[i].path), self.problems[i].line))
        out = []
        for i in order:
            p = self.problems[i]
            more = self._repeats.get(i, 0)
            suffix = f" (and in {more} more variant{'s' if more != 1 else ''})" if more else ""
            out.append((p, code_of(p.message, p.severity), p.message + suffix))
        return out

    def lines(self, fmt: str = "text") -> list[str]:
        return [_FORMATTERS[fmt](p, code, message) for p, code, message in self.entries()]


def _text(p: CourseError, code: str, message: str) -> str:
    where = f"{p.path}:{p.line}" if p.line > 0 else f"{p.path}"
    return f"{where}: {p.severity}: {message}"


def _json(p: CourseError, code: str, message: str) -> str:
    return json.dumps({"path": str(p.path), "line": p.line if p.line > 0 else None, "column": p.column,
                       "severity": p.severity, "code": code, "message": message}, ensure_ascii=False)


def _github(p: CourseError, code: str, message: str) -> str:
    """A workflow command: `::error file=F,line=L,col=C,title=E123::message`, escaped as GitHub documents."""
    props = [f"file={_property(str(p.path))}"]
    if p.line > 0:
        props.append(f"line={p.line}")
    if p.column:
        props.append(f"col={p.column}")
    props.append(f"title={code}")
    return f"::{p.severity} {','.join(props)}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


_FORMATTERS = {"text": _text, "json": _json, "github": _github}
