"""How the tutor read what a learner typed, in its own notation (use gdtui.engine.expr.read_back).

The read-back shows the input as typed, not simplified, in the notation of the screens (so it can be
typed again): `-4 - 0.2*(-6)` reads back "−4 − 0.2·(−6) = −2.8", `3x² sin x` "3·x²·sin(x)", `(0 -4)`
"0 − 4 = −4" with a note that the space did not make two values. An error keeps its ExprError: a plain
message and the 1-based column of the character typed; `caret_offset` turns that column into the
number of terminal cells to put before a caret (full-width characters take two cells).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from gdtui.engine.expr.evaluate import compile_tree
from gdtui.engine.expr.parse import check_names, read
from gdtui.engine.expr.text import format_number, to_unicode
from gdtui.i18n import _

_MINUS = "\u2212"
_SPACED_SIGN = re.compile(r"(\d)(\s+)([-\u2212]\d)")  # "0 -4": a space before the sign, none after


@dataclass(frozen=True)
class ReadBack:
    """`text`: the input as read, with its value when it is a number ("−4 − 0.2·(−6) = −2.8");
    `note`: a likely slip worth a word, or None."""

    text: str
    note: str | None = None


def read_back(
    text: str, variables: Sequence[str] = (), *, functions: Mapping[str, Callable] | None = None
) -> ReadBack:
    """How `text` was read; raises ExprError (message, column) when it cannot be read."""
    names, table = check_names(variables, functions)
    simplified, _ = read(text, names, table)
    roots, vector = read(text, names, table, as_typed=True)
    shown = ", ".join(to_unicode(r) for r in roots)
    shown = f"({shown})" if vector else shown
    if not any(r.names for r in simplified):  # a number (or a vector of numbers): show its value too
        with np.errstate(all="ignore"):
            value = np.array([float(compile_tree(r, names)(())) for r in simplified])
        if np.all(np.isfinite(value)):
            numbers = ", ".join(number_for_screen(float(v)) for v in value)
            numbers = f"({numbers})" if vector else numbers
            if numbers.replace(" ", "") != shown.replace(" ", ""):
                shown = f"{shown} = {numbers}"
    return ReadBack(shown, None if vector else _spaced_sign_note(text))


def number_for_screen(v: float) -> str:
    """A number as the tutor shows it: 10 significant digits, − for minus, 9.54×10⁻⁷; it reads back."""
    if not math.isfinite(v):
        return _("undefined") if math.isnan(v) else ("∞" if v > 0 else _MINUS + "∞")
    return format_number(v).replace("-", _MINUS)


def _spaced_sign_note(text: str) -> str | None:
    found = _SPACED_SIGN.search(text)
    if found is None:
        return None
    typed = found.group(0)
    pair = f"{found.group(1)}, {found.group(3)}".replace("-", _MINUS)
    said = _("“{typed}” was read as a subtraction; for two values put a comma between them: {pair}")
    return said.format(typed=typed, pair=pair)


def caret_offset(text: str, column: int | None) -> int | None:
    """Terminal cells before the character at 1-based `column` of `text` (a full-width character is two)."""
    if column is None:
        return None
    return sum(_cells(ch) for ch in text[: max(column - 1, 0)]) + max(column - 1 - len(text), 0)


def _cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
