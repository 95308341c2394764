"""descend on plain floats (`grad_floats`) takes exactly the steps it takes on numpy arrays.

The float loop exists for speed (a playground race of 3 × 1000 steps); these tests hold it to the array
loop's numbers bit for bit, for every optimizer and option, and to its statuses, including the runs
where Python would raise and numpy gives inf or nan.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.engine.descent import FLOAT_PATH_MAX_DIM, descend
from gdtui.engine.expr import parse
from gdtui.engine.optimizers import OPTIMIZERS, make_optimizer

FUNCTIONS = {
    "rosenbrock": ("(1-x)**2 + 100*(y-x**2)**2", ("x", "y")),
    "himmelblau": ("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", ("x", "y")),
    "wavy": ("sin(3*x) * cos(y) + 0.1*(x**2 + y**2) + exp(-x**2)", ("x", "y")),
    "quartic": ("x**4 - 3*x**2 + x", ("x",)),
    "three": ("x**2 + 2*y**2 + 3*z**2 + x*y*z / 10", ("x", "y", "z")),
    "bowl": ("x**2 + y**2", ("x", "y")),
}

OPTIONS = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.5, "dampening": 0.2, "weight_decay": 0.01}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("momentum", {}),
    ("nesterov", {"momentum": 0.95}),
    ("adagrad", {}),
    ("adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.1}),
    ("rmsprop", {}),
    ("rmsprop", {"centered": True, "momentum": 0.5, "alpha": 0.9}),
    ("adam", {}),
    ("adam", {"amsgrad": True, "betas": (0.8, 0.99)}),
    ("adam", {"weight_decay": 0.1, "decoupled_weight_decay": True}),
]


def gradients(name):
    text, names = FUNCTIONS[name]
    f = parse(text, names)
    vector = parse("[" + ", ".join(str(f.diff(v)) for v in names) + "]", names)
    at = vector.point_function()
    return (lambda p: at(*p)), vector.float_function(), (lambda p: float(f(*p)))


def both(name, x0, **options):
    grad, floats, objective = gradients(name)
    on_arrays = descend(grad, x0, **options)
    calls = []

    def counted(*p):
        calls.append(p)
        return floats(*p)

    on_floats = descend(grad, x0, grad_floats=counted, **options)
    if on_floats.status != "diverged":  # every point of the run went through the float form
        assert len(calls) == on_floats.steps_run + 1
    return on_arrays, on_floats


def assert_same(a, b):
    assert (a.status, a.steps_run, a.optimizer, a.lr) == (b.status, b.steps_run, b.optimizer, b.lr)
    np.testing.assert_array_equal(a.xs, b.xs)  # bit for bit, not approximately
    np.testing.assert_array_equal(a.grads, b.grads)
    if a.values is None:
        assert b.values is None
    else:
        np.testing.assert_array_equal(a.values, b.values)
    assert b.xs.shape == a.xs.shape and b.xs.dtype == np.float64
    assert not b.xs.flags.writeable


@pytest.mark.parametrize("optimizer, hyper", OPTIONS)
@pytest.mark.parametrize("name, x0, lr", [
    ("rosenbrock", (-1.2, 1.0), 0.001),
    ("himmelblau", (0.5, -3.0), 0.01),
    ("wavy", (2.0, 1.5), 0.05),
    ("quartic", (2.0,), 0.02),
    ("three", (1.0, -2.0, 0.5), 0.05),
])
def test_every_optimizer_takes_the_same_steps_on_floats(name, x0, lr, optimizer, hyper):
    assert_same(*both(name, x0, optimizer=optimizer, lr=lr, steps=300, **hyper))


@pytest.mark.parametrize("schedule", ["step", "exponential", "cosine", "inverse_time",
                                      {"name": "step", "step_size": 5, "gamma": 0.5}, lambda k: 0.01 / (1 + k)])
def test_schedules_on_floats(schedule):
    assert_same(*both("himmelblau", (1.0, 1.0), optimizer="adam", lr=0.1, steps=200, schedule=schedule))


def test_tolerance_and_objective_on_floats():
    grad, floats, objective = gradients("bowl")
    a = descend(grad, (-3.0, 4.0), lr=0.1, steps=500, tol=1e-6, objective=objective)
    b = descend(grad, (-3.0, 4.0), lr=0.1, steps=500, tol=1e-6, objective=objective, grad_floats=floats)
    assert a.status == "converged" and a.steps_run < 500
    assert_same(a, b)


@pytest.mark.parametrize("lr", [10.0, 1.0, 1e-10])  # the seed's three learning rates on x² + y² from (−3, 4)
def test_the_seeds_bowl_runs_are_the_same_on_floats(lr):
    a, b = both("bowl", (-3.0, 4.0), lr=lr, steps=100)
    assert_same(a, b)


def test_a_run_that_overflows_stops_alike():
    a, b = both("quartic", (3.0,), lr=1.0, steps=100)
    assert a.status == "diverged"
    assert_same(a, b)


def test_a_point_where_python_raises_is_evaluated_with_numpy():
    # ∂/∂x of sqrt(x² + y²) is x/sqrt(x² + y²): 0/0 at the origin, where Python raises and numpy says nan
    f = parse("sqrt(x**2 + y**2)", ("x", "y"))
    vector = parse(f"[{f.diff('x')}, {f.diff('y')}]", ("x", "y"))
    calls = []

    def floats(*p):
        calls.append(p)
        return vector.float_function()(*p)

    at = vector.point_function()
    a = descend(lambda p: at(*p), (1.0, 0.0), lr=1.0, steps=5)
    b = descend(lambda p: at(*p), (1.0, 0.0), lr=1.0, steps=5, grad_floats=floats)
    assert a.status == "diverged" and a.steps_run == 0  # one step lands on the origin: the gradient is nan
    assert len(calls) == 2  # the start, then the origin, where the float form raised
    assert_same(a, b)


def test_an_optimizer_step_python_cannot_take_sends_the_run_back_to_arrays():
    # adagrad with eps = 0 divides 0 by 0 once the gradient's coordinate is 0: numpy says nan, Python raises
    grad, floats, _ = gradients("bowl")
    a = descend(grad, (0.0, 1.0), optimizer="adagrad", lr=0.1, steps=20, eps=0.0)
    b = descend(grad, (0.0, 1.0), optimizer="adagrad", lr=0.1, steps=20, eps=0.0, grad_floats=floats)
    assert a.status == "diverged" and a.steps_run == 0
    assert_same(a, b)


def test_many_coordinates_stay_on_arrays():
    calls = []

    def floats(*p):
        calls.append(p)
        return tuple(2 * v for v in p)

    x0 = np.ones(FLOAT_PATH_MAX_DIM + 1)
    run = descend(lambda p: 2 * p, x0, lr=0.1, steps=3, grad_floats=floats)
    assert not calls and run.steps_run == 3


def test_a_float_gradient_of_the_wrong_length_is_a_plain_error():
    with pytest.raises(ValueError, match="components"):
        descend(lambda p: 2 * p, (1.0, 2.0), lr=0.1, steps=3, grad_floats=lambda x, y: (2 * x,))


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_an_optimizer_on_one_float_coordinate_matches_its_array(name):
    opt = make_optimizer(name, 0.05)
    rng = np.random.default_rng(7)
    start = rng.normal(size=3)
    on_array = opt.init(start)
    on_floats = [opt.init(float(v)) for v in start]
    for k in range(50):
        g = rng.normal(size=3)
        on_array = opt.update(k, g, on_array)
        on_floats = [opt.update(k, float(gi), s) for gi, s in zip(g, on_floats)]
        assert [opt.params(s) for s in on_floats] == opt.params(on_array).tolist()
        assert all(type(opt.params(s)) is float for s in on_floats)


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
    st.floats(1e-4, 2.0),
    st.sampled_from(OPTIONS),
    st.sampled_from(["rosenbrock", "himmelblau", "wavy", "bowl"]),
)
def test_any_run_is_the_same_on_floats(x0, lr, option, name):
    optimizer, hyper = option
    assert_same(*both(name, x0, optimizer=optimizer, lr=lr, steps=80, **hyper))


def test_inf_from_a_quiet_overflow_counts_as_divergence_alike():
    a, b = both("rosenbrock", (1e100, 1e100), lr=1.0, steps=10)
    assert a.status == "diverged" and math.isfinite(a.xs[-1][0])
    assert_same(a, b)
