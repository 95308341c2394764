"""Grading a learner's typed answer against one variant of an exercise.

Everything the learner types is read by the engine's safe expression language (never `eval`). Input that
cannot be read, or has the wrong shape, is `unreadable`: a format message that costs no attempt. A number
right to fewer significant figures than the answer wants is `close`, and costs no attempt either.
Otherwise the answer is `correct`, matches a feedback rule (`feedback`, the misconception tutor), or is
`incorrect`.

Numbers, and each component of a vector, are judged by `precision.judge`: exact forms within
|given − right| ≤ atol + rtol·|right|, typed decimals when they are the right value rounded to the digits
typed (see gdtui/course/precision.py); expressions when they agree at 12 points drawn from the answer's domain, skipping
points where either side is undefined (the WeBWorK / PrairieLearn way).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from gdtui.course.exprs import compile_value, evaluate, value_text
from gdtui.course.model import Exercise, FeedbackRule
from gdtui.course.parse import render_prose
from gdtui.course.precision import describe, judge_all, split_components
from gdtui.course.templates import render
from gdtui.engine.expr import ExprError, caret_offset, parse, read_back
from gdtui.i18n import N_, _

CLOSE = N_("Close: give at least {digits} significant figures (no attempt counted).")
ROUND = N_("Round the last digit rather than cutting the number off: a next digit of 5 or more rounds it up.")
SAMPLE_POINTS = 12  # an expression must agree at this many points
CANDIDATES = 200  # drawn from the domain to find them


@dataclass(frozen=True)
class Verdict:
    """What the tutor made of one answer.

    kind: "correct", "close" (right to too few figures), "incorrect", "feedback" (a wrong answer a rule
        recognises) or "unreadable"
    read_as: how the input was read, e.g. "(6, 8)", "2·x", "√2/2 = 0.707107", "b) 4"; "" if unreadable
    message: what to say beyond the verdict (the rule's text, a format problem); may be empty
    rule: the feedback rule that matched, for kind "feedback"
    value: the learner's number(s) as read, for a readable number or vector answer (a chart may draw them)
    """

    kind: str
    read_as: str = ""
    message: str = ""
    rule: FeedbackRule | None = None
    value: tuple[float, ...] | None = None

    @property
    def counts(self) -> bool:
        """Whether this answer uses up an attempt (unreadable input and a too-short number do not)."""
        return self.kind not in ("unreadable", "close")

    @property
    def correct(self) -> bool:
        return self.kind == "correct"


def close(given, right, rtol: float, atol: float) -> np.ndarray:
    """Element-wise |given − right| ≤ atol + rtol·|right|."""
    given, right = np.asarray(given, dtype=float), np.asarray(right, dtype=float)
    with np.errstate(all="ignore"):
        return np.abs(given - right) <= atol + rtol * np.abs(right)


class Grader:
    """Grades answers for one exercise at one set of params (one variant)."""

    def __init__(self, exercise: Exercise, params: Mapping[str, float]) -> None:
        self.exercise = exercise
        self.answer = exercise.answer
        self.params = dict(params)
        names = tuple(self.params)
        a = self.answer
        if a.type == "choice":
            self.choices = tuple(render(c, self.params) for c in a.choices)
        elif a.type == "expression":
            self.points = sample_points(a.value, a.variables, a.domain)
            self.env = {**self.params, **dict(zip(a.variables, self.points))}
            self.reference = evaluate(compile_value(a.value, names, a.variables), self.env)
        else:
            self.right = evaluate(compile_value(a.value, names), self.params)

    # -- the right answer, for the checker and for showing
    def right_value(self) -> np.ndarray | str:
        a = self.answer
        if a.type == "choice":
            return self.choices[a.correct]
        if a.type == "expression":
            return self.reference
        return self.right

    def grade(self, text: str) -> Verdict:
        text = str(text).strip()
        if not text:
            return Verdict("unreadable", "", _("Type an answer first."))
        kind = self.answer.type
        if kind == "choice":
            return self._grade_choice(text)
        if kind == "expression":
            return self._grade_expression(text)
        return self._grade_numbers(text)

    # -- number and vector
    def _grade_numbers(self, text: str) -> Verdict:
        a = self.answer
        try:
            expr = parse(text, ())
            value = np.asarray(expr(), dtype=float)
        except ExprError as exc:
            return Verdict("unreadable", "", _learner_message(text, exc))
        read_as, note = _read_back(text, (), lambda: _read_as_number(expr, value))
        given = 1 if value.ndim == 0 else value.size
        wanted = 1 if a.type == "number" else a.size
        if given != wanted:
            said = _wrong_shape(given, wanted).format(value=value_text(value), given=given, wanted=wanted)
            return Verdict("unreadable", read_as, _("{message} ({note})").format(message=said, note=note) if note else said)
        if not np.all(np.isfinite(value)):
            said = _("I read that as {value}, which is not a finite number.").format(value=value_text(value))
            return Verdict("unreadable", read_as, said)
        numbers = tuple(float(v) for v in np.ravel(value))
        texts = split_components(text)
        mark = self._judge(texts, numbers, self.right)
        if mark == "correct":
            return Verdict("correct", read_as, note or "", value=numbers)
        for rule in self.exercise.feedback:  # a misconception typed as precisely as an answer must be
            target = evaluate(compile_value(rule.when, tuple(self.params)), self.params)
            if np.all(np.isfinite(target)) and self._judge(texts, numbers, target) == "correct":
                return self._feedback(rule, read_as, numbers)
        if mark == "close":
            return Verdict("close", read_as, _(CLOSE).format(digits=a.digits), value=numbers)
        said = _(ROUND) if mark == "truncated" else ""
        if note:
            said = _("{message} ({note})").format(message=said, note=note) if said else _("({note})").format(note=note)
        return Verdict("incorrect", read_as, said, value=numbers)

    def _judge(self, texts: list[str], numbers: tuple[float, ...], right) -> str:
        a = self.answer
        return judge_all(texts, numbers, np.ravel(right), digits=a.digits, rtol=a.rtol, atol=a.atol)

    def meets(self, verdict: Verdict, expect: str) -> bool:
        """Whether an author's test expecting `expect` passes. An input rounded to too few figures expects
        `close`; in a variant where that rounding takes nothing away (the answer is 0.5) it is right
        exactly, and that passes too."""
        if verdict.kind == expect:
            return True
        return (expect == "close" and verdict.correct and verdict.value is not None
                and bool(np.all(close(verdict.value, np.ravel(self.right), self.answer.rtol, self.answer.atol))))

    def precision(self) -> str:
        """The precision this answer wants, in words ("exact, or 3 significant figures"); "" when the answer
        is an expression or a choice."""
        return precision_text(self.answer)

    # -- expression
    def _grade_expression(self, text: str) -> Verdict:
        a = self.answer
        try:
            expr = parse(text, a.variables)
            if expr.is_vector:
                return Verdict("unreadable", _unicode(expr), _("The answer is one expression, not a list."))
            values = evaluate(expr, self.env)
        except ExprError as exc:
            return Verdict("unreadable", "", _learner_message(text, exc))
        read_as, _note = _read_back(text, self.answer.variables, lambda: _unicode(expr))
        same, defined = self._agrees(values, self.reference)
        if same:
            return Verdict("correct", read_as)
        names = tuple(self.params)
        for rule in self.exercise.feedback:
            target = evaluate(compile_value(rule.when, names, a.variables), self.env)
            if self._agrees(values, target)[0]:
                return self._feedback(rule, read_as)
        if not defined:
            return Verdict("incorrect", read_as,
                           _("Your expression is undefined at most points where the answer is defined."))
        return Verdict("incorrect", read_as)

    def _agrees(self, values: np.ndarray, target: np.ndarray) -> tuple[bool, bool]:
        """(agrees at the sample points, enough points where both are defined)."""
        values = np.broadcast_to(values, self.points[0].shape if len(self.points) else values.shape)
        target = np.broadcast_to(target, values.shape)
        target_ok = np.isfinite(target)
        both = np.flatnonzero(target_ok & np.isfinite(values))[:SAMPLE_POINTS]
        needed = min(SAMPLE_POINTS, int(target_ok.sum()))
        if len(both) == 0 or len(both) < needed:
            return False, False
        return bool(np.all(close(values[both], target[both], self.answer.rtol, self.answer.atol))), True

    # -- choice
    def _grade_choice(self, text: str) -> Verdict:
        index = pick_choice(text, self.choices)
        if index is None:
            letters = ", ".join(chr(ord("a") + i) for i in range(len(self.choices)))
            return Verdict("unreadable", "", _("Type one of the letters {letters}, or a choice's text.").format(letters=letters))
        read_as = f"{chr(ord('a') + index)}) {self.choices[index]}"
        if index == self.answer.correct:
            return Verdict("correct", read_as)
        for rule in self.exercise.feedback:
            if rule.when in self.answer.choices and self.answer.choices.index(rule.when) == index:
                return self._feedback(rule, read_as)
        return Verdict("incorrect", read_as)

    def _feedback(self, rule: FeedbackRule, read_as: str, value: tuple[float, ...] | None = None) -> Verdict:
        return Verdict("feedback", read_as, render_prose(render(rule.say, self.params)), rule, value)


def _wrong_shape(given: int, wanted: int) -> str:
    """The sentence for an answer with the wrong count of numbers ({value}, {given}, {wanted} to fill)."""
    if given == 1:
        return _("I read that as {value}: 1 number, but the answer has {wanted}.")
    if wanted == 1:
        return _("I read that as {value}: {given} numbers, but the answer is one number.")
    return _("I read that as {value}: {given} numbers, but the answer has {wanted}.")


def precision_text(answer) -> str:
    """What the exercise box says about precision: "exact, or 3 significant figures"; "" for an
    expression or a choice answer."""
    if answer.type not in ("number", "vector"):
        return ""
    return describe(answer.digits, answer.rtol, answer.atol, vector=answer.type == "vector")


def pick_choice(text: str, choices: tuple[str, ...]) -> int | None:
    """The choice a learner means: its text (spacing, case and full width ignored), its letter (a, b, c…), the same
    number as a numeric choice ("0.50" for "0.5"), its position (1, 2, 3…) when no choice is a number, or
    the start of exactly one choice's text, two characters or more ("decr" for "decreases")."""
    key = _normal(text)
    for i, choice in enumerate(choices):
        if _normal(choice) == key:
            return i
    letter = key.rstrip(")").strip()
    if len(letter) == 1 and "a" <= letter <= "z" and ord(letter) - ord("a") < len(choices):
        return ord(letter) - ord("a")
    numbers = [_as_number(c) for c in choices]
    given = _as_number(text)
    if given is not None:
        for i, number in enumerate(numbers):
            if number is not None and close(given, number, 1e-9, 1e-12):
                return i
        if all(n is None for n in numbers) and given == int(given) and 1 <= given <= len(choices):
            return int(given) - 1
    starts = [i for i, choice in enumerate(choices) if len(key) >= 2 and _normal(choice).startswith(key)]
    return starts[0] if len(starts) == 1 else None


def _normal(text: str) -> str:
    """Full-width forms read as their ASCII twins (a Chinese keyboard's ａ, １), spaces and case ignored:
    a Chinese typist often leaves out the spaces around a Latin word (只有MSE的那个)."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def _as_number(text: str) -> float | None:
    try:
        value = np.asarray(parse(str(text), ())(), dtype=float)
    except ExprError:
        return None
    return float(value) if value.ndim == 0 and np.isfinite(value) else None


def sample_points(value: str, variables: tuple[str, ...], domain) -> tuple[np.ndarray, ...]:
    """CANDIDATES points per variable, uniform on the domain, the same every time for the same answer."""
    seed = int.from_bytes(hashlib.sha256(("\x1f".join((value,) + variables)).encode()).digest()[:8], "big")
    rng = np.random.Generator(np.random.PCG64(seed))
    return tuple(rng.uniform(lo, hi, CANDIDATES) for lo, hi in domain)


def _read_as_number(expr, value: np.ndarray) -> str:
    shown = value_text(value)
    try:
        written = expr.unicode()
    except Exception:
        written = str(expr)
    plain = written.replace(" ", "").replace("−", "-").strip("()[]")
    if plain == shown.replace(" ", "").strip("()[]") or value.ndim != 0:
        return shown
    return f"{written} = {shown}"


def _unicode(expr) -> str:
    try:
        return expr.unicode()
    except Exception:
        return str(expr)


def _read_back(text: str, variables, fallback) -> tuple[str, str | None]:
    """How the input reads, exactly as typed (−4 − 0.2·(−6) = −2.8), and a word on a likely slip."""
    try:
        shown = read_back(text, tuple(variables))
    except ExprError:  # read_back reads what parse read; should it not, the simplified form will do
        return fallback(), None
    return shown.text, shown.note


POINTER_CONTEXT = 30  # characters of the answer shown on each side of the caret


def _learner_message(text: str, exc: ExprError) -> str:
    """The problem in plain words, then the answer as typed with a caret under the spot (plain text: the
    panel shows an unreadable answer's message as typed, never as markdown)."""
    message = _("I could not read that: {problem}").format(problem=exc.message)
    if exc.column is None or not text:
        return message
    start = max(0, exc.column - 1 - POINTER_CONTEXT)
    snippet = text[start:exc.column - 1 + POINTER_CONTEXT]
    before, after = ("…" if start else ""), ("…" if len(text) > start + len(snippet) else "")
    caret = len(before) + (caret_offset(snippet, exc.column - start) or 0)
    return f"{message}\n  {before}{snippet}{after}\n  {' ' * caret}^"
