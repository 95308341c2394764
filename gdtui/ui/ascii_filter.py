"""ASCII mode for the whole screen: every cell Textual draws (borders, scroll bars, bullets, our text)
goes out as one printable ASCII character, for terminals whose locale is not UTF-8.

Text the tutor writes itself (prose, prompts, charts, status lines) is turned into ASCII before it is laid
out (``glyphs.ascii_text``: x² → x^2, ‖∇f‖ → |grad f|); this filter is the net for everything else, one
character a cell so nothing moves.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from gdtui.charts.glyphs import ascii_cells


@lru_cache(maxsize=4096)
def _cells(text: str) -> str:
    return ascii_cells(text)


class AsciiFilter(LineFilter):
    """Replace every non-ASCII character of a line with its ASCII stand-in, cell for cell."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [segment if segment.control or segment.text.isascii()
                else Segment(_cells(segment.text), segment.style, segment.control)
                for segment in segments]
