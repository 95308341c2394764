"""Progress kept in SQLite: the embedded default, one file (``progress.sqlite3``) in the data folder.

Many processes write to it at once (each SSH session is a process of its own), so every call is one short
transaction (``BEGIN IMMEDIATE`` for writes) that commits before it returns, in WAL mode with a busy timeout and
a few retries on "database is locked"; when the lock stays held the call raises `StoreUnavailable` (the tutor's
writer thread keeps the answer and tries again). Opened ``read_only`` (the teacher's report) it changes
nothing: no WAL switch, no migration, and it works on a file or folder the reader may not write.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from gdtui.store.base import SqlStore, T, Tx, now_utc
from gdtui.store.records import StoreError, StoreUnavailable

DB_NAME = "progress.sqlite3"


def database_path(path_or_dir: str | Path) -> Path:
    """The progress file for a data folder (or the file itself, when given one)."""
    path = Path(path_or_dir).expanduser()
    return path if path.suffix in (".sqlite3", ".sqlite", ".db") or path.is_file() else path / DB_NAME


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class SqliteStore(SqlStore):
    """The progress file. Safe to share between threads; open one per process."""

    serial = "INTEGER PRIMARY KEY AUTOINCREMENT"
    RETRIES = 6

    def __init__(self, path_or_dir: str | Path, *, clock: Callable[[], datetime] = now_utc,
                 read_only: bool = False, busy_timeout: float = 10.0) -> None:
        super().__init__(clock)
        self.path = database_path(path_or_dir)
        self.where = f"the progress file {self.path}"
        self.read_only = read_only
        self._busy_ms = int(busy_timeout * 1000)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        try:
            if read_only:
                self._conn = self._open_read_only(busy_timeout)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None,
                                             check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open {self.where}: {exc}") from None
        try:
            with self._lock:
                self._retry(self._setup)
            self._run(self._migrate, write=not read_only)
        except BaseException:
            self.close()
            raise

    def _open_read_only(self, busy_timeout: float) -> sqlite3.Connection:
        """A connection that never writes. A WAL file whose folder we may not write has no shared-memory file
        to read through while nobody has it open; then it is read as it stands (everything is checkpointed
        into the main file when its last writer closes)."""
        if not self.path.is_file():
            raise StoreError(f"there is no progress file at {self.path}")
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise
        return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False)

    def _setup(self) -> None:
        conn = self._connection()
        conn.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL: a killed process loses nothing committed; only a power cut may drop the last commits
            conn.execute("PRAGMA synchronous = NORMAL")

    def _stored_version(self, tx: Tx) -> int:
        if tx.q("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone():
            row = tx.q("SELECT MAX(version) FROM schema_version").fetchone()
            return int(row[0] or 0)
        return int(tx.q("PRAGMA user_version").fetchone()[0])  # files from before the version table

    def _set_version(self, tx: Tx, version: int) -> None:
        super()._set_version(tx, version)
        tx.q(f"PRAGMA user_version = {int(version)}")  # so a gdtui from before the version table refuses it

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the progress store is closed")
        return self._conn

    def _retry(self, fn: Callable[[], T]) -> T:
        for attempt in range(self.RETRIES):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                conn = self._conn
                if conn is not None and conn.in_transaction:
                    conn.execute("ROLLBACK")
                if "full" in str(exc):  # "database or disk is full": the same write may work once space is freed
                    raise StoreUnavailable(f"the disk of {self.where} is full") from None
                if _busy(exc) and attempt == self.RETRIES - 1:
                    raise StoreUnavailable(f"{self.where} is busy (another program holds its lock)") from None
                if not _busy(exc):
                    raise StoreError(f"cannot use {self.where}: {exc}") from None
                time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.where} cannot be read: {exc}") from None
        raise AssertionError("unreachable")

    def _run(self, fn: Callable[[Tx], T], *, write: bool) -> T:
        def once() -> T:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                result = fn(Tx(conn, "?"))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        with self._lock:
            return self._retry(once)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
