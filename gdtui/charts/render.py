"""``render_plot``: a plot block, its current values, a size and a theme in; Rich Text out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from rich.text import Text

from gdtui.i18n import _

from .base import Box, Ctx, message
from .canvas import Canvas
from .data import ChartData, ChartInputError, PlotSpec, compute, unicode_text
from .glyphs import glyph
from .layers_1d import error_panel, function_panel
from .layers_2d import contour_panel
from .graph import graph_panel
from .layers_capacity import capacity_error_panel, capacity_fit_panel
from .layers_fit import data_panel, loss_panel
from .legend import clip_words, pack_legend, rows_needed
from .theme import ChartTheme

MIN_WIDTH, MIN_HEIGHT = 30, 8
TALL = 24  # from this height a legend that needs it gets a third row (the plot loses one of 20)
Panel = Callable[[Ctx, Box], None]
_LEGEND_ROWS: dict[tuple, int] = {}  # (id of the spec, width, height) -> legend rows last used: a guess only


def render_plot(spec: PlotSpec, values: Mapping[str, Any] | None, width: int, height: int,
                theme: ChartTheme | None = None, computed: ChartData | None = None) -> Text:
    """The chart as exactly ``height`` lines of ``width`` cells (or a short message instead).

    ``values`` are the live values (controls); missing ones come from ``spec.values`` and
    ``spec.params``. Never raises: a formula that cannot be read, a function undefined on the whole
    range or a chart too small for its content comes back as a sentence. ``computed`` is
    ``compute(spec, values)`` when the caller has it already (a widget shares it with the status line).
    """
    theme = theme or ChartTheme()
    width, height = int(width), int(height)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return message(_("chart needs {size}").format(size=f"{MIN_WIDTH}×{MIN_HEIGHT}"), width, height)
    try:
        with np.errstate(all="ignore"):  # a range too wide for float64 overflows quietly to a message
            data = computed if computed is not None else compute(spec, values)
            return _draw(spec, data, width, height, theme)
    except ChartInputError as exc:
        return message(str(exc), width, height, theme.style("warn"))
    except Exception as exc:  # a chart must never take the screen down with it
        return message(_("could not draw this chart with these values"), width, height, theme.style("warn"))


def default_title(spec: Any, data: ChartData) -> str:
    title = getattr(spec, "title", None)
    if title:
        return str(title)
    if data.kind == "regression":
        return _("linear regression by gradient descent") if (data.fit and data.fit.degree is None) \
            else _("polynomial regression by gradient descent")
    variables = tuple(getattr(spec, "variables", ("x",)) or ("x",))
    names = variables + tuple(name for name, _ in data.params)
    return f"f({', '.join(variables)}) = {unicode_text(str(spec.f), names)}"


def panels(data: ChartData) -> list[Panel]:
    """The panels to draw, the main one first: function/contour/data, then loss and error vs h."""
    layers = set(data.layers)
    main: Panel | None
    extras: list[Panel] = []
    if data.graph is not None:
        return [graph_panel]
    if data.capacity is not None:
        return [capacity_fit_panel, capacity_error_panel]
    if data.kind == "regression":
        main = data_panel if layers & {"data", "fit"} or "loss" not in layers else None
    elif data.kind == "2d":
        main = contour_panel if layers & {"contour", "gradient_field", "path", "race"} or not layers else None
    else:
        drawn = {"function", "derivative", "second_derivative", "tangent", "secant", "path", "race"}
        main = function_panel if layers & drawn or not layers & {"loss", "error_vs_h"} else None
        if "error_vs_h" in layers:
            extras.append(error_panel)
    if "loss" in layers and (data.runs or data.fit is not None):
        extras.insert(0, loss_panel)
    return ([main] if main else []) + extras


def split(box: Box, count: int) -> list[Box]:
    """The main panel on the left (60 %) and the others stacked on the right; or all stacked."""
    if count <= 1:
        return [box]
    if box.width >= 70:
        left = max(30, int(box.width * 0.6))
        right = box.width - left - 1
        rows = _shares(box.height, count - 1)
        boxes, top = [Box(box.row, box.col, box.height, left)], box.row
        for h in rows:
            boxes.append(Box(top, box.col + left + 1, h, right))
            top += h
        return boxes
    heights = [max(6, int(box.height * 0.6))]
    heights += _shares(box.height - heights[0], count - 1)
    boxes, top = [], box.row
    for h in heights:
        boxes.append(Box(top, box.col, h, box.width))
        top += h
    return boxes


def _shares(total: int, count: int) -> list[int]:
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _draw(spec: Any, data: ChartData, width: int, height: int, theme: ChartTheme) -> Text:
    """Draw with the legend rows the last drawing of this chart at this size needed, and again in the
    rare case the legend now needs other rows (the legend is known only once the layers are drawn)."""
    base = legend_rows(height)
    key = (id(spec), width, height)
    guess = _LEGEND_ROWS.get(key, base)
    ctx = _draw_with_legend(spec, data, width, height, theme, guess)
    wanted = base + 1 if height >= TALL and rows_needed(ctx.legend, width) > base else base
    if wanted != guess:
        ctx = _draw_with_legend(spec, data, width, height, theme, wanted)
    if len(_LEGEND_ROWS) >= 256:
        _LEGEND_ROWS.clear()
    _LEGEND_ROWS[key] = wanted
    return ctx.canvas.to_text()


def legend_rows(height: int) -> int:
    """Rows kept for the legend: none on a tiny chart, one on a small one, two from 20 rows."""
    return 0 if height < 10 else (1 if height < 20 else 2)


def _draw_with_legend(spec: Any, data: ChartData, width: int, height: int, theme: ChartTheme,
                      legend_rows: int) -> Ctx:
    canvas = Canvas(width, height, theme.mode)
    ctx = Ctx(spec, data, theme, canvas)
    top = 0
    if height >= 12:
        canvas.put(0, 0, clip_words(glyph(theme.mode, default_title(spec, data)), width), theme.style("title"))
        top = 1
    body = Box(top + legend_rows, 0, height - top - legend_rows, width)
    chosen = panels(data)
    boxes = split(body, len(chosen))
    if len(chosen) > 1 and min(min(b.width, 3 * b.height) for b in boxes) < 20:
        chosen, boxes = chosen[:1], [body]  # too small for side panels: the main one only
    for draw, box in zip(chosen, boxes):
        draw(ctx, box)
    for area in ctx.areas:
        area.blit()
    _legend(ctx, top, legend_rows)
    return ctx


def _legend(ctx: Ctx, row: int, rows: int) -> None:
    """Legend entries packed into the reserved rows, shortened rather than cut (see ``legend``)."""
    for r, entries in enumerate(pack_legend(ctx.legend, ctx.canvas.width, rows, ctx.style("muted")), row):
        for col, sample, style, label in entries:
            col += ctx.canvas.put(r, col, sample, style)
            if label:
                ctx.canvas.put(r, col, " " + label, ctx.style("label"))
