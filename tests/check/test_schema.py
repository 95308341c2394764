"""The JSON Schema files: built from the parser's own tables, shipped as built, and true to the course."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

from gdtui.check.schema import schema_text, schemas, shipped, write_schemas
from gdtui.course.parse import FRONT_KEYS
from gdtui.course.parse_exercise import ANSWER_KEYS, EXERCISE_KEYS
from gdtui.course.parse_plot import PLOT_KEYS
from gdtui.paths import bundled_lessons
from tests.check.schema_validator import errors

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(plot|exercise)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(text: str):
    """(kind, YAML data) for the front matter and each plot and exercise block of a lesson."""
    front = text.split("---\n")[1]
    yield "front-matter", yaml.safe_load(front)
    for kind, body in FENCE.findall(text):
        yield kind, yaml.safe_load(body)


def test_the_shipped_files_are_what_the_tables_build():
    for name, schema in schemas().items():
        assert shipped(name) == schema_text(schema), f"regenerate: gdtui check --schema gdtui/check/schemas ({name})"


def test_each_schema_knows_exactly_the_parser_keys():
    built = schemas()
    assert list(built["front-matter.schema.json"]["properties"]) == list(FRONT_KEYS)
    assert list(built["plot.schema.json"]["properties"]) == list(PLOT_KEYS)
    assert list(built["exercise.schema.json"]["properties"]) == list(EXERCISE_KEYS)
    answers = built["exercise.schema.json"]["properties"]["answer"]["oneOf"]
    assert {a["properties"]["type"]["const"]: set(a["properties"]) for a in answers} == \
        {kind: set(keys) for kind, keys in ANSWER_KEYS.items()}


@pytest.mark.parametrize("lesson", sorted(bundled_lessons("en").glob("*.md")) + [ROOT / "gdtui" / "new" / "lesson.md",
                                                                                 ROOT / "tests" / "data" / "good.md"],
                         ids=lambda p: p.name)
def test_every_block_of_the_course_is_valid(lesson):
    built = schemas()
    found = 0
    for kind, data in blocks(lesson.read_text(encoding="utf-8")):
        assert errors(built[f"{kind}.schema.json"], data) == [], (lesson.name, kind, data.get("id"))
        found += 1
    assert found >= 2


@pytest.mark.parametrize("kind, block, complaint", [
    ("plot", {"f": "x**2", "x": [-1, 1], "layers": ["tangnet"]}, "matches 0 of the anyOf"),
    ("plot", {"f": "x**2", "x": [-1, 1], "lr": -1}, "exclusiveMinimum"),
    ("plot", {"f": "x**2", "x": [-1, 1], "momentum": 1}, "exclusiveMaximum"),
    ("plot", {"f": "x**2", "x": [-1, 1], "speed": 3}, "unknown key speed"),
    ("exercise", {"id": "a", "prompt": "p", "answer": {"type": "number", "value": 1, "choices": ["a", "b"]}},
     "matches 0 of the oneOf"),
    ("exercise", {"id": "a", "prompt": "p", "answer": {"type": "number", "value": 1}, "hint": ["typo"]},
     "unknown key hint"),
    ("exercise", {"id": "a", "prompt": "p", "answer": {"type": "choice", "value": "x", "choices": ["x", "y"]},
                  "tests": [{"input": "x", "expect": "right"}]}, "is not one of"),
    ("front-matter", {"title": "no id"}, "missing id"),
])
def test_the_schemas_catch_what_the_parser_rejects(kind, block, complaint):
    found = errors(schemas()[f"{kind}.schema.json"], block)
    assert any(complaint in e for e in found), found


def test_check_schema_writes_the_files(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert write_schemas(tmp_path / "schema", out, err) == 0
    names = sorted(p.name for p in (tmp_path / "schema").iterdir())
    assert names == ["exercise.schema.json", "front-matter.schema.json", "plot.schema.json"]
    assert (tmp_path / "schema" / "plot.schema.json").read_text() == shipped("plot.schema.json")
    assert out.getvalue().count("wrote ") == 3 and err.getvalue() == ""
