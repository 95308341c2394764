"""The playground's chart: a `ChartView` whose ↑/↓ move the second value and whose space can shrink h.

←/→ are ChartView's (the selected control: the point x, or the start x₀). ↑/↓ always move the start's y₀
on a contour, or the secant's h on a curve. Without a descent to play, space plays the secant instead:
h halves every tick until the secant is the tangent (then space starts it over from h = 1).
"""

from __future__ import annotations

from textual.binding import Binding

from gdtui.i18n import N_
from gdtui.course.model import Plot
from gdtui.ui.widgets.chart_view import TICK_SECONDS, ChartView, nudge

SHORTEST_H = 1e-7  # the sweep stops here: much smaller and rounding error spoils the secant's slope
SWEEP_FROM = 1.0


class PlaygroundChart(ChartView):
    """A ChartView with ↑/↓ for the other coordinate (y₀ or h) and a secant sweep on space."""

    BINDINGS = [
        Binding("up", "nudge_second(1)", N_("y₀ / h up"), key_display="↑", show=False),
        Binding("down", "nudge_second(-1)", N_("y₀ / h down"), key_display="↓", show=False),
        Binding("shift+up", "nudge_second(10)", "+10", show=False),
        Binding("shift+down", "nudge_second(-10)", "−10", show=False),
        Binding("space", "play", N_("Play")),
        Binding("space", "pause", N_("Pause")),
        Binding("space", "sweep", N_("Shrink h")),
    ]

    def __init__(self, plot: Plot, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(plot, id=id, classes=classes)
        self._sweep = None

    @property
    def second(self) -> str | None:
        """The value ↑/↓ move: y₀ on a contour, h on a curve with a secant."""
        names = [c.name for c in self.plot.controls]
        return next((n for n in ("y0", "h") if n in names), None)

    @property
    def sweeping(self) -> bool:
        return self._sweep is not None

    def on_unmount(self) -> None:
        self._stop_sweep()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("play", "pause", "single_step") and not self.has_descent:
            return False  # hidden: space shrinks h instead
        if action == "sweep":
            return "h" in self.values and not self.has_descent
        if action == "nudge_second":
            return self.second is not None
        return super().check_action(action, parameters)

    def action_nudge_second(self, steps: int) -> None:
        name = self.second
        control = next((c for c in self.plot.controls if c.name == name), None)
        if control is not None:
            self._stop_sweep()
            self.set_values(**{name: nudge(control, self.values.get(name), steps)})

    def action_sweep(self) -> None:
        """Start (or stop) halving h once per tick."""
        if self._sweep is not None:
            self._stop_sweep()
            return
        if float(self.values.get("h", SWEEP_FROM)) <= SHORTEST_H * 1.01:
            self.set_values(h=SWEEP_FROM)
        self._sweep = self.set_interval(TICK_SECONDS, self._shrink)

    def show_plot(self, plot: Plot, values=None) -> None:
        self._stop_sweep()
        super().show_plot(plot, values)

    def action_reset(self) -> None:
        self._stop_sweep()
        super().action_reset()

    def _shrink(self) -> None:
        h = float(self.values.get("h", SWEEP_FROM)) / 2
        if h < SHORTEST_H:
            self._stop_sweep()
            return
        self.set_values(h=float(f"{h:.6g}"))

    def _stop_sweep(self) -> None:
        if self._sweep is not None:
            self._sweep.stop()
            self._sweep = None
