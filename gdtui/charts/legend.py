"""The legend: entries packed into the rows a chart reserves for them, shortened rather than cut.

Widths are terminal cells (a Chinese character takes two). Entries keep their order. When the full labels need more rows than there are, the longest label with a
short form takes it (``tangent at x = 0.5: y = 1·x − 0.25`` becomes ``tangent at x = 0.5``; the
status line under the chart still gives the numbers), one at a time, those an entry asks to ``keep``
last (a derivative's formula, which is nowhere else on screen), then the gaps narrow. Only if that
is not enough does an entry end at a word boundary with an ellipsis, and entries that find no room are
left out, the last row ending in ``…``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style

from .base import LegendEntry
from .fmt import clip_words  # noqa: F401  (the legend's rule, also used for titles)

GAP = 3  # blanks between two entries on a row

Row = list[tuple[int, str, Style, str]]  # (column, sample, its style, label) along the row


def rows_needed(entries: Sequence[LegendEntry], width: int) -> int:
    """Rows the entries take with their full labels."""
    return len(_flow(entries, [e.label for e in entries], width, GAP)) if width > 0 else 0


def pack_legend(entries: Sequence[LegendEntry], width: int, rows: int, muted: Style = Style(dim=True)) -> list[Row]:
    """The entries laid out on at most ``rows`` rows of ``width`` cells (``muted``: the style of ``…``)."""
    if rows <= 0 or width <= 0 or not entries:
        return []
    labels = [e.label for e in entries]
    while True:
        packed = _flow(entries, labels, width, GAP)
        if len(packed) <= rows:
            return packed
        longer = [i for i, e in enumerate(entries) if e.short and labels[i] != e.short]
        if not longer:
            break
        i = min(longer, key=lambda j: (entries[j].keep, -cell_len(labels[j])))
        labels[i] = entries[i].short
    packed = _flow(entries, labels, width, 2)
    if len(packed) <= rows:
        return packed
    return _ellipsis(packed[:rows], width, muted)


def _flow(entries: Sequence[LegendEntry], labels: list[str], width: int, gap: int) -> list[Row]:
    out: list[Row] = []
    used = width  # columns used on the current row (full: start a new one)
    for entry, label in zip(entries, labels):
        size = cell_len(entry.sample) + 1 + cell_len(label)
        if not out or used + gap + size > width:
            out.append([])
            used = -gap
        room = width - (used + gap) - cell_len(entry.sample) - 1
        text = clip_words(label, room)
        out[-1].append((used + gap, entry.sample, entry.style, text))
        used += gap + cell_len(entry.sample) + 1 + cell_len(text)
    return out


def _ellipsis(packed: list[Row], width: int, muted: Style) -> list[Row]:
    """The last row ends in ``…`` (some entries did not fit): drop its last entries until that fits."""
    last = packed[-1]
    while last and _end(last[-1]) + 2 > width:
        last.pop()
    end = _end(last[-1]) + 1 if last else 0
    last.append((min(end, width - 1), "…", muted, ""))
    return packed


def _end(item: tuple[int, str, Style, str]) -> int:
    """The cell just past an entry on its row: its column, sample, a blank and its label."""
    column, sample, _style, label = item
    return column + cell_len(sample) + 1 + cell_len(label)
