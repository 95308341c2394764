"""The safe expression language: text -> tree -> vectorised numpy, exact derivatives, Unicode.

Design, once:

* Reading.  Python's own parser (`ast.parse`, mode "eval") reads the text after a
  rewrite (`notation`) that keeps a map back to the user's columns: NFKC (full-width
  forms), the notation the tutor prints (x², x⁻¹, √, ·, ×, ÷, −, π, |…|, 9.54×10⁻⁷),
  products written side by side (`2x`, `12 x^2 y`, `(x+1)(x-1)`, binding like `*`, so
  `1/2x` is (1/2)*x) and one-argument functions without brackets (`sin 3x` is sin(3x)).
  An allow-list walker turns Python's syntax
  tree into our own immutable nodes; everything else is refused with an `ExprError`
  carrying a 1-based column and plain words.  Nothing is ever compiled to code, eval'd
  or exec'd, and no sympy/numexpr is involved: the worst input can do is be refused.
  `read_back` shows an input as typed, in the screens' notation (`readback`).
  Caps: 1000 characters, 400 nodes, depth 60.
* Building.  Nodes are made only through simplifying constructors
  (`simplify`): constants fold, identities vanish (x+0, x*1, x**1, -(-x), ...),
  coefficients combine (2*3*x -> 6*x).  Differentiation (`diff`) reuses them,
  so d/dx x**2 is 2*x rather than 2*x**1*1.  min/max differentiate through
  max(a, b) = (a + b + |a - b|)/2 and abs through u/|u| (nan at the corner).
  The chain rule multiplies nested inputs (the Hessian of sin(sin(…(x*y)…)) 58 deep
  printed 177k nodes), so a derivative is built under a budget of MAX_DIFF_BUILD nodes
  (a whole Hessian MAX_HESSIAN_BUILD), no tree grows past nodes.MAX_TREE_SIZE, and past
  either it is refused: "this expression is too deeply nested to differentiate".
* Evaluating.  A tree compiles once, lazily, into nested closures over numpy ufuncs
  (`evaluate`), as fast as the same formula written in numpy by hand (~1.3 ms for
  Rosenbrock on a 400×400 grid); all numbers are float64 and every call runs under
  np.errstate(all="ignore"), so overflow is inf (`9**9**9**9` is inf, instantly) and
  0/0 is nan, never a warning or an exception.
* Showing.  `str()` reads back in the language with minimal parentheses and exact
  numbers; `unicode()` is for screens (x², 2·x, −, π, √(…), |…|).  Each distinct node is
  rendered once, so printing is linear in the tree.  See `text`.

Only ExprError ever leaves parse, calling, diff, gradient, str and unicode.
"""

from __future__ import annotations

import functools
from typing import Callable, Mapping, Sequence

import numpy as np

from gdtui.engine.expr.diff import derivative
from gdtui.engine.expr.evaluate import Evaluator, compile_tree
from gdtui.engine.expr.floats import compile_floats
from gdtui.engine.expr.nodes import ExprError, Node, TooLarge, build_budget
from gdtui.engine.expr.parse import MAX_CHARS, MAX_DEPTH, MAX_NODES, check_names, read
from gdtui.engine.expr.text import format_number, times_ten, to_text, to_unicode
from gdtui.engine.expr import readback as _readback
from gdtui.engine.expr.readback import ReadBack, caret_offset, number_for_screen
from gdtui.i18n import _

MAX_DERIVED_DEPTH = 250  # derivatives of derivatives grow deeper than anything parsed
MAX_DIFF_BUILD = 6_000  # nodes one derivative may build (~20 ms); the chain rule multiplies nested inputs
MAX_HESSIAN_BUILD = 10_000  # nodes all the second derivatives together may build
_TOO_NESTED = "this expression is too deeply nested to differentiate"

__all__ = [
    "Expr", "ExprError", "parse", "format_number", "times_ten", "number_for_screen", "read_back", "ReadBack", "caret_offset",
    "MAX_CHARS", "MAX_NODES", "MAX_DEPTH",
]  # fmt: skip


