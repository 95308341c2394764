"""Every number in DESIGN.md "Numbers the engine must reproduce", from the seeds' printed output."""

import numpy as np
import pytest

from gdtui.engine.calculus import numerical_derivative, numerical_gradient
from gdtui.engine.descent import descend
from gdtui.engine.regression import fit_gd, make_linear_data


def sum_of_squares(x):
    return np.sum(x**2)


def test_slope_of_x_squared_at_three_points():
    slopes = numerical_derivative(lambda x: x**2, np.array([-0.5, 0.5, 0.0]))
    np.testing.assert_allclose(slopes, [-1.0, 1.0, 0.0], atol=1e-10)
    assert numerical_derivative(lambda x: x**2, 0.5) == pytest.approx(1.0, abs=1e-10)


@pytest.mark.parametrize("point, expected, printed", [
    ((3.0, 4.0), (6.0, 8.0), "[6. 8.]"),
    ((0.0, 2.0), (0.0, 4.0), "[0. 4.]"),
])
def test_numerical_gradient_of_sum_of_squares(point, expected, printed):
    grad = numerical_gradient(sum_of_squares, np.array(point))
    np.testing.assert_allclose(grad, expected, rtol=1e-9, atol=1e-12)
    assert str(grad) == printed  # what the textbook prints


@pytest.mark.parametrize("lr, printed", [
    (0.1, (-6.11110793e-10, 8.14814391e-10)),
    (10.0, (-2.58983747e13, -1.29524862e12)),  # lopsided: rounding in the numerical gradient
    (1e-10, (-2.99999994, 3.99999992)),
])
def test_textbook_descent_from_minus_3_4(lr, printed):
    path = descend(lambda x: numerical_gradient(sum_of_squares, x), (-3.0, 4.0), lr=lr, steps=100)
    assert path.steps_run == 100 and path.xs.shape == (101, 2)
    np.testing.assert_allclose(path.final, printed, rtol=1e-8)


def test_textbook_lr_10_is_reported_as_diverged():
    path = descend(lambda x: numerical_gradient(sum_of_squares, x), (-3.0, 4.0), lr=10.0, steps=100)
    assert path.status == "diverged"


def test_one_dimensional_descent_on_shifted_parabola():
    # f(x) = x² + 2x + 1, f'(x) = 2x + 2, from x = 5 with lr = 0.1
    path = descend(lambda x: 2 * x + 2, 5.0, lr=0.1, steps=100, tol=1e-6,
                   objective=lambda x: x**2 + 2 * x + 1)
    assert path.xs.shape[1] == 1
    assert path.xs[1, 0] == pytest.approx(3.8, rel=1e-12)
    assert path.xs[2, 0] == pytest.approx(2.84, rel=1e-12)
    assert path.status == "converged"
    assert path.final[0] == pytest.approx(-1.0, abs=1e-6)


def test_linear_regression_reaches_the_textbook_weights():
    X, y = make_linear_data(100, w=2.0, b=1.0, noise=0.1, seed=42)
    fit = fit_gd(X, y, model="linear", loss="mse", lr=0.01, epochs=1000, method="batch")
    w, b = fit.params
    assert round(w, 8) == 1.98567398
    assert round(b, 8) == 1.00074264
