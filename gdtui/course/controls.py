"""A plot value under the learner's keys: its name on screen (η for lr, x₀ for x0) and one step of its control.

The app's keys, the chart's control line and `gdtui check` (which walks each control to see that the
values a lesson names can be reached) all use these, so a label or a step means one thing everywhere.
"""

from __future__ import annotations

from typing import Any

from gdtui.course.model import INTEGER_VALUES, Control

LABELS = {
    "lr": "η",
    "x0": "x₀",
    "y0": "y₀",
    "step": "k",
    "steps": "steps",
    "tangent_at": "x",
    "momentum": "β",
    "beta1": "β₁",
    "beta2": "β₂",
    "alpha": "α",
    "eps": "ε",
    "batch_size": "B",  # the batch size, as the lessons write it (not "batch", which names a method)
    "step_size": "s",
    "gamma": "γ",
    "T_max": "T",
    "eta_min": "η_min",
    "decay": "decay",
}


def value_label(name: str) -> str:
    if name.startswith("lr_"):  # one optimizer's own η in a race: lr_adam -> "η adam"
        return f"η {name[3:]}"
    return LABELS.get(name, name)


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
