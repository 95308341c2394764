"""The twin rule: a lesson in another language is the English lesson in other words.

A course folder named for a language (`lessons/zh`) beside an `en` folder is checked against it, lesson by
lesson (matched by id, so file names may differ): the same front matter apart from the title and the
objectives; the same plots and exercises in the same order, equal in everything but their words (titles,
prompts, hints, feedback, solutions, choice texts — a choice answer is compared by the position of the
right choice); the same `{= …}` computations in the prose and the same templates in each exercise's texts.
A difference is an error at the translated lesson's line: the maths of a twin may not drift. A lesson
with no twin on the other side is a warning (a course still being translated), and so is a number in the
translated prose that the English prose never names (most likely a slip of the keyboard).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path

from gdtui.course.model import Answer, Exercise, Lesson, Plot, Prose
from gdtui.course.parse import lesson_files, load_course
from gdtui.course.templates import prose_values, templates_in

SOURCE = "en"
LANG_FOLDER = re.compile(r"[a-z]{2}(-[A-Za-z]{2})?")
WORDS = {"line", "field_lines", "title", "prompt", "say", "text", "solution", "source"}  # what translation changes
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?")  # Chinese letters may touch a number: 第 3 步, 第3步
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(\S*)")
_CODE_OR_VALUE = re.compile(r"`[^`]*`|\{=[^{}]*\}")  # inline code and computed values: not the prose's numbers


def twin_problems(lessons: Iterable[Lesson], whole_folders: Iterable[Path]) -> list[tuple[Path, int, str, str]]:
    """(path, line, severity, message) for every checked lesson whose folder has an English twin folder.

    `whole_folders` are the folders checked as a whole: only for those is an English lesson with no
    translation reported (checking one file says nothing about the others)."""
    problems: list[tuple[Path, int, str, str]] = []
    by_folder: dict[Path, list[Lesson]] = {}
    for lesson in lessons:
        by_folder.setdefault(lesson.path.resolve().parent, []).append(lesson)
    for folder in {Path(f).resolve() for f in whole_folders}:
        by_folder.setdefault(folder, [])
    for folder, translated in sorted(by_folder.items()):
        source_folder = folder.parent / SOURCE
        if folder.name == SOURCE or not LANG_FOLDER.fullmatch(folder.name) or not source_folder.is_dir():
            continue
        english = {lesson.id: lesson for lesson in load_course(source_folder).lessons}
        for lesson in translated:
            twin = english.get(lesson.id)
            if twin is None:
                problems.append((lesson.path, lesson.line, "warning",
                                 f"no English twin: {_shown(source_folder)} has no lesson with the id '{lesson.id}'"))
            else:
                problems.extend((lesson.path, line, severity, message)
                                for line, severity, message in compare(lesson, twin))
        if folder in {Path(f).resolve() for f in whole_folders}:
            have = {lesson.id for lesson in translated}
            for path in lesson_files(folder):  # lessons that failed to parse still count as present
                have.add(_front_id(path))
            for lesson_id, twin in english.items():
                if lesson_id not in have:
                    problems.append((folder, 0, "warning", f"no {folder.name} twin of {_shown(twin.path)} "
                                                           f"(id '{lesson_id}'): the course is not all translated"))
    return problems


def compare(lesson: Lesson, twin: Lesson) -> list[tuple[int, str, str]]:
    """(line, severity, message) for each way `lesson` is not a translation of its English `twin`."""
    where = f"{_shown(twin.path)}:{twin.line}"
    out: list[tuple[int, str, str]] = []
    for key in ("order", "requires"):
        if getattr(lesson, key) != getattr(twin, key):
            out.append((lesson.field_lines.get(key, lesson.line), "error",
                        f"{key}: {getattr(lesson, key)!r} is not the English twin's {getattr(twin, key)!r} ({where})"))
    mine = [b for b in lesson.blocks if not isinstance(b, Prose)]
    theirs = [b for b in twin.blocks if not isinstance(b, Prose)]
    if [_label(b) for b in mine] != [_label(b) for b in theirs]:
        out.append((lesson.line, "error", "the plots and exercises are not the English twin's, in its order: "
                                          f"{_sequence(mine)} here, {_sequence(theirs)} in {where}"))
    else:
        for block, other in zip(mine, theirs):
            out.extend(_compare_block(block, other, twin))
    out.extend(_compare_values(lesson, twin, where))
    out.extend(_stray_numbers(lesson, twin))
    return out


def _compare_block(block: Plot | Exercise, other: Plot | Exercise, twin: Lesson) -> list[tuple[int, str, str]]:
    kind = "plot" if isinstance(block, Plot) else "exercise"
    where = f"{_shown(twin.path)}:{other.line}"
    out = []
    for name in (f.name for f in fields(block) if f.name not in WORDS):
        if _maths(getattr(block, name), block) != _maths(getattr(other, name), other):
            line = block.field_lines.get(name, block.line)
            out.append((line, "error", f"{kind} '{block.id}': the field '{name}' is not the English twin's ({where}); "
                                       "a translation changes words, never the maths"))
    if isinstance(block, Exercise):
        for name in ("title", "solution"):
            if (getattr(block, name) is None) != (getattr(other, name) is None):
                out.append((block.field_lines.get(name, block.line), "error",
                            f"exercise '{block.id}': has {'no ' if getattr(block, name) is None else ''}{name}, "
                            f"unlike the English twin ({where})"))
        mine, theirs = _templates(block), _templates(other)
        if mine != theirs:
            missing, extra = sorted(theirs - mine), sorted(mine - theirs)
            out.append((block.line, "error", f"exercise '{block.id}': its texts fill in other values than the "
                                             f"English twin's ({where}): "
                                             + "; ".join(filter(None, [_listed("missing", missing),
                                                                       _listed("not in English", extra)]))))
    return out


def _maths(value, exercise):
    """A value with its words taken out: dataclasses lose their WORDS fields; a choice becomes its position."""
    choices = exercise.answer.choices if isinstance(exercise, Exercise) else ()
    if is_dataclass(value):
        kept = []
        for f in fields(value):
            if f.name in WORDS:
                continue
            item = getattr(value, f.name)
            if f.name in ("when", "input", "value") and choices and isinstance(item, str):
                item = f"#{choices.index(item)}" if item in choices else item
            if f.name == "choices" and isinstance(value, Answer):
                item = len(item)
            kept.append((f.name, _maths(item, exercise)))
        return tuple(kept)
    if isinstance(value, (tuple, list)):
        return tuple(_maths(v, exercise) for v in value)
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _templates(exercise: Exercise) -> set[str]:
    texts = [exercise.prompt, exercise.solution or ""] + [h.text for h in exercise.hints] \
        + [r.say for r in exercise.feedback]
    return {re.sub(r"\s+", "", m.group(1)) for text in texts for m in templates_in(text, exercise.param_names)}


def _compare_values(lesson: Lesson, twin: Lesson, where: str) -> list[tuple[int, str, str]]:
    mine, lines = _prose_values(lesson)
    theirs, _lines = _prose_values(twin)
    out = [(lines[value], "error", f"{{= {value}}} is not in the English twin's prose ({where}): "
                                   "a translation computes the same values")
           for value in mine - theirs]
    missing = theirs - mine
    if missing:
        out.append((lesson.line, "error", f"the prose leaves out {{= …}} values of the English twin ({where}): "
                                          + ", ".join(f"{{= {v}}}" for v in sorted(missing))))
    return out


def _prose_values(lesson: Lesson) -> tuple[Counter, dict[str, int]]:
    """How often each `{= …}` of the prose is written (spaces taken out), and the line each is first on."""
    found: Counter = Counter()
    first: dict[str, int] = {}
    for line, text in prose_lines(lesson):
        for value in prose_values(text):
            key = re.sub(r"\s+", "", value)
            found[key] += 1
            first.setdefault(key, line)
    return found, first


def _stray_numbers(lesson: Lesson, twin: Lesson) -> list[tuple[int, str, str]]:
    known = {n for _line, n in _prose_numbers(twin)}
    out, told = [], set()
    for line, number in _prose_numbers(lesson):
        if number not in known and number not in told:
            told.add(number)
            out.append((line, "warning", f"the number {number} is not in the English twin's prose; "
                                         "a slip, or a fact the English does not state?"))
    return out


def _prose_numbers(lesson: Lesson) -> list[tuple[int, str]]:
    return [(line, match.group(0)) for line, text in prose_lines(lesson)
            for match in NUMBER.finditer(_CODE_OR_VALUE.sub(" ", text))]


def prose_lines(lesson: Lesson):
    """(file line, text as written) of each prose line: after the front matter, outside fenced blocks."""
    try:
        lines = lesson.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    fence = ""
    for number in range(start, len(lines)):
        text = lines[number]
        opening = _FENCE.match(text)
        if opening and (not fence or opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)
                        and not opening.group(2)):
            fence = "" if fence else opening.group(1)
            continue
        if not fence:
            yield number + 1, text


def _front_id(path: Path) -> str:
    try:
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
    except (OSError, UnicodeDecodeError):
        return ""
    match = re.search(r"^id:\s*(\S+)\s*$", head, re.M)
    return match.group(1) if match else ""


def _label(block) -> str:
    return f"{'plot' if isinstance(block, Plot) else 'exercise'} '{block.id}'"


def _sequence(blocks) -> str:
    return ", ".join(_label(b) for b in blocks) or "none"


def _listed(what: str, values: list[str]) -> str:
    return f"{what} {', '.join('{' + v + '}' for v in values)}" if values else ""


def _shown(path: Path) -> str:
    """A path as a person in the project would write it (relative to the working folder when inside it)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
