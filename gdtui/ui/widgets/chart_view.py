"""A live chart: one plot block drawn by `gdtui.charts`, with its controls under the learner's keys.

The widget keeps the plot's current values (its one model, `values`) and redraws from them; the
drawing itself is the pure `render_plot(plot, values, width, height, theme)`. A drawing is cached and
made again only when the values, the size or the theme change. `start` is where the values begin and
where `r` takes them back: the plot's own values, or those an exercise set for the learner's variant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from gdtui.i18n import N_, _
from gdtui.charts import ChartData, ChartTheme, compute, playable, render_plot, status_line
from gdtui.charts.describe import describe
from gdtui.charts.glyphs import glyph
from gdtui.charts.status import fit_status
from gdtui.course.model import Control, Plot
from gdtui.ui.controls import controls_line, nudge
from gdtui.ui.labels import value_label
from gdtui.ui.strips import text_to_strips

TICK_SECONDS = 0.25  # one stride of the descent per tick while playing
PLAY_TICKS = 120  # a long run plays in at most about this many ticks (30 s)


class ChartView(Widget, can_focus=True):
    """A chart whose controls the learner drives: ←/→ change, tab/c pick, space plays the descent."""

    BINDINGS = [
        Binding("left", "nudge(-1)", "−", key_display="←", show=False),
        Binding("right", "nudge(1)", "+", key_display="→", show=False),
        Binding("shift+left", "nudge(-10)", "−10", show=False),
        Binding("shift+right", "nudge(10)", "+10", show=False),
        Binding("tab", "next_control", N_("Next value"), show=False),
        Binding("shift+tab", "previous_control", N_("Previous value"), show=False),
        Binding("c", "cycle_control", N_("Next value"), show=False),
        Binding("space", "play", N_("Play")),
        Binding("space", "pause", N_("Pause")),
        Binding("s", "single_step", N_("Step")),
        Binding("r", "reset", N_("Reset")),
        Binding("d", "describe", N_("Describe"), show=False),
    ]

    DEFAULT_CSS = """
    ChartView {
        height: 75vh;
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        padding: 0 1;
    }
    ChartView:focus {
        border: round $accent;
        border-title-color: $text;
        background-tint: $foreground 3%;
    }
    """

    values: reactive[Mapping[str, Any]] = reactive(dict, init=False)
    """The chart's one model: every value the plot reads (start values, then the learner's changes)."""
    selected: reactive[int] = reactive(0)
    """Which of the plot's controls ←/→ change."""
    playing: reactive[bool] = reactive(False)
    held: reactive[frozenset[str]] = reactive(frozenset)
    """Values the learner may not move yet: an exercise drives this chart, and moving them (the step k,
    playing the descent) would show its answer before the learner has found it."""

    class Changed(Message):
        """The learner changed the chart's values (a control, a step, a reset)."""

        def __init__(self, chart: ChartView, values: Mapping[str, Any]) -> None:
            super().__init__()
            self.chart = chart
            self.values = values

        @property
        def control(self) -> ChartView:
            return self.chart

    def __init__(self, plot: Plot, *, start: Mapping[str, Any] | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.plot = plot
        self.start: dict[str, Any] = dict(start if start is not None else plot.start_values())
        """The values the chart starts from and `r` (reset) returns to."""
        self.set_reactive(ChartView.values, dict(self.start))
        self.redraws = 0  # how many times the chart was drawn (tests and benchmarks read it)
        self.plot_rows = 0  # the height of the last drawing, without the lines under it
        self._drawn_key: tuple | None = None
        self._computed_key: tuple | None = None
        self._computed: ChartData | None = None
        self._drawn = self._status = Text()
        self._strips: list[Strip] = []
        self._controls_key: tuple | None = None
        self._controls_strip = Strip([])
        self._control_spans: list[tuple[int, int]] = []
        self._timer = None

    # -- watchers ----------------------------------------------------------------------------------
    def watch_values(self, values: Mapping[str, Any]) -> None:
        self.refresh()

    def watch_selected(self) -> None:
        self.refresh()

    def watch_held(self, held: frozenset[str]) -> None:
        if "step" in held:
            self.playing = False
        self.refresh()

    def watch_playing(self, playing: bool) -> None:
        if self._timer is not None:
            self._timer.resume() if playing else self._timer.pause()
        self.refresh_bindings()

    def on_mount(self) -> None:
        self._timer = self.set_interval(TICK_SECONDS, self._tick, pause=True)
        self.watch(self.app, "theme", lambda: self.refresh(), init=False)
        if hasattr(self.app, "chart_mode"):
            self.watch(self.app, "chart_mode", lambda: self.refresh(), init=False)

    def on_focus(self) -> None:
        if self.plot.controls:
            self.border_subtitle = glyph(self.mode, _("←/→ change · shift ×10 · tab next value"))
        self.refresh()

    def on_blur(self) -> None:
        self.border_subtitle = None
        self.refresh()

    # -- drawing -----------------------------------------------------------------------------------
    def drawing(self) -> Text:
        """The whole widget as text: the chart, the status line(s) and the controls line."""
        self._draw()
        lines = [self._drawn, self._status]
        if self.plot.controls:
            lines.append(self._controls_line(self.content_size.width))
        return Text("\n", no_wrap=True).join(lines)

    def _draw(self) -> None:
        """Draw the chart and its status again if the values, the size or the colours changed."""
        width, height = self.content_size
        colour = not self.app.no_color
        mode = self.mode
        key = (tuple(sorted(self.values.items())), width, height, self.app.theme, colour, self.rich_style, mode)
        if key == self._drawn_key:
            return
        data = self.computed()
        status = fit_status(glyph(mode, status_line(self.plot, self.values, data)), width)
        chart_height = max(1, height - len(status) - (1 if self.plot.controls else 0))
        background = self.background_colors[1]
        theme = ChartTheme.from_app_theme(self.app.current_theme, colour=colour, mode=mode,
                                          background=background.hex6 if background.a else "")
        self._drawn = render_plot(self.plot, self.values, width, chart_height, theme, computed=data)
        self._status = Text("\n".join(status), style="bold", no_wrap=True, overflow="ellipsis")
        self._strips = text_to_strips(Text("\n").join([self._drawn, self._status]), width, self.rich_style)
        self._controls_key = None
        self.plot_rows = chart_height
        self._drawn_key = key
        self.redraws += 1

    @property
    def mode(self) -> str:
        """The app's chart mode: braille, block or ascii."""
        return getattr(self.app, "chart_mode", "braille")

    def computed(self) -> ChartData | None:
        """The chart's data at the current values, computed once for the drawing, its status line and the
        playback's last step; None when the chart cannot be computed (the drawing then says why)."""
        key = (id(self.plot), tuple(sorted(self.values.items())))
        if key != self._computed_key:
            try:
                self._computed = compute(self.plot, self.values)
            except Exception:  # render_plot and status_line put the reason into words
                self._computed = None
            self._computed_key = key
        return self._computed

    def show_plot(self, plot: Plot, values: Mapping[str, Any] | None = None) -> None:
        """Draw another plot in place (the playground's new function or setting): its start values, or
        `values` on top of them; the first control selected and playback stopped."""
        self.playing = False
        self.plot = plot
        self.start = dict(plot.start_values())
        self.selected = 0
        self._drawn_key = self._controls_key = None
        self.values = {**self.start, **(values or {})}
        self.refresh()  # a new plot with the same values draws anew too (a layer switched on)
        self.refresh_bindings()

    def render_line(self, y: int) -> Strip:
        """The line API: strips cut once per drawing, not the text converted again at every paint."""
        self._draw()
        width = self.content_size.width
        if y < len(self._strips):
            return self._strips[y]
        if y == len(self._strips) and self.plot.controls:
            key = (self._drawn_key, self.selected, self.has_focus, self.held)
            if key != self._controls_key:
                self._controls_strip = text_to_strips(self._controls_line(width), width, self.rich_style)[0]
                self._controls_key = key
            return self._controls_strip
        return Strip.blank(width, self.rich_style)

    def _controls_line(self, width: int) -> Text:
        line, self._control_spans = controls_line(self.plot.controls, self.values, self.selected, self.has_focus,
                                                  width, self.mode, self.held)
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a value in the controls line selects it (the click also focuses the chart)."""
        row, column = event.y - self.styles.gutter.top, event.x - self.styles.gutter.left
        if self.plot.controls and row == len(self._strips):
            for index, (start, end) in enumerate(self._control_spans):
                if start <= column < end:
                    self.selected = index

    # -- actions ------------------------------------------------------------------------------------
    @property
    def control(self) -> Control | None:
        controls = self.plot.controls
        return controls[self.selected % len(controls)] if controls else None

    def set_values(self, **changes: Any) -> None:
        """Change some values (the screen may drive a chart this way); the chart redraws."""
        self.values = {**self.values, **changes}
        self.post_message(self.Changed(self, self.values))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("nudge", "cycle_control", "next_control", "previous_control") and not self.plot.controls:
            return None
        if action in ("play", "pause", "single_step") and not self.has_descent:
            return False  # nothing to play here: keep these keys out of the key bar
        if action == "play":
            return not self.playing
        if action == "pause":
            return self.playing
        return True

    @property
    def has_descent(self) -> bool:
        """Whether the chart has steps to play: a descent path, a race, a loss curve or a regression fit
        (whose step k is the epoch)."""
        return playable(self.plot)

    def _into_view(self) -> None:
        """A key used on the chart brings it back into view (the lesson may have been scrolled away)."""
        self.scroll_visible(animate=False, immediate=True)

    def describe(self) -> str:
        """The chart in one sentence, with its numbers."""
        return glyph(self.mode, describe(self.plot, self.values))

    def action_describe(self) -> None:
        self._into_view()
        self.notify(self.describe(), title=_("This chart"), timeout=20, markup=False)

    def _refuse_held(self, name: str) -> bool:
        """Whether `name` is held; if so, say why nothing moved."""
        if name not in self.held:
            return False
        self.notify(_("Answer the exercise below first: moving {value} here would show its answer.").format(
            value=value_label(name)), title=_("Not yet"), timeout=4)
        return True

    def action_nudge(self, steps: int) -> None:
        control = self.control
        if control is None:
            raise SkipAction()
        self._into_view()
        if self._refuse_held(control.name):
            return
        self.set_values(**{control.name: nudge(control, self.values.get(control.name), steps)})

    def action_next_control(self) -> None:
        if self.selected + 1 >= len(self.plot.controls):
            raise SkipAction()  # past the last value: tab moves on to the next widget
        self._into_view()
        self.selected += 1

    def action_previous_control(self) -> None:
        if self.selected <= 0:
            raise SkipAction()
        self.selected -= 1

    def action_cycle_control(self) -> None:
        self._into_view()
        if self.plot.controls:
            self.selected = (self.selected + 1) % len(self.plot.controls)

    def action_play(self) -> None:
        self._into_view()
        if self._refuse_held("step"):
            return
        if self._current_step() >= self._last_step():
            self.set_values(step=0)  # at the end: play again from the start
        self.playing = True

    def action_pause(self) -> None:
        self.playing = False

    def action_single_step(self) -> None:
        self._into_view()
        self.playing = False
        if not self._refuse_held("step"):
            self._advance()

    def action_reset(self) -> None:
        self._into_view()
        self.playing = False
        self.selected = 0
        self.values = dict(self.start)
        self.post_message(self.Changed(self, self.values))

    # -- descent playback ---------------------------------------------------------------------------
    def _tick(self) -> None:
        if not self._advance(self._stride()):
            self.playing = False

    def _advance(self, steps: int = 1) -> bool:
        """`steps` further along the path (or the fit's epochs), stopping at the last; False when already
        there."""
        k = self._current_step()
        last = self._last_step()
        if k >= last:
            return False
        self.set_values(step=min(k + steps, last))
        return True

    def _stride(self) -> int:
        """Steps per tick while playing: the step of the chart's own k control when it has one (an author
        who set `step: {range: [0, 1000], step: 10}` plays ten epochs a tick), else enough that a long
        run plays in about half a minute (PLAY_TICKS ticks)."""
        control = next((c for c in self.plot.controls if c.name == "step"), None)
        if control is not None and control.step and not control.log:
            return max(1, int(round(control.step)))
        return max(1, -(-self._last_step() // PLAY_TICKS))

    def _last_step(self) -> int:
        data = self.computed()  # the drawing's own data: no second look-up
        return data.last_step if data is not None else 0  # a chart that cannot be computed has nothing to play

    def _current_step(self) -> int:
        try:
            return int(float(self.values["step"]))
        except (KeyError, TypeError, ValueError):
            return self._last_step()

