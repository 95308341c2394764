"""Run an optimizer from a starting point and keep the whole path as a `Trajectory`.

`descend` always takes every step it is asked for, except in two cases:

* `tol` is given and the gradient at the current point is shorter than `tol`
  (status "converged");
* the next point, its gradient or its objective value is not finite: the run stops
  there (status "diverged").  That row is *left out*, so every number stored in a
  Trajectory is finite and can be plotted as it is; the last row is the last finite
  point reached.

A run that stays finite but ends far away — ‖x_final − x0‖ > 1e6 · max(‖x0‖, 1) — is
also "diverged", even when its gradient happens to vanish there (a numerical gradient
far out rounds to zero, which must not read as convergence).  Otherwise the status is
"max_steps".  Points are always 1-D arrays: a scalar start gives rows of shape (1,).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gdtui.engine.expr import ExprError
from gdtui.engine.optimizers import OPTIMIZERS, Schedule, make_optimizer, make_schedule

DIVERGENCE_FACTOR = 1e6  # "far away": this many times the size of the start


@dataclass(frozen=True, eq=False)
class Trajectory:
    """The path of one run: row k is the point after k steps (row 0 is the start)."""

    xs: np.ndarray  # (steps_run + 1, n) points
    values: np.ndarray | None  # (steps_run + 1,) objective at each point, when one was given
    grads: np.ndarray  # (steps_run + 1, n) gradient at each point
    status: str  # "converged" | "diverged" | "max_steps"
    steps_run: int
    optimizer: str = "sgd"
    lr: float = 0.0  # the learning rate at step 0

    @property
    def final(self) -> np.ndarray:
        return self.xs[-1]

    @property
    def final_value(self) -> float | None:
        return None if self.values is None else float(self.values[-1])

    def __len__(self) -> int:
        return len(self.xs)


def descend(
    grad: Callable,
    x0,
    *,
    optimizer: str = "sgd",
    lr: float = 0.01,
    steps: int = 100,
    tol: float | None = None,
    objective: Callable | None = None,
    schedule: str | Schedule | Mapping | None = None,
    grad_floats: Callable[..., Sequence[float]] | None = None,
    **hyper,
) -> Trajectory:
    """Run `steps` steps of `optimizer` on the gradient field `grad` from `x0`.

    `grad` maps a 1-D point to its gradient; `objective`, when given, maps a point to f.
    `hyper` takes PyTorch's names (momentum, nesterov, betas, eps, alpha, …).
    `schedule` is a schedule name (with its defaults), a mapping {"name": …, **options},
    or any function k -> learning rate; it then sets the rate used at step k.

    `grad_floats`, when given, is the same gradient on plain floats: coordinates in, a sequence
    of floats out (`Expr.float_function()` makes one). For a point of up to FLOAT_PATH_MAX_DIM
    coordinates the run then stays in Python floats, several times faster than numpy on a few
    numbers, with exactly the same result. A point where it raises ArithmeticError or ValueError
    is evaluated with `grad`; an optimizer step that would need numpy's inf or nan sends the whole
    run back to arrays.
    """
    steps = int(steps)
    if steps < 0:
        raise ValueError("steps must be ≥ 0")
    rate = _learning_rate(lr, schedule)
    opt = make_optimizer(optimizer, rate, **hyper)
    start = np.array(x0, dtype=float).reshape(-1)
    if start.size == 0 or not np.isfinite(start).all():
        raise ValueError("the starting point must be finite numbers")

    with np.errstate(all="ignore"):
        run = None
        if grad_floats is not None and start.size <= FLOAT_PATH_MAX_DIM:
            run = _run_on_floats(grad_floats, grad, objective, opt, start, steps, tol)
        rows, status = run or _run_on_arrays(grad, objective, opt, start, steps, tol)
        if _length(np.subtract(rows[-1][0], start)) > DIVERGENCE_FACTOR * max(_length(start), 1.0):
            status = "diverged"  # far away: even a vanishing gradient there is no convergence

    xs = _frozen(np.array([r[0] for r in rows], dtype=float).reshape(len(rows), start.size))
    grads = _frozen(np.array([r[1] for r in rows], dtype=float).reshape(len(rows), start.size))
    values = _frozen(np.array([r[2] for r in rows], dtype=float)) if objective is not None else None
    lr_at_start = float(rate(0)) if callable(rate) else rate
    return Trajectory(xs, values, grads, status, len(rows) - 1, optimizer, lr_at_start)


FLOAT_PATH_MAX_DIM = 8  # beyond a handful of coordinates numpy's arrays win again


def _run_on_arrays(grad, objective, opt, start, steps, tol):
    """The rows (x, ∇f(x), f(x)) of the run and its status, on numpy arrays."""
    row = _evaluate(grad, objective, start)
    if row is None:
        raise ValueError("the gradient or objective is not finite at the starting point")
    rows = [row]
    state = opt.init(start)
    for k in range(steps):
        if tol is not None and _length(rows[-1][1]) < tol:
            return rows, "converged"
        state = opt.update(k, rows[-1][1], state)
        row = _evaluate(grad, objective, np.asarray(opt.params(state), dtype=float))
        if row is None:
            return rows, "diverged"
        rows.append(row)
    if tol is not None and _length(rows[-1][1]) < tol:
        return rows, "converged"
    return rows, "max_steps"


def _run_on_floats(grad_floats, grad, objective, opt, start, steps, tol):
    """As `_run_on_arrays`, one optimizer state per coordinate, every number a Python float.

    The optimizers work coordinate by coordinate, so this takes the same IEEE operations in the same
    order as the array run. None when a step needs numpy's semantics (the caller then runs on arrays)."""
    isfinite, n = math.isfinite, start.size

    def evaluate(x: tuple) -> tuple | None:
        try:
            g = tuple(grad_floats(*x))
        except (ArithmeticError, ValueError):
            return _as_tuple_row(_evaluate(grad, objective, np.array(x)))
        if len(g) != n:
            raise ValueError(f"the gradient has {len(g)} components but the point has {n}")
        if not all(map(isfinite, g)):
            return None
        value = math.nan if objective is None else _value(objective, np.array(x))
        return None if value is None else (x, g, value)

    x = tuple(start.tolist())
    row = evaluate(x)
    if row is None:
        raise ValueError("the gradient or objective is not finite at the starting point")
    rows = [row]
    init, update, params = opt
    states = [init(xi) for xi in x]
    try:
        for k in range(steps):
            g = row[1]
            if tol is not None and _length(g) < tol:
                return rows, "converged"
            states = [update(k, gi, si) for gi, si in zip(g, states)]
            x = tuple(map(params, states))
            if not all(map(isfinite, x)):
                return rows, "diverged"
            row = evaluate(x)
            if row is None:
                return rows, "diverged"
            rows.append(row)
    except (ArithmeticError, ValueError, TypeError) as err:
        if isinstance(err, ExprError):
            raise
        return None
    if tol is not None and _length(row[1]) < tol:
        return rows, "converged"
    return rows, "max_steps"


