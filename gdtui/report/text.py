"""The report as text a teacher reads at 80 columns: learners, lessons, then each exercise on two lines.

Everything a learner or an author wrote (names, answers, feedback rule texts) goes in as plain Text, never as
Rich markup, so `[g, p - lr*g]` prints as typed. Columns that hold numbers never shrink below their header
(measured in terminal cells: a Chinese header takes two a character).
"""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from gdtui.i18n import _, ngettext, pgettext
from gdtui.report.summary import Count, Report


def when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def counts(items: tuple[Count, ...]) -> str:
    return ", ".join(f"{c.value} ×{c.count}" for c in items)


def number(x: float | None, digits: int = 4) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.{digits}f}".rstrip("0")


def _table(title: str, columns: tuple[tuple[str, str], ...]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  show_edge=False, expand=False)
    for name, justify in columns:
        wide = justify == "left"
        table.add_column(name, justify=justify, no_wrap=True, overflow="ellipsis" if wide else "fold",
                         min_width=None if wide else cell_len(name), ratio=1 if wide else None)
    return table


def render_table(report: Report, source: str | None = None, charts: tuple[RenderableType, ...] = ()
                 ) -> RenderableType:
    """The whole report as one renderable (Console.print, Live, or a Textual Static)."""
    if not report.learners and not report.exercises:
        said = _("No progress recorded yet in {source}.") if source else _("No progress recorded yet.")
        return Text(said.format(source=source))
    parts: list[RenderableType] = [_learners(report)]
    if report.lessons:
        parts += [Text(""), _lessons(report)]
    parts += [Text(""), _exercises(report)]
    for chart in charts:
        parts += [Text(""), chart]
    return Group(*parts)


def _learners(report: Report) -> Table:
    table = _table(_("Learners ({n})").format(n=len(report.learners)), (
        (_("Learner"), "left"), (_("Last seen (UTC)"), "right"), (_("Lessons done"), "right"),
        (pgettext("lessons", "Started"), "right"), (_("Solved"), "right"), (_("Attempts"), "right")))
    for r in report.learners:
        table.add_row(Text(r.learner), when(r.last_seen), str(r.lessons_done), str(r.lessons_started),
                      str(r.exercises_solved), str(r.attempts))
    return table


def _lessons(report: Report) -> Table:
    table = _table(_("Lessons, in course order"), (("#", "right"), (_("Lesson"), "left"),
                                                    (pgettext("learners", "Started"), "right"), (_("Done"), "right")))
    for r in report.lessons:
        table.add_row("" if r.number is None else str(r.number), Text(r.title), str(r.started), str(r.done))
    return table


def _exercises(report: Report) -> Group:
    lines: list[RenderableType] = [Text(_("Exercises, in course order"), style="bold")]
    for e in report.exercises:
        label = e.number or "·"
        parts = [_("tried {n}").format(n=e.learners_tried),
                 _("solved {n}").format(n=e.learners_solved) if e.solve_rate is None else
                 _("solved {n} ({rate})").format(n=e.learners_solved, rate=f"{e.solve_rate:.0%}")]
        if e.median_attempts is not None:
            said = ngettext("median {n} attempt", "median {n} attempts", 1 if e.median_attempts == 1 else 2)
            parts.append(said.format(n=number(e.median_attempts, 1)))
        head = Text.assemble((f"{label:>5}  ", "bold"), (f"{e.lesson_id}/{e.exercise_id}", "bold"),
                             "  " + " · ".join(parts))
        lines.append(head)
        detail = Text()
        if e.wrong_answers:
            detail.append(_("wrong: "), style="dim")
            detail.append(counts(e.wrong_answers))
        if e.feedback_rules:
            detail.append(("  ·  " if e.wrong_answers else ""))
            detail.append(_("feedback: "), style="dim")
            detail.append(counts(e.feedback_rules))
        if e.wrong_answers or e.feedback_rules:
            lines.append(Padding(detail, (0, 0, 0, 7)))  # wrapped lines keep the indent
    return Group(*lines)
