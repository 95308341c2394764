"""The message catalogue: reading .po files, choosing the language, and the catalogue in step with the code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gdtui import i18n
from gdtui.i18n import _, lang_from_locale, ngettext, pgettext, read_po, set_language

ROOT = Path(__file__).resolve().parent.parent


def load_tool():
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "tools" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def english():
    yield
    set_language("en")


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.UTF-8"}, "zh"), ({"LANG": "zh_SG"}, "zh"),
    ({"LANG": "zh"}, "zh"), ({"LANG": "zh-CN"}, "zh"), ({"LC_ALL": "zh_CN.GB18030", "LANG": "en_GB.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"), ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({"LANG": "fr_FR.UTF-8"}, "en"), ({}, "en"), ({"LANG": "zhx"}, "en"),
])
def test_language_from_the_locale(env, lang):
    assert lang_from_locale(env) == lang


def test_unknown_language_means_english(english):
    assert set_language("xx") == "en"
    assert set_language(None) == "en"
    assert set_language("zh") == "zh"


def test_read_po_entries_context_plural_and_continuations():
    text = '\n'.join([
        'msgid ""', 'msgstr ""', '"Language: zh\\n"', "",
        "#: gdtui/ui/app.py:1", 'msgid "Say \\"hi\\"\\n"', '"again"', 'msgstr "说\\t“你好”"', "",
        'msgctxt "key"', 'msgid "Quit"', 'msgstr "退出"', "",
        'msgid "Quit"', 'msgstr "离开"', "",
        'msgid "one lesson"', 'msgid_plural "{n} lessons"', 'msgstr[0] "{n} 课"', "",
        '#~ msgid "old"', '#~ msgstr "旧"', "",
        'msgid "untranslated"', 'msgstr ""',
    ])
    entries = read_po(text)
    assert entries['Say "hi"\nagain']["msgstr"] == "说\t“你好”"
    assert entries["key\x04Quit"]["msgstr"] == "退出"
    assert entries["Quit"]["msgstr"] == "离开"
    assert entries["one lesson"] == {"msgid": "one lesson", "msgctxt": "", "plural": "{n} lessons",
                                     "msgstr": "{n} 课"}
    assert "old" not in entries and "" not in entries
    assert entries["untranslated"]["msgstr"] == ""


@pytest.mark.parametrize("bad", ['msgid "a', 'msgid "a\\q"', 'msgid "a"b"', '"orphan"', 'msgfoo "x"'])
def test_read_po_names_the_line_it_cannot_read(bad):
    with pytest.raises(ValueError, match=r"^x\.po:2: "):
        read_po("# a comment\n" + bad, "x.po")


def test_translation_lookup_falls_back_to_english(english, monkeypatch):
    table = {"Check": "检查", "ctx\x04Quit": "退出", "one lesson": "{n} 课"}
    monkeypatch.setattr(i18n, "catalogue", lambda lang: table)
    set_language("zh")
    assert _("Check") == "检查"
    assert _("Not in the catalogue") == "Not in the catalogue"
    assert pgettext("ctx", "Quit") == "退出" and pgettext("other", "Quit") == "Quit"
    assert ngettext("one lesson", "{n} lessons", 3).format(n=3) == "3 课"
    set_language("en")
    assert _("Check") == "Check" and ngettext("one lesson", "{n} lessons", 3) == "{n} lessons"


def test_scan_finds_marked_messages_and_refuses_what_it_cannot_hold(tmp_path):
    tool = load_tool()
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        'from gdtui.i18n import _, N_, ngettext, pgettext\n'
        'A = N_("Lessons")\n'
        'print(_("Check"), pgettext("key", "Quit"), ngettext("one step", "{n} steps", 2))\n'
        'name = "x"\n'
        'print(_(f"Hello {name}"), _("Hello " + name), _(name.upper()))\n'
        'print(_(A), _(TABLE[name]), _(obj.label))  # constants marked with N_ where they are defined\n',
        encoding="utf-8")
    found, problems = tool.scan(package)
    assert set(found) == {"Lessons", "Check", "key\x04Quit", "one step"}
    assert found["one step"].plural == "{n} steps"
    assert [p.split(":")[:2] for p in problems] == [["pkg/a.py", "5"]] * 3


def test_po_written_by_the_tool_reads_back(tmp_path):
    tool = load_tool()
    messages = {m.key: m for m in [tool.Message("Two\nlines \"quoted\"", where=["a.py:1"]),
                                   tool.Message("Quit", "key", where=["a.py:2"]),
                                   tool.Message("one", plural="{n} many", where=["a.py:3"])]}
    text = tool.render(messages, "zh", {"key\x04Quit": {"msgstr": "退出"}, "one": {"msgstr": "{n} 个"}})
    entries = read_po(text)
    assert entries["key\x04Quit"]["msgstr"] == "退出"
    assert entries["one"]["msgstr"] == "{n} 个" and entries["one"]["plural"] == "{n} many"
    assert entries['Two\nlines "quoted"']["msgstr"] == ""


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGS if lang != i18n.SOURCE_LANG])
def test_catalogue_translates_every_message_in_the_code(lang):
    """No untranslated msgid, none left over, the same {placeholders} on both sides."""
    assert load_tool().check(lang) == []
