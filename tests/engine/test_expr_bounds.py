"""The expression language is bounded in work: nothing the caps admit makes any path spin.

Work is counted, never timed (the machine is shared and noisy): `calls` counts every Python and C
function call made while a path runs, through sys.setprofile, and stops the path with WorkOverrun
as soon as it passes its limit, so a path that has gone exponential fails fast instead of hanging.
About 400,000 such calls take ~50 ms here (benchmarks/bench_expr.py prints the timings).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.engine.calculus import exact_hessian
from gdtui.engine.expr import MAX_CHARS, ExprError, parse

STEP = 400_000  # calls one engine path may make for any input the caps admit (~50 ms)
XY = ("x", "y")


class WorkOverrun(BaseException):
    """Raised inside the measured code when it passes its limit (BaseException: nothing swallows it)."""


def calls(fn, limit: int = STEP) -> tuple[int, object]:
    """(function calls made while running fn, its result or the ExprError it raised); WorkOverrun past limit."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1
            if count > limit:
                sys.setprofile(None)
                raise WorkOverrun(f"more than {limit} calls")

    sys.setprofile(profile)
    try:
        result = fn()
    except ExprError as err:
        result = err
    finally:
        sys.setprofile(None)
    return count, result


def nested(wrappers: list[str], core: str) -> str:
    text = core
    for w in wrappers:
        text = w.format(text)
    return text


# ------------------------------------------------------------------ finding 1: the known causes


@pytest.mark.parametrize("kind", ["unicode", "str"])
def test_rendering_an_exp_chain_is_linear_in_its_depth(kind):
    # unicode() rendered exp's argument twice: 2^depth; 25 deep took 10 s in the grader
    work = {}
    for depth in (10, 20, 40, 58):
        e = parse("exp(" * depth + "x" + ")" * depth)
        work[depth], text = calls(e.unicode if kind == "unicode" else e.__str__, limit=50 * depth)
        assert len(text) <= 6 * depth + 1  # each level once: "exp(" or "e^(" and its ")"
    assert work[58] <= 58 / 10 * work[10] * 1.2  # linear: six times as deep, about six times the work


def test_rendering_the_exp_of_minus_exp_chain_a_lesson_plots_is_linear():
    text = "exp(-" * 29 + "x" + ")" * 29  # gdtui check passes it; opening the lesson froze the app
    e = parse(text)
    work, shown = calls(e.unicode, limit=2000)
    assert shown.count("e^") == 29
    assert parse(str(e)) == e


def test_a_shared_subtree_is_rendered_once():
    # the derivative of a 30-deep chain shares each inner sin(…) among many factors
    d = parse("sin(" * 30 + "x" + ")" * 30).diff("x")
    distinct = _distinct_nodes(d)
    assert d.node_count > 3 * distinct  # printed in full the tree is much larger than what is stored
    work, _ = calls(d.unicode)
    assert work < 40 * distinct + 4 * len(d.unicode())


def test_the_hessian_of_a_58_deep_chain_is_refused_in_bounded_work():
    e = parse("sin(" * 58 + "x*y" + ")" * 58, XY)  # 177k nodes and 2.4 s before
    work, result = calls(lambda: exact_hessian(e))
    assert isinstance(result, ExprError)
    assert result.message == "this expression is too deeply nested to differentiate"


def test_a_hessian_within_bounds_is_whole_and_symmetric():
    e = parse("sin(" * 12 + "x*y" + ")" * 12, XY)
    work, h = calls(e.hessian)
    assert h[0][1] is h[1][0]
    x, y = 0.3, 0.2
    step = 1e-4
    across = (float(e.diff("x")(x, y + step)) - float(e.diff("x")(x, y - step))) / (2 * step)
    assert float(h[0][1](x, y)) == pytest.approx(across, rel=1e-5)


def test_printing_evaluating_and_compiling_a_large_derivative_stays_in_bounds():
    e = parse("sin(" * 30 + "x*y" + ")" * 30, XY)
    entry = e.hessian()[0][1]
    grid = np.linspace(-1.0, 1.0, 50)
    for path in (entry.unicode, entry.__str__, lambda: entry(grid, grid), lambda: entry.float_function()(0.1, 0.2)):
        work, result = calls(path)
        assert not isinstance(result, ExprError)


def _distinct_nodes(e) -> int:
    seen, stack = set(), list(e._roots)
    while stack:
        n = stack.pop()
        if id(n) not in seen:
            seen.add(id(n))
            stack.extend(n.args)
    return len(seen)


# ----------------------------------------------------------------- fuzz: nested and wide inputs

_WRAPPERS = st.sampled_from([
    "sin({})", "cos({})", "exp({})", "exp(-{})", "log({})", "sqrt({})", "tanh({})", "sigmoid({})",
    "abs({})", "({})**2", "({})^y", "x*({})", "({})*y", "({})/x", "-({})", "({}) + x*y", "max({}, x)",
    "min(y, {})", "2({})", "({0})*({0})",
])  # fmt: skip
_ATOMS = st.sampled_from(["x", "y", "x*y", "x^2", "sin(x)", "exp(y)", "2x", "0.5", "pi", "(x - y)"])


def _wide(terms: list[str], ops: list[str]) -> str:
    text = terms[0]
    for op, t in zip(ops, terms[1:]):
        text += f" {op} {t}"
    return text


_WIDE = st.builds(_wide, st.lists(_ATOMS, min_size=1, max_size=120), st.lists(st.sampled_from("+-*/"), max_size=120))
_NESTED = st.builds(
    nested,
    st.lists(_WRAPPERS, min_size=1, max_size=45),
    st.one_of(_ATOMS, _WIDE),
)
INPUTS = st.one_of(_NESTED, _WIDE, st.builds(lambda a, b: f"{a} + {b}", _NESTED, _NESTED))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(INPUTS)
def test_every_engine_path_is_bounded_for_nested_and_wide_inputs(text):
    text = text[:MAX_CHARS]
    work, e = calls(lambda: parse(text, XY))
    if isinstance(e, ExprError):
        return  # refused by the caps, in bounded work
    grid = np.linspace(-2.0, 2.0, 30)
    paths = [e.__str__, e.unicode, lambda: e(grid, grid), lambda: e.float_function()]
    for var in XY:
        work, d = calls(lambda: e.diff(var))
        if not isinstance(d, ExprError):
            paths += [d.__str__, d.unicode, lambda d=d: d(grid, grid)]
    for path in paths:
        calls(path)
    work, h = calls(e.hessian, limit=2 * STEP)  # five derivatives under one budget
    if not isinstance(h, ExprError):
        for row in h:
            for entry in row:
                calls(entry.unicode)


@pytest.mark.parametrize("typed", [
    "sin " * 240 + "x",             # bracketless functions inside each other
    "√" * 500 + "2",
    "|" * 300 + "x" + "|" * 300,
    "(x+1)" * 190,                  # products side by side
    "x² " * 330,
    "2×10⁻³·" * 110 + "x",
    "ｓｉｎ　ｘ　" * 160,             # full-width forms and spaces
    "sin x " * 160,
])  # fmt: skip
def test_the_notation_learners_type_is_read_in_bounded_work(typed):
    typed = typed[:MAX_CHARS]
    from gdtui.engine.expr import read_back

    for path in (lambda: parse(typed, XY), lambda: read_back(typed, XY)):
        work, result = calls(path)
        assert result is not None
