"""`gdtui report --watch`: the report and its charts on a live screen that refreshes as answers arrive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from gdtui.i18n import N_, _
from gdtui.report.charts import all_charts
from gdtui.report.summary import Report
from gdtui.report.text import render_table
from gdtui.store import StoreError

_OURS = {N_("Quit"), N_("Refresh now")}


class ReportApp(App[int]):
    """The teacher's live view: tables and plotext charts, redrawn every few seconds (r: now; q: quit)."""

    TITLE = N_("gdtui report")
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("r", "refresh_now", "Refresh now")]
    CSS = "#report { padding: 0 1; }"

    def __init__(self, build: Callable[[], Report], source: str, interval: float = 2.0) -> None:
        super().__init__()
        self.title = _(self.TITLE)
        keys = self._bindings.key_to_bindings  # the footer shows a binding's description as it is: translate ours
        for key, bindings in keys.items():
            keys[key] = [replace(b, description=_(b.description)) if b.description in _OURS else b for b in bindings]
        self.build = build
        self.source = source
        self.interval = interval
        self.refreshes = 0  # tests read it
        self.problem: str | None = None  # why the last refresh failed

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.source
        self.action_refresh_now()
        self.set_interval(self.interval, self.action_refresh_now)

    def on_resize(self) -> None:
        self.action_refresh_now()

    def action_refresh_now(self) -> None:
        try:
            report = self.build()
        except StoreError as exc:  # the database went away: say so once, keep the last report on screen
            if str(exc) != self.problem:
                said = _("{problem}. Showing the last report; it refreshes when the database answers.")
                self.notify(said.format(problem=exc),
                            severity="warning", timeout=10, markup=False)
            self.problem = str(exc)
            return
        self.problem = None
        width = max(40, min(self.size.width - 4, 100))
        charts = tuple(Text.from_ansi(c) for c in all_charts(report, width, colour=not self.no_color))
        self.query_one("#report", Static).update(render_table(report, self.source, charts))
        self.refreshes += 1
