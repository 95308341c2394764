"""What every layer shares: the drawing context, the legend, ranges and series styles."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rich.style import Style
from rich.text import Text

from gdtui.i18n import _

from .axes import draw_panel
from .fmt import wrap_cells
from .words import method_name
from .canvas import Canvas, PlotArea, Scale
from .data import ChartData
from .data import range_or as _pair
from .glyphs import glyph, marker
from .theme import ChartTheme

# Line series: (theme colour index, dash pattern, marker shown along the line without colour).
LINE_SERIES = {
    "function": (0, "solid", ""),
    "derivative": (2, "dashed", "×"),
    "second_derivative": (4, "dotted", "+"),
    "tangent": (1, "solid", "*"),
    "secant": (3, "dashed", "#"),
}
START, CURRENT = "○", "◆"
GUESS = "◇"  # the learner's answer, beside the true step ◆


@dataclass(frozen=True)
class Box:
    row: int
    col: int
    height: int
    width: int


@dataclass(frozen=True)
class LegendEntry:
    sample: str
    style: Style
    label: str
    short: str = ""  # a shorter label for a narrow chart (the status line carries the numbers)
    keep: int = 0  # entries with a higher keep are shortened later


@dataclass
class Ctx:
    """One drawing: the spec, the computed data, the theme, the canvas and the legend being built."""

    spec: Any
    data: ChartData
    theme: ChartTheme
    canvas: Canvas
    legend: list[LegendEntry] = field(default_factory=list)
    areas: list[PlotArea] = field(default_factory=list)

    @property
    def mono(self) -> bool:
        return not self.theme.colour

    def style(self, role: str, index: int = 0) -> Style:
        return self.theme.style(role, index)

    def add_legend(self, sample: str, style: Style, label: str, short: str = "", keep: int = 0) -> None:
        mode = self.theme.mode
        sample = "".join(marker(mode, ch) for ch in sample)  # as the markers on the chart
        label, short = glyph(mode, label), glyph(mode, short)
        entry = LegendEntry(sample, style, label, short if short and short != label else "", keep)
        if all(e.label != label for e in self.legend):
            self.legend.append(entry)

    def line_legend(self, series: str, label: str, short: str = "", keep: int = 0) -> None:
        index, _, marker = LINE_SERIES[series]
        self.add_legend((marker or "──") if self.mono else "──", self.style("series", index), label, short, keep)

    def panel(self, box: Box, xs: Scale, ys: Scale, title: str = "") -> PlotArea | None:
        area = draw_panel(self.canvas, box.row, box.col, box.height, box.width, xs, ys,
                          self.style("axis"), self.style("label"), title, self.style("muted"))
        if area is not None:
            self.areas.append(area)
        return area


def draw_guess(ctx: Ctx, area: PlotArea, point: tuple[float, float], shown: str, note: str = "") -> None:
    """The learner's answer (an exercise's ``guess``) at ``point``: its own marker labelled "you", drawn
    over the others, and a legend entry "your answer x = …" (``shown``: the numbers as the learner reads them)."""
    style = ctx.style("guess")
    inside = bool(area.markers([point[0]], [point[1]], GUESS, style)[0])
    if inside:
        area.label(point[0], point[1], _("you"), style)
    note = note or ("" if inside else _("off the chart"))
    label = (_("your answer {value} ({note})") if note else _("your answer {value}")).format(value=shown, note=note)
    ctx.add_legend(GUESS, style, label, _("your answer"), keep=1)


def path_labels(name: str, traj, race: bool) -> tuple[str, str]:
    """A run's legend label and its short form: ``path (adam) (diverged at step 12)``, ``path (diverged)``."""
    diverged, name, k = traj.status == "diverged", method_name(name), traj.steps_run
    if race:
        if diverged:
            return _("{name} (diverged at step {k})").format(name=name, k=k), _("{name} (diverged)").format(name=name)
        return name, name
    if diverged:
        return _("path ({name}) (diverged at step {k})").format(name=name, k=k), _("path (diverged)")
    return _("path ({name})").format(name=name), _("path")


