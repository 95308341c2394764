"""Property tests of the expression language: derivatives, round trips, and safety."""

import os
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.engine.expr import ExprError, parse

# the recursive strategy's nested repr is large; Hypothesis sometimes warns when it builds it
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

XY = ("x", "y")
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------- random expressions, as text

_LEAVES = st.sampled_from(["x", "y", "x", "pi", "e", "0", "1", "2", "3", "0.5", "1.5", "10", "0.1"])
_UNARY = st.sampled_from(["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid"])


def _extend(children):
    return st.one_of(
        st.tuples(children, st.sampled_from("+-*/"), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.sampled_from(["2", "3", "-1", "0.5", "-2"])).map(lambda t: f"({t[0]})**{t[1]}"),
        st.tuples(children, children).map(lambda t: f"({t[0]})^({t[1]})"),
        st.tuples(_UNARY, children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["2", "3", "0.5"]), children).map(lambda t: f"{t[0]}({t[1]})"),  # implicit *
        children.map(lambda c: f"-({c})"),
    )


EXPRESSIONS = st.recursive(_LEAVES, _extend, max_leaves=8)
POINTS = st.floats(min_value=-3, max_value=3, allow_nan=False)


def _value(e, x, y):
    return float(e(x, y))


def _central(e, x, y, h):
    return (_value(e, x + h, y) - _value(e, x - h, y)) / (2 * h)


@FAST
@given(EXPRESSIONS, POINTS, POINTS)
def test_derivative_agrees_with_central_differences(text, x, y):
    e = parse(text, XY)
    exact = _value(e.diff("x"), x, y)
    h = 1e-5 * max(1.0, abs(x))
    around = [_value(e, x + k * h, y) for k in (-4, -1, 0, 1, 4)]
    if not (np.isfinite(exact) and np.all(np.isfinite(around))):
        return  # outside the domain, or overflowing: nothing to compare
    fine, coarse = _central(e, x, y, h), _central(e, x, y, 4 * h)
    forward, backward = (around[3] - around[2]) / h, (around[2] - around[1]) / h
    scale = 1.0 + abs(fine)
    roundoff = 1e-13 * max(abs(v) for v in around) / h
    if abs(fine - coarse) > 1e-4 * scale or abs(forward - backward) > 1e-3 * scale + roundoff:
        return  # a kink, a pole or strong curvature nearby: differences are unreliable here
    assert abs(exact - fine) <= 1e-4 * scale + roundoff, (text, x, y, exact, fine, str(e.diff("x")))


@FAST
@given(EXPRESSIONS)
def test_str_reads_back_to_the_same_expression(text):
    e = parse(text, XY)
    again = parse(str(e), XY)
    x, y = np.meshgrid(np.linspace(-2.5, 2.5, 7), np.linspace(-2, 3, 7))
    np.testing.assert_allclose(again(x, y), e(x, y), rtol=1e-9, atol=1e-12, equal_nan=True)
    d = e.diff("x")
    np.testing.assert_allclose(parse(str(d), XY)(x, y), d(x, y), rtol=1e-9, atol=1e-12, equal_nan=True)


@FAST
@given(EXPRESSIONS)
def test_unicode_never_fails_and_uses_screen_symbols(text):
    shown = parse(text, XY).unicode()
    assert "**" not in shown and "*" not in shown.replace("**", "")
    assert "pi" not in shown and "sqrt" not in shown


# ----------------------------------------------------------------------------- only ExprError escapes

_GRAMMAR_CHARS = "xy e pi0123456789.+-*/^()[],sincoqrtlgabmh_=<>!%&|~@:;'\"\\#{}λπ−·²\n\t"


def _exercise(text: str) -> None:
    """Everything a learner's text can reach; anything but ExprError is a bug."""
    try:
        e = parse(text, XY)
    except ExprError:
        return
    for step in (
        lambda: e(np.linspace(-2, 2, 5), 0.5),
        lambda: e(0.0, 0.0),
        lambda: str(e),
        lambda: e.unicode(),
        lambda: parse(str(e), XY),
        lambda: e.diff("x")(np.linspace(-2, 2, 5), 1.0),
        lambda: str(e.diff("y")),
        lambda: e.gradient(),
    ):
        try:
            step()
        except ExprError:
            pass


@contextmanager
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@FAST
@given(st.text(max_size=60))
def test_random_text_raises_only_expr_error(text):
    with _no_warnings():
        _exercise(text)


@FAST
@given(st.text(alphabet=_GRAMMAR_CHARS, max_size=40))
def test_grammar_like_text_raises_only_expr_error(text):
    with _no_warnings():
        _exercise(text)


@st.composite
def _mutated(draw):
    """A valid expression with a few characters inserted, deleted or replaced."""
    text = draw(EXPRESSIONS)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        ch = draw(st.sampled_from(_GRAMMAR_CHARS))
        if op == "insert":
            text = text[:i] + ch + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + ch + text[i + 1:]
    return text


@FAST
@given(_mutated())
def test_mutated_expressions_raise_only_expr_error(text):
    with _no_warnings():
        _exercise(text)


# ------------------------------------------------------------------------------------------ canary

