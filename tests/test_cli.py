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


def test_a_missing_lessons_folder_is_an_error_not_an_empty_map(tmp_path):
    result = run("--lessons", str(tmp_path / "nonexistent"))
    assert result.returncode == 2
    assert "--lessons" in result.stderr and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_help_gives_every_option_its_meaning_and_default():
    top = run("--help").stdout
    flat = " ".join(top.split())
    assert "--charts {braille,block,ascii}" in flat and "ascii where the locale is not UTF-8" in flat
    ssh = run("serve", "ssh", "--help").stdout
    for option, words in (("--listen", "default: 0.0.0.0:2222"), ("--auth", "default: open"),
                          ("--max-sessions", "default: 60")):
        assert option in ssh and words in " ".join(ssh.split()), option
    assert "--learner" in run("serve", "web", "--help").stdout


def test_play_help_lists_the_surface_names():
    from gdtui.engine.surfaces import SURFACES

    text = " ".join(run("play", "--help").stdout.split())
    assert all(name in text for name in SURFACES)


def test_a_bad_chart_mode_is_refused():
    result = run("--charts", "sixel")
    assert result.returncode == 2 and "braille" in result.stderr
