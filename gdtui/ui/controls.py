"""Plot values under the learner's keys: one step of a control, and the line that shows them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from gdtui.charts import fmt
from gdtui.charts.glyphs import glyph
from gdtui.course.model import INTEGER_VALUES, Control
from gdtui.ui.labels import value_label

HINT = "(tab or click here to change them)"


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


def controls_line(controls: Sequence[Control], values: Mapping[str, Any], selected: int, focused: bool,
                  width: int, mode: str = "braille", held: Collection[str] = ()
                  ) -> tuple[Text, list[tuple[int, int]]]:
    """The values the learner can change, the selected one marked, and the (start, end) column of each (for
    clicks; (−1, −1) for one left out). A value that does not fit is left out whole (the selected one stays),
    never cut. A ``held`` value (it would show an exercise's answer) says it waits for the answer."""
    if not controls:
        return Text(), []
    chosen = selected % len(controls)
    pieces = []
    for index, control in enumerate(controls):
        label = glyph(mode, f"{value_label(control.name)} = {fmt.value(values.get(control.name))}")
        if control.name in held:
            label += " (after you answer)"
        if index == chosen and focused:
            pieces.append((index, glyph(mode, f"◂ {label} ▸"), "reverse bold"))
        else:
            pieces.append((index, f"  {label}  ", "bold" if index == chosen else "dim"))
    while len(pieces) > 1 and sum(cell_len(text) + 2 for _, text, _ in pieces) - 2 > width:
        pieces.remove(next(p for p in reversed(pieces) if p[0] != chosen))
    line = Text(no_wrap=True, overflow="crop")
    spans = {}
    for index, text, style in pieces:
        start = line.cell_len
        line.append(text, style=style)
        spans[index] = (start, line.cell_len)
        line.append("  ")
    if not focused and line.cell_len + len(HINT) <= width:
        line.append(HINT, style="dim italic")
    return line, [spans.get(i, (-1, -1)) for i in range(len(controls))]
