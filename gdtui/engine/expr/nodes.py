"""Tree nodes of the expression language (private: use gdtui.engine.expr).

A tree is built from a few immutable node classes.  Every node caches its hash,
its size (nodes counted as a tree, shared subtrees counted each time), its depth
and the set of variable names below it, so equality, the caps and the derivative
rules never re-walk a subtree.
"""

from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

import numpy as np

MAX_TREE_SIZE = 20_000  # no tree grows past this (counted as printed: shared subtrees each time)


class ExprError(ValueError):
    """Anything outside the expression language: a plain message and a 1-based column."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(message if column is None else f"column {column}: {message}")

    def __reduce__(self):  # keep message and column through pickling
        return (type(self), (self.message, self.column))


ExprError.__module__ = "gdtui.engine.expr"


class TooLarge(ExprError):
    """A tree past MAX_TREE_SIZE, or more nodes built than a build_budget allows."""

_NO_NAMES: frozenset[str] = frozenset()


class Node:
    """Base class: `data` holds a leaf's payload, `args` the children."""

    __slots__ = ("data", "args", "size", "depth", "names", "_hash", "coeff")

    def __init__(self, data: object = None, args: tuple[Node, ...] = ()) -> None:
        left = _BUDGET.left
        if left is not None:
            if left <= 0:
                raise TooLarge("the expression grew too large to work with")
            _BUDGET.left = left - 1
        self.data = data
        self.coeff: tuple[float, Node | None] | None = None  # simplify.split_coeff's answer, kept
        self.args = args
        size, depth = 1, 0
        for a in args:
            size += a.size
            depth = a.depth if a.depth > depth else depth
        if size > MAX_TREE_SIZE:
            raise TooLarge("the expression grew too large to work with")
        self.size, self.depth = size, depth + 1
        self.names = _union(args)
        self._hash = hash((type(self).__name__, data, args))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return (
            type(self) is type(other)
            and self._hash == other._hash  # type: ignore[attr-defined]
            and self.data == other.data  # type: ignore[attr-defined]
            and self.args == other.args  # type: ignore[attr-defined]
        )

    def __repr__(self) -> str:
        inner = ", ".join(repr(x) for x in ((self.data,) if self.data is not None else ()) + self.args)
        return f"{type(self).__name__}({inner})"


class _Budget(threading.local):
    left: int | None = None  # nodes this thread may still build; None: no limit


_BUDGET = _Budget()


@contextmanager
def build_budget(count: int) -> Iterator[None]:
    """Let the code inside build at most `count` nodes (in this thread); past that, TooLarge.

    Bounds the work of a derivative, whose result can grow much faster than its input. Budgets
    nest: the inner one never exceeds what the outer has left, and what it uses is the outer's too."""
    outer = _BUDGET.left
    start = count if outer is None else min(count, outer)
    _BUDGET.left = start
    try:
        yield
    finally:
        used = start - _BUDGET.left  # type: ignore[operator]
        _BUDGET.left = None if outer is None else outer - used


def _union(args: tuple[Node, ...]) -> frozenset[str]:
    if not args:
        return _NO_NAMES
    if len(args) == 1:
        return args[0].names
    first, *rest = args
    out = first.names
    for a in rest:
        if not a.names <= out:
            out = out | a.names
    return out


class Num(Node):
    """A float64 number in `data`; always finite, never -0.0."""

    __slots__ = ()


class Var(Node):
    __slots__ = ()

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.names = frozenset((name,))


class Const(Node):
    """pi or e, kept by name so that they print back as written."""

    __slots__ = ()


class Neg(Node):
    __slots__ = ()


class Bin(Node):
    """A binary operation on args (left, right); subclasses fix the operator."""

    __slots__ = ()
    op = "?"


class Add(Bin):
    __slots__ = ()
    op = "+"


class Sub(Bin):
    __slots__ = ()
    op = "-"


class Mul(Bin):
    __slots__ = ()
    op = "*"


class Div(Bin):
    __slots__ = ()
    op = "/"


class Pow(Bin):
    __slots__ = ()
    op = "**"


class Call(Node):
    """A function applied to arguments; `fn` is set for extra (caller-supplied) functions."""

    __slots__ = ("fn",)

    def __init__(self, name: str, args: tuple[Node, ...], fn: Callable | None = None) -> None:
        super().__init__(name, args)
        self.fn = fn

    def __eq__(self, other: object) -> bool:
        return Node.__eq__(self, other) and self.fn is other.fn  # type: ignore[attr-defined]

    __hash__ = Node.__hash__


# ----------------------------------------------------------------- numbers and the built-in functions


def _sigmoid(x):
    # 1/(1 + e^-x): for very negative x, e^-x overflows to inf and the result is 0, never nan
    return np.divide(1.0, np.add(1.0, np.exp(np.negative(x))))


CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

# name -> numpy implementation; arity 1 unless listed in BINARY_FUNCTIONS
FUNCTIONS: dict[str, Callable] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "min": np.minimum,
    "max": np.maximum,
}
BINARY_FUNCTIONS = frozenset(("min", "max"))

OPERATORS: dict[str, Callable] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.divide,
    "**": np.power,
}


def arity(name: str) -> int:
    return 2 if name in BINARY_FUNCTIONS else 1


def is_clean(v: float) -> bool:
    """True when v is finite and reads back exactly from 12 significant digits.

    Folding constants is allowed only then, so `2*3` becomes `6` but `1/3` and
    `0.1 + 0.2` stay as the user wrote them instead of printing 16 digits.
    """
    return math.isfinite(v) and float(f"{v:.12g}") == v


def numpy_function(node: Node) -> Callable:
    """The numpy function evaluation applies at an operator or function node (not at leaves)."""
    if isinstance(node, Neg):
        return np.negative
    if isinstance(node, Call):
        return FUNCTIONS[node.data]  # type: ignore[index]
    assert isinstance(node, Bin)
    return OPERATORS[node.op]


def apply_float(fn: Callable, *values: float) -> float:
    """Apply a numpy function to float64 scalars exactly as evaluation would."""
    with np.errstate(all="ignore"):
        return float(fn(*(np.float64(v) for v in values)))


def num(v: float) -> Num:
    return Num(float(v) + 0.0)  # + 0.0 turns -0.0 into 0.0


ZERO = num(0.0)
ONE = num(1.0)
TWO = num(2.0)
