"""The playground's value editor: type an exact η, number of steps … or the view's range, in a small dialog.

The dialog only shows. It is given the text to start with, a line saying what to type, and `read` (pure:
gdtui.playground.typed) that says how a text reads. As the learner types, the line under the box says
"read as …" or what is wrong; enter closes the dialog with the reading only when the text reads (otherwise
the message stays and so does the dialog); escape closes it with None and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gdtui.i18n import N_, _
from gdtui.playground.typed import Typed

MAX_LENGTH = 200


class ValueEditor(ModalScreen[Typed | None]):
    """One setting's value as text: enter sets it when it reads, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), show=False)]

    DEFAULT_CSS = """
    ValueEditor { align: center middle; }
    ValueEditor > Vertical {
        width: 66; max-width: 95%; height: auto;
        border: round $accent; border-subtitle-color: $text-muted; background: $surface; padding: 0 1;
    }
    ValueEditor #value-hint { color: $text-muted; }
    ValueEditor Input { margin: 1 0 0 0; }
    ValueEditor #value-echo { padding: 0 1; min-height: 1; }
    """

    def __init__(self, heading: str, text: str, hint: str, read: Callable[[str], Typed]) -> None:
        super().__init__()
        self.heading = heading
        self.text = text
        self.hint = hint
        self.read = read

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.heading
            box.border_subtitle = _("enter sets it · escape cancels")
            yield Static(self.hint, id="value-hint")
            yield Input(self.text, max_length=MAX_LENGTH, select_on_focus=True, id="value-box")
            yield Static(id="value-echo")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._show(self.read(self.text))

    @property
    def echo(self) -> str:
        """What the line under the box says now (plain text)."""
        return self.query_one("#value-echo", Static).visual.plain

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(self.read(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = self.read(event.value)
        self._show(typed)
        if typed.ok:
            self.dismiss(typed)

    def _show(self, typed: Typed) -> None:
        if typed.ok:
            line = Content.assemble((_("read as") + " ", "$text-muted"), (typed.read_as, "bold"))
        else:
            line = Content.assemble(("✗ ", "bold $text-error"), (typed.error, "$text-error"))
        self.query_one("#value-echo", Static).update(line)

    def action_cancel(self) -> None:
        self.dismiss(None)
