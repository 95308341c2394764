"""How fast the playground answers: redraws after a control change, in its 1-D and 2-D views.

    python benchmarks/bench_playground.py [--reps N]

Prints figures; asserts nothing. The playground runs headless in this process, pushed by a bare app, at
its natural sizes (120×40 and 80×24) and with the chart forced to a 120×36 drawing (the size of the
redraw targets in DESIGN.md: 1-D ≤ 16 ms median, 2-D contour + path ≤ 33 ms). For each view:

* (a) redraw work: the chart's control changes (`action_nudge`, as ←/→ do) and the chart draws itself
  again (`drawing()`: `render_plot` + the status line). What depends on the moved value is recomputed
  every time (descent paths from a new start, a new tangent, the error against h at a new point).
* (b) screen work: what the screen does with the chart's `Changed`: the derivatives at the new point and
  the race's results table.
* (c) change → frame: from the change until the chart has been redrawn, the screen has taken the new
  values and the app has handed a frame to its driver (Textual's scheduling included).
* settings change: a new η from the settings list, which makes a new plot for the same chart, until the
  chart's new frame is out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from textual.app import App

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gdtui.charts import data as chart_data  # noqa: E402
from gdtui.ui.playground.screen import PlaygroundScreen  # noqa: E402

# (label, what the playground opens, the control ←/→ move, the 1-D/2-D target in ms)
VIEWS = (
    ("1-D: f, f′, tangent, secant, error vs h; move x", "x**3 - 2*x + sin(3*x)", "tangent_at", 16),
    ("1-D: f, f′, tangent, 100-step path, loss; move x₀", "seed_1d", "x0", 16),
    ("2-D: contour, ∇f arrows, 100-step path, loss; move x₀", "seed_bowl", "x0", 33),
    ("2-D race: Rosenbrock, 3 optimizers × 1000 steps; move x₀", "rosenbrock", "x0", 33),
)
SIZES = ((120, 40, None), (80, 24, None), (170, 52, (120, 36)))


class PlayApp(App[None]):
    def __init__(self, function: str) -> None:
        super().__init__()
        self.function = function
        self.frames: list[float] = []

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen(self.function))


def forget_the_moved_value() -> None:
    """Empty the caches keyed on the value a control moves, so going to and fro costs what a new value does.

    (The caches keyed on the size and the range, such as the contour grid, keep their contents, as they
    do when a learner presses ← or →.)"""
    for cached in (chart_data.trajectory, chart_data.tangent_at, chart_data.error_vs_h):
        cached.cache_clear()


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(0.9 * (len(values) - 1))]
    return f"median {statistics.median(values):7.2f} ms   min {values[0]:7.2f}   p90 {p90:7.2f}   (n={len(values)})"


def record_frames(app: PlayApp) -> None:
    display = app._display

    def timed_display(screen, renderable) -> None:
        if renderable is not None and not app._batch_count:
            app.frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display


async def frame_after(app: PlayApp, start: float, done, patience: float = 10.0) -> float:
    while not done() or not app.frames or app.frames[-1] < start:
        if time.perf_counter() - start > patience:
            raise RuntimeError("no frame came: did the change change nothing?")
        await asyncio.sleep(0.0002)
    return app.frames[-1] - start


async def bench_view(label: str, function: str, control: str, target: int, size, forced, reps: int) -> None:
    app = PlayApp(function)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen: PlaygroundScreen = app.screen
        chart = screen.chart
        if forced is not None:
            chart.styles.width = forced[0] + 4  # border and padding
            chart.styles.height = forced[1] + 2 + 3  # the drawing above up to two status lines and the controls
        chart.selected = [c.name for c in chart.plot.controls].index(control)
        chart.focus()
        await pilot.pause()
        record_frames(app)
        work, work_cpu, numbers, frame = [], [], [], []
        for i in range(3 * reps + 3):
            direction = 1 if (i // 3) % 2 == 0 else -1  # to and fro: never stuck at the end of a range
            forget_the_moved_value()
            start = time.perf_counter()
            chart.action_nudge(direction)
            if i % 3 == 0:  # (a) the chart's own redraw
                cpu = time.process_time()
                chart.drawing()
                work.append(ms(time.perf_counter() - start))
                work_cpu.append(ms(time.process_time() - cpu))
                await pilot.pause()
            elif i % 3 == 1:  # (b) the screen's work on the new values
                await pilot.pause()
                start = time.perf_counter()
                screen._numbers()
                numbers.append(ms(time.perf_counter() - start))
            else:  # (c) until the chart is drawn, the screen has the values and a frame is out
                n = chart.redraws
                frame.append(ms(await frame_after(app, start, lambda: chart.redraws > n and screen.live == dict(chart.values))))
        width, height = chart.content_size.width, chart.plot_rows
        print(f"{label}\n  terminal {size[0]}×{size[1]}, chart drawing {width}×{height}")
        print(f"  (a) redraw work      : {summary(work[1:])}   target ≤ {target} ms")
        print(f"      its CPU time     : {summary(work_cpu[1:])}")
        print(f"  (b) screen work      : {summary(numbers[1:])}")
        print(f"  (c) change → frame   : {summary(frame[1:])}")
        if forced is None:
            rebuild = []
            for i in range(reps // 3 + 1):
                lr = screen.setup.lr * (2 if i % 2 == 0 else 0.5)
                forget_the_moved_value()  # a new η: new descents
                before = screen.chart.redraws
                start = time.perf_counter()
                await screen.show(replace(screen.setup, lr=lr), keep_point=True)
                rebuild.append(ms(await frame_after(app, start, lambda: screen.chart.redraws > before)))
            print(f"  settings change      : {summary(rebuild[1:])}   (the new plot drawn by the same chart, to its frame)")


async def main(reps: int) -> None:
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (wall times stretch under load)\n")
    for label, function, control, target in VIEWS:
        for width, height, forced in SIZES:
            await bench_view(label, function, control, target, (width, height), forced, reps)
        print(flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    asyncio.run(main(parser.parse_args().reps))
