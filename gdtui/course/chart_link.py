"""An exercise that drives a chart of its lesson: the `chart:` field of an exercise block.

    chart:
      plot: your-step                          # a plot of the same lesson, by its id
      shown: {c: c, x0: a, lr: lr, step: 0}     # set as the exercise is shown, and for each new variant
      answered: {guess: answer}                 # set when the learner checks an answer the tutor can read
      solved: {step: 1}                         # set once it is solved or the learner gives up

`solved` shows the truth (the step descent really takes) only after the learner's own try: a chart
that showed it on the first wrong answer would hand the number over. Values are expressions of the safe
language over the params; in `answered` also over `answer`, the
learner's number or vector, and a vector's components `answer_1`, `answer_2`, …. A plot takes the free
symbols of its f, the named values its layers read (`x0`, `lr`, `step`, …) and `guess`: the learner's
answer drawn as a point (at x on the curve of f in 1-D, at (x, y) in 2-D).

The field is read in two steps: `parse_link` with the exercise (names, expressions, shapes), then
`link_problems` against the lesson's plot once every block is read. `shown_values`, `answered_values` and
`solved_values` compute the numbers of one variant for the screen; `gdtui check` goes through them in `check_link`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from gdtui.course.exprs import ValueProblem, compile_value, describe, evaluate
from gdtui.course.fields import Fields, Problems, type_name
from gdtui.course.model import (
    GUESS, INTEGER_VALUES, NUMBER_VALUES, TEXT_VALUES, Answer, ChartLink, ChartValue, Exercise, Plot,
)

ANSWER = "answer"
LINK_KEYS = ("plot", "shown", "answered", "solved")
DESCENT_VALUES = ("x0", "y0", "lr", "steps", "step", "momentum", "beta1", "beta2", "alpha", "eps")
# Layers over which `guess` is drawn: the curve of f in 1-D, the contour map in 2-D.
GUESS_LAYERS = {"1d": ("function", "tangent", "secant", "path"), "2d": ("contour", "gradient_field", "point", "path")}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNKNOWN = re.compile(r"unknown name '([^']*)'")


def answer_names(answer: Answer | None) -> tuple[str, ...]:
    """The names an `answered` value may use besides the params: `answer`, and a vector's components."""
    if answer is None or answer.type not in ("number", "vector"):
        return ()
    if answer.type == "number":
        return (ANSWER,)
    return (ANSWER,) + tuple(f"{ANSWER}_{i}" for i in range(1, (answer.size or 0) + 1))


def answer_env(answer: Answer, given: Sequence[float]) -> dict[str, object]:
    """The learner's number(s) under the names `answered` values use."""
    numbers = [float(v) for v in np.atleast_1d(given)]
    if answer.type == "number":
        return {ANSWER: numbers[0]}
    env: dict[str, object] = {ANSWER: np.array(numbers)}
    env.update({f"{ANSWER}_{i}": v for i, v in enumerate(numbers, 1)})
    return env


# ---------------------------------------------------------------- reading the field
def parse_link(f: Fields, answer: Answer | None, params: tuple[str, ...], problems: Problems) -> ChartLink | None:
    c = f.mapping("chart")
    if c is None:
        return None
    before = len(problems)
    c.check_keys(LINK_KEYS, required=("plot",))
    plot_id = c.text("plot")
    shown = _values(c, "shown", params, (), answer, problems)
    answered = _values(c, "answered", params, answer_names(answer), answer, problems)
    solved = _values(c, "solved", params, (), answer, problems)
    if len(problems) == before and not shown and not answered and not solved:
        c.error(None, "give the values this exercise sets on the plot: shown: {x0: a} (from the params, as the "
                      "exercise is shown), answered: {guess: answer} (when the learner checks an answer) or "
                      "solved: {step: 1} (once it is solved or given up)")
    if len(problems) > before or plot_id is None:
        return None
    return ChartLink(plot_id, f.line("chart"), shown, answered, solved)


