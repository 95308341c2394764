"""How each optimizer of the playground's race did: steps to the tolerance, f at the end, where it ended.

A small `DataTable`, one row per run, each marked like its path on the chart (•, ×, + … in the race's
colours), so the table doubles as the race's legend. Narrower than 60 cells it drops the end point.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widgets import DataTable

from gdtui.charts import RACE_MARKERS, ChartTheme, fmt
from gdtui.i18n import N_, _
from gdtui.playground.numbers import RunResult

WIDE = 60  # from this width on, the table has a column for where each run ended
COLUMNS = {True: (N_("optimizer"), N_("steps to tol"), N_("f at the end"), N_("where it ended")),
           False: (N_("optimizer"), N_("to tol"), N_("f at the end"))}


class ResultsTable(DataTable):
    """One row per optimizer; the screen sets `results` whenever the runs change."""

    DEFAULT_CSS = """
    ResultsTable { height: auto; max-height: 9; background: transparent; overflow-x: hidden; }
    """

    results: reactive[tuple[RunResult, ...]] = reactive(tuple, init=False)
    """The table's one model: the runs of the current race, in the race's order."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=False, show_cursor=False)
        self.can_focus = False
        self._wide: bool | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda: self._fill(self.results), init=False)

    def on_resize(self, event: events.Resize) -> None:
        if (event.size.width >= WIDE) != self._wide:
            self._fill(self.results)

    def watch_results(self, results: tuple[RunResult, ...]) -> None:
        self._fill(results)

    def _fill(self, results: tuple[RunResult, ...]) -> None:
        wide = self.size.width >= WIDE
        theme = ChartTheme.from_app_theme(self.app.current_theme, colour=not self.app.no_color)
        self.clear(columns=wide != self._wide)
        names = [_(name) for name in COLUMNS[wide]]
        if wide != self._wide:
            self.cell_padding = 1 if wide else 0
            self.add_columns(*(name if wide or i == 0 else " " + name for i, name in enumerate(names)))
            self.columns[next(iter(self.columns))].width = 11
            self._wide = wide
        warn = theme.style("warn")
        for index, result in enumerate(results):
            marker = RACE_MARKERS[index % len(RACE_MARKERS)]
            cells = [Text.assemble((marker + " ", theme.style("race", index)), result.optimizer + " " * max(0, 9 - cell_len(result.optimizer))),
                     _right(result.steps_text, cell_len(names[1]) + 1)]
            if wide:
                cells.append(_right(fmt.num(result.value), cell_len(names[2])))
                cells.append(Text(result.outcome, style=warn if result.diverged else ""))
            elif result.diverged:
                cells.append(Text(" " + _("diverged at {step}").format(step=result.steps_run), style=warn))
            else:
                cells.append(_right(fmt.num(result.value), cell_len(names[2]) + 1))
            self.add_row(*cells)


def _right(text: str, width: int) -> Text:
    """``text`` pushed right in ``width`` terminal cells (a column heading may be Chinese: two cells a character)."""
    return Text(" " * max(0, width - cell_len(text)) + text)
