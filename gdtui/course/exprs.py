"""The course's door to the engine's safe expression language.

Lesson values, `when` rules and `{…}` templates are expressions over the exercise params; this module
checks their names (so a typo reads "unknown name 'z' (params are a, b)"), expands `diff(...)`, adds the
numeric helpers lessons may call, and caches parsed expressions. Nothing here evaluates Python.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from gdtui.engine.expr import Expr, ExprError, format_number, parse

BUILTIN_FUNCTIONS = frozenset({"sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "min", "max"})
CONSTANTS = frozenset({"pi", "e"})


# ---------------------------------------------------------------- helpers lessons may call
def gd_step(x, g, lr):
    """One gradient-descent step: x - lr*g."""
    return x - lr * g


def round_to(v, n):
    """v rounded to n decimal places (halves away from zero)."""
    scale = 10.0 ** np.round(n)
    return np.sign(v) * np.floor(np.abs(v) * scale + 0.5) / scale


def round_figures(v, n):
    """v rounded to n significant figures (a test input as a learner would round it)."""
    v = np.asarray(v, dtype=float)
    with np.errstate(all="ignore"):
        power = np.where(v == 0, 0.0, np.floor(np.log10(np.abs(np.where(v == 0, 1.0, v)))))
    return round_to(v, np.round(n) - 1 - power)


def sign(v):
    return np.sign(v)


def floor(v):
    return np.floor(v)


def ceil(v):
    return np.ceil(v)


def clip(v, lo, hi):
    return np.clip(v, lo, hi)


def relu(v):
    return np.maximum(v, 0.0)


def hypot(a, b):
    """The length of the vector (a, b): sqrt(a² + b²)."""
    return np.hypot(a, b)


def _linear_fit(n: float, w: float, b: float, noise: float, seed: float) -> tuple[float, float]:
    """(w, b) of the least-squares line through the data set a plot's `data: {kind: linear, …}` draws;
    (nan, nan) for settings a plot would refuse."""
    if not (n == int(n) and 2 <= n <= 10_000 and seed == int(seed) and seed >= 0 and noise >= 0
            and np.isfinite([w, b, noise]).all()):
        return math.nan, math.nan
    from gdtui.engine.regression import least_squares_line, make_linear_data  # numpy.random only when used

    return least_squares_line(*make_linear_data(n=int(n), w=w, b=b, noise=noise, seed=int(seed)))


_fit_line = lru_cache(maxsize=64)(_linear_fit)


def fit_w(n, w, b, noise, seed):
    """The fitted slope w of the linear data set (n, w, b, noise, seed), as a plot's `data:` draws it."""
    return np.vectorize(lambda *a: _fit_line(*map(float, a))[0], otypes=[float])(n, w, b, noise, seed)


def fit_b(n, w, b, noise, seed):
    """The fitted intercept b of the same data set."""
    return np.vectorize(lambda *a: _fit_line(*map(float, a))[1], otypes=[float])(n, w, b, noise, seed)


HELPERS = {"gd_step": gd_step, "round": round_to, "figures": round_figures, "sign": sign, "floor": floor, "ceil": ceil,
           "clip": clip, "relu": relu, "hypot": hypot, "fit_w": fit_w, "fit_b": fit_b}
SPECIAL_FORMS = frozenset({"diff", "descent"})
KNOWN_FUNCTIONS = BUILTIN_FUNCTIONS | frozenset(HELPERS) | SPECIAL_FORMS

