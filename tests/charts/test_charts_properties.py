"""Property tests: any size, any live values, any of a handful of functions — a chart of exactly the
asked size (or a short message), never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from gdtui.charts import ChartTheme, render_plot, status_line

FUNCTIONS_1D = ["x**2", "1/x", "sqrt(x)", "log(x)", "tan(x)", "exp(10*x)", "sin(x)/x", "abs(x)", "x**3 - 3*x"]
FUNCTIONS_2D = ["x**2 + y**2", "x*y", "log(x*y)", "(1 - x)**2 + 100*(y - x**2)**2", "sqrt(1 - x*x - y*y)"]
LAYERS_1D = ["function", "derivative", "second_derivative", "tangent", "secant", "path", "loss", "error_vs_h"]
LAYERS_2D = ["contour", "gradient_field", "path", "loss"]

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
values = st.fixed_dictionaries({}, optional={
    "tangent_at": finite, "h": st.floats(min_value=1e-9, max_value=10), "x0": finite, "y0": finite,
    "lr": st.floats(min_value=1e-6, max_value=10), "steps": st.integers(0, 300), "step": st.integers(0, 400),
    "optimizer": st.sampled_from(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]),
    "momentum": st.floats(min_value=0, max_value=0.99),
})
sizes = st.tuples(st.integers(0, 160), st.integers(0, 50))
ranges = st.tuples(finite, finite)

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(text, width, height):
    lines = text.plain.split("\n")
    assert "could not draw" not in text.plain
    if len(lines) == height and width >= 30 and height >= 8:
        assert all(cell_len(line) == width for line in lines)
    else:
        assert len(lines) <= max(height, 1)  # a message, within the area


@SLOW
@given(f=st.sampled_from(FUNCTIONS_1D), layers=st.sets(st.sampled_from(LAYERS_1D), min_size=1),
       vals=values, size=sizes, x_range=ranges, colour=st.booleans())
def test_1d_never_raises_and_fills_its_area(plot, f, layers, vals, size, x_range, colour):
    spec = plot(f, layers=sorted(layers), x_range=x_range)
    text = render_plot(spec, vals, *size, ChartTheme(colour=colour))
    check(text, *size)
    assert isinstance(status_line(spec, vals), str)


@SLOW
@given(f=st.sampled_from(FUNCTIONS_2D), layers=st.sets(st.sampled_from(LAYERS_2D), min_size=1),
       vals=values, size=sizes, x_range=ranges, race=st.booleans())
def test_2d_never_raises_and_fills_its_area(plot, f, layers, vals, size, x_range, race):
    spec = plot(f, variables=("x", "y"), layers=sorted(layers), x_range=x_range, y_range=(-2, 3),
                optimizers=("sgd", "momentum", "adam") if race else ())
    text = render_plot(spec, vals, *size)
    check(text, *size)
    assert isinstance(status_line(spec, vals), str)
