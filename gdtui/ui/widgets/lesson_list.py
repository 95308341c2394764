"""The course map's list: one card per lesson (or per broken lesson file) with its progress mark."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from gdtui.i18n import N_, _, ngettext
from gdtui.ui.strips import text_to_strips
from gdtui.ui.wrap import wrap_cells

MARKS = {"done": "✓", "started": "◐", "new": "○", "broken": "✗"}


@dataclass(frozen=True)
class LessonEntry:
    """What the map shows of one lesson. `key` is the lesson id, or the file path of a broken lesson."""

    key: str
    number: int
    title: str
    objectives: tuple[str, ...] = ()
    status: str = "new"  # done | started | new | broken
    solved: int = 0
    total: int = 0
    errors: tuple[str, ...] = ()  # "path:line: message" for a broken file
    fallback: bool = False  # shown in English: its translation is not written yet


STATUS_STYLES = {"done": "bold green", "started": "bold yellow", "broken": "bold red", "new": "dim"}
INDENT = 8  # where titles, objectives and errors start: " ✓  12. "


def lesson_card(entry: LessonEntry, width: int, expanded: bool = True) -> Text:
    """Mark, number, title and solved/total on one line; then the objectives (or a broken file's
    errors): all of them when `expanded`, else one line cut with an ellipsis."""
    style = STATUS_STYLES[entry.status]
    score = f"{entry.solved}/{entry.total}" if entry.total else ""
    if entry.status == "broken":
        score = ngettext("{n} error", "{n} errors", len(entry.errors)).format(n=len(entry.errors))
    title = Text(entry.title, style="bold")
    if entry.fallback:  # the translator places the title: "What a derivative is (in English)", "…（英文）"
        before, _sep, after = _("{title} (in English)").partition("{title}")
        title = Text.assemble((before, "dim"), title, (after, "dim"))
    title.truncate(max(4, width - INDENT - cell_len(score) - 2), overflow="ellipsis")
    card = Text.assemble(
        (f" {MARKS[entry.status]}  ", style),
        (f"{entry.number:>2}. " if entry.number else "    ", "dim"),
        title,
        " " * max(1, width - INDENT - title.cell_len - cell_len(score)),
        (score, style),
        no_wrap=True,
    )
    room = max(10, width - INDENT - 1)
    if entry.status == "broken":
        lines = [Text(error, style="red") for error in entry.errors]
        if not expanded:
            lines = lines[:1]
    elif expanded:
        lines = wrap_cells(Text(" · ".join(entry.objectives), style="dim"), room)
    else:
        lines = [Text(" · ".join(entry.objectives), style="dim")] if entry.objectives else []
    for line in lines:
        line.truncate(room, overflow="ellipsis")
        card.append("\n" + " " * INDENT)
        card.append_text(line)
    return card


class LessonList(ScrollView, can_focus=True):
    """Lesson cards in course order, one highlighted; Enter or a click opens. The screen sets `entries`.

    Each card takes two lines; the highlighted one opens to show all its objectives (or errors). A
    line-API widget: cards are drawn once per width into cached strips, so the map appears at once
    even for a long course.
    """

    BINDINGS = [
        Binding("enter", "open", N_("Open lesson")),
        Binding("up,k", "move(-1)", N_("Up"), show=False),
        Binding("down,j", "move(1)", N_("Down"), show=False),
        Binding("home", "move(-1000000)", N_("First"), show=False),
        Binding("end", "move(1000000)", N_("Last"), show=False),
    ]

    COMPONENT_CLASSES = {"lesson-list--highlight"}

    DEFAULT_CSS = """
    LessonList { height: 1fr; background: transparent; overflow-x: hidden; scrollbar-gutter: stable; }
    LessonList > .lesson-list--highlight {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    entries: reactive[tuple[LessonEntry, ...]] = reactive((), init=False, always_update=False)
    """The list's one model, in course order."""
    highlighted: reactive[int] = reactive(0, init=False)
    """Index of the highlighted card."""

    class Opened(Message):
        """The learner chose a card (Enter or a click)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []
        self._owner: list[int] = []  # the card index of each line (-1 for a separator)
        self._tops: list[int] = []  # the first line of each card
        self._built: tuple = (None, None, None)  # (width, colours, highlighted) of the layout
        self._cards: dict[tuple[int, bool], list[Strip]] = {}

    def watch_entries(self) -> None:
        self.highlighted = min(self.highlighted, max(0, len(self.entries) - 1))
        self._built, self._cards = (None, None, None), {}
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()  # a theme change: `_layout` notices the new base style

    def watch_highlighted(self) -> None:
        if self.is_mounted:
            self.scroll_to_highlight()
        self.refresh()

    @property
    def highlighted_key(self) -> str | None:
        return self.entries[self.highlighted].key if self.entries else None

    def highlight_key(self, key: str) -> None:
        keys = [entry.key for entry in self.entries]
        if key in keys:
            self.highlighted = keys.index(key)

    # -- drawing ---------------------------------------------------------------------------------
    def _card(self, index: int, width: int, base: Style) -> list[Strip]:
        """The strips of one card, the highlighted one expanded; cached until width or colours change."""
        expanded = index == self.highlighted
        key = (index, expanded)
        if key not in self._cards:
            self._cards[key] = text_to_strips(lesson_card(self.entries[index], width, expanded), width, base)
        return self._cards[key]

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        base = self.rich_style  # the widget's colours under every card (and a style on every segment)
        key = (width, base, self.highlighted)
        if key == self._built:
            return
        if key[:2] != self._built[:2]:
            self._cards = {}
        self._built = key
        self._strips, self._owner, self._tops = [], [], []
        for index in range(len(self.entries)):
            self._tops.append(len(self._strips))
            card = self._card(index, width, base)
            self._strips.extend(card)
            self._owner.extend([index] * len(card))
        self.virtual_size = Size(width, len(self._strips))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        number = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if number >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        strip = self._strips[number]
        if self._owner[number] == self.highlighted:
            cursor = self.get_component_rich_style("lesson-list--highlight")
            strip = Strip(Segment.apply_style(list(strip), post_style=Style(bgcolor=cursor.bgcolor)),
                          strip.cell_length)
        return strip

    def on_resize(self) -> None:
        self._layout()
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        self._layout()
        if not self.entries or self.highlighted >= len(self._tops):
            return
        top = self._tops[self.highlighted]
        height = self._owner.count(self.highlighted)
        self.scroll_to_region(Region(0, max(0, top - 1), self.scrollable_content_region.width, height + 2),
                              animate=False, force=True, immediate=True)

    # -- keys and mouse ------------------------------------------------------------------------------
    def action_move(self, offset: int) -> None:
        if self.entries:
            self.highlighted = max(0, min(len(self.entries) - 1, self.highlighted + offset))

    def action_open(self) -> None:
        if self.entries:
            self.post_message(self.Opened(self.entries[self.highlighted].key))

    def on_click(self, event: events.Click) -> None:
        number = self.scroll_offset.y + event.y
        if 0 <= number < len(self._owner) and self._owner[number] >= 0:
            self.highlighted = self._owner[number]
            self.action_open()
