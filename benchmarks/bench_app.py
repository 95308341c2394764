"""How fast the tutor feels: start-up, a chart redraw after a control change, opening a lesson.

    python benchmarks/bench_app.py [--reps N] [--lessons DIR]

Prints figures; asserts nothing. Everything runs headless in this one process, so the bare Textual app
and the tutor are measured under the same conditions (imports are warm for both; the first run of
each is discarded).

* start-up: from constructing the app to its first screen mounted and painted (the Pilot's first idle),
  for a bare `App` with one `Static` and for the tutor on a course (reading the lessons and opening the
  progress file included). Target: ratio of medians ≤ 1.5.
* chart redraw: a `ChartView` is told to change a control (`action_nudge`); we time (a) the redraw work
  itself — `_draw()` with new values: `render_plot`, status line, strips — and (b) from the change until
  the frame showing it is handed to the driver (Textual's frame scheduling included). Targets on the
  median of (a): 1-D function + tangent + 100-step path at 120×36 ≤ 16 ms; 2-D contour + path ≤ 33 ms.
* opening the longest lesson: from `open_lesson` until the lesson screen is mounted and idle.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gdtui.course.parse import load_course  # noqa: E402
from gdtui.paths import bundled_lessons  # noqa: E402
from gdtui.ui.app import TutorApp  # noqa: E402
from gdtui.ui.widgets.chart_view import ChartView  # noqa: E402

CHART_W, CHART_H = 120, 36

BENCH_LESSON = """---
id: bench
title: Benchmark charts
order: 1
---
```plot
id: one
f: x**4 - 3*x**2 + x
x: [-2.5, 2.5]
layers: [function, tangent, path]
tangent_at: 0.5
x0: 2
lr: 0.01
steps: 100
controls:
  tangent_at: [-2.5, 2.5]
```

```plot
id: two
f: (1 - x)**2 + 5*(y - x**2)**2
x: [-2, 2]
y: [-1, 3]
layers: [contour, path]
x0: -1.5
y0: 2
lr: 0.01
steps: 100
controls:
  x0: [-2, 2]
```
"""


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Static("Hello")


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(0.9 * (len(values) - 1))]
    return f"median {statistics.median(values):6.2f} ms   min {values[0]:6.2f} ms   p90 {p90:6.2f} ms   (n={len(values)})"


async def time_start(make_app, size=(120, 40)) -> tuple[float, float]:
    """Seconds from constructing the app to (its first frame, its first idle moment).

    The first frame is the first screen update the app hands to its driver (`App._display`, which a
    headless driver then drops); the same hook is used for both apps.
    """
    start = time.perf_counter()
    app = make_app()
    first: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        if not first and renderable is not None and not app._batch_count:
            first.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        idle = time.perf_counter()
    return first[0] - start, idle - start


async def bench_start(reps: int, lessons: Path, data_dir: Path) -> None:
    bare, tutor = [], []
    for i in range(reps + 1):  # interleaved, so drift hits both alike; the first of each is a warm-up
        b = await time_start(Bare)
        t = await time_start(lambda: TutorApp(lessons, data_dir, "bench"))
        if i:
            bare.append(b)
            tutor.append(t)
    for index, moment in ((0, "first frame"), (1, "first idle ")):
        bare_ms = [ms(b[index]) for b in bare]
        tutor_ms = [ms(t[index]) for t in tutor]
        ratio = statistics.median(tutor_ms) / statistics.median(bare_ms)
        print(f"start-up to {moment}, bare App + Static : {summary(bare_ms)}")
        print(f"start-up to {moment}, tutor course map  : {summary(tutor_ms)}   ratio {ratio:.2f} (target ≤ 1.5)")
    print(f"  course: {lessons} (parsed course cached in the data folder after the first start)")


CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from textual.app import App
from textual.widgets import Static
if {tutor!r}:
    from gdtui.ui.app import TutorApp
    app = TutorApp(Path({lessons!r}), Path({data!r}), "bench")
else:
    class Bare(App):
        def compose(self):
            yield Static("Hello")
    app = Bare()
display = app._display
def first_frame(screen, renderable):
    display(screen, renderable)
    if renderable is not None and not app._batch_count:
        print("painted", flush=True)
        app.exit()
app._display = first_frame
app.run(headless=True, size=(120, 40))
"""


