"""The course is read once per process while its files are unchanged (the SSH zygote reads it before it forks,
so every session finds it in shared pages), and read again, replacing the old one, when a lesson changes."""

from __future__ import annotations

from pathlib import Path

from gdtui.ui import library
from gdtui.ui.library import Library

LESSON = "---\nid: {id}\ntitle: {title}\norder: {order}\n---\nHello.\n"


def counting_reads(monkeypatch) -> list:
    reads = []
    parse = library.load_course

    def load_course(folder):
        reads.append(folder)
        return parse(folder)

    monkeypatch.setattr(library, "load_course", load_course)
    return reads


def test_a_course_is_read_once_per_process_and_shared(tmp_path, monkeypatch):
    (tmp_path / "01-a.md").write_text(LESSON.format(id="a", title="A", order=1), encoding="utf-8")
    reads = counting_reads(monkeypatch)
    first = Library(tmp_path)
    monkeypatch.chdir(tmp_path.parent)
    second = Library(Path(tmp_path.name))  # the same folder, named relative to the working folder
    assert len(reads) == 1
    assert second.items[0].lesson is first.items[0].lesson  # the very same objects, not a copy


def test_a_changed_lesson_is_read_again_and_replaces_the_old_course(tmp_path, monkeypatch):
    lesson = tmp_path / "01-a.md"
    lesson.write_text(LESSON.format(id="a", title="A", order=1), encoding="utf-8")
    reads = counting_reads(monkeypatch)
    old = Library(tmp_path)
    lesson.write_text(LESSON.format(id="a", title="A, rewritten", order=1), encoding="utf-8")
    assert old.reload_if_changed()
    assert old.items[0].title == "A, rewritten" and len(reads) == 2
    assert Library(tmp_path).items[0].title == "A, rewritten" and len(reads) == 2  # the new one is kept
    _, held = library._read[str(tmp_path.resolve())]
    assert [lesson.title for lesson in held.lessons] == ["A, rewritten"]  # one course per folder: the old is gone
