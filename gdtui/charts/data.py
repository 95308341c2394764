"""Engine results a chart needs, behind small caches.

Every helper here is pure and keyed on hashable tuples (the text of f, the names, the parameter
values, the numbers a layer reads), so a redraw after one control changes recomputes only what
depends on that control: moving ``tangent_at`` re-evaluates one tangent, moving ``step`` recomputes
nothing at all. ``compute`` gathers them into a ``ChartData`` that drawing and the status line share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from gdtui.course.runs import (data_key, derivative, descents, evaluate, number, parsed, range_or, steps_of, sweep,
                              trajectory)
from gdtui.engine.capacity import DegreeSweep
from gdtui.engine.calculus import difference_error
from gdtui.engine.descent import Trajectory
from gdtui.engine.expr import Expr, ExprError
from gdtui.engine.graph import Graph, computation_graph

from .data_fit import Fit, regression_fit

ERROR_H = tuple(np.logspace(-16, 0, 65).tolist())  # step sizes of the error-vs-h chart


class PlotSpec(Protocol):
    """What a chart reads from a plot block (``gdtui.course.model.Plot`` fits).

    Optional, read when present: ``values`` (defaults of the named values) and ``params`` (free
    symbols of f with their start values); the ``values`` given to a chart override both.
    """

    f: str
    variables: tuple[str, ...]
    layers: tuple[str, ...]
    x_range: tuple[float, float]
    y_range: tuple[float, float] | None
    optimizers: tuple[str, ...]
    data: Mapping | None
    title: str | None


class ChartInputError(ValueError):
    """Input the chart cannot draw from; its text is shown in place of the chart."""


@dataclass(frozen=True)
class Tangent:
    x: float
    fx: float
    slope: float
    intercept: float


@dataclass(frozen=True)
class Secant:
    x: float
    h: float
    fx: float
    fxh: float

    @property
    def slope(self) -> float:
        return (self.fxh - self.fx) / self.h


@dataclass(frozen=True)
class ChartData:
    """Everything a chart and its status line read, computed once per set of values."""

    kind: str  # "1d", "2d" or "regression"
    layers: tuple[str, ...]
    values: Mapping[str, Any]
    f: Expr | None = None
    params: tuple[tuple[str, float], ...] = ()
    runs: Mapping[str, Trajectory] = field(default_factory=dict)  # optimizer -> run, in race order
    step: int = 0  # the highlighted step k, within the longest run
    tangent: Tangent | None = None
    secant: Secant | None = None
    fit: Fit | None = None  # regression charts
    graph: Graph | None = None  # a computational graph (layer "graph"), its walk at `step`
    capacity: DegreeSweep | None = None  # layer "capacity": each degree's training and held-out error
    degree: int = 0  # the capacity layer's chosen degree
    problems: tuple[str, ...] = ()  # messages for the status line (a run that could not start, …)

    @property
    def last_step(self) -> int:
        """The last step k there is to show: the longest run's steps, or a fit's last epoch."""
        if self.fit is not None:
            return len(self.fit.path) - 1
        if self.graph is not None:
            return 2 * len(self.graph.operations)
        return max((run.steps_run for run in self.runs.values()), default=0)

    def evaluate(self, *arrays) -> np.ndarray:
        """f at the points (vectorised), parameters filled in."""
        return evaluate(self.f, self.params, *arrays)


def playable(spec: Any) -> bool:
    """Whether a chart has steps k to play through: a descent path, a race, a loss curve or a fit."""
    layers = set(getattr(spec, "layers", ()) or ())
    if plot_kind(spec) == "regression":
        return bool(layers & {"fit", "loss"})
    return bool(layers & {"path", "loss", "race", "graph"})


def plot_kind(spec: Any) -> str:
    layers = set(getattr(spec, "layers", ()) or ())
    if getattr(spec, "data", None) is not None or layers & {"data", "fit"}:
        return "regression"
    return "2d" if len(tuple(getattr(spec, "variables", ("x",)) or ("x",))) == 2 else "1d"


def merged_values(spec: Any, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """The block's defaults, the params of f, then the live values on top."""
    merged: dict[str, Any] = {}
    merged.update(getattr(spec, "values", None) or {})
    merged.update(getattr(spec, "params", None) or {})
    merged.update(values or {})
    return merged


