"""Typed reading of a YAML mapping that collects errors with the file line of the field at fault."""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence

from gdtui.course.exprs import ValueProblem, compile_value, evaluate
from gdtui.course.yamlines import YList, YMap


class Problems:
    """Errors found while reading one block: (line, message) pairs, in the order found."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))

    def __len__(self) -> int:
        return len(self.items)


def type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def constant(raw, value) -> float:
    """A YAML number, or text such as `1e-4`, `-pi/2` or `2/3` read as a constant; raises ValueProblem."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ValueProblem(f"expected a number, got {type_name(value)}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            result = evaluate(compile_value(str(raw if raw is not None else value), (), helpers=False), {})
        except ValueProblem as exc:
            raise ValueProblem(f"expected a number: {exc.message}") from None
        if result.ndim != 0:
            raise ValueProblem("expected one number, got a list")
        number = float(result)
    if not math.isfinite(number):
        raise ValueProblem("expected a finite number")
    return number


class Fields:
    """One YAML mapping, read field by field. `path` prefixes messages: "answer.rtol: …"."""

    def __init__(self, data: YMap, path: str, problems: Problems, line: int | None = None) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.own_line = data.line if line is None else line  # where "missing 'x'" points: the key above

    # -- bookkeeping
    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.data.key_lines:
            return self.data.key_lines[key]
        return self.own_line

    def error(self, key: str | None, message: str) -> None:
        where = f"{self.name(key)}: " if key else (f"{self.path}: " if self.path else "")
        self.problems.add(self.line(key), where + message)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def check_keys(self, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                where = f"{self.path}: " if self.path else ""
                self.problems.add(self.line(key), f"{where}unknown key '{key}' ({hint}expected one of {', '.join(allowed)})")
        for key in required:
            if not self.has(key):
                where = f"{self.path}: " if self.path else ""
                self.problems.add(self.line(), f"{where}missing '{key}'")

    # -- typed getters: on a problem they record it and return None
    def text(self, key: str, *, required: bool = False) -> str | None:
        if not self.has(key):
            if required and key not in self.data:
                self.error(None, f"missing '{key}'")
            elif required:
                self.error(key, "is empty")
            return None
        value = self.data[key]
        if isinstance(value, (list, dict)):
            self.error(key, f"expected text, got {type_name(value)}{_brace_hint(value)}")
            return None
        return value if isinstance(value, str) else str(self.data.raw.get(key) or value)

    def expression(self, key: str, *, required: bool = False) -> str | None:
        """Expression text as written (numbers keep their spelling: 1e-4 stays 1e-4)."""
        if not self.has(key):
            if required:
                self.error(None if key not in self.data else key, f"missing '{key}'" if key not in self.data else "is empty")
            return None
        value = self.data[key]
        if isinstance(value, dict):
            self.error(key, f"expected an expression, got a mapping{_brace_hint(value)}")
            return None
        if isinstance(value, list):
            self.error(key, "expected an expression, got a list")
            return None
        return str(self.data.raw.get(key) if self.data.raw.get(key) is not None else value)

    def number(self, key: str, *, default: float | None = None, integer: bool = False,
               lo: float | None = None, hi: float | None = None, lo_open: bool = False,
               hi_open: bool = False) -> float | None:
        if not self.has(key):
            return default
        try:
            number = constant(self.data.raw.get(key), self.data[key])
        except ValueProblem as exc:
            self.error(key, exc.message)
            return None
        if integer and number != int(number):
            self.error(key, f"expected a whole number, got {self.data.raw.get(key)}")
            return None
        low_bad = lo is not None and (number <= lo if lo_open else number < lo)
        high_bad = hi is not None and (number >= hi if hi_open else number > hi)
        if low_bad or high_bad:
            self.error(key, f"{self.data.raw.get(key)} is out of range ({_interval(lo, hi, lo_open, hi_open)})")
            return None
        return int(number) if integer else number

    def pair(self, key: str, *, required: bool = False) -> tuple[float, float] | None:
        """`[lo, hi]` with lo < hi."""
        if not self.has(key):
            if required:
                self.error(None, f"missing '{key}' (write {key}: [lo, hi])")
            return None
        return read_pair(self.data[key], self.name(key), self.line(key), self.problems)

    def text_list(self, key: str) -> tuple[str, ...] | None:
        """A list of texts; a single text is a list of one."""
        if not self.has(key):
            return ()
        value = self.data[key]
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            self.error(key, f"expected a list, got {type_name(value)}")
            return None
        out = []
        for i, item in enumerate(value):
            if isinstance(item, (list, dict)) or item is None:
                self.problems.add(value.item_lines[i], f"{self.name(key)}[{i + 1}]: expected text, got {type_name(item)}")
                return None
            out.append(item if isinstance(item, str) else str(value.raw[i]))
        return tuple(out)

    def mapping(self, key: str, *, required: bool = False) -> Fields | None:
        if not self.has(key):
            if required:
                self.error(None, f"missing '{key}'")
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.error(key, f"expected a mapping (key: value lines), got {type_name(value)}")
            return None
        return Fields(value, self.name(key), self.problems, line=self.line(key))

    def items(self, key: str) -> YList | None:
        """A list (items keep their lines); a missing key is an empty list."""
        if not self.has(key):
            return YList(self.line(key))
        value = self.data[key]
        if not isinstance(value, list):
            self.error(key, f"expected a list, got {type_name(value)}")
            return None
        return value


def read_numbers(items, name: str, problems: Problems, *, numbered: bool = True) -> tuple[float, ...] | None:
    """The numbers of a YAML list, each read as a constant expression; an error names the item's own line."""
    numbers = []
    for i, item in enumerate(items):
        try:
            numbers.append(constant(items.raw[i], item))
        except ValueProblem as exc:
            problems.add(items.item_lines[i], f"{name}{f'[{i + 1}]' if numbered else ''}: {exc.message}")
            return None
    return tuple(numbers)


def read_pair(value, name: str, line: int, problems: Problems) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2:
        problems.add(line, f"{name}: expected [lo, hi], got {type_name(value) if not isinstance(value, list) else f'{len(value)} values'}")
        return None
    numbers = read_numbers(value, name, problems, numbered=False)
    if numbers is None:
        return None
    lo, hi = numbers
    if not lo < hi:
        problems.add(line, f"{name}: the range [{value.raw[0]}, {value.raw[1]}] is reversed or empty (write [lo, hi] with lo < hi)")
        return None
    return lo, hi


def _interval(lo, hi, lo_open, hi_open) -> str:
    if lo is not None and hi is not None:
        return f"must be in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
    if lo is not None:
        return f"must be {'>' if lo_open else '≥'} {lo:g}"
    return f"must be {'<' if hi_open else '≤'} {hi:g}"


def _brace_hint(value) -> str:
    if isinstance(value, dict):
        return "; put quotes around text that starts with '{'"
    return ""
