"""Fixtures for the app's tests: a small course of our own (two good lessons and a broken one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gdtui.ui.app import TutorApp

COURSE = Path(__file__).parent / "data" / "course"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A private copy of the test course (watch tests edit it)."""
    folder = tmp_path / "course"
    shutil.copytree(COURSE, folder)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_app(course: Path, data_dir: Path):
    def make(**options) -> TutorApp:
        return TutorApp(options.pop("lessons", course), options.pop("data_dir", data_dir),
                        options.pop("learner", "ada"), **options)

    return make