def guess_point(values: Mapping[str, Any], n: int) -> tuple[float, ...] | None:
    """The learner's answer a chart draws (the value ``guess``, set by an exercise): a number in 1-D,
    a point (x, y) in 2-D; None when there is none or it is not ``n`` finite numbers."""
    raw = values.get("guess")
    if raw is None or isinstance(raw, str):
        return None
    try:
        point = tuple(float(v) for v in np.ravel(np.asarray(raw, dtype=float)))
    except (TypeError, ValueError):
        return None
    return point if len(point) == n and all(math.isfinite(v) for v in point) else None


def compute(spec: Any, values: Mapping[str, Any] | None = None) -> ChartData:
    """Parse f and run what the layers need; raises ``ChartInputError`` with a plain message."""
    with np.errstate(all="ignore"):  # a range too wide for float64 overflows quietly
        return _compute(spec, values)


def _compute(spec: Any, values: Mapping[str, Any] | None) -> ChartData:
    vals = merged_values(spec, values)
    kind = plot_kind(spec)
    layers = tuple(getattr(spec, "layers", ()) or ())
    if kind == "regression" and "capacity" in layers:
        try:
            table = sweep(data_key(getattr(spec, "data", None) or {}))
        except (ValueError, ArithmeticError, TypeError, np.linalg.LinAlgError) as exc:
            raise ChartInputError(f"data: {exc}") from None
        degree = max(0, min(int(number(vals, "degree", 1)), int(table.degrees[-1])))
        return ChartData(kind, layers, vals, capacity=table, degree=degree)
    if kind == "regression":
        try:
            fit = regression_fit(spec, vals)
        except (ValueError, ArithmeticError, TypeError) as exc:
            raise ChartInputError(f"data: {exc}") from None
        return ChartData(kind, layers, vals, fit=fit, step=_step(vals, len(fit.path) - 1))
    variables = tuple(getattr(spec, "variables", ("x",)) or ("x",))
    param_names = tuple(sorted(getattr(spec, "params", None) or {}))
    f_text = str(getattr(spec, "f", "") or "")
    try:
        f = parsed(f_text, variables + param_names)
    except ExprError as exc:
        raise ChartInputError(f"f: {exc}") from None
    params = tuple((name, number(vals, name, 0.0)) for name in param_names)
    if "graph" in layers:
        graph = _graph(f, variables, params, vals)
        return ChartData(kind, layers, vals, f, params, step=max(0, min(int(number(vals, "step", 0)),
                                                                         2 * len(graph.operations))), graph=graph)
    problems: list[str] = []
    runs: dict[str, Trajectory] = {}
    if {"path", "loss", "race"} & set(layers):
        runs, problems = _runs(f_text, variables + param_names, params, spec, vals)
    longest = max((t.steps_run for t in runs.values()), default=None)
    tangent = secant = None
    if kind == "1d" and {"tangent", "secant", "error_vs_h"} & set(layers):
        a = number(vals, "tangent_at", _middle(spec))
        tangent = tangent_at(f_text, variables + param_names, params, a)
        if "secant" in layers:
            h = number(vals, "h", 0.5) or 0.5
            fx, fxh = evaluate(f, params, np.array([a, a + h])).tolist()
            secant = Secant(a, h, fx, fxh)
    return ChartData(kind, layers, vals, f, params, runs, _step(vals, longest), tangent, secant,
                     problems=tuple(problems))


def _graph(f: Expr, variables: tuple[str, ...], params: tuple, vals: Mapping[str, Any]) -> Graph:
    """The computational graph of f at the start point (x₀, y₀) with the params' current values."""
    point = {name: number(vals, start, 0.0) for name, start in zip(variables, ("x0", "y0"))}
    point.update(params)
    try:
        return computation_graph(f, point)
    except ExprError as exc:
        raise ChartInputError(f"f: {exc.message}") from None


def _middle(spec: Any) -> float:
    lo, hi = range_or(getattr(spec, "x_range", None), (-1.0, 1.0))
    return (lo + hi) / 2


def _step(vals: Mapping[str, Any], longest: int | None) -> int:
    raw = number(vals, "step", None)
    last = longest if longest is not None else steps_of(vals)
    k = last if raw is None else int(raw)
    return max(0, min(k, last))


# -- expressions ---------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def unicode_text(text: str, names: tuple[str, ...], order: int = 0) -> str:
    """f (or its derivative of that order by the first variable) as a learner reads it: x² + 2·x."""
    return (derivative(text, names, names[0], order) if order else parsed(text, names)).unicode()


