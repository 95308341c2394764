"""The store and the exercise session count the same way: after any sequence of answers, hints, give-ups and
new variants, the exercise the store hands back restores to the session the learner had."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gdtui.course.parse import parse_lesson
from gdtui.course.session import ExerciseSession
from gdtui.store import SqliteStore, new_attempt_id
from gdtui.ui.progress import stored_snapshot

LESSON = """---
id: t
title: T
---
```exercise
id: e
prompt: P
params: {a: {int: [1, 1000]}}
answer: {type: number, value: a}
hints: [one, two, three]
```
"""


@pytest.fixture(scope="module")
def exercise():
    lesson, errors = parse_lesson(Path("t.md"), LESSON)
    assert errors == []
    return lesson.exercises[0]


def _act(action: str, session: ExerciseSession, store: SqliteStore) -> None:
    """One thing a learner does, done to the session and sent to the store as the tutor sends it."""
    key = ("ann", "t", "e")
    if action in ("right", "wrong", "garbled"):
        text = {"right": str(session.params["a"]), "wrong": "-1", "garbled": "1 +"}[action]
        verdict = session.submit(text)
        store.record_attempt(*key, variant=session.variant, input=text, read_as=verdict.read_as or None,
                             verdict=verdict.kind, attempt_id=new_attempt_id())
    elif action == "hint":
        if session.next_hint() is not None:
            store.record_hints(*key, variant=session.variant, shown=session.hints_shown)
    elif action == "give_up":
        if not session.finished:
            session.give_up()
            store.record_give_up(*key, variant=session.variant, attempt_id=new_attempt_id())
    else:
        session.new_variant()
        store.set_variant(*key, session.variant)


@pytest.mark.parametrize("seed", range(12))
def test_store_and_session_agree_after_every_step(tmp_path: Path, exercise, seed: int) -> None:
    rng = random.Random(seed)
    session = ExerciseSession(exercise, "t", "ann")
    with SqliteStore(tmp_path) as store:
        for _ in range(40):
            _act(rng.choice(["right", "wrong", "wrong", "wrong", "garbled", "hint", "give_up", "variant"]),
                 session, store)
            saved = store.get_exercise_state("ann", "t", "e")
            if saved is None:  # nothing sent yet (a hint that was not ready)
                continue
            assert stored_snapshot(saved) == session.snapshot()
            restored = ExerciseSession.restore(exercise, "t", "ann", stored_snapshot(saved))
            assert (restored.params, restored.attempts, restored.finished) == (session.params, session.attempts,
                                                                               session.finished)
