"""The command line's contract: --version, help, and bad arguments never give a traceback."""

import subprocess
import sys

from gdtui import __version__


def run(*args):
    return subprocess.run([sys.executable, "-m", "gdtui", *args], capture_output=True, text=True, timeout=120)


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"gdtui {__version__}"


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("check", "play", "report", "serve"):
        assert command in result.stdout


def test_bad_listen_address_is_a_message_not_a_traceback():
    result = run("serve", "ssh", "--listen", "nowhere")
    assert result.returncode == 2
    assert "HOST:PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_bundled_course_is_found():
    from gdtui.paths import bundled_lessons

    lessons = bundled_lessons()
    assert lessons.is_dir()
    assert sorted(lessons.glob("*.md")), "the bundled course has no lesson files"


def test_report_takes_data_dir_after_the_subcommand(tmp_path):
    from gdtui.store import SqliteStore as Store

    with Store(tmp_path) as store:
        store.open_lesson("ada", "derivative-basics")
    result = run("report", "--data-dir", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"ada"' in result.stdout


def test_report_on_a_missing_database_is_one_clear_line(tmp_path):
    result = run("report", "--data-dir", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.strip()
