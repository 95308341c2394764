"""Charts in Chinese: the status line and the legend at 40, 60 and 80 columns never cut a number."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from gdtui.charts import ChartTheme, status_line
from gdtui.charts.data import compute
from gdtui.charts.render import _draw_with_legend, default_title, legend_rows
from gdtui.charts.status import fit_status
from gdtui.i18n import set_language

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")
MONO = ChartTheme(colour=False)


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


def _plots(plot, x: float, lr: float):
    yield plot("x**2 + 2*x + 1", layers=("function", "tangent", "path"), x_range=(-6, 6),
               values={"tangent_at": x, "x0": x, "lr": lr, "steps": 30, "step": 7})
    yield plot("x**3 - x", layers=("function", "derivative", "secant"), x_range=(-2, 2),
               values={"tangent_at": x / 3, "h": 0.25})
    yield plot("x**2 + 3*y**2", variables=("x", "y"), layers=("contour", "gradient_field", "path"),
               x_range=(-5, 5), y_range=(-5, 5), optimizers=("sgd", "momentum", "adam"),
               values={"x0": x, "y0": -x / 2, "lr": lr, "steps": 40, "step": 12})


@pytest.mark.usefixtures("zh")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # both fixtures are stateless across examples
@given(x=st.floats(-5.5, 5.5).filter(lambda v: abs(v) > 1e-3), lr=st.sampled_from([0.01, 0.05, 0.1, 0.123456, 0.3]))
def test_a_chinese_status_line_and_legend_never_cut_a_number(plot, x, lr):
    for spec in _plots(plot, x, lr):
        data = compute(spec, {})
        status = status_line(spec, {}, data)
        parts = {p.strip() for p in status.split("  ") if p.strip()}
        assert HAN.search(status) or data.kind == "2d"
        for width in (40, 60, 80):
            for line in fit_status(status, width):
                assert cell_len(line) <= width
                assert {p.strip() for p in line.split("  ") if p.strip()} <= parts  # whole parts only
            height = 16
            ctx = _draw_with_legend(spec, data, width, height, MONO, legend_rows(height))
            whole = {n for e in ctx.legend for n in NUMBER.findall(e.label + " " + e.short)}
            whole |= set(NUMBER.findall(default_title(spec, data)))
            rows = ctx.canvas.to_text().plain.split("\n")
            assert all(cell_len(row) == width for row in rows)
            for row in rows[:1 + legend_rows(height)]:  # the title and the legend
                assert set(NUMBER.findall(row)) <= whole, (width, row)
            legend = " ".join(rows[1:1 + legend_rows(height)])
            assert HAN.search(legend), legend


