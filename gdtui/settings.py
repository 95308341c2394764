"""What the tutor remembers between runs: the theme, the chart mode and the language.

One small TOML file in the user's config folder (platformdirs), read with ``tomllib`` and written by
hand (three ``key = "value"`` lines need no TOML writer). A file that cannot be read or holds values the
tutor does not know is ignored, value by value: settings are a convenience, never a reason not to start.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from gdtui.i18n import LANGS, lang_from_locale

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: no reader in the standard library; settings are not remembered
    tomllib = None

FILE_NAME = "config.toml"
CHART_MODES = ("braille", "block", "ascii")  # how charts are drawn: see gdtui.charts.glyphs
WEB_MODE = "block"  # textual-serve's bundled font has no braille (a browser would show boxes)


@dataclass(frozen=True)
class Settings:
    """``None``: not chosen yet (the tutor's default applies)."""

    theme: str | None = None
    charts: str | None = None
    lang: str | None = None

    def changed(self, **values: str | None) -> Settings:
        return replace(self, **values)


def settings_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("gdtui", appauthor=False)) / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The remembered settings; a missing or unreadable file gives the defaults."""
    try:
        path = settings_path() if path is None else Path(path)
    except ImportError:  # a stripped-down interpreter (no platformdirs): nothing was remembered
        return Settings()
    if tomllib is None:
        return Settings()
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except (OSError, ValueError):  # missing, unreadable or not TOML (TOMLDecodeError is a ValueError)
        return Settings()
    return from_mapping(data)


def from_mapping(data: Mapping[str, object]) -> Settings:
    """Keep the values the tutor knows: a theme name (any text), a chart mode and a language it has."""
    theme = data.get("theme")
    charts = data.get("charts")
    lang = data.get("lang")
    return Settings(
        theme=theme if isinstance(theme, str) and theme.strip() else None,
        charts=charts if charts in CHART_MODES else None,
        lang=lang if lang in LANGS else None,
    )


def to_toml(settings: Settings) -> str:
    """``key = "value"`` lines (a JSON string is a valid TOML basic string for this text)."""
    lines = ["# gdtui remembers these; delete a line to go back to the default"]
    for field in fields(settings):
        value = getattr(settings, field.name)
        if value is not None:
            lines.append(f"{field.name} = {json.dumps(value, ensure_ascii=True)}")
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> bool:
    """Write the settings (atomically: a new file renamed over the old); False if that was not possible."""
    path = settings_path() if path is None else Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}")
        part.write_text(to_toml(settings), encoding="utf-8")
        os.replace(part, path)
    except OSError:
        return False
    return True


def language(given: str | None, learner: str | None, saved: str | None,
             environ: Mapping[str, str] | None = None) -> str:
    """The language of this session, the one rule: ``--lang``; else the learner's remembered choice (kept
    with their progress); else the config file's (a single user's own terminal); else the locale's
    (LC_ALL, LC_MESSAGES, LANG); else English."""
    for choice in (given, learner, saved):
        if choice in LANGS:
            return choice
    return lang_from_locale(environ)


PYTHON_COERCED = ("C.UTF-8", "C.utf8", "UTF-8")  # what PEP 538 puts in LC_CTYPE when the locale is C


def locale_is_utf8(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal's locale (the first of LC_ALL, LC_CTYPE, LANG that is set) encodes UTF-8.

    Python itself switches an unset or C locale to UTF-8 (PEP 538: it sets LC_CTYPE=C.UTF-8 in its own
    environment), so ``locale.getpreferredencoding()`` cannot tell, and an LC_CTYPE of C.UTF-8 is read past:
    an unset locale or C/POSIX means a terminal that may not show UTF-8.
    """
    env = os.environ if environ is None else environ
    names = ["LC_ALL", "LC_CTYPE", "LANG"]
    if env.get("LC_CTYPE") in PYTHON_COERCED and not env.get("LC_ALL"):
        names.remove("LC_CTYPE")  # most likely Python's own doing under LANG=C, not the terminal's
    value = next((env[name] for name in names if env.get(name)), "")
    return bool(re.search(r"utf-?8", value, re.IGNORECASE))


def in_browser(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this tutor draws into a browser (textual-serve runs it with its web driver)."""
    env = os.environ if environ is None else environ
    return "web_driver" in env.get("TEXTUAL_DRIVER", "")


def chart_mode(given: str | None, saved: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The chart mode of this session: the one asked for (``--charts``); else ascii where the locale is not
    UTF-8 (whatever was saved: such a terminal cannot show the others); else the one last chosen; else
    block in a browser; else braille."""
    if given in CHART_MODES:
        return given
    if not in_browser(environ) and not locale_is_utf8(environ):
        return "ascii"
    if saved in CHART_MODES:
        return saved
    return WEB_MODE if in_browser(environ) else "braille"
