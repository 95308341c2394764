"""The course as the app sees it: lessons and broken files in course order, reloaded when files change.

No Textual here: the app polls `reload_if_changed()` once a second in watch mode and tells the screens.

Reading a course means parsing YAML with line numbers, which is slow next to the app's own start (tens
of milliseconds a lesson), so the parsed course is kept in a cache file in the data folder, valid while
no lesson file (name, size, mtime), no file of `gdtui.course` and the Python version are unchanged.
The cache is JSON written by `gdtui.course.serial`, which rebuilds only the course model's own classes: a
tampered cache file can only fail to load, never run anything.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import gdtui
from gdtui.course import serial
from gdtui.course.model import Course, CourseError, Lesson

_ORDER_PREFIX = re.compile(r"^(\d+)")


@dataclass(frozen=True)
class CourseItem:
    """One lesson file: its lesson (None when it could not be read at all) and its errors."""

    key: str  # the lesson id, or the file path when there is no lesson
    path: Path
    lesson: Lesson | None
    errors: tuple[CourseError, ...]
    fallback: bool = False  # the English lesson, shown because its translation is not written yet

    @property
    def broken(self) -> bool:
        return any(e.severity == "error" for e in self.errors)

    @property
    def title(self) -> str:
        return self.lesson.title if self.lesson is not None else self.path.name

    @property
    def order(self) -> int:
        if self.lesson is not None:
            return self.lesson.order
        match = _ORDER_PREFIX.match(self.path.name)
        return int(match.group(1)) if match else 10**6


def course_items(course: Course) -> tuple[tuple[CourseItem, ...], tuple[CourseError, ...]]:
    """Lessons and unreadable files in course order, each with its own errors; then errors of no file."""
    by_path: dict[Path, list[CourseError]] = {}
    for error in course.errors:
        by_path.setdefault(Path(error.path), []).append(error)
    items = [CourseItem(lesson.id, lesson.path, lesson, tuple(by_path.pop(Path(lesson.path), ())))
             for lesson in course.lessons]
    loose: list[CourseError] = []
    for path, errors in by_path.items():
        if path.suffix == ".md":
            items.append(CourseItem(str(path), path, None, tuple(errors)))
        else:
            loose.extend(errors)
    items.sort(key=lambda item: (item.order, item.path.name))
    return tuple(items), tuple(loose)


def with_fallback(translated: tuple[CourseItem, ...], source: tuple[CourseItem, ...]) -> tuple[CourseItem, ...]:
    """A translated course, lesson by lesson: the translation where it exists (matched by lesson id, the twin
    rule's key), else the source lesson marked ``fallback``. A translated file that cannot be read gives way
    to the source lesson of the same file name; a translated lesson with no twin is kept."""
    by_id = {item.key: item for item in translated if item.lesson is not None}
    shown: list[CourseItem] = []
    for item in source:
        twin = by_id.pop(item.key, None) if item.lesson is not None else None
        shown.append(twin if twin is not None else replace(item, fallback=True))
    names = {item.path.name for item in source}
    shown += [item for item in translated
              if item.key in by_id or (item.lesson is None and item.path.name not in names)]
    shown.sort(key=lambda item: (item.order, item.path.name))
    return tuple(shown)


_COURSE_CODE = Path(__file__).resolve().parent.parent / "course"


def _stamp_of(paths) -> tuple:
    stamps = []
    for path in paths:
        stat = path.stat()
        stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def load_course(folder: Path) -> Course:
    """`gdtui.course.parse.load_course`, imported when first needed (it brings YAML and numpy)."""
    from gdtui.course.parse import load_course as parse_course

    return parse_course(folder)


_read: dict[str, tuple[tuple, Course]] = {}  # folder -> (its files' stamp, the course read from it)


def cached_course(folder: Path, stamp: tuple, cache_dir: Path | None) -> Course:
    """The course in `folder`, read once per process while its files' `stamp` is unchanged.

    A process holds one course per folder (a changed lesson replaces it: an old version is not kept alive).
    The SSH server's zygote reads the course before it forks, so every session finds it here, in shared pages."""
    key = str(Path(folder).resolve())
    held = _read.get(key)
    if held is not None and held[0] == stamp:
        return held[1]
    course = _course_from_cache(Path(folder), stamp, cache_dir)
    _read[key] = (stamp, course)
    return course


def _course_from_cache(folder: Path, stamp: tuple, cache_dir: Path | None) -> Course:
    """`load_course(folder)`, or the same course from the cache file when nothing it depends on changed.

    The course parser (YAML, the expression language, numpy) is imported only when the cache misses."""
    if cache_dir is None:
        return load_course(folder)
    try:
        key = repr((str(folder.resolve()), stamp, _stamp_of(sorted(_COURSE_CODE.glob("*.py"))),
                    gdtui.__version__, sys.version_info[:3]))
    except OSError:
        return load_course(folder)
    path = Path(cache_dir) / f"course-{hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:16]}.json"
    try:
        saved_key, course = serial.loads(path.read_text(encoding="utf-8"))
        if saved_key == key and isinstance(course, Course):
            return course
    except Exception:  # no cache yet, or one from another version: read the lessons
        pass
    course = load_course(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(serial.dumps((key, course)), encoding="utf-8")
        os.replace(partial, path)
    except Exception:  # a read-only data folder only costs speed
        pass
    return course


class Library:
    """The lessons folder, read once and again whenever a file in it changes. With a ``source`` folder (the
    bundled English course beside a translation being written) a lesson not translated yet is the source's."""

    def __init__(self, folder: Path, cache_dir: Path | None = None, source: Path | None = None) -> None:
        self.folder = Path(folder)
        self.source = Path(source) if source is not None and Path(source) != self.folder else None
        self.cache_dir = cache_dir
        self._stamp = self._stamps()
        self._read()

    def _read(self) -> None:
        own = self._stamps_of(self.folder)
        if self.source is None:
            self.items, self.loose_errors = course_items(cached_course(self.folder, own, self.cache_dir))
            return
        source, _ = course_items(cached_course(self.source, self._stamps_of(self.source), self.cache_dir))
        translated, loose = course_items(cached_course(self.folder, own, self.cache_dir)) \
            if self.folder.is_dir() else ((), ())  # not one lesson translated yet: the source course
        self.items, self.loose_errors = with_fallback(translated, source), loose

    @staticmethod
    def _stamps_of(folder: Path) -> tuple:
        """Name, mtime and size of every markdown file (a superset of the lesson files is enough)."""
        try:
            return _stamp_of(sorted(p for p in folder.glob("*.md") if p.is_file()))
        except OSError:
            return ()

    def _stamps(self) -> tuple:
        return self._stamps_of(self.folder), self._stamps_of(self.source) if self.source is not None else ()

    def reload_if_changed(self) -> bool:
        """Read the course again if any lesson file was added, removed or changed; True if so."""
        stamp = self._stamps()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        self._read()
        return True

    @property
    def fallbacks(self) -> int:
        """How many lessons are shown in the source language (their translation is not written yet)."""
        return sum(item.fallback for item in self.items)

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(item.lesson for item in self.items if item.lesson is not None)

    def item(self, key: str) -> CourseItem | None:
        return next((item for item in self.items if item.key == key), None)

    def neighbour(self, key: str, offset: int) -> CourseItem | None:
        """The item `offset` places after (or before) `key` in course order, if any."""
        keys = [item.key for item in self.items]
        if key not in keys:
            return None
        index = keys.index(key) + offset
        return self.items[index] if 0 <= index < len(self.items) else None
