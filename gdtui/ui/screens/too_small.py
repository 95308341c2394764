"""Shown instead of everything else while the terminal is smaller than the app can use."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Static

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
        self.query_one("#too-small-message", Static).update(
            "Please make the terminal a little larger.\n\n"
            f"gdtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {width}×{height}.\n"
            "80×24 or more is best.\n\n"
            "ctrl+q quits."
        )
