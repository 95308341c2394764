"""`gdtui report` reads without writing: as another user, on a read-only file or folder, while a tutor writes,
on a folder it may not enter, on PostgreSQL (up or down). Clean messages, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gdtui.store import SqliteStore, open_store
from gdtui.store.schema import MIGRATIONS, statements

from pg_server import as_server_user

GDTUI = [sys.executable, "-m", "gdtui"]


def report_as_other_user(*args: str) -> subprocess.CompletedProcess:
    """`gdtui report ARGS` as an unprivileged user (nobody, when the tests run as root)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("GDTUI_DATABASE", None)
    return subprocess.run([*as_server_user(), *GDTUI, "report", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, cwd="/")


def _other_user_can_run_python() -> str | None:
    """Why another user cannot run this Python with its packages (a virtualenv in a 0700 folder), or None."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    probe = subprocess.run([*as_server_user(), sys.executable, "-c", "import rich, textual, numpy, yaml"],
                           capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, cwd="/")
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["?"])[-1]


_CANNOT = _other_user_can_run_python()
pytestmark = pytest.mark.skipif(_CANNOT is not None, reason=f"another user cannot run this Python: {_CANNOT}")


@pytest.fixture
def class_dir():
    """A data folder outside pytest's private temporary tree, so another user can be let in (or not)."""
    folder = Path(tempfile.mkdtemp(prefix="gdtui-class-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def fill(folder: Path) -> None:
    with SqliteStore(folder) as store:
        store.touch_learner("ann")
        store.record_attempt("ann", "l1", "e1", variant=0, input="1", read_as="1", verdict="correct")


def learners(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [row["learner"] for row in json.loads(result.stdout)["learners"]]


def test_a_read_only_file_in_a_read_only_folder(class_dir: Path) -> None:
    fill(class_dir)
    db = class_dir / "progress.sqlite3"
    before = db.read_bytes()
    db.chmod(0o444)
    class_dir.chmod(0o555)
    assert learners(report_as_other_user("--data-dir", str(class_dir), "--format", "json")) == ["ann"]
    assert db.read_bytes() == before and sorted(p.name for p in class_dir.iterdir()) == ["progress.sqlite3"]


def test_while_a_tutor_is_writing(class_dir: Path) -> None:
    fill(class_dir)
    with SqliteStore(class_dir) as tutor:  # open: the newest answers are still in the WAL file
        tutor.touch_learner("bob")
        assert (class_dir / "progress.sqlite3-wal").exists()
        assert learners(report_as_other_user("--data-dir", str(class_dir), "--format", "json")) == ["ann", "bob"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make a folder another user may not enter")
def test_a_folder_the_reader_may_not_enter(class_dir: Path) -> None:
    fill(class_dir)
    class_dir.chmod(0o700)
    result = report_as_other_user("--data-dir", str(class_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"gdtui report: cannot read {class_dir / 'progress.sqlite3'}: Permission denied"


def test_an_older_file_is_not_migrated_by_the_report(class_dir: Path) -> None:
    conn = sqlite3.connect(class_dir / "progress.sqlite3")
    conn.executescript(";\n".join(statements(0, SqliteStore.serial)[:len(MIGRATIONS[0])]) + ";\nPRAGMA user_version = 1;")
    conn.close()
    result = report_as_other_user("--data-dir", str(class_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "older gdtui" in result.stderr and "open it once with gdtui" in result.stderr
    with sqlite3.connect(class_dir / "progress.sqlite3") as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 1  # untouched


def test_postgres_report_and_a_server_that_is_down(pg_server, pg_url: str) -> None:
    with open_store(pg_url, "/nonexistent") as store:
        store.touch_learner("ann")
    result = subprocess.run([*GDTUI, "report", "--database", pg_url, "--format", "json"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert learners(result) == ["ann"]
    pg_server.stop("fast")
    try:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "GDTUI_DATABASE": pg_url}
        down = subprocess.run([*GDTUI, "report"], capture_output=True, text=True, env=env)
    finally:
        pg_server.start()
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert down.stderr.startswith(f"gdtui report: cannot reach the PostgreSQL database 127.0.0.1:{pg_server.port}/")


async def test_the_live_report_outlives_a_database_that_goes_away(pg_server, pg_url: str) -> None:
    from gdtui.report import build_report
    from gdtui.report.live import ReportApp

    with open_store(pg_url, "/nonexistent") as tutor:
        tutor.touch_learner("ann")
    store = open_store(pg_url, "/nonexistent", read_only=True)
    app = ReportApp(lambda: build_report(store), "class", interval=3600)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        before = app.refreshes
        assert before >= 1 and app.problem is None
        pg_server.stop("fast")
        try:
            app.action_refresh_now()
            await pilot.pause()
            assert app.problem.startswith("cannot reach the PostgreSQL database") and app.refreshes == before
            assert [n.message for n in app._notifications][-1].startswith("cannot reach the PostgreSQL database")
        finally:
            pg_server.start()
        app.action_refresh_now()
        assert app.problem is None and app.refreshes == before + 1
    store.close()
