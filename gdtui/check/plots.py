"""`gdtui check` for plot blocks: evaluate each plot on its range, and each layer as a chart would.

Descents and fits are the plot's own runs (`gdtui.course.runs`): the same start, schedule, hyperparameters,
data set and defaults the chart draws, so a path the checker passes is the path the learner sees.
"""

from __future__ import annotations

import numpy as np

from gdtui.course import runs
from gdtui.course.exprs import ValueProblem, compile_value, evaluate
from gdtui.course.model import Plot
from gdtui.engine.expr import ExprError
from gdtui.engine.graph import computation_graph

NEEDS_DERIVATIVE = {"derivative", "second_derivative", "tangent", "path", "loss", "error_vs_h", "gradient_field",
                    "point"}
GRID = 201


def check_plot(plot: Plot) -> list[tuple[int, str, str]]:
    """(line, "error" | "warning", message) for each problem in one plot."""
    if plot.kind == "regression":
        return _check_regression(plot)
    out: list[tuple[int, str, str]] = []
    lines = plot.field_lines
    f_line = lines.get("f", plot.line)
    try:
        expr = compile_value(plot.f, tuple(plot.params), plot.variables, helpers=False)
    except ValueProblem as exc:  # the parser checked this already
        return [(f_line, "error", f"f: {exc.message}")]
    env = dict(plot.params)
    xs = np.linspace(*plot.x_range, GRID)
    if plot.kind == "2d":
        gx, gy = np.meshgrid(np.linspace(*plot.x_range, 81), np.linspace(*plot.y_range, 81))
        env.update(x=gx, y=gy)
        where = f"x in [{plot.x_range[0]:g}, {plot.x_range[1]:g}], y in [{plot.y_range[0]:g}, {plot.y_range[1]:g}]"
    else:
        env["x"] = xs
        where = f"x in [{plot.x_range[0]:g}, {plot.x_range[1]:g}]"
    values = np.broadcast_to(evaluate(expr, env), np.shape(env["x"]))
    if not np.any(np.isfinite(values)):
        return [(f_line, "error", f"f is not defined anywhere on {where}")]

    grads = ()
    if NEEDS_DERIVATIVE.intersection(plot.layers):
        try:
            grads = tuple(expr.diff(v) for v in plot.variables)
            if "second_derivative" in plot.layers:
                grads[0].diff("x")
        except ExprError as exc:
            return out + [(f_line, "error", f"f: cannot take its derivative: {exc}")]

    for key in ("tangent_at", "x0"):
        if key in plot.values and not plot.x_range[0] <= plot.values[key] <= plot.x_range[1]:
            out.append((lines.get(key, plot.line), "warning", f"{key} = {plot.values[key]:g} is outside the x range"))
    if plot.kind == "2d" and "y0" in plot.values and not plot.y_range[0] <= plot.values["y0"] <= plot.y_range[1]:
        out.append((lines.get("y0", plot.line), "warning", f"y0 = {plot.values['y0']:g} is outside the y range"))

    if {"tangent", "secant", "error_vs_h"}.intersection(plot.layers):
        out += _check_point(plot, expr, grads, env)
    if "point" in plot.layers:
        out += _check_gradient_point(plot, grads)
    if {"path", "loss"}.intersection(plot.layers):
        out += _check_descent(plot, grads)
    if "graph" in plot.layers:
        out += _check_graph(plot, expr)
    return out


def _check_graph(plot: Plot, expr) -> list[tuple[int, str, str]]:
    """The graph at its start point, as the chart draws it; and a step control that can walk all of it."""
    point = {name: plot.values.get(start, 0.0) for name, start in zip(plot.variables, ("x0", "y0"))}
    try:
        graph = computation_graph(expr, {**plot.params, **point})
    except ExprError as exc:
        return [(plot.field_lines.get("f", plot.line), "error", f"f: {exc.message}")]
    last = 2 * len(graph.operations)
    out = []
    if plot.values.get("step", 0) > last:
        out.append((plot.field_lines.get("step", plot.line), "error",
                    f"step {plot.values['step']:g} is beyond the walk's last step ({last}: "
                    f"{len(graph.operations)} operations forward, then back)"))
    control = next((c for c in plot.controls if c.name == "step"), None)
    if control is not None and control.hi < last:
        out.append((plot.field_lines.get("controls", plot.line), "warning",
                    f"controls.step stops at {control.hi:g}, so the walk never gets back to the inputs "
                    f"(its last step is {last})"))
    return out


