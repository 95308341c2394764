"""1-D layers: the function and its derivatives, tangent, secant, a descent path, error vs h."""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.cells import cell_len

from gdtui.i18n import _

from . import fmt
from .fmt import clip_words
from .words import method_name
from .base import (CURRENT, LINE_SERIES, START, Box, Ctx, draw_guess, log_range, path_labels, robust_range,
                   sparse_markers, x_range, y_range)
from .canvas import PlotArea, Scale
from .data import (ERROR_H, ChartInputError, error_at, error_methods, error_vs_h, guess_point, number, samples_1d,
                   unicode_text)
from .theme import RACE_MARKERS

CURVES = {"function": 0, "derivative": 1, "second_derivative": 2}  # layer -> order of derivative
PRIME = {0: "f", 1: "f′", 2: "f″"}


def curve_layers(layers: tuple[str, ...]) -> list[str]:
    """The curves to draw; the function itself is drawn whenever no derivative replaces it."""
    chosen = [name for name in CURVES if name in layers]
    needs_f = {"tangent", "secant", "path", "race"} & set(layers)
    if "function" not in chosen and (needs_f or not chosen):
        chosen.insert(0, "function")
    return chosen


def function_panel(ctx: Ctx, box: Box) -> None:
    spec, data = ctx.spec, ctx.data
    lo, hi = x_range(spec)
    names = _names(ctx)
    n = max(2 * box.width, 16)
    curves = {name: samples_1d(spec.f, names, data.params, lo, hi, n, CURVES[name])
              for name in curve_layers(data.layers)}
    curves = defined_where_f_is(curves, samples_1d(spec.f, names, data.params, lo, hi, n, 0)[1])
    if "function" in curves and not np.isfinite(curves["function"][1]).any():
        raise ChartInputError(_("f is undefined on this range ({lo} to {hi})").format(lo=fmt.num(lo), hi=fmt.num(hi)))
    yr = y_range(spec) or robust_range(*(y for _, y in curves.values()))
    if yr is None:
        raise ChartInputError(_("f′ is undefined on this range ({lo} to {hi})").format(lo=fmt.num(lo), hi=fmt.num(hi)))
    area = ctx.panel(box, Scale(lo, hi), Scale(*yr))
    if area is None:
        return
    if yr[0] < 0 < yr[1]:
        area.hline(0.0, ctx.style("axis"))
    for name, (x, y) in curves.items():
        _curve(ctx, area, name, x, y)
    if "secant" in data.layers and data.secant is not None:
        _secant(ctx, area)
    if "tangent" in data.layers and data.tangent is not None:
        _tangent(ctx, area)
    if {"path", "race"} & set(data.layers):
        path_1d(ctx, area)
    guess = guess_point(data.values, 1)
    if guess is not None and "function" in curves:
        guess_1d(ctx, area, guess[0])


def defined_where_f_is(curves: dict, fy: np.ndarray) -> dict:
    """A derivative is drawn only where f itself is defined: (log x)′ = 1/x has values for x < 0, log x
    has none, and neither has a slope there."""
    undefined = ~np.isfinite(fy)
    if not undefined.any():
        return curves
    return {name: (x, np.where(undefined, np.nan, y)) for name, (x, y) in curves.items()}


def _names(ctx: Ctx) -> tuple[str, ...]:
    return tuple(ctx.spec.variables or ("x",)) + tuple(name for name, _ in ctx.data.params)


def _curve(ctx: Ctx, area: PlotArea, name: str, x: np.ndarray, y: np.ndarray) -> None:
    index, pattern, marker = LINE_SERIES[name]
    style = ctx.style("series", index)
    area.line(x, y, style, pattern, break_jumps=True)
    if ctx.mono:
        sparse_markers(area, x, y, marker, style)
    order = CURVES[name]
    short = f"{PRIME[order]}(x)"
    text = unicode_text(ctx.spec.f, _names(ctx), order)
    # f's formula is often the title too; a derivative's is nowhere else: it keeps its formula longest
    ctx.line_legend(name, f"{short} = {text}" if len(text) <= 40 else short, short, keep=1 + order)


def _tangent(ctx: Ctx, area: PlotArea) -> None:
    t = ctx.data.tangent
    style = ctx.style("series", LINE_SERIES["tangent"][0])
    if not (np.isfinite(t.slope) and np.isfinite(t.fx)):
        ctx.add_legend("!", ctx.style("warn"), _("no tangent at x = {x}: f′ is undefined there").format(x=fmt.num(t.x)),
                       _("no tangent at x = {x}").format(x=fmt.num(t.x)))
        return
    lo, hi = area.xs.lo, area.xs.hi
    xs = np.linspace(lo, hi, 9)
    ys = t.slope * xs + t.intercept
    area.line(xs[[0, -1]], ys[[0, -1]], style)
    if ctx.mono:
        area.markers(xs[1:-1:2], ys[1:-1:2], LINE_SERIES["tangent"][2], style)
    area.markers([t.x], [t.fx], "●", style)
    at = _("tangent at x = {x}").format(x=fmt.num(t.x))
    full = _("tangent at x = {x}: {equation}").format(x=fmt.num(t.x), equation=fmt.line_equation(t.slope, t.intercept))
    ctx.line_legend("tangent", full, at)


