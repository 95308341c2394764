"""Derivatives by finite differences, and the small pieces of calculus built on them.

Everything here works on plain Python callables over numpy arrays; an `Expr` from
`gdtui.engine.expr` is one such callable.  Numpy floating-point warnings never leave
this module: an overflow becomes `inf` or `nan` in the result, which the caller
reads as "diverged" or "undefined here".

The finite-difference formulas, with step h:

    forward   f'(x) ≈ (f(x + h) - f(x)) / h            error O(h)
    backward  f'(x) ≈ (f(x) - f(x - h)) / h            error O(h)
    central   f'(x) ≈ (f(x + h) - f(x - h)) / (2h)     error O(h²)

Each also carries a rounding error of about ε·|f| / h (ε ≈ 2.2e-16), which is why a
smaller h is not always better; `difference_error` measures both effects at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the expression language is only needed for exact_hessian
    from gdtui.engine.expr import Expr

DIFFERENCE_METHODS = ("central", "forward", "backward")


def _check_method(method: str) -> None:
    if method not in DIFFERENCE_METHODS:
        raise ValueError(
            f"unknown difference method {method!r}; choose one of {', '.join(DIFFERENCE_METHODS)}"
        )


def _as_result(value: np.ndarray) -> float | np.ndarray:
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value


def numerical_derivative(
    f: Callable, x, h=1e-4, method: str = "central"
) -> float | np.ndarray:
    """The slope of `f` at `x` by finite differences.

    `f` must be vectorised (numpy in, numpy out).  `x` and `h` broadcast against each
    other, so an array of points or an array of step sizes gives an array of slopes;
    a scalar `x` with a scalar `h` gives a float.
    """
    _check_method(method)
    h = np.asarray(h, dtype=float)
    if np.any(h <= 0):
        raise ValueError("the step h must be positive")
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        if method == "central":
            slope = (f(x + h) - f(x - h)) / (2 * h)
        elif method == "forward":
            slope = (f(x + h) - f(x)) / h
        else:
            slope = (f(x) - f(x - h)) / h
    return _as_result(slope)


def numerical_gradient(f: Callable, x, h: float = 1e-4) -> np.ndarray:
    """∇f at `x` by central differences, one coordinate at a time: the textbook loop.

    `f` takes an array shaped like `x` and returns a number.  Each coordinate is nudged
    up and down by h in a private copy of `x` and put back, exactly as in the textbook,
    so the results (rounding errors included) are the textbook's to the last bit.
    """
    x = np.array(x, dtype=float)  # a private copy: the caller's point is never touched
    grad = np.zeros_like(x)
    coords, partials = x.reshape(-1), grad.reshape(-1)  # flat views, any shape works
    with np.errstate(all="ignore"):
        for i in range(coords.size):
            saved = coords[i]
            coords[i] = saved + h
            f_up = f(x)  # f(x + h·eᵢ)
            coords[i] = saved - h
            f_down = f(x)  # f(x - h·eᵢ)
            partials[i] = (f_up - f_down) / (2 * h)
            coords[i] = saved  # put the coordinate back
    return grad


def numerical_gradient_batch(f_batch: Callable, x, h: float = 1e-4) -> np.ndarray:
    """∇f at `x` by central differences, all coordinates in one call.

    `f_batch` maps an (m, n) array of points to the (m,) array of their values.  The 2n
    nudged points x ± h·eᵢ are stacked into one (2n, n) array and evaluated at once;
    the numbers equal `numerical_gradient`'s, only the Python loop is gone.
    """
    x = np.asarray(x, dtype=float)
    point = x.reshape(-1)
    n = point.size
    diagonal = np.arange(n)
    points = np.empty((2 * n, n))
    points[:] = point
    points[diagonal, diagonal] = point + h  # rows 0..n-1: x + h·eᵢ
    points[n + diagonal, diagonal] = point - h  # rows n..2n-1: x - h·eᵢ
    with np.errstate(all="ignore"):
        values = np.asarray(f_batch(points), dtype=float).reshape(-1)
        if values.size != 2 * n:
            raise ValueError(
                f"f_batch returned {values.size} values for {2 * n} points; "
                "it must map an (m, n) array to m values"
            )
        grad = (values[:n] - values[n:]) / (2 * h)
    return grad.reshape(x.shape)


def numerical_gradient_at(f: Callable, points, h: float = 1e-4) -> np.ndarray:
    """∇f at many points at once by central differences: the vectorised path for an `Expr`.

    `f` takes the coordinates as separate arrays, `f(x, y, …)`, the way an `Expr` is called; `points`
    has shape (m, n). Each coordinate is nudged by ±h for all m points in one call, so 2n calls of `f`
    replace the 2n·m calls of the textbook loop, with the same formula and the same numbers.
    """
    points = np.atleast_2d(np.asarray(points, dtype=float))
    columns = [points[:, j] for j in range(points.shape[1])]
    grad = np.empty_like(points)
    with np.errstate(all="ignore"):
        for j, column in enumerate(columns):
            up = f(*columns[:j], column + h, *columns[j + 1:])  # f(x + h·eⱼ) at every point
            down = f(*columns[:j], column - h, *columns[j + 1:])  # f(x - h·eⱼ)
            grad[:, j] = (np.asarray(up, dtype=float) - np.asarray(down, dtype=float)) / (2 * h)
    return grad


def numerical_hessian(f: Callable, x, h: float = 1e-4) -> np.ndarray:
    """The matrix of second partial derivatives of `f` at `x` by central differences.

    ∂²f/∂xᵢ∂xⱼ ≈ [f(x+hᵢ+hⱼ) - f(x+hᵢ-hⱼ) - f(x-hᵢ+hⱼ) + f(x-hᵢ-hⱼ)] / 4h²  for i ≠ j,
    ∂²f/∂xᵢ²   ≈ [f(x+hᵢ) - 2f(x) + f(x-hᵢ)] / h².
    The result is symmetric by construction.  `x` is a 1-D point (a scalar counts as one
    coordinate); `f` takes a 1-D array and returns a number.
    """
    point = np.array(x, dtype=float).reshape(-1)
    n = point.size
    steps = h * np.eye(n)

    def at(offset: np.ndarray) -> float:
        return float(np.asarray(f(point + offset), dtype=float).reshape(-1)[0])

    hessian = np.empty((n, n))
    with np.errstate(all="ignore"):
        centre = at(np.zeros(n))
        for i in range(n):
            hessian[i, i] = (at(steps[i]) - 2 * centre + at(-steps[i])) / h**2
            for j in range(i + 1, n):
                cross = (
                    at(steps[i] + steps[j])
                    - at(steps[i] - steps[j])
                    - at(steps[j] - steps[i])
                    + at(-steps[i] - steps[j])
                ) / (4 * h**2)
                hessian[i, j] = hessian[j, i] = cross
    return hessian


def exact_hessian(expr: Expr) -> tuple[tuple[Expr, ...], ...]:
    """The Hessian of an expression as exact expressions: row i, column j is ∂²f/∂xᵢ∂xⱼ."""
    return expr.hessian()


def tangent_line(f: Callable, x0: float, df: Callable | None = None) -> tuple[float, float]:
    """The tangent to `f` at `x0` as (slope, intercept): y = slope·x + intercept.

    The slope is `df(x0)` when the derivative is given, else a central difference.
    """
    x0 = float(x0)
    with np.errstate(all="ignore"):
        slope = float(df(x0)) if df is not None else float(numerical_derivative(f, x0))
        intercept = float(f(x0)) - slope * x0  # the line passes through (x0, f(x0))
    return slope, intercept


def directional_derivative(grad_at_x, u) -> float:
    """The rate of change along the direction `u`: ∇f·u/‖u‖ (u need not be a unit vector)."""
    grad_at_x = np.asarray(grad_at_x, dtype=float).reshape(-1)
    u = np.asarray(u, dtype=float).reshape(-1)
    if u.size != grad_at_x.size:
        raise ValueError(
            f"the direction has {u.size} components but the gradient has {grad_at_x.size}"
        )
    length = float(np.linalg.norm(u))
    if length == 0 or not np.isfinite(length):
        raise ValueError("the direction must be a nonzero, finite vector")
    return float(grad_at_x @ (u / length))


def difference_error(
    f: Callable, df: Callable, x: float, hs: Sequence[float] | np.ndarray, method: str = "central"
) -> np.ndarray:
    """|finite difference − exact derivative| at `x` for each step size in `hs`.

    Plotted against h on log axes this shows truncation error falling with h (slope 1
    for forward/backward, 2 for central) until rounding error takes over.
    """
    hs = np.asarray(hs, dtype=float).reshape(-1)
    approx = np.asarray(numerical_derivative(f, float(x), hs, method), dtype=float)
    with np.errstate(all="ignore"):
        return np.abs(approx - float(df(float(x))))
