"""Numbers as a learner reads them: few digits, a real minus sign, superscript powers of ten."""

from __future__ import annotations

import math
import re
from typing import Any

from rich.cells import cell_len

from gdtui.engine.expr import times_ten

MINUS = "\u2212"
_SUP = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_SUB = str.maketrans("0123456789-+k", "₀₁₂₃₄₅₆₇₈₉₋₊ₖ")


def num(value: float, digits: int = 4) -> str:
    """``14.7456 -> '14.75'``, ``-0.25 -> '−0.25'``, ``1e-9 -> '1×10⁻⁹'``, ``inf -> '∞'``; it reads back as typed."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "undefined"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    if v == 0:
        return "0"
    return times_ten(f"{v:.{digits}g}").replace("-", MINUS)


def value(v: Any) -> str:
    """A plot value as a control line shows it: text as it is, a whole number in full (``10000``, not
    ``1e4``), any other number as ``num`` writes it; ``—`` for none."""
    if v is None or isinstance(v, str):
        return "—" if v is None else v
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isfinite(x) and x == int(x) and abs(x) < 1e6:
        return str(int(x)).replace("-", MINUS)
    return num(x)


def sub(text: str | int) -> str:
    """Subscript digits and k: ``sub(2) -> '₂'``."""
    return str(text).translate(_SUB)


def sup(text: str | int) -> str:
    return str(text).translate(_SUP)


def power_of_ten(exponent: int) -> str:
    return "1" if exponent == 0 else "10" + sup(exponent)


def tick(value: float, step: float) -> str:
    """A tick label with just enough decimals for the tick spacing."""
    if value == 0 or abs(value) < step * 1e-9:
        return "0"
    mag = max(abs(value), step)
    if mag >= 1e5 or step < 1e-4:
        return num(value, 3)
    decimals = max(0, -int(math.floor(math.log10(step) + 1e-9)))
    while decimals < 12 and abs(round(step, decimals) - step) > step * 1e-6:
        decimals += 1  # a step of 2.5 needs one decimal more than its magnitude says
    return f"{value:.{decimals}f}".replace("-", MINUS)


def line_equation(slope: float, intercept: float) -> str:
    """``y = 1·x − 0.25`` (the intercept's sign becomes the operator)."""
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        return "y undefined"
    text = f"y = {num(slope)}·x"
    if intercept != 0:
        op = "−" if intercept < 0 else "+"
        text += f" {op} {num(abs(intercept))}"
    return text


def clip_words(text: str, room: int) -> str:
    """``text`` if it fits in ``room`` terminal cells, else its words that fit followed by ``…``.

    Cells, not characters: a Chinese character takes two. A cut falls at a space, or beside a wide
    character (Chinese has no spaces between words), never inside a run of digits: a number is shown
    whole or not at all."""
    if cell_len(text) <= room:
        return text
    if room <= 1:
        return "…"[:max(room, 0)]
    cut = fit_cells(text, room - 1)
    breaks = [i for i in range(1, len(cut) + 1)  # before a space inside the cut, or beside a wide character
              if (i < len(cut) and text[i] == " ") or cell_len(text[i - 1]) > 1 or cell_len(text[i]) > 1]
    if breaks:
        cut = cut[:breaks[-1]]
    elif any(ch.isdigit() for ch in text.split(" ")[0]):
        return "…"  # a number is never cut: all of it or none
    return cut.rstrip(" :,;=(：，；（") + "…"


def fit_cells(text: str, room: int) -> str:
    """The longest start of ``text`` that takes at most ``room`` terminal cells."""
    used = 0
    for i, ch in enumerate(text):
        used += cell_len(ch)
        if used > room:
            return text[:i]
    return text




NO_LINE_START = set("，。、；：？！）」』】》〉”’…—·,.;:!?)]}")  # Chinese typesetting: never first on a line
NO_LINE_END = set("（「『【《〈“‘([{")  # nor last


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells, broken at spaces or beside a wide character
    (Chinese has no spaces between words), never inside a run of Latin letters or digits unless it is
    longer than a line; a closing mark (，。）) never starts a line and an opening one (（“) never ends one."""
    width = max(width, 2)
    lines: list[str] = []
    line, space = "", False
    for unit in re.findall(r" +|[^ \u1100-\uffff]+|.", text):
        if unit.startswith(" "):
            space = bool(line)
            continue
        joined = line + (" " if space else "") + unit
        space = False
        if cell_len(joined) <= width:
            line = joined
            continue
        kept, carry = line, unit
        while carry[0] in NO_LINE_START and line.strip():  # take the word before a closing mark down with it
            last = re.search(r"(?:[^ \u1100-\uffff]+|.)$", line.rstrip())
            line, carry = line.rstrip()[:last.start()], last.group(0) + carry
        while line and line[-1] in NO_LINE_END:
            line, carry = line[:-1], line[-1] + carry
        if not line.strip():  # nothing left to break before: break where the line is full after all
            line, carry = kept, unit
        if line.strip():
            lines.append(line.rstrip())
        line = carry
        while cell_len(line) > width:  # a word longer than a whole line: cut it by cells
            head = fit_cells(line, width)
            lines.append(head)
            line = line[len(head):]
    lines.append(line.rstrip())
    return [ln for ln in lines if ln] or [""]
