"""Shown instead of everything else while the terminal is smaller than the app can use."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Static

from gdtui.i18n import _

MIN_WIDTH = 60
MIN_HEIGHT = 20


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """A calm request to make the terminal larger; the app removes it once there is room."""

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(id="too-small-message")

    def on_mount(self) -> None:
        self._show(self.app.size.width, self.app.size.height)

    def on_resize(self) -> None:
        self._show(self.app.size.width, self.app.size.height)

    def _show(self, width: int, height: int) -> None:
        self.query_one("#too-small-message", Static).update("\n\n".join((
            _("Please make the terminal a little larger."),
            _("gdtui needs at least {min_width}×{min_height}; this one is {width}×{height}.").format(
                min_width=MIN_WIDTH, min_height=MIN_HEIGHT, width=width, height=height)
            + "\n" + _("80×24 or more is best."),
            _("ctrl+q quits."),
        )))
