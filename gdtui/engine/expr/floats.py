"""Expression trees -> closures over plain Python floats (private: use Expr.float_function).

A descent in two variables evaluates its gradient at one point per step, thousands of times. Through
numpy each node of the tree costs a ufunc call on a 0-d array (about a microsecond); on Python floats
`+ − × ÷` cost tens of nanoseconds. This compiler gives that speed without giving up numpy's numbers:

* `+ − × ÷`, negation, x**2 (x·x, as np.square), x**3 ((x·x)·x, as the numpy evaluator), x**-1 (1/x),
  x**0.5 (math.sqrt) and abs are correctly rounded in both worlds, so Python computes them itself;
* every other function and power goes through the same numpy ufunc on a float64 scalar (numpy's own
  exp, log, sin, pow … differ from the C library's in the last bit for some inputs, and these must not);
* where numpy would quietly make an inf or a nan on the way and Python raises instead — x/0,
  √(negative), a numpy scalar ufunc overflowing under an errstate that raises — the call raises
  (ArithmeticError, ValueError), even when numpy's end result would be finite again (0**(1/0) is 0):
  the caller evaluates that point with numpy. Nothing here ever returns a number numpy would not
  have returned.

A tree that calls a caller-supplied function (a course helper) has no float form: `compile_floats`
returns None.
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Callable, Optional

import numpy as np

from gdtui.engine.expr.nodes import CONSTANTS, Bin, Call, Const, Neg, Node, Num, Pow, Var, apply_float, numpy_function

FloatFn = Callable[[tuple], float]


class _NoFloatForm(Exception):
    """The tree calls something only numpy can evaluate (a caller-supplied function)."""


def compile_floats(node: Node, variables: tuple[str, ...]) -> Optional[FloatFn]:
    """A function of the tuple of input floats (in `variables` order), or None when there is none."""
    try:
        with np.errstate(all="ignore"):
            out = _FloatCompiler(variables).compile(node)
    except _NoFloatForm:
        return None
    if isinstance(out, float):
        return lambda values, c=out: c
    return out


class _FloatCompiler:
    def __init__(self, variables: tuple[str, ...]) -> None:
        self.index = {name: i for i, name in enumerate(variables)}
        self.memo: dict[int, tuple[Node, float | FloatFn]] = {}

    def compile(self, node: Node) -> float | FloatFn:
        hit = self.memo.get(id(node))  # shared subtrees compile once (the node is kept alive with it)
        if hit is None:
            hit = self.memo[id(node)] = (node, self.build(node))
        return hit[1]

    def build(self, node: Node) -> float | FloatFn:
        if isinstance(node, Num):
            return float(node.data)  # type: ignore[arg-type]
        if isinstance(node, Const):
            return float(CONSTANTS[node.data])  # type: ignore[index]
        if isinstance(node, Var):
            return itemgetter(self.index[node.data])  # type: ignore[index]
        if isinstance(node, Call) and node.fn is not None:
            raise _NoFloatForm
        parts = [self.compile(a) for a in node.args]
        if all(isinstance(p, float) for p in parts):  # a constant subtree: fold it with numpy's numbers
            return apply_float(numpy_function(node), *parts)  # type: ignore[arg-type]
        if isinstance(node, Neg):
            (f,) = parts
            return lambda v: -f(v)  # type: ignore[operator]
        if isinstance(node, Pow) and isinstance(parts[1], float):
            return _power(parts[0], parts[1])  # type: ignore[arg-type]
        if isinstance(node, Bin) and node.op in _PYTHON_OPERATORS:
            return _binary(node.op, *parts)
        ufunc = numpy_function(node)
        if len(parts) == 1:
            (f,) = parts
            if node.data == "abs":
                return lambda v: abs(f(v))  # type: ignore[operator]
            if node.data == "sqrt":
                return lambda v: math.sqrt(f(v))  # type: ignore[operator]
            return lambda v: float(ufunc(f(v)))  # type: ignore[operator]
        a, b = (_getter(p) for p in parts)
        return lambda v: float(ufunc(a(v), b(v)))


_PYTHON_OPERATORS = frozenset("+-*/")


def _getter(part: float | FloatFn) -> FloatFn:
    return (lambda v, c=part: c) if isinstance(part, float) else part


def _binary(op: str, a: float | FloatFn, b: float | FloatFn) -> FloatFn:
    # spelled out per operator and per constant side: one closure call per node, no dispatch
    if isinstance(a, float):
        if op == "+":
            return lambda v: a + b(v)  # type: ignore[operator]
        if op == "-":
            return lambda v: a - b(v)  # type: ignore[operator]
        if op == "*":
            return lambda v: a * b(v)  # type: ignore[operator]
        return lambda v: a / b(v)  # type: ignore[operator]
    if isinstance(b, float):
        if op == "+":
            return lambda v: a(v) + b
        if op == "-":
            return lambda v: a(v) - b
        if op == "*":
            return lambda v: a(v) * b
        return lambda v: a(v) / b
    if op == "+":
        return lambda v: a(v) + b(v)  # type: ignore[operator]
    if op == "-":
        return lambda v: a(v) - b(v)  # type: ignore[operator]
    if op == "*":
        return lambda v: a(v) * b(v)  # type: ignore[operator]
    return lambda v: a(v) / b(v)  # type: ignore[operator]


def _power(f: FloatFn, p: float) -> FloatFn:
    """f**p for a constant p: the exponents the numpy evaluator special-cases, then numpy's own pow."""
    if p == 2.0:
        def square(v):
            t = f(v)
            return t * t
        return square
    if p == 3.0:
        def cube(v):
            t = f(v)
            return t * t * t
        return cube
    if p == 0.5:
        return lambda v: math.sqrt(f(v))
    if p == -1.0:
        return lambda v: 1.0 / f(v)
    c = np.float64(p)
    return lambda v: float(np.power(f(v), c))
