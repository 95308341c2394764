"""The function box of the playground: f as the learner types it, and how the tutor read it.

The box never parses. It posts `Changed` as the learner types and `Submitted` on enter; the screen reads
the text and sets `echo` down: "read as x² + 2·x + 1", or the message with the faulty spot highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from gdtui.i18n import N_, _

MAX_LENGTH = 1000  # the expression language's own cap
PLACEHOLDER = N_("a function of x, or of x and y: x**4 - 3*x**2 + x   (1-x)**2 + 100*(y-x**2)**2   rosenbrock")


@dataclass(frozen=True)
class Echo:
    """What the line under the box says about the text in it."""

    text: str  # the text this echo is about
    signature: str = "f(x)"  # the label before the box: f(x) or f(x, y)
    read_as: str = ""
    error: str = ""  # the reader's message, "column 8: unknown name 'z'; …"
    column: int | None = None  # 1-based, into text
    note: str = ""  # "enter draws it", "a preset: … (enter loads it)"


def echo_text(echo: Echo) -> Content:
    """The echo line: read as …, or ✗ the text with the faulty character marked, and the message."""
    parts: list[str | tuple[str, str]] = []
    if echo.error:
        parts.append(("✗ ", "bold $text-error"))
        if echo.column is not None and echo.text:
            at = echo.column - 1
            start = max(0, at - 24)
            parts.append((("…" if start else "") + echo.text[start:at], "$text-muted"))
            parts.append((echo.text[at:at + 1] or " ", "bold reverse $text-error"))
            parts.append((echo.text[at + 1:at + 13] + "  ", "$text-muted"))
        parts.append((_("I could not read that: {problem}").format(problem=echo.error), "$text-error"))
    else:
        if echo.read_as:
            parts += [(_("read as") + " ", "$text-muted"), (echo.read_as, "bold")]
        if echo.note:
            parts.append((("   " if echo.read_as else "") + echo.note, "italic $text-muted"))
    return Content.assemble(*parts)


class FunctionInput(Widget):
    """`f(x, y) = [ the box ]` and, under it, how the text was read."""

    DEFAULT_CSS = """
    FunctionInput { height: 2; padding: 0 1; }
    FunctionInput > Horizontal { height: 1; }
    FunctionInput .signature { width: auto; text-style: bold; color: $text-accent; margin-right: 1; }
    FunctionInput Input { width: 1fr; }
    FunctionInput .echo { height: 1; padding-left: 2; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    echo: reactive[Echo | None] = reactive(None, init=False)
    """The widget's one model: how the screen read the text (set after every change and on enter)."""

    class Changed(Message):
        """The learner edited the text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Submitted(Message):
        """The learner pressed enter: draw this function (or load this preset)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = text

    def watch_echo(self, echo: Echo | None) -> None:
        if echo is None:
            return
        self.query_one(".signature", Static).update(f"{echo.signature} =")
        self.query_one(".echo", Static).update(echo_text(echo))
        box = self.query_one(Input)
        if box.value != echo.text:
            with box.prevent(Input.Changed):
                box.value = echo.text
                box.cursor_position = len(echo.text)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("f(x) =", classes="signature")
            yield Input(self._text, placeholder=_(PLACEHOLDER), max_length=MAX_LENGTH, compact=True)
        yield Static(classes="echo")

    @property
    def box(self) -> Input:
        return self.query_one(Input)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.echo is not None and event.value != self.echo.text:  # an edit, not the box being filled
            self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))
