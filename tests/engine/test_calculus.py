import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.engine.calculus import (
    DIFFERENCE_METHODS,
    difference_error,
    directional_derivative,
    exact_hessian,
    numerical_derivative,
    numerical_gradient,
    numerical_gradient_batch,
    numerical_hessian,
    tangent_line,
)


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_numerical_derivative_of_sine_is_cosine(method):
    x = np.linspace(-3, 3, 13)
    tolerance = 1e-7 if method == "central" else 1e-4
    np.testing.assert_allclose(numerical_derivative(np.sin, x, method=method), np.cos(x), atol=tolerance)


def test_numerical_derivative_shapes():
    assert isinstance(numerical_derivative(np.exp, 0.0), float)
    assert numerical_derivative(np.exp, np.zeros((2, 3))).shape == (2, 3)
    hs = np.array([1e-1, 1e-2, 1e-3])
    assert numerical_derivative(np.exp, 0.0, h=hs).shape == (3,)


def test_forward_difference_error_is_first_order_and_central_second_order():
    f, df = np.exp, np.exp
    hs = np.array([1e-2, 1e-3])
    forward = difference_error(f, df, 1.0, hs, "forward")
    central = difference_error(f, df, 1.0, hs, "central")
    assert forward[0] / forward[1] == pytest.approx(10, rel=0.05)  # error ∝ h
    assert central[0] / central[1] == pytest.approx(100, rel=0.05)  # error ∝ h²


def test_rounding_error_wins_for_tiny_steps():
    errors = difference_error(np.exp, np.exp, 1.0, [1e-5, 1e-13], "central")
    assert errors[1] > errors[0]


@pytest.mark.parametrize("bad", [{"method": "sideways"}, {"h": 0.0}, {"h": -1e-3}])
def test_numerical_derivative_refuses_bad_settings(bad):
    with pytest.raises(ValueError):
        numerical_derivative(np.sin, 1.0, **bad)


def test_unknown_method_message_lists_the_methods():
    with pytest.raises(ValueError, match="central, forward, backward"):
        numerical_derivative(np.sin, 1.0, method="sideways")


def test_numerical_gradient_leaves_the_point_alone_and_accepts_integers():
    point = np.array([3, 4])
    grad = numerical_gradient(lambda x: np.sum(x**2), point)
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [6, 8], rtol=1e-9)
    np.testing.assert_array_equal(point, [3, 4])


def test_numerical_gradient_of_a_matrix_argument_keeps_its_shape():
    W = np.arange(6.0).reshape(2, 3)
    grad = numerical_gradient(lambda w: np.sum(w**3), W)
    assert grad.shape == (2, 3)
    np.testing.assert_allclose(grad, 3 * W**2, atol=1e-6)


def test_batch_gradient_matches_the_loop():
    f = lambda x: np.sum(np.sin(x) * x**2)  # noqa: E731
    f_batch = lambda P: np.sum(np.sin(P) * P**2, axis=1)  # noqa: E731
    x = np.random.default_rng(1).normal(size=50)
    np.testing.assert_allclose(numerical_gradient_batch(f_batch, x), numerical_gradient(f, x),
                               rtol=1e-9, atol=1e-9)


def test_batch_gradient_evaluates_all_points_in_one_call():
    calls = []

    def f_batch(points):
        calls.append(points.shape)
        return np.sum(points**2, axis=1)

    np.testing.assert_allclose(numerical_gradient_batch(f_batch, [3.0, 4.0, 5.0]), [6, 8, 10], rtol=1e-9)
    assert calls == [(6, 3)]


def test_batch_gradient_refuses_a_function_that_is_not_batched():
    with pytest.raises(ValueError, match="f_batch returned 1 values for 4 points"):
        numerical_gradient_batch(lambda P: np.sum(P**2), [1.0, 2.0])


def test_numerical_hessian_of_a_quadratic_form():
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 2.0]])
    H = numerical_hessian(lambda x: 0.5 * x @ A @ x + np.sin(0.0 * x).sum(), np.array([0.3, -1.0, 2.0]))
    np.testing.assert_allclose(H, A, atol=1e-6)
    np.testing.assert_array_equal(H, H.T)


