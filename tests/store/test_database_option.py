"""`--database URL` and GDTUI_DATABASE: accepted by every command that touches progress, one rule for which
database is used, and handed to a served session's tutor through its environment (never via a client)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gdtui.cli import build_parser
from gdtui.serve._child import child_env
from gdtui.store import ENV, StoreError, chosen_database, describe_database, open_store

URL = "postgresql://teacher:secret@db.example:5433/class"


@pytest.mark.parametrize("argv", [
    ["--database", URL],
    ["--database", URL, "report"],
    ["report", "--database", URL],
    ["serve", "ssh", "--database", URL],
    ["serve", "web", "--database", URL],
])
def test_every_command_takes_database(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).database == URL


def test_the_rule_for_which_database(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert chosen_database(None, tmp_path) == tmp_path
    monkeypatch.setenv(ENV, URL)
    assert chosen_database(None, tmp_path) == URL
    assert chosen_database(str(tmp_path / "other"), tmp_path) == str(tmp_path / "other")  # the option wins
    assert describe_database(None, tmp_path) == "PostgreSQL db.example:5433/class"  # no user, no password
    with pytest.raises(StoreError, match="unknown database mysql://"):
        open_store("mysql://db/class", tmp_path)


def test_a_served_session_gets_the_class_database(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV, URL)
    assert child_env("xterm", {ENV: "postgresql://evil/"}, tmp_path)[ENV] == URL
    monkeypatch.delenv(ENV)
    assert ENV not in child_env("xterm", {ENV: "postgresql://evil/"}, tmp_path)  # a client cannot choose one


def test_the_tutor_says_plainly_when_the_database_is_unknown(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-m", "gdtui", "--data-dir", str(tmp_path), "--database",
                             "mysql://db/class"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "gdtui: unknown database mysql://…; use postgresql://… or a folder"


def test_the_tutor_says_plainly_when_postgres_is_down(pg_server, pg_url: str, tmp_path: Path) -> None:
    pg_server.stop("fast")
    try:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), ENV: pg_url}
        result = subprocess.run([sys.executable, "-m", "gdtui", "--data-dir", str(tmp_path)], capture_output=True,
                                text=True, env=env, stdin=subprocess.DEVNULL)
    finally:
        pg_server.start()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"gdtui: cannot reach the PostgreSQL database 127.0.0.1:{pg_server.port}/")
    assert not (tmp_path / "progress.sqlite3").exists()  # it did not fall back to a file of its own
