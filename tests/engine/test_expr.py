"""The safe expression language: reading, refusing, evaluating, differentiating, printing."""

import math
import pickle
import warnings

import numpy as np
import pytest

from gdtui.engine.expr import Expr, ExprError, format_number, parse

XY = ("x", "y")


# --------------------------------------------------------------------------- reading and evaluating

@pytest.mark.parametrize("text, variables, args, expected", [
    ("x**2 + 1", ("x",), (3.0,), 10.0),
    ("x^2", ("x",), (3.0,), 9.0),
    ("2^3^2", (), (), 512.0),                      # ^ is right-associative like **
    ("-2^2", (), (), -4.0),                        # and binds tighter than unary minus
    ("1 + 2^3", (), (), 9.0),                      # and tighter than + (Python's ^ would not)
    ("x^-1", ("x",), (4.0,), 0.25),
    ("2x", ("x",), (3.0,), 6.0),                   # implicit multiplication
    ("3(x+1)", ("x",), (1.0,), 6.0),
    ("2pi", (), (), 2 * math.pi),
    ("2x^2 + 3x + 1", ("x",), (2.0,), 15.0),
    ("1.5e2x", ("x",), (2.0,), 300.0),
    ("2sin(x)", ("x",), (0.5,), 2 * math.sin(0.5)),
    ("pi", (), (), math.pi),
    ("e", (), (), math.e),
    ("e**x", ("x",), (2.0,), math.exp(2.0)),
    ("7/2", (), (), 3.5),                          # true division, ints become floats
    ("2**-1", (), (), 0.5),
    ("x*y - y", XY, (3.0, 2.0), 4.0),
    ("sin(x) + cos(x) + tan(x)", ("x",), (0.3,), math.sin(0.3) + math.cos(0.3) + math.tan(0.3)),
    ("exp(x) + log(x) + sqrt(x)", ("x",), (2.0,), math.exp(2) + math.log(2) + math.sqrt(2)),
    ("abs(x) + tanh(x)", ("x",), (-0.5,), 0.5 + math.tanh(-0.5)),
    ("sigmoid(x)", ("x",), (0.0,), 0.5),
    ("sigmoid(x)", ("x",), (-1000.0,), 0.0),
    ("min(x, y) + max(x, y)", XY, (1.0, 5.0), 6.0),
    ("+x", ("x",), (3.0,), 3.0),
    ("--x", ("x",), (3.0,), 3.0),
    ("0x10 + 1_000", (), (), 1016.0),
    ("  x  ", ("x",), (2.0,), 2.0),
    ("x\n+ 1", ("x",), (2.0,), 3.0),               # line breaks are spaces
    ("3 − x·2 × π", ("x",), (1.0,), 3 - 2 * math.pi),  # screen characters read back
    ("2π", (), (), 2 * math.pi),
])
def test_parse_and_evaluate(text, variables, args, expected):
    assert float(parse(text, variables)(*args)) == pytest.approx(expected, rel=1e-12)


def test_implicit_product_binds_like_an_explicit_star():
    # 1/2x reads as (1/2)*x, as Python would read 1/2*x; the echo shows which reading was taken
    e = parse("1/2x")
    assert str(e) == "0.5*x" and float(e(3.0)) == 1.5
    assert str(parse("2x^2")) == "2*x**2"  # ^ binds tighter, as in maths


@pytest.mark.parametrize("text", ["[6, 8]", "(6, 8)", "6, 8", "[6, 8,]", "6, 8,"])
def test_three_ways_to_write_a_vector(text):
    e = parse(text, ())
    assert e.is_vector
    assert str(e) == "[6, 8]"
    assert e.unicode() == "(6, 8)"
    assert e().tolist() == [6.0, 8.0]
    assert [str(c) for c in e.components] == ["6", "8"]


