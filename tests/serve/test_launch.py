"""The pieces under the gateway: the child's entry point, PTYs and process groups, the child's command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX PTYs and /proc")

REPORT_WORLD = (
    "import json, os, resource; print(json.dumps({'as': resource.getrlimit(resource.RLIMIT_AS), "
    "'cpu': resource.getrlimit(resource.RLIMIT_CPU), 'core': resource.getrlimit(resource.RLIMIT_CORE), "
    "'nice': os.getpriority(os.PRIO_PROCESS, 0), 'cwd': os.getcwd(), 'umask': os.umask(0)}))"
)


def test_launch_sets_limits_then_runs_the_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gdtui.serve.launch", "--learner=x", f"--data-dir={tmp_path}", "--memory-limit=900",
         "--cpu-limit=30", "--nice=3", "--", sys.executable, "-c", REPORT_WORLD],
        capture_output=True, text=True, timeout=60, check=True,
    )
    world = json.loads(result.stdout)
    assert world["as"] == [900 * 1024 * 1024] * 2
    assert world["cpu"] == [30, 35]
    assert world["core"] == [0, 0]
    assert world["nice"] >= 3
    assert world["cwd"] == str(tmp_path)
    assert world["umask"] == 0o077


def test_launch_runs_the_tutor_with_the_learners_arguments(monkeypatch, tmp_path):
    from gdtui.serve import launch

    seen = {}
    monkeypatch.setattr(launch, "apply_limits", lambda *a: seen.setdefault("limits", a))
    monkeypatch.setattr(launch, "ignore_job_control", lambda: None)
    monkeypatch.setattr(launch.os, "umask", lambda mask: 0)
    monkeypatch.setattr(launch.os, "chdir", lambda path: None)
    monkeypatch.setattr("gdtui.ui.app.run_app", lambda **kwargs: seen.setdefault("kwargs", kwargs) and 0)
    code = launch.main(["--learner=ada", f"--data-dir={tmp_path}", "--lessons=/course", "--memory-limit=5"])
    assert code == 0
    assert seen["kwargs"] == {"lessons": Path("/course"), "data_dir": tmp_path, "learner": "ada", "served": True}
    assert seen["limits"] == (5, 0, 0)


def test_launch_starts_the_app_without_the_command_line(tmp_path):
    """serve imports nothing above it: the session's entry point starts the app, not gdtui.cli."""
    script = (
        "import sys, gdtui.ui.app as app\n"
        "app.run_app = lambda **kwargs: print(sorted(kwargs)) or 0\n"
        "from gdtui.serve import launch\n"
        f"code = launch.main(['--learner=ada', '--data-dir={tmp_path}'])\n"
        "print('cli imported' if 'gdtui.cli' in sys.modules else 'cli not imported', code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.stdout.splitlines() == ["['data_dir', 'learner', 'lessons', 'served']", "cli not imported 0"], \
        result.stderr


def test_a_served_session_ignores_job_control(tmp_path):
    """Stray bytes (ctrl+z) or a SIGTSTP must not stop a session: launch ignores it, and so does its command."""
    result = subprocess.run(
        [sys.executable, "-m", "gdtui.serve.launch", "--learner=x", f"--data-dir={tmp_path}", "--",
         sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTSTP); "
         "print(signal.getsignal(signal.SIGTSTP) == signal.SIG_IGN)"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.stdout.strip() == "True"


def test_a_child_on_a_pty_owns_it_and_hears_resizes():
    from gdtui.serve._pty import read_available, set_window_size, spawn_on_pty

    script = (
        "import os, signal, sys, time\n"
        "from gdtui.serve._pty import take_controlling_terminal\n"
        "take_controlling_terminal()\n"
        "signal.signal(signal.SIGWINCH, lambda *a: print('size', *os.get_terminal_size(1), flush=True))\n"
        "print('ready', os.getsid(0) == os.getpid(), os.tcgetpgrp(0) == os.getpgrp(), *os.get_terminal_size(1),"
        " flush=True)\n"
        "time.sleep(30)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    pid, master = spawn_on_pty([sys.executable, "-c", script], env, 77, 21)
    try:
        output = b""
        deadline = time.monotonic() + 60
        while b"ready" not in output and time.monotonic() < deadline:
            output += read_available(master)[0]
            time.sleep(0.02)
        assert b"ready True True 77 21" in output
        set_window_size(master, 101, 33)
        while b"size 101 33" not in output and time.monotonic() < deadline:
            output += read_available(master)[0]
            time.sleep(0.02)
        assert b"size 101 33" in output
        assert os.getpgid(pid) == pid
    finally:
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    data, closed = read_available(master)
    assert closed  # every holder of the slave is gone
    os.close(master)


def test_window_sizes_are_made_sane():
    from gdtui.serve._pty import clamp_size

    assert clamp_size(0, 0) == (80, 24)
    assert clamp_size(100, 30) == (100, 30)
    assert clamp_size(60000, 60000) == (1000, 500)


def test_child_command_and_environment(tmp_path):
    from gdtui.serve.config import SessionLimits
    from gdtui.serve.ssh import ClassroomServer, ServeConfig

    config = ServeConfig(data_dir=tmp_path, lessons=tmp_path / "course",
                         limits=SessionLimits(memory_limit=700, cpu_limit=60), child_argv=("{python}", "app.py", "{learner}", "{data_dir}", "{lessons}"))
    server = ClassroomServer(config)
    argv = server.child_argv("ada")
    assert argv[:3] == [sys.executable, "-m", "gdtui.serve.launch"]
    assert "--learner=ada" in argv and "--memory-limit=700" in argv and "--cpu-limit=60" in argv
    assert argv[argv.index("--") + 1:] == [sys.executable, "app.py", "ada", str(tmp_path), str(tmp_path / "course")]

    env = server.child_env("xterm-256color", {"COLORTERM": "truecolor", "LD_PRELOAD": "x", "PYTHONPATH": "/evil"})
    assert env["TERM"] == "xterm-256color" and env["COLORTERM"] == "truecolor"
    assert "LD_PRELOAD" not in env and env.get("PYTHONPATH") != "/evil"
    assert server.child_env("xterm\x1b]0;pwned", {})["TERM"] == "xterm-256color"
    assert "COLORTERM" not in server.child_env("xterm", {"COLORTERM": "$(reboot)"})


def test_serve_without_the_server_packages_says_what_to_install(tmp_path):
    """Without site-packages (python -S) there is no asyncssh, textual-serve or aiohttp: one line says what to do."""
    root = Path(__file__).resolve().parents[2]
    for front_end in ("ssh", "web"):
        result = subprocess.run(
            [sys.executable, "-S", "-m", "gdtui", "--data-dir", str(tmp_path), "--learner", "ada", "serve", front_end],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root)},
        )
        assert result.returncode == 2
        assert result.stderr == ("gdtui serve: the classroom servers need asyncssh, textual-serve, aiohttp, which are "
                                 "not installed: pip install 'gdtui[serve]'\n")
