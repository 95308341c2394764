"""`pip install .` must carry the bundled course: build the wheel and run gdtui from it in an empty folder."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_the_course_and_runs_from_an_empty_folder(tmp_path):
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    wheel = next(out.glob("gdtui-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    lessons = [n for n in names if n.startswith("gdtui/lessons/en/") and n.endswith(".md")]
    source_lessons = sorted((ROOT / "lessons" / "en").glob("*.md"))
    assert len(lessons) == len(source_lessons) > 0

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    code = "from gdtui.paths import bundled_lessons; print(bundled_lessons())"
    where = subprocess.run([sys.executable, "-c", code], cwd=empty, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == tmp_path / "site" / "gdtui" / "lessons" / "en"

    # the authors' package data: the lesson skeleton and the JSON Schema files, usable from the wheel
    assert {"gdtui/new/lesson.md", "gdtui/new/README.md", "gdtui/check/schemas/plot.schema.json",
            "gdtui/check/schemas/exercise.schema.json", "gdtui/check/schemas/front-matter.schema.json"} <= set(names)
    assert "gdtui/serve/web_page.js" in names  # the browser page's script (gdtui serve web)
    code = ("import io; from pathlib import Path; from gdtui.new import new; from gdtui.check import run_check; "
            "from gdtui.check.schema import shipped; new(Path('c')); out = io.StringIO(); "
            "print(run_check([Path('c')], out), out.getvalue().strip(), len(shipped('plot.schema.json')) > 1000)")
    made = subprocess.run([sys.executable, "-c", code], cwd=empty, env=env, capture_output=True, text=True, check=True)
    assert made.stdout.split("\n")[0] == "0 1 lesson, 4 exercises: 0 errors, 0 warnings True"
