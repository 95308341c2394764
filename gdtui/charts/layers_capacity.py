"""The capacity layer: polynomials of growing degree fitted to a few points, and how each does on fresh ones.

Left, the points (● fitted, · held out) with the chosen degree's polynomial; right, the mean squared error of
every degree on the fitted points (falls for ever) and on the held-out points (falls, then climbs once the curve
bends to the noise), a log scale when they span more than a thousandfold, the chosen degree marked on both.
"""

from __future__ import annotations

import numpy as np

from gdtui.i18n import _

from . import fmt
from .base import CURRENT, Box, Ctx, full_range, log_range, robust_range, wants_log, x_range
from .canvas import Scale


SHOWN_HELD_OUT = 30  # held-out points drawn (all of them count in the error)
FLOOR = 1e-4  # a log axis reaches no lower than this fraction of the smallest held-out error


def capacity_fit_panel(ctx: Ctx, box: Box) -> None:
    table, degree = ctx.data.capacity, ctx.data.degree
    train_x, train_y = table.train.X[:, 0], table.train.y
    fresh_x, fresh_y = table.held_out.X[:, 0], table.held_out.y
    lo, hi = x_range(ctx.spec, (float(np.min(fresh_x)), float(np.max(fresh_x))))
    grid = np.linspace(lo, hi, max(2 * box.width, 16))
    curve = table.curve(degree, grid)
    yr = robust_range(train_y, fresh_y)
    if yr is None:
        return
    area = ctx.panel(box, Scale(lo, hi), Scale(*yr))
    if area is None:
        return
    shown = slice(None, None, max(1, -(-fresh_x.size // SHOWN_HELD_OUT)))  # a sample: the curve must stay visible
    area.markers(fresh_x[shown], fresh_y[shown], "·", ctx.style("muted"), overwrite=False)
    with np.errstate(all="ignore"):
        inside = (curve >= yr[0] - (yr[1] - yr[0])) & (curve <= yr[1] + (yr[1] - yr[0]))
    area.line(grid[inside], curve[inside], ctx.style("series", 0), break_jumps=True)
    area.markers(train_x, train_y, "●", ctx.style("series", 1))
    ctx.add_legend("●", ctx.style("series", 1), _("{n} points fitted").format(n=train_x.size), _("fitted"), keep=2)
    ctx.add_legend("·", ctx.style("muted"), _("{n} held out (some drawn)").format(n=fresh_x.size), _("held out"), keep=1)
    ctx.add_legend("──", ctx.style("series", 0), _("best fit of degree {degree}").format(degree=degree),
                   _("degree {degree}").format(degree=degree), keep=2)


def capacity_error_panel(ctx: Ctx, box: Box) -> None:
    table, degree = ctx.data.capacity, ctx.data.degree
    ks = table.degrees.astype(float)
    train, fresh = table.train_mse, table.held_out_mse
    log = wants_log(train, fresh, ratio=30)
    if log:  # a curve through every point has a training error near 0: keep the scale for the errors that matter
        train = np.maximum(train, FLOOR * float(np.min(fresh)))
    yr = log_range(train, fresh) if log else full_range(train, fresh)
    if yr is None:
        return
    area = ctx.panel(box, Scale(0, max(1.0, float(ks[-1]))), Scale(*yr, log=log),
                     _("error per degree, log scale") if log else _("error per degree"))
    if area is None:
        return
    styles = {"training": ctx.style("series", 2), "held-out": ctx.style("series", 3)}
    for name, values, marker, label in (("training", train, "+", _("training error")),
                                        ("held-out", fresh, "×", _("held-out error"))):
        area.line(ks, values, styles[name])
        area.markers(ks, values, marker, styles[name], overwrite=False)
        ctx.add_legend(marker, styles[name], label, keep=3)
    here = np.array([float(degree), float(degree)])
    area.markers(here, np.array([train[degree], fresh[degree]]), CURRENT, ctx.style("highlight"))


def capacity_status(table, degree: int) -> list[str]:
    """The status line's parts: the chosen degree's two errors, and the degree the held-out points prefer."""
    return [_("degree {degree}").format(degree=degree),
            _("training MSE = {value}").format(value=fmt.num(table.train_mse[degree], 3)),
            _("held-out MSE = {value}").format(value=fmt.num(table.held_out_mse[degree], 3)),
            _("lowest held-out error: degree {degree}").format(degree=table.best)]


