"""The precision rule: typed inputs per answer type → verdict, and the figures counted from what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.course.grading import CLOSE, ROUND, Grader, precision_text
from gdtui.course.parse import parse_lesson
from gdtui.course.precision import judge, normal, read_decimal, split_components
from gdtui.course.session import ExerciseSession


def exercise(body: str):
    text = "---\nid: t\ntitle: T\n---\n```exercise\nid: e\nprompt: P\n" + body + "\n```\n"
    lesson, errors = parse_lesson(Path("t.md"), text)
    assert errors == [], errors
    return lesson.exercises[0]


def grade(body: str, typed: str):
    return Grader(exercise(body), {}).grade(typed)


# ---------------------------------------------------------------- significant figures, as typed
@pytest.mark.parametrize("typed, figures, unit", [
    ("1.67", 3, 0.01),
    ("0.00120", 3, 1e-5),  # leading zeros never count; the trailing one after the point does
    ("1.20e-3", 3, 1e-5),
    ("1.20E-3", 3, 1e-5),
    ("1.20×10⁻³", 3, 1e-5),  # the tutor's own scientific form, typed back
    ("1.20*10^-3", 3, 1e-5),
    ("1.20*10**(-3)", 3, 1e-5),
    ("120", 2, 10),  # a whole number's trailing zeros are place holders …
    ("120.", 3, 1),  # … unless a point says they were measured
    ("123", 3, 1),
    ("-0.667", 3, 1e-3),
    ("−0.667", 3, 1e-3),  # the tutor's minus sign
    ("１.６７", 3, 0.01),  # full-width digits, as a Chinese or Japanese keyboard gives them
    (".5", 1, 0.1),
    ("(-0.667)", 3, 1e-3),  # in brackets, as a test template writes a negative number
    ("0", 0, 1),  # zero has no significant figures
    ("0.000", 0, 1e-3),
    ("7", 1, 1),
])
def test_figures_and_unit_are_counted_from_the_text(typed, figures, unit):
    decimal = read_decimal(normal(typed))
    assert decimal is not None
    assert decimal.figures == figures
    assert decimal.unit == pytest.approx(unit)


@pytest.mark.parametrize("typed", ["5/3", "sqrt(13)*2", "2pi", "((1.67))", "1.67+0", "1e", ".", "", "x", "1.2.3"])
def test_exact_forms_are_not_plain_decimals(typed):
    assert read_decimal(normal(typed)) is None


# ---------------------------------------------------------------- numbers
FIVE_THIRDS = "answer: {type: number, value: 5/3}"


@pytest.mark.parametrize("body, typed, kind", [
    (FIVE_THIRDS, "5/3", "correct"),  # exact form, tight tolerance
    (FIVE_THIRDS, "1.67", "correct"),  # 3 figures, rounded
    (FIVE_THIRDS, "1.667", "correct"),
    (FIVE_THIRDS, "1.6667", "correct"),
    (FIVE_THIRDS, "1.7", "close"),  # right, but only 2 figures
    (FIVE_THIRDS, "2.", "close"),
    (FIVE_THIRDS, "1.66", "incorrect"),  # cut off instead of rounded
    (FIVE_THIRDS, "1.666", "incorrect"),
    (FIVE_THIRDS, "1.68", "incorrect"),
    (FIVE_THIRDS, "1.6", "incorrect"),  # cut off at 2 figures is not "close"
    (FIVE_THIRDS, "2", "incorrect"),  # a short whole number is meant exactly
    (FIVE_THIRDS, "1.67*1", "incorrect"),  # not a plain decimal: the tight tolerance
    ("answer: {type: number, value: 1/7}", "0.1429", "correct"),
    ("answer: {type: number, value: 1/7}", "0.143", "correct"),
    ("answer: {type: number, value: 1/7}", "0.14", "close"),
    ("answer: {type: number, value: 2*sqrt(13)}", "7.21", "correct"),
    ("answer: {type: number, value: 2*sqrt(13)}", "sqrt(13)*2", "correct"),
    ("answer: {type: number, value: 2*sqrt(13)}", "7.2", "close"),
    ("answer: {type: number, value: 2.048}", "2.05", "correct"),
    ("answer: {type: number, value: 2.048}", "2.04", "incorrect"),
    ("answer: {type: number, value: -2/3}", "-0.667", "correct"),
    ("answer: {type: number, value: -2/3}", "−0.667", "correct"),
    ("answer: {type: number, value: -2/3}", "-0.666", "incorrect"),
    ("answer: {type: number, value: -2/3}", "-0.67", "close"),  # 2 figures
    ("answer: {type: number, value: -2/3}", "-0.7", "close"),
    ("answer: {type: number, value: 123.4}", "123", "correct"),
    ("answer: {type: number, value: 123.4}", "120", "incorrect"),  # 2 figures, a whole number
    ("answer: {type: number, value: 123.4}", "1.2e2", "close"),  # an exponent shows it was rounded
    ("answer: {type: number, value: 0.0012049}", "0.00120", "correct"),
    ("answer: {type: number, value: 0.0012049}", "1.20e-3", "correct"),
    ("answer: {type: number, value: 0.0012049}", "0.0012", "close"),
    ("answer: {type: number, value: 6}", "6", "correct"),  # exact whole numbers stay right
    ("answer: {type: number, value: 1563}", "1560", "incorrect"),  # a count wants every digit …
    ("answer: {type: number, value: 1563}", "1562", "incorrect"),
    ("answer: {type: number, value: 1563}", "1.56e3", "correct"),  # … unless the learner shows the rounding
    ("answer: {type: number, value: 2.125}", "2.13", "correct"),  # a tie rounds either way
    ("answer: {type: number, value: 2.125}", "2.12", "correct"),
    ("answer: {type: number, value: 0.1 + 0.2}", "0.300", "correct"),
])
def test_number_table(body, typed, kind):
    assert grade(body, typed).kind == kind


@pytest.mark.parametrize("typed, kind", [
    ("1.667", "correct"),
    ("1.67", "close"),  # 3 figures are too few when the author asks for 4
    ("1.666", "incorrect"),
    ("5/3", "correct"),
])
def test_the_author_can_ask_for_more_digits(typed, kind):
    assert grade("answer: {type: number, value: 5/3, digits: 4}", typed).kind == kind


@pytest.mark.parametrize("body, typed, kind", [
    ("answer: {type: number, value: 5/3, atol: 0.01}", "1.67", "correct"),
    ("answer: {type: number, value: 5/3, atol: 0.01}", "1.7", "incorrect"),  # no "close" without digits
    ("answer: {type: number, value: 5/3, rtol: 1e-6}", "1.667", "incorrect"),  # a tighter tolerance holds
    ("answer: {type: number, value: 5/3, rtol: 1e-6}", "1.666667", "correct"),
    ("answer: {type: number, value: 5/3, rtol: 1e-6, digits: 3}", "1.67", "correct"),  # both: both apply
])
def test_an_authors_tolerance_alone_decides(body, typed, kind):
    assert grade(body, typed).kind == kind


def test_close_costs_no_attempt_and_says_how_many_figures():
    session = ExerciseSession(exercise(FIVE_THIRDS), "t", "ann")
    verdict = session.submit("1.7")
    assert (verdict.kind, verdict.counts, verdict.read_as) == ("close", False, "1.7")
    assert verdict.message == CLOSE.format(digits=3)
    assert "3 significant figures" in verdict.message
    assert (session.attempts, session.solved) == (0, False)
    assert session.submit("1.67").correct and session.solved


def test_truncated_is_wrong_with_a_hint_to_round():
    session = ExerciseSession(exercise(FIVE_THIRDS), "t", "ann")
    verdict = session.submit("1.666")
    assert (verdict.kind, verdict.message, session.attempts) == ("incorrect", ROUND, 1)
    assert grade(FIVE_THIRDS, "1.68").message == ""  # a plain wrong number gets no rounding advice


# ---------------------------------------------------------------- vectors: each component
VECTOR = "answer: {type: vector, value: [5/3, -2/3]}"


@pytest.mark.parametrize("typed, kind", [
    ("[5/3, -2/3]", "correct"),
    ("[1.67, -0.667]", "correct"),
    ("(1.667, −0.6667)", "correct"),
    ("1.67, -0.667", "correct"),
    ("[1.67, -2/3]", "correct"),  # one decimal, one exact form
    ("[1.7, -0.667]", "close"),
    ("[1.7, -0.7]", "close"),
    ("[1.66, -0.667]", "incorrect"),  # one component cut off
    ("[1.7, -0.666]", "incorrect"),
    ("[1.67, 0.667]", "incorrect"),
])
def test_vector_table(typed, kind):
    assert grade(VECTOR, typed).kind == kind


def test_components_are_split_at_the_top_level():
    assert split_components("[1.67, (2), -3]") == ["1.67", "(2)", "-3"]
    assert split_components("(6, 8)") == ["6", "8"]
    assert split_components("max(1, 2)") == ["max(1,2)"]


# ---------------------------------------------------------------- feedback rules use the same rule
def test_a_misconception_typed_rounded_gets_its_feedback():
    body = ("answer: {type: number, value: 5/3}\n"
            "feedback:\n  - {when: 2/3, say: 'That is one third short.'}")
    assert grade(body, "0.667").kind == "feedback"
    assert grade(body, "0.7").kind == "incorrect"  # too short to say which mistake it is
    assert grade(body, "1.7").kind == "close"


def test_a_misconception_typed_exactly_wins_over_close():
    body = ("answer: {type: number, value: 12}\n"
            "feedback:\n  - {when: 10, say: 'That forgot the offset.'}")
    assert grade(body, "1e1").kind == "feedback"


# ---------------------------------------------------------------- expressions and choices are untouched
@pytest.mark.parametrize("body, typed, kind", [
    ("answer: {type: expression, value: 2*x}", "2x", "correct"),
    ("answer: {type: expression, value: x/3}", "0.333*x", "incorrect"),  # expressions: tight tolerance
    ("answer:\n  type: choice\n  choices: [increases, decreases]\n  value: decreases", "Decr", "correct"),
    ("answer:\n  type: choice\n  choices: [increases, decreases]\n  value: decreases", "DECREASES", "correct"),
    ("answer:\n  type: choice\n  choices: [increases, decreases]\n  value: decreases", "b", "correct"),
    ("answer:\n  type: choice\n  choices: [increases, decreases]\n  value: decreases", "in", "incorrect"),
    ("answer:\n  type: choice\n  choices: [descent, decreases]\n  value: decreases", "de", "unreadable"),
])
def test_expression_and_choice_table(body, typed, kind):
    assert grade(body, typed).kind == kind


# ---------------------------------------------------------------- what the exercise box says
@pytest.mark.parametrize("body, text", [
    (FIVE_THIRDS, "exact, or 3 significant figures"),
    ("answer: {type: number, value: 5/3, digits: 4}", "exact, or 4 significant figures"),
    (VECTOR, "exact, or 3 significant figures in each number"),
    ("answer: {type: number, value: 1, atol: 0.01}", "within ±0.01"),
    ("answer: {type: number, value: 1, rtol: 0.001}", "within 0.1%"),
    ("answer: {type: expression, value: 2*x}", ""),
])
def test_the_precision_wanted_is_stated(body, text):
    assert precision_text(exercise(body).answer) == text


def test_digits_must_be_a_whole_number_of_figures():
    text = "---\nid: t\ntitle: T\n---\n```exercise\nid: e\nprompt: P\nanswer: {type: number, value: 1, digits: 0}\n```\n"
    _lesson, errors = parse_lesson(Path("t.md"), text)
    assert any("digits" in str(e) for e in errors)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,eE+-−×·*^()[]（）１２⁻³ x")), max_size=40))
def test_any_text_is_a_decimal_or_not_never_an_error(text):
    decimal = read_decimal(normal(text))
    assert decimal is None or (decimal.figures >= 0 and decimal.unit > 0)
    assert split_components(text)


def test_a_lesson_can_round_to_significant_figures():
    from gdtui.course.exprs import compile_value, evaluate

    def figures(v, n):
        return float(evaluate(compile_value(f"figures({v}, {n})", ()), {}))

    assert figures(5 / 3, 3) == 1.67 and figures(-2 / 3, 3) == -0.667 and figures(123.4, 2) == 120
    assert figures(0.0012049, 3) == 0.00120 and figures(0, 3) == 0


# ---------------------------------------------------------------- the rule itself, over many numbers
@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-6),
       st.integers(min_value=3, max_value=8))
def test_the_right_value_rounded_to_enough_figures_is_always_right(right, figures):
    typed = f"{right:.{figures}e}"  # scientific notation keeps every typed figure significant
    assert judge(typed, float(typed), right, digits=3, rtol=1e-4, atol=1e-9) == "correct"


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-6),
       st.integers(min_value=0, max_value=1))
def test_the_right_value_rounded_to_too_few_figures_is_close(right, decimals):
    typed = f"{right:.{decimals}e}"  # 1 or 2 figures
    if abs(float(typed) - right) <= 1e-4 * abs(right):
        return  # it happens to be right to the tight tolerance anyway
    assert judge(typed, float(typed), right, digits=3, rtol=1e-4, atol=1e-9) == "close"


# ---------------------------------------------------------------- authors' tests that expect "close"
@pytest.mark.parametrize("a, typed, met", [
    (5, "1.7", True),  # 5/3 to 2 figures: close
    (3, "1", True),  # 3/3 is 1 exactly: nothing was rounded away, so "close" is met by "correct"
    (5, "1.67", False),  # right, but not close: the test asked for too few figures and got enough
    (5, "1.6", False),
])
def test_a_close_test_is_met_by_close_or_by_an_exact_answer(a, typed, met):
    grader = Grader(exercise("params: {a: {choose: [3, 5]}}\nanswer: {type: number, value: a/3}"), {"a": float(a)})
    assert grader.meets(grader.grade(typed), "close") is met


def test_gdtui_check_understands_close_in_tests(tmp_path):
    import io

    from gdtui.check import run_check

    lesson = ("---\nid: t\ntitle: T\n---\n```exercise\nid: e\nprompt: P\nparams: {a: {choose: [3, 5, 7]}}\n"
              "answer: {type: number, value: a/3}\ntests:\n"
              '  - {input: "{figures(a/3, 2)}", expect: close}\n'
              '  - {input: "{figures(a/3, 3)}", expect: correct}\n'
              '  - {input: "{figures(a/3, 3)}", expect: close}\n```\n')
    (tmp_path / "t.md").write_text(lesson, encoding="utf-8")
    out = io.StringIO()
    assert run_check([tmp_path], out) == 1
    errors = [line for line in out.getvalue().splitlines() if ": error: " in line]
    assert len(errors) == 1 and "tests[3]" in errors[0] and "is correct" in errors[0], out.getvalue()
