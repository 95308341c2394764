"""`fit_w` and `fit_b`: the fitted line of a regression plot's data set, for `{= …}` and exercise values."""

from __future__ import annotations

import numpy as np
import pytest

from gdtui.course.exprs import ValueProblem, compile_value, evaluate
from gdtui.course.templates import fill_prose_values
from gdtui.engine.regression import fit_gd, make_linear_data


def test_the_fit_is_numpys_least_squares_on_the_plots_data():
    X, y = make_linear_data(n=100, w=2.0, b=1.0, noise=0.1, seed=42)  # the plot's defaults
    w, b = np.linalg.lstsq(np.c_[X, np.ones(len(y))], y, rcond=None)[0]
    assert float(evaluate(compile_value("fit_w(100, 2, 1, 0.1, 42)"), {})) == pytest.approx(w, rel=1e-12)
    assert float(evaluate(compile_value("fit_b(100, 2, 1, 0.1, 42)"), {})) == pytest.approx(b, rel=1e-12)


def test_gradient_descent_on_the_same_data_goes_to_it():
    X, y = make_linear_data(n=50, w=-1.5, b=3.0, noise=0.5, seed=7)
    w, b = fit_gd(X, y, lr=0.1, epochs=3000).params  # θ = (w, b) for the linear model
    assert float(evaluate(compile_value("fit_w(50, -1.5, 3, 0.5, 7)"), {})) == pytest.approx(w, abs=1e-6)
    assert float(evaluate(compile_value("fit_b(50, -1.5, 3, 0.5, 7)"), {})) == pytest.approx(b, abs=1e-6)


def test_in_prose_and_with_params():
    assert fill_prose_values("w is {= round(fit_w(100, 2, 1, 0.1, 42), 4)}.") == "w is 1.9857."
    expr = compile_value("fit_w(n, 2, 1, 0.1, 42)", ("n",))
    values = evaluate(expr, {"n": np.array([100.0, 100.0])})
    assert values.shape == (2,) and values[0] == values[1]


@pytest.mark.parametrize("call", ["fit_w(1, 2, 1, 0.1, 42)", "fit_w(2.5, 2, 1, 0.1, 42)",
                                  "fit_b(100, 2, 1, -0.1, 42)", "fit_b(100, 2, 1, 0.1, -1)"])
def test_settings_a_plot_refuses_are_an_error_in_prose(call):
    with pytest.raises(ValueProblem, match="is nan, not a finite number"):
        fill_prose_values(f"{{= {call}}}")
