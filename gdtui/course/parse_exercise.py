"""Read an ```exercise block (already YAML with lines) into an `Exercise`, or report what is wrong."""

from __future__ import annotations

import math
import re

from gdtui.course.chart_link import parse_link
from gdtui.course.exprs import CONSTANTS, KNOWN_FUNCTIONS, ValueProblem, compile_value
from gdtui.course.fields import Fields, Problems, read_numbers, read_pair, type_name
from gdtui.course.model import (
    ANSWER_TYPES, DEFAULT_ATOL, DEFAULT_DIGITS, DEFAULT_RTOL, VERDICT_KINDS, Answer, Exercise, FeedbackRule, FrozenMap,
    Hint, ParamSpec, TestCase,
)
from gdtui.course.yamlines import YList, YMap

EXERCISE_KEYS = ("id", "title", "prompt", "params", "answer", "hints", "feedback", "solution", "tests", "chart",
                 "moved_from")
ANSWER_KEYS = {
    "number": ("type", "value", "digits", "rtol", "atol"),
    "vector": ("type", "value", "digits", "rtol", "atol"),
    "expression": ("type", "value", "variables", "domain", "rtol", "atol"),
    "choice": ("type", "choices", "value"),
}
PARAM_KINDS = ("choose", "int", "range", "value")
HINT_KEYS, RULE_KEYS, TEST_KEYS = ("after", "text"), ("when", "say"), ("input", "expect", "rule")
DEFAULT_DOMAIN = (-2.0, 2.0)
MAX_RANGE_VALUES = 100_000
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def field_lines(data, prefix: str = "", out: dict | None = None) -> dict[str, int]:
    """Every field's file line, by dotted path: "answer.value", "hints[2].text", "controls.h"."""
    out = {} if out is None else out
    if isinstance(data, YMap):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else key
            out[name] = data.key_lines[key]
            field_lines(value, name, out)
    elif isinstance(data, YList):
        for i, item in enumerate(data):
            name = f"{prefix}[{i + 1}]"
            out[name] = data.item_lines[i]
            field_lines(item, name, out)
    return out


def parse_exercise(data, line: int, problems: Problems) -> Exercise | None:
    if not isinstance(data, YMap):
        problems.add(line, f"an exercise block holds 'key: value' lines (id, prompt, answer…), got {type_name(data)}")
        return None
    before = len(problems)
    f = Fields(data, "", problems)
    f.check_keys(EXERCISE_KEYS, required=("id", "prompt", "answer"))
    exercise_id = f.text("id")
    if exercise_id is not None and not ID_PATTERN.fullmatch(exercise_id):
        f.error("id", f"'{exercise_id}' is not a usable id (letters, digits, '-', '_' and '.', no spaces)")
    params, names = _params(f, problems)
    answer = _answer(f, names, problems)
    hints = _hints(f, problems)
    feedback = _feedback(f, answer, names, problems)
    tests = _tests(f, problems, len(feedback))
    chart = parse_link(f, answer, names, problems)
    prompt, solution, title = f.text("prompt"), f.text("solution"), f.text("title")
    moved_from = f.text("moved_from")
    if moved_from is not None and not ID_PATTERN.fullmatch(moved_from):
        f.error("moved_from", f"'{moved_from}' is not a usable id: give the id of the lesson this exercise was in")

    if len(problems) > before or answer is None or exercise_id is None or prompt is None:
        return None
    return Exercise(line=line, id=exercise_id, prompt=prompt, params=params, answer=answer, hints=hints,
                    feedback=feedback, solution=solution, tests=tests,
                    field_lines=FrozenMap(field_lines(data)), title=title, chart=chart, moved_from=moved_from)


