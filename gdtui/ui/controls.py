"""Plot values under the learner's keys: one step of a control (`nudge`, kept in `gdtui.course.controls`), and
the status line fitted to a width."""

from __future__ import annotations

from gdtui.course.controls import nudge

__all__ = ["nudge", "status_lines"]


def status_lines(status: str, width: int, most: int = 2) -> list[str]:
    """The status line's parts (separated by two spaces) packed into at most `most` lines of `width`; what
    does not fit goes on the last line, which the chart then cuts with "…" rather than dropping it unseen."""
    lines: list[str] = []
    for part in (p.strip() for p in status.split("  ")):
        if not part:
            continue
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += "  " + part
        else:
            lines.append(part)
    if len(lines) > most:
        lines[most - 1:] = ["  ".join(lines[most - 1:])]
    return lines or [""]