def test_vector_of_expressions_and_its_shape():
    e = parse("[2x, 2y, x*y]", XY)
    out = e(np.zeros((4, 5)), np.ones((4, 5)))
    assert out.shape == (3, 4, 5)
    assert e.components[1].is_vector is False
    assert parse("x", XY).components == (parse("x", XY),)


def test_named_and_positional_arguments():
    e = parse("x - y", XY)
    assert float(e(5, 2)) == 3.0
    assert float(e(y=2, x=5)) == 3.0
    assert float(e(5, y=2)) == 3.0


@pytest.mark.parametrize("call, message", [
    (lambda e: e(1.0), "missing a value for y"),
    (lambda e: e(), "missing a value for x, y"),
    (lambda e: e(1, 2, 3), "expected 2 values (x, y), got 3"),
    (lambda e: e(1, x=2, y=3), "two values given for x"),
    (lambda e: e(1, z=3), "unknown variable 'z'"),
    (lambda e: e("a", 1), "not an array of real numbers"),
    (lambda e: e([1, 2j], 1), "not an array of real numbers"),
    (lambda e: e([[1, 2], [3]], 1), "not an array of numbers"),
    (lambda e: e(np.ones(3), np.ones(4)), "do not broadcast"),
])
def test_calling_wrongly_raises_expr_error(call, message):
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(parse("x + y", XY))


@pytest.mark.parametrize("text, variables, args, shape", [
    ("x**2", ("x",), (np.arange(5.0),), (5,)),
    ("3", ("x",), (np.ones((2, 3)),), (2, 3)),               # a constant fills the input's shape
    ("x", XY, (np.ones((3, 1)), np.ones((1, 4))), (3, 4)),   # y unused, still broadcast
    ("x*y", XY, (np.ones((3, 1)), np.ones((1, 4))), (3, 4)),
    ("x + 1", ("x",), (2.0,), ()),                           # 0-d for plain numbers
    ("[x, 1]", ("x",), (np.ones((2, 2)),), (2, 2, 2)),
    ("[1, 2, 3]", ("x",), (np.ones(7),), (3, 7)),
])
def test_broadcasting_shapes(text, variables, args, shape):
    out = parse(text, variables)(*args)
    assert isinstance(out, np.ndarray)
    assert out.shape == shape
    assert out.dtype == np.float64


def test_result_never_aliases_the_input():
    x = np.arange(3.0)
    out = parse("x")(x)
    out[0] = 99
    assert x[0] == 0
    assert parse("x")(np.arange(3)).dtype == np.float64  # ints become floats


def test_overflow_gives_inf_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(parse("9**9**9**9", ())()) == math.inf
        assert float(parse("exp(x)")(1000.0)) == math.inf
        assert math.isnan(float(parse("x/x")(0.0) if False else parse("log(x)")(-1.0)))
        assert float(parse("1/x")(0.0)) == math.inf
        assert math.isnan(float(parse("0*x/x", ("x",)).diff("x")(0.0) + parse("sqrt(x)")(-1.0)))
        out = parse("x**x**x")(np.array([1e10, 2.0, -3.0]))
        assert out[0] == math.inf and out[1] == 16.0


def test_nine_to_the_nine_to_the_nine_to_the_nine_is_inf():
    e = parse("9**9**9**9", ())
    assert float(e()) == math.inf
    assert str(e) == "9**9**387420489"
    assert float(parse("x**9**9**9")(np.float64(9))) == math.inf


