"""Rich `Text` to Textual `Strip`s, fast: charts redraw many times a second and carry hundreds of spans.

Textual would turn a widget's `Text` into its own `Content` on every paint (tens of milliseconds for a
contour plot); Rich's own `render_lines` takes about ten. This walks the spans once per line instead.
Only what charts and cards use is supported: one line of text per row (no wrapping), no tabs.
"""

from __future__ import annotations

from itertools import groupby

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_to_strips(text: Text, width: int, base: Style) -> list[Strip]:
    """One strip per line of `text`, cropped or padded to `width`, every segment styled over `base`."""
    plain = text.plain
    styles: list[Style | None] = [None] * len(plain)
    for span in text.spans:
        style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
        for index in range(span.start, min(span.end, len(plain))):
            current = styles[index]
            styles[index] = style if current is None else current + style
    top = base + text.style if text.style else base
    strips: list[Strip] = []
    start = 0
    for line in plain.split("\n"):
        end = start + len(line)
        segments: list[Segment] = []
        position = start
        for style, run in groupby(styles[start:end]):
            count = len(list(run))
            segments.append(Segment(plain[position:position + count], top + style if style else top))
            position += count
        used = cell_len(line)
        if used < width:
            segments.append(Segment(" " * (width - used), top))
        strip = Strip(segments)
        strips.append(strip.crop(0, width) if used > width else strip)
        start = end + 1
    return strips