def _secant(ctx: Ctx, area: PlotArea) -> None:
    s = ctx.data.secant
    style = ctx.style("series", LINE_SERIES["secant"][0])
    if not (np.isfinite(s.fx) and np.isfinite(s.fxh)):
        ctx.add_legend("!", ctx.style("warn"), _("no secant: f is undefined at one of its points"), _("no secant"))
        return
    slope = s.slope
    lo, hi = area.xs.lo, area.xs.hi
    xs = np.array([lo, hi])
    area.line(xs, s.fx + slope * (xs - s.x), style, "dashed")
    if ctx.mono:
        mid = np.linspace(lo, hi, 6)[1:-1]
        area.markers(mid, s.fx + slope * (mid - s.x), LINE_SERIES["secant"][2], style)
    area.markers([s.x, s.x + s.h], [s.fx, s.fxh], "○", style)
    full = _("secant h = {h}: slope {slope}").format(h=fmt.num(s.h), slope=fmt.num(slope))
    ctx.line_legend("secant", full, _("secant h = {h}").format(h=fmt.num(s.h)))


def path_1d(ctx: Ctx, area: PlotArea) -> None:
    """Descent points on the curve up to step k, joined in order; start and step k marked."""
    runs = ctx.data.runs
    race = len(runs) > 1
    k = ctx.data.step
    for i, (name, traj) in enumerate(runs.items()):
        style = ctx.style("race", i)
        marker = RACE_MARKERS[i % len(RACE_MARKERS)]
        last = min(k, traj.steps_run)
        x = traj.xs[:last + 1, 0]
        y = traj.values[:last + 1] if traj.values is not None else ctx.data.evaluate(x)
        if _oscillates(x):  # jumps over the minimum: join the points so the zigzag shows
            area.line(x, y, style, "dotted")
        area.markers(x, y, marker, style, overwrite=not race)
        current = ctx.style("highlight") if not race else style + Style(bold=True, reverse=True)
        area.markers(x[-1:], y[-1:], CURRENT if not race else marker, current)
        ctx.add_legend(marker, style, *path_labels(name, traj, race))
        if i == 0:
            area.markers(x[:1], y[:1], START, ctx.style("start"))
        if not race:
            area.label(float(x[-1]), float(y[-1]), f"x{fmt.sub(last)}", ctx.style("highlight"))
            if last > 0:
                area.label(float(x[0]), float(y[0]), "x₀", ctx.style("start"))
    if runs:
        ctx.add_legend(START, ctx.style("start"), _("start"))
        ctx.add_legend(CURRENT if not race else "▮", ctx.style("highlight"), _("step k = {k}").format(k=k), f"k = {k}")


def guess_1d(ctx: Ctx, area: PlotArea, x: float) -> None:
    """The learner's answer x, on the curve of f."""
    fx = float(ctx.data.evaluate(np.array(x)))
    inside_x = area.xs.lo <= x <= area.xs.hi
    note = _("f is undefined there") if inside_x and not np.isfinite(fx) else ""
    draw_guess(ctx, area, (x, fx), f"x = {fmt.num(x)}", note)


def _oscillates(x: np.ndarray) -> bool:
    steps = np.diff(x)
    steps = steps[steps != 0]
    return bool(steps.size > 1 and (np.sign(steps[1:]) != np.sign(steps[:-1])).any())


def error_panel(ctx: Ctx, box: Box) -> None:
    """|finite difference − f′(a)| against h on log–log axes, for forward and central differences."""
    t = ctx.data.tangent
    if t is None:
        return
    names = _names(ctx)
    errors = {m: error_vs_h(ctx.spec.f, names, ctx.data.params, t.x, m) for m in error_methods(ctx.data.values)}
    hs = np.asarray(ERROR_H)
    yr = log_range(*errors.values())
    titles = (_("|error| of f′({x}) against h, log–log").format(x=fmt.num(t.x)),
              _("|error| of f′({x}), log–log").format(x=fmt.num(t.x)), _("|error|, log–log"))
    title = next((text for text in titles if cell_len(text) <= box.width), titles[-1])
    if yr is None:
        said = clip_words(_("{title}: no error at any h").format(title=title), box.width)
        ctx.canvas.put(box.row, box.col, said, ctx.style("muted"))
        return
    area = ctx.panel(box, Scale(hs[0], hs[-1], log=True), Scale(*yr, log=True), title)
    if area is None:
        return
    for i, (method, err) in enumerate(errors.items()):
        style = ctx.style("series", 5 + i)
        marker = RACE_MARKERS[(i + 1) % len(RACE_MARKERS)]
        area.line(hs, err, style)
        sparse_markers(area, hs, err, marker, style, every_cols=8)
        best = int(np.nanargmin(err)) if np.isfinite(err).any() else None
        name = method_name(method)
        label = _("{method}, best h ≈ {h}").format(method=name, h=fmt.num(hs[best], 1)) if best is not None else name
        ctx.add_legend(marker, style, label, name)
    h = number(ctx.data.values, "h", None)
    if h is not None and hs[0] <= h <= hs[-1] and "secant" not in ctx.data.layers:  # the h the status line reads
        at = [error_at(ctx.spec.f, names, ctx.data.params, t.x, m, h) for m in errors]
        area.markers([h] * len(at), at, CURRENT, ctx.style("highlight"))
        ctx.add_legend(CURRENT, ctx.style("highlight"), f"h = {fmt.num(h)}")
