"""The maths learners type: Unicode, full-width forms, products side by side, bracketless functions,
plain messages with a column, the read-back, and: whatever the tutor prints reads back as the same value."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.charts import fmt
from gdtui.engine.expr import ExprError, caret_offset, format_number, number_for_screen, parse, read_back

X, XY = ("x",), ("x", "y")
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("typed, variables, read", [
    # Unicode maths as the tutor prints it
    ("x²", X, "x**2"), ("x⁻¹", X, "x**-1"), ("3x² − 1", X, "3*x**2 - 1"), ("x¹²", X, "x**12"),
    ("√2", (), "sqrt(2)"), ("√(x+1)", X, "sqrt(x + 1)"), ("2√x", X, "2*sqrt(x)"),
    ("2·x", X, "2*x"), ("2×x", X, "2*x"), ("2⋅x", X, "2*x"), ("x÷2", X, "x/2"), ("−x", X, "-x"), ("2π", (), "2*pi"),
    ("|x|", X, "abs(x)"), ("||x| − 1|", X, "abs(abs(x) - 1)"), ("2|x − 1|", X, "2*abs(x - 1)"),
    ("e^(−x²)", X, "e**-x**2"), ("9.54×10⁻⁷", (), "9.54e-7"), ("1×10¹⁶", (), "1e16"), ("2·10^3", (), "2000"),
    # what a Chinese or Japanese keyboard gives
    ("３x", X, "3*x"), ("［6，8］", (), "[6, 8]"), ("（6，8）", (), "[6, 8]"), ("ｘ＋１", X, "x + 1"),
    ("６－ｓｉｎ ｘ", X, "6 - sin(x)"),
    # side by side is a product; a function takes the factors that follow it
    ("12 x^2 y", XY, "12*x**2*y"), ("3x^2 sin(x)", X, "3*x**2*sin(x)"), ("3x² sin x", X, "3*x**2*sin(x)"),
    ("6 - sin x", X, "6 - sin(x)"), ("sin 3x", X, "sin(3*x)"), ("sin x^2", X, "sin(x**2)"),
    ("sin x cos x", X, "sin(x)*cos(x)"), ("2 sin x cos x", X, "2*sin(x)*cos(x)"), ("sin cos x", X, "sin(cos(x))"),
    ("sin -x", X, "sin(-x)"), ("sin x/2", X, "sin(x)/2"), ("√2x", X, "sqrt(2*x)"), ("sin(x) y", XY, "y*sin(x)"),
    ("(x+1)(x-1)", X, "(x + 1)*(x - 1)"), ("x(x+1)", X, "x*(x + 1)"), ("x y", XY, "x*y"), ("2 (x+1)", X, "2*(x + 1)"),
    ("x²y", XY, "x**2*y"), ("ln x", X, "log(x)"), ("ln(2)", (), "log(2)"), ("e^x", X, "e**x"), ("exp x", X, "exp(x)"),
    # unchanged: 1/2x is (1/2)·x, e^2x is e²·x, 1.5e2x is 150x
    ("1/2x", X, "0.5*x"), ("e^2x", X, "e**2*x"), ("1.5e2x", X, "150*x"), ("2e", (), "2*e"),
])  # fmt: skip
def test_typed_notation_reads_as_intended(typed, variables, read):
    assert str(parse(typed, variables)) == str(parse(read, variables))


@pytest.mark.parametrize("typed, variables, column, message", [
    ("27,04", (), 4, "a number cannot start with 0: for the decimal write 27.04; for two values, 27, 4"),
    ("2 3", (), 3, "two numbers side by side; put an operator between them, or a comma between two values"),
    ("xy", XY, 1, "unknown name 'xy'; the variables are x, y; to multiply, write x y or x*y"),
    ("x = 2", X, 3, "= is not allowed; type only the value or the expression"),
    ("(x+1", X, 1, "this bracket is never closed"),
    ("（x＋1", X, 1, "this bracket is never closed"),
    ("10x cos(5x²", X, 8, "this bracket is never closed"),  # not "10x runs into letters": products read first
    ("2x(", X, 3, "this bracket is never closed"),
    ("x+1)", X, 4, "this closing bracket has no opening one"),
    ("（６，＄）", (), 4, "the character '$' is not part of the language"),  # the column of the full-width ＄
    ("sin + 1", X, 1, "sin is a function; write sin(...)"),
    ("f(x)", X, 1, "unknown function 'f'; the functions are sin, cos, tan, exp, log, sqrt, abs, tanh, sigmoid, min, max"),
])  # fmt: skip
def test_messages_are_plain_with_one_column_at_what_was_typed(typed, variables, column, message):
    with pytest.raises(ExprError) as caught:
        parse(typed, variables)
    assert (caught.value.column, caught.value.message) == (column, message)


@pytest.mark.parametrize("typed", ["27,04", "2j", "x if x else 1", "'a'", "x.real", "[x for x in y]",
                                   "x +", "1,,2", "lambda: 1", "x == 1", "x := 2", "08", "1__2", "x @ y", "$", "a\\b"])
def test_no_message_quotes_python(typed):
    with pytest.raises(ExprError) as caught:
        parse(typed, XY)
    words = caught.value.message.lower()
    for python in ("literal", "octal", "0o", "syntax", "perhaps", "did you mean", "token", "identifier", "eval"):
        assert python not in words


def test_caret_offset_counts_full_width_characters_as_two_cells():
    typed = "（６，＄）"
    with pytest.raises(ExprError) as caught:
        parse(typed, ())
    assert caret_offset(typed, caught.value.column) == 6  # three wide characters before the ＄
    assert caret_offset("x + $", 5) == 4 and caret_offset("x", None) is None


@pytest.mark.parametrize("typed, variables, shown, note", [
    ("-4 - 0.2*(-6)", (), "−4 − 0.2·(−6) = −2.8", None),
    ("−4 − 0.2·(−6)", (), "−4 − 0.2·(−6) = −2.8", None),
    ("(0 -4)", (), "0 − 4 = −4", "“0 -4” was read as a subtraction; for two values put a comma between them: 0, −4"),
    ("3x² sin x", X, "3·x²·sin(x)", None),
    ("sqrt(2)/2", (), "√(2)/2 = 0.7071067812", None),
    ("2^-20", (), "2⁻²⁰ = 9.536743164×10⁻⁷", None),
    ("［6，8］", (), "(6, 8)", None),
    ("6, 2*4", (), "(6, 2·4) = (6, 8)", None),
    ("5", (), "5", None),
])  # fmt: skip
def test_the_read_back_is_the_input_as_typed_in_the_tutors_notation(typed, variables, shown, note):
    got = read_back(typed, variables)
    assert (got.text, got.note) == (shown, note)


# ------------------------------------------------------------ whatever is printed reads back

_LEAVES = st.sampled_from(["x", "y", "pi", "e", "2", "0.5", "3", "1e-7", "2.5e12", "0.1"])
_UNARY = st.sampled_from(["sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "sigmoid"])
EXPRESSIONS = st.recursive(_LEAVES, lambda c: st.one_of(
    st.tuples(c, st.sampled_from("+-*/"), c).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    st.tuples(c, st.sampled_from(["2", "-1", "0.5", "-3", "y"])).map(lambda t: f"({t[0]})**{t[1]}"),
    st.tuples(_UNARY, c).map(lambda t: f"{t[0]}({t[1]})"),
    st.tuples(st.sampled_from(["min", "max"]), c, c).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    c.map(lambda s: f"-({s})"),
), max_leaves=8)
POINT = st.floats(-3, 3, allow_nan=False)


def _same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == pytest.approx(b, rel=1e-8, abs=1e-12)


@SOME
@given(EXPRESSIONS, POINT, POINT)
def test_what_unicode_prints_reads_back_as_the_same_value(text, x, y):
    e = parse(text, XY)
    again = parse(e.unicode(), XY)
    with np.errstate(all="ignore"):
        assert _same(float(again(x, y)), float(e(x, y))), (e.unicode(), str(again))


@SOME
@given(EXPRESSIONS)
def test_the_read_back_reads_back_as_the_same_value(text):
    numbers = re.sub(r"\by\b", "1.7", re.sub(r"\bx\b", "0.3", text))
    e = parse(numbers, ())
    shown = read_back(numbers).text
    typed, _, value = shown.partition(" = ")
    with np.errstate(all="ignore"):
        assert _same(float(parse(typed, ())()), float(e()))
        if value:
            assert float(parse(value, ())()) == pytest.approx(float(e()), rel=1e-9)


FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@SOME
@given(FLOATS)
def test_a_formatted_number_reads_back_as_the_number_shown(v):
    for shown, digits in ((format_number(v), 10), (number_for_screen(v), 10), (fmt.num(v), 4), (fmt.num(v, 10), 10)):
        assert "e" not in shown
        read = float(parse(shown, ())())
        assert read == pytest.approx(v, rel=0.51 * 10 ** (1 - digits), abs=1e-300), shown


# --------------------------------------------------------------- fuzz: a clean refusal or a value

_ALPHABET = st.sampled_from(list("xy0123456789.,+-*/^()[]| ²³⁻¹√·×÷−π（）［］，３ｘ＋") + ["sin", "ln", "e", " "])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_every_new_path_gives_a_value_or_a_clean_refusal(typed):
    try:
        e = parse(typed, XY)
    except ExprError as err:
        assert err.message and "\n" not in err.message
        assert err.column is None or 1 <= err.column <= len(typed) + 1
        return
    with np.errstate(all="ignore"):
        e(0.5, 0.25)
    assert read_back(typed, XY).text
