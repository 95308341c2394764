"""One line at the top of a screen: a title on the left, a status on the right."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class TitleBar(Widget):
    """`left` and `right` (Rich text) on one line. When space is short the left part is cut first (down
    to 24 cells), then the right."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    left: reactive[Text] = reactive(Text, layout=False)
    """The title."""
    right: reactive[Text] = reactive(Text, layout=False)
    """A status: the learner, the exercises solved."""

    def render(self) -> Text:
        width = self.content_size.width
        left, right = self.left.copy(), self.right.copy()
        if left.cell_len + right.cell_len + 2 > width:
            left.truncate(max(min(24, left.cell_len), width - right.cell_len - 2), overflow="ellipsis")
        if left.cell_len + right.cell_len + 2 > width:
            right.truncate(max(0, width - left.cell_len - 2), overflow="ellipsis")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append_text(left)
        line.append(" " * max(1, width - left.cell_len - right.cell_len))
        line.append_text(right)
        return line
