"""The playground: its pure parts with plain asserts, its flows with Pilot, one snapshot of a 2-D race.

The screen is tested on its own, pushed by a tiny app, so these tests do not depend on the course map.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.command import CommandList
from textual.widgets import Input

from gdtui.charts import compute
from gdtui.engine import SURFACES
from gdtui.playground.numbers import derivative_sheet, run_results
from gdtui.playground.presets import BY_KEY, BY_NAME, PRESETS, preset_named
from gdtui.playground.settings import LADDERS, adjust, climb, rows
from gdtui.playground.setup import build_plot, default_setup, normalised, read_function
from gdtui.playground.typed import RANGE_END, prefill, read_ranges, read_typed
from gdtui.ui.playground.screen import PlaygroundScreen
from gdtui.ui.playground.dialogs import PLAYGROUND_KEYS, PlaygroundHelp, PresetPicker
from gdtui.ui.playground.value_editor import ValueEditor
from gdtui.ui.widgets.chart_view import ChartView
from gdtui.ui.playground.chart import PlaygroundChart
from gdtui.ui.playground.input import FunctionInput
from gdtui.ui.playground.results import ResultsTable
from gdtui.ui.playground.settings_list import SettingsList

WIDE = (120, 40)
SMALL = (80, 24)


class PlayApp(App[None]):
    """Just the playground, over an empty screen."""

    def __init__(self, function: str | None = None) -> None:
        super().__init__()
        self.function = function

    def on_mount(self) -> None:
        self.push_screen(PlaygroundScreen(self.function))


async def started(pilot) -> PlaygroundScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlaygroundScreen)
    return screen


def chart_text(chart: ChartView) -> str:
    return chart.drawing().plain


# -- pure parts ------------------------------------------------------------------------------------
def test_reading_a_function_gives_its_variables_or_the_column_at_fault():
    one = read_function("x**2 + 2*x + 1")
    assert one.ok and one.variables == ("x",) and one.read_as == "x² + 2·x + 1"
    two = read_function("(1-x)**2 + 100*(y-x**2)**2")
    assert two.variables == ("x", "y")
    bad = read_function("x**2 + z")
    assert not bad.ok and bad.column == 8 and "unknown name 'z'" in bad.error
    assert "one number" in read_function("[x, y]").error
    assert not read_function("   ").ok


def test_every_surface_and_the_seeds_experiments_are_presets():
    titles = {p.setup.name for p in PRESETS}
    assert {s.title for s in SURFACES.values()} <= titles
    seeds = {(p.setup.text, p.setup.start, p.setup.lr) for p in PRESETS}
    assert ("x**2 + 2*x + 1", (5.0,), 0.1) in seeds
    for lr in (0.1, 10.0, 1e-10):
        assert ("x**2 + y**2", (-3.0, 4.0), lr) in seeds
    assert len(BY_KEY) == len(PRESETS)  # each one key away
    assert preset_named(" Six-hump camel ") is BY_NAME["six_hump_camel"]
    assert preset_named("x**2") is None


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_is_a_valid_plot_and_draws(preset):
    plot = build_plot(preset.setup)
    data = compute(plot, plot.start_values())
    assert plot.kind == ("2d" if preset.setup.dim == 2 else "1d")
    if preset.setup.descent:
        assert set(data.runs) == set(preset.setup.optimizers)


def test_the_seeds_numbers_come_out_of_their_presets():
    plot = build_plot(BY_NAME["seed_1d"].setup)
    run = compute(plot, plot.start_values()).runs["sgd"]
    assert run.xs[1, 0] == pytest.approx(3.8) and run.xs[2, 0] == pytest.approx(2.84)
    assert run.final[0] == pytest.approx(-1.0, abs=1e-6)
    tiny = build_plot(BY_NAME["seed_bowl_tiny"].setup)
    final = compute(tiny, tiny.start_values()).runs["sgd"].final
    np.testing.assert_allclose(final, [-2.99999994, 3.99999992], rtol=1e-8)


def test_ladders_climb_from_between_rungs():
    assert climb(LADDERS["lr"], 0.09, 1) == 0.1
    assert climb(LADDERS["lr"], 0.09, -1) == 0.05
    assert climb(LADDERS["lr"], 0.1, 3) == 1.0  # shift: ten times
    assert climb(LADDERS["lr"], 10.0, 1) == 10.0  # the top stays the top
    assert climb(LADDERS["steps"], 100, -1) == 50
    assert climb(LADDERS["lr"], 50.0, 1) == 50.0  # a typed value beyond the top: → leaves it …
    assert climb(LADDERS["lr"], 50.0, -1) == 10.0  # … ← comes back onto the ladder
    assert climb(LADDERS["steps"], 7, -1) == 7 and climb(LADDERS["steps"], 7, 1) == 10


def test_typed_numbers_are_read_by_the_safe_language_and_checked():
    setup = default_setup("x**2 + y**2", ("x", "y"))
    assert read_typed(setup, "lr", "0.0015").setup.lr == 0.0015
    assert read_typed(setup, "lr", "1e-3").setup.lr == 0.001
    third = read_typed(setup, "lr", "1/3")
    assert third.setup.lr == 1 / 3 and third.read_as == "1/3 = 0.3333333333"  # an expression is echoed
    steps = read_typed(setup, "steps", "1e3").setup.steps
    assert steps == 1000 and isinstance(steps, int)
    assert read_typed(setup, "momentum", "0").setup.momentum == 0.0
    for key, text, message in [
        ("lr", "-1", "η must be greater than 0"),
        ("lr", "abc", "I could not read 'abc': unknown name 'abc'"),
        ("lr", "1e999", "too large"),
        ("lr", "9**999", "not a finite number"),
        ("lr", "__import__('os')", "I could not read"),  # never eval
        ("lr", "", "type a number"),
        ("lr", "1, 2", "one number"),
        ("steps", "10.5", "steps must be a whole number from 1 to 10000"),
        ("steps", "20000", "from 1 to 10000"),
        ("tol", "0", "tol must be greater than 0"),
        ("momentum", "1", "β must be at least 0 and less than 1"),
        ("alpha", "1.5", "α must be greater than 0 and at most 1"),
        ("beta2", "1", "β₂ must be at least 0 and less than 1"),
    ]:
        typed = read_typed(setup, key, text)
        assert not typed.ok and message in typed.error, (key, text, typed.error)
    for key in ("lr", "steps", "tol", "momentum", "alpha", "beta1", "beta2", "zoom"):
        assert read_typed(setup, key, prefill(setup, key)).setup == normalised(setup)  # enter alone: no change


def test_a_typed_range_in_any_of_the_ways_a_person_writes_it():
    for text in ["−1…3 × −2…2", "-1..3 x -2..2", "-1 to 3 x -2 to 2", "[-1, 3] × [-2, 2]",
                 "−1…3, −2…2", "-1, 3, -2, 2", "-1...3 X -2...2", "-exp(0)..3 × -2..sqrt(4)"]:
        assert read_ranges(text, 2) == ((-1.0, 3.0), (-2.0, 2.0)), text
    for text in ["−2…3", "-2..3", "-2, 3", "-2 to 3", "[-2, 3]", "(−2)…(3)", "-max(1, 2)..3"]:
        assert read_ranges(text, 1) == ((-2.0, 3.0),), text
    for text, dim, message in [("3..1", 1, "reversed or empty"), ("1..1", 1, "reversed or empty"),
                               ("0..1 × 2..1", 2, "y: 2…1 is reversed"), ("1..2", 2, "xlo…xhi × ylo…yhi"),
                               ("-2..2 × 0..z", 2, "y: I could not read 'z'"), ("0..1e9", 1, "within"),
                               ("0..1e-9", 1, "too narrow"), ("5", 1, "lo…hi"), ("", 2, "type a range")]:
        with pytest.raises(ValueError, match=message):
            read_ranges(text, dim)
    setup = default_setup("x**2 + y**2", ("x", "y"))
    moved = read_typed(setup, "zoom", "2…12 × 0…10")
    assert moved.read_as == "x: 2…12,  y: 0…10"
    assert moved.setup.x_range == (2.0, 12.0) and moved.setup.y_range == (0.0, 10.0)
    assert moved.setup.start == (2.0, setup.start[1])  # the start is kept inside the new window


@settings(max_examples=200, deadline=None)
@given(st.floats(-RANGE_END, RANGE_END), st.floats(-RANGE_END, RANGE_END), st.floats(1e-300, 1e300))
def test_the_editor_prefill_reads_back_exactly(a, b, lr):
    lo, hi = min(a, b), max(a, b)
    if hi - lo < 1e-6:
        return
    setup = replace(default_setup("x**2 + y**2", ("x", "y")), x_range=(lo, hi), y_range=(lo, hi), lr=lr)
    assert read_typed(setup, "zoom", prefill(setup, "zoom")).setup.x_range == (lo, hi)
    assert read_typed(setup, "lr", prefill(setup, "lr")).setup.lr == lr


def test_adjusting_the_race_and_the_layers():
    setup = default_setup("x**2 + y**2", ("x", "y"))
    assert setup.optimizers == ("sgd", "momentum", "adam")
    with_rms = adjust(setup, "opt:rmsprop", 0)
    assert with_rms.optimizers == ("sgd", "momentum", "rmsprop", "adam")  # the engine's order
    assert adjust(with_rms, "opt:rmsprop", 1) == with_rms  # → turns on: already on
    alone = replace(setup, optimizers=("sgd",))
    assert adjust(alone, "opt:sgd", 0) == alone  # the last one stays
    keys = [row.key for row in rows(with_rms)]
    assert {"alpha", "beta1", "beta2", "momentum"} <= set(keys)
    assert "alpha" not in [row.key for row in rows(setup)]  # only what the racers read
    zoomed = adjust(replace(setup, start=(4.0, 4.0)), "zoom", -1)
    assert zoomed.x_range == (-2.5, 2.5) and zoomed.start == (2.5, 2.5)  # the start stays inside
    assert adjust(setup, "schedule", 1).schedule == "step"
    assert adjust(setup, "schedule", 0).schedule == "step"  # enter cycles a choice …
    assert adjust(setup, "lr", 0) == setup  # … but leaves a number alone (a click only highlights it)


def test_a_step_schedule_has_its_cut_interval_and_factor_as_settings():
    setup = replace(default_setup("x**2 + y**2", ("x", "y")), optimizers=("sgd",), lr=0.1, steps=6)
    assert "gamma" not in [row.key for row in rows(setup)]  # constant η: nothing to set
    step = adjust(setup, "schedule", 1)
    shown = {row.key: row for row in rows(step)}
    assert shown["step_size"].value == "10 steps" and shown["gamma"].value == "0.1"  # the engine's defaults
    assert "⌊k/s⌋" in shown["schedule"].note
    assert "gamma" not in build_plot(step).values  # a default is left to the chart
    halving = adjust(adjust(step, "gamma", 1), "gamma", 1)
    assert halving.gamma == 0.5
    every_two = read_typed(halving, "step_size", "2").setup
    assert every_two.step_size == 2 and build_plot(every_two).values["step_size"] == 2
    # on x²+y², each coordinate is multiplied by (1 − 2η_k) with η = 0.1, 0.1, 0.05, 0.05, 0.025, 0.025
    run = compute(build_plot(replace(every_two, start=(1.0, 1.0)))).runs["sgd"]
    assert run.xs[-1] == pytest.approx([0.8**2 * 0.9**2 * 0.95**2] * 2)
    assert not read_typed(every_two, "step_size", "2.5").ok and not read_typed(every_two, "gamma", "0").ok
    exponential = adjust(halving, "schedule", 1)
    assert exponential.schedule == "exponential" and exponential.gamma is None  # its own default, 0.95
    assert {row.key: row.value for row in rows(exponential)}["gamma"] == "0.95"
    assert "step_size" not in [row.key for row in rows(exponential)]
    cosine = adjust(exponential, "schedule", 1)
    assert "to 0 at the last step" in {row.key: row for row in rows(cosine)}["schedule"].note


def test_each_optimizer_of_a_race_may_have_its_own_learning_rate():
    setup = replace(default_setup("x**2 + y**2", ("x", "y")), optimizers=("sgd", "adam"), lr=0.1,
                    start=(-3.0, 4.0), steps=3)
    keys = [row.key for row in rows(setup)]
    assert "own_rates" in keys and "lr" in keys and "lr:adam" not in keys  # one η for the race at first
    own = adjust(setup, "own_rates", 0)
    assert own.own_rates and [row.key for row in rows(own) if row.key.startswith("lr")] == ["lr:sgd", "lr:adam"]
    assert build_plot(own).values.get("lr_adam") is None  # everyone still at the shared η: nothing to say
    faster = adjust(own, "lr:adam", 1)  # → climbs adam's η from 0.1 to 0.2
    assert faster.rate("adam") == 0.2 and faster.rate("sgd") == 0.1
    typed = read_typed(faster, "lr:adam", "0.5").setup
    assert typed.rate("adam") == 0.5 and not read_typed(faster, "lr:adam", "0").ok
    plot = build_plot(typed)
    assert plot.values["lr_adam"] == 0.5 and "lr_sgd" not in plot.values
    runs = compute(plot).runs
    assert runs["adam"].xs[1] == pytest.approx([-2.5, 3.5]) and runs["sgd"].xs[1] == pytest.approx([-2.4, 3.2])
    back = adjust(typed, "own_rates", 0)
    assert not back.own_rates and "lr_adam" not in build_plot(back).values  # one η again
    alone = replace(typed, optimizers=("adam",))
    assert not alone.own_rates and "own_rates" not in [row.key for row in rows(alone)]


async def test_typing_an_optimizers_own_learning_rate():
    app = PlayApp("(1-x)**2 + 100*(y-x**2)**2")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await screen.show(replace(screen.setup, optimizers=("sgd", "adam"), rates=()), keep_point=True)
        await pilot.pause()
        settings = screen.query_one(SettingsList)
        settings.focus()
        settings.highlighted = [row.key for row in settings.rows].index("lr:adam")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ValueEditor)
        box = app.screen.query_one(Input)
        box.value = "0.02"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.setup.rate("adam") == 0.02 and screen.chart.plot.values["lr_adam"] == 0.02
        assert "adam (η 0.02)" in screen.chart.drawing().plain


def test_changing_beta_is_shared_with_the_racers_that_read_it():
    setup = replace(default_setup("x**2 + y**2", ("x", "y")), optimizers=("sgd", "momentum"))
    assert "momentum" not in build_plot(setup).values  # the default: each optimizer its own
    changed = adjust(setup, "momentum", -1)
    assert build_plot(changed).values["momentum"] == 0.8
    note = next(row.note for row in rows(changed) if row.key == "momentum")
    assert "sgd" in note


def test_derivative_sheets_in_unicode_with_values_at_the_point():
    one = derivative_sheet(default_setup("x**3", ("x",)), {"tangent_at": 2.0})
    assert dict(one.formulas) == {"f(x)": "x³", "f′(x)": "3·x²", "f″(x)": "6·x"}
    assert dict(one.values) == {"f(x)": "8", "f′(x)": "12", "f″(x)": "12"}
    two = derivative_sheet(default_setup("x**2 - y**2", ("x", "y")), {"x0": 1.0, "y0": 2.0})
    assert dict(two.formulas)["∂f/∂y"] == "−2·y"
    assert two.matrix == (("2", "0"), ("0", "−2"))
    assert dict(two.values)["∇f"] == "(2, −4)"
    assert "saddle" in two.remark
    long = derivative_sheet(BY_NAME["rosenbrock"].setup, {})
    assert "∂²f/∂x∂y" in dict(long.formulas)  # long entries are listed, not squeezed into a matrix


def test_results_count_steps_to_tolerance_and_report_divergence():
    setup = replace(BY_NAME["seed_bowl_big"].setup, steps=500)
    plot = build_plot(setup)
    (result,) = run_results(compute(plot, plot.start_values()).runs, 1e-6)
    assert result.diverged and result.arrived is None
    assert result.outcome == f"diverged at step {result.steps_run}" and result.steps_run < 500  # overflow
    good = build_plot(BY_NAME["seed_bowl"].setup)
    (result,) = run_results(compute(good, good.start_values()).runs, 1e-4)
    assert result.arrived == 52 and not result.diverged


def test_the_help_lists_the_playground_keys():
    listed = {key for _, section in PLAYGROUND_KEYS for _, _, keys in section for key in keys.split(",")}
    for owner in (PlaygroundScreen, PlaygroundChart, SettingsList, PresetPicker, ValueEditor):
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):
                assert key in listed | {"tab", "shift+tab", "c", "question_mark"}, f"{owner.__name__}: {key}"


# -- flows -----------------------------------------------------------------------------------------
async def test_opens_on_a_function_or_a_surface_name():
    app = PlayApp("rosenbrock")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        assert screen.setup.name == "Rosenbrock's banana" and screen.setup.dim == 2
        assert isinstance(screen.focused, PlaygroundChart)
        assert screen.query_one(FunctionInput).box.value == "(1 - x)**2 + 100*(y - x**2)**2"
        assert "(1 − x)² + 100·(y − x²)²" in chart_text(screen.chart)


async def test_a_bad_first_function_shows_its_error_in_the_input():
    app = PlayApp("x**2 + z")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        echo = screen.query_one(FunctionInput).echo
        assert echo.column == 8 and "unknown name 'z'" in echo.error
        assert screen.chart is None and isinstance(screen.focused, Input)
        await pilot.press("backspace", "y", "enter")
        await pilot.pause()
        assert screen.setup.text == "x**2 + y" and screen.chart is not None


async def test_typing_a_function_echoes_it_and_draws_it():
    app = PlayApp()
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        box = screen.query_one(FunctionInput).box
        await pilot.press("slash")
        await pilot.pause()  # focusing the box selects its text
        assert screen.focused is box
        await pilot.press(*"x**3 - 3x", "enter")  # the old text was selected: typing replaces it
        await pilot.pause()
        assert screen.setup.text == "x**3 - 3x"
        assert screen.query_one(FunctionInput).echo.read_as == "x³ − 3·x"
        assert isinstance(screen.focused, PlaygroundChart)  # ready for the arrows
        assert "f′(x) = 3·x² − 3" in chart_text(screen.chart)
        # an error while typing: the chart keeps the last good function
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("end", *"+ q")
        await pilot.pause()
        echo = screen.query_one(FunctionInput).echo
        assert "unknown name 'q'" in echo.error and echo.column == len("x**3 - 3x+ q")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.setup.text == "x**3 - 3x"
        await pilot.press("escape")  # leave the box: it shows what is drawn again
        assert box.value == "x**3 - 3x" and isinstance(screen.focused, PlaygroundChart)


async def test_a_new_function_is_read_once_and_drawn_by_the_same_chart(monkeypatch):
    from gdtui.playground import setup as setup_module

    texts = []
    real_parse = setup_module.parse

    def counting(text, *args, **kwargs):
        texts.append(text)
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(setup_module, "parse", counting)
    app = PlayApp("x**2")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        chart = screen.chart
        await pilot.press("slash")
        await pilot.pause()
        texts.clear()
        await pilot.press(*"x**3 - 3x", "enter")
        await pilot.pause()
        assert screen.setup.text == "x**3 - 3x" and screen.chart is chart  # drawn in place, not a new widget
        assert chart.plot.f == "x**3 - 3x" and len(screen.query(PlaygroundChart)) == 1
        # read as each key came in, then not again for drawing it or echoing it
        assert texts.count("x**3 - 3x") == 1, texts
        before, drawn = chart.plot, chart.redraws
        await pilot.press("o")
        settings = screen.query_one(SettingsList)
        settings.highlighted = settings.get_option_index("show:second_derivative")
        await pilot.press("space")
        await pilot.pause()
        assert screen.chart is chart and chart.plot is not before and "second_derivative" in chart.plot.layers
        assert chart.redraws > drawn  # painted again by itself, though its values did not change
        assert "f″(x) = 6·x" in chart_text(chart)


async def test_a_drawing_computes_the_charts_data_once(monkeypatch):
    from gdtui.charts import data as chart_data

    calls = []
    real = chart_data._compute

    def counting(spec, values):
        calls.append(dict(values or {}))
        return real(spec, values)

    monkeypatch.setattr(chart_data, "_compute", counting)
    app = PlayApp("seed_bowl")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.pause()
        calls.clear()
        await pilot.press("left")  # new values: the chart, its status line, playback and the race's table
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#play-race-main ResultsTable", ResultsTable).results
        assert screen.chart._last_step() > 0
        assert len(calls) == 1, calls


async def test_moving_the_point_moves_the_tangent_and_the_numbers():
    app = PlayApp("x**2")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        chart = screen.chart
        start = chart.values["tangent_at"]
        await pilot.press("right", "right")
        await pilot.pause()
        assert chart.values["tangent_at"] == pytest.approx(start + 0.2)
        a = start + 0.2
        assert screen.live["tangent_at"] == pytest.approx(a)
        sheet = dict(screen.query_one("#play-derivatives").sheet.values)
        assert float(sheet["f′(x)"]) == pytest.approx(2 * a)
        assert f"f′(x) = {2 * a:g}" in chart_text(chart)
        h = chart.values["h"]
        await pilot.press("down")  # the secant narrows
        assert chart.values["h"] == pytest.approx(h / 2)


async def test_moving_the_start_in_two_dimensions():
    app = PlayApp("seed_bowl")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        chart = screen.chart
        assert (chart.values["x0"], chart.values["y0"]) == (-3.0, 4.0)
        await pilot.press("left", "up", "up")
        await pilot.pause()
        assert chart.values["x0"] == pytest.approx(-3.2) and chart.values["y0"] == pytest.approx(4.4)
        assert "(x₀, y₀) = (−3.2, 4.4)" in chart_text(chart)
        await pilot.press("r")
        assert (chart.values["x0"], chart.values["y0"]) == (-3.0, 4.0)


async def test_switching_optimizers_keeps_the_start_and_fills_the_table():
    app = PlayApp("seed_bowl")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("up")  # move the start first: a settings change keeps it
        await pilot.press("o")
        settings = screen.query_one(SettingsList)
        assert screen.focused is settings
        settings.highlighted = settings.get_option_index("opt:adam")
        await pilot.press("space")
        await pilot.pause()
        assert screen.setup.optimizers == ("sgd", "adam")
        assert screen.chart.plot.optimizers == ("sgd", "adam")
        assert screen.chart.values["y0"] == pytest.approx(4.2)
        table = screen.query_one("#play-race-main ResultsTable", ResultsTable)
        assert [r.optimizer for r in table.results] == ["sgd", "adam"] and table.row_count == 2
        settings.highlighted = settings.get_option_index("lr")
        await pilot.press("right")
        await pilot.pause()
        assert screen.setup.lr == 0.2 and screen.chart.plot.values["lr"] == 0.2


async def open_editor(pilot, screen: PlaygroundScreen, key: str) -> ValueEditor:
    """Enter on the settings row `key`: the value editor, its box focused and filled."""
    await pilot.press("o")
    settings = screen.query_one(SettingsList)
    settings.highlighted = settings.get_option_index(key)
    await pilot.press("enter")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, ValueEditor) and isinstance(editor.focused, Input)
    return editor


async def test_typing_an_exact_learning_rate():
    app = PlayApp("rosenbrock")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        before = screen.setup
        editor = await open_editor(pilot, screen, "lr")
        assert screen.query_one("#play-settings-part").border_subtitle == "← → change · enter: type a value"
        assert editor.query_one(Input).value == "0.001" and editor.echo == "read as 0.001"
        await pilot.press(*"0.0015")  # the old text was selected: typing replaces it
        await pilot.pause()
        assert editor.echo == "read as 0.0015"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and isinstance(screen.focused, SettingsList)
        assert screen.setup == replace(before, lr=0.0015)
        assert screen.chart.plot.values["lr"] == 0.0015 and "η = 0.0015" in chart_text(screen.chart)
        await pilot.press("right")  # the ladder goes on from there
        await pilot.pause()
        assert screen.setup.lr == 0.002


@pytest.mark.parametrize(("text", "message"), [("-1", "η must be greater than 0"),
                                               ("abc", "unknown name 'abc'"), ("1e999", "too large")])
async def test_a_bad_typed_value_keeps_the_dialog_and_the_old_value(text, message):
    app = PlayApp("rosenbrock")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        before = screen.setup
        editor = await open_editor(pilot, screen, "lr")
        await pilot.press(*text, "enter")
        await pilot.pause()
        assert app.screen is editor and message in editor.echo and editor.echo.startswith("✗")
        assert screen.setup == before and screen.chart.plot.values["lr"] == 0.001
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.setup == before


async def test_escape_leaves_the_value_as_it_was():
    app = PlayApp("bowl")
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        before, chart = screen.setup, screen.chart
        editor = await open_editor(pilot, screen, "steps")
        await pilot.press(*"250")
        await pilot.pause()
        assert editor.echo == "read as 250"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.setup == before and screen.chart is chart
        settings = screen.query_one(SettingsList)
        settings.highlighted = settings.get_option_index("steps")
        await pilot.press("space")  # space on a number leaves it alone, as before
        settings.highlighted = settings.get_option_index("opt:adam")
        await pilot.press("enter")  # enter on a switch still flips it
        await pilot.pause()
        assert screen.setup == replace(before, optimizers=("sgd", "momentum"))


async def test_typing_a_range_pans_a_two_dimensional_view():
    app = PlayApp("rosenbrock")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        editor = await open_editor(pilot, screen, "zoom")
        assert editor.query_one(Input).value == "−2…2 × −1…3"  # as the row shows it
        await pilot.press(*"0..1.5 x 0.5..2")
        await pilot.pause()
        assert editor.echo == "read as x: 0…1.5,  y: 0.5…2"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.setup.x_range == (0.0, 1.5) and screen.setup.y_range == (0.5, 2.0)
        plot = screen.chart.plot
        assert plot.x_range == (0.0, 1.5) and plot.y_range == (0.5, 2.0)
        assert (screen.chart.values["x0"], screen.chart.values["y0"]) == (0.0, 1.0)  # the start kept inside
        row = next(r for r in rows(screen.setup) if r.key == "zoom")
        assert row.value == "0…1.5 × 0.5…2"
        drawn = chart_text(screen.chart)
        assert "2.00┤" in drawn and "0.50┤" in drawn and "−1" not in drawn  # the y axis moved up


async def test_running_a_race_step_by_step():
    app = PlayApp("bowl")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        chart = screen.chart
        assert chart.plot.optimizers == ("sgd", "momentum", "adam")
        await pilot.press("space")  # play from the start …
        assert chart.playing
        await pilot.press("s")  # … a single step pauses it (how far play got depends on the machine's pace)
        await pilot.pause()
        assert not chart.playing
        paused_at = chart.values["step"]
        assert paused_at >= 1
        await pilot.press("s", "s")  # … then single steps
        await pilot.pause()
        assert not chart.playing and chart.values["step"] == paused_at + 2
        assert f"step k = {paused_at + 2}" in chart_text(chart)
        results = screen.query_one("#play-race-main ResultsTable", ResultsTable).results
        assert [r.optimizer for r in results] == ["sgd", "momentum", "adam"]
        assert results[0].arrived is not None


async def test_a_preset_in_two_keystrokes():
    app = PlayApp()
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, PresetPicker)
        await pilot.press("3")  # the seeds' η = 10
        await pilot.pause()
        assert app.screen is screen and screen.setup.lr == 10.0
        table = screen.query_one("#play-race-main ResultsTable", ResultsTable)
        assert table.results[0].diverged
        assert "diverged at step" in chart_text(screen.chart)


@pytest.mark.parametrize("text", ["9**9**9**9*x", "1/x", "sqrt(x)", "log(x)*sin(3*x)", "exp(x**2)*y",
                                  "x/0", "abs(x) + max(x, y)", "tan(x)**2 + y"])
async def test_any_input_is_safe(text):
    app = PlayApp(text)
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        assert screen.chart is not None
        drawn = chart_text(screen.chart)
        assert "could not draw" not in drawn
        await pilot.press("right", "up", "space", "s")
        await pilot.pause()


async def test_a_partly_undefined_function_draws_the_rest():
    app = PlayApp("sqrt(x)")
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        drawn = chart_text(screen.chart)
        assert "undefined on this range" not in drawn and "f(x) = √(x)" in drawn


async def test_small_terminal_takes_turns_between_chart_and_settings():
    app = PlayApp("bowl")
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        assert screen.has_class("-compact")
        assert not screen.query_one("#play-side").display
        await pilot.press("o")
        assert screen.has_class("-side") and isinstance(screen.focused, SettingsList)
        assert screen.query_one("#play-race-side").display
        await pilot.press("o")
        assert not screen.has_class("-side") and isinstance(screen.focused, PlaygroundChart)
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert not screen.has_class("-compact") and screen.query_one("#play-side").display


async def test_presets_in_the_command_palette():
    app = PlayApp()
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Himmelblau")
        hits = app.screen.query_one(CommandList)
        while not hits.option_count:  # the palette searches in a worker
            await pilot.pause(0.02)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.setup.name == "Himmelblau"


async def test_help_and_escape():
    app = PlayApp()
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, PlaygroundHelp)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("o", "escape")  # leave the settings first
        assert isinstance(screen.focused, PlaygroundChart)
        await pilot.press("escape")
        assert not isinstance(app.screen, PlaygroundScreen)


# -- looks ------------------------------------------------------------------------------------------
def test_snapshot_of_a_two_dimensional_race(snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()
        chart = pilot.app.screen.query_one(ChartView)  # the race from its start, twelve steps with s; no play
        chart.set_values(step=0)  # timer, whose ticks a busy machine could slip in between the keys
        await pilot.press(*"s" * 12)
        await pilot.pause()

    assert snap_compare(PlayApp("bowl"), terminal_size=WIDE, run_before=run_before)


async def test_the_tutor_opens_it_from_the_map_and_from_the_command_line(make_app):
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, PlaygroundScreen)
    app = make_app(play="rosenbrock", start_in_playground=True)  # gdtui play rosenbrock
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        assert screen.setup.name == "Rosenbrock's banana"
