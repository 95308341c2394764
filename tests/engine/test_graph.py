"""Backpropagation on a computational graph, checked against the engine's exact derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.engine.expr import ExprError, parse
from gdtui.engine.graph import MAX_OPERATIONS, computation_graph, known_at, steps

from test_expr_properties import EXPRESSIONS, POINTS

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def by_name(graph):
    return {node.name: node for node in graph.nodes}


def test_the_textbook_example():
    """f = x·y + sin(x) at (2, 3): a = 6, b = sin 2, f = 6 + sin 2; ∂f/∂x = y + cos x, ∂f/∂y = x."""
    graph = computation_graph(parse("x*y + sin(x)", ("x", "y")), {"x": 2.0, "y": 3.0})
    nodes = by_name(graph)
    assert [n.formula for n in graph.nodes] == ["x", "y", "a = x·y", "b = sin(x)", "f = a+b"]
    assert nodes["a"].value == 6.0 and nodes["b"].value == math.sin(2.0)
    assert graph.output.value == pytest.approx(6.0 + math.sin(2.0)) and graph.output.grad == 1.0
    assert nodes["x"].grad == pytest.approx(3.0 + math.cos(2.0)) and nodes["y"].grad == 2.0
    assert nodes["a"].local == (3.0, 2.0)  # ∂(x·y)/∂x = y, ∂(x·y)/∂y = x


def test_a_variable_used_twice_is_one_node_whose_gradients_add():
    graph = computation_graph(parse("x*x + x"), {"x": 3.0})
    xs = [n for n in graph.nodes if n.name == "x"]
    assert len(xs) == 1 and len(graph.consumers(xs[0].index)) == 2
    assert xs[0].grad == pytest.approx(2 * 3.0 + 1)


def test_a_neuron_and_its_squared_error():
    """(σ(w·x + b) − y)², the one-neuron network of the backpropagation lesson."""
    expr = parse("(sigmoid(w*x + b) - y)**2", ("x", "y", "w", "b"))
    point = {"x": 1.5, "y": 1.0, "w": 0.5, "b": -0.2}
    graph = computation_graph(expr, point)
    nodes = by_name(graph)
    s = 1 / (1 + math.exp(-(0.5 * 1.5 - 0.2)))
    assert [n.formula for n in graph.operations] == ["a = w·x", "c = a+b", "d = σ(c)", "g = d−y", "f = g²"]
    assert nodes["d"].value == pytest.approx(s)
    assert nodes["w"].grad == pytest.approx(2 * (s - 1) * s * (1 - s) * 1.5)
    assert nodes["b"].grad == pytest.approx(2 * (s - 1) * s * (1 - s))


def test_the_walk_shows_values_forward_then_gradients_back():
    graph = computation_graph(parse("x*y + sin(x)", ("x", "y")), {"x": 2.0, "y": 3.0})
    walk = steps(graph)
    assert [s.direction for s in walk] == ["start"] + ["forward"] * 3 + ["backward"] * 3
    assert [s.node for s in walk[1:4]] == [2, 3, 4] and [s.node for s in walk[4:]] == [4, 3, 2]
    values, grads = known_at(graph, 0)
    assert values == {0, 1} and not grads
    values, grads = known_at(graph, 3)
    assert values == {0, 1, 2, 3, 4} and not grads
    _, grads = known_at(graph, 4)  # the output passed back to a and b: their gradients are final
    assert grads == {2, 3, 4}
    _, grads = known_at(graph, 5)  # x also feeds a, which has not passed back yet: not final
    assert grads == {2, 3, 4}
    _, grads = known_at(graph, 6)
    assert grads == {0, 1, 2, 3, 4}


def test_refusals_are_plain_sentences():
    with pytest.raises(ExprError, match="at most 12 operations"):
        computation_graph(parse("+".join(f"sin({i}*x)" for i in range(1, 8))), {"x": 1.0})
    with pytest.raises(ExprError, match="undefined at this point"):
        computation_graph(parse("log(x)"), {"x": -1.0})
    with pytest.raises(ExprError, match="needs a value for y"):
        computation_graph(parse("x*y", ("x", "y")), {"x": 1.0})
    with pytest.raises(ExprError, match="not a vector"):
        computation_graph(parse("[x, 2*x]"), {"x": 1.0})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, POINTS, POINTS)
def test_backpropagation_agrees_with_the_exact_derivative(text, x, y):
    """For any formula the graph can draw, the gradient it passes back is the exact derivative's value."""
    expr = parse(text, ("x", "y"))
    try:
        graph = computation_graph(expr, {"x": x, "y": y})
    except ExprError:
        return  # too many operations, or undefined at this point
    nodes = by_name(graph)
    with np.errstate(all="ignore"):
        for name in ("x", "y"):
            if name not in nodes:
                continue
            exact = float(expr.diff(name)(x, y))
            if not math.isfinite(exact) or abs(exact) > 1e8:
                continue
            assert nodes[name].grad == pytest.approx(exact, rel=1e-6, abs=1e-9)
    assert len(graph.operations) <= MAX_OPERATIONS
