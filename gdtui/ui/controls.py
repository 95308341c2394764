"""Plot values under the learner's keys: one step of a control (`nudge`, kept in `gdtui.course.controls`,
which `gdtui check` walks too), and the line that shows them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from gdtui.i18n import N_, _
from gdtui.charts import fmt
from gdtui.charts.glyphs import glyph
from gdtui.course.controls import nudge, value_label
from gdtui.course.model import Control

__all__ = ["HINT", "controls_line", "nudge"]

HINT = N_("(tab or click here to change them)")


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
            label += " " + _("(after you answer)")
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
    if not focused and line.cell_len + cell_len(_(HINT)) <= width:
        line.append(_(HINT), style="dim italic")
    return line, [spans.get(i, (-1, -1)) for i in range(len(controls))]
