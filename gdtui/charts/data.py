"""Engine results a chart needs, behind small caches.

Every helper here is pure and keyed on hashable tuples (the text of f, the names, the parameter
values, the numbers a layer reads), so a redraw after one control changes recomputes only what
depends on that control: moving ``tangent_at`` re-evaluates one tangent, moving ``step`` recomputes
nothing at all. ``compute`` gathers them into a ``ChartData`` that drawing and the status line share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from gdtui.engine.calculus import difference_error
from gdtui.engine.descent import Trajectory, descend
from gdtui.engine.expr import Expr, ExprError, parse
from gdtui.engine.optimizers import OPTIMIZERS, optimizer_hyperparameters, schedule_options

if TYPE_CHECKING:
    from .data_fit import Fit

DEFAULT_LR = 0.1
DEFAULT_STEPS = 100
MAX_STEPS = 10_000  # a chart never runs more descent steps than this
HYPER_VALUES = ("momentum", "beta1", "beta2", "alpha", "eps", "nesterov", "lr_decay", "weight_decay",
                "dampening", "amsgrad", "centered", "initial_accumulator_value")
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
    problems: tuple[str, ...] = ()  # messages for the status line (a run that could not start, …)

    @property
    def last_step(self) -> int:
        """The last step k there is to show: the longest run's steps, or a fit's last epoch."""
        if self.fit is not None:
            return len(self.fit.path) - 1
        return max((run.steps_run for run in self.runs.values()), default=0)

    def evaluate(self, *arrays) -> np.ndarray:
        """f at the points (vectorised), parameters filled in."""
        return evaluate(self.f, self.params, *arrays)


def playable(spec: Any) -> bool:
    """Whether a chart has steps k to play through: a descent path, a race, a loss curve or a fit."""
    layers = set(getattr(spec, "layers", ()) or ())
    if plot_kind(spec) == "regression":
        return bool(layers & {"fit", "loss"})
    return bool(layers & {"path", "loss", "race"})


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


def number(values: Mapping[str, Any], name: str, default: float | None = None) -> float | None:
    value = values.get(name, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def compute(spec: Any, values: Mapping[str, Any] | None = None) -> ChartData:
    """Parse f and run what the layers need; raises ``ChartInputError`` with a plain message."""
    vals = merged_values(spec, values)
    kind = plot_kind(spec)
    layers = tuple(getattr(spec, "layers", ()) or ())
    if kind == "regression":
        from .data_fit import regression_fit  # imports this module

        fit = regression_fit(spec, vals)
        return ChartData(kind, layers, vals, fit=fit, step=_step(vals, len(fit.path) - 1))
    variables = tuple(getattr(spec, "variables", ("x",)) or ("x",))
    param_names = tuple(sorted(getattr(spec, "params", None) or {}))
    f_text = str(getattr(spec, "f", "") or "")
    try:
        f = parsed(f_text, variables + param_names)
    except ExprError as exc:
        raise ChartInputError(f"f: {exc}") from None
    params = tuple((name, number(vals, name, 0.0)) for name in param_names)
    problems: list[str] = []
    runs: dict[str, Trajectory] = {}
    if {"path", "loss", "race"} & set(layers):
        runs, problems = _runs(f_text, variables, param_names, params, spec, vals)
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


def _middle(spec: Any) -> float:
    lo, hi = range_or(getattr(spec, "x_range", None), (-1.0, 1.0))
    return (lo + hi) / 2


def range_or(pair: Any, default):
    """A plot range (lo, hi) read leniently, in order; `default` when it is not two different finite numbers."""
    try:
        lo, hi = (float(v) for v in pair)
    except (TypeError, ValueError):
        return default
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
        return default
    return (lo, hi) if lo < hi else (hi, lo)


def _step(vals: Mapping[str, Any], longest: int | None) -> int:
    raw = number(vals, "step", None)
    last = longest if longest is not None else int(number(vals, "steps", DEFAULT_STEPS) or 0)
    k = last if raw is None else int(raw)
    return max(0, min(k, last))


# -- expressions ---------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def parsed(text: str, names: tuple[str, ...]) -> Expr:
    return parse(text, names)


@lru_cache(maxsize=64)
def derivative(text: str, names: tuple[str, ...], var: str, order: int = 1) -> Expr:
    expr = parsed(text, names)
    for _ in range(order):
        expr = expr.diff(var)
    return expr


@lru_cache(maxsize=64)
def gradient_vector(text: str, names: tuple[str, ...], n: int) -> Expr:
    """The partial derivatives by the first n names, as one vector expression."""
    partials = ", ".join(str(derivative(text, names, v)) for v in names[:n])
    return parse(f"[{partials}]", names)


@lru_cache(maxsize=64)
def unicode_text(text: str, names: tuple[str, ...], order: int = 0) -> str:
    """f (or its derivative of that order by the first variable) as a learner reads it: x² + 2·x."""
    return (derivative(text, names, names[0], order) if order else parsed(text, names)).unicode()


def evaluate(expr: Expr, params: tuple[tuple[str, float], ...], *arrays) -> np.ndarray:
    with np.errstate(all="ignore"):
        out = np.asarray(expr(*arrays, *(v for _, v in params)), dtype=float)
    return np.broadcast_to(out, np.broadcast(*arrays).shape) if out.ndim == 0 and arrays else out


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
def _runs(text, variables, param_names, params, spec, vals):
    names = variables + param_names
    start = [number(vals, "x0", None), number(vals, "y0", None)][:len(variables)]
    xr = range_or(getattr(spec, "x_range", None), (-1.0, 1.0))
    yr = range_or(getattr(spec, "y_range", None), xr)
    defaults = [xr[0] + 0.8 * (xr[1] - xr[0]), yr[0] + 0.8 * (yr[1] - yr[0])]
    x0 = tuple(v if v is not None else defaults[i] for i, v in enumerate(start))
    lr = number(vals, "lr", DEFAULT_LR)
    steps = int(min(max(number(vals, "steps", DEFAULT_STEPS) or 0, 0), MAX_STEPS))
    schedule = schedule_of(vals, steps)
    runs: dict[str, Trajectory] = {}
    problems: list[str] = []
    racers = race_names(spec, vals)
    for name in racers:
        hyper = tuple((k, vals[k]) for k in HYPER_VALUES
                      if k in vals and _accepts(name, k) and not _baseline_keeps_plain(name, k, racers))
        try:
            rate = number(vals, f"lr_{name}", lr)  # an optimizer's own η in a race, else the shared one
            runs[name] = trajectory(text, names, params, name, x0, rate, steps, hyper, schedule)
        except (ValueError, ArithmeticError, TypeError) as exc:
            problems.append(f"{name}: {exc}")
    return runs, problems


def schedule_of(vals: Mapping[str, Any], steps: int) -> tuple | None:
    """The plot's schedule as (name, ((option, value), …)), or None for a constant η.

    Options come from the values named like make_schedule's (step_size, gamma, T_max, eta_min, decay);
    a cosine schedule glides to its floor over the whole run unless T_max says otherwise."""
    name = vals.get("schedule")
    if not isinstance(name, str) or name in ("", "constant"):
        return None
    try:
        names = schedule_options(name)
    except ValueError:
        return (name, ())  # descend reports the unknown name
    options = {k: v for k in names if (v := number(vals, k)) is not None}
    if name == "cosine":
        options.setdefault("T_max", max(steps, 1))
    for whole in ("step_size", "T_max"):
        if whole in options:
            options[whole] = int(options[whole])
    return (name, tuple(sorted(options.items())))


def race_names(spec: Any, vals: Mapping[str, Any]) -> tuple[str, ...]:
    """Several optimizers make a race; otherwise the single optimizer value (sgd by default)."""
    listed = tuple(getattr(spec, "optimizers", ()) or ())
    if len(listed) > 1:
        return listed
    chosen = vals.get("optimizer")
    if isinstance(chosen, str) and chosen:
        return (chosen,)
    return listed or ("sgd",)


def _baseline_keeps_plain(optimizer: str, hyper: str, racers: tuple[str, ...]) -> bool:
    """In a race, `sgd` is the plain baseline: the race's momentum belongs to momentum and nesterov."""
    return len(racers) > 1 and optimizer == "sgd" and hyper in ("momentum", "nesterov", "dampening")


