"""The computational-graph chart: every node where it belongs, numbers whole, the walk told in words."""

from __future__ import annotations

import re

import pytest
from rich.style import Style

from gdtui.charts import fmt
from gdtui.charts.canvas import Canvas
from gdtui.charts.graph import GraphStyles, describe_step, draw_graph, last_step
from gdtui.engine.expr import parse
from gdtui.engine.graph import computation_graph

STYLES = GraphStyles(*(Style() for _ in range(6)))
NEURON = computation_graph(parse("(sigmoid(w*x + b) - y)**2", ("x", "y", "w", "b")),
                           {"x": 1.5, "y": 1.0, "w": 0.5, "b": -0.2})
SIMPLE = computation_graph(parse("x*y + sin(x)", ("x", "y")), {"x": 2.0, "y": 3.0})


def drawn(graph, k, width=76, height=16):
    canvas = Canvas(width, height)
    assert draw_graph(canvas, 0, 0, height, width, graph, k, STYLES)
    return canvas.to_text().plain


@pytest.mark.parametrize("graph", [SIMPLE, NEURON])
@pytest.mark.parametrize("width", [72, 76, 116])
def test_every_node_is_drawn_and_every_number_is_whole(graph, width):
    text = drawn(graph, last_step(graph), width)
    for node in graph.nodes:
        assert node.formula.split(" = ")[0] in text
    shown = re.findall(r"[▸◂] (\S+)", text)
    assert shown, text
    whole = {fmt.num(v, d) for n in graph.nodes for v in (n.value, n.grad) for d in (4, 3, 2)}
    assert set(shown) <= whole, (set(shown) - whole, text)


def test_values_appear_forward_and_gradients_backward():
    start, forward, end = (drawn(SIMPLE, k) for k in (0, 3, last_step(SIMPLE)))
    assert "▸ 2" in start and "▸ 3" in start and "▸ 6" not in start and "◂" not in start
    assert "▸ 6.909" in forward and "◂ " not in forward
    assert "◂ 2.584" in end and "◂ 1" in end  # ∂f/∂x = y + cos x = 2.584; ∂f/∂f = 1


def test_edges_join_each_input_to_its_operations():
    text = drawn(SIMPLE, 0)
    assert text.count("▸a = x·y") == 1 and text.count("▸b = sin(x)") == 1 and text.count("▸f = a+b") == 1


def test_a_box_too_small_draws_nothing():
    assert not draw_graph(Canvas(20, 5), 0, 0, 5, 20, NEURON, 0, STYLES)
    assert not draw_graph(Canvas(50, 16), 0, 0, 16, 50, NEURON, 0, STYLES)  # six columns need 7 cells each


def test_the_walk_in_words():
    assert describe_step(SIMPLE, 0) == ["k = 0 of 6: the inputs", "x = 2", "y = 3", "→ computes forward"]
    assert describe_step(SIMPLE, 1) == ["forward 1/3: a = x·y = 6"]
    assert describe_step(SIMPLE, 4) == ["backward 1/3: f sends back ∂f/∂f = 1", "∂f/∂a += 1·1", "∂f/∂b += 1·1"]
    assert describe_step(SIMPLE, 5) == ["backward 2/3: b sends back ∂f/∂b = 1", "∂f/∂x += 1·(−0.4161)"]


# -- as a plot layer: read from a lesson, checked, computed, drawn, described ---------------------------
from pathlib import Path  # noqa: E402

from gdtui.charts import compute, render_plot, status_line  # noqa: E402
from gdtui.check.plots import check_plot  # noqa: E402
from gdtui.course.parse import parse_lesson  # noqa: E402

LESSON = """---
id: g
title: G
---
The graph of one neuron's squared error.

```plot
id: neuron
f: (sigmoid(w*x + b) - t)**2
params: {{w: 0.5, b: -0.2, t: 1}}
x: [-3, 3]
layers: [{layers}]
x0: 1.5
{extra}controls:
  step: [0, {hi}]
  w: [-2, 2]
```
"""


def lesson(layers="graph", hi=10, extra=""):
    return parse_lesson(Path("g.md"), LESSON.format(layers=layers, hi=hi, extra=extra))


def test_a_graph_plot_is_read_computed_and_drawn():
    found, errors = lesson()
    assert not errors
    (plot,) = found.plots
    assert plot.values["step"] == 0 and check_plot(plot) == []
    data = compute(plot, {**plot.start_values(), "step": 7})
    assert data.graph is not None and data.last_step == 10 and data.step == 7
    text = render_plot(plot, {**plot.start_values(), "step": 10}, 76, 18).plain
    assert "▸ value, computed forward" in text and "f = g²" in text and "◂ 1" in text
    status = status_line(plot, {**plot.start_values(), "step": 7})
    assert "backward 2/5: g sends back ∂f/∂g = −0.7317" in status and "∂f/∂t += −0.7317·(−1)" in status
    moved = compute(plot, {**plot.start_values(), "w": 1.0, "step": 10})  # a control moves an input
    assert moved.graph.nodes[0].value == 1.0 and moved.graph.output.value != data.graph.output.value


def test_a_graph_is_a_chart_of_its_own_and_needs_its_point():
    _, errors = lesson(layers="graph, function")
    assert any("layer 'graph' is a chart of its own" in e.message for e in errors)
    _, errors = parse_lesson(Path("g.md"), LESSON.format(layers="graph", hi=10, extra="").replace("x0: 1.5\n", ""))
    assert any("layer 'graph' needs a start point" in e.message for e in errors)


def test_the_checker_runs_the_graph_the_chart_draws():
    found, _ = lesson(hi=6)
    (plot,) = found.plots
    assert check_plot(plot) == [(plot.field_lines["controls"], "warning",
                                 "controls.step stops at 6, so the walk never gets back to the inputs (its last step is 10)")]
    found, _ = parse_lesson(Path("g.md"), LESSON.format(layers="graph", hi=10, extra="").replace(
        "(sigmoid(w*x + b) - t)**2", "log(x - 2)"))
    (plot,) = found.plots
    assert check_plot(plot)[0][2] == "f: the formula or its slope is undefined at this point (a = −0.5)"
    assert "undefined at this point" in render_plot(plot, plot.start_values(), 76, 18).plain
