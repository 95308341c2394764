"""Can the learner reach the values a lesson talks about? Walk each control with the learner's own keys.

The prose right before and right after a plot is about that plot. Where it names one of the plot's controls
by its on-screen label with a number ("η = 0.5", "x₀ = −3", "k = 10"), that number must be a value the
control can be set to by pressing ← and → from its start. The walk uses the keys' own rule (`nudge`), so a
log ladder that jumps 0.3981 → 0.5011 is caught: 0.5 is never shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gdtui.course.controls import nudge, value_label
from gdtui.course.model import Control, Lesson, Plot, Prose

MOST_STATES = 5000  # a control with more settings than this is walked only this far (it is then a slider)
NUMBER = r"(?P<value>[−-]?\d+(?:\.\d+)?)(?![\d./^(×]|\w)"


@dataclass(frozen=True)
class NamedValue:
    """One "label = number" of a plot's prose: where it is written and which control it names."""

    line: int
    plot: Plot
    control: Control
    label: str
    value: float


def reachable(control: Control, start, most: int = MOST_STATES) -> list[float]:
    """Every value ← and → lead to from `start`, at most `most` of them (a breadth-first walk)."""
    if control.choices:
        return []
    seen = {_key(start)}
    frontier = [start]
    while frontier and len(seen) < most:
        after = []
        for value in frontier:
            for steps in (-1, 1):
                moved = nudge(control, value, steps)
                if _key(moved) not in seen:
                    seen.add(_key(moved))
                    after.append(moved)
        frontier = after
    return sorted(seen)


def _key(value) -> float:
    """A value to 12 significant digits: a log walk there and back (×10, ÷10) lands where it started."""
    return float(f"{float(value):.12g}")


def named_values(lesson: Lesson) -> list[NamedValue]:
    """The control values named in the prose beside each plot that has number controls."""
    blocks = lesson.blocks
    found: list[NamedValue] = []
    for i, block in enumerate(blocks):
        if not isinstance(block, Plot) or not block.controls:
            continue
        beside = [b for b in (blocks[i - 1] if i else None, blocks[i + 1] if i + 1 < len(blocks) else None)
                  if isinstance(b, Prose)]
        for control in block.controls:
            if control.choices:
                continue
            label = value_label(control.name)
            pattern = re.compile(rf"(?<![\w′]){re.escape(label)}(?![\w′]) = {NUMBER}")
            for prose in beside:
                for match in pattern.finditer(prose.text):
                    line = prose.line + prose.text.count("\n", 0, match.start())
                    value = float(match.group("value").replace("−", "-"))
                    found.append(NamedValue(line, block, control, label, value))
    return found


def unreachable(lesson: Lesson) -> list[NamedValue]:
    """The named values no walk of their control reaches (compared to 9 significant digits)."""
    out = []
    walks: dict[tuple[str, str], list[float]] = {}
    for named in named_values(lesson):
        key = (named.plot.id, named.control.name)
        if key not in walks:
            walks[key] = reachable(named.control, named.plot.start_values()[named.control.name])
        if not any(abs(v - named.value) <= 1e-9 * max(1.0, abs(named.value)) for v in walks[key]):
            out.append(named)
    return out


def check_reach(lesson: Lesson) -> list[tuple[int, str]]:
    """(line, message) warnings for `gdtui check`: prose that names a value its chart's control skips."""
    return [(n.line, f"the prose names {n.label} = {n.value:g}, but the control {n.control.name} of plot "
                     f"'{n.plot.id}' cannot be set to it (give the control a range and step that reach it)")
            for n in unreachable(lesson)]
