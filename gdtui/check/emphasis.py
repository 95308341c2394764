"""Emphasis that CommonMark will not render: `**…**` or `*…*` left on screen as asterisks.

CommonMark opens a `**` run only when it is not followed by punctuation (or is preceded by a space or
punctuation) and closes it under the mirror rule. Chinese text has no spaces, so `**注意：**这里` or
`这是**“重点”**的` stays literal; `这是“**重点**”的` and `**注意**：这里` render. The lesson screen parses
markdown the same way (markdown-it, CommonMark), so the check parses each prose paragraph and each
exercise text with it and warns where an asterisk is left in the text. Maths (`$…$`), templates (`{…}`)
and code are taken out first: an asterisk there is not emphasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt

from gdtui.check.twins import prose_lines
from gdtui.course.model import Exercise, Lesson

_PARSER = MarkdownIt("commonmark")
_NOT_EMPHASIS = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\{[^{}]*\}")
_STARS = re.compile(r"\*+")
MESSAGE = ("'{text}' will show its asterisks: CommonMark does not take {run} as emphasis beside this punctuation "
           "(write the punctuation outside the stars, as in “**重点**”, or leave a space after the closing stars)")


def emphasis_problems(lesson: Lesson) -> list[tuple[int, str]]:
    """(line, message) for each prose line or exercise text where emphasis would stay literal asterisks."""
    lines = dict(prose_lines(lesson))
    out: list[tuple[int, str]] = []
    if lines:
        first, last = min(lines), max(lines)
        text = "\n".join(lines.get(n, "") for n in range(first, last + 1))
        for offset, literal in _literal_stars(text):
            out.append((first + offset, MESSAGE.format(text=literal, run=_run(literal))))
    for exercise in lesson.exercises:
        for line, text in _exercise_texts(exercise):
            for _offset, literal in _literal_stars(text):
                out.append((line, MESSAGE.format(text=literal, run=_run(literal))))
    return out


def _exercise_texts(exercise: Exercise) -> Iterator[tuple[int, str]]:
    lines = exercise.field_lines
    yield lines.get("prompt", exercise.line), exercise.prompt
    if exercise.solution:
        yield lines.get("solution", exercise.line), exercise.solution
    for hint in exercise.hints:
        yield hint.line, hint.text
    for rule in exercise.feedback:
        yield rule.line, rule.say


def _literal_stars(text: str) -> Iterator[tuple[int, str]]:
    """(line offset in `text`, a short excerpt) for each asterisk run markdown leaves as text."""
    cleaned = _NOT_EMPHASIS.sub(lambda m: "M" * len(m.group(0)) if "\n" not in m.group(0) else m.group(0), text)
    source = text.splitlines()
    for token in _PARSER.parse(cleaned):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        start = token.map[0]
        offset = 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "text" and _paired(child.content):
                yield start + offset, _excerpt(source[start + offset] if start + offset < len(source) else "", child.content)


def _paired(text: str) -> bool:
    """Two runs of stars of one length: emphasis meant and not taken (a lone `2*h` is a times sign)."""
    runs = [len(run) for run in _STARS.findall(text)]
    return any(runs.count(n) >= 2 for n in set(runs))


def _excerpt(line: str, content: str) -> str:
    match = _STARS.search(line) or _STARS.search(content)
    where = line if _STARS.search(line) else content
    lo = max(0, match.start() - 8)
    return where[lo:match.end() + 12].strip()


def _run(excerpt: str) -> str:
    match = _STARS.search(excerpt)
    return match.group(0) if match else "*"
