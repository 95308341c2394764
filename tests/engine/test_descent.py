import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.engine.descent import Trajectory, descend, race
from gdtui.engine.optimizers import OPTIMIZERS, make_schedule


def bowl_grad(p):  # f = Σx²
    return 2 * p


def bowl(p):
    return float(np.sum(p**2))


def test_runs_every_step_asked_without_tol():
    path = descend(bowl_grad, [3.0, 4.0], lr=0.1, steps=40)
    assert isinstance(path, Trajectory)
    assert path.xs.shape == (41, 2) and path.grads.shape == (41, 2)
    assert path.steps_run == 40 and len(path) == 41
    assert path.status == "max_steps" and path.values is None
    np.testing.assert_array_equal(path.final, path.xs[-1])
    np.testing.assert_allclose(path.grads, 2 * path.xs)
    np.testing.assert_allclose(path.final, np.array([3.0, 4.0]) * 0.8**40)


def test_scalar_start_gives_one_column():
    path = descend(lambda x: 2 * x, 1.0, lr=0.25, steps=3, objective=lambda x: x[0] ** 2)
    assert path.xs.shape == (4, 1)
    np.testing.assert_allclose(path.xs[:, 0], [1, 0.5, 0.25, 0.125])
    np.testing.assert_allclose(path.values, [1, 0.25, 0.0625, 0.015625])
    assert path.final_value == pytest.approx(0.015625)


def test_tol_stops_at_convergence():
    path = descend(bowl_grad, [3.0, 4.0], lr=0.1, steps=1000, tol=1e-6, objective=bowl)
    assert path.status == "converged"
    assert path.steps_run < 1000 and path.xs.shape == (path.steps_run + 1, 2)
    assert np.linalg.norm(path.grads[-1]) < 1e-6 <= np.linalg.norm(path.grads[-2])


def test_starting_at_the_minimum_converges_in_zero_steps():
    path = descend(bowl_grad, [0.0, 0.0], steps=10, tol=1e-8)
    assert path.status == "converged" and path.steps_run == 0 and path.xs.shape == (1, 2)


def test_convergence_on_the_last_step_counts():
    path = descend(lambda x: 2 * x, 1.0, lr=0.5, steps=1, tol=1e-9)  # lr 0.5 lands on 0 at once
    assert path.status == "converged" and path.steps_run == 1


def test_too_large_a_learning_rate_on_x_squared_diverges():
    path = descend(lambda x: 2 * x, 5.0, lr=10.0, steps=100)
    assert path.status == "diverged"
    assert path.steps_run == 100  # finite all the way (19¹⁰⁰·5 ≈ 1e128), but far away


def test_overflow_stops_the_run_and_keeps_only_finite_rows():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = descend(lambda x: 2 * x, 5.0, lr=10.0, steps=1000, objective=lambda x: x[0] ** 2)
    assert path.status == "diverged"
    assert path.steps_run < 1000 and len(path.xs) == path.steps_run + 1
    assert np.all(np.isfinite(path.xs)) and np.all(np.isfinite(path.grads))
    assert np.all(np.isfinite(path.values))


def test_a_vanishing_gradient_far_away_is_not_convergence():
    # far out the numerical gradient rounds to 0; distance, not the gradient, decides
    flat_far_away = lambda x: np.zeros(1) if abs(x[0]) > 1e9 else -2 * x  # noqa: E731
    path = descend(flat_far_away, 1.0, lr=1.0, steps=100, tol=1e-6)
    assert path.status == "diverged"