def test_numerical_hessian_of_rosenbrock_at_its_minimum():
    f = lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2  # noqa: E731
    np.testing.assert_allclose(numerical_hessian(f, [1.0, 1.0]), [[802, -400], [-400, 200]], rtol=1e-6)


def test_numerical_hessian_of_one_variable():
    np.testing.assert_allclose(numerical_hessian(lambda x: x[0] ** 3, 2.0), [[12.0]], rtol=1e-6)


def test_exact_hessian_is_a_table_of_second_derivatives():
    from gdtui.engine.expr import parse

    f = parse("x**2*y + y**3 + sin(x)", ("x", "y"))
    table = exact_hessian(f)
    assert len(table) == 2 and all(len(row) == 2 for row in table)
    x, y = 0.7, -1.3
    values = [[float(entry(x, y)) for entry in row] for row in table]
    np.testing.assert_allclose(values, [[2 * y - np.sin(x), 2 * x], [2 * x, 6 * y]], rtol=1e-14)
    numeric = numerical_hessian(lambda p: float(f(p[0], p[1])), [x, y])
    np.testing.assert_allclose(values, numeric, atol=1e-6)


def test_tangent_line_of_x_squared():
    slope, intercept = tangent_line(lambda x: x**2, 0.5)
    assert slope == pytest.approx(1.0, abs=1e-9)
    assert intercept == pytest.approx(-0.25, abs=1e-9)
    assert tangent_line(lambda x: x**2, 3.0, df=lambda x: 2 * x) == (6.0, -9.0)


def test_directional_derivative_normalises_the_direction():
    assert directional_derivative([6.0, 8.0], [3.0, 4.0]) == pytest.approx(10.0)  # along ∇f: ‖∇f‖
    assert directional_derivative([6.0, 8.0], [-4.0, 3.0]) == pytest.approx(0.0)  # along a contour
    assert directional_derivative([6.0, 8.0], [0.0, 100.0]) == pytest.approx(8.0)


@pytest.mark.parametrize("u", [[0.0, 0.0], [1.0, np.inf], [1.0, 2.0, 3.0]])
def test_directional_derivative_refuses_bad_directions(u):
    with pytest.raises(ValueError):
        directional_derivative([1.0, 2.0], u)


def test_overflow_gives_inf_not_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        slope = numerical_derivative(np.exp, 1000.0)
        grad = numerical_gradient(lambda x: np.sum(np.exp(x)), np.array([1000.0, 0.0]))
    assert not np.isfinite(slope)
    assert not np.any(np.isfinite(grad))  # inf − inf: nan in both coordinates


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=6))
def test_numerical_gradient_of_a_quadratic_is_nearly_exact(coords):
    x = np.array(coords)
    weights = np.arange(1.0, x.size + 1)
    grad = numerical_gradient(lambda p: np.sum(weights * p**2), x)
    # central differences are exact for quadratics up to rounding: ε·|f| / h
    scale = 1 + np.sum(weights * x**2)
    np.testing.assert_allclose(grad, 2 * weights * x, atol=1e-11 * scale / 1e-4)


def test_numerical_gradient_at_many_points_matches_the_textbook_loop():
    from gdtui.engine.calculus import numerical_gradient_at
    from gdtui.engine.expr import parse

    himmelblau = parse("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", ("x", "y"))
    points = np.random.default_rng(3).uniform(-5, 5, size=(50, 2))
    fast = numerical_gradient_at(himmelblau, points)
    slow = np.array([numerical_gradient(lambda v: float(himmelblau(*v)), p) for p in points])
    np.testing.assert_array_equal(fast, slow)
    exact = np.stack([np.broadcast_to(g(*points.T), (50,)) for g in himmelblau.gradient()], axis=1)
    np.testing.assert_allclose(fast, exact, rtol=1e-6, atol=1e-6)
