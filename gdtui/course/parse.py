"""Read lesson files: front matter, prose, and ```plot / ```exercise blocks of YAML, with every line kept.

`parse_lesson` reads one file; `load_course` a folder. Neither raises: every problem becomes a
`CourseError(path, line, message)`. A lesson whose front matter is broken is left out; a plot or exercise
block with errors is left out of its lesson (the rest of the lesson still loads).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from gdtui.course.chart_link import link_problems
from gdtui.course.exprs import ValueProblem
from gdtui.course.fields import Fields, Problems
from gdtui.course.mathtext import render_prose
from gdtui.course.model import Course, CourseError, Exercise, FrozenMap, Lesson, Plot, Prose
from gdtui.course.parse_exercise import ID_PATTERN, field_lines, parse_exercise
from gdtui.course.parse_plot import parse_plot
from gdtui.course.templates import fill_prose_values
from gdtui.course.yamlines import YamlProblem, YMap, load_yaml

FRONT_KEYS = ("id", "title", "order", "objectives", "lang", "requires")
MAX_FILE_BYTES = 1_000_000
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)")
_ORDER_PREFIX = re.compile(r"^(\d+)")


def parse_lesson(path: Path, text: str | None = None) -> tuple[Lesson | None, list[CourseError]]:
    """Read one lesson file (or `text` as if it were that file). Never raises."""
    path = Path(path)
    try:
        if text is None:
            text = _read(path)
        return _parse(path, text)
    except _FileProblem as exc:
        return None, [CourseError(path, 1, exc.message)]
    except Exception as exc:  # a bug here must be a line in the report, not a crash
        return None, [CourseError(path, 1, f"internal error while reading this file: {type(exc).__name__}: {exc}")]


class _FileProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _FileProblem(f"the file is larger than {MAX_FILE_BYTES // 1000} kB")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FileProblem(f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise _FileProblem(f"cannot read the file: {exc.strerror or exc}") from None


def _parse(path: Path, text: str) -> tuple[Lesson | None, list[CourseError]]:
    lines = text.lstrip("\ufeff").splitlines()
    errors: list[CourseError] = []
    front, body_start = _front_matter(path, lines, errors)
    if front is None:
        return None, errors
    blocks = _blocks(path, lines, body_start, errors)
    lesson = Lesson(path=path, blocks=tuple(blocks), line=1, **front)
    return lesson, errors


# ---------------------------------------------------------------- front matter
def _front_matter(path: Path, lines: list[str], errors: list[CourseError]) -> tuple[dict | None, int]:
    if not lines or lines[0].strip() != "---":
        errors.append(CourseError(path, 1, "a lesson starts with front matter: a line '---', then 'id: …' and "
                                           "'title: …', then '---'"))
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        errors.append(CourseError(path, 1, "the front matter is never closed: add a line '---' after it"))
        return None, 0
    problems = Problems()
    try:
        data = load_yaml("\n".join(lines[1:end]), 2)
    except YamlProblem as exc:
        errors.append(CourseError(path, exc.line, exc.message, column=exc.column))
        return None, end + 1
    if not isinstance(data, YMap):
        errors.append(CourseError(path, 2, "the front matter holds 'key: value' lines (id, title, …)"))
        return None, end + 1
    f = Fields(data, "", problems)
    f.check_keys(FRONT_KEYS, required=("id", "title"))
    lesson_id, title = f.text("id"), f.text("title")
    if lesson_id is not None and not ID_PATTERN.fullmatch(lesson_id):
        f.error("id", f"'{lesson_id}' is not a usable id (letters, digits, '-', '_' and '.', no spaces)")
    default_order = _ORDER_PREFIX.match(path.name)
    order = f.number("order", default=int(default_order.group(1)) if default_order else 0, integer=True)
    objectives = f.text_list("objectives")
    requires = f.text_list("requires")
    folder_lang = path.parent.name if re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2})?", path.parent.name) else "en"
    lang = f.text("lang") or folder_lang
    errors.extend(CourseError(path, line, message) for line, message in problems.items)
    if problems.items or lesson_id is None or title is None or order is None:
        return None, end + 1
    front = dict(id=lesson_id, title=title, order=int(order), objectives=objectives or (), lang=lang,
                 requires=requires or (), field_lines=FrozenMap(field_lines(data)))
    return front, end + 1


# ---------------------------------------------------------------- body
def _blocks(path: Path, lines: list[str], start: int, errors: list[CourseError]) -> list:
    blocks: list = []
    prose: list[tuple[int, str, bool]] = []  # (file line, text, is prose rather than code)
    seen: dict[tuple[str, str], int] = {}
    plots = 0
    i = start
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            prose.append((i + 1, *_with_values(path, i + 1, lines[i], errors)))
            i += 1
            continue
        fence, info = match.group(1), match.group(2)
        close = _closing(lines, i + 1, fence)
        if info == CLAIMS and close is not None:
            i = close + 1  # for `gdtui check` only (gdtui.check.claims): learners never see it
            continue
        if info not in ("plot", "exercise"):
            end = len(lines) if close is None else close + 1
            prose.extend((k + 1, lines[k], False) for k in range(i, end))  # code: no {= …} values
            i = end
            continue
        if close is None:
            errors.append(CourseError(path, i + 1, f"this {fence}{info} block is never closed (add a line {fence} after it)"))
            break
        _flush(prose, blocks)
        if info == "plot":
            plots += 1
        block = _structured(path, info, lines[i + 1:close], i + 1, plots, errors)
        if block is not None and _unique(path, block, info, seen, errors):
            blocks.append(block)
        i = close + 1
    _flush(prose, blocks)
    return _linked(path, blocks, errors)


CLAIMS = "claims"  # the info string of a block of claims about a chart, which `gdtui check` verifies


def claim_blocks(lines: list[str]) -> list[tuple[int, str]]:
    """The claims blocks of a lesson's lines: (the file line of the fence, the YAML between the fences)."""
    found, i = [], 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        close = _closing(lines, i + 1, match.group(1)) if match else None
        if match and close is not None:
            if match.group(2) == CLAIMS:
                found.append((i + 1, "\n".join(lines[i + 1:close])))
            i = close + 1
        else:
            i += 1
    return found


