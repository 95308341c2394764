"""How a plot's control moves under the learner's keys: one rule, for the chart and for `gdtui check`."""

from __future__ import annotations

from typing import Any

from gdtui.course.model import INTEGER_VALUES, Control


def nudge(control: Control, value: Any, steps: int) -> Any:
    """The control's value moved by `steps` of its step (a factor for log controls), kept in range."""
    if control.choices:
        index = control.choices.index(value) if value in control.choices else 0
        return control.choices[max(0, min(len(control.choices) - 1, index + (1 if steps > 0 else -1)))]
    lo, hi = float(control.lo), float(control.hi)
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = lo
    if control.log:
        factor = control.step if control.step and control.step > 1 else (hi / lo) ** (1 / 40)
        v = v * factor**steps
    else:
        step = control.step or (hi - lo) / 40
        v = round(v / step + steps) * step  # stay on the step grid
        v = float(f"{v:.12g}")
    v = min(hi, max(lo, v))
    if control.name in INTEGER_VALUES:
        return int(round(v))
    return v
