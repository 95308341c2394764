"""The line under a chart: the current values in Unicode (x₀ = 5  η = 0.1  step k = 2 …)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from rich.cells import cell_len

from gdtui.i18n import _

from . import fmt
from .words import method_name
from .graph import describe_step
from .layers_capacity import capacity_status
from .data import (ERROR_H, ChartData, ChartInputError, compute, derivative_at, error_at, error_methods, error_vs_h,
                   number)

GAP = "  "


def status_line(spec: Any, values: Mapping[str, Any] | None = None, computed: ChartData | None = None) -> str:
    """The current values of a chart as one line; never raises (a problem becomes its message).

    Parts are separated by two spaces (a screen may wrap the line there). In order: the parameters of
    f (``b = 0.5``); the point x with f, f′ (f″ with the second-derivative layer), the tangent's
    equation with the tangent layer and the secant's slope with the secant layer; the descent at step k;
    the finite-difference errors with the error-vs-h layer (last: a screen short of room drops them
    first). For a regression: the fit at epoch k and its loss.
    """
    try:
        data = computed if computed is not None else compute(spec, values)
    except ChartInputError as exc:
        return str(exc)
    except Exception as exc:  # the status line is informative only
        return _("This chart cannot be drawn with these values.")
    parts: list[str] = []
    if data.graph is not None:
        return (GAP + GAP).join(p for p in (_params(data), *describe_step(data.graph, data.step)) if p)
    if data.capacity is not None:
        return (GAP + GAP).join(capacity_status(data.capacity, data.degree))
    if data.kind == "regression":
        parts.append(_regression(data))
    else:
        parts.append(_params(data))
        if data.tangent is not None:
            parts.append(_at_point(spec, data))
        if data.runs:
            parts.append(_race(data) if len(data.runs) > 1 else _descent(spec, data))
        if data.tangent is not None and "error_vs_h" in data.layers:
            parts.append(_errors(spec, data))
        if len(parts) == 1:
            parts.append(_function(spec, data))
    parts.extend(data.problems)
    return (GAP + GAP).join(p for p in parts if p)


def fit_status(status: str, width: int, most: int = 2) -> list[str]:
    """The status line's parts (separated by two spaces) packed into at most ``most`` lines of ``width``
    cells. A part is never cut: one that finds no room on the lines left is dropped whole (a later,
    shorter one may still fit), so every number on screen is a whole number."""
    lines: list[str] = []
    for part in (p.strip() for p in status.split(GAP)):
        if not part or cell_len(part) > width:
            continue
        if lines and cell_len(lines[-1]) + cell_len(GAP) + cell_len(part) <= width:
            lines[-1] += GAP + part
        elif len(lines) < most:
            lines.append(part)
    return lines or [""]


def _names(spec: Any, data: ChartData) -> tuple[str, ...]:
    return tuple(spec.variables or ("x",)) + tuple(name for name, _ in data.params)


def _params(data: ChartData) -> str:
    """The free symbols of f with their current values: ``a = 1  b = 0``."""
    return GAP.join(f"{name} = {fmt.num(value)}" for name, value in data.params)


def _function(spec: Any, data: ChartData) -> str:
    args = ", ".join(spec.variables)
    try:
        return f"f({args}) = {data.f.unicode()}"
    except Exception:
        return f"f({args}) = {spec.f}"


def _at_point(spec: Any, data: ChartData) -> str:
    """x, f(x), f′(x) (and f″(x)), then what the tangent and secant layers draw."""
    t = data.tangent
    layers = set(data.layers)
    parts = [f"x = {fmt.num(t.x)}"]
    if layers & {"function", "tangent", "secant"} or "error_vs_h" not in layers:
        parts.append(f"f(x) = {fmt.num(t.fx)}")
    defined = np.isfinite(t.fx)  # where f is undefined, so are its derivatives (log x at x < 0)
    undefined = _("undefined")
    parts.append(f"f′(x) = {fmt.num(t.slope) if defined else undefined}")
    if "second_derivative" in layers:
        parts.append(f"f″(x) = {fmt.num(_second(spec, data, t.x)) if defined else undefined}")
    if "tangent" in layers:
        parts.append(_("tangent {equation}").format(equation=fmt.line_equation(t.slope, t.intercept)))
    if data.secant is not None:
        parts += [f"h = {fmt.num(data.secant.h)}", _("secant slope = {slope}").format(slope=fmt.num(data.secant.slope))]
    return GAP.join(parts)


def _second(spec: Any, data: ChartData, x: float) -> float:
    return derivative_at(str(spec.f), _names(spec, data), data.params, 2, float(x))


def _errors(spec: Any, data: ChartData) -> str:
    """The finite differences' errors: at the plot's h if it has one (and no secant uses it), else at each
    method's best h. The chart marks the same points."""
    names, a = _names(spec, data), data.tangent.x
    h = number(data.values, "h", None)
    at_h = h is not None and ERROR_H[0] <= h <= ERROR_H[-1] and "secant" not in data.layers
    parts = [f"h = {fmt.num(h)}"] if at_h else []
    for method in error_methods(data.values):
        if at_h:
            error = fmt.num(error_at(str(spec.f), names, data.params, a, method, h), 2)
            parts.append(_("{method} error = {error}").format(method=method_name(method), error=error))
            continue
        err = error_vs_h(str(spec.f), names, data.params, a, method)
        if np.isfinite(err).any():
            best = int(np.nanargmin(err))
            said = _("{method}: error {error} at h ≈ {h}")
            parts.append(said.format(method=method_name(method), error=fmt.num(err[best], 2), h=fmt.num(ERROR_H[best], 1)))
    return GAP.join(parts)