# ---------------------------------------------------------------- params
def _params(f: Fields, problems: Problems) -> tuple[tuple[ParamSpec, ...], tuple[str, ...]]:
    """The param specs, and the names of all params declared (broken ones too, so that a broken param
    does not also make every expression that uses it an error)."""
    block = f.mapping("params")
    if block is None:
        return (), ()
    specs: list[ParamSpec] = []
    declared = tuple(name for name in block.data if NAME_PATTERN.fullmatch(name))
    for name, value in block.data.items():
        line = block.line(name)
        where = f"params.{name}"
        if not NAME_PATTERN.fullmatch(name) or name in KNOWN_FUNCTIONS or name in CONSTANTS:
            problems.add(line, f"{where}: '{name}' cannot be a param name (use a plain name such as a, b, k that is "
                               "not a function or constant)")
            continue
        if not isinstance(value, YMap):
            problems.add(line, f"{where}: expected {{choose: [...]}}, {{int: [lo, hi]}}, {{range: [lo, hi], step: s}} "
                               f"or {{value: expression}}, got {type_name(value)}")
            continue
        spec = _param(name, Fields(value, where, problems, line=line), tuple(s.name for s in specs), line, problems)
        if spec is not None:
            specs.append(spec)
    return tuple(specs), declared


def _param(name: str, f: Fields, earlier: tuple[str, ...], line: int, problems: Problems) -> ParamSpec | None:
    kinds = [k for k in PARAM_KINDS if k in f.data]
    unknown = [k for k in f.data if k not in PARAM_KINDS + ("step",)]
    f.check_keys(PARAM_KINDS + ("step",))
    if len(kinds) != 1:
        if not unknown or kinds:
            f.error(None, "give exactly one of choose, int, range, value")
        return None
    kind = kinds[0]
    if "step" in f.data and kind != "range":
        f.error("step", "step goes with range: {range: [lo, hi], step: s}")
        return None
    if kind == "choose":
        items = f.data["choose"]
        if not isinstance(items, list) or not items:
            f.error("choose", "expected a list of numbers, such as [-1, 0.5, 2]")
            return None
        values = read_numbers(items, f.name("choose"), problems)
        return None if values is None else ParamSpec(name, "choose", line, choices=values)
    if kind == "value":
        text = f.expression("value", required=True)
        if text is None:
            return None
        try:
            compile_value(text, earlier)
        except ValueProblem as exc:
            f.error("value", exc.message + ("" if earlier else "; a value param may use the params above it"))
            return None
        return ParamSpec(name, "value", line, expr=text)
    pair = f.pair(kind)
    if pair is None:
        return None
    lo, hi = pair
    if kind == "int":
        if lo != int(lo) or hi != int(hi):
            f.error("int", "expected whole numbers [lo, hi]")
            return None
        return ParamSpec(name, "int", line, lo=lo, hi=hi, step=1.0)
    step = f.number("step", lo=0, lo_open=True)
    if "step" in f.data and step is None:
        return None
    if step is not None and (hi - lo) / step > MAX_RANGE_VALUES:
        f.error("step", f"gives more than {MAX_RANGE_VALUES} values; use a larger step")
        return None
    return ParamSpec(name, "range", line, lo=lo, hi=hi, step=step)


# ---------------------------------------------------------------- answer
def _answer(f: Fields, params: tuple[str, ...], problems: Problems) -> Answer | None:
    a = f.mapping("answer")
    if a is None:
        return None
    kind = a.text("type")
    if kind not in ANSWER_TYPES:
        if kind is None:
            a.error(None, f"missing 'type' (one of {', '.join(ANSWER_TYPES)})")
        else:
            a.error("type", f"unknown answer type '{kind}' (expected one of {', '.join(ANSWER_TYPES)})")
        return None
    before = len(problems)
    a.check_keys(ANSWER_KEYS[kind], required=("value",) if kind != "choice" else ("choices", "value"))
    if kind == "choice":
        return _choice_answer(a, before, problems)
    rtol = a.number("rtol", default=DEFAULT_RTOL, lo=0)
    atol = a.number("atol", default=DEFAULT_ATOL, lo=0)
    tolerance_only = a.has("rtol") or a.has("atol")  # an author's tolerance replaces the digits rule …
    digits = a.number("digits", default=None if tolerance_only else DEFAULT_DIGITS, integer=True, lo=1, hi=15)
    variables: tuple[str, ...] = ()
    domain: tuple[tuple[float, float], ...] = ()
    if kind == "expression":
        variables = _variables(a, params)
        domain = _domain(a, variables, problems)
    value, size = _value_text(a, "value", kind, params, variables, None)
    if len(problems) > before or value is None or rtol is None or atol is None:
        return None
    if kind == "expression":
        digits = None  # … and an expression is judged by sampling, not by digits
    return Answer(kind, value, a.line("value"), rtol=rtol, atol=atol, digits=digits, variables=variables,
                  domain=domain, size=size)


