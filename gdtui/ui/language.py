"""The interface language: which course folder goes with it, and switching while the tutor runs.

The language itself is chosen by `gdtui.settings.language` (``--lang``, the learner's remembered choice, the
config file, the locale). A bundled course follows the language: ``lessons/zh`` with each lesson not
translated yet taken from ``lessons/en`` (the same ids, so progress carries over). A course of the
teacher's own (``--lessons DIR``) stays as it is; only the interface changes.
"""

from __future__ import annotations

from pathlib import Path

from gdtui.i18n import LANGS, SOURCE_LANG
from gdtui.paths import bundled_lang
from gdtui.ui.library import Library

NAMES = {"en": "English", "zh": "中文"}  # each language in its own words: how a learner finds theirs


def course_folders(lessons: Path, lang: str) -> tuple[Path, Path | None]:
    """(the folder to read, the folder its missing lessons come from) for the course ``lessons`` in ``lang``."""
    if bundled_lang(lessons) is None:
        return Path(lessons), None
    root = Path(lessons).resolve().parent
    return root / lang, (root / SOURCE_LANG if lang != SOURCE_LANG else None)


def course_library(lessons: Path, lang: str, cache_dir: Path | None) -> Library:
    folder, source = course_folders(lessons, lang)
    return Library(folder, cache_dir=cache_dir, source=source)


def other_languages(current: str) -> tuple[str, ...]:
    return tuple(lang for lang in LANGS if lang != current)


def next_language(current: str) -> str:
    """The language the map's key switches to (the next one, round the list)."""
    return LANGS[(LANGS.index(current) + 1) % len(LANGS)] if current in LANGS else SOURCE_LANG
