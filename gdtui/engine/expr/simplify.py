"""Smart constructors: build a node and simplify it on the way (private).

Parsing and differentiation both build trees only through these functions, so
every tree is kept in one tidy shape:

* numbers are folded when the result is "clean" (2*3 -> 6, but 1/3 stays 1/3);
* identities: x+0, x-0, 0-x, x*1, x*0, x/1, 0/x, x/x, x-x, x**1, x**0, 1**x, -(-x);
* products lean left, (a*b)*c, with the numeric coefficient as their leftmost factor:
  2*(3*x) -> 6*x, x*2*y -> 2*x*y, x*(y/2) -> x*y/2; a sign joins the coefficient:
  -(2*x) -> -2*x;
* sums lean left too, a + (b + c) -> a + b + c (a - (b + c) keeps its parentheses);
* like terms and equal bases merge: 2*x + 3*x -> 5*x, x*x -> x**2, x**3/x -> x**2;
* adding a negative turns into a subtraction: x + -2*y -> x - 2*y.

The rules change values only where the original was undefined (x/x at 0, 0*inf),
which is the usual convention of symbolic algebra.
"""

from __future__ import annotations

from typing import Callable

from gdtui.engine.expr.nodes import (
    CONSTANTS,
    FUNCTIONS,
    ONE,
    ZERO,
    Add,
    Call,
    Const,
    Div,
    Mul,
    Neg,
    Node,
    Num,
    Pow,
    Sub,
    Var,
    apply_float,
    is_clean,
    num,
)


_PYTHON_OPS = {"+": float.__add__, "-": float.__sub__, "*": float.__mul__, "/": float.__truediv__,
               "**": float.__pow__}


def _fold(op: str, a: float, b: float) -> float | None:
    """a op b in float64, or None when the result is not clean enough to show.

    Python's float arithmetic is IEEE double like numpy's wherever the result is
    finite and real; where it raises (1/0, overflow) or turns complex ((-8)**(1/3)),
    numpy would give inf or nan, which is never folded anyway.
    """
    try:
        r = _PYTHON_OPS[op](float(a), float(b))
    except (ArithmeticError, ValueError):
        return None
    return r + 0.0 if isinstance(r, float) and is_clean(r) else None


def _is(n: Node, v: float) -> bool:
    return isinstance(n, Num) and n.data == v


def split_coeff(n: Node) -> tuple[float, Node | None]:
    """n == c * rest, the coefficient c taken from the leftmost factor; rest None for a number.

    Kept on the node: a long product is asked again at every factor added to it, and walking
    its left spine each time would make building it quadratic."""
    if n.coeff is None:
        n.coeff = _split_coeff(n)
    return n.coeff


def _split_coeff(n: Node) -> tuple[float, Node | None]:
    if isinstance(n, Num):
        return n.data, None  # type: ignore[return-value]
    if isinstance(n, Neg):
        c, rest = split_coeff(n.args[0])
        return -c, rest
    if isinstance(n, (Mul, Div)):  # products and quotients carry it on their left spine
        left, right = n.args
        c, rest = split_coeff(left)
        if c != 1 and not isinstance(right, Num):
            if rest is None:
                return c, (right if isinstance(n, Mul) else Div(None, (ONE, right)))
            return c, type(n)(None, (rest, right))
    return 1.0, n


def with_coeff(c: float, rest: Node | None) -> Node:
    """c * rest in canonical form: 2*x*y is ((2*x)*y), 2*x/y is ((2*x)/y), -x*y is -(x*y)."""
    if rest is not None:
        c2, inner = split_coeff(rest)
        if c2 != 1 or inner is None:
            folded = _fold("*", c, c2)
            if folded is None:
                return Mul(None, (num(c), rest))
            c, rest = folded, inner
    if rest is None or c == 0:
        return num(c)
    if c == 1:
        return rest
    if c == -1:
        return neg(rest)
    if isinstance(rest, Mul):
        return Mul(None, (with_coeff(c, rest.args[0]), rest.args[1]))
    if isinstance(rest, Div):
        return div(with_coeff(c, rest.args[0]), rest.args[1])
    return Mul(None, (num(c), rest))


def _base_exp(n: Node) -> tuple[Node, float]:
    """n == base ** k with a numeric k (k = 1 for anything that is not such a power)."""
    if isinstance(n, Pow) and isinstance(n.args[1], Num):
        return n.args[0], n.args[1].data  # type: ignore[return-value]
    return n, 1.0


# ------------------------------------------------------------------------------- sums


