"""Backpropagation on a computational graph: an expression as operations, values forward, gradients back.

`computation_graph(expr, point)` turns a parsed expression into its graph: one node per distinct
sub-expression (a variable used twice is one node with two edges out, which is why gradients add up),
inputs first and the output last. Each operation's local derivative sits beside its forward rule in
`_RULES`, micrograd-style, so the calculus is read in one place.

    forward:   value(node) = op(value(inputs))
    backward:  ∂f/∂input  += ∂f/∂node · ∂node/∂input      (reverse order, starting from ∂f/∂f = 1)

`steps(graph)` lists the walk a chart plays: the forward steps (one operation each), then the backward
steps (one node passing its gradient to its inputs each). A graph is for reading on a screen, so it is
capped at MAX_OPERATIONS operations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gdtui.engine.expr import Expr, ExprError
import numpy as np

from gdtui.engine.expr.nodes import (
    FUNCTIONS, OPERATORS, Add, Call, Const, Div, Mul, Neg, Node, Num, Pow, Sub, Var, apply_float,
)

MAX_OPERATIONS = 12
NAMES = "abcdghkmnpqrstuvw"  # names of intermediate results (e is Euler's number, f the output)


@dataclass(frozen=True)
class GraphNode:
    """One value of the computation: an input (a variable or a number) or an operation on others."""

    index: int
    name: str                     # x, w, 2 for inputs; a, b, c … for intermediates; f for the output
    op: str                       # "" for an input; "+", "−", "×", "÷", "^", "²", "neg", "sin", …
    formula: str                  # how it is computed from its inputs' names: "a = x·y"
    inputs: tuple[int, ...]
    value: float
    local: tuple[float, ...]      # ∂node/∂input for each input, at this point
    grad: float                   # ∂f/∂node (1 for the output)
    rank: int                     # 0 for inputs, 1 + the largest rank of its inputs otherwise

    @property
    def is_input(self) -> bool:
        return not self.inputs

    @property
    def is_number(self) -> bool:
        return self.is_input and not self.name.isidentifier()


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]  # inputs first, then operations in the order forward computes them

    @property
    def output(self) -> GraphNode:
        return self.nodes[-1]

    @property
    def operations(self) -> tuple[GraphNode, ...]:
        return tuple(n for n in self.nodes if not n.is_input)

    def consumers(self, index: int) -> tuple[int, ...]:
        return tuple(n.index for n in self.nodes if index in n.inputs)


@dataclass(frozen=True)
class Step:
    """One step of the walk: `node` is computed (forward) or passes its gradient back (backward)."""

    k: int
    direction: str                # "start", "forward" or "backward"
    node: int | None


# op -> (forward, local derivatives), side by side. The forward rule is the engine's own numpy function (so a
# graph's values are the very numbers the expression evaluates to); each derivative takes the inputs' values
# and the node's value, as float64, and gives ∂node/∂input for each input.
_RULES: dict[str, tuple[Callable[..., float], Callable[..., tuple[float, ...]]]] = {
    "+": (OPERATORS["+"], lambda a, b, out: (1.0, 1.0)),
    "−": (OPERATORS["-"], lambda a, b, out: (1.0, -1.0)),
    "×": (OPERATORS["*"], lambda a, b, out: (b, a)),
    "÷": (OPERATORS["/"], lambda a, b, out: (1.0 / b, -a / (b * b))),
    "^": (OPERATORS["**"], lambda a, b, out: (b * a ** (b - 1.0), out * np.log(a))),
    "neg": (np.negative, lambda a, out: (-1.0,)),
    "sin": (FUNCTIONS["sin"], lambda a, out: (np.cos(a),)),
    "cos": (FUNCTIONS["cos"], lambda a, out: (-np.sin(a),)),
    "tan": (FUNCTIONS["tan"], lambda a, out: (1.0 / np.cos(a) ** 2,)),
    "exp": (FUNCTIONS["exp"], lambda a, out: (out,)),                    # e^a is its own derivative
    "log": (FUNCTIONS["log"], lambda a, out: (1.0 / a,)),
    "sqrt": (FUNCTIONS["sqrt"], lambda a, out: (0.5 / out,)),
    "abs": (FUNCTIONS["abs"], lambda a, out: (np.sign(a),)),             # a subgradient (0) at the kink
    "tanh": (FUNCTIONS["tanh"], lambda a, out: (1.0 - out * out,)),
    "sigmoid": (FUNCTIONS["sigmoid"], lambda a, out: (out * (1.0 - out),)),  # σ′ = σ(1 − σ)
    "min": (FUNCTIONS["min"], lambda a, b, out: (float(a <= b), float(a > b))),
    "max": (FUNCTIONS["max"], lambda a, b, out: (float(a >= b), float(a < b))),
}
_OPS = {Add: "+", Sub: "−", Mul: "×", Div: "÷", Pow: "^", Neg: "neg"}
_SYMBOL = {"+": "+", "−": "−", "×": "·", "÷": "/"}  # tight: a graph's columns are narrow
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def computation_graph(expr: Expr, point: Mapping[str, float]) -> Graph:
    """The graph of a scalar expression at `point` (a value for every name it uses), forward values and
    backward gradients filled in. Raises ExprError for a vector, a missing value, too many operations, or
    a value that is not a finite number (the graph would show nothing useful)."""
    if expr.is_vector:
        raise ExprError("a computational graph is drawn for one formula, not a vector")
    missing = sorted(set(expr.names()) - set(point))
    if missing:
        raise ExprError(f"the graph needs a value for {', '.join(missing)}")
    builder = _Builder({k: float(v) for k, v in point.items()})
    builder.visit(expr._roots[0])  # the engine's own tree: this module is part of the engine
    return builder.finish()


def steps(graph: Graph) -> tuple[Step, ...]:
    """k = 0: only the inputs are known; then one forward step per operation, then one backward step per
    operation, from the output back (each passes ∂f/∂node on to the node's inputs)."""
    ops = graph.operations
    walk = [Step(0, "start", None)]
    walk += [Step(k, "forward", node.index) for k, node in enumerate(ops, 1)]
    walk += [Step(len(ops) + j, "backward", node.index) for j, node in enumerate(reversed(ops), 1)]
    return tuple(walk)


def known_at(graph: Graph, k: int) -> tuple[frozenset[int], frozenset[int]]:
    """Which nodes show their value, and which their final gradient, after step k of the walk."""
    ops = graph.operations
    k = max(0, min(k, 2 * len(ops)))
    values = {n.index for n in graph.nodes if n.is_input} | {n.index for n in ops[:k]}
    passed = {n.index for n in reversed(ops)} if k >= 2 * len(ops) else \
        {n.index for n in tuple(reversed(ops))[:max(0, k - len(ops))]}
    grads: set[int] = set()
    if k > len(ops):
        grads.add(graph.output.index)  # the seed ∂f/∂f = 1
        for node in graph.nodes:  # a gradient is final once every node that uses this one has passed back
            users = graph.consumers(node.index)
            if users and all(u in passed for u in users):
                grads.add(node.index)
    return frozenset(values), frozenset(grads)


class _Builder:
    def __init__(self, point: dict[str, float]) -> None:
        self.point = point
        self.seen: dict[Node, int] = {}
        self.rows: list[dict] = []

    def visit(self, node: Node) -> int:
        if node in self.seen:  # a repeated sub-expression is one node with several edges out
            return self.seen[node]
        if isinstance(node, (Var, Num, Const)):
            row = self._input(node)
        else:
            op, children = self._operation(node)
            inputs = tuple(self.visit(child) for child in children)
            row = {"op": op, "inputs": inputs}
            if sum(1 for r in self.rows if r["inputs"]) >= MAX_OPERATIONS:
                raise ExprError(f"a computational graph shows at most {MAX_OPERATIONS} operations; "
                                "this formula has more")
        row["index"] = len(self.rows)
        self.rows.append(row)
        self.seen[node] = row["index"]
        return row["index"]

    def _input(self, node: Node) -> dict:
        if isinstance(node, Var):
            return {"name": node.data, "value": self.point[node.data], "inputs": ()}
        if isinstance(node, Const):
            return {"name": "π" if node.data == "pi" else "e", "value": math.pi if node.data == "pi" else math.e,
                    "inputs": ()}
        return {"name": _number(node.data), "value": float(node.data), "inputs": ()}

    def _operation(self, node: Node) -> tuple[str, tuple[Node, ...]]:
        if isinstance(node, Call):
            if node.data not in _RULES:
                raise ExprError(f"{node.data}(…) has no place in a computational graph")
            return node.data, node.args
        if isinstance(node, Pow) and isinstance(node.args[1], Num):  # x² is one operation on x
            return f"^{_number(node.args[1].data)}", node.args[:1]
        return _OPS[type(node)], node.args

    def finish(self) -> Graph:
        ops = [r for r in self.rows if r["inputs"]]
        taken = {r["name"] for r in self.rows if not r["inputs"]}
        names = iter(c for c in NAMES if c not in taken)
        for r in ops[:-1]:
            r["name"] = next(names)
        if ops:
            ops[-1]["name"] = "f"
        for r in self.rows:
            r["rank"] = 1 + max((self.rows[i]["rank"] for i in r["inputs"]), default=-1)
            if r["inputs"]:
                self._forward(r)
        grads = [0.0] * len(self.rows)
        grads[-1] = 1.0
        for r in reversed(ops):  # backward: each node passes ∂f/∂node · ∂node/∂input to its inputs
            for i, local in zip(r["inputs"], r["local"]):
                grads[i] += grads[r["index"]] * local
        return Graph(tuple(
            GraphNode(r["index"], r["name"], r.get("op", ""), self._formula(r), r["inputs"], r["value"],
                      r.get("local", ()), grads[r["index"]], r["rank"]) for r in self.rows))

    def _forward(self, r: dict) -> None:
        args = [np.float64(self.rows[i]["value"]) for i in r["inputs"]]
        op = r["op"]
        if op.startswith("^") and len(args) == 1:  # a constant power: x² is one operation on x
            n = np.float64(_parse_number(op[1:]))
            forward, derivative = _RULES["^"]
            args, keep = [args[0], n], 1
        else:
            forward, derivative = _RULES[op]
            keep = len(args)
        with np.errstate(all="ignore"):
            value = apply_float(forward, *args)
            local = tuple(float(v) for v in derivative(*args, np.float64(value))[:keep])
        if not math.isfinite(value) or not all(math.isfinite(v) for v in local):
            names = ", ".join(f"{self.rows[i]['name']} = {_number(self.rows[i]['value'])}" for i in r["inputs"])
            raise ExprError(f"the formula or its slope is undefined at this point ({names})")
        r["value"], r["local"] = value, local

    def _formula(self, r: dict) -> str:
        if not r["inputs"]:
            return r["name"]
        names = [self.rows[i]["name"] for i in r["inputs"]]
        op = r["op"]
        if op in _SYMBOL:
            body = _SYMBOL[op].join(names)
        elif op == "^":
            body = f"{names[0]}^{names[1]}"
        elif op.startswith("^"):
            body = names[0] + op[1:].translate(SUPERSCRIPT)
        elif op == "neg":
            body = f"−{names[0]}"
        else:
            body = f"{'σ' if op == 'sigmoid' else op}({', '.join(names)})"
        return f"{r['name']} = {body}"


def _number(v: float) -> str:
    text = f"{float(v):g}"
    return text.replace("-", "−")


def _parse_number(text: str) -> float:
    return float(text.replace("−", "-"))