# --------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("text, variables, column, message", [
    ("z + 1", XY, 1, "unknown name 'z'; the variables are x, y"),
    ("x + z", ("x",), 5, "unknown name 'z'; the variable is x"),
    ("q", (), 1, "unknown name 'q'; this expression has no variables"),
    ("os.system('ls')", ("x",), 1, "calls like `os.system` are not allowed"),
    ("x.real", ("x",), 1, "attributes like `x.real` are not allowed"),
    ("1 + __import__('os').system('x')", ("x",), 5, "calls like `__import__('os').system` are not allowed"),
    ("open('f', 'w')", ("x",), 1, "unknown function 'open'"),
    ("sin", ("x",), 1, "sin is a function; write sin(...)"),
    ("x[0]", ("x",), 1, "indexing like `x[0]` is not allowed"),
    ("lambda: 1", ("x",), 1, "lambda is not allowed"),
    ("[i for i in x]", ("x",), 1, "comprehensions are not allowed"),
    ("sum(i for i in x)", ("x",), 1, "unknown function 'sum'"),
    ("sin(i for i in x)", ("x",), 4, "comprehensions are not allowed"),
    ("1 + 'abc'", ("x",), 5, "text in quotes is not allowed"),
    ("f'{x}'", ("x",), 1, "text in quotes is not allowed"),
    ("sin(x=1)", ("x",), 5, "keyword arguments like `x=1` are not allowed"),
    ("x < 1", ("x",), 1, "comparisons like `x < 1` are not allowed"),
    ("x and 1", ("x",), 1, "and/or are not allowed"),
    ("not x", ("x",), 1, "not is not allowed"),
    ("x if x else 1", ("x",), 1, "if/else is not allowed"),
    ("(y := 1)", ("x",), 2, "assignments with := are not allowed"),
    ("sin(*x)", ("x",), 5, "* unpacking is not allowed"),
    ("{1: 2}", ("x",), 1, "sets and dictionaries are not allowed"),
    ("x // 2", ("x",), 3, "the operator // is not allowed"),
    ("x % 2", ("x",), 3, "the operator % is not allowed"),
    ("(x) @ (x)", ("x",), 5, "the operator @ is not allowed"),
    ("~x", ("x",), 1, "the operator ~ is not allowed"),
    ("True", ("x",), 1, "True is not allowed"),
    ("2j", ("x",), 1, "complex numbers are not allowed"),
    ("1e999", ("x",), 1, "the number `1e999` is too large"),
    ("sin(x, x)", ("x",), 1, "sin takes 1 argument, got 2"),
    ("max(x)", ("x",), 1, "max takes 2 arguments, got 1"),
    ("[[1, 2], 3]", ("x",), 2, "vectors cannot be nested"),
    ("sin((1, 2))", ("x",), 5, "a vector must be the whole expression"),
    ("[]", ("x",), 1, "an empty vector has no entries"),
    ("", ("x",), 1, "the expression is empty"),
    ("   ", ("x",), 1, "the expression is empty"),
    ("x +* 2", ("x",), 4, "cannot read the expression here"),
    ("x +", ("x",), 4, "cannot read the expression here"),
    ("x ^ 2 ^", ("x",), 8, "cannot read the expression here"),
    ("2 3", ("x",), 3, "two numbers side by side; put an operator between them, or a comma between two values"),
    ("sin(x", ("x",), 4, "this bracket is never closed"),
    ("x)", ("x",), 2, "this closing bracket has no opening one"),
    ("é + ⊕", ("x",), 5, "the character '⊕' is not part of the language"),
    ("x^^2 + (", ("x",), 3, "cannot read the expression here"),   # column maps back through ^ -> **
    ("2x + 3y +* 1", XY, 10, "cannot read the expression here"),  # and through inserted *
    ("x # comment", ("x",), 3, "unexpected character '#'"),
    ("x\x00", ("x",), 2, "unexpected character U+0000"),
    ("x" * 1001, ("x",), 1001, "the expression is too long (1001 characters; the limit is 1000)"),
    ("+".join(["x"] * 250), ("x",), 401, "the expression is too big (more than 400 parts)"),
    ("-" * 70 + "x", ("x",), 61, "the expression is nested too deeply (more than 60 levels)"),
    ("(" * 300 + "x" + ")" * 300, ("x",), None, "nested too deeply"),  # Python's own limit
    ("sin(" * 70 + "x" + ")" * 70, ("x",), 241, "nested too deeply"),
])
def test_refusals_have_a_column_and_plain_words(text, variables, column, message):
    with pytest.raises(ExprError) as info:
        parse(text, variables)
    err = info.value
    if column is not None:
        assert err.column == column
        assert str(err) == f"column {column}: {err.message}"
    assert message in err.message


