"""`gdtui new`: write a lesson skeleton (or a course folder holding one) for an author to start from.

The skeleton is the package data file `lesson.md`: a lesson that `gdtui check` passes with no errors and
no warnings and that shows the format by example. `new_lesson` fills in its id, title and order.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

_SLUG = re.compile(r"[^a-z0-9]+")
_ORDER_PREFIX = re.compile(r"^(\d+)[-_ ]*")
COURSE_LESSON = "01-first-lesson.md"


class NewProblem(Exception):
    """Something `gdtui new` will not do (such as overwrite a file); its message says what to do instead."""


def template(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def lesson_text(path: Path, title: str | None = None) -> str:
    """The skeleton for a lesson file at `path`: its id from the file name, its order from the name's number."""
    stem = Path(path).stem
    prefix = _ORDER_PREFIX.match(stem)
    order = int(prefix.group(1)) if prefix else 1
    words = stem[prefix.end():] if prefix else stem
    lesson_id = _SLUG.sub("-", words.lower()).strip("-") or "lesson"
    title = title or words.replace("-", " ").replace("_", " ").strip().capitalize() or "A new lesson"
    return (template("lesson.md").replace("LESSON_ID", lesson_id)
            .replace("LESSON_TITLE", json.dumps(title, ensure_ascii=False)).replace("LESSON_ORDER", str(order)))


def new(path: Path, title: str | None = None) -> list[Path]:
    """Write a lesson at `path` (a `.md` file), or a course folder with one lesson and a README. Returns what
    was written; raises NewProblem rather than overwrite anything."""
    path = Path(path)
    if path.suffix.lower() == ".md":
        if path.exists():
            raise NewProblem(f"{path} already exists; choose another name (gdtui new never overwrites a file)")
        if not path.parent.is_dir():
            raise NewProblem(f"{path.parent} is not a folder; create it first, or run gdtui new {path.parent}")
        path.write_text(lesson_text(path, title), encoding="utf-8")
        return [path]
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise NewProblem(f"{path} already exists and is not an empty folder; gdtui new makes a new course folder "
                         "there, or a lesson when the name ends in .md")
    path.mkdir(parents=True, exist_ok=True)
    lesson = path / COURSE_LESSON
    lesson.write_text(lesson_text(lesson, title), encoding="utf-8")
    readme = path / "README.md"
    course_title = title or path.resolve().name.replace("-", " ").replace("_", " ").capitalize()
    readme.write_text(template("README.md").replace("COURSE_TITLE", course_title)
                      .replace("LESSON_FILE", COURSE_LESSON), encoding="utf-8")
    return [lesson, readme]


def run_new(path: Path, title: str | None, out, err) -> int:
    try:
        written = new(path, title)
    except NewProblem as exc:
        print(f"gdtui new: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"gdtui new: cannot write {exc.filename or path}: {exc.strerror or exc}", file=err)
        return 1
    for item in written:
        print(f"wrote {item}", file=out)
    lesson = written[0]
    print(f"next: gdtui check {lesson}   then   gdtui --lessons {lesson.parent} --watch", file=out)
    return 0
