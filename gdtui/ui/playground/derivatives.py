"""The exact derivatives of the playground's function in Unicode, and their values at the point.

f′ and f″ for f(x); ∂f/∂x, ∂f/∂y and the Hessian for f(x, y) (as a matrix when its entries are short).
The screen computes the `Sheet` (gdtui.playground.numbers) and sets it here; this only lays it out.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from gdtui.playground.numbers import Sheet


def matrix_lines(entries: tuple[tuple[str, ...], ...]) -> list[str]:
    """⎡ a  b ⎤ / ⎣ c  d ⎦ with the columns aligned."""
    widths = [max(len(row[i]) for row in entries) for i in range(len(entries[0]))]
    cells = ["  ".join(e.rjust(w) for e, w in zip(row, widths)) for row in entries]
    if len(cells) == 1:
        return [f"[ {cells[0]} ]"]
    left, right = ["⎡", *["⎢"] * (len(cells) - 2), "⎣"], ["⎤", *["⎥"] * (len(cells) - 2), "⎦"]
    return [f"{a} {c} {b}" for a, c, b in zip(left, cells, right)]


def sheet_renderable(sheet: Sheet) -> Group:
    formulas = Table.grid(padding=(0, 1))
    formulas.add_column(style="bold", no_wrap=True)
    formulas.add_column(overflow="fold")
    for name, text in sheet.formulas:
        formulas.add_row(name, f"= {text}" if name else text)
    if sheet.matrix:
        for i, line in enumerate(matrix_lines(sheet.matrix)):
            formulas.add_row("H" if i == 0 else "", ("= " if i == 0 else "  ") + line)
    parts: list = [formulas]
    if sheet.where:
        values = Text(sheet.where + ":", style="bold")
        for name, value in sheet.values:
            values.append("\n  ")
            values.append(f"{name} = ", style="dim")
            values.append(value)
        parts.append(values)
    if sheet.remark:
        parts.append(Text(sheet.remark, style="italic dim"))
    return Group(*parts)


class DerivativePanel(Static):
    """f, its exact derivatives and their values at the learner's point."""

    DEFAULT_CSS = """
    DerivativePanel { height: auto; }
    """

    sheet: reactive[Sheet | None] = reactive(None, init=False)
    """The panel's one model, set by the screen when the function or the point changes."""

    def watch_sheet(self, sheet: Sheet | None) -> None:
        self.update(sheet_renderable(sheet) if sheet is not None else "")