def test_redundant_parentheses_add_no_depth():
    assert parse("(" * 90 + "x" + ")" * 90) == parse("x")


def test_expr_error_is_a_value_error_with_message_and_column():
    err = ExprError("unknown name 'z'; the variables are x, y", 4)
    assert isinstance(err, ValueError)
    assert str(err) == "column 4: unknown name 'z'; the variables are x, y"
    assert str(ExprError("plain")) == "plain" and ExprError("plain").column is None
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.column) == (err.message, err.column)


@pytest.mark.parametrize("variables, functions, message", [
    (("x", "x"), None, "already taken"),
    (("pi",), None, "already taken"),
    (("sin",), None, "already taken"),
    (("2x",), None, "cannot be used as a name"),
    (("lambda",), None, "cannot be used as a name"),
    ((3,), None, "cannot be used as a name"),
    (("x",), {"x": np.sin}, "already taken"),
    (("x",), {"f": 3}, "not callable"),
    (5, None, "variables must be a sequence"),
    (("x",), 5, "functions must map names to functions"),
])
def test_bad_variables_or_functions_raise_expr_error(variables, functions, message):
    with pytest.raises(ExprError, match=message):
        parse("1", variables, functions=functions)


def test_non_text_raises_expr_error():
    with pytest.raises(ExprError, match="expected text"):
        parse(None)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- extra functions

def test_extra_functions_evaluate_with_arity_from_the_signature():
    def clip(v, lo, hi=1.0):
        return np.clip(v, lo, hi)

    e = parse("clip(x, 0) + hypot(x, 4) + twice(x)", functions={"clip": clip, "hypot": np.hypot,
                                                                 "twice": lambda v: 2 * v})
    assert float(e(3.0)) == pytest.approx(1.0 + 5.0 + 6.0)
    assert e(np.arange(3.0)).shape == (3,)
    with pytest.raises(ExprError, match="clip takes 2 to 3 arguments, got 1"):
        parse("clip(x)", functions={"clip": clip})
    with pytest.raises(ExprError, match="hypot takes 2 arguments, got 3"):
        parse("hypot(x, x, x)", functions={"hypot": np.hypot})
    with pytest.raises(ExprError, match="twice is a function"):
        parse("twice + 1", functions={"twice": lambda v: v})


def test_extra_functions_cannot_be_differentiated():
    e = parse("x**2 + f(x)", functions={"f": np.sin})
    with pytest.raises(ExprError) as info:
        e.diff("x")
    assert info.value.message == "cannot differentiate f(...)"
    assert str(parse("x**2 + f(1)", functions={"f": np.sin}).diff("x")) == "2*x"  # constant part is fine


def test_a_failing_extra_function_raises_expr_error():
    def broken(v):
        raise RuntimeError("boom")

    with pytest.raises(ExprError, match=r"broken\(\.\.\.\) failed: boom"):
        parse("broken(x)", functions={"broken": broken})(1.0)


# ----------------------------------------------------------------------------------- derivatives

