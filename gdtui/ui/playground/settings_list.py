"""The playground's settings: which optimizers race, η, the schedule, the steps, what the chart shows.

A list the learner walks with ↑/↓: ←/→ change the highlighted value (shift: bigger steps), space or enter
switches an option on or off, and enter on a number (or the range) asks to type it. The list never changes
a setting itself: it posts `Adjusted` or `EditRequested`, the screen changes its `Setup` and sets the new
`rows` down.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from gdtui.i18n import N_
from gdtui.playground.settings import Row

LABEL_WIDTH = 18


def row_prompt(row: Row) -> Content:
    if row.kind == "heading":
        return Content.assemble((row.label, "bold $text-accent"), (f"  {row.note}" if row.note else "", "dim italic"))
    if row.kind == "toggle":
        parts: list = [("■ " if row.on else "□ ", "bold $text-success" if row.on else "$text-muted"), row.label]
    else:
        label = row.label + " " * max(0, LABEL_WIDTH - cell_len(row.label))  # a Chinese label: two cells a character
        parts = [label, ("◂ ", "$text-muted"), (row.value, "bold"), (" ▸", "$text-muted")]
    if row.note:
        parts.append((f"\n  {row.note}", "dim italic"))
    return Content.assemble(*parts)


class SettingsList(OptionList):
    """The settings that apply to the current function, one per line."""

    BINDINGS = [
        Binding("left", "adjust(-1)", N_("Less"), key_display="←", show=False),
        Binding("right", "adjust(1)", N_("More"), key_display="→", show=False),
        Binding("shift+left", "adjust(-1, True)", N_("Much less"), show=False),
        Binding("shift+right", "adjust(1, True)", N_("Much more"), show=False),
        Binding("space", "adjust(0)", N_("On/off"), show=False),
        Binding("enter", "edit", N_("Type a value"), show=False),
    ]

    DEFAULT_CSS = """
    SettingsList { height: auto; max-height: 100%; border: none; padding: 0; background: transparent; }
    SettingsList:focus { border: none; background-tint: $foreground 3%; }
    SettingsList > .option-list--option-disabled { color: $text; }
    """

    rows: reactive[tuple[Row, ...]] = reactive(tuple, init=False)
    """The list's one model: the rows of the current setup, set by the screen after every change."""

    class Adjusted(Message):
        """The learner asked to change the row `key`: direction −1 (←), +1 (→) or 0 (switch)."""

        def __init__(self, key: str, direction: int, big: bool = False) -> None:
            super().__init__()
            self.key = key
            self.direction = direction
            self.big = big

    class EditRequested(Message):
        """The learner pressed enter on the number (or range) row `key`: open the editor."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def watch_rows(self, rows: tuple[Row, ...]) -> None:
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        self.set_options(Option(row_prompt(row), id=row.key, disabled=not row.selectable) for row in rows)
        keys = [row.key for row in rows]
        if current in keys:
            self.highlighted = keys.index(current)
        elif self.highlighted is None or self.highlighted >= len(rows) or not rows[self.highlighted].selectable:
            self.highlighted = next((i for i, row in enumerate(rows) if row.selectable), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Adjusted(event.option.id, 0))

    def action_edit(self) -> None:
        """Enter: type a number row's value; on a switch or a choice, what a click does."""
        option = self.highlighted_option
        row = next((row for row in self.rows if option is not None and row.key == option.id), None)
        if row is not None and row.kind == "number":
            self.post_message(self.EditRequested(row.key))
        else:
            self.action_select()

    def action_adjust(self, direction: int, big: bool = False) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Adjusted(option.id, direction, big))
