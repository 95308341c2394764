"""Axes: a panel's frame, its ticks and their labels, around the plot area it returns."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.style import Style

from . import fmt
from .canvas import Canvas, PlotArea, Scale
from .glyphs import glyph


def tick_rows(ys: Scale, rows: int, values) -> np.ndarray:
    """The row (0 at the top) of each y value in an area ``rows`` cells high; −1 outside."""
    with np.errstate(all="ignore"):
        py = (1.0 - ys.unit(np.asarray(values, dtype=float))) * (4 * rows - 1)
    inside = np.isfinite(py) & (py > -0.5) & (py < 4 * rows - 0.5)
    return np.where(inside, np.rint(np.where(inside, py, 0)).astype(int) // 4, -1)


def y_ticks(ys: Scale, rows: int, mode: str = "braille") -> list[tuple[int, str]]:
    """(row, label) of the y tick labels to draw, at most one a row, and never fewer than two: when the nice
    ticks give fewer distinct rows (a short panel, a narrow log range), the two ends of the axis are labelled."""
    def placed(ticks):
        seen, out = set(), []
        for r, (_, label) in zip(tick_rows(ys, rows, [v for v, _ in ticks]).tolist(), ticks):
            if r >= 0 and r not in seen:
                seen.add(r)
                out.append((r, glyph(mode, label)))
        return out

    ticks = placed(ys.ticks(max(2, rows // 3)))
    if len(ticks) >= 2 or rows < 2:
        return ticks
    digits = 2 if ys.log else 3
    return placed([(ys.hi, fmt.num(ys.hi, digits)), (ys.lo, fmt.num(ys.lo, digits))])


def draw_panel(canvas: Canvas, row: int, col: int, height: int, width: int, xs: Scale, ys: Scale,
               axis_style: Style, label_style: Style, title: str = "", title_style: Style = Style()
               ) -> PlotArea | None:
    """Axes with ticks and labels in the box; returns the plot area inside, or None if too small."""
    top = row
    if title and height >= 6:
        canvas.put(row, col, fmt.clip_words(glyph(canvas.mode, title), width), title_style)
        top += 1
        height -= 1
    rows = height - 2  # an axis line and a row of x labels below the plot
    if rows < 2:
        return None
    yticks = y_ticks(ys, rows, canvas.mode)
    margin = max((cell_len(label) for _, label in yticks), default=1) + 1
    cols = width - margin - 1  # keep one column at the right for the last x label
    if cols < 6:
        return None
    area = PlotArea(canvas, top, col + margin, rows, cols, xs, ys)
    axis_col, axis_row = col + margin - 1, top + rows
    canvas.chars[top:axis_row, axis_col] = "│"
    canvas.sids[top:axis_row, axis_col] = canvas.sid(axis_style)
    canvas.put(axis_row, axis_col, "└" + "─" * cols, axis_style)
    for r0, label in yticks:
        canvas.put(top + r0, axis_col, "┤", axis_style)
        canvas.put(top + r0, col + margin - 1 - cell_len(label), label, label_style)
    next_free = col
    xticks = xs.ticks(max(2, cols // (8 if xs.log else 12)))
    _, tick_cols, inside = area.to_cells([v for v, _ in xticks], [ys.lo] * len(xticks))
    for (_, label), c, ok in zip(xticks, tick_cols.tolist(), inside.tolist()):
        label = glyph(canvas.mode, label)
        if not ok:
            continue
        c0 = area.col + c
        canvas.put(axis_row, c0, "┬", axis_style)
        start = min(max(c0 - cell_len(label) // 2, col), col + width - cell_len(label))
        if start >= next_free:
            canvas.put(axis_row + 1, start, label, label_style)
            next_free = start + cell_len(label) + 1
    return area
