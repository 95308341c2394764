import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.engine.descent import descend
from gdtui.engine.optimizers import (
    OPTIMIZERS,
    SCHEDULES,
    make_optimizer,
    make_schedule,
    optimizer_hyperparameters,
)

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "torch_reference.json").read_text())


def run(name, lr, grad, x0, steps, **hyper):
    opt = make_optimizer(name, lr, **hyper)
    state, xs = opt.init(np.array(x0, dtype=float)), []
    for k in range(steps):
        state = opt.update(k, grad(opt.params(state)), state)
        xs.append(opt.params(state).copy())
    return np.array(xs)


def parabola_grad(x):  # f = x²
    return 2 * x


# ---------------------------------------------------------------- first steps by hand

def test_sgd_first_step_from_5():
    np.testing.assert_allclose(run("sgd", 0.1, parabola_grad, [5.0], 1), [[4.0]], rtol=1e-15)


def test_momentum_first_three_steps_from_5():
    # b = 10 → x = 4; b = 0.9·10 + 8 = 17 → x = 2.3; b = 0.9·17 + 4.6 = 19.9 → x = 0.31
    np.testing.assert_allclose(run("momentum", 0.1, parabola_grad, [5.0], 3)[:, 0], [4.0, 2.3, 0.31],
                               rtol=1e-14)


def test_adam_first_step_from_5():
    # m̂ = 10, v̂ = 100, step = 0.1·10/(10 + 1e-8)
    assert run("adam", 0.1, parabola_grad, [5.0], 1)[0, 0] == pytest.approx(4.9000000001, abs=1e-15)


def test_rmsprop_first_step_from_5():
    # s = 0.01·100 = 1, step = 0.01·10/(1 + 1e-8)
    assert run("rmsprop", 0.01, parabola_grad, [5.0], 1)[0, 0] == pytest.approx(4.900000001, abs=1e-15)


def test_adagrad_first_step_is_lr_times_sign():
    # s = g², so the first step is lr·g/|g| in each coordinate
    np.testing.assert_allclose(run("adagrad", 0.5, parabola_grad, [5.0, -2.0], 1), [[4.5, -1.5]])


def test_nesterov_first_step_looks_ahead():
    # b = g = 10, step along g + 0.9·b = 19
    np.testing.assert_allclose(run("nesterov", 0.1, parabola_grad, [5.0], 1), [[3.1]], rtol=1e-15)


# ---------------------------------------------------------------- against torch.optim

def reference_gradient(problem):
    if problem == "quadratic":
        A = np.array(REFERENCE["problems"]["quadratic"]["A"])
        b = np.array(REFERENCE["problems"]["quadratic"]["b"])
        return lambda x: A @ x - b
    return lambda x: np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: f"{c['problem']}-{c['torch']}")
def test_iterates_match_torch(case):
    expected = np.array(case["xs"])
    path = descend(reference_gradient(case["problem"]), expected[0], optimizer=case["optimizer"],
                   lr=case["lr"], steps=REFERENCE["steps"], schedule=case["schedule"], **case["hyper"])
    np.testing.assert_allclose(path.xs, expected, rtol=1e-9, atol=1e-12)


def test_reference_covers_every_optimizer_and_schedule():
    assert {c["optimizer"] for c in REFERENCE["cases"]} == set(OPTIMIZERS)
    scheduled = {c["schedule"]["name"] for c in REFERENCE["cases"] if c["schedule"]}
    assert scheduled == {"step", "exponential", "cosine"}


# ---------------------------------------------------------------- the jax-style shape

@pytest.mark.parametrize("name", OPTIMIZERS)
def test_update_is_pure(name):
    opt = make_optimizer(name, 0.1)
    state = opt.update(0, np.array([1.0, -2.0]), opt.init([3.0, 4.0]))
    before = [None if a is None else np.copy(a) for a in state]
    one = opt.update(1, np.array([0.5, 0.5]), state)
    two = opt.update(1, np.array([0.5, 0.5]), state)
    for kept, now in zip(before, state):
        assert (kept is None and now is None) or np.array_equal(kept, now)
    np.testing.assert_array_equal(opt.params(one), opt.params(two))


def test_names_match_the_architecture():
    assert OPTIMIZERS == ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
    assert SCHEDULES == ("constant", "step", "exponential", "cosine", "inverse_time")


def test_unknown_optimizer_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'; choose one of sgd, momentum"):
        make_optimizer("adamw", 0.1)


def test_unknown_hyperparameter_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"no hyperparameter 'beta'; valid ones: betas, eps"):
        make_optimizer("adam", 0.1, beta=0.9)
    with pytest.raises(ValueError, match="valid ones: momentum, dampening, nesterov, weight_decay"):
        make_optimizer("sgd", 0.1, alpha=0.9)


