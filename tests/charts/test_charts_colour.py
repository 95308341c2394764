"""Colour for every eye: Okabe–Ito series, distinct within a chart, 3:1 against every built-in theme."""

from __future__ import annotations

import math

import pytest
from textual.app import App

from gdtui.charts import ChartTheme, render_plot
from gdtui.charts.base import LINE_SERIES
from gdtui.charts.theme import (DARK_BACKGROUND, LIGHT_BACKGROUND, MIN_CONTRAST, OKABE_ITO, RACE_MARKERS, RACE_ORDER,
                                contrast, series_palette)


def theme_backgrounds() -> dict[str, str]:
    """Every theme Textual ships, with the background a chart is drawn on (an ANSI theme: the default)."""
    out = {}
    for name, theme in App().available_themes.items():
        background = theme.to_color_system().generate()["background"]
        if not background.startswith("#"):  # ansi-dark / ansi-light: the terminal's own colours
            background = DARK_BACKGROUND if theme.dark else LIGHT_BACKGROUND
        out[name] = background[:7]
    return out


BACKGROUNDS = theme_backgrounds()


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of #rrggbb, to measure how far apart two colours look."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4) for c in rgb]
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e(a: str, b: str) -> float:
    return math.dist(lab(a), lab(b))


def test_there_are_light_themes_among_them():
    assert len(BACKGROUNDS) >= 15
    assert sum(contrast(bg, "#ffffff") < 2 for bg in BACKGROUNDS.values()) >= 4


@pytest.mark.parametrize("name", sorted(BACKGROUNDS))
def test_every_series_stands_three_to_one_against_every_theme(name):
    background = BACKGROUNDS[name]
    palette = series_palette(background)
    assert len(palette) == len(OKABE_ITO)
    for index, colour in enumerate(palette):
        assert contrast(colour, background) >= MIN_CONTRAST, (name, index, colour, background)


@pytest.mark.parametrize("name", sorted(BACKGROUNDS))
def test_series_drawn_together_are_distinct(name):
    palette = series_palette(BACKGROUNDS[name])
    lines = [palette[index] for index, _, _ in LINE_SERIES.values()]  # f, f′, f″, tangent, secant in one chart
    race = [palette[0]] + [palette[RACE_ORDER[i]] for i in range(6)]  # a race of six drawn on f
    errors = [palette[5], palette[6], palette[LINE_SERIES["function"][0]]]  # the error panel beside f
    for group in (lines, race, errors):
        assert len(set(group)) == len(group), (name, group)
        closest = min(delta_e(a, b) for i, a in enumerate(group) for b in group[i + 1:])
        assert closest >= 12, (name, group, closest)


def test_a_drawn_chart_uses_those_colours(plot):
    spec = plot("x**2 + 2*x + 1", layers=("function", "race"), x_range=(-3, 6),
                optimizers=("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
                values={"x0": 5, "lr": 0.1, "steps": 30})
    for background in ("#121212", "#E0E0E0"):
        theme = ChartTheme(dark=background == "#121212", background=background)
        text = render_plot(spec, None, 100, 30, theme)
        used = {span.style.color.triplet.hex for span in text.spans
                if span.style.color is not None and span.style.color.triplet is not None}
        expected = {series_palette(background)[RACE_ORDER[i]] for i in range(6)}
        assert expected <= used
        assert all(contrast(c, background) >= MIN_CONTRAST for c in expected)


def test_race_markers_differ_in_shape_too():
    assert len(set(RACE_MARKERS)) == len(RACE_MARKERS) >= 6