def x_range(spec: Any, default: tuple[float, float] = (-1.0, 1.0)) -> tuple[float, float]:
    return _pair(getattr(spec, "x_range", None), default)


def y_range(spec: Any) -> tuple[float, float] | None:
    pair = getattr(spec, "y_range", None)
    return None if pair is None else _pair(pair, None)


def robust_range(*arrays: np.ndarray, pad: float = 0.05) -> tuple[float, float] | None:
    """A y range covering every curve's finite values, ignoring a blow-up (a pole, a steep tail).

    For each curve the limits are its min and max, but no further than one 5–95 % spread beyond the
    5th and 95th percentiles, so 1/x near 0 does not flatten the rest; the curves' ranges are joined.
    """
    ranges = [r for r in (_robust(a) for a in arrays if a is not None) if r is not None]
    if not ranges:
        return None
    lo, hi = min(r[0] for r in ranges), max(r[1] for r in ranges)
    return padded(lo, hi, pad)


def _robust(a: np.ndarray) -> tuple[float, float] | None:
    v = np.asarray(a, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    lo, hi = float(v.min()), float(v.max())
    q05, q95 = (float(q) for q in np.percentile(v, [5, 95]))
    spread = q95 - q05
    if spread > 0:
        lo, hi = max(lo, q05 - spread), min(hi, q95 + spread)
    return lo, hi


def full_range(*arrays: np.ndarray, pad: float = 0.05) -> tuple[float, float] | None:
    """min to max of the finite values (a loss curve keeps its start, however high)."""
    parts = [np.asarray(a, dtype=float) for a in arrays if a is not None and np.size(a)]
    v = np.concatenate([p[np.isfinite(p)] for p in parts]) if parts else np.empty(0)
    if v.size == 0:
        return None
    return padded(float(v.min()), float(v.max()), pad)


def padded(lo: float, hi: float, pad: float = 0.05) -> tuple[float, float]:
    lo, hi = max(lo, -1e300), min(hi, 1e300)  # keep hi − lo finite
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1.0):
        half = max(abs(lo) * 0.1, 1.0)
        return lo - half, hi + half
    margin = pad * (hi - lo)
    return lo - margin, hi + margin


def log_range(*arrays: np.ndarray) -> tuple[float, float] | None:
    """Limits for a log axis: the positive finite values, widened a little on each side."""
    parts = [a[np.isfinite(a) & (a > 0)] for a in arrays if a is not None and np.size(a)]
    v = np.concatenate(parts) if parts else np.empty(0)
    if v.size == 0:
        return None
    llo, lhi = math.log10(float(v.min())), math.log10(float(v.max()))
    pad = max(0.05 * (lhi - llo), 0.3)  # at least a factor of 2 each side
    return 10 ** max(llo - pad, -320.0), 10 ** min(lhi + pad, 307.0)


def wants_log(*arrays: np.ndarray, ratio: float = 1e3) -> bool:
    """A log axis pays off when the values are positive and span more than ``ratio``."""
    parts = [a[np.isfinite(a)] for a in arrays if a is not None and np.size(a)]
    v = np.concatenate(parts) if parts else np.empty(0)
    if v.size < 2 or v.min() < 0:
        return False
    positive = v[v > 0]
    with np.errstate(all="ignore"):
        return bool(positive.size > 1 and positive.max() / positive.min() > ratio)


def sparse_markers(area: PlotArea, x: np.ndarray, y: np.ndarray, glyph: str, style: Style,
                   every_cols: int = 10) -> None:
    """A marker every few columns along a sampled line (how a line is told apart without colour)."""
    if not glyph or x.size < 2:
        return
    count = max(2, area.cols // every_cols)
    idx = np.unique(np.linspace(0, x.size - 1, count + 2).round().astype(int))[1:-1]
    area.markers(x[idx], y[idx], glyph, style)


def message(text: str, width: int, height: int, style: Style = Style(dim=True)) -> Text:
    """A short explanation in place of a chart, wrapped to the width."""
    if width <= 0 or height <= 0:
        return Text("", end="")
    lines = wrap_cells(" ".join(text.split()), width)[:height]
    return Text("\n".join(lines), style=style, no_wrap=True, overflow="crop", end="")
