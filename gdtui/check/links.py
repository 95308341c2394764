"""`gdtui check` for an exercise's chart link: its values computed for each variant it checks."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from gdtui.course.chart_link import answer_env, computed_value
from gdtui.course.exprs import number_text, value_text
from gdtui.course.model import GUESS, INTEGER_VALUES, ChartLink, ChartValue, Exercise, Plot
from gdtui.course.parse_plot import LIMITS


def check_values(link: ChartLink, plot: Plot, exercise: Exercise, params: Mapping[str, float],
                 right) -> list[tuple[int, str, str]]:
    """(line, severity, message) for the values of one variant: `shown` and `solved` at these params,
    `answered` with the right answer typed in. Each must be finite and within the plot's limits; a warning when a value
    leaves a control's range or the right answer falls off the chart."""
    out = []
    env = dict(params)
    sets = [("shown", link.shown, env), ("solved", link.solved, env)]
    if right is not None and exercise.answer.type in ("number", "vector"):
        sets.append(("answered", link.answered, {**env, **answer_env(exercise.answer, right)}))
    controls = {c.name: c for c in plot.controls}
    for key, values, at in sets:
        for value in values:
            where = f"chart.{key}.{value.name}"
            result = computed_value(value, at)
            if result is None or not np.all(np.isfinite(result)):
                shown = "undefined" if result is None else value_text(result)
                out.append((value.line, "error", f"{where} is {shown}"))
                continue
            number = float(np.ravel(result)[0])
            if value.name == GUESS:
                out += _off_chart(value, plot, result, where)
            elif value.name in INTEGER_VALUES and number != int(number):
                out.append((value.line, "error", f"{where} is {number_text(number)}, not a whole number"))
            elif value.name in LIMITS and not _within(number, LIMITS[value.name]):
                out.append((value.line, "error",
                            f"{where} is {number_text(number)}, out of range ({_limits(LIMITS[value.name])})"))
            elif value.name in controls and not controls[value.name].lo <= number <= controls[value.name].hi:
                c = controls[value.name]
                out.append((value.line, "warning", f"{where} is {number_text(number)}, outside the range of the plot's "
                                                   f"control [{number_text(c.lo)}, {number_text(c.hi)}] (the first key "
                                                   "press on it jumps into the range)"))
            elif value.name in AXIS_OF and plot.kind != "regression":
                out += _off_axis(value, plot, number, where)
    return out


AXIS_OF = {"x0": "x", "tangent_at": "x", "y0": "y"}  # values that are points on an axis of the chart


def _off_axis(value: ChartValue, plot: Plot, number: float, where: str) -> list[tuple[int, str, str]]:
    axis = AXIS_OF[value.name]
    lo, hi = plot.x_range if axis == "x" else (plot.y_range or (number, number))
    if lo <= number <= hi:
        return []
    return [(value.line, "warning", f"{where} is {number_text(number)}, outside the {axis} range "
                                    f"[{number_text(lo)}, {number_text(hi)}]")]


def _off_chart(value: ChartValue, plot: Plot, point: np.ndarray, where: str) -> list[tuple[int, str, str]]:
    ranges = [("x", plot.x_range)] + ([("y", plot.y_range)] if plot.kind == "2d" else [])
    for (axis, (lo, hi)), v in zip(ranges, np.ravel(point)):
        if not lo <= v <= hi:
            return [(value.line, "warning",
                     f"{where} is {value_text(point)} for the right answer, off the chart ({axis} in "
                     f"[{number_text(lo)}, {number_text(hi)}]): widen the plot's {axis} range")]
    return []


def _within(v: float, limits) -> bool:
    lo, hi, lo_open, hi_open = limits
    return ((lo is None or (v > lo if lo_open else v >= lo)) and (hi is None or (v < hi if hi_open else v <= hi)))


def _limits(limits) -> str:
    lo, hi, lo_open, hi_open = limits
    if hi is None:
        return f"must be {'>' if lo_open else '≥'} {number_text(lo)}"
    return f"must be in {'(' if lo_open else '['}{number_text(lo)}, {number_text(hi)}{')' if hi_open else ']'}"


