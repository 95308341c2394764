"""Fixtures any test may ask for: a real PostgreSQL server (started once per test process, on first use) and a
fresh, empty schema on it for each test that takes `pg_url`."""

from __future__ import annotations

import itertools
import os

import pytest

from pg_server import PgServer, find_bin

_names = itertools.count()


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch):
    """Every test starts in English whatever the machine's locale, and leaves the one-per-process language
    as it found it (an app in Chinese sets it for the whole process)."""
    from gdtui.i18n import lang_from_locale, set_language

    if lang_from_locale() != "en":
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def pg_server():
    bindir = find_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql")
    server = PgServer(bindir)
    yield server
    server.destroy()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh, empty place for one test's tables."""
    return pg_server.fresh_schema(f"t{os.getpid()}_{next(_names)}")
