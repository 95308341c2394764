"""Numbers as a learner reads them: few digits, a real minus sign, superscript powers of ten."""

from __future__ import annotations

import math
from typing import Any

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
    """``text`` if it fits in ``room`` cells, else its words that fit followed by ``…``."""
    if len(text) <= room:
        return text
    if room <= 1:
        return "…"[:max(room, 0)]
    cut = text[:room - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    elif any(ch.isdigit() for ch in text.split(" ")[0]):
        return "…"  # a number is never cut: all of it or none
    return cut.rstrip(" :,;=(") + "…"
