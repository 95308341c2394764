"""Lesson YAML keeps to YAML's core schema: any other tag is an error at its line, and nothing is constructed."""

from __future__ import annotations

import pytest

from gdtui.course.parse import parse_lesson
from gdtui.course.yamlines import YamlProblem, load_yaml


@pytest.mark.parametrize("value, shown", [
    ("!!python/name:os.system", "!!python/name:os.system"),  # was silently an empty title
    ("!!python/name:os.system ''", "!!python/name:os.system"),
    ("!!python/module:os", "!!python/module:os"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!!omap [a: 1]", "!!omap"),
    ("!foo bar", "!foo"),
    ("!<tag:example.com,2024:thing> x", "tag:example.com,2024:thing"),
])
def test_a_tag_outside_the_core_schema_is_an_error_at_its_line(value, shown):
    with pytest.raises(YamlProblem) as caught:
        load_yaml(f"id: a\ntitle: {value}\n", first_line=10)
    assert caught.value.line == 11
    assert caught.value.message == f"YAML tags such as '{shown}' are not allowed"


def test_core_tags_and_plain_scalars_still_read():
    data = load_yaml("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool true\ne: !!null ''\nf: 2024-01-01\n", 1)
    assert data == {"a": "12", "b": 7, "c": 1.0, "d": True, "e": None, "f": "2024-01-01"}


def test_a_lesson_title_tagged_python_name_is_a_path_line_error(tmp_path):
    path = tmp_path / "01-tagged.md"
    path.write_text("---\nid: t\ntitle: !!python/name:os.system\n---\n\nText.\n", encoding="utf-8")
    lesson, errors = parse_lesson(path)
    assert [str(e) for e in errors] == [
        f"{path}:3: YAML tags such as '!!python/name:os.system' are not allowed"]
