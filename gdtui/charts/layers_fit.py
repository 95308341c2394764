"""Loss curves (descent and regression) and the regression layers: data and the current fit."""

from __future__ import annotations

import numpy as np
from rich.style import Style

from gdtui.i18n import _

from . import fmt
from .words import method_name
from .base import CURRENT, Box, Ctx, full_range, log_range, robust_range, sparse_markers, wants_log, x_range
from .canvas import Scale
from .theme import RACE_MARKERS

METHOD_MARKERS = {"batch": "•", "stochastic": "×", "minibatch": "+"}


def loss_panel(ctx: Ctx, box: Box) -> None:
    """f(xₖ) against k for each run (a race gives several curves), or the regression loss per epoch."""
    data = ctx.data
    if data.fit is not None:
        curves = dict(data.fit.losses)
        current = data.fit.method
        markers = {m: METHOD_MARKERS.get(m, "•") for m in curves}
        styles = {m: ctx.style("race", i) for i, m in enumerate(curves)}
        what = _("{loss} loss per epoch").format(loss=data.fit.loss.upper())
    else:
        curves = {name: t.values for name, t in data.runs.items() if t.values is not None}
        current = next(iter(curves), None)
        markers = {n: RACE_MARKERS[i % len(RACE_MARKERS)] for i, n in enumerate(curves)}
        styles = {n: ctx.style("race", i) for i, n in enumerate(curves)}
        what = _("loss f(xₖ) per step")
    if not curves:
        return
    k_max = max(len(v) - 1 for v in curves.values())
    log = wants_log(*curves.values())
    yr = log_range(*curves.values()) if log else full_range(*curves.values())
    if yr is None:
        return
    title = _("{title}, log scale").format(title=what) if log else what
    area = ctx.panel(box, Scale(0, max(k_max, 1)), Scale(*yr, log=log), title)
    if area is None:
        return
    k = data.step
    for name, values in curves.items():
        last = min(k, len(values) - 1)
        steps = np.arange(last + 1, dtype=float)
        shown = np.asarray(values[:last + 1], dtype=float)
        area.line(steps, shown, styles[name])
        if last > 0:
            sparse_markers(area, steps, shown, markers[name], styles[name], every_cols=8)
        if data.fit is not None:
            cap = dict(data.fit.capped).get(name)
            short = _("{method} loss").format(method=method_name(name))
            label = short if cap is None else _("{method} loss (first {n} epochs)").format(method=method_name(name), n=cap)
            ctx.add_legend(markers[name], styles[name], label, short)
        is_current = name == current or data.fit is None
        if is_current and shown.size:
            glyph = CURRENT if len(curves) == 1 else markers[name]
            hl = ctx.style("highlight") if len(curves) == 1 else styles[name] + Style(bold=True, reverse=True)
            area.markers(steps[-1:], shown[-1:], glyph, hl)


def data_panel(ctx: Ctx, box: Box) -> None:
    """The data as points and, for the fit layer, the model after epoch k as a line."""
    fit = ctx.data.fit
    x = fit.X[:, 0]
    y = fit.y
    default = (float(np.min(x)), float(np.max(x))) if x.size else (-1.0, 1.0)
    lo, hi = x_range(ctx.spec, default) if getattr(ctx.spec, "x_range", None) else default
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = 0.03 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    epoch = min(ctx.data.step, len(fit.path) - 1)
    theta = fit.path[epoch]
    grid = np.linspace(lo, hi, max(2 * box.width, 16))
    line = _predict(fit, theta, grid)
    yr = robust_range(y, line if "fit" in ctx.data.layers else None)
    area = ctx.panel(box, Scale(lo, hi), Scale(*yr))
    if area is None:
        return
    point_style = ctx.style("series", 0)
    area.markers(x, y, "•", point_style)
    ctx.add_legend("•", point_style, _("data (n = {n})").format(n=x.size), _("data"))
    if "fit" in ctx.data.layers:
        order = list(fit.losses) if fit.method in fit.losses else [fit.method]
        style = ctx.style("race", order.index(fit.method))
        area.line(grid, line, style)
        if fit.status == "diverged":
            label = _("fit after epoch {k}: {equation} (diverged)")
            short = _("fit after epoch {k} (diverged)")
        else:
            label, short = _("fit after epoch {k}: {equation}"), _("fit after epoch {k}")
        ctx.add_legend("──", style, label.format(k=epoch, equation=fit_equation(fit, theta)), short.format(k=epoch))


def _predict(fit, theta, grid: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        if fit.degree is None:
            return theta[0] * grid + theta[-1]
        return np.polyval(theta, grid)


def fit_equation(fit, theta) -> str:
    if fit.degree is None:
        return fmt.line_equation(float(theta[0]), float(theta[-1])).replace("y =", "ŷ =")
    terms = []
    power = len(theta) - 1
    for i, c in enumerate(theta):
        p = power - i
        term = fmt.num(abs(c), 3) + ("" if p == 0 else "·x" + (fmt.sup(p) if p > 1 else ""))
        sign = ("− " if c < 0 else "+ ") if terms else ("−" if c < 0 else "")
        terms.append(sign + term)
    return "ŷ = " + " ".join(terms)