def _linked(path: Path, blocks: list, errors: list[CourseError]) -> list:
    """The blocks, less the exercises whose `chart:` does not fit the lesson's plots (any plot of the
    lesson, before or after the exercise)."""
    plots = {block.id: block for block in blocks if isinstance(block, Plot)}
    kept = []
    for block in blocks:
        problems = link_problems(block, plots) if isinstance(block, Exercise) and block.chart else []
        errors.extend(CourseError(path, line, message) for line, message in problems)
        if not problems:
            kept.append(block)
    return kept


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    pattern = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    return next((k for k in range(start, len(lines)) if pattern.match(lines[k])), None)


def _with_values(path: Path, line: int, text: str, errors: list[CourseError]) -> tuple[str, bool]:
    """A prose line with its `{= expression}` values computed by the engine (a wrong one is an error)."""
    if "{=" not in text:
        return text, True
    try:
        return fill_prose_values(text), True
    except ValueProblem as exc:
        errors.append(CourseError(path, line, exc.message))
        return text, True


def _flush(prose: list[tuple[int, str, bool]], blocks: list) -> None:
    while prose and not prose[0][1].strip():
        prose.pop(0)
    while prose and not prose[-1][1].strip():
        prose.pop()
    if prose:
        source = "\n".join(text for _, text, _ in prose)
        blocks.append(Prose(text=render_prose(source), line=prose[0][0], source=source))
    prose.clear()


def _structured(path: Path, info: str, body: list[str], fence_line: int, plot_number: int,
                errors: list[CourseError]) -> Plot | Exercise | None:
    problems = Problems()
    try:
        data = load_yaml("\n".join(body), fence_line + 1)
    except YamlProblem as exc:
        errors.append(CourseError(path, exc.line, exc.message, column=exc.column))
        return None
    if data is None:
        errors.append(CourseError(path, fence_line, f"this {info} block is empty"))
        return None
    if info == "plot":
        block = parse_plot(data, fence_line, plot_number, problems)
    else:
        block = parse_exercise(data, fence_line, problems)
    errors.extend(CourseError(path, line, message) for line, message in problems.items)
    return block


def _unique(path: Path, block, info: str, seen: dict, errors: list[CourseError]) -> bool:
    key = (info, block.id)
    id_line = block.field_lines.get("id", block.line)
    if key in seen:
        errors.append(CourseError(path, id_line, f"duplicate {info} id '{block.id}' (first on line {seen[key]})"))
        return False
    seen[key] = id_line
    return True


# ---------------------------------------------------------------- courses
def lesson_files(folder: Path) -> list[Path]:
    """The lesson files of a folder: its *.md files, except README.md and names starting with '_'."""
    return sorted(p for p in Path(folder).glob("*.md")
                  if p.is_file() and p.name.lower() != "readme.md" and not p.name.startswith("_"))


def load_course(folder: Path) -> Course:
    """Every lesson in `folder`, ordered by `order` then file name, and every problem found. Never raises."""
    folder = Path(folder)
    try:
        if not folder.is_dir():
            return Course((), (CourseError(folder, 0, "no such folder"),))
        return load_lessons(lesson_files(folder))
    except Exception as exc:
        return Course((), (CourseError(folder, 0, f"internal error while reading the course: {exc}"),))


def load_lessons(paths: Iterable[Path], also_known: Iterable[str] = ()) -> Course:
    """Like `load_course`, for a given list of lesson files (checked together: ids must be unique).

    `also_known` are ids of lessons outside the list (a checked file's neighbours) that `requires` may name."""
    lessons: list[Lesson] = []
    errors: list[CourseError] = []
    for path in paths:
        lesson, found = parse_lesson(Path(path))
        errors.extend(found)
        if lesson is not None:
            lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.path.name))
    kept: list[Lesson] = []
    first: dict[str, Lesson] = {}
    for lesson in lessons:
        if lesson.id in first:
            other = first[lesson.id]
            errors.append(CourseError(lesson.path, lesson.field_lines.get("id", 1),
                                      f"duplicate lesson id '{lesson.id}' (also in {other.path.name})"))
            continue
        first[lesson.id] = lesson
        kept.append(lesson)
    known = set(first) | set(also_known)
    for lesson in kept:
        for required in lesson.requires:
            if required not in known:
                errors.append(CourseError(lesson.path, lesson.field_lines.get("requires", 1),
                                          f"requires: no lesson has the id '{required}'"))
    return Course(tuple(kept), tuple(errors))
