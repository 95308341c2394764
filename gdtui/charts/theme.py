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

_DARK_SERIES = ("#5fafff", "#ffaf00", "#5fd75f", "#ff5f87", "#af87ff", "#00d7d7", "#d7d75f", "#ff8700")
_LIGHT_SERIES = ("#0057b7", "#b35900", "#1e7b1e", "#c0003c", "#6a3fb5", "#007a7a", "#7a7a00", "#b34700")
# Runs (a path, a race, regression methods) take series colours in this order: warm and bright first,
# so they stand out against the cool contour levels.
RACE_ORDER = (3, 1, 2, 4, 6, 5, 7, 0)
# Contour levels, low (near the minimum) to high: one cool hue, darker to lighter (dark background).
_DARK_LEVELS = ("#2b5c8a", "#33699a", "#3d77a8", "#4a86b5", "#5a95c0", "#6da4ca", "#83b3d3", "#9cc3dc")
_LIGHT_LEVELS = ("#08306b", "#0b4285", "#14539a", "#2166ac", "#3379b6", "#4a8bc0", "#649ec9", "#80b1d3")


@dataclass(frozen=True)
class ChartTheme:
    """Colours for a chart. ``colour=False`` keeps only bold/dim/reverse, markers still differ."""

    dark: bool = True
    colour: bool = True
    series: tuple[str, ...] = ()  # series colours, in order; empty = built-in palette
    levels: tuple[str, ...] = ()  # contour level colours, low to high; empty = built-in ramp
    axis: str = ""  # axis and tick colour; empty = a neutral grey
    text: str = ""  # title and labels; empty = the terminal's foreground
    highlight: str = ""  # the current step; empty = a warning-like colour

    @classmethod
    def from_env(cls, dark: bool = True, environ: dict[str, str] | None = None) -> "ChartTheme":
        """A theme honouring ``NO_COLOR`` (any non-empty value turns colour off)."""
        env = os.environ if environ is None else environ
        return cls(dark=dark, colour=not env.get("NO_COLOR"))

    @classmethod
    def from_app_theme(cls, theme: Any, colour: bool = True) -> "ChartTheme":
        """Take colours from a Textual ``Theme`` (duck-typed: primary, secondary, accent, warning, …)."""

        def pick(*names: str) -> str:
            for name in names:
                value = getattr(theme, name, None)
                if isinstance(value, str) and value:
                    return value
            return ""

        dark = bool(getattr(theme, "dark", True))
        base = _DARK_SERIES if dark else _LIGHT_SERIES
        own = tuple(c for c in (pick("primary"), pick("warning"), pick("success"), pick("error"),
                                pick("accent"), pick("secondary")) if c)
        # keep the built-in tail so a race of many optimizers still has enough distinct colours
        series = own + tuple(c for c in base if c not in own)
        return cls(dark=dark, colour=colour, series=series, text=pick("foreground"),
                   highlight=pick("warning", "accent"))

    # -- styles ----------------------------------------------------------------------------------
    def series_colour(self, index: int) -> str:
        palette = self.series or (_DARK_SERIES if self.dark else _LIGHT_SERIES)
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
