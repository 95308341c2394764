"""Chart redraw times after a control change: median and p95 in milliseconds.

    python benchmarks/bench_charts.py [--repeat N] [--no-plotext]

Each case redraws one chart N times, each time with a new value of one control, so the caches hold
everything except what that control feeds (as when a learner presses ← or →). "cold" clears every
cache first (the first draw of a chart). Targets (DESIGN.md): 1-D function + tangent + 100-step path
at 120×36 ≤ 16 ms median; 2-D contour + path ≤ 33 ms. The plotext row draws the same 1-D scene with
plotext 5 (build + Text.from_ansi) for comparison: that is why the charts draw on their own canvas.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gdtui.charts import ChartTheme, render_plot
from gdtui.charts import data as chart_data
from gdtui.charts.layers_2d import contour_cells
from gdtui.course import runs

THEME = ChartTheme(dark=True, colour=True)
W, H = 120, 36


@dataclass(frozen=True)
class Spec:
    f: str
    variables: tuple = ("x",)
    layers: tuple = ("function",)
    x_range: tuple = (-1.0, 1.0)
    y_range: tuple | None = None
    values: dict = field(default_factory=dict)
    optimizers: tuple = ()
    data: dict | None = None
    title: str | None = None


ONE_D = Spec("x**2 + 2*x + 1", layers=("function", "tangent", "path"), x_range=(-4.0, 6.0),
             values={"x0": 5, "lr": 0.1, "steps": 100, "tangent_at": 2.84})
TWO_D = Spec("x**2 + 3*y**2", variables=("x", "y"), layers=("contour", "path"), x_range=(-4.0, 4.0),
             y_range=(-4.0, 4.0), values={"x0": -3, "y0": 3, "lr": 0.1, "steps": 100})
RACE = Spec("(1 - x)**2 + 100*(y - x**2)**2", variables=("x", "y"),
            layers=("contour", "gradient_field", "path"), x_range=(-2.0, 2.0), y_range=(-1.0, 3.0),
            optimizers=("sgd", "momentum", "adam"), values={"x0": -1.5, "y0": 2, "lr": 0.001, "steps": 100})
ERROR = Spec("sin(x)", layers=("function", "tangent", "error_vs_h"), x_range=(-3.0, 3.0),
             values={"tangent_at": 1.0})


def clear_caches() -> None:
    for name in ("parsed", "derivative", "samples_1d", "grid_2d", "gradient_grid", "tangent_at",
                 "error_vs_h", "trajectory"):
        getattr(chart_data, name).cache_clear()
    runs.fit.cache_clear()
    runs.dataset.cache_clear()
    contour_cells.cache_clear()


def measure(draw: Callable[[int], object], repeat: int) -> tuple[float, float, float]:
    """(median, p95) of wall-clock ms, and the median CPU ms (steadier on a busy machine)."""
    for i in range(3):
        draw(-1 - i)  # warm up imports and the unchanged parts
    wall, cpu = [], []
    for i in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        draw(i)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    wall.sort()
    p95 = wall[min(len(wall) - 1, int(round(0.95 * (len(wall) - 1))))]
    return statistics.median(wall), p95, statistics.median(cpu)


def control(spec: Spec, name: str, value: Callable[[int], float]) -> Callable[[int], object]:
    return lambda i: render_plot(spec, {name: value(i)}, W, H, THEME)


def cold(spec: Spec) -> Callable[[int], object]:
    def draw(i: int):
        clear_caches()
        return render_plot(spec, {}, W, H, THEME)
    return draw


def plotext_1d() -> Callable[[int], object]:
    """The 1-D scene in plotext: curve, tangent, 101 path points, current step; then to Rich Text."""
    import numpy as np
    import plotext as plt
    from rich.text import Text

    x = np.linspace(-4, 6, 2 * W)
    y = (x**2 + 2 * x + 1).tolist()
    px = [5 * 0.8**k - 1 for k in range(101)]
    py = [(p + 1) ** 2 for p in px]

    def draw(i: int):
        a = 2.84 + 0.01 * i
        plt.clf()
        plt.limitsize(False, False)
        plt.plotsize(W, H)
        plt.theme("dark")
        plt.plot(x.tolist(), y, marker="braille", label="f")
        plt.plot([-4, 6], [(2 * a + 2) * (t - a) + (a + 1) ** 2 for t in (-4, 6)], marker="braille",
                 label="tangent")
        plt.scatter(px, py, marker="•", label="path")
        plt.scatter(px[2:3], py[2:3], marker="◆", label="step 2")
        return Text.from_ansi(plt.build())
    return draw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--no-plotext", action="store_true", help="skip the plotext comparison")
    args = parser.parse_args()
    n = args.repeat
    cases = [
        ("1-D f+tangent+100-step path, tangent_at", control(ONE_D, "tangent_at", lambda i: -3 + (i % 900) * 0.01), 16),
        ("1-D f+tangent+100-step path, step k", control(ONE_D, "step", lambda i: i % 101), 16),
        ("1-D f+tangent+100-step path, lr (new descent)", control(ONE_D, "lr", lambda i: 0.01 + i * 1e-4), 16),
        ("1-D f+tangent+100-step path, cold", cold(ONE_D), None),
        ("2-D contour+path, step k", control(TWO_D, "step", lambda i: i % 101), 33),
        ("2-D contour+path, lr (new descent)", control(TWO_D, "lr", lambda i: 0.01 + i * 1e-4), 33),
        ("2-D contour+path, cold", cold(TWO_D), None),
        ("contour+gradient_field+race of 3, step k", control(RACE, "step", lambda i: i % 101), 33),
        ("contour+gradient_field+race of 3, lr (3 descents)", control(RACE, "lr", lambda i: 1e-3 + i * 1e-6), 33),
        ("error_vs_h (+function, tangent), tangent_at", control(ERROR, "tangent_at", lambda i: -2 + i * 0.01), None),
    ]
    if not args.no_plotext:
        cases.append(("plotext 5: 1-D scene, build + Text.from_ansi", plotext_1d(), 16))
    print(f"chart redraw at {W}×{H}, {n} redraws each (ms)")
    print(f"{'case':58} {'median':>8} {'p95':>8} {'cpu med':>8}  target")
    for label, draw, target in cases:
        median, p95, cpu = measure(draw, n)
        verdict = "" if target is None else (f"≤ {target}  {'ok' if median <= target else 'OVER'}")
        print(f"{label:58} {median:8.2f} {p95:8.2f} {cpu:8.2f}  {verdict}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (wall times stretch under load)")


if __name__ == "__main__":
    main()