def _shift_constant(a: Node, c: float) -> Node | None:
    """(t + k) + c -> t + (k + c) and (t - k) + c -> t + (c - k), when the sum is clean."""
    if isinstance(a, (Add, Sub)) and isinstance(a.args[1], Num):
        k = a.args[1].data
        total = _fold("+", k, c) if isinstance(a, Add) else _fold("-", c, k)  # type: ignore[arg-type]
        if total is not None:
            return add(a.args[0], num(total))
    return None


def add(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        r = _fold("+", a.data, b.data)  # type: ignore[arg-type]
        return num(r) if r is not None else Add(None, (a, b))
    if _is(a, 0):
        return b
    if _is(b, 0):
        return a
    cb, rb = split_coeff(b)
    if cb < 0:  # a + (-k)*t -> a - k*t
        return sub(a, with_coeff(-cb, rb))
    ca, ra = split_coeff(a)
    if ca < 0:  # (-k)*t + b -> b - k*t
        return sub(b, with_coeff(-ca, ra))
    if ra is not None and ra == rb:  # c1*t + c2*t -> (c1 + c2)*t
        c = _fold("+", ca, cb)
        if c is not None:
            return with_coeff(c, ra)
    if isinstance(b, Num):
        shifted = _shift_constant(a, b.data)  # type: ignore[arg-type]
        if shifted is not None:
            return shifted
    if isinstance(b, (Add, Sub)):  # a + (p ± q) -> (a + p) ± q: sums lean left
        return (add if isinstance(b, Add) else sub)(add(a, b.args[0]), b.args[1])
    return Add(None, (a, b))


def sub(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        r = _fold("-", a.data, b.data)  # type: ignore[arg-type]
        return num(r) if r is not None else Sub(None, (a, b))
    if _is(b, 0):
        return a
    if _is(a, 0):
        return neg(b)
    if a == b:
        return ZERO
    cb, rb = split_coeff(b)
    if cb < 0:  # a - (-k)*t -> a + k*t
        return add(a, with_coeff(-cb, rb))
    ca, ra = split_coeff(a)
    if ra is not None and ra == rb:  # c1*t - c2*t -> (c1 - c2)*t
        c = _fold("-", ca, cb)
        if c is not None:
            return with_coeff(c, ra)
    if isinstance(b, Num):
        shifted = _shift_constant(a, -b.data)  # type: ignore[operator]
        if shifted is not None:
            return shifted
    return Sub(None, (a, b))


def neg(a: Node) -> Node:
    if isinstance(a, Num):
        return num(-a.data)  # type: ignore[operator]
    if isinstance(a, Neg):
        return a.args[0]
    if isinstance(a, Sub):  # -(p - q) -> q - p
        return sub(a.args[1], a.args[0])
    if isinstance(a, Div) and isinstance(a.args[0], Num):  # -(1/q) -> -1/q, as it reads back
        return div(num(-a.args[0].data), a.args[1])  # type: ignore[operator]
    if isinstance(a, Mul) and isinstance(a.args[0], Num):  # an unfolded 0.1*0.1: negate the first number
        return Mul(None, (num(-a.args[0].data), a.args[1]))  # type: ignore[operator]
    c, rest = split_coeff(a)
    if c != 1:
        return with_coeff(-c, rest)
    if _leads_with_difference(a):  # -((p - q)*t) -> (q - p)*t
        make = mul if isinstance(a, Mul) else div
        return make(neg(a.args[0]), a.args[1])
    return Neg(None, (a,))


def _leads_with_difference(n: Node) -> bool:
    while isinstance(n, (Mul, Div)):
        n = n.args[0]
    return isinstance(n, Sub)


# --------------------------------------------------------------------------- products


def _rank(n: Node) -> int:
    """Reading order of factors: numbers, constants, powers of variables, everything else."""
    if isinstance(n, Num):
        return 0
    if isinstance(n, Const):
        return 1
    base, _ = _base_exp(n)
    return 2 if isinstance(base, (Var, Const)) else 3


def mul(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        r = _fold("*", a.data, b.data)  # type: ignore[arg-type]
        return num(r) if r is not None else Mul(None, (a, b))
    if _is(a, 0) or _is(b, 0):
        return ZERO
    if _is(a, 1):
        return b
    if _is(b, 1):
        return a
    if isinstance(a, Neg):
        return neg(mul(a.args[0], b))
    if isinstance(b, Neg):
        return neg(mul(a, b.args[0]))
    ca, ra = split_coeff(a)
    cb, rb = split_coeff(b)
    if ca != 1 or cb != 1:  # (c1*t)*(c2*u) -> (c1*c2)*(t*u)
        c = _fold("*", ca, cb)
        if c is not None:
            rest = rb if ra is None else ra if rb is None else mul(ra, rb)
            return with_coeff(c, rest)
    if isinstance(b, Div):  # a*(p/q) -> (a*p)/q
        return div(mul(a, b.args[0]), b.args[1])
    if isinstance(a, Div):  # (p/q)*b -> (p*b)/q
        return div(mul(a.args[0], b), a.args[1])
    if isinstance(b, Mul):  # a*(p*q) -> (a*p)*q: products lean left
        return mul(mul(a, b.args[0]), b.args[1])
    merged = _merge_powers(a, b, "+")
    if merged is not None:
        return merged
    if not isinstance(a, Mul) and _rank(b) < _rank(a):  # sin(x)*x -> x*sin(x)
        return Mul(None, (b, a))
    return Mul(None, (a, b))


def _merge_powers(a: Node, b: Node, op: str) -> Node | None:
    """x**p * x**q -> x**(p+q) and x**p / x**q -> x**(p-q) for numeric p, q."""
    ba, pa = _base_exp(a)
    bb, pb = _base_exp(b)
    if ba != bb or isinstance(ba, Num):
        return None
    p = _fold(op, pa, pb)
    if p is None:
        return None
    if p < 0:
        return div(ONE, pow_(ba, num(-p)))
    return pow_(ba, num(p))


def div(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        r = _fold("/", a.data, b.data)  # type: ignore[arg-type]
        return num(r) if r is not None else Div(None, (a, b))
    if _is(a, 0):
        return ZERO
    if _is(b, 1):
        return a
    if _is(b, -1):
        return neg(a)
    if a == b:
        return ONE
    if isinstance(a, Neg):
        return neg(div(a.args[0], b))
    if isinstance(b, Neg):
        return neg(div(a, b.args[0]))
    ca, ra = split_coeff(a)
    if isinstance(b, Num) and ra is not None and ca != 1:  # (6*t)/2 -> 3*t
        c = _fold("/", ca, b.data)  # type: ignore[arg-type]
        if c is not None:
            return with_coeff(c, ra)
    cb, rb = split_coeff(b)
    if ca != 1 and cb != 1 and rb is not None:  # (4*t)/(2*u) -> 2*t/u
        c = _fold("/", ca, cb)
        if c is not None:
            return with_coeff(c, div(ONE if ra is None else ra, rb))
    if isinstance(a, Div):  # (p/q)/b -> p/(q*b)
        return div(a.args[0], mul(a.args[1], b))
    if isinstance(b, Div):  # a/(p/q) -> (a*q)/p
        return div(mul(a, b.args[1]), b.args[0])
    merged = _merge_powers(a, b, "-")
    if merged is not None:
        return merged
    return Div(None, (a, b))


def pow_(a: Node, b: Node) -> Node:
    if isinstance(a, Num) and isinstance(b, Num):
        r = _fold("**", a.data, b.data)  # type: ignore[arg-type]
        return num(r) if r is not None else Pow(None, (a, b))
    if _is(b, 0) or _is(a, 1):
        return ONE
    if _is(b, 1):
        return a
    if _is(a, 0) and isinstance(b, Num) and b.data > 0:  # type: ignore[operator]
        return ZERO
    if isinstance(a, Pow) and isinstance(a.args[1], Num) and isinstance(b, Num):
        p, q = a.args[1].data, b.data
        if float(p).is_integer() and float(q).is_integer():  # (t**2)**3 -> t**6
            r = _fold("*", p, q)  # type: ignore[arg-type]
            if r is not None:
                return pow_(a.args[0], num(r))
    return Pow(None, (a, b))


# -------------------------------------------------------------------------- functions


def call(name: str, args: tuple[Node, ...], fn: Callable | None = None) -> Node:
    """Apply a function; built-ins of plain numbers fold when the result is clean."""
    if fn is None:
        if all(isinstance(a, Num) for a in args):
            r = apply_float(FUNCTIONS[name], *(a.data for a in args))
            if is_clean(r):
                return num(r)
        (first, *_) = args
        if name == "log" and isinstance(first, Const) and first.data == "e":
            return ONE
        if name == "abs" and isinstance(first, (Neg, Call)):
            if isinstance(first, Neg):  # |-t| = |t|
                return call("abs", first.args)
            if first.data == "abs" and first.fn is None:  # ||t|| = |t|
                return first
    return Call(name, args, fn)


def const(name: str) -> Node:
    assert name in CONSTANTS
    return Const(name)


def var(name: str) -> Node:
    return Var(name)