def _values(c: Fields, key: str, params: tuple[str, ...], extra: tuple[str, ...], answer: Answer | None,
            problems: Problems) -> tuple[ChartValue, ...]:
    block = c.mapping(key)
    if block is None:
        return ()
    out = []
    for name, raw in block.data.items():
        line, where = block.line(name), block.name(name)
        if not _NAME.fullmatch(name):
            problems.add(line, f"{where}: '{name}' is not a plot value (such as x0, lr, step or guess)")
            continue
        text = _text(block, name, raw, problems)
        if text is None:
            continue
        try:
            expr = compile_value(text, params + extra)
        except ValueProblem as exc:
            problems.add(line, f"{where}: {_message(exc.message, key, params, extra, answer)}")
            continue
        shape = _shape(expr, params + extra, answer)
        if len(shape) > 1:
            problems.add(line, f"{where}: gives a table of numbers; use the components "
                               f"{', '.join(extra[1:]) or 'of the answer'}")
        elif shape and name != GUESS:
            parts = f" (the answer's components are {', '.join(extra[1:])})" if len(extra) > 1 else ""
            problems.add(line, f"{where}: {name} is one number, not a list{parts}")
        elif name == GUESS and key != "answered":
            problems.add(line, f"{where}: guess is the learner's answer: set it under answered")
        else:
            out.append(ChartValue(name, text, line))
    return tuple(out)


def _text(block: Fields, name: str, raw, problems: Problems) -> str | None:
    """The expression as written; a YAML list [a, b] is a vector."""
    if isinstance(raw, list):
        parts = []
        for i, item in enumerate(raw):
            if isinstance(item, (list, dict)) or item is None:
                problems.add(raw.item_lines[i],
                             f"{block.name(name)}[{i + 1}]: expected an expression, got {type_name(item)}")
                return None
            parts.append(str(raw.raw[i] if raw.raw[i] is not None else item))
        return "[" + ", ".join(parts) + "]"
    return block.expression(name, required=True)


def _message(message: str, key: str, params, extra, answer: Answer | None) -> str:
    """A parse problem in plain words; an unknown name lists the params and the answer's names."""
    match = _UNKNOWN.match(message)
    if match is None:
        return message
    name = match.group(1)
    if name == ANSWER and key != "answered":
        return f"'answer' is the learner's answer, not known under {key}; set this value under answered"
    if name == ANSWER and answer is not None and not extra:
        return f"a {answer.type} answer cannot set chart values (number and vector answers can)"
    known = describe(params)
    if extra:
        known += f"; the learner's answer is {', '.join(extra)}"
    return f"unknown name '{name}' ({known})"


def _shape(expr, names: tuple[str, ...], answer: Answer | None) -> tuple[int, ...]:
    """The shape of a value: () for a number, (k,) for a vector; found by evaluating at made-up numbers."""
    env: dict[str, object] = {name: 0.5 for name in names}
    if answer is not None and answer.type == "vector" and ANSWER in names:
        env[ANSWER] = np.full(answer.size or 1, 0.5)
    try:
        return tuple(np.shape(_evaluate(expr, env)))
    except Exception:  # shape problems show up when the values are computed
        return ()


def _evaluate(expr, env: Mapping[str, object]) -> np.ndarray:
    """The value at `env`, shaped by the names it uses alone (a constant stays one number when the
    learner's answer, unused, is a vector)."""
    used = expr.names()
    return evaluate(expr, {name: env[name] if name in used else 0.0 for name in expr.variables})


# ---------------------------------------------------------------- matching the lesson's plot
def plot_takes(plot: Plot) -> tuple[str, ...]:
    """The values an exercise may set on this plot: f's params, what its layers read, and guess."""
    layers = set(plot.layers)
    names = list(plot.params)
    if plot.kind == "regression":
        if layers & {"fit", "loss"}:
            names += ["lr", "steps", "step", "batch_size", "momentum", "beta1", "beta2", "alpha", "eps"]
        return tuple(names)
    if layers & {"tangent", "secant", "error_vs_h"}:
        names.append("tangent_at")
    if layers & {"secant", "error_vs_h"}:
        names.append("h")
    if layers & {"path", "loss"}:
        names += [v for v in DESCENT_VALUES if v != "y0" or plot.kind == "2d"]
    if "point" in layers:  # the point whose gradient is drawn
        names += [v for v in ("x0", "y0") if v not in names]
    if layers & set(GUESS_LAYERS[plot.kind]):
        names.append(GUESS)
    return tuple(names)