ATTACKS = [
    "__import__('os').system('touch CANARY')",
    "open('CANARY','w')",
    "open('CANARY', 'w').write('pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "().__class__.__base__.__subclasses__()[0]",
    "(lambda: __import__('os').system('touch CANARY'))()",
    "(lambda f: f('CANARY', 'w'))(open)",
    "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]()"
    "._module.__builtins__['__import__']('os').system('touch CANARY')",
    "eval(\"open('CANARY','w')\")",
    "exec('open(\"CANARY\",\"w\")')",
    "compile('open(1)', 'f', 'exec')",
    "globals()['__builtins__']['open']('CANARY','w')",
    "getattr(__builtins__, 'open')('CANARY', 'w')",
    "__builtins__.open('CANARY', 'w')",
    "__import__('subprocess').call(['touch', 'CANARY'])",
    "f\"{open('CANARY','w')}\"",
    "𝔬𝔭𝔢𝔫('CANARY','w')",  # NFKC-normalised to open by Python's parser
    "x; __import__('os').system('touch CANARY')",
    "x\n__import__('os').system('touch CANARY')",
    "x # __import__('os').system('touch CANARY')",
    "sin(x).__class__",
    "max(x, __import__('os'))",
    "sin.__globals__['__builtins__']",
    "x.__class__.__mro__[1].__subclasses__()",
    "(yield)",
    "[*open('CANARY', 'w')]",
    "{**open('CANARY', 'w')}",
    "x if open('CANARY','w') else 1",
    "(f := open)('CANARY', 'w')",
    "sin(x)(open)('CANARY', 'w')",
    "2(open('CANARY','w'))",
    "9**9**9**9**open('CANARY','w')",
]


@contextmanager
def _inside(folder):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.mark.parametrize("attack", ATTACKS)
def test_crafted_attacks_are_refused_and_do_nothing(attack, tmp_path):
    with _inside(tmp_path):
        with pytest.raises(ExprError):
            parse(attack, XY)
    assert list(tmp_path.iterdir()) == []


@FAST
@given(st.text(alphabet=_GRAMMAR_CHARS, max_size=10), st.sampled_from(ATTACKS), st.text(max_size=10))
def test_attacks_inside_random_text_are_refused(tmp_path_factory, before, attack, after):
    folder = tmp_path_factory.mktemp("canary")
    with _inside(folder):
        with pytest.raises(ExprError):
            parse(before + attack + after, XY)
    assert not (folder / "CANARY").exists()
    assert list(folder.iterdir()) == []


@FAST
@given(EXPRESSIONS)
def test_grid_evaluation_matches_pointwise_and_leaves_inputs_alone(text):
    e = parse(text, XY)
    x, y = np.meshgrid(np.linspace(-2.5, 2.5, 5), np.linspace(-2, 3, 4))
    x_before, y_before = x.copy(), y.copy()
    grid = e(x, y)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)
    pointwise = np.array([[float(e(a, b)) for a, b in zip(row_x, row_y)] for row_x, row_y in zip(x, y)])
    np.testing.assert_allclose(grid, pointwise, rtol=1e-12, atol=1e-300, equal_nan=True)
    columns = e(x[:1, :], y[:, :1])  # broadcasting (1, n) against (m, 1)
    np.testing.assert_allclose(columns, grid, rtol=1e-12, atol=1e-300, equal_nan=True)


# ------------------------------------------------------------- the float form gives numpy's numbers

def _assert_numpy_meets_a_floating_point_exception(e, x, y):
    # Python refuses only where numpy, too, divides by zero, overflows or makes a nan on the way, even when
    # the end result is finite again (0**(1/0) is 0): the caller then takes numpy's answer for that point
    values = (np.asarray(float(x)), np.asarray(float(y)))
    with np.errstate(all="raise", under="ignore"), pytest.raises(FloatingPointError):
        for evaluate in e._evaluators():  # the compiled numpy trees, without __call__'s errstate("ignore")
            evaluate(values)


@FAST
@given(EXPRESSIONS, POINTS, POINTS)
def test_float_form_gives_exactly_numpys_number_or_refuses(text, x, y):
    e = parse(text, XY)
    on_floats = e.float_function()
    assert on_floats is not None  # only caller-supplied functions lack a float form
    with np.errstate(all="ignore"):
        expected = float(e(x, y))
        try:
            (got,) = on_floats(x, y)
        except (ArithmeticError, ValueError):
            _assert_numpy_meets_a_floating_point_exception(e, x, y)
            return
    assert type(got) is float
    assert got == expected or (np.isnan(got) and np.isnan(expected))


@FAST
@given(EXPRESSIONS, EXPRESSIONS, POINTS, POINTS)
def test_float_form_of_a_gradient_matches_point_function(first, second, x, y):
    e = parse(f"[{first}, {second}]", XY)
    with np.errstate(all="ignore"):
        expected = e.point_function()(x, y)
        try:
            got = e.float_function()(x, y)
        except (ArithmeticError, ValueError):
            _assert_numpy_meets_a_floating_point_exception(e, x, y)
            return
    assert len(got) == 2
    np.testing.assert_array_equal(np.array(got), expected)
