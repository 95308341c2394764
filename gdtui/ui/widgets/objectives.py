"""The goals at the top of a lesson: a heading, then one bullet per objective."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.table import Table
from rich.text import Text

from gdtui.i18n import _
from gdtui.ui.wrap import Wrapped


def objectives(goals: tuple[str, ...], text: Callable[[str], str] = str) -> Group:
    """"In this lesson you will", then one bullet per objective; a long objective wraps under its own first
    word (a hanging indent), not under the bullet; lines break by cells, between Chinese characters too."""
    bullets = Table.grid(padding=0)
    bullets.add_column(no_wrap=True)
    bullets.add_column(ratio=1)
    for goal in goals:
        bullets.add_row("  " + text("•") + " ", Wrapped(text(goal)))
    return Group(Text(_("In this lesson you will"), style="bold"), bullets)
