"""Expression trees as text (private: use str(Expr), Expr.unicode, format_number).

Two renderings share one precedence walk:

* `to_text`: the language itself ("x**2 + 2*x + 1"), exact: numbers are printed
  with repr's shortest round-tripping digits, so parse(to_text(t)) evaluates like t.
* `to_unicode`: for screens ("x² + 2·x + 1"): superscript integer powers, · for
  multiplication, − for minus, π, √(…), |…|, e^…, numbers to 10 significant digits
  (9.536743164×10⁻⁷), a negative right operand in brackets (0.2·(−6)); it reads back too.

Parentheses are added only where Python's precedence and left-to-right reading need
them: a right operand of the same precedence keeps its parentheses (a - (b - c),
a + (b + c)), so the text reads back as the same tree, not merely an equal value.
The simplifier makes products lean left, so they rarely need any.
"""

from __future__ import annotations

import math

from gdtui.engine.expr.nodes import Add, Call, Const, Div, Mul, Neg, Node, Num, Pow, Sub, Var

# precedence levels, loosest first
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_MINUS = "\u2212"


def format_number(v: float) -> str:
    """A number for people: at most 10 significant digits, no trailing zeros, powers of ten written out.

    0.1 + 0.2 -> "0.3", 2.0 -> "2", -0.0 -> "0", 1e-10 -> "1×10⁻¹⁰", 9.5367431640625e-07 ->
    "9.536743164×10⁻⁷", 1234567.0 -> "1234567", 3.14159265 -> "3.14159265", inf -> "inf".
    Whatever it prints reads back (through parse) as the number shown.
    """
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e12:
        return str(int(v))
    return times_ten(f"{v:.10g}")


def times_ten(text: str) -> str:
    """Python's exponent form for screens: '9.54e-07' -> '9.54×10⁻⁷', '1e+16' -> '1×10¹⁶'; others unchanged.

    The one place scientific notation is written for people (charts' fmt.num uses it too)."""
    mantissa, e, exponent = text.lower().partition("e")
    if not e or not mantissa:
        return text
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _tidy_exponent(s: str) -> str:
    """'1e+16' -> '1e16', '1.5e-07' -> '1.5e-7'; plain numbers unchanged."""
    mantissa, e, exponent = s.partition("e")
    return f"{mantissa}e{int(exponent)}" if e else s


def exact_number(v: float) -> str:
    """The shortest text that reads back as exactly v (2.0 -> '2', 1e16 -> '1e16')."""
    s = repr(float(v) + 0.0)
    if s.endswith(".0"):
        s = s[:-2]
    return _tidy_exponent(s)


def to_text(node: Node) -> str:
    return _Renderer(False).render(node)[0]


def to_unicode(node: Node) -> str:
    return _Renderer(True).render(node)[0]


class _Renderer:
    """One precedence walk that renders every distinct subtree once and keeps its text.

    Each child is rendered exactly once (wrapping in parentheses reuses its text), and a
    subtree shared by several parents (common in derivatives) is looked up, not walked again,
    so the work is linear in the number of distinct nodes plus the length of the text."""

    def __init__(self, uni: bool) -> None:
        self.uni = uni
        self.memo: dict[int, tuple[Node, str, int]] = {}  # id -> (node kept alive, text, precedence)

    def render(self, node: Node) -> tuple[str, int]:
        """(text, precedence of its outermost operator)."""
        hit = self.memo.get(id(node))
        if hit is None:
            hit = self.memo[id(node)] = (node, *self.build(node))
        return hit[1], hit[2]

    def wrap(self, node: Node, need: int) -> str:
        hit = self.memo.get(id(node))  # inlined render: one stack frame per level, not two
        if hit is None:
            hit = self.memo[id(node)] = (node, *self.build(node))
        return f"({hit[1]})" if hit[2] < need else hit[1]

    def right(self, node: Node, need: int) -> str:
        """A right operand; on screens a negative one is bracketed: 0.2·(−6), x − (−4), not 0.2·−6."""
        text = self.wrap(node, need)
        return f"({text})" if self.uni and text[0] == _MINUS else text

    def build(self, node: Node) -> tuple[str, int]:
        uni = self.uni
        if isinstance(node, Num):
            return _number(node.data, uni)  # type: ignore[arg-type]
        if isinstance(node, Var):
            return node.data, ATOM  # type: ignore[return-value]
        if isinstance(node, Const):
            return ("π" if uni and node.data == "pi" else node.data), ATOM  # type: ignore[return-value]
        if isinstance(node, Neg):  # -x*y is (-x)*y: as good as -(x*y), but it binds like a product
            text, prec = self.render(node.args[0])
            if prec < PRODUCT or text[0] in "-\u2212":  # -(a + b), and -(-2*x) rather than --2*x
                text, prec = f"({text})", ATOM
            return (_MINUS if uni else "-") + text, min(prec, UNARY)
        if isinstance(node, Call):
            return self.call(node)
        a, b = node.args
        if isinstance(node, (Add, Sub)):
            minus = f" {_MINUS} " if uni else " - "
            op = " + " if isinstance(node, Add) else minus
            return self.wrap(a, SUM) + op + self.right(b, PRODUCT), SUM
        if isinstance(node, Mul):
            return self.wrap(a, PRODUCT) + ("·" if uni else "*") + self.right(b, UNARY), PRODUCT
        if isinstance(node, Div):
            return self.wrap(a, PRODUCT) + "/" + self.right(b, UNARY), PRODUCT
        if isinstance(node, Pow):
            return self.power(a, b), POWER
        raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover

    def power(self, base: Node, exponent: Node) -> str:
        # Python's ** is right-associative and binds tighter than unary minus on its left
        # (-x**2 == -(x**2)) but accepts a signed exponent on its right (x**-1).
        left = self.wrap(base, ATOM)
        if not self.uni:
            return left + "**" + self.wrap(exponent, UNARY)
        k = exponent.data if isinstance(exponent, Num) else None
        if isinstance(exponent, Neg) and isinstance(exponent.args[0], Num):  # x**-1 as typed: x⁻¹
            k = -exponent.args[0].data  # type: ignore[operator]
        if isinstance(k, float) and k.is_integer() and abs(k) < 100:  # x², x⁻¹, x¹²
            return left + str(int(k)).translate(_SUPERSCRIPT)
        return left + "^" + self.wrap(exponent, ATOM)

    def call(self, node: Call) -> tuple[str, int]:
        name = node.data
        if self.uni and node.fn is None:
            if name == "sqrt":
                return f"√({self.render(node.args[0])[0]})", ATOM
            if name == "abs":
                return f"|{self.render(node.args[0])[0]}|", ATOM
            if name == "exp":  # the argument is rendered once, here, never a second time for the brackets
                return "e^" + self.wrap(node.args[0], ATOM), POWER
        args = [self.render(a)[0] for a in node.args]
        return f"{name}({', '.join(args)})", ATOM


def _number(v: float, uni: bool) -> tuple[str, int]:
    if uni:
        text = format_number(v).replace("-", _MINUS)
    else:
        text = exact_number(v)
    if "×" in text:  # 1×10⁻⁵ reads as a product: (1×10⁻⁵)², x/(1×10⁻⁵)
        return text, PRODUCT
    return text, (UNARY if v < 0 else ATOM)