def _d_sigmoid(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


@pytest.mark.parametrize("text, derivative", [
    ("x**2", lambda x: 2 * x),
    ("x**2 + 2*x + 1", lambda x: 2 * x + 2),
    ("x**3", lambda x: 3 * x**2),
    ("x**0.5", lambda x: 0.5 / np.sqrt(x)),
    ("1/x", lambda x: -1 / x**2),
    ("x/(1 + x)", lambda x: 1 / (1 + x) ** 2),
    ("x*sin(x)", lambda x: np.sin(x) + x * np.cos(x)),
    ("sin(x)**2", lambda x: 2 * np.sin(x) * np.cos(x)),
    ("sin(x)", np.cos),
    ("cos(x)", lambda x: -np.sin(x)),
    ("tan(x)", lambda x: 1 / np.cos(x) ** 2),
    ("exp(x)", np.exp),
    ("exp(x**2)", lambda x: 2 * x * np.exp(x**2)),
    ("log(x)", lambda x: 1 / x),
    ("log(x**2 + 1)", lambda x: 2 * x / (x**2 + 1)),
    ("sqrt(x)", lambda x: 0.5 / np.sqrt(x)),
    ("abs(x)", np.sign),
    ("abs(x - 1)", lambda x: np.sign(x - 1)),
    ("tanh(x)", lambda x: 1 - np.tanh(x) ** 2),
    ("sigmoid(x)", _d_sigmoid),
    ("sigmoid(2*x)", lambda x: 2 * _d_sigmoid(2 * x)),
    ("2**x", lambda x: 2**x * np.log(2)),
    ("e**x", np.exp),
    ("x**x", lambda x: x**x * (np.log(x) + 1)),
    ("x**sin(x)", lambda x: x ** np.sin(x) * (np.cos(x) * np.log(x) + np.sin(x) / x)),
    ("max(x, 0)", lambda x: (x > 0).astype(float)),
    ("min(x, 1 - x)", lambda x: np.where(x < 0.5, 1.0, -1.0)),
    ("max(x**2, 2)", lambda x: np.where(x**2 > 2, 2 * x, 0.0)),
    ("pi*x + e", lambda x: np.full_like(x, np.pi)),
    ("5", lambda x: np.zeros_like(x)),
])
def test_derivative_matches_the_analytic_result(text, derivative):
    x = np.array([0.3, 0.7, 1.3, 2.2, 3.1])  # avoids every kink and the x = y of min/max
    np.testing.assert_allclose(parse(text).diff("x")(x), derivative(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("text, var, expected", [
    ("x**2", "x", "2*x"),
    ("x**2 + 2*x + 1", "x", "2*x + 2"),
    ("x**3", "x", "3*x**2"),
    ("sin(x)**2", "x", "2*sin(x)*cos(x)"),
    ("3*x**2", "x", "6*x"),
    ("x**3/3", "x", "x**2"),
    ("x*x", "x", "2*x"),
    ("2*3*x", "x", "6"),
    ("x*sin(x)", "x", "sin(x) + x*cos(x)"),
    ("1/x", "x", "-1/x**2"),
    ("log(x)", "x", "1/x"),
    ("sqrt(x)", "x", "1/(2*sqrt(x))"),
    ("exp(2*x)", "x", "2*exp(2*x)"),
    ("e**x", "x", "e**x"),
    ("2**x", "x", "2**x*log(2)"),
    ("x**x", "x", "x**x*(log(x) + 1)"),
    ("abs(x)", "x", "x/abs(x)"),
    ("tanh(x)", "x", "1 - tanh(x)**2"),
    ("sigmoid(x)", "x", "sigmoid(x)*(1 - sigmoid(x))"),
    ("tan(x)", "x", "1/cos(x)**2"),
    ("max(x, 0)", "x", "(1 + x/abs(x))/2"),
    ("x - x", "x", "0"),
    ("(1-x)**2 + 100*(y-x**2)**2", "x", "-2*(1 - x) - 400*x*(y - x**2)"),
    ("(1-x)**2 + 100*(y-x**2)**2", "y", "200*(y - x**2)"),
    ("x**2*y", "y", "x**2"),
    ("x*y", "x", "y"),
    ("[x**2, x*y]", "x", "[2*x, y]"),
])
def test_derivatives_read_simply(text, var, expected):
    assert str(parse(text, XY).diff(var)) == expected


def test_gradient_and_names():
    e = parse("x**2 + 3*y", XY)
    assert [str(g) for g in e.gradient()] == ["2*x", "3"]
    assert e.names() == {"x", "y"}
    assert parse("x**2", XY).names() == {"x"}
    assert parse("pi", XY).names() == frozenset()
    with pytest.raises(ExprError, match="cannot differentiate by 'z'"):
        e.diff("z")


def test_repeated_derivatives_stay_exact_and_bounded():
    e = parse("sigmoid(x)")
    for _ in range(6):
        e = e.diff("x")
    assert np.isfinite(e(np.linspace(-3, 3, 7))).all()
    f = parse("sin(x)")
    for _ in range(8):
        f = f.diff("x")
    assert str(f) == "sin(x)"


# ------------------------------------------------------------------------------------ printing

@pytest.mark.parametrize("text, expected", [
    ("x^2+2x+1", "x**2 + 2*x + 1"),
    ("x + 0", "x"), ("0 + x", "x"), ("x - 0", "x"), ("0 - x", "-x"), ("x*1", "x"), ("1*x", "x"),
    ("x*0", "0"), ("x/1", "x"), ("0/x", "0"), ("x**1", "x"), ("x**0", "1"), ("1**x", "1"),
    ("-(-x)", "x"), ("x - x", "0"), ("x/x", "1"),
    ("2*3*x", "6*x"), ("x*2*3", "6*x"), ("2*(3*x)", "6*x"), ("x*2", "2*x"), ("2*x*3*y", "6*x*y"),
    ("x + 1 + 2", "x + 3"), ("x - 1 - 2", "x - 3"), ("2*x + 3*x", "5*x"), ("x + x", "2*x"),
    ("x*x", "x**2"), ("x**2*x", "x**3"), ("x**3/x", "x**2"), ("x/x**3", "1/x**2"),
    ("x + -y", "x - y"), ("x - -y", "x + y"), ("x + -2*y", "x - 2*y"), ("-x + y", "y - x"),
    ("-(x - y)", "y - x"), ("x*-y", "-x*y"), ("(6*x)/2", "3*x"), ("x*(y/2)", "x*y/2"),
    ("sin(x)*x", "x*sin(x)"), ("(x+1)*(x+1)", "(x + 1)**2"), ("(x**2)**3", "x**6"),
    ("1/3", "1/3"), ("0.1 + 0.2", "0.1 + 0.2"), ("2**0.5", "2**0.5"), ("2**10", "1024"),
    ("sqrt(4) + exp(0) + log(1) + cos(0)", "4"), ("log(e)", "1"), ("abs(-x)", "abs(x)"),
    ("2.0*x", "2*x"), ("0.1*x", "0.1*x"), ("1e-10*x", "1e-10*x"), ("1e20*x", "1e20*x"),
    ("x + (y + 1)", "x + y + 1"), ("x + (y - 1)", "x + y - 1"), ("x - (y - 1)", "x - (y - 1)"),
    ("x - (y + 1)", "x - (y + 1)"), ("x/(y*2)", "x/(2*y)"),
    ("(-x)**2", "(-x)**2"), ("-x**2", "-x**2"), ("(x**y)**2", "(x**y)**2"), ("x**y**2", "x**y**2"),
    ("x**-1", "x**-1"), ("(-2)**x", "(-2)**x"), ("2^-x", "2**-x"),
    ("sin(cos(x))", "sin(cos(x))"), ("min(x, y) + max(2, x)", "min(x, y) + max(2, x)"),
])
def test_str_simplifies_and_uses_minimal_parentheses(text, expected):
    assert str(parse(text, XY)) == expected


@pytest.mark.parametrize("text", [
    "x**2 + 2*x + 1", "(1 - x)**2 + 100*(y - x**2)**2", "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "x - (y - x**3)", "x/(y/x + 1)", "-x**2/3 - y", "2**-x**2", "(-x)**y", "-(x + y)*3", "x*(y - 1)*2",
    "1/3*x + 0.1 + 0.2", "sin(x)**2 + cos(y)**2", "exp(-x**2 - y**2)", "sigmoid(x*y)/tanh(y)",
    "max(x, y)/min(x, y)", "x**x**y", "(x**x)**y", "sqrt(abs(x - y))", "[x, y, x*y]", "log(x)*e**pi",
    "1e-300*x*1e-300", "123456789.123*x", "x - 1e22", "-x - y - 1",
    "pi**(x*-y)", "x/-(x*y)", "x**-(x/y)", "-(1 - x)/2*y",  # a negated product binds like a product
])
def test_str_reads_back_to_the_same_values(text):
    e = parse(text, XY)
    again = parse(str(e), XY)
    assert again == e  # the very same tree
    x, y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-1.5, 2.5, 9))
    np.testing.assert_array_equal(again(x, y), e(x, y))


@pytest.mark.parametrize("text, expected", [
    ("x**2 + 2*x + 1", "x² + 2·x + 1"),
    ("3*sin(x)", "3·sin(x)"),
    ("x**3 - x**-1", "x³ − x⁻¹"),
    ("x**12", "x¹²"),
    ("x**0.5", "x^0.5"),
    ("x**y", "x^y"),
    ("x**(y + 1)", "x^(y + 1)"),
    ("(x + 1)**2", "(x + 1)²"),
    ("-x", "−x"),
    ("x - y", "x − y"),
    ("2*pi*x", "2·π·x"),
    ("sqrt(x)", "√(x)"),
    ("sqrt(x**2 + y**2)", "√(x² + y²)"),
    ("abs(x - y)", "|x − y|"),
    ("exp(x)", "e^x"),
    ("exp(-x**2)", "e^(−x²)"),
    ("exp(x)**2", "(e^x)²"),
    ("e**x", "e^x"),
    ("1/3 + 0.1", "1/3 + 0.1"),
    ("0.30000000000000004*x", "0.3·x"),
    ("-2*x", "−2·x"),
    ("1e-10*x", "1×10⁻¹⁰·x"),
    ("[x, y]", "(x, y)"),
    ("x*y/2", "x·y/2"),
])
def test_unicode_for_screens(text, expected):
    assert parse(text, XY).unicode() == expected


@pytest.mark.parametrize("value, expected", [
    (0.1 + 0.2, "0.3"), (1e-10, "1×10⁻¹⁰"), (2.0, "2"), (-0.0, "0"), (0.0, "0"), (1234567.0, "1234567"),
    (3.14159265, "3.14159265"), (math.pi, "3.141592654"), (-2.5, "-2.5"), (1e16, "1×10¹⁶"),
    (2.5e-7, "2.5×10⁻⁷"), (0.0001, "0.0001"), (123456789012.0, "123456789012"), (1e12, "1×10¹²"),
    (np.float64(3.8), "3.8"), (2.84, "2.84"), (7, "7"), (math.inf, "inf"), (-math.inf, "-inf"),
    (math.nan, "nan"), (-6.11110793e-10, "-6.11110793×10⁻¹⁰"), (2.0**-20, "9.536743164×10⁻⁷"),
])
def test_format_number(value, expected):
    assert format_number(value) == expected


# --------------------------------------------------------------------------------- the object

def test_expr_is_immutable_and_hashable():
    e = parse("x**2 + 1")
    with pytest.raises(AttributeError):
        e.variables = ("y",)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        e._roots = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        Expr()
    assert parse("x^2 + 1") == e and hash(parse("x^2 + 1")) == hash(e)
    assert parse("x**2 + 1", XY) != e  # other variables, other expression
    assert len({e, parse("1 + x**2"), parse("x*x + 1")}) == 2
    assert pickle.loads(pickle.dumps(e)) == e
    assert repr(e) == "parse('x**2 + 1', variables=('x',))"


def test_node_count():
    assert parse("x").node_count == 1
    assert parse("x**2 + 1").node_count == 5
    assert parse("[x, 1]").node_count == 2


def test_deep_derivative_chains_raise_only_expr_error():
    e = parse("x" + "**x" * 30)
    try:
        for _ in range(4):
            e = e.diff("x")
            str(e), e.unicode(), e(1.1)
    except ExprError:
        pass


def test_point_function_agrees_with_calling_the_expression():
    from gdtui.engine.expr import ExprError, parse

    rosen = parse("(1-x)**2 + 100*(y-x**2)**2", ("x", "y"))
    at = rosen.point_function()
    for point in [(0.3, 0.4), (-1.5, 2.0), (1.0, 1.0)]:
        assert at(*point).tolist() == [float(rosen(*point))]
    assert parse("[x*y, x + y]", ("x", "y")).point_function()(2.0, 3.0).tolist() == [6.0, 5.0]
    assert parse("x**9**9", ("x",)).point_function()(10.0).tolist() == [float("inf")]
    try:
        at(1.0)
    except ExprError as exc:
        assert "expected 2 values" in str(exc)
    else:
        raise AssertionError("a wrong number of values must be an ExprError")


def test_escapes_are_refused_without_printing_a_warning(recwarn):
    import pytest

    from gdtui.engine.expr import ExprError, parse

    for text in ['"\\d"', "\\i", "x\\"]:
        with pytest.raises(ExprError):
            parse(text)
    assert not [w for w in recwarn if issubclass(w.category, (DeprecationWarning, SyntaxWarning))]


# ----------------------------------------------------------------------------- float_function

def test_float_function_gives_floats_bitwise_equal_to_numpy():
    e = parse("(1-x)**2 + 100*(y-x**2)**2", ("x", "y"))
    grad = parse(f"[{e.diff('x')}, {e.diff('y')}]", ("x", "y"))
    got = grad.float_function()(-1.2, 1.0)
    assert got == tuple(grad.point_function()(-1.2, 1.0).tolist())
    assert got == (-215.6, 200 * (1.0 - (-1.2) * (-1.2)))  # ∂f/∂y = 200·(y − x²) in IEEE doubles


def test_float_function_uses_numpys_transcendental_functions():
    # numpy's exp differs from the C library's in the last bit for some inputs; the float form follows numpy
    e = parse("exp(x) + x**2.7 + tanh(x)", ("x",))
    xs = np.linspace(0.01, 40, 2001)
    on_floats = e.float_function()
    assert [on_floats(float(v))[0] for v in xs] == e(xs).tolist()


@pytest.mark.parametrize("text, x", [("1/x", 0.0), ("sqrt(x)", -1.0), ("x**0.5", -4.0)])
def test_float_function_refuses_where_numpy_gives_inf_or_nan(text, x):
    with pytest.raises((ArithmeticError, ValueError)):
        parse(text).float_function()(x)
    with np.errstate(all="ignore"):
        assert not np.isfinite(parse(text)(x))


def test_float_function_keeps_numpys_quiet_overflow():
    # x·x overflows to inf in Python as in numpy: no error, the same inf
    assert parse("x**2 * 10").float_function()(1e300) == (math.inf,)


def test_float_function_checks_the_number_of_values():
    with pytest.raises(ExprError, match="expected 2 values"):
        parse("x + y", ("x", "y")).float_function()(1.0)


def test_no_float_function_for_caller_supplied_helpers():
    e = parse("f(x) + 1", functions={"f": lambda v: np.asarray(v) * 2})
    assert e.float_function() is None
    assert float(e(2.0)) == 5.0


def test_float_function_of_a_constant_expression():
    assert parse("2 * pi", ("x",)).float_function()(3.0) == (2 * math.pi,)


def test_float_function_refuses_an_inf_on_the_way_even_when_the_end_is_finite():
    # 0**(1/0): numpy goes through inf to 0; Python stops at 1/0, and the caller asks numpy
    e = parse("x**(x**-1)")
    with np.errstate(all="ignore"):
        assert float(e(0.0)) == 0.0
    with pytest.raises(ZeroDivisionError):
        e.float_function()(0.0)