def _check_point(plot: Plot, expr, grads, env) -> list[tuple[int, str, str]]:
    a = plot.values["tangent_at"]
    line = plot.field_lines.get("tangent_at", plot.line)
    point = {**plot.params, "x": a}
    if not np.isfinite(evaluate(expr, point)):
        return [(line, "error", f"f is not defined at tangent_at = {a:g}")]
    if grads and not np.isfinite(evaluate(grads[0], point)):
        return [(line, "error", f"f has no derivative at tangent_at = {a:g}")]
    if "secant" in plot.layers and not np.isfinite(evaluate(expr, {**point, "x": a + plot.values["h"]})):
        return [(plot.field_lines.get("h", line), "error", f"f is not defined at tangent_at + h = {a + plot.values['h']:g}")]
    return []


def _check_gradient_point(plot: Plot, grads) -> list[tuple[int, str, str]]:
    point = {**plot.params, "x": plot.values["x0"], "y": plot.values["y0"]}
    if all(np.isfinite(evaluate(g, point)) for g in grads):
        return []
    return [(plot.field_lines.get("x0", plot.line), "error",
             f"f has no gradient at the point (x0, y0) = ({plot.values['x0']:g}, {plot.values['y0']:g})")]


def _check_descent(plot: Plot, grads) -> list[tuple[int, str, str]]:
    out = []
    line = plot.field_lines.get("x0", plot.line)
    start = [plot.values["x0"]] + ([plot.values["y0"]] if plot.kind == "2d" else [])
    env = {**plot.params, **dict(zip(plot.variables, start))}
    if not all(np.isfinite(float(evaluate(g, env))) for g in grads):
        return [(line, "error", "f has no derivative at the start point (x0, y0)")]
    names = plot.variables + tuple(sorted(plot.params))
    params = tuple((name, float(plot.params[name])) for name in sorted(plot.params))
    descents = runs.descents(plot, plot.values)
    for run in descents:
        try:
            runs.trajectory(plot.f, names, params, run)
        except (ValueError, ArithmeticError) as exc:
            out.append((plot.field_lines.get("optimizer", plot.field_lines.get("optimizers", plot.line)), "error",
                        f"the {run.optimizer} path cannot run: {exc}"))
    used = {name for run in descents for name, _ in run.hyper}
    racers = ", ".join(run.optimizer for run in descents)
    for key in runs.HYPER_VALUES:
        if key in plot.values and key not in used:
            out.append((plot.field_lines.get(key, plot.line), "warning", f"{key} is not used by {racers}"))
    return out


def _check_regression(plot: Plot) -> list[tuple[int, str, str]]:
    line = plot.field_lines.get("data", plot.line)
    try:
        _, fits = runs.fit_runs(plot, plot.values)
        if {"fit", "loss"}.intersection(plot.layers):
            for run in fits:
                runs.fit(run)
        if "capacity" in plot.layers:
            table = runs.sweep(runs.data_key(plot.data))
            control = next((c for c in plot.controls if c.name == "degree"), None)
            if control is not None and control.hi > table.degrees[-1]:
                return [(plot.field_lines.get("controls", plot.line), "warning",
                         f"controls.degree goes to {control.hi:g}, but the chart fits degrees up to "
                         f"{int(table.degrees[-1])} (n − 2 for {len(table.train.y)} points, at most 12)")]
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
        return [(line, "error", f"data: cannot build this regression: {exc}")]
    return []
