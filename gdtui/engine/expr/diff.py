"""Exact derivatives of expression trees (private: use Expr.diff).

The rules, with u' = du/dx and every result built through the simplifying
constructors so that d/dx x**2 reads "2*x":

    (u ± v)' = u' ± v'          (u*v)' = u'*v + u*v'          (u/v)' = (u'*v - u*v')/v**2
    (u**c)'  = c*u**(c-1)*u'    (c**v)' = c**v*log(c)*v'
    (u**v)'  = u**v*(v'*log(u) + v*u'/u)                     (both sides vary)
    sin' = cos   cos' = -sin   tan' = 1/cos**2   exp' = exp   log(u)' = u'/u
    sqrt(u)' = u'/(2*sqrt(u))  tanh' = 1 - tanh**2           sigmoid' = sigmoid*(1 - sigmoid)
    abs(u)'  = u/abs(u)*u'     (the sign of u; undefined, nan, at u = 0 where |u| has a corner)

min and max have no closed-form derivative in the language (it has no comparisons),
so they are rewritten with abs before differentiating:

    max(a, b) = (a + b + abs(a - b))/2        min(a, b) = (a + b - abs(a - b))/2

which gives (a' + b' ± sign(a - b)*(a' - b'))/2: the slope of whichever argument is
larger (smaller), and nan exactly where a = b and the two slopes differ.

Shared subtrees are differentiated once (memo by node identity), so repeated
derivatives stay linear in the size of the shared tree.
"""

from __future__ import annotations

from typing import Callable

from gdtui.engine.expr.nodes import (
    ONE,
    TWO,
    ZERO,
    Add,
    Call,
    Const,
    Div,
    ExprError,
    Mul,
    Neg,
    Node,
    Num,
    Pow,
    Sub,
    Var,
)
from gdtui.engine.expr.simplify import add, call, div, mul, neg, pow_, sub


def derivative(node: Node, var: str) -> Node:
    """d(node)/d(var), simplified."""
    memo: dict[int, tuple[Node, Node]] = {}  # id -> (node kept alive, derivative)

    def d(n: Node) -> Node:
        if var not in n.names:
            return ZERO
        hit = memo.get(id(n))
        if hit is None:
            hit = memo[id(n)] = (n, _rule(n, d, var))
        return hit[1]

    return d(node)


def _rule(n: Node, d: Callable[[Node], Node], var: str) -> Node:
    if isinstance(n, Var):
        return ONE if n.data == var else ZERO
    if isinstance(n, (Num, Const)):
        return ZERO
    if isinstance(n, Neg):
        return neg(d(n.args[0]))
    if isinstance(n, Call):
        return _call_rule(n, d)
    u, v = n.args
    if isinstance(n, Add):
        return add(d(u), d(v))
    if isinstance(n, Sub):
        return sub(d(u), d(v))
    if isinstance(n, Mul):  # product rule
        return add(mul(d(u), v), mul(u, d(v)))
    if isinstance(n, Div):
        return _quotient(u, v, d)
    if isinstance(n, Pow):
        return _power(n, u, v, d, var)
    raise ExprError(f"cannot differentiate {type(n).__name__}")  # pragma: no cover


def _quotient(u: Node, v: Node, d: Callable[[Node], Node]) -> Node:
    du, dv = d(u), d(v)
    if dv is ZERO or dv == ZERO:  # (u/c)' = u'/c
        return div(du, v)
    if du == ZERO:  # (c/v)' = -c*v'/v**2
        return neg(div(mul(u, dv), pow_(v, TWO)))
    return div(sub(mul(du, v), mul(u, dv)), pow_(v, TWO))


def _power(n: Node, u: Node, v: Node, d: Callable[[Node], Node], var: str) -> Node:
    if var not in v.names:  # power rule: (u**c)' = c*u**(c-1)*u'
        return mul(mul(v, pow_(u, sub(v, ONE))), d(u))
    if var not in u.names:  # exponential: (c**v)' = c**v*log(c)*v'
        return mul(mul(n, call("log", (u,))), d(v))
    # general: u**v = exp(v*log(u))  =>  (u**v)' = u**v*(v'*log(u) + v*u'/u)
    inner = add(mul(d(v), call("log", (u,))), div(mul(v, d(u)), u))
    return mul(n, inner)


def _call_rule(n: Call, d: Callable[[Node], Node]) -> Node:
    if n.fn is not None:
        raise ExprError(f"cannot differentiate {n.data}(...)")
    name = n.data
    if name in ("min", "max"):
        a, b = n.args
        gap = call("abs", (sub(a, b),))
        total = add(add(a, b), gap) if name == "max" else sub(add(a, b), gap)
        return d(div(total, TWO))
    (u,) = n.args
    du = d(u)
    if name == "log":  # log(u)' = u'/u
        return div(du, u)
    if name == "sqrt":  # sqrt(u)' = u'/(2*sqrt(u))
        return div(du, mul(TWO, n))
    # u'·f'(u), not f'(u)·u': u' of a nested argument is a long product, and products lean left, so
    # multiplying on its right adds one node where multiplying on its left rebuilds the whole product
    return mul(du, _outer(name, u, n))


def _outer(name: str, u: Node, n: Node) -> Node:
    """f'(u) for the one-argument built-ins (chain rule multiplies by u')."""
    if name == "sin":
        return call("cos", (u,))
    if name == "cos":
        return neg(call("sin", (u,)))
    if name == "tan":  # 1/cos(u)**2
        return div(ONE, pow_(call("cos", (u,)), TWO))
    if name == "exp":
        return n
    if name == "abs":  # sign(u), written u/|u|
        return div(u, n)
    if name == "tanh":  # 1 - tanh(u)**2
        return sub(ONE, pow_(n, TWO))
    if name == "sigmoid":  # s*(1 - s)
        return mul(n, sub(ONE, n))
    raise ExprError(f"cannot differentiate {name}(...)")  # pragma: no cover
