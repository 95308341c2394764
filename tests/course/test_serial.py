"""The start-up cache format: a course survives JSON and back, and a tampered file builds nothing foreign."""

import pytest

from gdtui.course import serial
from gdtui.course.parse import load_course
from gdtui.paths import bundled_lessons


def test_the_bundled_course_round_trips():
    course = load_course(bundled_lessons())
    assert serial.loads(serial.dumps(("key", course))) == ("key", course)


@pytest.mark.parametrize("text", [
    '{"$": "Popen", "fields": {"args": "touch CANARY"}}',
    '{"$": "tuple", "items": [{"$": "os.system", "fields": {}}]}',
    "[1, 2]",
    "not json",
    '{"$": "Lesson", "fields": {"nonsense": 1}}',
])
def test_a_tampered_cache_is_refused(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(serial.CacheError):
        serial.loads(text)
    assert not (tmp_path / "CANARY").exists()
