"""Regression results for the data, fit and loss layers: the plot's fits (gdtui.course.runs), gathered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdtui.course.runs import dataset, fit, fit_runs, steps_of


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
    """The fit the chart shows and the loss of each method it compares; ValueError for data it cannot fit."""
    method, runs = fit_runs(spec, vals)
    results = {run.method: fit(run) for run in runs}
    chosen = next(run for run in runs if run.method == method)
    X, y = dataset(chosen.data)
    epochs = steps_of(vals)
    return Fit(X, y, chosen.model, chosen.degree, chosen.loss, results[method].path, results[method].status, method,
               {m: r.loss_per_epoch for m, r in results.items()},
               tuple((run.method, run.epochs) for run in runs if run.epochs < epochs))
