"""2-D layers: contour lines, the gradient field as arrows, a point with its gradient, descent paths and
races over them."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from rich.style import Style

from gdtui.i18n import _

from . import fmt
from .base import CURRENT, START, Box, Ctx, draw_guess, path_labels, x_range
from .axes import y_ticks
from .canvas import PlotArea, Scale, braille_cells
from .data import ChartInputError, gradient_grid, grid_2d, guess_point
from .theme import RACE_MARKERS

LEVELS = 8  # contour levels at most
LEVEL_COUNTS = (8, 6, 5, 4, 3)  # tried in turn until the lines leave enough of the panel blank
MAX_LIT = 0.4  # the most of a panel's cells contour lines may cover
TOP_DOTS = 0x01 | 0x08 | 0x02 | 0x10  # the dots of a braille cell's upper half
LEVEL_SPREAD = 60.0  # how strongly levels crowd towards the minimum (log-like spacing)
SIGNED_SHARE = 0.05  # each sign holds this much of the range: levels go evenly either side of f = 0
ARROWS = "→↗↑↖←↙↓↘"  # by octant, counter-clockwise from east


def contour_panel(ctx: Ctx, box: Box) -> None:
    spec, data = ctx.spec, ctx.data
    xr = x_range(spec)
    yr = _y_range(spec, xr)
    if data.values.get("aspect") == "equal":
        xr, yr = _equal_aspect(xr, yr, box, ctx.theme.mode)
    area = ctx.panel(box, Scale(*xr), Scale(*yr))
    if area is None:
        return
    names = tuple(spec.variables) + tuple(name for name, _ in data.params)
    layers = set(data.layers)
    if "contour" in layers or not layers & {"gradient_field"}:
        contour(ctx, area, contour_cells(spec.f, names, data.params, xr, yr, area.rows, area.cols,
                                         ctx.theme.mode))
    paths = bool({"path", "race"} & layers) and bool(data.runs)
    if paths:
        _path_lines(ctx, area)
    if "gradient_field" in layers:
        gradient_field(ctx, area, names)
    if "point" in layers:
        gradient_point(ctx, area, names)
    if paths:
        _path_marks(ctx, area)
    guess = guess_point(data.values, 2)
    if guess is not None:
        draw_guess(ctx, area, guess, f"({fmt.num(guess[0])}, {fmt.num(guess[1])})")


def _equal_aspect(xr: tuple[float, float], yr: tuple[float, float], box: Box, mode: str = "braille"
                  ) -> tuple[tuple, tuple]:
    """The ranges widened (never cut) so one unit is as long across as up: a circle is drawn round and ∇f
    meets the level curves at right angles. A braille dot is about square (2 across, 4 down a cell that
    is twice as tall as wide), so units per dot must match."""
    rows = box.height - 2  # as draw_panel lays the area out: an axis and a row of labels below it …
    margin = max((len(label) for _, label in y_ticks(Scale(*yr), rows, mode)), default=1) + 1
    cols = box.width - margin - 1  # … and the y labels and one column to the left and right
    if rows < 2 or cols < 6:
        return xr, yr
    per_x, per_y = (xr[1] - xr[0]) / (2 * cols), (yr[1] - yr[0]) / (4 * rows)
    if per_x > per_y:
        return xr, _widened(yr, per_x * 4 * rows)
    return _widened(xr, per_y * 2 * cols), yr


def _widened(bounds: tuple[float, float], span: float) -> tuple[float, float]:
    middle = (bounds[0] + bounds[1]) / 2
    return (middle - span / 2, middle + span / 2)


def _y_range(spec, xr):
    pair = getattr(spec, "y_range", None)
    try:
        lo, hi = (float(v) for v in pair)
        if math.isfinite(lo) and math.isfinite(hi) and lo != hi:
            return (min(lo, hi), max(lo, hi))
    except (TypeError, ValueError):
        pass
    return xr


def level_index(z: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """Each value's level, 0 (lowest) … levels−1; nan → −1. The spacing suits the function:

    * both signs in earnest (a saddle, a plane through 0): evenly spaced levels with one boundary at
      f = 0, each sign its share of them, so the zero contour shows and both sides are drawn alike;
    * a minimum inside the view (a bowl, a valley): levels crowding towards it (log-like spacing),
      where descent ends;
    * otherwise (the lowest values on the edge, as for x²y over y ≥ 0): evenly spaced levels.

    The levels span the 2nd to the 98th percentile, so one steep corner does not squeeze them all
    into a valley.
    """
    finite = np.isfinite(z)
    values = z[finite]
    zlo, ztop = (float(q) for q in np.percentile(values, [2, 98]))
    if ztop <= zlo:
        zlo, ztop = float(np.min(values)), float(np.max(values))
    if ztop <= zlo:
        return np.where(finite, 0, -1)
    zmin = float(np.min(values))
    with np.errstate(all="ignore"):
        if min(-zlo, ztop) >= SIGNED_SHARE * (ztop - zlo):
            t = _signed_levels(z, zlo, ztop, levels)
        elif _edge_min(z) > zmin + 1e-9 * (ztop - zmin):
            q = np.clip((z - zmin) / (ztop - zmin), 0.0, 1.0)
            t = np.log1p(q * LEVEL_SPREAD) / math.log1p(LEVEL_SPREAD) * levels
        else:
            t = np.clip((z - zlo) / (ztop - zlo), 0.0, 1.0) * levels
    idx = np.clip(np.where(finite, t, 0.0).astype(int), 0, levels - 1)
    return np.where(finite, idx, -1)


def _edge_min(z: np.ndarray) -> float:
    """The lowest finite value on the border of the grid (inf if there is none)."""
    edge = np.concatenate([z[0], z[-1], z[:, 0], z[:, -1]])
    edge = edge[np.isfinite(edge)]
    return float(edge.min()) if edge.size else math.inf


def _signed_levels(z: np.ndarray, zlo: float, ztop: float, levels: int) -> np.ndarray:
    """Level positions (0 … levels) with f = 0 at a whole level: below, ``below`` even levels down to zlo."""
    below = min(levels - 1, max(1, round(levels * -zlo / (ztop - zlo))))
    return np.where(z < 0, below * (1 - np.clip(z / zlo, 0.0, 1.0)),
                    below + (levels - below) * np.clip(z / ztop, 0.0, 1.0))


@lru_cache(maxsize=16)
def contour_cells(text: str, names: tuple[str, ...], params: tuple, xr: tuple[float, float],
                  yr: tuple[float, float], rows: int, cols: int, mode: str = "braille"
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """Braille bits and level of each cell for the contour lines; None if f is undefined everywhere.

    f is sampled at every braille pixel; a pixel lights where its level differs from the next
    pixel's to the right or below, so the lines are one pixel thin. A cell shows its highest level.
    Where the lines would light more than ``MAX_LIT`` of the cells (a bumpy function such as Rastrigin,
    or a half-block cell that shows 2 of the 8 dots), fewer levels are drawn (``thin_levels``).
    """
    z = grid_2d(text, names, params, xr, yr, 2 * cols, 4 * rows)
    if not np.isfinite(z).any():
        return None
    best = None
    for levels in LEVEL_COUNTS:
        idx = level_index(z, levels)
        edge = np.zeros(idx.shape, dtype=bool)
        edge[:, :-1] |= (idx[:, 1:] != idx[:, :-1]) & (idx[:, 1:] >= 0) & (idx[:, :-1] >= 0)
        edge[:-1, :] |= (idx[1:, :] != idx[:-1, :]) & (idx[1:, :] >= 0) & (idx[:-1, :] >= 0)
        bits, level = braille_cells(edge, np.maximum(idx, 0))
        lit = lit_share(bits, mode)
        if best is None or lit < best[0]:
            best = (lit, bits, level * (LEVELS - 1) // max(1, levels - 1))  # colours spread over the ramp
        if lit <= MAX_LIT:
            break
    _, bits, level = best
    bits.flags.writeable = level.flags.writeable = False
    return bits, level


def lit_share(bits: np.ndarray, mode: str = "braille") -> float:
    """The share of a panel's cells the lines cover, counted in what a cell can show: braille cells, or the
    halves of a half-block cell."""
    if bits.size == 0:
        return 0.0
    if mode == "braille":
        return float((bits > 0).mean())
    top = (bits & TOP_DOTS) > 0
    bottom = (bits & ~np.uint8(TOP_DOTS)) > 0
    return float((top.sum() + bottom.sum()) / (2 * bits.size))


def contour(ctx: Ctx, area: PlotArea, cells: tuple[np.ndarray, np.ndarray] | None) -> None:
    if cells is None:
        raise ChartInputError(_("f is undefined on this range"))
    bits, level = cells
    sids = np.array([ctx.canvas.sid(ctx.style("level", i)) for i in range(LEVELS)], dtype=np.int16)
    area.add_cells(bits, sids[level])
    ctx.add_legend("⠶", ctx.style("level", LEVELS // 2), _("levels of f"))


def gradient_field(ctx: Ctx, area: PlotArea, names: tuple[str, ...]) -> None:
    """Arrows along ∇f (uphill) at a sparse grid of cells, skipping cells a path runs through."""
    col_step = 8 if area.cols >= 40 else 6
    row_step = 4 if area.rows >= 16 else 3
    cols = np.arange(col_step // 2, area.cols, col_step)
    rows = np.arange(row_step // 2, area.rows, row_step)
    if cols.size == 0 or rows.size == 0:
        return
    ux = (2 * cols + 0.5) / (area.pw - 1)
    uy = 1 - (4 * rows + 1.5) / (area.ph - 1)
    xs = area.xs.lo + ux * (area.xs.hi - area.xs.lo)
    ys = area.ys.lo + uy * (area.ys.hi - area.ys.lo)
    gx, gy = gradient_grid(ctx.spec.f, names, ctx.data.params, tuple(xs.round(12).tolist()),
                           tuple(ys.round(12).tolist()))
    # direction as seen on screen: per column and per row, and a row is about twice as tall as wide
    vx = gx * area.cols / (area.xs.hi - area.xs.lo)
    vy = gy * area.rows / (area.ys.hi - area.ys.lo) * 2.0
    norm = np.hypot(vx, vy)
    finite = np.isfinite(norm)
    with np.errstate(all="ignore"):
        angle = np.where(finite, np.arctan2(vy, vx), 0.0)
    octant = np.round(angle / (math.pi / 4)).astype(int) % 8
    glyphs = np.array(list(ARROWS))[octant]
    scale = np.max(norm[finite]) if finite.any() else 0.0
    glyphs = np.where(norm <= 1e-9 * max(scale, 1e-300), "·", glyphs)
    style = ctx.canvas.sid(ctx.style("muted"))
    rr, cc = np.meshgrid(rows, cols, indexing="ij")
    free = finite & ~area.protected[rr, cc]
    area.glyph[rr[free], cc[free]] = glyphs[free]
    area.gsid[rr[free], cc[free]] = style
    ctx.add_legend("↗", ctx.style("muted"), _("arrows: ∇f (uphill)"), _("∇f (uphill)"))


POINT_ARROW = 0.2  # the arrow of the `point` layer: this share of the plot's diagonal, whatever |∇f| is


def gradient_point(ctx: Ctx, area: PlotArea, names: tuple[str, ...]) -> None:
    """The point (x0, y0) and an arrow from it along ∇f there (uphill), of a fixed length on screen; the
    legend gives ∇f's value, so the arrow shows the direction and the numbers the size."""
    px, py = (float(ctx.data.values.get(k, math.nan)) for k in ("x0", "y0"))
    if not (math.isfinite(px) and math.isfinite(py)):
        return
    gx, gy = (float(g[0, 0]) for g in gradient_grid(ctx.spec.f, names, ctx.data.params, (px,), (py,)))
    style = ctx.style("highlight")
    # on screen a row is about twice as tall as a column is wide: direction in cells, as gradient_field does
    vx = gx * area.cols / (area.xs.hi - area.xs.lo)
    vy = gy * area.rows / (area.ys.hi - area.ys.lo) * 2.0
    norm = math.hypot(vx, vy)
    if math.isfinite(norm) and norm > 0:
        reach = POINT_ARROW * math.hypot(area.cols, 2.0 * area.rows)  # in columns
        dx = vx / norm * reach * (area.xs.hi - area.xs.lo) / area.cols
        dy = vy / norm * reach * (area.ys.hi - area.ys.lo) / (2.0 * area.rows)
        t = min([1.0] + [(edge - start) / d for start, d, edge in ((px, dx, area.xs.hi if dx > 0 else area.xs.lo),
                                                                  (py, dy, area.ys.hi if dy > 0 else area.ys.lo))
                         if d != 0 and (edge - start) / d >= 0])  # shortened to stay on the chart
        tip = (px + t * dx, py + t * dy)
        area.line([px, tip[0]], [py, tip[1]], ctx.style("series", 2), protect=True)
        head = ARROWS[round(math.atan2(vy, vx) / (math.pi / 4)) % 8]
        area.markers([tip[0]], [tip[1]], head, ctx.style("series", 2))
        label = _("∇f = {value} (uphill)").format(value=f"({fmt.num(gx)}, {fmt.num(gy)})")
        ctx.add_legend(head, ctx.style("series", 2), label, "∇f")
    elif math.isfinite(norm):
        ctx.add_legend("·", ctx.style("series", 2), _("∇f = (0, 0): a flat point"), "∇f = 0")
    area.markers([px], [py], CURRENT, style)
    ctx.add_legend(CURRENT, style, _("point {point}").format(point=f"({fmt.num(px)}, {fmt.num(py)})"), _("point"))


