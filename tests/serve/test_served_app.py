"""The tutor as a served session (``gdtui serve``): no command that only works at the learner's own machine,
no job control."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from gdtui.ui.app import TutorApp

COURSE = Path(__file__).resolve().parent / "data" / "course"


def palette_titles(served: bool, data_dir: Path) -> tuple[list[str], object]:
    async def run():
        app = TutorApp(COURSE, data_dir, "ada", served=served)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            return [command.title for command in app.get_system_commands(app.screen)], signal.getsignal(signal.SIGTSTP)

    before = signal.getsignal(signal.SIGTSTP)
    try:
        return asyncio.run(run())
    finally:
        signal.signal(signal.SIGTSTP, before)


def test_a_served_session_offers_no_screenshot_and_ignores_sigtstp(tmp_path):
    at_home, _ = palette_titles(False, tmp_path / "home")
    served, sigtstp = palette_titles(True, tmp_path / "served")
    assert "Screenshot" in at_home  # the learner's own machine: the file lands where they can open it
    assert "Screenshot" not in served  # it would be saved on the server
    assert set(at_home) - set(served) == {"Screenshot"}
    assert sigtstp == signal.SIG_IGN


def test_in_a_browser_the_map_has_the_keys_once_the_page_has_the_focus(tmp_path):
    from textual import events
    from textual.widgets import Input

    from gdtui.ui.screens.lesson import LessonScreen
    from gdtui.ui.widgets.lesson_list import LessonList

    async def run():
        app = TutorApp(COURSE, tmp_path, "ada", served=True)
        app.set_reactive(TutorApp.app_focus, False)  # as Textual's web driver starts it: blurred, before any focus
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert app.focused is None  # Textual's own auto focus waited: the app had no focus
            app.post_message(events.AppFocus())  # the page's terminal got the focus (web_page.js)
            await pilot.pause()
            assert isinstance(app.focused, LessonList)
            await pilot.press("enter")
            await pilot.pause()
            return type(app.screen), [type(widget) for widget in app.screen.query(Input)]

    screen, inputs = asyncio.run(run())
    assert screen is LessonScreen and inputs  # the lesson, with its exercise's answer box
