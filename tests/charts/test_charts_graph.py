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
    assert describe_step(SIMPLE, 0) == "k = 0 of 6: the inputs x = 2, y = 3; → computes forward"
    assert describe_step(SIMPLE, 1) == "forward 1/3: a = x·y = 6"
    assert describe_step(SIMPLE, 4) == "backward 1/3: f passes back ∂f/∂f = 1: ∂f/∂a += 1·1, ∂f/∂b += 1·1"
    assert describe_step(SIMPLE, 5).startswith("backward 2/3: b passes back ∂f/∂b = 1: ∂f/∂x += 1·−0.4161")
