"""`gdtui check`: output format, exit codes, and the bundled course passing cleanly."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gdtui import check as check_module
from gdtui.check import run_check

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = Path("tests") / "data"  # relative, as an author would type it; the runs use cwd=ROOT
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$")
SUMMARY = re.compile(r"^\d+ lessons?, \d+ exercises?: \d+ errors?, \d+ warnings?$")


def gdtui_check(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gdtui", "check", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_good_sample_passes():
    result = gdtui_check(DATA / "good.md")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "1 lesson, 4 exercises: 0 errors, 0 warnings\n", "")


def test_bundled_course_passes_with_no_errors_and_no_warnings():
    result = gdtui_check()  # no path: the bundled course
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and re.fullmatch(r"\d+ lessons?, \d+ exercises?: 0 errors, 0 warnings", lines[0]), lines
    assert result.stderr == ""


def test_broken_sample_fails_with_one_line_per_problem():
    result = gdtui_check(DATA / "broken.md")
    assert result.returncode == 1 and result.stderr == ""
    *problems, summary = result.stdout.splitlines()
    assert summary == "1 lesson, 1 exercise: 31 errors, 2 warnings"  # the one good exercise lacks hints and solution
    assert all(LINE.match(line) for line in problems), problems
    assert problems[0] == "tests/data/broken.md:12: error: bad YAML: expected ',' or '}', but got ':'"
    assert "tests/data/broken.md:30: error: answer.value: unknown name 'z' (params are a, b)" in problems
    lines = [int(LINE.match(line)["line"]) for line in problems]
    assert lines == sorted(lines)


def test_checker_finds_what_the_parser_cannot():
    result = gdtui_check(DATA / "check_fails.md")
    path = "tests/data/check_fails.md"
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:17: error: tests[2]: '2*1 + 1' is incorrect, read as 2·1 + 1 = 3, expected feedback (when a = 1)"
        " (and in 2 more variants)",
        f"{path}:25: error: answer.value is inf (when a = 0)",
        f"{path}:27: error: solution: template {{1/a}} is inf when a = 0",
        f"{path}:30: warning: exercise 'rule-equals-answer' has no hints (add hints: [...])",
        f"{path}:30: warning: exercise 'rule-equals-answer' has no solution (add solution: ...)",
        f"{path}:37: warning: feedback[1]: 'when' gives the right answer (when a = 2), so the rule cannot fire"
        " there (choose params that tell them apart)",
        f"{path}:43: error: answer.value is defined at only 0 of 200 sample points; set answer.domain to where"
        " it is defined",
        f"{path}:49: error: f is not defined anywhere on x in [-2, -1]",
        f"{path}:58: warning: tangent_at = 3 is outside the x range",
        f"{path}:61: warning: momentum is not used by adam",
        "1 lesson, 4 exercises: 5 errors, 5 warnings",
    ]


def test_folders_and_files_together_and_missing_paths(tmp_path):
    result = gdtui_check(DATA / "good.md", ROOT / "lessons" / "en", tmp_path / "nowhere.md", tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert f"{tmp_path / 'nowhere.md'}: error: no such file or folder" in lines
    assert f"{tmp_path}: error: no lesson files (*.md) in this folder" in lines
    bundled = len(list((ROOT / "lessons" / "en").glob("*.md")))
    assert lines[-1].startswith(f"{bundled + 1} lessons, ") and lines[-1].endswith(": 2 errors, 0 warnings")


def test_hostile_files_are_error_lines_not_tracebacks(tmp_path):
    pwned = tmp_path / "pwned"
    (tmp_path / "a.md").write_bytes(b"\x00\xff\xfe binary")
    (tmp_path / "b.md").write_text(f"---\nid: !!python/object/apply:os.system ['touch {pwned}']\ntitle: t\n---\n")
    (tmp_path / "c.md").write_text("---\nid: c\ntitle: c\n---\n```exercise\nid: e\nprompt: p\n"
                                   "answer: {type: number, value: '__import__(\"os\").system(\"touch " + str(pwned) + "\")'}\n```\n")
    (tmp_path / "d.md").write_text("---\nid: d\ntitle: d\n---\n```exercise\nid: e\nprompt: p\n"
                                   "answer: {type: number, value: '9**9**9**9**9'}\nhints: [h]\nsolution: s\n```\n")
    result = gdtui_check(tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert not pwned.exists()
    assert result.returncode == 1
    assert all(LINE.match(line) for line in result.stdout.splitlines()[:-1]), result.stdout
    assert SUMMARY.match(result.stdout.splitlines()[-1])
    assert "d.md:8: error: answer.value is inf" in result.stdout


def test_a_bug_in_the_checker_is_an_error_line(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(check_module, "check_exercise", broken)
    out = io.StringIO()
    status = run_check([ROOT / DATA / "good.md"], out)
    lines = out.getvalue().splitlines()
    assert status == 1
    assert any(line.endswith("error: internal error while checking exercise 'slope-at-a': RuntimeError: boom")
               for line in lines)
    assert lines[-1] == "1 lesson, 4 exercises: 4 errors, 0 warnings"


@pytest.mark.parametrize("name", ["good.md", "broken.md", "check_fails.md"])
def test_run_check_in_process_matches_the_command(name):
    out = io.StringIO()
    status = run_check([DATA / name], out) if (ROOT / DATA).resolve() == Path.cwd() / DATA else \
        run_check([ROOT / DATA / name], out)
    assert status == (0 if name == "good.md" else 1)
    assert SUMMARY.match(out.getvalue().splitlines()[-1])


def test_every_example_in_the_authoring_guide_passes_check(tmp_path):
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(?:plot|exercise)\n.*?^```$", guide, flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) >= 6 + 15  # one per answer type (and more), one per plot layer
    kinds = set(re.findall(r"\btype: (\w+)", "\n".join(blocks)))
    assert kinds >= {"number", "vector", "expression", "choice"}
    (tmp_path / "guide.md").write_text("---\nid: guide\ntitle: The guide's examples\n---\n" + "\n\n".join(blocks))
    out = io.StringIO()
    status = run_check([tmp_path / "guide.md"], out)
    assert (status, out.getvalue().splitlines()[:-1]) == (0, []), out.getvalue()