def _runs(ctx: Ctx):
    race = len(ctx.data.runs) > 1
    for i, (name, traj) in enumerate(ctx.data.runs.items()):
        style = ctx.style("race", i)
        yield i, name, traj, style, RACE_MARKERS[i % len(RACE_MARKERS)], race


def _path_lines(ctx: Ctx, area: PlotArea) -> None:
    k = ctx.data.step
    for _, _, traj, style, _, _ in _runs(ctx):
        pts = traj.xs[:min(k, traj.steps_run) + 1]
        area.line(pts[:, 0], pts[:, 1], style, protect=True)


def _path_marks(ctx: Ctx, area: PlotArea) -> None:
    k = ctx.data.step
    start = None
    for i, name, traj, style, marker, race in _runs(ctx):
        last = min(k, traj.steps_run)
        pts = traj.xs[:last + 1]
        area.markers(pts[:, 0], pts[:, 1], marker, style, overwrite=not race)
        if race:
            area.markers(pts[-1:, 0], pts[-1:, 1], marker, style + Style(bold=True, reverse=True))
        else:
            area.markers(pts[-1:, 0], pts[-1:, 1], CURRENT, ctx.style("highlight"))
            area.label(float(pts[-1, 0]), float(pts[-1, 1]), f"x{fmt.sub(last)}", ctx.style("highlight"))
        ctx.add_legend(marker, style, *path_labels(name, traj, race))
        start = start if start is not None else pts[0]
    if start is not None:
        area.markers([start[0]], [start[1]], START, ctx.style("start"))
        ctx.add_legend(START, ctx.style("start"), _("start"))
        ctx.add_legend(CURRENT if len(ctx.data.runs) == 1 else "▮", ctx.style("highlight"), _("step k = {k}").format(k=k),
                       f"k = {k}")
