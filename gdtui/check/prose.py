"""`gdtui check` on what the prose asks of a chart: "set η to 1.5 and watch it diverge" under a plot whose
`lr` control stops at 1.2 sends the learner after a value they cannot reach.

The prose after a plot (up to the next plot; before the first plot, for that plot) is read sentence by
sentence. A sentence that tells the
reader to act (set, move, try, …) and names a control's value (`η = 1.5`, `x_0 to 3`, `lr = 0.5`) is
checked against the control: the value must be in its range and, for a control with a linear step, one of
the values its keys reach from the start value (the UI's own `nudge`, stepped until it stops moving).
A log control reaches every value of its range to within one step factor, so only the range counts there.
"""

from __future__ import annotations

import re

from gdtui.course.model import Control, Lesson, Plot, Prose
from gdtui.course.controls import nudge  # the stepping rule the learner's keys follow

# How prose names a plot value, besides its own key: the symbol a lesson writes for it.
SYMBOLS = {"lr": (r"\eta", "η", "learning rate"), "x0": ("x_0", "x₀"), "y0": ("y_0", "y₀"),
           "momentum": (r"\beta", "β"), "step": ("k",)}
ACTS = re.compile(r"\b(set|move|slide|drag|try|push|raise|lower|turn|change|put|press)\b", re.IGNORECASE)
NUMBER = r"(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)(?![\d^.{])"
SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+")  # up to . ! ? or a line end; 1.5 does not end one
MAX_STEPS = 100_000


def check_prose_values(lesson: Lesson) -> list[tuple[int, str]]:
    """(line, message) for each value the prose under a plot names that the plot's control cannot reach."""
    out: list[tuple[int, str]] = []
    plots = [block for block in lesson.blocks if isinstance(block, Plot)]
    plot: Plot | None = plots[0] if plots and plots[0].controls else None  # the prose before it introduces it
    for block in lesson.blocks:
        if isinstance(block, Plot):
            plot = block if block.controls else None
        elif isinstance(block, Prose) and plot is not None:
            out += _named_values(block, plot)
    return out


def _named_values(prose: Prose, plot: Plot) -> list[tuple[int, str]]:
    out = []
    source = prose.source or prose.text
    for sentence in SENTENCE.finditer(source):
        text = sentence.group(0)
        if not ACTS.search(text):
            continue
        for control in plot.controls:
            if control.choices:
                continue
            for name in (control.name,) + SYMBOLS.get(control.name, ()):
                pattern = re.compile(rf"(?<![\w\\]){re.escape(name)}\$?\s*(?:=|to)\s*\$?\s*{NUMBER}")
                for match in pattern.finditer(text):
                    value = float(match.group(1))
                    problem = _unreachable(control, plot.start_values().get(control.name), value)
                    if problem:
                        at = sentence.start() + match.start()
                        line = prose.line + source.count("\n", 0, at)
                        out.append((at, line, f"the prose names {name} = {match.group(1)}, but the plot "
                                          f"'{plot.id}' control {control.name} {problem}; change the "
                                          "control or the prose"))
    return [(line, message) for _, line, message in sorted(out)]  # in the order they are written


def _unreachable(control: Control, start, value: float) -> str:
    lo, hi = float(control.lo), float(control.hi)
    if not lo <= value <= hi:
        return f"cannot reach it: its range is [{lo:g}, {hi:g}]"
    if control.log:
        return ""
    reached = {float(start)} if start is not None else set()
    for direction in (1, -1):
        v = start
        for _ in range(MAX_STEPS):
            after = nudge(control, v, direction)
            reached.add(float(after))
            if after == v:
                break
            v = after
    if any(abs(v - value) <= 1e-9 * max(1.0, abs(value)) for v in reached):
        return ""
    nearest = min(reached, key=lambda v: abs(v - value))
    return f"cannot reach it: its keys step by {control.step:g} (the nearest value is {nearest:g})"
