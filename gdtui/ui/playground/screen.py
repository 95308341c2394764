"""The playground: any function of x (or x and y), its exact derivatives, and optimizers racing on it.

The screen keeps the one `Setup` (gdtui.playground.setup) and is where the engine meets the widgets:
it reads what the learner types, turns the setup into a lesson `Plot` for the chart, and sets the
derivatives, the settings rows and the race's results down. The chart owns the values its keys move
(the point, h, the start, the step) and reports them with `ChartView.Changed`.

At 80×24 the settings and numbers share the body with the chart: `o` switches between them.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from gdtui.i18n import N_, _
from gdtui.charts import fmt
from gdtui.course.model import Plot
from gdtui.playground.numbers import derivative_sheet, run_results
from gdtui.playground.presets import BY_NAME, DEFAULT_PRESET, matching_preset, preset_named
from gdtui.playground.settings import adjust, rows
from gdtui.playground.setup import Reading, Setup, build_plot, normalised, read_function, with_function
from gdtui.playground.typed import Typed, example, prefill, read_typed
from gdtui.ui.playground.dialogs import PlaygroundHelp, PresetCommands, PresetPicker
from gdtui.ui.playground.value_editor import ValueEditor
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.widgets.key_bar import KeyBar
from gdtui.ui.playground.chart import PlaygroundChart
from gdtui.ui.playground.derivatives import DerivativePanel
from gdtui.ui.playground.input import PLACEHOLDER, Echo, FunctionInput
from gdtui.ui.playground.results import ResultsTable
from gdtui.ui.playground.settings_list import SettingsList
from gdtui.ui.widgets.title_bar import TitleBar

COMPACT_WIDTH, COMPACT_HEIGHT = 104, 30  # below either, the side panel takes turns with the chart
CARRIED = ("tangent_at", "h", "x0", "y0")  # live values kept when a setting changes the chart


class PlaygroundScreen(Screen[None]):
    """Type a function, move the point, race optimizers; everything from the keyboard."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), key_display="esc", show=False),
        Binding("slash", "edit_function", N_("Function"), key_display="/"),
        Binding("p", "presets", N_("Presets")),
        Binding("o", "settings", N_("Settings")),
        Binding("o", "chart", N_("Chart")),
        Binding("question_mark", "help", N_("Help"), key_display="?"),
    ]
    COMMANDS = {PresetCommands}

    DEFAULT_CSS = """
    PlaygroundScreen { layout: vertical; }
    PlaygroundScreen #play-body { height: 1fr; }
    PlaygroundScreen #play-main { width: 1fr; }
    PlaygroundScreen #play-main > PlaygroundChart { height: 1fr; margin: 0; }
    PlaygroundScreen #play-placeholder { height: 1fr; content-align: center middle; color: $text-muted; padding: 1 2; }
    PlaygroundScreen #play-side { width: 46; padding: 0 0 0 1; }
    PlaygroundScreen .part {
        height: auto; border: round $panel-lighten-2; border-title-color: $text-muted;
        border-subtitle-color: $text-muted; padding: 0 1;
    }
    PlaygroundScreen .part:focus-within { border: round $accent; border-title-color: $text; }
    PlaygroundScreen .part.-empty { display: none; }
    PlaygroundScreen #play-side > #play-settings-part { height: 1fr; min-height: 6; }
    PlaygroundScreen #play-side > #play-numbers-part { max-height: 60%; overflow-y: auto; }
    PlaygroundScreen #play-race-side { display: none; }
    PlaygroundScreen.-compact #play-race-main { display: none; }
    PlaygroundScreen.-compact #play-race-side { display: block; }
    PlaygroundScreen.-compact #play-race-side.-empty { display: none; }
    PlaygroundScreen.-compact #play-side { display: none; }
    PlaygroundScreen.-compact.-side #play-main { display: none; }
    PlaygroundScreen.-compact.-side #play-side {
        display: block; width: 1fr; padding: 0;
        layout: grid; grid-size: 2 2; grid-columns: 38 1fr; grid-rows: 1fr auto;
    }
    PlaygroundScreen.-compact.-side #play-settings-part { row-span: 2; height: 1fr; }
    PlaygroundScreen.-compact.-side #play-side > #play-numbers-part { max-height: 100%; height: 1fr; }
    """

    def __init__(self, function: str | None = None) -> None:
        super().__init__()
        self.function = function
        self.setup: Setup | None = None
        self.plot: Plot | None = None
        self.live: dict = {}  # the chart's values, as last reported
        self._results_due = False  # the race's table waits for the chart's next drawing
        self._reading: Reading | None = None  # the last text read, and how

    def compose(self) -> ComposeResult:
        yield TitleBar(id="play-title")
        yield FunctionInput(id="play-function")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                yield Static(id="play-placeholder")
                with Vertical(id="play-race-main", classes="part race -empty"):
                    yield ResultsTable()
            with Vertical(id="play-side"):
                with Vertical(id="play-settings-part", classes="part"):
                    yield SettingsList(id="play-settings")
                with Vertical(id="play-numbers-part", classes="part"):
                    yield DerivativePanel(id="play-derivatives")
                with Vertical(id="play-race-side", classes="part race -empty"):
                    yield ResultsTable()
        yield KeyBar()

    async def on_mount(self) -> None:
        self.query_one(TitleBar).left = Text(_("Playground"), style="bold")
        self._relabel()
        if hasattr(self.app, "language"):
            self.watch(self.app, "language", self._relabel, init=False)
        self._fit(self.app.size.width, self.app.size.height)
        text = self.function if self.function is not None else DEFAULT_PRESET
        if not await self.load(text):
            self.query_one(FunctionInput).box.focus()

    def _relabel(self) -> None:
        """The parts' titles in the interface's language (again when it changes)."""
        self.query_one("#play-settings-part").border_title = _("Settings")
        self.query_one("#play-numbers-part").border_title = _("Derivatives")
        self.query_one(FunctionInput).box.placeholder = _(PLACEHOLDER)
        if self.setup is not None:
            self.query_one(SettingsList).rows = rows(self.setup)
            self._header(self.setup)
            self._echo(self.query_one(FunctionInput).box.value)
            self._results()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        if not compact:
            self.remove_class("-side")
        self.refresh_bindings()

    @property
    def chart(self) -> PlaygroundChart | None:
        return next(iter(self.query(PlaygroundChart)), None)

    # -- the function --------------------------------------------------------------------------------
    async def load(self, text: str) -> bool:
        """Show a preset (by name) or a typed function; a function that cannot be read shows why."""
        preset = preset_named(text)
        if preset is not None:
            await self.show(preset.setup)
            return True
        reading = self._read(text)
        if not reading.ok:
            self._echo(text)
            if self.setup is None:
                self.query_one("#play-placeholder", Static).update(
                    _("Fix the function above and press enter (or press escape, then p for a preset)."))
            return False
        preset = matching_preset(reading)
        await self.show(preset.setup if preset is not None else with_function(self.setup, reading))
        return True

    async def load_preset(self, name: str | None) -> None:
        if name in BY_NAME:
            await self.show(BY_NAME[name].setup)
            if self.chart is not None:
                self.chart.focus()

    def _echo(self, text: str) -> None:
        """Tell the learner how the text in the box reads, before (or after) it is drawn."""
        setup = self.setup
        signature = setup.signature if setup is not None else "f(x)"
        preset = preset_named(text)
        if preset is not None:
            echo = Echo(text, signature, note=_("a preset: {title}  (enter loads it)").format(title=preset.title))
        else:
            reading = self._read(text)
            if reading.ok:
                drawn = setup is not None and text.strip() == setup.text
                echo = Echo(text, f"f({', '.join(reading.variables)})", reading.read_as,
                            note="" if drawn else _("(enter draws it)"))
            else:
                echo = Echo(text, signature, error=reading.error, column=reading.column)
        self.query_one(FunctionInput).echo = echo

    def _read(self, text: str) -> Reading:
        """How the text reads; the last reading is kept, so the function drawn is not parsed again for its echo."""
        last = self._reading
        if last is not None and (last.text == text or (last.ok and last.text.strip() == text.strip())):
            return last if last.text == text else replace(last, text=text)
        self._reading = read_function(text)
        return self._reading

    def on_function_input_changed(self, message: FunctionInput.Changed) -> None:
        self._echo(message.text)

    async def on_function_input_submitted(self, message: FunctionInput.Submitted) -> None:
        if await self.load(message.text) and self.chart is not None:
            self.chart.focus()

    # -- the chart -----------------------------------------------------------------------------------
    async def show(self, setup: Setup, *, keep_point: bool = False) -> None:
        """Draw this setup: a new chart (the old one's point kept when only a setting changed)."""
        setup = normalised(setup)
        try:
            plot = build_plot(setup)
        except ValueError as exc:
            self.notify(_("Cannot draw that: {problem}").format(problem=exc), severity="error")
            return
        chart = self.chart
        carry = {k: v for k, v in (chart.values if chart is not None and keep_point else {}).items() if k in CARRIED}
        if chart is None:  # the first function: the chart comes in, focused
            chart = PlaygroundChart(plot)
            chart.set_reactive(ChartView.values, {**plot.start_values(), **_within(carry, plot)})
            self.query_one("#play-placeholder").display = False
            await self.query_one("#play-main").mount(chart, before="#play-race-main")
            if not self.has_class("-side"):
                chart.focus()
        else:  # the same chart draws the new plot
            chart.show_plot(plot, _within(carry, plot))
        self.setup, self.plot, self.live = setup, plot, dict(chart.values)
        self.query_one(SettingsList).rows = rows(setup)
        self._header(setup)
        self._echo(setup.text)
        self._numbers()

    def _header(self, setup: Setup) -> None:
        title = Text.assemble((_("Playground"), "bold"), " · ", setup.name or _("your function"))
        if setup.note:
            title.append(f" · {setup.note}", style="dim")
        self.query_one(TitleBar).left = title

    def on_chart_view_changed(self, message: ChartView.Changed) -> None:
        """New values from the chart: the derivatives now, the race's results after the chart's next drawing.

        A held arrow key sends many changes between two frames; each new start means new descents, and
        the chart computes them once, for the value it draws. The table then reads them from the cache.
        """
        message.stop()
        self.live = dict(message.values)
        self.query_one(DerivativePanel).sheet = derivative_sheet(self.setup, self.live)
        if not self._results_due:
            self._results_due = True
            self.call_after_refresh(self._results)

    def _numbers(self) -> None:
        """The derivatives at the point and the race's results, from the chart's current values."""
        self.query_one(DerivativePanel).sheet = derivative_sheet(self.setup, self.live)
        self._results()

    def _results(self) -> None:
        self._results_due = False
        setup = self.setup
        data = self.chart.computed() if setup.descent and self.chart is not None else None
        runs = data.runs if data is not None else {}  # a chart that cannot be computed says why; no table
        results = run_results(runs, setup.tol)
        for table in self.query(ResultsTable):
            table.results = results
        for part in self.query(".race"):
            part.set_class(not results, "-empty")
            part.border_title = _("The race") if len(results) > 1 else _("The descent")
            part.border_subtitle = _("steps to tol: until ‖∇f‖ < {tol}").format(tol=fmt.num(setup.tol))

    # -- settings ------------------------------------------------------------------------------------
    async def on_settings_list_adjusted(self, message: SettingsList.Adjusted) -> None:
        message.stop()
        changed = adjust(self.setup, message.key, message.direction, message.big)
        if changed == self.setup:
            if message.key.startswith("opt:"):
                self.notify(_("At least one optimizer runs: switch another on first."))
            return
        await self.show(changed, keep_point=True)

    def on_settings_list_edit_requested(self, message: SettingsList.EditRequested) -> None:
        """Enter on a number or the range: type its value in a small dialog."""
        message.stop()
        setup, key = self.setup, message.key
        label = next(row.label for row in rows(setup) if row.key == key)
        editor = ValueEditor(label, prefill(setup, key), example(setup, key), lambda text: read_typed(setup, key, text))
        self.app.push_screen(editor, self._typed)

    async def _typed(self, typed: Typed | None) -> None:
        if typed is not None and typed.setup != self.setup:
            await self.show(typed.setup, keep_point=True)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The settings' border says what the keys do on the highlighted row."""
        if isinstance(event.option_list, SettingsList):
            row = next((row for row in event.option_list.rows if row.key == event.option.id), None)
            self.query_one("#play-settings-part").border_subtitle = row.hint if row is not None else ""

    # -- actions -------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        side = self.has_class("-side")
        if action == "settings":
            return not side
        if action == "chart":
            return side
        return True

    def action_edit_function(self) -> None:
        self.query_one(FunctionInput).box.focus()

    def action_settings(self) -> None:
        if self.has_class("-compact"):
            self.add_class("-side")
            self.refresh_bindings()
        self.query_one(SettingsList).focus()

    def action_chart(self) -> None:
        self.remove_class("-side")
        self.refresh_bindings()
        if self.chart is not None:
            self.chart.focus()

    def action_presets(self) -> None:
        self.app.push_screen(PresetPicker(), self.load_preset)

    def action_help(self) -> None:
        self.app.push_screen(PlaygroundHelp())

    def action_back(self) -> None:
        if isinstance(self.focused, Input):  # leave the box, as it was drawn
            if self.setup is not None:
                self._echo(self.setup.text)
            if self.chart is not None:
                self.chart.focus()
            else:
                self.set_focus(None)
            return
        if self.has_class("-side") or isinstance(self.focused, SettingsList):
            self.action_chart()
            return
        self.app.pop_screen()


def _within(values: dict, plot: Plot) -> dict:
    """Carried values kept inside their controls' ranges (a zoom may have shrunk them)."""
    out = {}
    for control in plot.controls:
        if control.name in values:
            out[control.name] = min(max(float(values[control.name]), control.lo), control.hi)
    return out