def test_trajectory_is_frozen():
    path = descend(bowl_grad, [1.0, 1.0], steps=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        path.status = "converged"
    with pytest.raises(ValueError):
        path.xs[0, 0] = 9.0


def test_hyperparameters_reach_the_optimizer():
    plain = descend(bowl_grad, [3.0, 4.0], optimizer="sgd", lr=0.05, steps=5)
    heavy = descend(bowl_grad, [3.0, 4.0], optimizer="sgd", lr=0.05, steps=5, momentum=0.9)
    assert not np.allclose(plain.final, heavy.final)
    assert heavy.optimizer == "sgd" and heavy.lr == 0.05


def test_unknown_hyperparameter_is_a_plain_error():
    with pytest.raises(ValueError, match="no hyperparameter 'momentum'"):
        descend(bowl_grad, [1.0], optimizer="adam", momentum=0.9)


@pytest.mark.parametrize("schedule", [
    "step",
    {"name": "step", "step_size": 10, "gamma": 0.1},
    make_schedule("step", 0.1, step_size=10, gamma=0.1),
])
def test_schedule_by_name_mapping_or_function(schedule):
    path = descend(lambda x: np.ones(1), 0.0, lr=0.1, steps=12, schedule=schedule)
    # 10 steps at 0.1 then 2 at 0.01 (StepLR defaults: step_size 10, gamma 0.1)
    assert path.final[0] == pytest.approx(-(10 * 0.1 + 2 * 0.01))
    assert path.lr == 0.1


def test_bad_inputs_are_plain_errors():
    with pytest.raises(ValueError, match="starting point"):
        descend(bowl_grad, [np.nan, 1.0])
    with pytest.raises(ValueError, match="gradient has 3 components but the point has 2"):
        descend(lambda x: np.zeros(3), [1.0, 1.0])
    with pytest.raises(ValueError, match="not finite at the starting point"):
        descend(lambda x: np.array([np.inf]), 0.0)
    with pytest.raises(ValueError):
        descend(bowl_grad, [1.0], steps=-1)
    with pytest.raises(ValueError):
        descend(bowl_grad, [1.0], schedule=3)


def test_the_gradient_function_cannot_corrupt_the_path():
    def scribbling_grad(x):
        g = 2 * x
        x[:] = 1e9
        return g

    path = descend(scribbling_grad, [1.0], lr=0.25, steps=2)
    np.testing.assert_allclose(path.xs[:, 0], [1.0, 0.5, 0.25])


def test_race_runs_each_optimizer_from_the_same_start():
    runs = race(bowl_grad, [3.0, 4.0], OPTIMIZERS, steps=20, objective=bowl, lr=0.05)
    assert list(runs) == list(OPTIMIZERS)
    for name, path in runs.items():
        assert path.optimizer == name and path.xs.shape == (21, 2)
        np.testing.assert_array_equal(path.xs[0], [3.0, 4.0])
        assert path.values[-1] < path.values[0]


def test_race_with_labelled_configs():
    runs = race(bowl_grad, [3.0, 4.0], {
        "slow": {"optimizer": "sgd", "lr": 0.01},
        "fast": {"optimizer": "sgd", "lr": 0.3},
        "adam": {"lr": 0.1},
    }, steps=10)
    assert list(runs) == ["slow", "fast", "adam"]
    assert np.linalg.norm(runs["fast"].final) < np.linalg.norm(runs["slow"].final)
    assert runs["adam"].optimizer == "adam"
    with pytest.raises(ValueError, match="race entry 'mystery'"):
        race(bowl_grad, [1.0], {"mystery": {}}, steps=1)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.floats(0.1, 10.0), min_size=1, max_size=4),
    st.lists(st.floats(-10, 10), min_size=4, max_size=4),
    st.floats(0.01, 0.95),
)
def test_descent_on_a_convex_quadratic_with_lr_below_2_over_L_never_goes_up(curvatures, start, fraction):
    lam = np.array(curvatures)
    x0 = np.array(start[: lam.size])
    lr = fraction * 2 / lam.max()  # L = largest curvature of f = ½Σλx²
    path = descend(lambda x: lam * x, x0, lr=lr, steps=50, objective=lambda x: 0.5 * np.sum(lam * x**2))
    steps_up = np.diff(path.values)
    assert np.all(steps_up <= 1e-12 * path.values[:-1])
    assert path.status == "max_steps"


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e3, 1e3), st.floats(1e-3, 1e3, allow_subnormal=False), st.sampled_from(OPTIMIZERS))
def test_every_stored_number_is_finite(x0, lr, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = descend(lambda x: 4 * x**3, x0, optimizer=name, lr=lr, steps=60,
                       objective=lambda x: x[0] ** 4)
    assert np.all(np.isfinite(path.xs)) and np.all(np.isfinite(path.grads))
    assert np.all(np.isfinite(path.values))
    assert path.status in ("diverged", "max_steps")