def _variables(a: Fields, params: tuple[str, ...]) -> tuple[str, ...]:
    names = a.text_list("variables") if a.has("variables") else ("x",)
    if names is None:
        return ("x",)
    for name in names:
        if not NAME_PATTERN.fullmatch(name) or name in KNOWN_FUNCTIONS or name in CONSTANTS:
            a.error("variables", f"'{name}' cannot be a variable name")
        elif name in params:
            a.error("variables", f"'{name}' is both a param and a variable; rename the param")
    if len(set(names)) != len(names):
        a.error("variables", "a variable is listed twice")
    return tuple(names)


def _domain(a: Fields, variables: tuple[str, ...], problems: Problems) -> tuple[tuple[float, float], ...]:
    ranges = {v: DEFAULT_DOMAIN for v in variables}
    block = a.mapping("domain")
    if block is not None:
        for key, value in block.data.items():
            if key not in variables:
                block.error(None, f"'{key}' is not one of the variables ({', '.join(variables)})")
                continue
            pair = read_pair(value, block.name(key), block.line(key), problems)
            if pair is not None:
                ranges[key] = pair
    return tuple(ranges[v] for v in variables)


def _value_text(a: Fields, key: str, kind: str, params, variables, size: int | None) -> tuple[str | None, int | None]:
    """Read a value (answer.value or a `when`) as expression text of the right shape; returns (text, size)."""
    raw = a.data.get(key)
    if isinstance(raw, list):
        if kind != "vector":
            a.error(key, f"a {kind} answer has one value, not a list" + ("; use type: vector" if kind == "number" else ""))
            return None, None
        parts = []
        for i, item in enumerate(raw):
            if isinstance(item, (list, dict)) or item is None:
                a.problems.add(raw.item_lines[i], f"{a.name(key)}[{i + 1}]: expected an expression, got {type_name(item)}")
                return None, None
            parts.append(str(raw.raw[i] if raw.raw[i] is not None else item))
        text = "[" + ", ".join(parts) + "]"
    else:
        text = a.expression(key, required=True)
        if text is None:
            return None, None
    try:
        expr = compile_value(text, params, variables)
    except ValueProblem as exc:
        a.error(key, exc.message)
        return None, None
    if kind == "vector":
        if not expr.is_vector:
            a.error(key, "a vector answer needs a list of values, such as [2*a, 2*b]")
            return None, None
        count = len(expr.components)
        if size is not None and count != size:
            a.error(key, f"has {count} components but the answer has {size}")
            return None, None
        return text, count
    if expr.is_vector:
        a.error(key, f"a {kind} answer has one value, not a list" + ("; use type: vector" if kind == "number" else ""))
        return None, None
    return text, None


def _choice_answer(a: Fields, before: int, problems: Problems) -> Answer | None:
    choices = a.text_list("choices")
    value = a.text("value")
    if choices is None or value is None:
        return None
    if len(choices) < 2:
        a.error("choices", "give at least two choices")
        return None
    keys = [_normal(c) for c in choices]
    if len(set(keys)) != len(keys):
        a.error("choices", "two choices have the same text")
        return None
    index = choice_index(value, choices)
    if index is None:
        a.error("value", f"'{value}' is not one of the choices (write the right choice's text)")
        return None
    if len(problems) > before:
        return None
    return Answer("choice", choices[index], a.line("value"), choices=choices, correct=index)