def _guarded(method: Callable) -> Callable:
    """Turn the few ways numpy or Python can still fail into ExprError."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except ExprError:
            raise
        except RecursionError:
            raise ExprError(_("the expression is nested too deeply")) from None
        except MemoryError:
            raise ExprError(_("the expression is too large to work with")) from None
        except (ArithmeticError, ValueError, TypeError):
            raise ExprError(_("cannot work out this expression's value")) from None

    return wrapper


read_back = _guarded(_readback.read_back)  # only ExprError leaves it, as from parse


@_guarded
def parse(
    text: str,
    variables: Sequence[str] = ("x",),
    *,
    functions: Mapping[str, Callable[..., np.ndarray]] | None = None,
) -> Expr:
    """Read `text` as an expression in `variables`; raise ExprError for anything else.

    `functions` adds numeric helpers (name -> numpy callable, arity from the signature);
    they evaluate but cannot be differentiated.
    """
    names, table = check_names(variables, functions)
    roots, vector = read(text, names, table)
    return Expr._make(tuple(roots), names, vector)


class Expr:
    """An immutable, hashable expression: callable on arrays, differentiable, printable."""

    __slots__ = ("_roots", "_variables", "_vector", "_compiled", "_floats", "_hash")

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use parse(text, variables) to make an Expr")

    @classmethod
    def _make(cls, roots: tuple[Node, ...], variables: tuple[str, ...], vector: bool) -> Expr:
        self = object.__new__(cls)
        for name, value in (("_roots", roots), ("_variables", variables), ("_vector", vector),
                            ("_compiled", None), ("_floats", _UNCOMPILED), ("_hash", hash((roots, variables, vector)))):
            object.__setattr__(self, name, value)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Expr is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Expr is immutable")

    def __reduce__(self):
        return (Expr._make, (self._roots, self._variables, self._vector))

    # ---------------------------------------------------------------- what it is

    @property
    def variables(self) -> tuple[str, ...]:
        return self._variables

    @property
    def is_vector(self) -> bool:
        return self._vector

    @property
    def components(self) -> tuple[Expr, ...]:
        """The entries of a vector; (self,) for a scalar."""
        if not self._vector:
            return (self,)
        return tuple(Expr._make((r,), self._variables, False) for r in self._roots)

    @property
    def node_count(self) -> int:
        """Nodes in the tree(s), shared subtrees counted each time they appear."""
        return sum(r.size for r in self._roots)

    def names(self) -> frozenset[str]:
        """The variables the expression actually uses."""
        return frozenset().union(*(r.names for r in self._roots))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expr):
            return NotImplemented
        return (self._hash == other._hash and self._variables == other._variables
                and self._vector == other._vector and self._roots == other._roots)

    def __hash__(self) -> int:
        return self._hash

    # ------------------------------------------------------------------ calculus

    @_guarded
    def diff(self, var: str) -> Expr:
        """The exact derivative by `var`, simplified (componentwise for a vector)."""
        if var not in self._variables:
            listed = ", ".join(self._variables)
            raise ExprError(f"cannot differentiate by {var!r}; the variables are {listed}")
        try:
            with build_budget(MAX_DIFF_BUILD):
                roots = tuple(derivative(r, var) for r in self._roots)
        except TooLarge:  # the chain and product rules multiply nested inputs: refuse, never spin
            raise ExprError(_TOO_NESTED) from None
        if max(r.depth for r in roots) > MAX_DERIVED_DEPTH:  # keep printing and evaluating clear of
            raise ExprError("the derivative is nested too deeply to work with")  # Python's recursion limit
        return Expr._make(roots, self._variables, self._vector)

    @_guarded
    def gradient(self) -> tuple[Expr, ...]:
        """The derivative by each variable, in order."""
        return tuple(self.diff(v) for v in self._variables)

    @_guarded
    def hessian(self) -> tuple[tuple[Expr, ...], ...]:
        """Row i, column j is ∂²f/∂xᵢ∂xⱼ; each mixed partial is computed once and shown in both places.

        All of it is built under one budget, so a nested input is refused in bounded time."""
        names, rows = self._variables, {}
        try:
            with build_budget(MAX_HESSIAN_BUILD):
                first = [self.diff(v) for v in names]
                for i, di in enumerate(first):
                    for j in range(i, len(names)):
                        rows[i, j] = rows[j, i] = di.diff(names[j])
        except TooLarge:
            raise ExprError(_TOO_NESTED) from None
        return tuple(tuple(rows[i, j] for j in range(len(names))) for i in range(len(names)))

    # ---------------------------------------------------------------- evaluation

    @_guarded
    def __call__(self, /, *arrays: object, **named: object) -> np.ndarray:
        """Evaluate with numpy broadcasting: positional values in variable order, or by name.

        A scalar expression gives an array of the broadcast shape (0-d for plain
        numbers); a vector gives shape (k, *broadcast_shape).
        """
        values = self._bind(arrays, named)
        try:
            shape = np.broadcast_shapes(*(v.shape for v in values))
        except ValueError:
            shapes = ", ".join(f"{name} {v.shape}" for name, v in zip(self._variables, values))
            raise ExprError(f"the values do not broadcast together: {shapes}") from None
        with np.errstate(all="ignore"):
            outs = [np.asarray(f(values), dtype=np.float64) for f in self._evaluators()]
        if self._vector:
            return np.stack([np.broadcast_to(o, shape) for o in outs])
        (out,) = outs
        if out.shape != shape:
            return np.broadcast_to(out, shape).copy()
        if any(out is v for v in values):  # never hand back the caller's own array
            return out.copy()
        return out

    @_guarded
    def point_function(self):
        """A lean evaluator for one point at a time, for loops such as a descent: `fn(*floats) -> ndarray`.

        It skips the broadcasting checks of `__call__` (each value must be a plain number, in variable
        order) and returns the components as a 1-D float array; a scalar expression gives shape (1,).
        About three times faster than calling the expression with numbers."""
        evaluators, count = self._evaluators(), len(self._variables)

        def at(*numbers: float) -> np.ndarray:
            if len(numbers) != count:
                raise ExprError(f"expected {count} values ({', '.join(self._variables)}), got {len(numbers)}")
            values = tuple(np.asarray(float(v)) for v in numbers)
            with np.errstate(all="ignore"):
                return np.array([float(f(values)) for f in evaluators])

        return at

    @_guarded
    def float_function(self) -> Callable[..., tuple[float, ...]] | None:
        """The expression on plain Python floats, for loops over single points: `fn(*floats) -> tuple`.

        Several times faster than `point_function` on small trees, and it gives exactly numpy's numbers:
        arithmetic runs on Python floats (the same IEEE operations), every other function on numpy's
        float64 scalars. Where numpy would make an inf or a nan on the way but Python raises (x/0, √ of
        a negative number, an overflowing ufunc under an errstate that raises) it raises ArithmeticError
        or ValueError: evaluate that point with numpy instead. Call it under np.errstate(all="ignore")
        to keep numpy's scalar warnings quiet. None when the expression calls a caller-supplied
        function, which only numpy evaluation handles."""
        if self._floats is _UNCOMPILED:
            parts = [compile_floats(r, self._variables) for r in self._roots]
            fn = None
            if all(p is not None for p in parts):
                fn = _float_tuple(tuple(parts), len(self._variables))  # type: ignore[arg-type]
            object.__setattr__(self, "_floats", fn)
        return self._floats  # type: ignore[return-value]

    def _bind(self, arrays: tuple, named: dict) -> tuple[np.ndarray, ...]:
        variables = self._variables
        if len(arrays) > len(variables):
            raise ExprError(f"expected {len(variables)} values ({', '.join(variables)}), got {len(arrays)}")
        given = dict(zip(variables, arrays))
        for name, value in named.items():
            if name not in variables:
                raise ExprError(f"unknown variable '{name}'; the variables are {', '.join(variables)}")
            if name in given:
                raise ExprError(f"two values given for {name}")
            given[name] = value
        missing = [v for v in variables if v not in given]
        if missing:
            raise ExprError(f"missing a value for {', '.join(missing)}")
        return tuple(_as_floats(name, given[name]) for name in variables)

    def _evaluators(self) -> tuple[Evaluator, ...]:
        if self._compiled is None:  # compile once; a race only compiles twice
            compiled = tuple(compile_tree(r, self._variables) for r in self._roots)
            object.__setattr__(self, "_compiled", compiled)
        return self._compiled  # type: ignore[return-value]

    # --------------------------------------------------------------------- text

    @_guarded
    def __str__(self) -> str:
        parts = [to_text(r) for r in self._roots]
        return f"[{', '.join(parts)}]" if self._vector else parts[0]

    @_guarded
    def unicode(self) -> str:
        """The expression for screens: x² + 2·x + 1, √(x), |x|, π, −."""
        parts = [to_unicode(r) for r in self._roots]
        return f"({', '.join(parts)})" if self._vector else parts[0]

    def __repr__(self) -> str:
        try:
            text = str(self)
        except ExprError:
            text = "…"
        return f"parse({text!r}, variables={self._variables!r})"


_UNCOMPILED = object()


def _float_tuple(parts: tuple[Callable[[tuple], float], ...], count: int) -> Callable[..., tuple[float, ...]]:
    if len(parts) == 2:  # the common case, a gradient in two variables, without the generator
        first, second = parts

        def at_two(*numbers: float) -> tuple[float, ...]:
            if len(numbers) != count:
                raise ExprError(f"expected {count} values, got {len(numbers)}")
            return (first(numbers), second(numbers))

        return at_two

    def at(*numbers: float) -> tuple[float, ...]:
        if len(numbers) != count:
            raise ExprError(f"expected {count} values, got {len(numbers)}")
        return tuple(f(numbers) for f in parts)

    return at


def _as_floats(name: str, value: object) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except Exception:  # ragged lists and other oddities
        raise ExprError(f"the value for {name} is not an array of numbers") from None
    if arr.dtype.kind not in "biuf":
        raise ExprError(f"the value for {name} is not an array of real numbers")
    return arr.astype(np.float64, copy=False)
