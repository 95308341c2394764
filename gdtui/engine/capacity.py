"""Overfitting in one table: polynomials of growing degree fitted to a few noisy points, each judged on the
points it was fitted to and on fresh points from the same source it never saw (held out).

For each degree k the best polynomial of degree k is found exactly (least squares; the learning lessons find
the same θ by descent, slowly), then

    training error   = MSE on the fitted points      falls as k grows: more freedom never fits worse
    held-out error   = MSE on the fresh points        falls, then rises once the curve bends to the noise

The degree with the lowest held-out error is the one to choose. The x values are mapped onto [−1, 1] before
fitting (numpy's Polynomial.fit does it), which keeps high degrees well conditioned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gdtui.engine.regression import Dataset, make_polynomial_data

MAX_DEGREE = 15


@dataclass(frozen=True)
class DegreeSweep:
    degrees: np.ndarray      # (m,) 0, 1, …
    train_mse: np.ndarray    # (m,) error on the points each polynomial was fitted to
    held_out_mse: np.ndarray  # (m,) error on fresh points
    train: Dataset
    held_out: Dataset

    @property
    def best(self) -> int:
        """The degree with the lowest held-out error (the smallest such degree on a tie)."""
        return int(self.degrees[int(np.argmin(self.held_out_mse))])

    def curve(self, degree: int, x: np.ndarray) -> np.ndarray:
        """The fitted polynomial of this degree at x (to draw it over the points)."""
        return _fit(self.train, degree)(x)


def degree_sweep(train: Dataset, held_out: Dataset, max_degree: int) -> DegreeSweep:
    if not 0 <= max_degree <= MAX_DEGREE:
        raise ValueError(f"the highest degree must be 0 to {MAX_DEGREE}")
    if max_degree >= len(train.y):
        raise ValueError(f"degree {max_degree} needs more than {len(train.y)} points to fit")
    degrees = np.arange(max_degree + 1)
    train_mse, held_out_mse = [], []
    for k in degrees:
        p = _fit(train, int(k))
        train_mse.append(_mse(p, train))
        held_out_mse.append(_mse(p, held_out))
    return DegreeSweep(degrees, np.array(train_mse), np.array(held_out_mse), train, held_out)


def split_polynomial_data(n: int, held_out: int, coefs: Sequence[float], noise: float, seed: int,
                          x_range: tuple[float, float] = (-3.0, 3.0)) -> tuple[Dataset, Dataset]:
    """n points to fit and `held_out` fresh ones, all from one seeded draw (the first n are the training set)."""
    both = make_polynomial_data(n + held_out, coefs, noise, seed, x_range)
    return Dataset(both.X[:n], both.y[:n]), Dataset(both.X[n:], both.y[n:])


def _fit(data: Dataset, degree: int) -> np.polynomial.Polynomial:
    return np.polynomial.Polynomial.fit(data.X[:, 0], data.y, degree)


def _mse(p: np.polynomial.Polynomial, data: Dataset) -> float:
    return float(np.mean((p(data.X[:, 0]) - data.y) ** 2))
