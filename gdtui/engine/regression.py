"""Regression by gradient descent: seeded data sets, losses and their gradients, and `fit_gd`.

Both models are linear in their parameters, ŷ = Φ(X)·θ, with the features Φ:

    linear       Φ = [x₁ … x_d, 1]        θ = (w₁ … w_d, b)
    polynomial   Φ = [xᵏ … x, 1]          θ = (c_k … c₁, c₀), numpy.polyval's order

so a degree-1 polynomial and a one-feature line share θ = (w, b).  The gradient of a loss
L(ŷ) with respect to θ is the chain rule Φᵀ·∂L/∂ŷ:

    MSE = mean((y − ŷ)²)    ∂MSE/∂ŷ = −2(y − ŷ)/n
    MAE = mean(|y − ŷ|)     ∂MAE/∂ŷ = −sign(y − ŷ)/n

`make_linear_data` draws from numpy's legacy RandomState so that seed 42 gives the textbook's
data set; everything newer uses numpy's Generator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from gdtui.engine.optimizers import make_optimizer

METHODS = ("batch", "stochastic", "minibatch")
MODELS = ("linear", "polynomial")


class Dataset(NamedTuple):
    X: np.ndarray  # (n, d) inputs
    y: np.ndarray  # (n,) targets


def make_linear_data(n: int = 100, w: float | Sequence[float] = 2.0, b: float = 1.0,
                     noise: float = 0.1, seed: int = 42) -> Dataset:
    """y = X·w + b + noise·ε with X, ε standard normal, drawn in the textbook's order.

    With the defaults this is exactly `np.random.seed(42); X = np.random.randn(100, 1);
    y = 2 * X + 1 + 0.1 * np.random.randn(100, 1)` (y flattened), without touching
    numpy's global random state.
    """
    w = np.atleast_1d(np.asarray(w, dtype=float))
    draw = np.random.RandomState(seed)  # legacy stream: reproduces the textbook's numbers
    X = draw.randn(n, w.size)
    y = X @ w + b + noise * draw.randn(n)
    return Dataset(X, y)


def least_squares_line(X, y) -> tuple[float, float]:
    """The line y = w·x + b with the least squared error through points (x one column): the fit gradient
    descent on the MSE converges to."""
    x = np.asarray(X, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    dx = x - x.mean()
    w = float(dx @ (y - y.mean()) / (dx @ dx))
    return w, float(y.mean() - w * x.mean())


def make_polynomial_data(n: int = 100, coefs: Sequence[float] = (0.5, -1.0, 2.0),
                         noise: float = 0.5, seed: int = 0,
                         x_range: tuple[float, float] = (-3.0, 3.0)) -> Dataset:
    """y = polyval(coefs, x) + noise·ε, x uniform on x_range; coefs highest power first."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(x_range[0], x_range[1], n)
    y = np.polyval(np.asarray(coefs, dtype=float), x) + noise * rng.standard_normal(n)
    return Dataset(x.reshape(-1, 1), y)


# ---------------------------------------------------------------- models

@dataclass(frozen=True)
class Model:
    """ŷ = features(X)·θ; `degree` is None for the linear model."""

    name: str
    degree: int | None = None

    def features(self, X) -> np.ndarray:
        X = _as_inputs(X)
        if self.degree is None:
            return np.hstack([X, np.ones((len(X), 1))])
        if X.shape[1] != 1:
            raise ValueError("a polynomial model takes a single input column")
        return np.vander(X[:, 0], self.degree + 1)  # columns xᵏ … x, 1

    def n_params(self, n_features: int = 1) -> int:
        return n_features + 1 if self.degree is None else self.degree + 1


def make_model(name: str | Model = "linear", degree: int = 2) -> Model:
    if isinstance(name, Model):
        return name
    if name == "linear":
        return Model("linear")
    if name == "polynomial":
        if int(degree) < 0:
            raise ValueError("a polynomial's degree must be ≥ 0")
        return Model("polynomial", int(degree))
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")


# ---------------------------------------------------------------- losses