def _as_tuple_row(row):
    return None if row is None else (tuple(row[0].tolist()), tuple(row[1].tolist()), row[2])


def race(
    grad: Callable,
    x0,
    configs: Mapping[str, Mapping] | Sequence[str],
    steps: int = 100,
    objective: Callable | None = None,
    **common,
) -> dict[str, Trajectory]:
    """Several runs from the same start, one per config, in order: {label: Trajectory}.

    `configs` is a list of optimizer names, or a mapping label -> descend keywords
    (`optimizer` defaults to the label itself).  `common` keywords (lr, tol, …) apply to
    every run unless a config overrides them.
    """
    if not isinstance(configs, Mapping):
        configs = {name: {} for name in configs}
    runs = {}
    for label, config in configs.items():
        options = {**common, **dict(config)}
        options.setdefault("optimizer", label)
        if options["optimizer"] not in OPTIMIZERS:
            raise ValueError(
                f"race entry {label!r}: unknown optimizer {options['optimizer']!r}; "
                f"choose one of {', '.join(OPTIMIZERS)}"
            )
        runs[label] = descend(grad, x0, steps=steps, objective=objective, **options)
    return runs


def _learning_rate(lr: float, schedule) -> float | Schedule:
    if schedule is None:
        return float(lr)
    if callable(schedule):
        return schedule
    if isinstance(schedule, str):
        return make_schedule(schedule, lr)
    if isinstance(schedule, Mapping):
        options = dict(schedule)
        return make_schedule(options.pop("name", "constant"), lr, **options)
    raise ValueError("schedule must be a schedule name, a mapping with a name, or a function of k")


def _evaluate(grad, objective, x):
    """(x, ∇f(x), f(x)) as floats, or None when any of it is not finite."""
    if not np.isfinite(x).all():
        return None
    x = x.copy()  # the stored row; `grad` gets its own copy and may scribble on it
    g = np.array(grad(x.copy()), dtype=float)
    if g.size != x.size:
        raise ValueError(f"the gradient has {g.size} components but the point has {x.size}")
    g = g.reshape(x.shape)
    if not np.isfinite(g).all():
        return None
    value = math.nan if objective is None else _value(objective, x)
    return None if value is None else (x, g, value)


def _value(objective, x: np.ndarray) -> float | None:
    """f(x) as a float, or None when it is not finite."""
    raw = np.asarray(objective(x), dtype=float)
    if raw.size != 1:
        raise ValueError(f"the objective returned {raw.size} numbers for one point")
    value = float(raw.reshape(-1)[0])
    return value if math.isfinite(value) else None


def _length(v) -> float:
    """‖v‖ of an array or a tuple of floats, the same number for both (so both runs stop alike)."""
    if type(v) is not tuple:
        v = v.tolist()
    return math.hypot(*v)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
