"""The line under a chart: the current values in Unicode (x₀ = 5  η = 0.1  step k = 2 …)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import fmt
from .data import ChartData, ChartInputError, compute, number

GAP = "  "


def status_line(spec: Any, values: Mapping[str, Any] | None = None, computed: ChartData | None = None) -> str:
    """The current values of a chart as one line; never raises (a problem becomes its message)."""
    try:
        data = computed if computed is not None else compute(spec, values)
    except ChartInputError as exc:
        return str(exc)
    except Exception as exc:  # the status line is informative only
        return f"{type(exc).__name__}: {exc}"
    parts: list[str] = []
    if data.kind == "regression":
        parts.append(_regression(data))
    else:
        if data.tangent is not None:
            parts.append(_tangent(data))
        if data.runs:
            parts.append(_race(data) if len(data.runs) > 1 else _descent(data))
        if not parts:
            parts.append(_function(spec, data))
    parts.extend(data.problems)
    return (GAP + GAP).join(p for p in parts if p)


def _function(spec: Any, data: ChartData) -> str:
    args = ", ".join(spec.variables)
    try:
        return f"f({args}) = {data.f.unicode()}"
    except Exception:
        return f"f({args}) = {spec.f}"


def _tangent(data: ChartData) -> str:
    t = data.tangent
    parts = [f"x = {fmt.num(t.x)}", f"f(x) = {fmt.num(t.fx)}", f"f′(x) = {fmt.num(t.slope)}",
             f"tangent {fmt.line_equation(t.slope, t.intercept)}"]
    if data.secant is not None:
        parts += [f"h = {fmt.num(data.secant.h)}", f"secant slope = {fmt.num(data.secant.slope)}"]
    return GAP.join(parts)


def _point(x: np.ndarray) -> str:
    return fmt.num(x[0]) if x.size == 1 else "(" + ", ".join(fmt.num(v) for v in x) + ")"


def _outcome(traj) -> str:
    if traj.status == "diverged":
        return f"diverged at step {traj.steps_run}"
    if traj.status == "converged":
        return f"converged at step {traj.steps_run}"
    return ""


def _descent(data: ChartData) -> str:
    name, traj = next(iter(data.runs.items()))
    k = min(data.step, traj.steps_run)
    n = traj.xs.shape[1]
    start = "x₀" if n == 1 else "(x₀, y₀)"
    here = "xₖ" if n == 1 else "(xₖ, yₖ)"
    parts = [] if name == "sgd" else [name]
    parts += [f"{start} = {_point(traj.xs[0])}", f"η = {fmt.num(number(data.values, 'lr', traj.lr))}",
              f"step k = {k}", f"{here} = {_point(traj.xs[k])}"]
    if traj.values is not None:
        parts.append(f"f({'xₖ' if n == 1 else 'xₖ, yₖ'}) = {fmt.num(traj.values[k])}")
    with np.errstate(all="ignore"):
        parts.append(f"‖∇f‖ = {fmt.num(float(np.linalg.norm(traj.grads[k])))}")
    parts.append(_outcome(traj))
    return GAP.join(p for p in parts if p)


def _race(data: ChartData) -> str:
    first = next(iter(data.runs.values()))
    parts = [f"{'x₀' if first.xs.shape[1] == 1 else '(x₀, y₀)'} = {_point(first.xs[0])}",
             f"η = {fmt.num(number(data.values, 'lr', first.lr))}", f"step k = {data.step}"]
    for name, traj in data.runs.items():
        k = min(data.step, traj.steps_run)
        value = fmt.num(traj.values[k]) if traj.values is not None else _point(traj.xs[k])
        outcome = _outcome(traj)
        parts.append(f"{name}: f = {value}" + (f" ({outcome})" if outcome else ""))
    return GAP.join(parts)


def _regression(data: ChartData) -> str:
    fit = data.fit
    k = min(data.step, len(fit.path) - 1)
    theta = fit.path[k]
    parts = [fit.method, f"η = {fmt.num(number(data.values, 'lr', 0.01))}", f"epoch k = {k}"]
    if fit.degree is None:
        parts += [f"w = {fmt.num(theta[0])}", f"b = {fmt.num(theta[-1])}"]
    else:
        parts.append("θ = (" + ", ".join(fmt.num(t, 3) for t in theta) + ")")
    losses = fit.losses.get(fit.method)
    if losses is not None and k < len(losses):
        parts.append(f"{fit.loss.upper()} = {fmt.num(losses[k])}")
    if fit.status == "diverged":
        parts.append(f"diverged at epoch {len(fit.path) - 1}")
    return GAP.join(parts)
