"""A computational graph in a lesson: → walks it forward then back, space plays it, the numbers appear."""

from __future__ import annotations

from pathlib import Path

from gdtui.ui.widgets.chart_view import ChartView

from ui_helpers import SIZE, open_lesson

LESSON = """---
id: backprop
title: Backpropagation
---
One neuron's squared error, as a graph.

```plot
id: neuron
f: (sigmoid(w*x + b) - t)**2
params: {w: 0.5, b: -0.2, t: 1}
x: [-3, 3]
layers: [graph]
x0: 1.5
controls:
  step: [0, 10]
  w: [-2, 2]
```
"""


async def test_the_learner_walks_the_graph_forward_and_back(make_app, tmp_path: Path):
    folder = tmp_path / "graph-course"
    folder.mkdir()
    (folder / "01-backprop.md").write_text(LESSON, encoding="utf-8")
    app = make_app(lessons=folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "backprop")
        chart = screen.query_one(ChartView)
        assert chart.has_descent  # space and s play the walk
        chart.focus()
        assert "k = 0 of 10: the inputs" in chart.drawing().plain and "▸ 0.75" not in chart.drawing().plain
        await pilot.press("right")
        assert chart.values["step"] == 1 and "forward 1/5: a = w·x = 0.75" in chart.drawing().plain
        await pilot.press("s", "s", "s", "s")
        assert chart.values["step"] == 5 and "forward 5/5: f = g² = 0.1339" in chart.drawing().plain
        await pilot.press(*["s"] * 5)
        drawn = chart.drawing().plain
        assert chart.values["step"] == 10 and "backward 5/5" in drawn and "◂ −0.2547" in drawn  # ∂f/∂w
        await pilot.press("tab")  # the next value: w
        await pilot.press("right")
        assert chart.values["w"] > 0.5 and "◂ −0.2547" not in chart.drawing().plain
