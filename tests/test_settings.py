"""Settings that stay: theme, chart mode and language in a TOML file; the chart mode each terminal gets."""

from __future__ import annotations

import tomllib

from gdtui.charts.glyphs import MODES
from gdtui.settings import (CHART_MODES, Settings, chart_mode, language, load_settings, locale_is_utf8,
                            save_settings, to_toml)


def test_settings_round_trip(tmp_path):
    path = tmp_path / "deep" / "config.toml"
    assert load_settings(path) == Settings()  # no file yet: the defaults
    chosen = Settings(theme="solarized-light", charts="block", lang="en")
    assert save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert tomllib.loads(path.read_text()) == {"theme": "solarized-light", "charts": "block", "lang": "en"}


def test_odd_text_is_written_as_valid_toml(tmp_path):
    odd = Settings(theme='my "theme" \\ ü')
    assert tomllib.loads(to_toml(odd))["theme"] == odd.theme


def test_a_bad_file_is_ignored_value_by_value(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\ncharts = "sixel"\nlang = 3\n')
    assert load_settings(path) == Settings(theme="nord")
    path.write_text("this is [not toml")
    assert load_settings(path) == Settings()


def test_a_file_that_cannot_be_written_is_a_false_not_an_exception(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert save_settings(Settings(charts="ascii"), blocker / "config.toml") is False


def test_the_chart_mode_of_a_session():
    utf8, c_locale = {"LANG": "en_GB.UTF-8"}, {"LANG": "C"}
    web = {"LANG": "C", "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    assert chart_mode(None, None, utf8) == "braille"
    assert chart_mode(None, "block", utf8) == "block"  # remembered
    assert chart_mode(None, "braille", c_locale) == "ascii"  # LANG=C cannot show braille, whatever was saved
    assert chart_mode("block", None, c_locale) == "block"  # but --charts decides
    assert chart_mode(None, None, web) == "block"  # a browser: no braille in textual-serve's font
    assert chart_mode(None, "ascii", web) == "ascii"


def test_which_locales_are_utf8():
    assert locale_is_utf8({"LANG": "de_DE.utf8"}) and locale_is_utf8({"LC_ALL": "C.UTF-8", "LANG": "C"})
    assert not locale_is_utf8({}) and not locale_is_utf8({"LANG": "C"}) and not locale_is_utf8({"LANG": "POSIX"})
    assert not locale_is_utf8({"LC_ALL": "C", "LANG": "en_US.UTF-8"})  # LC_ALL wins
    assert not locale_is_utf8({"LANG": "en_US.ISO-8859-1"})
    assert not locale_is_utf8({"LANG": "C", "LC_CTYPE": "C.UTF-8"})  # Python coerced it (PEP 538)
    assert locale_is_utf8({"LANG": "en_GB.UTF-8", "LC_CTYPE": "C.UTF-8"})


def test_language_from_the_locale():
    assert language(None, None, None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert language(None, None, None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert language(None, None, None, {}) == "en"


def test_one_list_of_modes():
    assert MODES is CHART_MODES