def link_problems(exercise: Exercise, plots: Mapping[str, Plot]) -> list[tuple[int, str]]:
    """(line, message) for each way an exercise's chart link does not fit the lesson's plots."""
    link = exercise.chart
    plot = plots.get(link.plot)
    if plot is None:
        known = f"its plots are {', '.join(plots)}" if plots else "it has no plots"
        return [(exercise.field_lines.get("chart.plot", link.line),
                 f"chart.plot: no plot with the id '{link.plot}' in this lesson ({known})")]
    takes = plot_takes(plot)
    out = []
    for key, values in (("shown", link.shown), ("answered", link.answered), ("solved", link.solved)):
        for value in values:
            message = _value_problem(value, plot, takes, exercise)
            if message:
                out.append((value.line, f"chart.{key}.{value.name}: {message}"))
    return out


def _value_problem(value: ChartValue, plot: Plot, takes: tuple[str, ...], exercise: Exercise) -> str | None:
    name = value.name
    if name in TEXT_VALUES:
        return f"{name} is text; an exercise sets numbers (choose {name} in the plot)"
    if name == GUESS and name not in takes:
        where = {"1d": "f's curve (layers function, tangent, secant or path)",
                 "2d": "a contour map (layers contour, gradient_field, point or path)"}.get(plot.kind, "a plot of f")
        return f"plot '{plot.id}' cannot draw guess: it is drawn on {where}"
    if name not in takes:
        listed = ", ".join(takes) or "nothing"
        if name in NUMBER_VALUES:
            return f"plot '{plot.id}' does not use {name} with layers {', '.join(plot.layers)} (it takes {listed})"
        return f"plot '{plot.id}' has no value '{name}' (it takes {listed})"
    if name == GUESS:
        names = exercise.param_names + answer_names(exercise.answer)
        shape = _shape(compile_value(value.expr, names), names, exercise.answer)
        wanted = () if plot.kind == "1d" else (2,)
        if shape != wanted:
            return ("on a 1-D plot guess is one number, an x" if plot.kind == "1d"
                    else "on a 2-D plot guess is a point [x, y], such as answer for a vector answer")
    return None


# ---------------------------------------------------------------- the numbers of one variant
def shown_values(link: ChartLink, params: Mapping[str, float]) -> dict[str, object]:
    """The values set as the exercise is shown, for these params (a value that cannot be computed is left out)."""
    return _computed(link.shown, dict(params))


def solved_values(link: ChartLink, params: Mapping[str, float]) -> dict[str, object]:
    """The values set once the exercise is solved or given up, for these params."""
    return _computed(link.solved, dict(params))


def answered_values(link: ChartLink, answer: Answer, params: Mapping[str, float],
                    given: Sequence[float]) -> dict[str, object]:
    """The values set by the learner's answer `given` (the number or numbers they typed)."""
    return _computed(link.answered, {**params, **answer_env(answer, given)})


def _computed(values: tuple[ChartValue, ...], env: dict) -> dict[str, object]:
    out = {}
    for value in values:
        result = computed_value(value, env)
        if result is not None and np.all(np.isfinite(result)):
            out[value.name] = chart_number(value.name, result)
    return out


def computed_value(value: ChartValue, env: dict) -> np.ndarray | None:
    """One value at `env` (params, and the answer's names); None when it cannot be computed."""
    try:
        return _evaluate(compile_value(value.expr, tuple(env)), env)
    except ValueError:  # ValueProblem, or the engine's ExprError
        return None


def chart_number(name: str, result: np.ndarray):
    """A computed value as a chart holds it: a whole number for steps and step, a tuple for a point."""
    if np.ndim(result):
        return tuple(float(v) for v in np.ravel(result))
    if name in INTEGER_VALUES:
        return int(round(float(result)))
    return float(result)
