"""Where the learner is in a lesson (scroll position, the answer box they are typing in), kept across a reload
of the lesson in watch mode."""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input

from gdtui.ui.widgets.exercise_panel import ExercisePanel


@dataclass(frozen=True)
class Place:
    scroll_y: float
    exercise_id: str | None = None  # the exercise whose answer box has the focus
    typed: str = ""                 # what is in that box
    row: int = 0                    # the exercise's row on the screen


def place_of(screen: Screen, body: VerticalScroll) -> Place:
    focused = screen.focused
    panel = next((a for a in focused.ancestors if isinstance(a, ExercisePanel)), None) \
        if isinstance(focused, Input) else None
    if panel is None or not panel.id:
        return Place(body.scroll_y)
    return Place(body.scroll_y, panel.id.removeprefix("exercise-"), focused.value,
                 panel.virtual_region.y - int(body.scroll_y))


def restore_place(screen: Screen, body: VerticalScroll, place: Place) -> None:
    """Scroll back; put the focus and the typed text back in the same exercise's box and, once the new blocks
    are laid out, scroll so that it is on the same row as before (blocks above may have grown, shrunk or been
    left out)."""
    body.scroll_to(y=place.scroll_y, animate=False)
    panel = next(iter(screen.query(f"#exercise-{place.exercise_id}")), None) if place.exercise_id else None
    if not isinstance(panel, ExercisePanel):
        return
    box = panel.query_one(Input)
    box.value = place.typed
    box.focus(scroll_visible=False)
    screen.call_after_refresh(lambda: body.scroll_to(y=max(0, panel.virtual_region.y - place.row), animate=False))
