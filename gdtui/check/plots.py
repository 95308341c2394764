"""`gdtui check` for plot blocks: evaluate each plot on its range, and each layer as a chart would."""

from __future__ import annotations

import numpy as np

from gdtui.course.exprs import ValueProblem, compile_value, evaluate
from gdtui.course.model import Plot
from gdtui.engine.descent import descend
from gdtui.engine.expr import ExprError
from gdtui.engine.optimizers import optimizer_hyperparameters

HYPER = ("momentum", "beta1", "beta2", "alpha", "eps")
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


def _hyper(plot: Plot, optimizer: str) -> dict:
    accepted = optimizer_hyperparameters(optimizer)
    return {k: plot.values[k] for k in HYPER if k in plot.values and k in accepted}


def _check_descent(plot: Plot, grads) -> list[tuple[int, str, str]]:
    out = []
    line = plot.field_lines.get("x0", plot.line)
    start = [plot.values["x0"]] + ([plot.values["y0"]] if plot.kind == "2d" else [])

    def gradient(p):
        env = {**plot.params, **dict(zip(plot.variables, p))}
        return np.array([float(evaluate(g, env)) for g in grads])

    if not np.all(np.isfinite(gradient(start))):
        return [(line, "error", "f has no derivative at the start point (x0, y0)")]
    for name in plot.optimizers or ("sgd",):
        try:
            descend(gradient, start, optimizer=name, lr=plot.values["lr"], steps=min(int(plot.values["steps"]), 2000),
                    schedule=plot.values.get("schedule"), **_hyper(plot, name))
        except (ValueError, ArithmeticError) as exc:
            out.append((plot.field_lines.get("optimizer", plot.field_lines.get("optimizers", plot.line)), "error",
                        f"the {name} path cannot run: {exc}"))
    unused = [k for k in HYPER if k in plot.values and not any(k in optimizer_hyperparameters(o) for o in plot.optimizers)]
    for key in unused:
        out.append((plot.field_lines.get(key, plot.line), "warning",
                    f"{key} is not used by {', '.join(plot.optimizers) or 'sgd'}"))
    return out


def _check_regression(plot: Plot) -> list[tuple[int, str, str]]:
    from gdtui.engine.regression import fit_gd, make_linear_data, make_polynomial_data

    spec = plot.data
    line = plot.field_lines.get("data", plot.line)
    try:
        if spec["kind"] == "points":
            X = np.array([[p[0]] for p in spec["points"]])
            y = np.array([p[1] for p in spec["points"]])
        elif spec["kind"] == "linear":
            X, y = make_linear_data(n=spec["n"], w=spec["w"], b=spec["b"], noise=spec["noise"], seed=spec["seed"])
        else:
            X, y = make_polynomial_data(n=spec["n"], coefs=spec["coefs"], noise=spec["noise"], seed=spec["seed"])
        if {"fit", "loss"}.intersection(plot.layers):
            optimizer = plot.values.get("optimizer", "sgd")
            fit_gd(X, y, model=spec["model"], degree=spec["degree"], loss=spec["loss"], method=spec["method"],
                   lr=plot.values.get("lr", 0.1), epochs=min(int(plot.values.get("steps", 100)), 2000),
                   batch_size=int(plot.values.get("batch_size", 16)), seed=0, optimizer=optimizer,
                   **_hyper(plot, optimizer))
    except (ValueError, ArithmeticError) as exc:
        return [(line, "error", f"data: cannot build this regression: {exc}")]
    return []