def bench_process(reps: int, lessons: Path, data_dir: Path) -> None:
    """Whole processes: Python starting, importing, building the app, painting the first frame."""
    results: dict[bool, list[float]] = {False: [], True: []}
    for i in range(reps + 1):
        for tutor in (False, True):
            code = CHILD.format(root=str(ROOT), tutor=tutor, lessons=str(lessons), data=str(data_dir))
            start = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
            child.stdout.readline()
            elapsed = time.perf_counter() - start
            child.wait()
            if i:
                results[tutor].append(ms(elapsed))
    ratio = statistics.median(results[True]) / statistics.median(results[False])
    print(f"whole process to first frame, bare App + Static : {summary(results[False])}")
    print(f"whole process to first frame, tutor course map  : {summary(results[True])}   ratio {ratio:.2f}")


async def bench_chart(reps: int, course: Path, data_dir: Path) -> None:
    app = TutorApp(course, data_dir, "bench")
    frames: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        if renderable is not None and not app._batch_count:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display
    async with app.run_test(size=(CHART_W + 20, CHART_H + 20)) as pilot:
        app.open_lesson("bench")
        await pilot.pause()
        for chart, label, target in zip(app.screen.query(ChartView), ("1-D function + tangent + path", "2-D contour + path"),
                                        (16, 33)):
            chart.styles.width = CHART_W + 4  # border and padding: the drawing gets 120 columns
            chart.styles.height = chart.styles.max_height = CHART_H + 2 + 3  # 36 rows above 3 status lines
            chart.focus()
            chart.scroll_visible(animate=False)
            await pilot.pause()
            chart.styles.height = chart.styles.max_height = CHART_H + 5 + (CHART_H - chart.plot_rows)
            await pilot.pause()  # now the drawing itself is exactly 120×36, whatever its status lines
            work, frame = [], []
            for i in range(2 * reps + 2):
                direction = 1 if i % 20 < 10 else -1
                n = chart.redraws
                start = time.perf_counter()
                chart.action_nudge(direction)
                if i % 2 == 0:  # (a) the redraw work, as the app will ask for it
                    chart._draw()
                    work.append(ms(time.perf_counter() - start))
                    await pilot.pause()
                else:  # (b) until the app has drawn the widget and handed the frame to its driver
                    while chart.redraws == n or not frames or frames[-1] < start:
                        await asyncio.sleep(0.0002)
                    frame.append(ms(frames[-1] - start))
            work, frame = work[1:], frame[1:]
            print(f"chart redraw, {label}, plot {chart.content_size.width}×{chart.plot_rows} "
                  f"(widget content {chart.content_size.width}×{chart.content_size.height}):")
            print(f"  (a) redraw work           : {summary(work)}   target ≤ {target} ms")
            print(f"  (b) change → frame out    : {summary(frame)}")


async def bench_open(reps: int, lessons: Path, data_dir: Path) -> None:
    course = load_course(lessons)
    if not course.lessons:
        print("opening the longest lesson: no lessons")
        return
    longest = max(course.lessons, key=lambda lesson: (len(lesson.blocks), lesson.path.stat().st_size))
    app = TutorApp(lessons, data_dir, "bench")
    first_frames, built = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        display = app._display
        frames: list[float] = []

        def timed_display(screen, renderable) -> None:
            if renderable is not None and not app._batch_count:
                frames.append(time.perf_counter())
            display(screen, renderable)

        app._display = timed_display
        for i in range(reps + 1):
            frames.clear()
            start = time.perf_counter()
            app.open_lesson(longest.id)
            await pilot.pause()
            while not app.screen.built:
                await pilot.pause()
            done = time.perf_counter()
            shown = next((t for t in frames if t > start), done)
            app.pop_screen()
            await pilot.pause()
            if i:
                first_frames.append(ms(shown - start))
                built.append(ms(done - start))
    print(f"opening the longest lesson ({longest.path.name}, {len(longest.blocks)} blocks) at 120×40:")
    print(f"  to its first frame        : {summary(first_frames)}")
    print(f"  to every block mounted    : {summary(built)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--lessons", type=Path, default=bundled_lessons("en"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        bench_course = tmp_path / "bench-course"
        bench_course.mkdir()
        (bench_course / "01-bench.md").write_text(BENCH_LESSON, encoding="utf-8")
        asyncio.run(bench_start(args.reps, args.lessons, tmp_path / "data-start"))
        bench_process(max(5, args.reps // 3), args.lessons, tmp_path / "data-start")
        asyncio.run(bench_chart(max(args.reps, 40), bench_course, tmp_path / "data-chart"))
        asyncio.run(bench_open(max(5, args.reps // 3), args.lessons, tmp_path / "data-open"))


if __name__ == "__main__":
    main()