@lru_cache(maxsize=64)
def samples_1d(text: str, names: tuple[str, ...], params: tuple, lo: float, hi: float, n: int,
               order: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(x, f⁽ᵒʳᵈᵉʳ⁾(x)) at n evenly spaced points; non-finite values become nan."""
    expr = derivative(text, names, names[0], order) if order else parsed(text, names)
    x = np.linspace(lo, hi, n)
    y = np.array(evaluate(expr, params, x), dtype=float)
    y[~np.isfinite(y)] = np.nan
    x.flags.writeable = y.flags.writeable = False
    return x, y


@lru_cache(maxsize=16)
def grid_2d(text: str, names: tuple[str, ...], params: tuple, xr: tuple[float, float],
            yr: tuple[float, float], nx: int, ny: int) -> np.ndarray:
    """f on an ny×nx grid, row 0 at the top (largest y); non-finite values become nan."""
    x = np.linspace(xr[0], xr[1], nx)
    y = np.linspace(yr[1], yr[0], ny)
    z = np.array(evaluate(parsed(text, names), params, x[None, :], y[:, None]), dtype=float)
    z[~np.isfinite(z)] = np.nan
    z.flags.writeable = False
    return z


@lru_cache(maxsize=16)
def gradient_grid(text: str, names: tuple[str, ...], params: tuple, xs: tuple[float, ...],
                  ys: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(∂f/∂x, ∂f/∂y) at the points of the grid xs × ys (rows follow ys)."""
    x = np.asarray(xs)[None, :]
    y = np.asarray(ys)[:, None]
    shape = (len(ys), len(xs))
    gx = np.broadcast_to(evaluate(derivative(text, names, names[0]), params, x, y), shape)
    gy = np.broadcast_to(evaluate(derivative(text, names, names[1]), params, x, y), shape)
    return np.array(gx, dtype=float), np.array(gy, dtype=float)


@lru_cache(maxsize=64)
def tangent_at(text: str, names: tuple[str, ...], params: tuple, a: float) -> Tangent:
    fx = float(evaluate(parsed(text, names), params, np.array(a)))
    slope = float(evaluate(derivative(text, names, names[0]), params, np.array(a)))
    intercept = fx - slope * a if math.isfinite(fx) and math.isfinite(slope) else math.nan
    return Tangent(a, fx, slope, intercept)


@lru_cache(maxsize=64)
def derivative_at(text: str, names: tuple[str, ...], params: tuple, order: int, a: float) -> float:
    """The derivative of that order by the first variable at a (order 0: f itself)."""
    expr = derivative(text, names, names[0], order) if order else parsed(text, names)
    return float(evaluate(expr, params, np.array(a)))


@lru_cache(maxsize=64)
def error_at(text: str, names: tuple[str, ...], params: tuple, a: float, method: str, h: float) -> float:
    """|finite difference with step h − f′(a)|, as one point of the error-vs-h chart."""
    f = parsed(text, names)
    df = derivative(text, names, names[0])
    err = difference_error(lambda x: evaluate(f, params, x), lambda x: evaluate(df, params, x), a,
                           np.array([h]), method)
    return float(np.asarray(err, dtype=float).reshape(-1)[0])


def error_methods(values: Mapping[str, Any]) -> tuple[str, ...]:
    """The finite differences an error-vs-h chart compares: forward and central, backward on request."""
    return ("forward", "central", "backward") if values.get("method") == "backward" else ("forward", "central")


@lru_cache(maxsize=32)
def error_vs_h(text: str, names: tuple[str, ...], params: tuple, a: float, method: str) -> np.ndarray:
    """|finite difference − f′(a)| for each h in ERROR_H; exact zeros become nan (no log of 0)."""
    f = parsed(text, names)
    df = derivative(text, names, names[0])
    err = difference_error(lambda x: evaluate(f, params, x), lambda x: evaluate(df, params, x), a,
                           np.asarray(ERROR_H), method)
    err = np.array(err, dtype=float)
    err[~np.isfinite(err) | (err <= 0)] = np.nan
    err.flags.writeable = False
    return err


# -- descent -------------------------------------------------------------------------------------
def _runs(text, names, params, spec, vals) -> tuple[dict[str, Trajectory], list[str]]:
    """The plot's descents (gdtui.course.runs) on f, by optimizer; a run that cannot start is a problem."""
    runs: dict[str, Trajectory] = {}
    problems: list[str] = []
    for run in descents(spec, vals):
        try:
            runs[run.optimizer] = trajectory(text, names, params, run)
        except (ValueError, ArithmeticError, TypeError) as exc:
            problems.append(f"{run.optimizer}: {exc}")
    return runs, problems
