"""Expression trees -> nested closures over numpy ufuncs (private: use Expr.__call__).

Each node compiles once into either a float64 constant (a subtree without variables,
folded here so it is not recomputed on every call) or a function of the tuple of
input arrays.  Evaluating is then one ufunc call per node, with no tree walk and
no dispatch.  Two cheap tricks keep it close to hand-written numpy:

* powers with small constant exponents use cheaper ufuncs
  (x**2 -> square, x**3 -> square*x, x**0.5 -> sqrt, x**-1 -> reciprocal);
* an intermediate result that no one else can see (made by one of our own ufunc
  calls, never an input array or a caller's function's result) is overwritten in
  place (`out=`) by the next operation when it already has the result's shape,
  which saves an allocation per node on large grids.

The caller runs everything under np.errstate(all="ignore"): overflow gives inf,
0/0 gives nan, never a warning.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Callable, Union

import numpy as np

from gdtui.engine.expr.nodes import CONSTANTS, Call, Const, ExprError, Node, Num, Pow, Var, numpy_function

Evaluator = Callable[[tuple], np.ndarray]
_Compiled = Union[np.float64, Evaluator]


def compile_tree(node: Node, variables: tuple[str, ...]) -> Evaluator:
    """A function of the tuple of input arrays (in `variables` order)."""
    with np.errstate(all="ignore"):
        out = _Compiler(variables).compile(node)
    if isinstance(out, np.float64):
        return lambda values, c=out: c
    return out


def _private(t: object, other: object = 0.0) -> bool:
    """t, one of our own temporaries, can hold fn(t, other): an array of the result's shape."""
    if type(t) is not np.ndarray or t.ndim == 0:
        return False
    return np.ndim(other) == 0 or other.shape == t.shape  # type: ignore[attr-defined]


class _Compiler:
    def __init__(self, variables: tuple[str, ...]) -> None:
        self.index = {name: i for i, name in enumerate(variables)}
        self.memo: dict[int, tuple[Node, _Compiled]] = {}
        self.fresh: set[int] = set()  # ids of closures whose results are new arrays nobody else holds

    def compile(self, node: Node) -> _Compiled:
        hit = self.memo.get(id(node))  # shared subtrees (common in derivatives) compile once
        if hit is None:
            hit = self.memo[id(node)] = (node, self.build(node))
        return hit[1]

    def build(self, node: Node) -> _Compiled:
        if isinstance(node, Num):
            return np.float64(node.data)
        if isinstance(node, Const):
            return np.float64(CONSTANTS[node.data])  # type: ignore[index]
        if isinstance(node, Var):
            return itemgetter(self.index[node.data])  # type: ignore[index]
        parts = [self.compile(a) for a in node.args]
        if isinstance(node, Call) and node.fn is not None:
            return _extra_function(node.data, node.fn, parts)  # type: ignore[arg-type]
        fn = numpy_function(node)
        if isinstance(node, Pow) and isinstance(parts[1], np.float64) and not isinstance(parts[0], np.float64):
            return self.mark(_power(parts[0], float(parts[1]), id(parts[0]) in self.fresh))
        if all(isinstance(p, np.float64) for p in parts):
            return np.float64(fn(*parts))
        reuse = isinstance(fn, np.ufunc) and any(id(p) in self.fresh for p in parts)
        return self.mark(_apply(fn, parts, [reuse and id(p) in self.fresh for p in parts]))

    def mark(self, f: Evaluator) -> Evaluator:
        self.fresh.add(id(f))  # the closure stays alive in the tree of closures, so its id is stable
        return f


def _apply(fn: Callable, parts: list[_Compiled], private: list[bool]) -> Evaluator:
    """fn over the parts, specialised on which are constants and which results it may overwrite."""
    if len(parts) == 1:
        (f,) = parts
        if private[0]:
            def unary_in_place(v):
                t = f(v)  # type: ignore[operator]
                return fn(t, out=t) if _private(t) else fn(t)
            return unary_in_place
        return lambda v: fn(f(v))  # type: ignore[operator]
    a, b = parts
    if isinstance(a, np.float64):
        if private[1]:
            def const_left_in_place(v):
                t = b(v)  # type: ignore[operator]
                return fn(a, t, out=t) if _private(t) else fn(a, t)
            return const_left_in_place
        return lambda v: fn(a, b(v))  # type: ignore[operator]
    if isinstance(b, np.float64):
        if private[0]:
            def const_right_in_place(v):
                t = a(v)  # type: ignore[operator]
                return fn(t, b, out=t) if _private(t) else fn(t, b)
            return const_right_in_place
        return lambda v: fn(a(v), b)  # type: ignore[operator]
    if private[0] or private[1]:
        def binary_in_place(v):
            x, y = a(v), b(v)  # type: ignore[operator]
            if private[0] and _private(x, y):
                return fn(x, y, out=x)
            if private[1] and _private(y, x):
                return fn(x, y, out=y)
            return fn(x, y)
        return binary_in_place
    return lambda v: fn(a(v), b(v))  # type: ignore[operator]


def _power(f: Evaluator, p: float, private: bool) -> Evaluator:
    """f**p for a constant p, with cheaper ufuncs for the common exponents."""
    special = {2.0: np.square, 0.5: np.sqrt, -1.0: np.reciprocal}.get(p)
    if special is not None:
        if private:
            def special_in_place(v):
                t = f(v)
                return special(t, out=t) if _private(t) else special(t)
            return special_in_place
        return lambda v: special(f(v))
    if p == 3:
        def cube(v):
            t = f(v)
            s = np.square(t)
            return np.multiply(s, t, out=s) if _private(s) else np.multiply(s, t)
        return cube
    c = np.float64(p)
    if private:
        def power_in_place(v):
            t = f(v)
            return np.power(t, c, out=t) if _private(t) else np.power(t, c)
        return power_in_place
    return lambda v: np.power(f(v), c)


def _extra_function(name: str, fn: Callable, parts: list[_Compiled]) -> Evaluator:
    """A caller-supplied function: never folded, never overwritten, its failures reported as ExprError."""
    getters = [(lambda v, c=p: c) if isinstance(p, np.float64) else p for p in parts]

    def run(v):
        try:
            out = fn(*(g(v) for g in getters))
            return np.asarray(out, dtype=np.float64)
        except ExprError:
            raise
        except Exception as err:  # a helper's failure must not escape as anything else
            raise ExprError(f"{name}(...) failed: {err}") from None

    return run
