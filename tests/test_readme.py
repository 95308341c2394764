"""The README's two set-up commands stay true: CI runs exactly the test command the README shows."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", setup, flags=re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].rstrip().endswith("gdtui")
    assert "[test]" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    test_command = readme_commands()[1].split("&&")[-1].strip()
    pytest_args = test_command.split("python", 1)[1].strip()  # "-m pytest -q -n 2"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'"$venv/bin/python" {pytest_args}' in ci