@pytest.mark.parametrize("name, hyper", [
    ("sgd", {"nesterov": True}),  # nesterov needs momentum
    ("sgd", {"momentum": -0.5}),
    ("adam", {"betas": (0.9,)}),
    ("adam", {"betas": (1.0, 0.999)}),
    ("adam", {"eps": "tiny"}),
    ("sgd", {"momentum": float("nan")}),
    ("adam", {"beta1": 0.8, "betas": (0.9, 0.99)}),
    ("rmsprop", {"alpha": 1.5}),
    ("adagrad", {"lr_decay": -1}),
])
def test_bad_hyperparameters_are_refused(name, hyper):
    with pytest.raises(ValueError):
        make_optimizer(name, 0.1, **hyper)


def test_negative_learning_rate_is_refused():
    with pytest.raises(ValueError, match="learning rate"):
        make_optimizer("sgd", -0.1)


def test_adam_takes_beta1_and_beta2_separately():
    a = run("adam", 0.1, parabola_grad, [5.0, 1.0], 5, beta1=0.8, beta2=0.99)
    b = run("adam", 0.1, parabola_grad, [5.0, 1.0], 5, betas=(0.8, 0.99))
    np.testing.assert_array_equal(a, b)
    assert "beta1" in optimizer_hyperparameters("adam")


def test_hyperparameters_are_pytorch_names():
    assert optimizer_hyperparameters("adagrad") == (
        "lr_decay", "weight_decay", "initial_accumulator_value", "eps")
    assert optimizer_hyperparameters("rmsprop") == (
        "alpha", "eps", "weight_decay", "momentum", "centered")


# ---------------------------------------------------------------- schedules

def test_schedules_by_formula():
    assert [make_schedule("constant", 0.1)(k) for k in (0, 50)] == [0.1, 0.1]
    step = make_schedule("step", 1.0, step_size=3, gamma=0.5)
    assert [step(k) for k in range(7)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25]
    assert make_schedule("exponential", 2.0, gamma=0.5)(3) == 0.25
    cosine = make_schedule("cosine", 1.0, T_max=10, eta_min=0.1)
    assert cosine(0) == 1.0 and cosine(5) == pytest.approx(0.55) and cosine(10) == pytest.approx(0.1)
    assert cosine(25) == pytest.approx(0.1)  # stays at the bottom after T_max
    assert make_schedule("inverse_time", 1.0, decay=0.5)(4) == pytest.approx(1 / 3)


def test_schedule_errors_are_plain():
    with pytest.raises(ValueError, match="unknown schedule 'linear'; choose one of constant, step"):
        make_schedule("linear", 0.1)
    with pytest.raises(ValueError, match="valid ones: step_size, gamma"):
        make_schedule("step", 0.1, T_max=5)
    with pytest.raises(ValueError):
        make_schedule("step", 0.1, step_size=0)


def test_a_schedule_sets_the_rate_of_each_step():
    rates = []

    def schedule(k):
        rates.append(k)
        return 0.1 / (k + 1)

    xs = run("sgd", schedule, parabola_grad, [1.0], 3)[:, 0]
    assert rates == [0, 1, 2]
    np.testing.assert_allclose(xs, [0.8, 0.8 * (1 - 0.1), 0.8 * 0.9 * (1 - 0.2 / 3)])


# ---------------------------------------------------------------- properties

@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3), min_size=1, max_size=5),
       st.floats(1e-4, 1.0))
def test_adam_first_step_moves_each_coordinate_by_about_lr(gradient, lr):
    g = np.array(gradient)
    x1 = run("adam", lr, lambda x: g, np.zeros(g.size), 1)[0]
    # bias correction makes the first step lr·g/(|g| + ε): the sign of g, scaled by lr
    np.testing.assert_allclose(x1, -lr * np.sign(g), rtol=1e-5)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(OPTIMIZERS), st.floats(1e-3, 0.2), st.floats(-5, 5), st.floats(-5, 5))
def test_no_optimizer_moves_when_the_gradient_is_zero(name, lr, x, y):
    assert np.array_equal(run(name, lr, lambda p: np.zeros(2), [x, y], 4)[-1], [x, y])


def test_momentum_beats_sgd_on_an_elongated_bowl():
    grad = lambda p: np.array([2 * p[0], 20 * p[1]])  # noqa: E731  f = x² + 10y²
    plain = run("sgd", 0.04, grad, [5.0, 1.0], 100)[-1]
    heavy = run("momentum", 0.04, grad, [5.0, 1.0], 100, momentum=0.5)[-1]
    assert math.hypot(*heavy) < math.hypot(*plain)
