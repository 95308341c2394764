"""A lesson file's problems, one `path:line: error: message` per line: where the lesson would be, or (watch
mode, `inline`) where a block that was left out of the lesson would be."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from gdtui.i18n import _
from gdtui.course.model import CourseError


def error_lines(errors: Sequence[CourseError], *, file_name_only: bool = False) -> Text:
    text = Text()
    for index, error in enumerate(errors):
        if index:
            text.append("\n")
        text.append(f"{error.path.name if file_name_only else error.path}:{error.line}: ", style="bold")
        text.append(f"{error.severity}: ", style="bold red" if error.severity == "error" else "bold yellow")
        text.append(error.message)
    return text


class ErrorCard(Static):
    """Shows `errors` (its one model) and what to do about them."""

    DEFAULT_CSS = """
    ErrorCard {
        height: auto;
        border: round $error;
        border-title-color: $text-error;
        border-title-style: bold;
        padding: 1 2;
        margin: 1 0;
    }
    """

    errors: reactive[tuple[CourseError, ...]] = reactive((), init=False)
    """The problems to show, in file order."""

    def __init__(self, errors: Sequence[CourseError], *, watching: bool = False, inline: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.watching = watching
        self.inline = inline
        self.border_title = _("Left out of the lesson: fix this") if inline else _("This lesson cannot be shown")
        self.set_reactive(ErrorCard.errors, tuple(errors))

    def on_mount(self) -> None:
        self._show(self.errors)

    def watch_errors(self, errors: tuple[CourseError, ...]) -> None:
        self._show(errors)

    def _show(self, errors: tuple[CourseError, ...]) -> None:
        text = error_lines(errors, file_name_only=self.inline)
        text.append("\n\n")
        if self.inline:
            text.append(_("Save the file again and the lesson reloads here, where you are."), style="italic")
        elif self.watching:
            text.append(_("Fix the file and save it: the lesson reloads by itself."), style="italic")
        else:
            text.append(_("Run `gdtui check` on the file for details, or start gdtui with --watch "
                          "to see the lesson as soon as it is fixed."), style="italic")
        self.update(text)
