"""Each store test that asks for `where` runs on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def where(request, tmp_path: Path) -> str:
    """Where a store lives: a folder for SQLite, or the URL of the tests' own PostgreSQL server."""
    return str(tmp_path) if request.param == "sqlite" else request.getfixturevalue("pg_url")
