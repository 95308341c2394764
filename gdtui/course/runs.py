"""What a plot block's runs are: its descents (one, or a race), their schedule, and for a regression its
data set and fits, worked out in one place from the plot and its current values.

Charts draw the runs (`gdtui.charts.data` gathers them once per drawing); `gdtui check` runs the very same
ones to find a lesson's broken paths. So a default (`steps: 50`, `lr: 0.1`, the data sets' n, seed and
noise) or a rule (in a race sgd stays the plain baseline; a cosine schedule glides over the whole run)
means the same on screen and in the checker. `spec` is anything with the attributes of
`gdtui.course.model.Plot`; values are read leniently (a control may hold anything), a missing one takes
its default. Pure: the engine and numpy only, behind small caches keyed on hashable tuples.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from gdtui.engine import regression as rg
from gdtui.engine.capacity import DegreeSweep, degree_sweep
from gdtui.engine.descent import Trajectory, descend
from gdtui.engine.expr import Expr, ExprError, parse
from gdtui.engine.optimizers import OPTIMIZERS, optimizer_hyperparameters, schedule_options

# What a path, loss or fit runs with unless the plot says (docs/authoring.md documents these).
DESCENT_DEFAULTS = {"lr": 0.1, "steps": 50, "optimizer": "sgd"}
MAX_STEPS = 10_000  # no run takes more steps than this
HYPER_VALUES = ("momentum", "beta1", "beta2", "alpha", "eps", "nesterov", "lr_decay", "weight_decay",
                "dampening", "amsgrad", "centered", "initial_accumulator_value")
BATCH_SIZE = 16  # a minibatch fit's batch unless `batch_size` says
MAX_UPDATES = 2000  # per fit: a stochastic epoch is one update per sample, and each costs ~30 µs
SWEEP_DEGREES = 12  # the capacity layer fits degrees 0 … 12 (fewer when there are fewer points)
DATA_DEFAULTS = {"linear": {"n": 100, "seed": 42, "noise": 0.1, "w": 2.0, "b": 1.0},
                 "polynomial": {"n": 100, "seed": 0, "noise": 0.5, "coefs": (0.5, -1.0, 2.0)}}


def number(values: Mapping[str, Any], name: str, default: float | None = None) -> float | None:
    """values[name] as a finite float; `default` when it is missing or not one."""
    value = values.get(name, default)
    try:
        value = float(value)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def range_or(pair: Any, default):
    """A plot range (lo, hi) read leniently, in order; `default` when it is not two different finite numbers."""
    try:
        lo, hi = (float(v) for v in pair)
    except (TypeError, ValueError):
        return default
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
        return default
    return (lo, hi) if lo < hi else (hi, lo)


def steps_of(values: Mapping[str, Any]) -> int:
    """The steps a run takes (epochs for a fit): the plot's `steps`, within 0…MAX_STEPS."""
    return int(min(max(number(values, "steps", DESCENT_DEFAULTS["steps"]) or 0, 0), MAX_STEPS))


# -- descents ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Descent:
    """One descent of a plot: everything `descend` needs besides f (hashable: a cache key)."""

    optimizer: str
    x0: tuple[float, ...]
    lr: float
    steps: int
    hyper: tuple[tuple[str, Any], ...] = ()
    schedule: tuple | None = None  # (name, ((option, value), …)); None for a constant η

    def schedule_mapping(self) -> dict:
        name, options = self.schedule or ("constant", ())
        return {"name": name, **dict(options)}


def descents(spec: Any, values: Mapping[str, Any]) -> tuple[Descent, ...]:
    """The plot's descents at these values: one per optimizer of the race (one without a race)."""
    x0 = start_point(spec, values)
    lr = number(values, "lr", DESCENT_DEFAULTS["lr"])
    steps = steps_of(values)
    schedule = schedule_of(values, steps)
    racers = race_names(spec, values)
    return tuple(Descent(name, x0, number(values, f"lr_{name}", lr), steps, hyperparameters(name, values, racers),
                         schedule) for name in racers)


def start_point(spec: Any, values: Mapping[str, Any]) -> tuple[float, ...]:
    """(x₀,) or (x₀, y₀); a missing coordinate starts four fifths of the way along its range."""
    variables = tuple(getattr(spec, "variables", ("x",)) or ("x",))
    xr = range_or(getattr(spec, "x_range", None), (-1.0, 1.0))
    yr = range_or(getattr(spec, "y_range", None), xr)
    given = (number(values, "x0"), number(values, "y0"))
    ranges = (xr, yr)
    return tuple(given[i] if given[i] is not None else ranges[i][0] + 0.8 * (ranges[i][1] - ranges[i][0])
                 for i in range(len(variables[:2])))


