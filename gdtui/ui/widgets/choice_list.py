"""A choice exercise's options, picked with ↑/↓ and Enter or by their letter (a, b, c…).

The list only says which option was picked (`Picked`, with its letter); the exercise panel turns that into
an answer, graded like typed text.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def letter(index: int) -> str:
    return chr(ord("a") + index)


class ChoiceList(OptionList):
    """Options "a) …", "b) …"; enter or a letter key picks one."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 12; border: none; padding: 0; background: transparent; }
    ChoiceList:focus { border: none; background-tint: $foreground 4%; }
    """

    class Picked(Message):
        """The learner picked the option with this letter."""

        def __init__(self, choice_list: ChoiceList, letter: str) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.letter = letter

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, choices: tuple[str, ...], *, classes: str | None = None) -> None:
        super().__init__(*self._options(choices), classes=classes, compact=True)
        self.choices = choices

    @staticmethod
    def _options(choices: tuple[str, ...]) -> list[Option]:
        return [Option(Text.assemble((f"{letter(i)}) ", "bold"), choice), id=letter(i))
                for i, choice in enumerate(choices)]

    def show(self, choices: tuple[str, ...]) -> None:
        """Show these choices (a new variant may change their numbers); the highlight stays put."""
        if choices == self.choices:
            return
        highlighted = self.highlighted
        self.choices = choices
        self.set_options(self._options(choices))
        if highlighted is not None and highlighted < len(choices):
            self.highlighted = highlighted

    def on_key(self, event: events.Key) -> None:
        """A letter that names an option picks it; other keys (n, p, q …) go on to the screen."""
        key = unicodedata.normalize("NFKC", event.character) if event.character else None  # ｃ from a Chinese keyboard
        if key is not None and len(key) == 1 and "a" <= key.lower() <= "z":
            index = ord(key.lower()) - ord("a")
            if index < len(self.choices):
                event.stop()
                event.prevent_default()
                self.highlighted = index
                self.post_message(self.Picked(self, letter(index)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(self, letter(event.option_index)))
