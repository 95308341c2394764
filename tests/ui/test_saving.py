"""Saving never holds up the screen: with the progress file locked by another program, the learner's answer is
graded and shown at once, keys keep working, the learner is told the answer is waiting, and it is stored
exactly once when the lock goes."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input

from gdtui.store import SqliteStore, open_store
from gdtui.ui.widgets.exercise_panel import ExercisePanel

from ui_helpers import SIZE, answer, open_lesson

PAUSES = 600  # at most this many short pauses while waiting for the writer (a count, not a clock)


async def pause_until(pilot, condition) -> bool:
    for _ in range(PAUSES):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_locked_database_never_freezes_the_screen(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        writer = app.progress.writer
        assert await pause_until(pilot, lambda: writer.pending == 0)
        lock = sqlite3.connect(data_dir / "progress.sqlite3", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # another program takes the write lock and keeps it
        try:
            panel = screen.query_one("#exercise-slope", ExercisePanel)
            await answer(pilot, panel, "7")
            assert panel.state.verdict == "incorrect" and panel.state.attempts == 1  # graded and shown at once
            assert writer.pending >= 1  # … while the answer waits for the database
            assert await pause_until(pilot, lambda: any(n.startswith("Saving is waiting: ") for n in notices(app)))
            box = panel.query_one(Input)
            box.focus()
            box.value = ""
            await pilot.press("1", "2")  # the screen still takes keys
            assert box.value == "12" and writer.pending >= 1
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert await pause_until(pilot, lambda: any(n.startswith("Saved") for n in notices(app)))
        assert writer.pending == 0
    with SqliteStore(data_dir) as store:
        assert [(a.input, a.verdict) for a in store.attempts("ada", "slopes", "slope")] == [("7", "incorrect")]
        assert store.get_exercise_state("ada", "slopes", "slope").attempts == 1
        assert [learner.name for learner in store.learners()] == ["ada"]


async def test_postgres_going_away_mid_lesson(make_app, data_dir, pg_server, pg_url):
    """The class's database stops while a student works: the answer is graded at once, the student is told it
    waits, and when the server is back it is stored, once."""
    app = make_app(database=pg_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "slopes")
        writer = app.progress.writer
        assert await pause_until(pilot, lambda: writer.pending == 0)
        pg_server.stop("fast")
        try:
            panel = screen.query_one("#exercise-slope", ExercisePanel)
            await answer(pilot, panel, "7")
            assert panel.state.verdict == "incorrect" and panel.state.attempts == 1
            assert await pause_until(pilot, lambda: any(n.startswith("Saving is waiting: cannot reach the "
                                                                     "PostgreSQL database") for n in notices(app)))
            await answer(pilot, panel, "8")  # the lesson carries on meanwhile
            assert panel.state.attempts == 2
        finally:
            pg_server.start()
        assert await pause_until(pilot, lambda: any(n.startswith("Saved") for n in notices(app)))
    assert not (data_dir / "progress.sqlite3").exists()  # everything went to PostgreSQL
    with open_store(pg_url, data_dir) as store:
        assert [a.input for a in store.attempts("ada", "slopes", "slope")] == ["7", "8"]


async def test_a_learner_who_only_saw_the_map_is_on_the_register(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    with SqliteStore(data_dir) as store:
        assert [learner.name for learner in store.learners()] == ["ada"] and store.lesson_visits() == ()
