"""The one glyph table: how charts draw their pixels in each mode, and the ASCII stand-in of every glyph.

Modes: ``braille`` (2×4 dots a cell, the sharpest), ``block`` (half blocks ▀▄█, for fonts without braille)
and ``ascii`` (printable ASCII only, for terminals whose locale is not UTF-8). A chart always draws on the
braille pixel grid; ``pixel_chars(mode)`` says what each of the 256 dot patterns of a cell looks like.

Which mode a session uses is decided in ``gdtui.settings.chart_mode``.

``ascii_text`` turns any text the screens show into ASCII: whole phrases first (‖∇f‖ → |grad f|, ✓ → ok,
x² → x^2), then one character for one (x₀ → x0, ◆ → *, box borders → + - |); whatever is left becomes ``?``
cell for cell. ``ascii_cells`` keeps the width of every character, for text already laid out (Textual's own
borders and scroll bars).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from gdtui.settings import CHART_MODES

MODES = CHART_MODES

# bit of a braille dot at (row within cell 0..3, column within cell 0..1)
BRAILLE_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8)

# Longer stand-ins, tried before single characters (order matters: ‖∇f‖ before ∇).
PHRASES: tuple[tuple[str, str], ...] = (
    (" · ", " - "),  # a separator (maths writes 2·x without blanks)
    ("⏎", "enter"), ("␣", "space"), ("Δ", "d"), ("∈", "in"), ("∑", "sum"), ("±", "+/-"), ("⌊", "floor("), ("⌋", ")"),
    ("‖∇f‖", "|grad f|"), ("∇f", "grad f"), ("∇", "grad "), ("✓", "ok"), ("✗", "x"), ("…", "..."),
    ("≈", "~"), ("≤", "<="), ("≥", ">="), ("≠", "!="), ("∞", "inf"), ("→", "->"), ("←", "<-"),
    ("η", "eta"), ("β", "beta"), ("α", "alpha"), ("γ", "gamma"), ("ε", "eps"), ("θ", "theta"),
    ("π", "pi"), ("Σ", "sum"), ("√", "sqrt"), ("∂", "d"), ("λ", "lambda"), ("μ", "mu"), ("σ", "sigma"),
    ("ŷ", "y^"), ("—", "--"), ("–", "-"), ("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("▸", ">"), ("◂", "<"),
)

# One cell for one cell: chart markers, arrows, box drawing, signs.
CHARS: dict[str, str] = {
    "−": "-", "·": "*", "×": "x", "÷": "/", "′": "'", "″": '"', "‖": "|", "∣": "|",
    "○": "O", "●": "@", "•": "o", "◆": "*", "◇": "&", "▲": "^", "■": "#", "▮": "#", "□": "#",
    "⠶": ":", "★": "*", "▀": '"', "▄": "_", "█": "#", "▌": "|", "▐": "|",
    "→": ">", "↗": "/", "↑": "^", "↖": "\\", "←": "<", "↙": "/", "↓": "v", "↘": "\\",
    "│": "|", "┃": "|", "║": "|", "╎": "|", "┆": "|", "─": "-", "━": "-", "═": "=", "╌": "-", "┄": "-",
    "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
    "╭": "+", "╮": "+", "╯": "+", "╰": "+", "┏": "+", "┓": "+", "┗": "+", "┛": "+", "╔": "+", "╗": "+",
    "╚": "+", "╝": "+", "▔": "-", "▁": "_", "▂": "_", "▃": "_", "▅": "#", "▆": "#", "▇": "#",
    "✓": "v", "✗": "x", "…": ".", "≈": "~", "∞": "8", "η": "n", "β": "b", "α": "a", "γ": "g", "ε": "e",
    "θ": "t", "π": "p", "∇": "V", "∂": "d", "Σ": "E", "√": "V", "ŷ": "y", "—": "-", "–": "-", "▸": ">", "◂": "<",
    "“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "Δ": "d", "⏎": "<",
    "⌊": "[", "⌋": "]", "⌈": "[", "⌉": "]", "∈": "E", "∑": "E", "∫": "S", "≔": "=", "±": "+", "∓": "-",
}
_SUPERS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿⁱᵏᵗ"
_SUBS = "₀₁₂₃₄₅₆₇₈₉₋₊ₖₜₙᵢⱼₓ"
for _sup, _plain in zip(_SUPERS, "0123456789-+nikt"):
    CHARS[_sup] = _plain
for _sub, _plain in zip(_SUBS, "0123456789-+ktnijx"):
    CHARS[_sub] = _plain
_SUPER_RUN = re.compile(f"[{_SUPERS}]+")
_SUB_RUN = re.compile(f"[{_SUBS}]*[₊₋][{_SUBS}]*")  # xₜ₊₁ → x_(t+1); x₀ → x0 and x₃₀ → x30 stay plain
_GREEK_WORD = re.compile("([ηβαγεθπλμσ])(?=[A-Za-z0-9(])")  # ηf′ → eta*f'
_GREEK_SUB = re.compile(f"([ηβαγεθπλμσ])(?=[{_SUBS}])")  # ηₖ → eta_k


# A few more for text outside charts (Textual's marks); a chart marker means the same in the prose about it
# (a lesson's "plain descent (•)" is "(o)" on the chart and in the text).
CELLS = {**CHARS, "▪": "*", "‣": ">", "◦": "o", "✔": "v", "✘": "x", "◐": "~"}
_TABLE = str.maketrans(CELLS)


def ascii_text(text: str, product: str = "*") -> str:
    """``text`` in printable ASCII: ``‖∇f‖ = 2.8e−9`` → ``|grad f| = 2.8e-9``, ``x² + x₀`` → ``x^2 + x0``.

    ``product`` is written for a product sign (2·x, ηf′): ``\\*`` in markdown, where a bare ``*`` is emphasis.
    """
    if text.isascii():
        return text
    text = _GREEK_SUB.sub(r"\1_", _GREEK_WORD.sub("\\1\u00b7", text))
    if "·" in text:
        text = text.replace(" · ", " - ").replace("·", product)
    for long, short in PHRASES:
        if long in text:
            text = text.replace(long, short)
    text = _SUPER_RUN.sub(lambda m: "^" + m.group(0).translate(_TABLE), text)
    text = _SUB_RUN.sub(lambda m: "_(" + m.group(0).translate(_TABLE) + ")", text)
    text = text.translate(_TABLE)
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() else _fallback(ch) for ch in text)




def ascii_cells(text: str) -> str:
    """One ASCII character for each cell of ``text`` (a wide character becomes two)."""
    if text.isascii():
        return text
    text = text.replace(" · ", " - ")  # a separator, not a product
    return "".join(ch if ch.isascii() else CELLS.get(ch) or _fallback(ch) for ch in text)


@lru_cache(maxsize=4096)
def _fallback(ch: str) -> str:
    """A letter with an accent loses it (é → e); anything else is ``?`` in each cell it takes."""
    base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    if len(base) == 1 and base.isprintable():
        return base
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ""
    return "??" if unicodedata.east_asian_width(ch) in ("W", "F") else "?"


def glyph(mode: str, text: str) -> str:
    """``text`` as the mode shows it: ASCII stand-ins in ascii mode, braille samples as half blocks in block
    mode, else unchanged."""
    if mode == "ascii":
        return ascii_text(text)
    if mode == "block" and any("\u2800" <= ch <= "\u28ff" for ch in text):
        table = pixel_chars("block")
        return "".join(table[ord(ch) - 0x2800] if "\u2800" <= ch <= "\u28ff" else ch for ch in text)
    return text


def marker(mode: str, ch: str) -> str:
    """A one-cell marker in the mode (its ASCII stand-in takes one cell too)."""
    if mode != "ascii" or ch.isascii():
        return glyph(mode, ch)
    return CHARS.get(ch) or "?"


@lru_cache(maxsize=4)
def pixel_chars(mode: str) -> np.ndarray:
    """The character each of the 256 braille dot patterns of a cell is drawn with, in the mode."""
    if mode == "block":
        return np.array([_block(bits) for bits in range(256)])
    if mode == "ascii":
        return np.array([_ascii_pixels(bits) for bits in range(256)])
    return np.array([" "] + [chr(0x2800 + bits) for bits in range(1, 256)])


def _dots(bits: int) -> list[tuple[int, int]]:
    return [(r, c) for r in range(4) for c in range(2) if bits & int(BRAILLE_BITS[r, c])]


def _block(bits: int) -> str:
    """Rows 0–1 of the dots light the upper half, rows 2–3 the lower one."""
    dots = _dots(bits)
    top, bottom = any(r < 2 for r, _ in dots), any(r >= 2 for r, _ in dots)
    return "█" if top and bottom else "▀" if top else "▄" if bottom else " "


def _ascii_pixels(bits: int) -> str:
    """A character with the dots' shape: a run down one side ``|``, across ``-`` (``_`` low, ``'`` high),
    a slope ``/`` or ``\\``, a lone dot ``.``, a crowd of them ``*``."""
    dots = _dots(bits)
    if not dots:
        return " "
    rows = {r for r, _ in dots}
    cols = {c for _, c in dots}
    if len(dots) >= 6:
        return "*"
    if len(dots) == 1 or (len(cols) == 1 and len(rows) <= 1):
        return "." if dots[0][0] >= 2 else "'"
    if len(cols) == 1:
        return "|" if len(rows) >= 2 else "."
    if max(rows) - min(rows) <= 1:
        mean = sum(r for r, _ in dots) / len(dots)
        return "'" if mean < 1 else "_" if mean >= 2.5 else "-"
    left = sum(r for r, c in dots if c == 0) / max(1, sum(1 for _, c in dots if c == 0))
    right = sum(r for r, c in dots if c == 1) / max(1, sum(1 for _, c in dots if c == 1))
    if abs(left - right) < 1:
        return "|" if len(rows) >= 3 else "-"
    return "\\" if left < right else "/"
