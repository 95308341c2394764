"""Regression results for the data, fit and loss layers, cached on the data spec and the values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from gdtui.engine import regression as rg
from gdtui.engine.optimizers import OPTIMIZERS

from .data import DEFAULT_STEPS, MAX_STEPS, ChartInputError, number

MAX_UPDATES = 2000  # per fit: a stochastic epoch is one update per sample, and each costs ~30 µs

@dataclass(frozen=True)
class Fit:
    """A regression fit drawn on a chart: data, the parameters after each epoch, losses per method."""

    X: np.ndarray
    y: np.ndarray
    model: str
    degree: int | None
    loss: str  # "mse" or "mae"
    path: np.ndarray  # (epochs_run + 1, p)
    status: str
    method: str
    losses: Mapping[str, np.ndarray]  # method -> loss per epoch (0 = before the first step)
    capped: tuple[tuple[str, int], ...] = ()  # (method, epochs run) where MAX_UPDATES cut the run short


def regression_fit(spec: Any, vals: Mapping[str, Any]) -> Fit:
    data = dict(getattr(spec, "data", None) or {})
    model = str(data.get("model", data.get("kind", "linear")))
    degree = int(data.get("degree", 2)) if model == "polynomial" else None
    method = next((m for m in (vals.get("method"), data.get("method")) if m in rg.METHODS), "batch")
    loss = str(data.get("loss", "mse"))
    lr = number(vals, "lr", 0.01)
    epochs = int(min(max(number(vals, "steps", DEFAULT_STEPS) or 0, 0), MAX_STEPS))
    batch = int(number(vals, "batch_size", 16) or 16)
    optimizer = vals.get("optimizer") if vals.get("optimizer") in OPTIMIZERS else "sgd"
    key = _data_key(data)
    methods = rg.METHODS if "loss" in tuple(getattr(spec, "layers", ()) or ()) else (method,)
    try:
        X, y = _dataset(key)
        caps = {m: _epochs(epochs, m, len(y), batch) for m in methods}
        runs = {m: _fit(key, model, degree, loss, lr, caps[m], m, batch, optimizer) for m in methods}
    except (ValueError, ArithmeticError, TypeError) as exc:
        raise ChartInputError(f"data: {exc}") from None
    chosen = runs[method]
    return Fit(X, y, model, degree, loss, chosen.path, chosen.status, method,
               {m: r.loss_per_epoch for m, r in runs.items()},
               tuple((m, cap) for m, cap in caps.items() if cap < epochs))


def _epochs(epochs: int, method: str, n: int, batch: int) -> int:
    """Epochs to run, capped at MAX_UPDATES updates (stochastic descent takes n updates an epoch)."""
    per_epoch = {"batch": 1, "stochastic": n, "minibatch": -(-n // max(1, batch))}[method]
    return max(1, min(epochs, MAX_UPDATES // per_epoch)) if epochs else 0


def _data_key(data: Mapping[str, Any]) -> tuple:
    def freeze(v):
        if isinstance(v, (list, tuple)):
            return tuple(freeze(u) for u in v)
        if isinstance(v, Mapping):
            return tuple(sorted((k, freeze(u)) for k, u in v.items()))
        return v

    return tuple(sorted((str(k), freeze(v)) for k, v in data.items()))


@lru_cache(maxsize=8)
def _dataset(key: tuple) -> tuple[np.ndarray, np.ndarray]:
    data = dict(key)
    if "x" in data and "y" in data:
        X = np.asarray(data["x"], dtype=float).reshape(-1, 1)
        y = np.asarray(data["y"], dtype=float).reshape(-1)
        if len(X) != len(y) or len(y) == 0:
            raise ValueError("data x and y need the same, non-zero, number of values")
        return X, y
    model = str(data.get("model", data.get("kind", "linear")))
    n = int(data.get("n", 100))
    if model == "polynomial":
        coefs = data.get("coefs", (0.5, -1.0, 2.0))
        ds = rg.make_polynomial_data(n=n, coefs=coefs, noise=float(data.get("noise", 0.5)),
                                     seed=int(data.get("seed", 0)))
    else:
        ds = rg.make_linear_data(n=n, w=float(data.get("w", 2.0)), b=float(data.get("b", 1.0)),
                                 noise=float(data.get("noise", 0.1)), seed=int(data.get("seed", 42)))
    return ds.X, ds.y


@lru_cache(maxsize=16)
def _fit(key, model, degree, loss, lr, epochs, method, batch, optimizer):
    X, y = _dataset(key)
    seed = int(dict(key).get("seed", 0))
    return rg.fit_gd(X, y, model=model, loss=loss, lr=lr, epochs=epochs, method=method, batch_size=batch,
                     seed=seed, degree=degree or 2, optimizer=optimizer)