def _quiet(function: Callable) -> Callable:
    """Overflow gives inf/nan in the result, never a numpy warning."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with np.errstate(all="ignore"):
            return function(*args, **kwargs)

    return wrapper


@_quiet
def mse(y_true, y_pred) -> float:
    return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))


@_quiet
def mae(y_true, y_pred) -> float:
    return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))


@_quiet
def mse_gradient(y_true, y_pred) -> np.ndarray:
    """∂MSE/∂ŷ, one entry per sample."""
    residual = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    return -2.0 * residual / residual.size


@_quiet
def mae_gradient(y_true, y_pred) -> np.ndarray:
    """∂MAE/∂ŷ (sign(0) = 0 is the subgradient taken at a perfect fit)."""
    residual = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)
    return -np.sign(residual) / residual.size


LOSSES: dict[str, tuple[Callable, Callable]] = {"mse": (mse, mse_gradient), "mae": (mae, mae_gradient)}


@_quiet
def loss_and_gradient(params, X, y, model: Model | str = "linear", loss: str = "mse"):
    """(L(θ), ∇θ L) on the samples X, y."""
    value_of, gradient_of = _loss(loss)
    phi = make_model(model).features(X)
    y = np.asarray(y, dtype=float).reshape(-1)
    prediction = phi @ np.asarray(params, dtype=float)
    return value_of(y, prediction), phi.T @ gradient_of(y, prediction)  # chain rule: Φᵀ·∂L/∂ŷ


# ---------------------------------------------------------------- fitting

@dataclass(frozen=True, eq=False)
class FitResult:
    params: np.ndarray  # final θ
    loss_per_step: np.ndarray  # loss on each step's batch, before that step's update
    loss_per_epoch: np.ndarray  # (epochs_run + 1,) loss on all data: at the start, after each epoch
    path: np.ndarray  # (epochs_run + 1, p) θ at the start and after each epoch
    status: str  # "done" | "diverged"
    model: str
    loss: str


def fit_gd(X, y, *, model: Model | str = "linear", loss: str = "mse", lr: float = 0.01,
           epochs: int = 1000, method: str = "batch", batch_size: int = 32,
           seed: int | None = None, degree: int = 2, params0=None,
           optimizer: str = "sgd", **hyper) -> FitResult:
    """Fit `model` to (X, y) by gradient descent on `loss`.

    method "batch" takes one step per epoch on all the data; "stochastic" one step per
    sample and "minibatch" one per batch of `batch_size`, both in an order reshuffled each
    epoch from `seed`.  The step is `optimizer` (plain SGD unless told otherwise), from θ = 0
    unless `params0` is given.  A fit whose parameters stop being finite stops there with
    status "diverged"; what it keeps is finite.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    fit_model = make_model(model, degree)
    value_of, gradient_of = _loss(loss)
    phi = fit_model.features(X)
    y = np.asarray(y, dtype=float).reshape(-1)
    if len(y) != len(phi):
        raise ValueError(f"X has {len(phi)} rows but y has {len(y)} values")
    n = len(y)
    size = {"batch": n, "stochastic": 1, "minibatch": max(1, int(batch_size))}[method]
    rng = np.random.default_rng(seed)
    opt = make_optimizer(optimizer, lr, **hyper)
    start = np.zeros(phi.shape[1]) if params0 is None else np.array(params0, dtype=float)
    state, params = opt.init(start), start
    step_losses, epoch_losses, path = [], [value_of(y, phi @ params)], [params]
    status, k = "done", 0
    with np.errstate(all="ignore"):
        for _ in range(int(epochs)):
            order = np.arange(n) if method == "batch" else rng.permutation(n)
            for first in range(0, n, size):
                rows = order[first:first + size]
                part, target = phi[rows], y[rows]
                prediction = part @ params
                step_losses.append(value_of(target, prediction))
                state = opt.update(k, part.T @ gradient_of(target, prediction), state)
                k += 1
                params = np.asarray(opt.params(state), dtype=float)
                if not np.all(np.isfinite(params)):
                    status = "diverged"
                    break
            if status == "diverged":
                params = path[-1]
                break
            epoch_loss = value_of(y, phi @ params)
            if not np.isfinite(epoch_loss):
                status, params = "diverged", path[-1]
                break
            epoch_losses.append(epoch_loss)
            path.append(params)
    return FitResult(params, np.array(step_losses), np.array(epoch_losses), np.array(path),
                     status, fit_model.name, loss)


def _loss(name: str):
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None


def _as_inputs(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return X.reshape(-1, 1) if X.ndim <= 1 else X
