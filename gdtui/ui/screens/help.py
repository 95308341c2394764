"""Every key the tutor answers to, grouped by where it applies."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from gdtui.i18n import N_, _

# (where, [(keys as shown, what they do, the binding keys they stand for)]): the one list of keys.
# A test checks that every key bound in gdtui.ui appears in some row's third column.
KEYS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        N_("Everywhere"),
        (
            ("?", N_("this help"), "question_mark"),
            ("ctrl+p", N_("command palette: jump to any lesson, change the theme, …"), "ctrl+p"),
            ("q  ctrl+q", N_("quit (q when you are not typing an answer); your progress is already saved"), "q,ctrl+q"),
            ("tab  shift+tab", N_("move between charts, answer boxes and buttons"), "tab,shift+tab"),
        ),
    ),
    (
        N_("Course map"),
        (
            ("↑ ↓  j k  home end", N_("choose a lesson"), "up,down,j,k,home,end"),
            ("enter", N_("open the lesson"), "enter"),
            ("R", N_("reset your progress (asks first)"), "R"),
            ("P", N_("the playground"), "P"),
            ("l", N_("switch the language: 中文 / English (a bundled course too)"), "l"),
        ),
    ),
    (
        N_("Lesson"),
        (
            ("n  ]", N_("next lesson"), "n,right_square_bracket"),
            ("p  [", N_("previous lesson"), "p,left_square_bracket"),
            ("escape", N_("leave the answer box; again: back to the course map"), "escape"),
            ("↑ ↓  pgup pgdn", N_("scroll the lesson"), "up,down,pageup,pagedown"),
        ),
    ),
    (
        N_("Chart (click it or tab to it)"),
        (
            ("← →", N_("change the selected value"), "left,right"),
            ("shift+← →", N_("change it ten steps at a time"), "shift+left,shift+right"),
            ("tab  shift+tab", N_("next / previous value; past the last one, on to the next part"), "tab,shift+tab"),
            ("c", N_("cycle through the values"), "c"),
            ("space", N_("play / pause the descent, one step per tick"), "space"),
            ("s", N_("one step of the descent"), "s"),
            ("r", N_("reset the chart to the lesson's values"), "r"),
            ("d", N_("describe the chart in one sentence, with its numbers"), "d"),
        ),
    ),
    (
        N_("Exercise"),
        (
            ("enter", N_("check your answer (input it cannot read costs nothing)"), "enter"),
            ("↑ ↓ enter  a b c", N_("pick a choice: move and press enter, or press its letter"), "up,down,enter"),
            ("ctrl+g", N_("a hint (some come only after a wrong answer)"), "ctrl+g"),
            ("ctrl+o", N_("give up and see the solution; once solved, see it again"), "ctrl+o"),
            ("ctrl+r", N_("the same exercise with new numbers"), "ctrl+r"),
        ),
    ),
)


def keys_table(new_numbers: bool = True) -> Group:
    """Each section's title, then its keys and what they do in two aligned columns (ctrl+r only where an
    exercise can have other numbers)."""
    width = max(cell_len(_(keys)) for _where, rows in KEYS for keys, _what, _bound in rows) + 2
    parts: list = []
    for where, rows in KEYS:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold", width=width)
        table.add_column()
        for keys, what, bound in rows:
            if bound != "ctrl+r" or new_numbers:
                table.add_row("  " + _(keys), _(what))
        parts += [Text(_(where), style="bold underline"), table, Text()]
    return Group(*parts[:-1])


class HelpScreen(ModalScreen[None]):
    """A scrollable card of keys; any of escape, ?, q or enter closes it."""

    BINDINGS = [Binding("escape,question_mark,q,enter", "close", N_("Close"))]

    def __init__(self, new_numbers: bool = True) -> None:
        super().__init__()
        self.new_numbers = new_numbers

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-card") as card:
            card.border_title = _("Keys")
            card.border_subtitle = _("↑ ↓ scroll · escape closes")
            yield Static(keys_table(self.new_numbers), id="help-keys")

    def action_close(self) -> None:
        self.dismiss()