_NUMBER = re.compile(r"(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"(?<!\\)\b[A-Za-z_][A-Za-z_0-9]*")


class ValueProblem(ValueError):
    """An expression in a lesson that cannot be used; `message` is ready for an error line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def names_in(text: str) -> list[str]:
    """The names a text uses (numbers such as 1e-4 removed; LaTeX commands such as \\alpha skipped)."""
    stripped = _NUMBER.sub(" ", text)
    found = []
    for name in _NAME.findall(stripped):
        if name not in KNOWN_FUNCTIONS and name not in CONSTANTS and name not in found:
            found.append(name)
    return found


def describe(params: Sequence[str], variables: Sequence[str] = ()) -> str:
    """What names exist, for a message: "params are a, b", "the variable is x; the param is a"…"""
    parts = []
    if variables:
        parts.append(("the variable is " if len(variables) == 1 else "the variables are ") + ", ".join(variables))
    if params:
        parts.append(("the param is " if len(params) == 1 else "params are ") + ", ".join(params))
    return "; ".join(parts) if parts else "there are no params"


def compile_value(text: str, params: Sequence[str] = (), variables: Sequence[str] = (), *,
                  helpers: bool = True) -> Expr:
    """Parse lesson text over `variables` + `params`; raise `ValueProblem` with a plain message."""
    return _compile(str(text), tuple(variables), tuple(params), helpers)


@lru_cache(maxsize=4096)
def _compile(text: str, variables: tuple[str, ...], params: tuple[str, ...], helpers: bool) -> Expr:
    known = variables + tuple(p for p in params if p not in variables)
    try:
        expanded = expand_diff(text, known) if "diff" in text else text
        expanded = expand_descent(expanded, known) if "descent" in expanded else expanded
    except ExprError as exc:
        raise ValueProblem(_expr_message(exc)) from None
    for name in names_in(expanded):
        if name not in known:
            raise ValueProblem(f"unknown name '{name}' ({describe(params, variables)})")
    try:
        return parse(expanded, known, functions=HELPERS if helpers else None)
    except ExprError as exc:
        raise ValueProblem(_expr_message(exc)) from None


def _expr_message(exc: ExprError) -> str:
    return str(exc) or getattr(exc, "message", "cannot read this expression")


def evaluate(expr: Expr, env: Mapping[str, float]) -> np.ndarray:
    """The value of an expression at the given params (a 0-d array, or shape (k,) for a vector)."""
    args = {name: env[name] for name in expr.variables}
    with np.errstate(all="ignore"):
        return np.asarray(expr(**args), dtype=float)


def number_text(v: float, *, for_input: bool = False) -> str:
    """A number as a person writes it; negative numbers in parentheses when pasted into an input."""
    text = format_number(float(v))
    return f"({text})" if for_input and text.startswith("-") else text


def value_text(value) -> str:
    """A number, or a vector as "(6, 8)"."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return number_text(float(array))
    return "(" + ", ".join(number_text(float(v)) for v in array.ravel()) + ")"


# ---------------------------------------------------------------- diff(expr, var[, at])
_DIFF = re.compile(r"(?<![\w.])diff\s*\(")


def expand_diff(text: str, known: tuple[str, ...]) -> str:
    """Replace each `diff(f, x)` by the exact derivative's text, and `diff(f, x, at)` by it at x = at."""
    for _ in range(20):
        match = _DIFF.search(text)
        if match is None:
            return text
        start, open_at = match.start(), match.end() - 1
        close_at, args = _call_arguments(text, open_at)
        text = text[:start] + "(" + _derivative_text(args, known, open_at + 1) + ")" + text[close_at + 1:]
    raise ExprError("too many diff(...) calls")


def _call_arguments(text: str, open_at: int) -> tuple[int, list[str]]:
    depth, args, last = 0, [], open_at + 1
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                args.append(text[last:i].strip())
                return i, args
        elif ch == "," and depth == 1:
            args.append(text[last:i].strip())
            last = i + 1
    raise _expr_error("diff( is never closed", open_at + 1)


def _derivative_text(args: list[str], known: tuple[str, ...], column: int) -> str:
    if len(args) not in (2, 3) or not re.fullmatch(r"[A-Za-z_]\w*", args[1] if len(args) > 1 else ""):
        raise _expr_error("write diff(f, x) for the derivative of f in x, or diff(f, x, at) for its value at a point",
                          column)
    body, var = args[0], args[1]
    if len(args) == 2 and var not in known:
        raise _expr_error(f"diff(f, {var}) needs a point here: diff(f, {var}, at)", column)
    inner_known = known if var in known else known + (var,)
    derivative = str(_inner(body, inner_known).diff(var))
    if len(args) == 3:
        at = args[2]
        derivative = re.sub(rf"(?<![\w.]){re.escape(var)}(?!\w)", f"({at})", derivative)
    return derivative


def _inner(body: str, known: tuple[str, ...]) -> Expr:
    body = expand_diff(body, known) if "diff" in body else body
    for name in names_in(body):
        if name not in known:
            raise ExprError(f"unknown name '{name}' inside diff(...)")
    return parse(body, known)


def _expr_error(message: str, column: int) -> ExprError:
    try:
        return ExprError(message, column)
    except TypeError:  # an ExprError that takes only a message
        return ExprError(message)


# ---------------------------------------------------------------- descent(f, x, x0, lr, k)
_DESCENT = re.compile(r"(?<![\w.])descent\s*\(")
MAX_DESCENT_STEPS = 100_000


def expand_descent(text: str, known: tuple[str, ...]) -> str:
    """Replace each `descent(f, x, x0, lr, k)` by xₖ of x ← x − lr·f′(x) from x0 (f′ exact), as a number.

    x0, lr and k are expressions over the params; the iteration runs in the engine, never in Python source."""
    for _ in range(20):
        match = _DESCENT.search(text)
        if match is None:
            return text
        start, open_at = match.start(), match.end() - 1
        close_at, args = _call_arguments(text, open_at)
        text = text[:start] + "(" + _descent_text(args, known, open_at + 1) + ")" + text[close_at + 1:]
    raise ExprError("too many descent(...) calls")


def _descent_text(args: list[str], known: tuple[str, ...], column: int) -> str:
    if len(args) != 5 or not re.fullmatch(r"[A-Za-z_]\w*", args[1]):
        raise _expr_error("write descent(f, x, x0, lr, k) for step k of gradient descent on f from x0", column)
    body, var = args[0], args[1]
    slope = _inner(body, known if var in known else known + (var,)).diff(var)
    k = _constant(args[4], column)
    if not _is_number(args[2]) or not _is_number(args[3]):
        return _unrolled_descent(str(slope), var, args[2], args[3], k, column)
    x0, lr = _constant(args[2], column), _constant(args[3], column)
    if not (k == int(k) and 0 <= k <= MAX_DESCENT_STEPS):
        raise _expr_error(f"descent(...): the step count must be a whole number from 0 to {MAX_DESCENT_STEPS}", column)
    x = x0
    with np.errstate(all="ignore"):
        for _ in range(int(k)):
            step = lr * float(slope(**{name: x if name == var else 0.0 for name in slope.variables}))
            if x - step == x:
                break  # a fixed point in floating point: the remaining steps change nothing
            x = x - step
    if not np.isfinite(x):
        raise _expr_error("descent(...) diverges: the iterate is not finite", column)
    return repr(float(x))


def _is_number(text: str) -> bool:
    try:
        parse(text, ())
    except ExprError:
        return False
    return True


MAX_UNROLLED_STEPS = 8


def _unrolled_descent(slope: str, var: str, x0: str, lr: str, k: float, column: int) -> str:
    """With params in x0 or lr, write the k steps out as one expression: x ← x − lr·f′(x), k times."""
    if not (k == int(k) and 0 <= k <= MAX_UNROLLED_STEPS):
        raise _expr_error(f"descent(...) with params in x0 or lr can take 0 to {MAX_UNROLLED_STEPS} steps", column)
    x, occurrence = f"({x0})", re.compile(rf"(?<![\w.]){re.escape(var)}(?!\w)")
    for _ in range(int(k)):
        at_x = occurrence.sub(lambda _match: x, slope)
        x = f"({x} - ({lr})*({at_x}))"
    if len(x) > 900:
        raise _expr_error("descent(...) written out is too long; use fewer steps", column)
    return x


def _constant(text: str, column: int) -> float:
    """An argument of a special form that must be a plain number (params are filled in before this runs)."""
    try:
        value = float(parse(text, ())())
    except ExprError as exc:
        raise _expr_error(f"descent(...) needs numbers for x0, lr and k here: {exc}", column) from None
    return value
