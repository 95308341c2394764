"""Grading tables: numbers, vectors, expressions, choices, feedback rules, hints and templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdtui.course.grading import Grader, Verdict, pick_choice
from gdtui.course.parse import parse_lesson
from gdtui.course.session import ExerciseSession
from gdtui.course.templates import render


def exercise(body: str):
    text = "---\nid: t\ntitle: T\n---\n```exercise\nid: e\nprompt: P\n" + body + "\n```\n"
    lesson, errors = parse_lesson(Path("t.md"), text)
    assert errors == [], errors
    return lesson.exercises[0]


def grade(body: str, answer: str, **params) -> Verdict:
    return Grader(exercise(body), params).grade(answer)


NUMBER = "params: {a: {choose: [1]}}\nanswer: {type: number, value: 2*a}"


# ---------------------------------------------------------------- numbers
@pytest.mark.parametrize("given, kind", [
    ("2", "correct"),
    ("2.0001", "correct"),  # |Δ| = 1e-4 ≤ 1e-9 + 1e-4·2
    ("1.9998", "correct"),
    ("2.0003", "incorrect"),
    ("1.9997", "incorrect"),
    ("4/2", "correct"),
    ("sqrt(4)", "correct"),
    ("2e0", "correct"),
    ("3", "incorrect"),
])
def test_number_tolerance_edges(given, kind):
    assert grade(NUMBER, given, a=1.0).kind == kind


@pytest.mark.parametrize("given, kind", [
    ("0", "correct"),
    ("1e-10", "correct"),  # a zero target is matched within atol
    ("-5e-10", "correct"),
    ("1e-8", "incorrect"),
    ("sin(pi)", "correct"),  # 1.2e-16
])
def test_zero_target_uses_atol(given, kind):
    assert grade("answer: {type: number, value: 0}", given).kind == kind


def test_custom_tolerances():
    body = "answer: {type: number, value: pi, rtol: 0.01}"
    assert grade(body, "3.14").kind == "correct"
    assert grade(body, "3.1").kind == "incorrect"
    body = "answer: {type: number, value: 0, atol: 0.001}"
    assert grade(body, "0.0009").kind == "correct"


@pytest.mark.parametrize("given, message", [
    ("", "Type an answer first."),
    ("2*", "I could not read that: cannot read the expression here\n  2*\n    ^"),  # a caret under the spot
    ("x", "I could not read that: unknown name 'x'; this expression has no variables\n  x\n  ^"),
    ("import os", "I could not read that"),
    ("__import__('os')", "I could not read that"),
    ("6, 8", "I read that as (6, 8): 2 numbers, but the answer is one number."),
    ("1/0", "I read that as inf, which is not a finite number."),
    ("9**9**9**9", "which is not a finite number"),
])
def test_unreadable_numbers_cost_no_attempt(given, message):
    verdict = grade(NUMBER, given, a=1.0)
    assert verdict.kind == "unreadable" and not verdict.counts
    assert message in verdict.message


def test_read_as_says_how_the_input_was_read():
    assert grade(NUMBER, "2", a=1.0).read_as == "2"
    assert grade(NUMBER, "0.1+0.2", a=1.0).read_as == "0.1 + 0.2 = 0.3"
    assert grade(NUMBER, "sqrt(2)/2", a=1.0).read_as.endswith("= 0.7071067812")


# ---------------------------------------------------------------- vectors
VECTOR = "params: {a: {choose: [3]}, b: {choose: [4]}}\nanswer: {type: vector, value: [2*a, 2*b]}"


@pytest.mark.parametrize("given", ["[6, 8]", "(6, 8)", "6, 8", "[6.0001, 7.9999]", "(2*3, 2*4)", " [ 6 ,8 ] "])
def test_vector_forms_are_all_read(given):
    verdict = grade(VECTOR, given, a=3.0, b=4.0)
    assert verdict.kind == "correct", verdict
    assert verdict.read_as in ("(6, 8)", "(6.0001, 7.9999)", "(2·3, 2·4) = (6, 8)")  # as typed, then its value


@pytest.mark.parametrize("given, message", [
    ("(6, 8, 1)", "I read that as (6, 8, 1): 3 numbers, but the answer has 2."),
    ("6", "I read that as 6: 1 number, but the answer has 2."),
    ("[6, 8, 1, 1]", "4 numbers, but the answer has 2"),
])
def test_vector_of_wrong_length_is_a_format_problem(given, message):
    verdict = grade(VECTOR, given, a=3.0, b=4.0)
    assert (verdict.kind, verdict.message) == ("unreadable", message) or message in verdict.message
    assert verdict.kind == "unreadable"


def test_vector_element_wise():
    assert grade(VECTOR, "[6, 9]", a=3.0, b=4.0).kind == "incorrect"
    assert grade(VECTOR, "[8, 6]", a=3.0, b=4.0).kind == "incorrect"


def test_vector_feedback_for_minus_gradient():
    body = VECTOR + "\nfeedback:\n  - {when: '[-2*a, -2*b]', say: 'That is -∇f.'}"
    verdict = grade(body, "(-6, -8)", a=3.0, b=4.0)
    assert (verdict.kind, verdict.message, verdict.rule.when) == ("feedback", "That is -∇f.", "[-2*a, -2*b]")


# ---------------------------------------------------------------- expressions
EXPR = "answer: {type: expression, value: '%s', variables: [x]}"


@pytest.mark.parametrize("reference, given, kind", [
    ("2*x", "x+x", "correct"),
    ("2*x", "2x", "correct"),
    ("2*x", "x*2.0000001", "correct"),
    ("1", "sin(x)**2+cos(x)**2", "correct"),
    ("sin(x)**2+cos(x)**2", "1", "correct"),
    ("(x+1)**2", "x^2 + 2x + 1", "correct"),
    ("exp(2*x)", "exp(x)^2", "correct"),
    ("x", "sqrt(x)**2", "correct"),  # undefined points (x < 0) are skipped
    ("2*x", "x**2", "incorrect"),  # agrees at x = 0 and 2 only
    ("x", "sqrt(x**2)", "incorrect"),  # |x| ≠ x on a domain with negatives
    ("x**2", "x**2 + 0.001", "incorrect"),
    ("x**3", "x**3 + 1e-12", "correct"),
    ("log(x)", "log(x**2)/2", "correct"),  # equal where log(x) is defined; x < 0 is skipped
    ("1/x", "x**-1", "correct"),
])
def test_expression_equivalence(reference, given, kind):
    verdict = grade(EXPR % reference, given)
    assert verdict.kind == kind, verdict


def test_expression_undefined_almost_everywhere_is_wrong():
    verdict = grade(EXPR % "x", "log(x - 100)")
    assert verdict.kind == "incorrect" and "undefined" in verdict.message


def test_expression_grading_is_deterministic():
    ex = exercise(EXPR % "x**2")
    verdicts = {Grader(ex, {}).grade("x**2 + 1e-5*sin(1000*x)").kind for _ in range(5)}
    assert len(verdicts) == 1


def test_expression_with_params_and_two_variables():
    body = ("params: {k: {choose: [3]}}\nanswer: {type: expression, value: 'k*x*y', variables: [x, y],"
            " domain: {x: [1, 2], y: [-1, 1]}}")
    assert grade(body, "3xy", k=3.0).kind == "unreadable"  # xy is one (unknown) name
    assert grade(body, "3*x*y", k=3.0).kind == "correct"
    assert grade(body, "3*y*x", k=3.0).read_as == "3·y·x"
    assert grade(body, "k*x*y", k=3.0).kind == "unreadable"  # learners cannot use the params


@pytest.mark.parametrize("given", ["y", "[x, x]", "x +", "t"])
def test_unreadable_expressions(given):
    assert grade(EXPR % "2*x", given).kind == "unreadable"


def test_expression_read_as_is_unicode_as_typed():
    assert grade(EXPR % "2*x", "x+x").read_as == "x + x"
    assert grade(EXPR % "2*x", "2x").read_as == "2·x"


def test_a_read_back_shows_the_sum_as_typed_and_a_likely_slip():
    verdict = grade(VECTOR, "(0 -4)", a=3.0, b=4.0)
    assert verdict.kind == "unreadable" and verdict.read_as == "0 − 4 = −4"
    assert "read as a subtraction" in verdict.message and "0, −4" in verdict.message
    assert grade(VECTOR, "[6, -4 - 0.2*(-6)]", a=3.0, b=4.0).read_as == "(6, −4 − 0.2·(−6)) = (6, −2.8)"


def test_expression_feedback_rule():
    body = "params: {k: {choose: [2]}}\n" + EXPR % "3*k*x**2" + "\nfeedback:\n  - {when: 'k*x**3', say: 'That is f.'}"
    assert grade(body, "2x^3", k=2.0).kind == "feedback"
    assert grade(body, "6x^2", k=2.0).kind == "correct"


# ---------------------------------------------------------------- choices
CHOICE = ("answer:\n  type: choice\n  choices: [uphill, downhill, sideways]\n  value: downhill\n"
          "feedback:\n  - {when: uphill, say: 'That climbs.'}")


@pytest.mark.parametrize("given, kind, read_as", [
    ("downhill", "correct", "b) downhill"),
    ("  DownHill ", "correct", "b) downhill"),
    ("b", "correct", "b) downhill"),
    ("B)", "correct", "b) downhill"),
    ("2", "correct", "b) downhill"),
    ("a", "feedback", "a) uphill"),
    ("1", "feedback", "a) uphill"),
    ("sideways", "incorrect", "c) sideways"),
    ("d", "unreadable", ""),
    ("4", "unreadable", ""),
    ("down", "correct", "b) downhill"),  # the start of one choice
    ("s", "unreadable", ""),
])
def test_choices(given, kind, read_as):
    verdict = grade(CHOICE, given)
    assert (verdict.kind, verdict.read_as) == (kind, read_as)


def test_numeric_choices_match_by_value_not_position():
    choices = ("0", "0.5", "2")
    assert pick_choice("0.50", choices) == 1
    assert pick_choice("1/2", choices) == 1
    assert pick_choice("2", choices) == 2  # the text "2", not the second choice
    assert pick_choice("c", choices) == 2
    assert pick_choice("3", choices) is None


def test_choices_may_be_templates():
    body = ("params: {a: {choose: [3]}}\nanswer:\n  type: choice\n  choices: ['{a**2}', '{2*a}']\n  value: '{2*a}'")
    assert grade(body, "6", a=3.0).kind == "correct"
    assert grade(body, "9", a=3.0).kind == "incorrect"


# ---------------------------------------------------------------- feedback rules
RULES = ("params: {a: {choose: [3]}}\nanswer: {type: number, value: 2*a}\nfeedback:\n"
         "  - {when: a**2, say: 'That is f({a}) = {a**2}, not the slope.'}\n"
         "  - {when: -2*a, say: 'Check the sign.'}\n")


def test_feedback_rules_match_with_the_answers_tolerance():
    verdict = grade(RULES, "9.0005", a=3.0)
    assert verdict.kind == "feedback" and verdict.message == "That is f(3) = 9, not the slope."
    assert verdict.rule.when == "a**2" and verdict.counts
    assert grade(RULES, "-6", a=3.0).message == "Check the sign."
    assert grade(RULES, "9.01", a=3.0).kind == "incorrect"
    assert grade(RULES, "6", a=3.0).kind == "correct"


# ---------------------------------------------------------------- sessions: attempts and hints
HINTS = NUMBER + "\nhints:\n  - first\n  - {after: 2, text: 'second, for {a}'}\n  - third\nsolution: 'It is {2*a}.'"


def test_hints_unlock_in_order_and_wait_for_wrong_attempts():
    s = ExerciseSession(exercise(HINTS), "t", "alice")
    assert s.next_hint() == "first"
    assert s.attempts_until_next_hint() == 2 and s.next_hint() is None
    s.submit("x")  # unreadable: costs nothing
    assert s.attempts == 0 and s.next_hint() is None
    s.submit("5")
    s.submit("6")
    assert s.attempts == 2 and s.hint_ready()
    assert s.next_hint() == "second, for 1"
    assert s.next_hint() == "third"  # no wait after the one that waited
    assert s.next_hint() is None and s.attempts_until_next_hint() is None
    assert s.hints == ("first", "second, for 1", "third")


def test_solution_shows_after_correct_or_giving_up():
    s = ExerciseSession(exercise(HINTS), "t", "alice")
    assert s.solution is None
    assert s.submit("2").correct and s.solved
    assert s.solution == "It is 2."
    s.submit("7")  # after solving, answers are graded but change nothing
    assert s.attempts == 0 and s.solved
    other = ExerciseSession(exercise(HINTS), "t", "bob")
    assert other.give_up() == "It is 2." and other.gave_up and not other.solved


def test_new_variant_resets_and_snapshot_restores():
    ex = exercise("params: {a: {int: [1, 1000]}}\nanswer: {type: number, value: a}\nhints: [h]")
    s = ExerciseSession(ex, "t", "alice")
    s.submit("-1")
    s.next_hint()
    first = s.params
    s.new_variant()
    assert s.variant == 1 and s.attempts == 0 and s.hints_shown == 0 and s.params != first
    s.submit("-1")
    again = ExerciseSession.restore(ex, "t", "alice", s.snapshot())
    assert again.params == s.params and again.attempts == 1 and again.variant == 1


# ---------------------------------------------------------------- templates
@pytest.mark.parametrize("text, expected", [
    ("f'({a})", "f'(-0.5)"),
    ("{2*a}", "-1"),
    ("{a + 0.8}", "0.3"),  # no 0.30000000000000004
    (r"$\frac{1}{2}$", r"$\frac{1}{2}$"),
    ("$x^{10}$", "$x^{10}$"),
    (r"$\nabla f$ and {x}", r"$\nabla f$ and {x}"),  # x is not a param
    (r"$\frac{a}{2}$", r"$\frac{-0.5}{2}$"),  # {a} names a param: a template, braces kept as LaTeX's
    (r"$\frac{1}{a}$", r"$\frac{1}{-0.5}$"),  # a LaTeX argument keeps its braces
    (r"$x^{a}$", "$x^{-0.5}$"),
    (r"$2 \cdot {a}$", r"$2 \cdot (-0.5)$"),  # a negative after an operator gets parentheses
    ("{a}^2", "(-0.5)^2"),
    ("{f(a)}", "{f(a)}"),  # does not parse: left alone
    ("{[a, 2*a]}", "(-0.5, -1)"),
    ("{round(a/3, 2)}", "-0.17"),
    ("{gd_step(a, 2*a, 0.1)}", "-0.4"),
])
def test_templates_and_the_brace_rule(text, expected):
    assert render(text, {"a": -0.5}) == expected


def test_templates_for_inputs_parenthesise_negatives():
    assert render("{a}**2", {"a": -0.5}, for_input=True) == "(-0.5)**2"
    assert render("2*{a}", {"a": 0.5}, for_input=True) == "2*0.5"


# ---------------------------------------------------------------- anything typed gets a verdict
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GRADERS = [Grader(exercise(NUMBER), {"a": 1.0}), Grader(exercise(VECTOR), {"a": 3.0, "b": 4.0}),
           Grader(exercise(EXPR % "2*x"), {}), Grader(exercise(CHOICE), {})]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,+-*/^()[] xyabepi_sqrtlogn'\"\\e!−×·⁻³（）１，")),
               max_size=60))
def test_any_input_gets_a_verdict_never_an_exception(text):
    for grader in GRADERS:
        verdict = grader.grade(text)
        assert verdict.kind in ("correct", "close", "incorrect", "feedback", "unreadable")
        assert isinstance(verdict.read_as, str) and isinstance(verdict.message, str)