def _normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def choice_index(text: str, choices: tuple[str, ...]) -> int | None:
    """The choice an author names: its text (spacing and case ignored), or its letter a, b, c…"""
    key = _normal(text)
    for i, choice in enumerate(choices):
        if _normal(choice) == key:
            return i
    if len(key) == 1 and "a" <= key <= "z" and ord(key) - ord("a") < len(choices):
        return ord(key) - ord("a")
    return None


# ---------------------------------------------------------------- hints, feedback, tests
def _hints(f: Fields, problems: Problems) -> tuple[Hint, ...]:
    items = f.items("hints")
    if items is None:
        return ()
    hints = []
    for i, item in enumerate(items):
        line = items.item_lines[i]
        if isinstance(item, YMap):
            h = Fields(item, f"hints[{i + 1}]", problems)
            h.check_keys(HINT_KEYS, required=("text",))
            text, after = h.text("text"), h.number("after", default=0, integer=True, lo=0)
            if text is not None and after is not None:
                hints.append(Hint(text, line, int(after)))
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            hints.append(Hint(str(items.raw[i] if not isinstance(item, str) else item), line))
        else:
            problems.add(line, f"hints[{i + 1}]: expected text or {{after: N, text: ...}}, got {type_name(item)}")
    return tuple(hints)


def _feedback(f: Fields, answer: Answer | None, params: tuple[str, ...], problems: Problems) -> tuple[FeedbackRule, ...]:
    items = f.items("feedback")
    if items is None:
        return ()
    rules = []
    for i, item in enumerate(items):
        line = items.item_lines[i]
        where = f"feedback[{i + 1}]"
        if not isinstance(item, YMap):
            problems.add(line, f"{where}: expected {{when: value, say: text}}, got {type_name(item)}")
            continue
        r = Fields(item, where, problems)
        r.check_keys(RULE_KEYS, required=RULE_KEYS)
        say = r.text("say")
        if answer is None or not r.has("when"):
            continue
        if answer.type == "choice":
            when = r.text("when")
            if when is not None and choice_index(when, answer.choices) is None:
                r.error("when", f"'{when}' is not one of the choices")
                continue
            when = answer.choices[choice_index(when, answer.choices)] if when is not None else None
        else:
            when, _ = _value_text(r, "when", answer.type, params, answer.variables, answer.size)
        if when is not None and say is not None:
            rules.append(FeedbackRule(when, say, r.line("when")))
    return tuple(rules)


def _tests(f: Fields, problems: Problems, rules: int) -> tuple[TestCase, ...]:
    items = f.items("tests")
    if items is None:
        return ()
    tests = []
    for i, item in enumerate(items):
        line = items.item_lines[i]
        where = f"tests[{i + 1}]"
        if not isinstance(item, YMap):
            problems.add(line, f"{where}: expected {{input: \"...\", expect: correct}}, got {type_name(item)}")
            continue
        t = Fields(item, where, problems)
        t.check_keys(TEST_KEYS, required=TEST_KEYS[:2])
        text, expect = t.text("input"), t.text("expect")
        if expect is not None and expect not in VERDICT_KINDS:
            t.error("expect", f"unknown verdict '{expect}' (expected one of {', '.join(VERDICT_KINDS)})")
            continue
        rule = t.number("rule", integer=True) if t.has("rule") else None
        if rule is not None and (expect != "feedback" or not 1 <= rule <= rules):
            t.error("rule", f"{rule:g} is out of range: rule names one of the exercise's {rules} feedback rules "
                            "(1 is the first), and goes with expect: feedback")
            continue
        if text is not None and expect is not None:
            tests.append(TestCase(text, expect, line, None if rule is None else int(rule)))
    return tuple(tests)


def range_values(spec: ParamSpec) -> tuple[float, ...]:
    """The values of a range param with a step: lo, lo+step, … up to hi (float fuzz rounded away)."""
    count = int(math.floor((spec.hi - spec.lo) / spec.step + 1e-9)) + 1
    return tuple(round(spec.lo + k * spec.step, 12) for k in range(count))
