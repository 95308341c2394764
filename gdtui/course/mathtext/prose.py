"""Prose: every ``$…$`` and ``$$…$$`` of a markdown text converted, code spans and fenced blocks left alone."""

from __future__ import annotations

import re

from .reader import to_unicode

_SPECIAL = re.compile(r"[`\\$]")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_INLINE_END = re.compile(r"(?<![\s\\])\$(?!\d)")


def render_prose(markdown: str, *, stacked: bool = True, templates=()) -> str:
    """Replace every ``$…$`` and ``$$…$$`` of a markdown text with Unicode; code is left alone.

    Display maths becomes a paragraph of its own. When it needs several lines (a stacked fraction, a matrix)
    it is put in a fenced block with the info string ``math`` so that markdown keeps its layout; with
    ``stacked=False`` every formula is a single line. ``\\$`` is a literal dollar sign.
    """
    out: list[str] = []
    chunk: list[str] = []
    fence = None
    for line in markdown.splitlines(keepends=True):
        if fence is None and (m := _FENCE.match(line)):
            out.append(_prose("".join(chunk), stacked, templates))
            chunk, fence = [], m[1]
            out.append(line)
        elif fence is not None:
            out.append(line)
            if re.fullmatch(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*", line):
                fence = None
        else:
            chunk.append(line)
    out.append(_prose("".join(chunk), stacked, templates))
    return "".join(out)


def _prose(text: str, stacked: bool, templates) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        m = _SPECIAL.search(text, i)
        if m is None:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        i = m.start()
        c = text[i]
        if c == "`":
            run = re.match(r"`+", text[i:])[0]
            close = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, i + len(run))
            end = close.end() if close else i + len(run)
            out.append(text[i:end])
            i = end
        elif c == "\\":
            out.append("$" if text[i + 1:i + 2] == "$" else text[i:i + 2])
            i += 2
        elif text.startswith("$$", i):
            close = re.compile(r"(?<!\\)\$\$").search(text, i + 2)
            body = text[i + 2:close.start()] if close else ""
            if not close or not body.strip() or re.search(r"\n\s*\n", body):
                out.append("$$")
                i += 2
                continue
            formula = to_unicode(body, display=stacked, templates=templates)
            before = "".join(out).rstrip()
            out = [before + "\n\n"] if before else []
            out.append(f"```math\n{formula}\n```" if "\n" in formula else formula)
            rest = text[close.end():]
            i = n - len(rest.lstrip())
            out.append("\n\n" if i < n else rest)
        else:
            close = _INLINE_END.search(text, i + 1)
            body = text[i + 1:close.start()] if close else ""
            if close and body and not body[0].isspace() and "`" not in body and not re.search(r"\n\s*\n", body):
                out.append(to_unicode(body, templates=templates))
                i = close.end()
            else:
                out.append("$")
                i += 1
    return "".join(out)