def race_names(spec: Any, values: Mapping[str, Any]) -> tuple[str, ...]:
    """Several optimizers make a race; otherwise the single optimizer value (sgd by default)."""
    listed = tuple(getattr(spec, "optimizers", ()) or ())
    if len(listed) > 1:
        return listed
    chosen = values.get("optimizer")
    if isinstance(chosen, str) and chosen:
        return (chosen,)
    return listed or (DESCENT_DEFAULTS["optimizer"],)


def hyperparameters(optimizer: str, values: Mapping[str, Any], racers: tuple[str, ...]) -> tuple:
    """The plot's hyperparameters this optimizer reads, as ((name, value), …).

    In a race, `sgd` is the plain baseline: the race's momentum belongs to momentum and nesterov."""
    try:
        accepted = optimizer_hyperparameters(optimizer)
    except ValueError:
        return ()
    baseline = len(racers) > 1 and optimizer == "sgd"
    return tuple((k, values[k]) for k in HYPER_VALUES if k in values and k in accepted
                 and not (baseline and k in ("momentum", "nesterov", "dampening")))


def schedule_of(values: Mapping[str, Any], steps: int) -> tuple | None:
    """The plot's schedule as (name, ((option, value), …)), or None for a constant η.

    Options come from the values named like make_schedule's (step_size, gamma, T_max, eta_min, decay);
    a cosine schedule glides to its floor over the whole run unless T_max says otherwise."""
    name = values.get("schedule")
    if not isinstance(name, str) or name in ("", "constant"):
        return None
    try:
        names = schedule_options(name)
    except ValueError:
        return (name, ())  # descend reports the unknown name
    options = {k: v for k in names if (v := number(values, k)) is not None}
    if name == "cosine":
        options.setdefault("T_max", max(steps, 1))
    for whole in ("step_size", "T_max"):
        if whole in options:
            options[whole] = int(options[whole])
    return (name, tuple(sorted(options.items())))


# -- the plot's function -------------------------------------------------------------------------
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


def evaluate(expr: Expr, params: tuple[tuple[str, float], ...], *arrays) -> np.ndarray:
    """expr at the points (vectorised), the params' values after the variables; never warns."""
    with np.errstate(all="ignore"):
        out = np.asarray(expr(*arrays, *(v for _, v in params)), dtype=float)
    return np.broadcast_to(out, np.broadcast(*arrays).shape) if out.ndim == 0 and arrays else out


@lru_cache(maxsize=64)
def trajectory(text: str, names: tuple[str, ...], params: tuple, run: Descent) -> Trajectory:
    """A descent on f (its variables first in `names`, then the params) with f at every point.

    f is evaluated once over the whole path afterwards (one vectorised call instead of one per step,
    a quarter of the time). As ``descend`` would with an objective, the run ends before the first
    point where f is not finite, with status "diverged". Raises ValueError for a run that cannot start.
    """
    if run.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {run.optimizer!r}")
    n = len(run.x0)
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
        out = descend(grad, np.array(run.x0), optimizer=run.optimizer, lr=run.lr, steps=run.steps,
                      schedule=run.schedule_mapping(), grad_floats=grad_floats, **dict(run.hyper))
    values = np.array(evaluate(parsed(text, names), params, *out.xs.T), dtype=float).reshape(-1)
    bad = ~np.isfinite(values)
    if bad[0]:
        raise ValueError("f is not finite at the starting point")
    if bad.any():
        end = int(np.argmax(bad))
        out = replace(out, xs=out.xs[:end], grads=out.grads[:end], status="diverged", steps_run=end - 1)
        values = values[:end]
    values.flags.writeable = False
    return replace(out, values=values)


# -- regression ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FitRun:
    """One fit of a regression plot: the data set (as a hashable key) and how descent fits it."""

    data: tuple  # data_key(the plot's data)
    model: str
    degree: int | None
    loss: str
    method: str
    lr: float
    epochs: int  # MAX_UPDATES may have cut these short of the plot's steps
    batch_size: int
    optimizer: str
    hyper: tuple[tuple[str, Any], ...] = ()


