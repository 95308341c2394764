"""Overfitting: training error never rises with the degree; held-out error falls, then rises."""

from __future__ import annotations

import numpy as np
import pytest

from gdtui.engine.capacity import degree_sweep, split_polynomial_data
from gdtui.engine.regression import Dataset


def test_a_quadratic_source_is_best_fitted_by_a_quadratic():
    train, held_out = split_polynomial_data(12, 200, coefs=(0.5, -1.0, 2.0), noise=0.6, seed=3)
    sweep = degree_sweep(train, held_out, 9)
    assert np.all(np.diff(sweep.train_mse) <= 1e-12)  # more freedom never fits the same points worse
    assert sweep.best == 2
    assert sweep.held_out_mse[9] > 5 * sweep.held_out_mse[2]  # degree 9 through 12 points bends to the noise
    assert sweep.train_mse[9] < sweep.train_mse[2]


def test_the_exact_fit_matches_least_squares_by_hand():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    y = np.array([1.0, 0.0, 1.0, 5.0])
    data = Dataset(x.reshape(-1, 1), y)
    sweep = degree_sweep(data, data, 1)
    w, b = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    assert sweep.train_mse[1] == pytest.approx(np.mean((w * x + b - y) ** 2))
    assert sweep.train_mse[0] == pytest.approx(np.var(y))  # degree 0: the mean, whose MSE is the variance
    assert sweep.curve(1, np.array([3.0]))[0] == pytest.approx(3 * w + b)


def test_limits_are_plain_sentences():
    train, held_out = split_polynomial_data(5, 5, coefs=(1.0,), noise=0.1, seed=0)
    with pytest.raises(ValueError, match="needs more than 5 points"):
        degree_sweep(train, held_out, 5)
    with pytest.raises(ValueError, match="0 to 15"):
        degree_sweep(train, held_out, 16)
