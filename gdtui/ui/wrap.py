"""Wrapping measured in terminal cells, for Chinese as well as English.

A Chinese (or Japanese, Korean, full-width) character takes two cells, and a line may break between any two of
them: Chinese has no spaces between words. Latin words break only at spaces, as usual. Closing punctuation
(，。、；：？！）” …) never starts a line and opening punctuation (（“ …) never ends one. A word longer than the
line is cut into pieces that fit, so nothing is ever lost. ``textwrap`` counts characters and treats a run of
Chinese as one word; Rich's own wrapping measures cells but also keeps a Chinese run whole until it overflows.
"""

from __future__ import annotations

import re

from rich._wrap import divide_line as _rich_divide_line  # Rich's own, kept for text with no wide character
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

_WIDE = "\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_CLOSE = "，。、；：？！）》」』】〕〉”’…%,.;:?!)\\]}"  # may not begin a line
_OPEN = "（《「『【〔〈“‘"  # may not end a line (an ASCII bracket belongs to the Latin word it opens)
_TOKEN = re.compile(rf"\s+|[{_OPEN}]*(?:[{_WIDE}]|[^\s{_WIDE}{_OPEN}]+?(?=[{_WIDE}{_OPEN}\s]|$))[{_CLOSE}]*")


def _tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each unbreakable piece: a run of spaces, one wide character or one Latin word, with
    the punctuation that must stay with it."""
    spans, at = [], 0
    for match in _TOKEN.finditer(text):
        if match.start() > at:  # anything the pattern did not take stays in one piece
            spans.append((at, match.start()))
        if match.end() > match.start():
            spans.append((match.start(), match.end()))
        at = max(at, match.end())
    if at < len(text):
        spans.append((at, len(text)))
    return spans


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` (one paragraph) in at most ``width`` cells; spaces at a break
    are dropped."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start = end = None
    used = 0
    for a, b in _tokens(text):
        piece = text[a:b]
        if piece.isspace():
            if start is not None:
                used += cell_len(piece)
            continue
        size = cell_len(piece)
        gap = used - (cell_len(text[start:end]) if start is not None else 0)
        if start is not None and cell_len(text[start:end]) + gap + size > width:
            lines.append((start, end))
            start = None
        if start is None:
            start, used = a, 0
        while cell_len(text[start:b]) > width:  # a word longer than the line: cut it where it fills the line
            cut = start + 1
            while cut < b and cell_len(text[start:cut + 1]) <= width:
                cut += 1
            lines.append((start, cut))
            start = cut
        end, used = b, cell_len(text[start:b])
    if start is not None:
        lines.append((start, end))
    return lines or [(0, 0)]


def wrap_cells(text: Text, width: int) -> list[Text]:
    """``text`` (styles kept) in lines of at most ``width`` cells; each newline starts a new paragraph."""
    lines: list[Text] = []
    offset = 0
    for paragraph in text.plain.split("\n"):
        for a, b in line_spans(paragraph, width):
            lines.append(text[offset + a: offset + b])
        offset += len(paragraph) + 1
    return lines


class Wrapped:
    """A Rich renderable: ``text`` wrapped by `wrap_cells` at the width it is given (a table cell, a panel)."""

    def __init__(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_cells(self.text, options.max_width):
            line.end = "\n"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(piece) for piece in re.split(r"\s+", self.text.plain) if piece), default=1)
        return Measurement(min(longest, 8), self.text.cell_len)


_HAS_WIDE = re.compile(f"[{_WIDE}]")


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Rich's and Textual's ``divide_line`` (where each new line starts), breaking between Chinese characters.

    Text with no wide character is left to Rich's own function, so English wraps exactly as before."""
    if not _HAS_WIDE.search(text):
        return _rich_divide_line(text, width, fold)
    return [start for start, _end in line_spans(text, width)[1:]]


def use_cell_wrapping() -> None:
    """Make Textual's Content (the Markdown widget's paragraphs) and Rich's Text (the exercise panel) wrap
    Chinese by `divide_line`. Both look the function up in their own module at each wrap, so one assignment
    each is enough; without it a run of Chinese is one "word" and lines end ragged, half empty."""
    import rich.text
    import textual.content

    textual.content.divide_line = divide_line
    rich.text.divide_line = divide_line
