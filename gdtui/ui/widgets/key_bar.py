"""The keys that apply here, in one line at the bottom: a light stand-in for Textual's `Footer`.

`Footer` rebuilds a widget per key each time the bindings change (several times while a screen
starts); this draws one line of text instead. A click on a key presses it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

from gdtui.i18n import _


class KeyBar(Widget):
    """Shows the focused chain's bindings that have `show=True`, then the command palette key. Binding
    descriptions are English msgids (marked with ``N_`` where bound) and translated here, as they are drawn."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .key-bar--description { color: $footer-description-foreground; }
    KeyBar > .key-bar--disabled { color: $text-disabled; }
    """

    def on_mount(self) -> None:
        self._shown: tuple = ()
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        if hasattr(self.app, "language"):
            self.watch(self.app, "language", lambda: self.refresh(), init=False)

    def _bindings_changed(self, _screen: object) -> None:
        if self._keys() != self._shown:  # focus moved, but the keys that apply may be the same
            self.refresh()

    def _keys(self) -> tuple:
        return tuple((binding.key, binding.description, enabled)
                     for _node, binding, enabled, _tooltip in self.screen.active_bindings.values() if binding.show)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def render(self) -> Text:
        self._shown = self._keys()
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        off_style = self.get_component_rich_style("key-bar--disabled")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._regions: list[tuple[int, int, str]] = []  # (start, end, key) for clicks
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in ("app.command_palette", "command_palette"):
                palette = binding
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = line.cell_len
            line.append(f" {self.app.get_key_display(binding)} ", key_style if enabled else off_style)
            line.append(f"{_(binding.description)} ", text_style if enabled else off_style)
            self._regions.append((start, line.cell_len, binding.key.split(",")[0].strip()))
        if palette is not None:
            right = Text.assemble((f" {self.app.get_key_display(palette)} ", key_style),
                                  (_("palette") + " ", text_style))
            room = self.size.width - line.cell_len - right.cell_len
            if room >= 1:
                line.append(" " * room)
                self._regions.append((line.cell_len, line.cell_len + right.cell_len, palette.key))
                line.append_text(right)
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key in getattr(self, "_regions", ()):
            if start <= event.x < end:
                self.app.simulate_key(key)
