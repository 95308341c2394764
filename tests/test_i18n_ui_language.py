"""The interface language: which one a session speaks, where each learner's choice is kept, and the bundled
course that follows it (a lesson not translated yet is its English twin)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gdtui.paths import bundled_lang, bundled_lessons
from gdtui.settings import language
from gdtui.store import open_store
from gdtui.store.schema import MIGRATIONS, VERSION
from gdtui.ui.language import course_folders, course_library, next_language
from gdtui.ui.library import Library, with_fallback
from gdtui.ui.progress import LearnerProgress

EN = bundled_lessons("en")
ZH_COURSE = Path(__file__).parent / "ui" / "data" / "zh-course"


# -- which language: --lang, else the learner's, else the config file's, else the locale's, else English ---------
@pytest.mark.parametrize(("given", "learner", "saved", "env", "expected"), [
    ("zh", "en", "en", {"LANG": "en_GB.UTF-8"}, "zh"),  # --lang wins over everything
    ("en", "zh", "zh", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, "zh", "en", {"LANG": "en_US.UTF-8"}, "zh"),  # the learner's choice, over the account's config file
    (None, "en", "zh", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, None, "zh", {"LANG": "en_US.UTF-8"}, "zh"),  # the config file (a single user's own terminal)
    (None, None, None, {"LANG": "zh_CN.UTF-8"}, "zh"),  # the locale
    (None, None, None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, None, None, {"LC_MESSAGES": "zh_SG", "LANG": "C"}, "zh"),
    (None, None, None, {"LANG": "fr_FR.UTF-8"}, "en"),  # a language the tutor does not have
    (None, None, None, {}, "en"),
    (None, "xx", "yy", {}, "en"),  # values the tutor does not know are passed over
])
def test_the_language_is_chosen_in_one_order(given, learner, saved, env, expected):
    assert language(given, learner, saved, env) == expected


# -- each learner's language, kept with their progress (both backends) -------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def where(request, tmp_path: Path) -> str:
    return str(tmp_path) if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_each_learner_keeps_their_own_language(where):
    with open_store(where, "/nonexistent") as store:
        assert store.learner_language("ann") is None  # nobody yet
        store.set_learner_language("ann", "zh")
        store.set_learner_language("bo", "en")
        store.touch_learner("cy")
    with open_store(where, "/nonexistent") as store:  # another session of the same class
        assert [store.learner_language(n) for n in ("ann", "bo", "cy", "dee")] == ["zh", "en", None, None]
        store.set_learner_language("ann", "en")
        assert store.learner_language("ann") == "en"
        assert store.schema_version == VERSION


def test_the_learner_progress_reads_the_language_once_and_keeps_it_through_a_reset(where, tmp_path):
    first = LearnerProgress(tmp_path, "ann", where)
    assert first.language is None
    first.remember_language("zh")
    first.reset()  # progress is forgotten, the language is a choice and stays
    assert first.close() == 0
    again = LearnerProgress(tmp_path, "ann", where)
    assert again.language == "zh"
    assert again.close() == 0
    other = LearnerProgress(tmp_path, "bo", where)  # the same account, another learner: their own
    assert other.language is None
    assert other.close() == 0


def test_an_older_sqlite_file_gains_the_language_column_and_keeps_its_learners(tmp_path):
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:2]:
        for sql in step:
            conn.execute(sql.replace("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT"))
    conn.execute("INSERT INTO schema_version (version) VALUES (2)")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO learners VALUES ('ann', '2025-01-01', '2025-01-01')")
    conn.commit()
    conn.close()
    with open_store(None, tmp_path) as store:
        assert store.schema_version == VERSION == 3
        assert [learner.name for learner in store.learners()] == ["ann"]
        assert store.learner_language("ann") is None
        store.set_learner_language("ann", "zh")
        assert store.learner_language("ann") == "zh"


# -- the bundled course follows the language; a lesson not translated yet is its English twin ----------------------
def test_the_bundled_course_is_recognised_and_a_course_of_ones_own_is_not():
    assert bundled_lang(EN) == "en"
    assert bundled_lang(EN.parent / "zh") == "zh"  # whether or not the folder exists yet
    assert bundled_lang(ZH_COURSE) is None
    assert course_folders(EN, "zh") == (EN.parent.resolve() / "zh", EN.parent.resolve() / "en")
    assert course_folders(EN, "en") == (EN.parent.resolve() / "en", None)
    assert course_folders(ZH_COURSE, "en") == (ZH_COURSE, None)  # --lessons DIR: only the interface changes


def test_the_zh_course_has_every_lesson_and_says_which_are_in_english(tmp_path):
    english = Library(EN)
    chinese = course_library(EN, "zh", tmp_path / "cache")
    assert [item.key for item in chinese.items] == [item.key for item in english.items]  # the same ids
    assert not chinese.loose_errors  # never "no such folder"
    translated = {item.key for item in chinese.items if not item.fallback}
    assert chinese.fallbacks == len(english.items) - len(translated)
    for item in chinese.items:
        assert item.fallback == (item.path.parent.name == "en")


def _course(folder: Path, lessons: dict[str, tuple[str, str]]) -> Path:
    folder.mkdir(parents=True)
    for name, (lesson_id, title) in lessons.items():
        (folder / name).write_text(f"---\nid: {lesson_id}\ntitle: {title}\norder: {name[:2]}\n---\nText.\n",
                                   encoding="utf-8")
    return folder


def test_fallback_takes_each_translated_twin_by_id_and_keeps_the_english_order(tmp_path):
    en = _course(tmp_path / "en", {"01-a.md": ("a", "One"), "02-b.md": ("b", "Two"), "03-c.md": ("c", "Three")})
    zh = _course(tmp_path / "zh", {"02-b.md": ("b", "二")})
    (zh / "01-a.md").write_text("---\nid: [\n---\n", encoding="utf-8")  # a translation that cannot be read
    library = Library(zh, source=en)
    assert [(item.key, item.title, item.fallback) for item in library.items] == [
        ("a", "One", True), ("b", "二", False), ("c", "Three", True)]
    assert library.fallbacks == 2
    (zh / "03-c.md").write_text("---\nid: c\ntitle: 三\norder: 3\n---\n文字。\n", encoding="utf-8")
    assert library.reload_if_changed()  # a translation arriving while the tutor runs
    assert [item.title for item in library.items] == ["One", "二", "三"]
    (zh / "04-d.md").write_text("---\nid: d\ntitle: 四\norder: 4\n---\n文字。\n", encoding="utf-8")
    library.reload_if_changed()  # a translated lesson with no English twin (gdtui check warns) is still shown
    assert [(item.key, item.fallback) for item in library.items][-1] == ("d", False)
    assert with_fallback((), library.items[:1]) == (library.items[0],)  # nothing translated: the source


def test_a_translation_folder_not_written_yet_gives_the_whole_english_course(tmp_path):
    en = _course(tmp_path / "en", {"01-a.md": ("a", "One")})
    library = Library(tmp_path / "zh", source=en)
    assert [(item.key, item.fallback) for item in library.items] == [("a", True)]
    assert library.loose_errors == ()


def test_the_map_key_goes_round_the_languages():
    assert next_language("en") == "zh" and next_language("zh") == "en" and next_language("xx") == "en"


def test_gdtui_lang_zh_starts_the_app_on_the_bundled_course(monkeypatch, tmp_path):
    import gdtui.ui.app
    from gdtui import cli

    seen = {}
    monkeypatch.setattr(gdtui.ui.app, "run_app", lambda **kw: seen.update(kw) or 0)
    assert cli.main(["--lang", "zh", "--data-dir", str(tmp_path)]) == 0
    assert seen["lang"] == "zh"
    assert Path(seen["lessons"]).is_dir() and bundled_lang(seen["lessons"]) in ("en", "zh")
    folder, _source = course_folders(seen["lessons"], "zh")
    assert folder.name == "zh"  # the app reads lessons/zh (with English twins for what is missing)