def _accepts(optimizer: str, hyper: str) -> bool:
    try:
        return hyper in optimizer_hyperparameters(optimizer)
    except ValueError:
        return False


def _schedule_mapping(schedule: tuple | None) -> dict:
    name, options = schedule or ("constant", ())
    return {"name": name, **dict(options)}


@lru_cache(maxsize=64)
def trajectory(text: str, names: tuple[str, ...], params: tuple, optimizer: str, x0: tuple,
               lr: float, steps: int, hyper: tuple, schedule: tuple | None) -> Trajectory:
    """A descent run with f at every point.

    f is evaluated once over the whole path afterwards (one vectorised call instead of one per step,
    a quarter of the time). As ``descend`` would with an objective, the run ends before the first
    point where f is not finite, with status "diverged".
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}")
    n = len(x0)
    constants = tuple(v for _, v in params)
    floats = None
    try:
        vector = gradient_vector(text, names, n)  # ∇f as one vector expression: one call a step
        at, floats = vector.point_function(), vector.float_function()
    except ExprError:  # a derivative too long to write out as one expression: one call per partial
        partials = [derivative(text, names, v).point_function() for v in names[:n]]

        def at(*point):
            return np.concatenate([g(*point) for g in partials])

    def grad(p):
        return at(*p, *constants)

    # on plain floats: the same numbers, several times faster for a point of two coordinates
    grad_floats = floats if floats is None or not constants else (lambda *p: floats(*p, *constants))
    # "constant" rather than None: the same rule, and descend records lr as a schedule either way
    with np.errstate(all="ignore"):  # a run far out overflows in descend's final distance check
        run = descend(grad, np.array(x0), optimizer=optimizer, lr=lr, steps=steps,
                      schedule=_schedule_mapping(schedule), grad_floats=grad_floats, **dict(hyper))
    values = np.array(evaluate(parsed(text, names), params, *run.xs.T), dtype=float).reshape(-1)
    bad = ~np.isfinite(values)
    if bad[0]:
        raise ValueError("f is not finite at the starting point")
    if bad.any():
        end = int(np.argmax(bad))
        run = replace(run, xs=run.xs[:end], grads=run.grads[:end], status="diverged", steps_run=end - 1)
        values = values[:end]
    values.flags.writeable = False
    return replace(run, values=values)
