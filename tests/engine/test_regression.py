import numpy as np
import pytest

from gdtui.engine.calculus import numerical_gradient
from gdtui.engine.regression import (
    fit_gd,
    loss_and_gradient,
    mae,
    mae_gradient,
    make_linear_data,
    make_model,
    make_polynomial_data,
    mse,
    mse_gradient,
)


def test_linear_data_is_the_textbook_draw_without_touching_global_state():
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    X, y = make_linear_data(100, 2.0, 1.0, 0.1, seed=42)
    assert np.array_equal(np.random.get_state()[1], before)
    np.random.seed(42)
    X_book = np.random.randn(100, 1)
    y_book = 2 * X_book + 1 + 0.1 * np.random.randn(100, 1)
    np.testing.assert_array_equal(X, X_book)
    np.testing.assert_array_equal(y, y_book[:, 0])


def test_linear_data_with_several_features():
    X, y = make_linear_data(50, w=[1.0, -2.0, 0.5], b=3.0, noise=0.0, seed=0)
    assert X.shape == (50, 3) and y.shape == (50,)
    np.testing.assert_allclose(y, X @ [1.0, -2.0, 0.5] + 3.0)


def test_polynomial_data_is_reproducible():
    a, b = make_polynomial_data(30, seed=3), make_polynomial_data(30, seed=3)
    np.testing.assert_array_equal(a.X, b.X)
    assert a.X.shape == (30, 1) and np.all(np.abs(a.X) <= 3)
    X, y = make_polynomial_data(20, coefs=(1.0, 0.0, -1.0), noise=0.0, seed=1)
    np.testing.assert_allclose(y, X[:, 0] ** 2 - 1)


def test_losses_and_their_gradients_by_hand():
    y, pred = np.array([1.0, 2.0, 3.0]), np.array([1.0, 4.0, 2.0])
    assert mse(y, pred) == pytest.approx(5 / 3)
    assert mae(y, pred) == pytest.approx(1.0)
    np.testing.assert_allclose(mse_gradient(y, pred), [0.0, 4 / 3, -2 / 3])
    np.testing.assert_allclose(mae_gradient(y, pred), [0.0, 1 / 3, -1 / 3])


@pytest.mark.parametrize("model, degree, loss", [
    ("linear", 2, "mse"), ("linear", 2, "mae"), ("polynomial", 3, "mse"), ("polynomial", 2, "mae"),
])
def test_parameter_gradient_matches_central_differences(model, degree, loss):
    X, y = make_polynomial_data(40, seed=5)
    params = np.array([0.3, -0.7, 1.1, 0.2][: make_model(model, degree).n_params()])
    _, exact = loss_and_gradient(params, X, y, make_model(model, degree), loss)
    numeric = numerical_gradient(lambda p: loss_and_gradient(p, X, y, make_model(model, degree), loss)[0],
                                 params, h=1e-6)
    np.testing.assert_allclose(exact, numeric, rtol=1e-5, atol=1e-7)


def test_a_degree_one_polynomial_is_the_line():
    X, _ = make_linear_data(10, seed=1)
    np.testing.assert_array_equal(make_model("linear").features(X),
                                  make_model("polynomial", 1).features(X))


def test_loss_history_of_a_batch_fit():
    X, y = make_linear_data(seed=42)
    fit = fit_gd(X, y, lr=0.01, epochs=50)
    assert fit.loss_per_step.shape == (50,) and fit.loss_per_epoch.shape == (51,)
    assert fit.path.shape == (51, 2) and fit.status == "done"
    assert fit.loss_per_epoch[0] == pytest.approx(np.mean(y**2))  # θ = 0 predicts 0
    assert fit.loss_per_step[0] == fit.loss_per_epoch[0]
    assert np.all(np.diff(fit.loss_per_epoch) < 0)
    np.testing.assert_array_equal(fit.path[-1], fit.params)


@pytest.mark.parametrize("method, batch_size, steps_per_epoch", [
    ("stochastic", 32, 100), ("minibatch", 32, 4), ("minibatch", 10, 10),
])
def test_stochastic_and_minibatch_steps(method, batch_size, steps_per_epoch):
    X, y = make_linear_data(seed=42)
    fit = fit_gd(X, y, lr=0.05, epochs=30, method=method, batch_size=batch_size, seed=0)
    again = fit_gd(X, y, lr=0.05, epochs=30, method=method, batch_size=batch_size, seed=0)
    assert fit.loss_per_step.shape == (30 * steps_per_epoch,)
    np.testing.assert_array_equal(fit.params, again.params)
    np.testing.assert_allclose(fit.params, [2.0, 1.0], atol=0.05)


def test_polynomial_fit_approaches_least_squares():
    X, y = make_polynomial_data(200, coefs=(0.5, -1.0, 2.0), noise=0.3, seed=2)
    fit = fit_gd(X, y, model="polynomial", degree=2, lr=0.01, epochs=5000)
    np.testing.assert_allclose(fit.params, np.polyfit(X[:, 0], y, 2), atol=1e-4)


def test_optimizer_choice_is_passed_through():
    X, y = make_linear_data(seed=42)
    fit = fit_gd(X, y, lr=0.1, epochs=200, optimizer="adam", betas=(0.9, 0.99))
    np.testing.assert_allclose(fit.params, [2.0, 1.0], atol=0.05)


def test_too_large_a_rate_is_reported_and_kept_finite():
    X, y = make_linear_data(seed=42)
    fit = fit_gd(X, y, lr=5.0, epochs=2000)
    assert fit.status == "diverged"
    assert np.all(np.isfinite(fit.params)) and np.all(np.isfinite(fit.loss_per_epoch))
    assert len(fit.path) == len(fit.loss_per_epoch) < 2001


@pytest.mark.parametrize("options, message", [
    ({"method": "online"}, "unknown method 'online'; choose one of batch, stochastic, minibatch"),
    ({"loss": "huber"}, "unknown loss 'huber'; choose one of mse, mae"),
    ({"model": "spline"}, "unknown model 'spline'; choose one of linear, polynomial"),
    ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'"),
])
def test_bad_options_are_plain_errors(options, message):
    X, y = make_linear_data(20, seed=1)
    with pytest.raises(ValueError, match=message):
        fit_gd(X, y, epochs=1, **options)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="X has 3 rows but y has 2 values"):
        fit_gd([1.0, 2.0, 3.0], [1.0, 2.0], epochs=1)