def _point(x: np.ndarray) -> str:
    return fmt.num(x[0]) if x.size == 1 else "(" + ", ".join(fmt.num(v) for v in x) + ")"


def _outcome(traj) -> str:
    if traj.status == "diverged":
        return _("diverged at step {k}").format(k=traj.steps_run)
    if traj.status == "converged":
        return _("converged at step {k}").format(k=traj.steps_run)
    return ""


def _descent(spec: Any, data: ChartData) -> str:
    name, traj = next(iter(data.runs.items()))
    k = min(data.step, traj.steps_run)
    n = traj.xs.shape[1]
    start = "x₀" if n == 1 else "(x₀, y₀)"
    here = "xₖ" if n == 1 else "(xₖ, yₖ)"
    parts = [] if name == "sgd" else [method_name(name)]
    parts += [f"{start} = {_point(traj.xs[0])}", f"η = {fmt.num(_rate(data, name, traj))}",
              _("step k = {k}").format(k=k), f"{here} = {_point(traj.xs[k])}"]
    if traj.values is not None:
        parts.append(f"f({'xₖ' if n == 1 else 'xₖ, yₖ'}) = {fmt.num(traj.values[k])}")
    with np.errstate(all="ignore"):
        size = "|f′|" if n == 1 else "‖∇f‖"  # one variable: a derivative, not a gradient
        parts.append(f"{size} = {fmt.num(float(np.linalg.norm(traj.grads[k])))}")
    if n == 1 and "second_derivative" in data.layers and data.tangent is None:
        parts.append(f"f″(xₖ) = {fmt.num(_second(spec, data, traj.xs[k, 0]))}")
    parts.append(_outcome(traj))
    return GAP.join(p for p in parts if p)


def _race(data: ChartData) -> str:
    first = next(iter(data.runs.values()))
    shared = number(data.values, "lr", first.lr)
    parts = [f"{'x₀' if first.xs.shape[1] == 1 else '(x₀, y₀)'} = {_point(first.xs[0])}",
             f"η = {fmt.num(shared)}", _("step k = {k}").format(k=data.step)]
    for name, traj in data.runs.items():
        k = min(data.step, traj.steps_run)
        # three figures in a race: six racers' values fit two lines at 80 columns, ×10⁻⁵ forms included
        value = fmt.num(traj.values[k], 3) if traj.values is not None else _point(traj.xs[k])
        outcome = _outcome(traj)
        rate = _rate(data, name, traj)
        label = method_name(name) if rate == shared else f"{method_name(name)} (η {fmt.num(rate)})"
        said = _("{name}: f = {value} ({outcome})") if outcome else _("{name}: f = {value}")
        parts.append(said.format(name=label, value=value, outcome=outcome))
    return GAP.join(parts)


def _rate(data: ChartData, name: str, traj) -> float:
    """The η an optimizer ran with: its own (lr_adam …) in a race, else the plot's lr."""
    return number(data.values, f"lr_{name}", number(data.values, "lr", traj.lr))


def _regression(data: ChartData) -> str:
    """The method, η, the epoch k, the model's parameters after it (w and b, or θ) and the loss."""
    fit = data.fit
    k = min(data.step, len(fit.path) - 1)
    theta = fit.path[k]
    parts = [method_name(fit.method), f"η = {fmt.num(number(data.values, 'lr', 0.01))}", _("epoch k = {k}").format(k=k)]
    if fit.degree is None:
        parts += [f"w = {fmt.num(theta[0])}", f"b = {fmt.num(theta[-1])}"]
    else:
        parts.append("θ = (" + ", ".join(fmt.num(t, 3) for t in theta) + ")")
    losses = fit.losses.get(fit.method)
    if losses is not None and k < len(losses):
        parts.append(f"{fit.loss.upper()} = {fmt.num(losses[k])}")
    for method, others in fit.losses.items():  # the loss layer draws every method: their losses too
        if method != fit.method and len(others):
            parts.append(f"{method_name(method)} {fit.loss.upper()} = {fmt.num(others[min(k, len(others) - 1)])}")
    if fit.status == "diverged":
        parts.append(_("diverged at epoch {k}").format(k=len(fit.path) - 1))
    return GAP.join(parts)
