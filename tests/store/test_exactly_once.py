"""Nothing lost, nothing doubled: two server processes × 40 scripted students answering at once into one
PostgreSQL, with some replies lost (the answer sent again); and a writer killed mid-session loses at most the
answer it was sending."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest

from gdtui.store import new_attempt_id, open_store
from gdtui.store.writer import Writer

SERVERS = 2
STUDENTS = 40  # per server
ANSWERS = 8  # per student: wrong, wrong, …, right; every third one is sent twice (its reply was lost)


def _student(url: str, server: int, student: int, start: threading.Barrier) -> None:
    """One session: its own connection and writer, as in a served tutor."""
    learner = f"s{server}-{student:02d}"
    store = open_store(url, "/nonexistent")
    writer = Writer(store)
    start.wait()
    writer.put(lambda s: s.open_lesson(learner, "l1"))
    for k in range(ANSWERS):
        verdict = "correct" if k == ANSWERS - 1 else "incorrect"
        call_id = new_attempt_id()

        def send(s, k=k, verdict=verdict, call_id=call_id):
            return s.record_attempt(learner, "l1", "shared", variant=0, input=f"{learner}:{k}", read_as=str(k),
                                    verdict=verdict, attempt_id=call_id)
        writer.put(send)
        if k % 3 == 0:
            writer.put(send)
    if writer.close(timeout=600) != 0:
        raise RuntimeError(f"{learner}: answers left unsent")
    store.close()


def _server(url: str, server: int, errors) -> None:
    try:
        start = threading.Barrier(STUDENTS)
        problems: list[str] = []

        def run(student: int) -> None:
            try:
                _student(url, server, student, start)
            except BaseException:
                problems.append(traceback.format_exc())
                start.abort()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(STUDENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if problems:
            errors.put(f"server {server}: " + problems[0])
    except BaseException:
        errors.put(f"server {server}: {traceback.format_exc()}")


def test_two_servers_eighty_students_every_answer_once(pg_url: str) -> None:
    open_store(pg_url, "/nonexistent").close()  # the schema, once, before the class arrives
    ctx = multiprocessing.get_context("spawn")
    errors = ctx.Queue()
    procs = [ctx.Process(target=_server, args=(pg_url, n, errors)) for n in range(SERVERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert not problems, "\n".join(problems)
    assert all(p.exitcode == 0 for p in procs)

    with open_store(pg_url, "/nonexistent", read_only=True) as store:
        inputs = [a.input for a in store.attempts()]
        expected = [f"s{s}-{n:02d}:{k}" for s in range(SERVERS) for n in range(STUDENTS) for k in range(ANSWERS)]
        assert sorted(inputs) == sorted(expected)  # each exactly once, though a third were sent twice
        assert len(store.learners()) == SERVERS * STUDENTS
        for state in (store.get_exercise_state(f"s{s}-{n:02d}", "l1", "shared")
                      for s in range(SERVERS) for n in range(STUDENTS)):
            assert (state.attempts, state.solved) == (ANSWERS - 1, True)


# ---------------------------------------------------------------- a writer killed mid-session

WRITER = """
import sys
from gdtui.store import open_store
store = open_store(sys.argv[1], sys.argv[1])
for k in range(100000):
    store.record_attempt("ann", "l1", "e1", variant=0, input=str(k), read_as=None, verdict="unreadable",
                         attempt_id=f"k{k}")
    print(k, flush=True)  # this answer has been stored
"""


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_killing_a_writer_loses_at_most_the_answer_in_flight(request, tmp_path: Path, backend: str) -> None:
    where = str(tmp_path) if backend == "sqlite" else request.getfixturevalue("pg_url")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, where], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    confirmed = []
    for line in proc.stdout:
        confirmed.append(int(line))
        if len(confirmed) == 200:
            break
    proc.send_signal(signal.SIGKILL)
    confirmed += [int(line) for line in proc.stdout]  # what it printed before it died
    proc.wait()
    with open_store(where, where) as store:
        stored = sorted(int(a.input) for a in store.attempts())
    assert stored[:len(confirmed)] == confirmed  # every confirmed answer is there, in order …
    assert len(stored) - len(confirmed) <= 1  # … and at most the one in flight beyond them
    assert stored == list(range(len(stored)))


# ---------------------------------------------------------------- a tutor told to end (hang-up) saves first

HUNG_UP = """
import os, signal, sys
from gdtui.ui.progress import LearnerProgress, save_before_ending
progress = LearnerProgress(sys.argv[1], "ann")
save_before_ending(progress)
for k in range(300):
    progress.writer.put(lambda s, k=k: s.record_attempt("ann", "l1", "e1", variant=0, input=str(k), read_as=None,
                                                        verdict="unreadable", attempt_id=f"k{k}"))
os.kill(os.getpid(), signal.SIGHUP)  # the session's connection dropped, answers still queued
print("not reached", flush=True)
"""


def test_a_hung_up_tutor_saves_what_it_holds_then_ends(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", HUNG_UP, str(tmp_path)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == -signal.SIGHUP and result.stdout == ""  # it ended as the signal says …
    with open_store(str(tmp_path), tmp_path) as store:
        assert sorted(int(a.input) for a in store.attempts()) == list(range(300))  # … after saving everything