def fit_runs(spec: Any, values: Mapping[str, Any]) -> tuple[str, tuple[FitRun, ...]]:
    """The method the chart shows and the fits to run: that method's, or every method's with the loss layer."""
    data = dict(getattr(spec, "data", None) or {})
    model = str(data.get("model", data.get("kind", "linear")))
    degree = int(data.get("degree", 2)) if model == "polynomial" else None
    method = next((m for m in (values.get("method"), data.get("method")) if m in rg.METHODS), "batch")
    optimizer = values.get("optimizer") if values.get("optimizer") in OPTIMIZERS else DESCENT_DEFAULTS["optimizer"]
    batch = int(number(values, "batch_size", BATCH_SIZE) or BATCH_SIZE)
    key, steps = data_key(data), steps_of(values)
    methods = rg.METHODS if "loss" in tuple(getattr(spec, "layers", ()) or ()) else (method,)
    n = len(dataset(key)[1])
    return method, tuple(
        FitRun(key, model, degree, str(data.get("loss", "mse")), m, number(values, "lr", DESCENT_DEFAULTS["lr"]),
               capped_epochs(steps, m, n, batch), batch, optimizer, hyperparameters(optimizer, values, (optimizer,)))
        for m in methods)


def capped_epochs(epochs: int, method: str, n: int, batch: int) -> int:
    """Epochs to run, capped at MAX_UPDATES updates (stochastic descent takes n updates an epoch)."""
    per_epoch = {"batch": 1, "stochastic": n, "minibatch": -(-n // max(1, batch))}[method]
    return max(1, min(epochs, MAX_UPDATES // per_epoch)) if epochs else 0


def data_key(data: Mapping[str, Any]) -> tuple:
    """A data spec as a hashable, sorted key (a cache key for `dataset` and `fit`)."""
    def freeze(v):
        if isinstance(v, (list, tuple)):
            return tuple(freeze(u) for u in v)
        if isinstance(v, Mapping):
            return tuple(sorted((k, freeze(u)) for k, u in v.items()))
        return v

    return tuple(sorted((str(k), freeze(v)) for k, v in data.items()))


@lru_cache(maxsize=8)
def dataset(key: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) of a data spec: its own points, or drawn as DATA_DEFAULTS says; ValueError when unusable."""
    data = dict(key)
    if "x" in data and "y" in data:
        X = np.asarray(data["x"], dtype=float).reshape(-1, 1)
        y = np.asarray(data["y"], dtype=float).reshape(-1)
        if len(X) != len(y) or len(y) == 0:
            raise ValueError("data x and y need the same, non-zero, number of values")
        return X, y
    kind = "polynomial" if str(data.get("kind", data.get("model", "linear"))) == "polynomial" else "linear"
    spec = {**DATA_DEFAULTS[kind], **{k: v for k, v in data.items() if k in DATA_DEFAULTS[kind]}}
    if kind == "polynomial":
        ds = rg.make_polynomial_data(n=int(spec["n"]), coefs=spec["coefs"], noise=float(spec["noise"]),
                                     seed=int(spec["seed"]))
    else:
        ds = rg.make_linear_data(n=int(spec["n"]), w=float(spec["w"]), b=float(spec["b"]),
                                 noise=float(spec["noise"]), seed=int(spec["seed"]))
    return ds.X, ds.y


@lru_cache(maxsize=16)
def sweep(key: tuple) -> DegreeSweep:
    """The capacity layer's table: the best polynomial of each degree 0 … min(n − 2, 12) fitted to the n points
    of a data spec and judged on its `held_out` fresh points (drawn after them, from the same source)."""
    data = dict(key)
    n, held_out = int(data.get("n", 2)), int(data.get("held_out", 0))
    X, y = dataset(tuple(sorted({**data, "n": n + held_out}.items())))
    train, fresh = rg.Dataset(X[:n], y[:n]), rg.Dataset(X[n:], y[n:])
    return degree_sweep(train, fresh, min(n - 2, SWEEP_DEGREES))  # n − 1 would pass through every point


@lru_cache(maxsize=16)
def fit(run: FitRun) -> rg.FitResult:
    """The fit by gradient descent; the data set's seed also shuffles the stochastic and minibatch orders."""
    X, y = dataset(run.data)
    seed = int(dict(run.data).get("seed", 0))
    return rg.fit_gd(X, y, model=run.model, loss=run.loss, lr=run.lr, epochs=run.epochs, method=run.method,
                     batch_size=run.batch_size, seed=seed, degree=run.degree or 2, optimizer=run.optimizer,
                     **dict(run.hyper))
