"""A chart in one sentence, with its numbers: for a screen reader, or for anyone who wants the figures.

    describe(plot, values) -> "f(x) = x² + 2·x + 1 on [−3, 6]; the path from x₀ = 5 with η = 0.1 reaches
    x = −0.9926 (f = 5.517e−5) after 30 steps, converged at step 30."

Like the status line it never raises: a chart that cannot be computed is described by its problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import fmt
from .data import ChartInputError, compute, number, samples_1d, unicode_text


def describe(spec: Any, values: Mapping[str, Any] | None = None) -> str:
    try:
        data = compute(spec, values)
    except ChartInputError as exc:
        return f"This chart cannot be drawn: {exc}."
    except Exception as exc:  # informative only, like the status line
        return f"This chart cannot be drawn ({type(exc).__name__})."
    if data.kind == "regression":
        return _regression(data)
    variables = tuple(getattr(spec, "variables", ("x",)) or ("x",))
    names = variables + tuple(name for name, _ in data.params)
    lo, hi = (float(v) for v in spec.x_range)
    where = f"[{fmt.num(lo)}, {fmt.num(hi)}]"
    if data.kind == "2d":
        y_range = getattr(spec, "y_range", None) or spec.x_range
        where += f" × [{fmt.num(float(y_range[0]))}, {fmt.num(float(y_range[1]))}]"
    parts = [f"f({', '.join(variables)}) = {unicode_text(str(spec.f), names)} on {where}"]
    if data.params:
        parts.append(", ".join(f"{name} = {fmt.num(value)}" for name, value in data.params))
    if data.kind == "1d" and not data.runs:
        parts.append(_extent(spec, names, data.params, lo, hi))
    if data.tangent is not None:
        t = data.tangent
        parts.append(f"at x = {fmt.num(t.x)} f = {fmt.num(t.fx)} and the slope f′ = {fmt.num(t.slope)}")
    if data.secant is not None:
        parts.append(f"the secant with h = {fmt.num(data.secant.h)} has slope {fmt.num(data.secant.slope)}")
    if len(data.runs) == 1:
        parts.append(_path(data))
    elif data.runs:
        parts.append(_race(data))
    parts.extend(data.problems)
    return "; ".join(p for p in parts if p) + "."


def _extent(spec: Any, names: tuple[str, ...], params: tuple, lo: float, hi: float) -> str:
    x, y = samples_1d(str(spec.f), names, params, lo, hi, 401, 0)
    finite = np.isfinite(y)
    if not finite.any():
        return "f is undefined on the whole range"
    i, j = int(np.argmin(np.where(finite, y, np.inf))), int(np.argmax(np.where(finite, y, -np.inf)))
    return (f"its lowest value there is {fmt.num(y[i])} at x = {fmt.num(x[i])}, "
            f"its highest {fmt.num(y[j])} at x = {fmt.num(x[j])}")


def _point(xs: np.ndarray) -> str:
    return fmt.num(xs[0]) if xs.size == 1 else "(" + ", ".join(fmt.num(v) for v in xs) + ")"


def _outcome(traj) -> str:
    if traj.status in ("converged", "diverged"):
        return f"{traj.status} at step {traj.steps_run}"
    return ""


def _where(traj, k: int) -> str:
    value = f" (f = {fmt.num(traj.values[k])})" if traj.values is not None else ""
    return f"{'x = ' if traj.xs.shape[1] == 1 else ''}{_point(traj.xs[k])}{value}"


def _path(data) -> str:
    name, traj = next(iter(data.runs.items()))
    k = min(data.step, traj.steps_run)
    start = "x₀" if traj.xs.shape[1] == 1 else "(x₀, y₀)"
    lr = number(data.values, f"lr_{name}", number(data.values, "lr", traj.lr))
    method = "" if name == "sgd" else f" ({name})"
    text = (f"the path{method} from {start} = {_point(traj.xs[0])} with η = {fmt.num(lr)} is at "
            f"{_where(traj, k)} after {k} {'step' if k == 1 else 'steps'}")
    if k < traj.steps_run:
        return f"{text} of {traj.steps_run}"
    return f"{text}, {_outcome(traj) or 'the last step, not converged'}"


def _race(data) -> str:
    first = next(iter(data.runs.values()))
    start = "x₀" if first.xs.shape[1] == 1 else "(x₀, y₀)"
    each = []
    for name, traj in data.runs.items():
        k = min(data.step, traj.steps_run)
        outcome = _outcome(traj) if k >= traj.steps_run else ""
        each.append(f"{name} is at {_where(traj, k)}" + (f", {outcome}" if outcome else ""))
    return (f"a race of {len(data.runs)} optimizers from {start} = {_point(first.xs[0])}, at step {data.step}: "
            + "; ".join(each))


def _regression(data) -> str:
    fit = data.fit
    k = min(data.step, len(fit.path) - 1)
    theta = fit.path[k]
    kind = "linear" if fit.degree is None else f"degree-{fit.degree} polynomial"
    model = (f"w = {fmt.num(theta[0])}, b = {fmt.num(theta[-1])}" if fit.degree is None
             else "θ = (" + ", ".join(fmt.num(t, 3) for t in theta) + ")")
    losses = fit.losses.get(fit.method)
    loss = f", {fit.loss.upper()} = {fmt.num(losses[k])}" if losses is not None and k < len(losses) else ""
    note = ", diverged" if fit.status == "diverged" else ""
    return (f"{kind} regression on {fit.X.shape[0]} points by {fit.method} gradient descent: "
            f"after epoch {k}, {model}{loss}{note}.")
