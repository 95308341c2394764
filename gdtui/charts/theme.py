"""Chart colours and markers.

A chart never relies on colour alone: every series has its own marker character, so a chart read with
``NO_COLOR`` (``ChartTheme(colour=False)``) or on a 16-colour terminal still tells its series apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rich.style import Style

# Markers for series drawn as points (a race, a descent path). Distinct without colour.
RACE_MARKERS = ("•", "×", "+", "◆", "▲", "■", "o", "*")

# Okabe & Ito's colour-blind-safe palette, in the order series take it: sky blue (the function), orange
# (the tangent), bluish green (f′), vermillion (the secant), reddish purple (f″), yellow, blue, and a
# neutral (their black). Each is moved towards the foreground just enough to stand 3:1 against the
# chart's background (``readable``), so light themes get darker shades of the same hues.
OKABE_ITO = ("#56B4E9", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#F0E442", "#0072B2", "#000000")
MIN_CONTRAST = 3.0  # WCAG's minimum for graphics against their background
# Runs (a path, a race, regression methods) take series colours in this order: never the function's sky
# blue (a 1-D race is drawn on f), vermillion and orange first, so they stand out from the blue levels.
RACE_ORDER = (3, 1, 2, 4, 6, 5, 7, 0)
DARK_BACKGROUND, LIGHT_BACKGROUND = "#121212", "#efefef"  # when the theme does not say
# Contour levels, low (near the minimum) to high: one cool hue, darker to lighter (dark background).
_DARK_LEVELS = ("#2b5c8a", "#33699a", "#3d77a8", "#4a86b5", "#5a95c0", "#6da4ca", "#83b3d3", "#9cc3dc")
_LIGHT_LEVELS = ("#08306b", "#0b4285", "#14539a", "#2166ac", "#3379b6", "#4a8bc0", "#649ec9", "#80b1d3")


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 … 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(colour: str, towards: str, t: float) -> str:
    return "#" + "".join(f"{round(255 * (x + (y - x) * t)):02x}" for x, y in zip(_rgb(colour), _rgb(towards)))


@lru_cache(maxsize=64)
def readable(colour: str, background: str, minimum: float = MIN_CONTRAST) -> str:
    """``colour`` moved towards white (on a dark background) or black (on a light one) in small steps until
    it stands ``minimum``:1 against ``background``; unchanged if it already does."""
    target = "#ffffff" if luminance(background) < 0.18 else "#000000"
    for step in range(21):
        shade = _mix(colour, target, step / 20)
        if contrast(shade, background) >= minimum + 0.2:  # a margin for a focused chart's 3 % tint
            return shade
    return target


@lru_cache(maxsize=64)
def series_palette(background: str) -> tuple[str, ...]:
    """The Okabe–Ito colours made readable on ``background`` (the neutral one becomes a mid grey)."""
    dark = luminance(background) < 0.18
    neutral = "#bbbbbb" if dark else "#555555"
    return tuple(readable(c if c != "#000000" else neutral, background) for c in OKABE_ITO)


@dataclass(frozen=True)
class ChartTheme:
    """Colours for a chart. ``colour=False`` keeps only bold/dim/reverse, markers still differ."""

    dark: bool = True
    colour: bool = True
    series: tuple[str, ...] = ()  # series colours, in order; empty = Okabe–Ito made readable on the background
    background: str = ""  # the chart's background (#rrggbb); empty = a dark or light default
    levels: tuple[str, ...] = ()  # contour level colours, low to high; empty = built-in ramp
    axis: str = ""  # axis and tick colour; empty = a neutral grey
    text: str = ""  # title and labels; empty = the terminal's foreground
    highlight: str = ""  # the current step; empty = a warning-like colour
    mode: str = "braille"  # how pixels and glyphs are drawn: braille, block or ascii (see ``glyphs``)

    @classmethod
    def from_env(cls, dark: bool = True, environ: dict[str, str] | None = None) -> "ChartTheme":
        """A theme honouring ``NO_COLOR`` (any non-empty value turns colour off)."""
        env = os.environ if environ is None else environ
        return cls(dark=dark, colour=not env.get("NO_COLOR"))

    @classmethod
    def from_app_theme(cls, theme: Any, colour: bool = True, background: str = "", mode: str = "braille"
                       ) -> "ChartTheme":
        """Take the text, highlight and background colours of a Textual ``Theme`` (duck-typed: foreground,
        warning, accent, background, dark). Series keep the Okabe–Ito palette (a theme's own primary,
        warning and accent colours often repeat each other, and some sit too close to its background)."""

        def pick(*names: str) -> str:
            for name in names:
                value = getattr(theme, name, None)
                if isinstance(value, str) and value.startswith("#") and len(value) == 7:
                    return value
            return ""

        dark = bool(getattr(theme, "dark", True))
        return cls(dark=dark, colour=colour, text=pick("foreground"), highlight=pick("warning", "accent"),
                   background=background or pick("background"), mode=mode)

    # -- styles ----------------------------------------------------------------------------------
    def series_colour(self, index: int) -> str:
        palette = self.series or series_palette(self.background or (DARK_BACKGROUND if self.dark
                                                                    else LIGHT_BACKGROUND))
        return palette[index % len(palette)]

    def level_colours(self) -> tuple[str, ...]:
        return self.levels or (_DARK_LEVELS if self.dark else _LIGHT_LEVELS)

    def style(self, role: str, index: int = 0) -> Style:
        """The style of a role: series, race, level, axis, label, title, muted, highlight, start, guess, warn.

        ``series`` i is the i-th palette colour (lines: function, tangent, …); ``race`` i is the colour of
        the i-th run of a race (a single path is run 0).
        """
        return _style(self, role, index)


@lru_cache(maxsize=512)
def _style(theme: ChartTheme, role: str, index: int) -> Style:
    c = theme.colour
    if role == "series":
        return Style(color=theme.series_colour(index)) if c else Style()
    if role == "race":
        return Style(color=theme.series_colour(RACE_ORDER[index % len(RACE_ORDER)])) if c else Style()
    if role == "level":
        levels = theme.level_colours()
        return Style(color=levels[min(index, len(levels) - 1)]) if c else Style(dim=True)
    if role == "axis":
        return Style(color=theme.axis or ("grey50" if theme.dark else "grey42")) if c else Style(dim=True)
    if role == "label":
        return Style(color=theme.text or None) if c and theme.text else Style()
    if role == "title":
        return Style(bold=True, color=theme.text or None) if c else Style(bold=True)
    if role == "muted":
        return Style(color="grey58" if theme.dark else "grey46") if c else Style(dim=True)
    if role == "highlight":
        return (Style(bold=True, reverse=True, color=theme.highlight or ("#ffd75f" if theme.dark else "#af5f00"))
                if c else Style(bold=True, reverse=True))
    if role == "start":
        return Style(bold=True, color=theme.text or None) if c else Style(bold=True)
    if role == "guess":  # the learner's answer: a colour no other layer of a descent chart uses
        return Style(bold=True, color=theme.series_colour(4)) if c else Style(bold=True)
    if role == "warn":
        return Style(bold=True, color="#ff5f5f" if theme.dark else "#c00000") if c else Style(bold=True)
    return Style()
