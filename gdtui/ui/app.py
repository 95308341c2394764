"""The tutor app: holds the course, the learner's progress and the screens; screens do the rest."""

from __future__ import annotations

import sys
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from gdtui.store import StoreError
from gdtui.ui.commands import LessonCommands
from gdtui.ui.library import Library
from gdtui.ui.progress import LearnerProgress, save_before_ending
from gdtui.ui.screens.course_map import CourseMapScreen
from gdtui.ui.screens.help import HelpScreen
from gdtui.ui.screens.too_small import TooSmallScreen, too_small



class TutorApp(App[int]):
    """Course map first; lessons are pushed on top of it."""

    CSS_PATH = "app.tcss"
    TITLE = "gdtui"
    COMMANDS = App.COMMANDS | {LessonCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    course_version: reactive[int] = reactive(0)
    """Goes up each time the lessons are read again (watch mode); screens watch it."""

    def __init__(self, lessons: Path, data_dir: Path, learner: str, *, watch: bool = False,
                 play: str | None = None, start_in_playground: bool = False, database: str | None = None) -> None:
        super().__init__()
        self.library = Library(lessons, cache_dir=Path(data_dir) / "cache")
        self.progress = LearnerProgress(data_dir, learner, database)
        self.watching = watch
        self._play = play
        self._start_in_playground = start_in_playground

    def get_default_screen(self) -> CourseMapScreen:
        return CourseMapScreen()

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tell_saving)
        if self.watching:
            self.set_interval(1.0, self._poll_lessons)
        if self._start_in_playground:
            self.open_playground(self._play)
        self.on_resize()

    def on_resize(self, event: events.Resize | None = None) -> None:
        size = event.size if event is not None else self.size
        small = too_small(size.width, size.height)
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def on_unmount(self) -> None:
        self.progress.close()  # waits a few seconds at most for answers still on their way to the database

    def _tell_saving(self) -> None:
        """An answer waiting for the database, or saving again after a wait: say so (the writer keeps it)."""
        notice = self.progress.saving_notice()
        if notice is not None:
            severity, message = notice
            self.notify(message, severity=severity, timeout=8 if severity != "warning" else 20, markup=False)

    def _poll_lessons(self) -> None:
        if self.library.reload_if_changed():
            self.course_version += 1

    # -- what screens and commands ask for ---------------------------------------------------------
    def open_lesson(self, key: str) -> None:
        """Show a lesson (or its error card) in place of the current lesson, or over the map."""
        from gdtui.ui.screens.lesson import LessonScreen  # charts, numpy, markdown: not needed for the map

        screen = LessonScreen(key)
        if isinstance(self.screen, LessonScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_map(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_playground(self, function: str | None = None) -> None:
        from gdtui.ui.playground.screen import PlaygroundScreen

        self.push_screen(PlaygroundScreen(function))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def run_app(lessons: Path, data_dir: Path, learner: str, watch: bool = False, play: str | None = None,
            start_in_playground: bool = False, database: str | None = None) -> int:
    """Run the tutor in this terminal until the learner quits; the exit status."""
    try:
        app = TutorApp(Path(lessons), Path(data_dir), learner, watch=watch, play=play,
                       start_in_playground=start_in_playground, database=database)
    except StoreError as exc:  # a progress database that cannot be opened: say so, no traceback
        print(f"gdtui: {exc}", file=sys.stderr)
        return 1
    save_before_ending(app.progress)
    try:
        app.run()
    finally:
        unsaved = app.progress.close()
        if unsaved:
            print(f"gdtui: {unsaved} change(s) to your progress could not be saved: "
                  f"{app.progress.writer.problem or 'the database did not answer'}", file=sys.stderr)
    return app.return_code or 0
