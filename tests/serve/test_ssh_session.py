"""A learner's session over real SSH: first screen, resize, keys recorded, quitting, and what the child sees.

The child here is tests/serve/fake_child.py (a tiny Textual app); test_ssh_real_app.py repeats the essentials
with the real tutor.
"""

from __future__ import annotations

import json
import os
import signal
import stat

import pytest
from gdtui.serve._child import child_pythonpath
from serve_helpers import (
    PtyClient,
    Tmux,
    client_env,
    needs_ssh_client,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)

pytestmark = needs_ssh_client()


@pytest.fixture
def tmux(tmp_path_factory):
    terminal = Tmux(tmp_path_factory.mktemp("tmux") / "socket")
    yield terminal
    terminal.kill()


def read_facts(data_dir, learner):
    paths = wait_until(lambda: sorted(data_dir.glob(f"facts-{learner}-*.json")), what="the child's facts file")
    return json.loads(paths[-1].read_text())


def test_first_screen_resize_keypress_and_quit(start_server, tmux):
    server = start_server()
    tmux.start("alice", ssh_argv(server.port, "alice", "-tt"), cols=80, rows=24)
    tmux.wait_for("alice", r"gdtui ready alice 80x24")

    tmux.resize("alice", 100, 30)
    tmux.wait_for("alice", r"gdtui ready alice 100x30")

    tmux.keys("alice", "a", "a", "a")
    tmux.wait_for("alice", r"pressed 3")
    assert (server.data_dir / "actions.log").read_text().splitlines() == ["alice 1", "alice 2", "alice 3"]

    tmux.keys("alice", "q")
    tmux.wait_for("alice", r"ssh exited 0")
    server.wait_no_children()
    server.wait_log(r"disconnect user=alice addr=127\.0\.0\.1:\d+ pid=\d+ after=\S+ reason=quit status=0")
    assert "connect user=alice addr=127.0.0.1:" in server.log


def test_the_child_sees_only_an_allow_listed_environment(start_server, tmp_path):
    server = start_server("--memory-limit", "2048", "--cpu-limit", "120")
    agent_socket = tmp_path / "agent.sock"
    agent = os.spawnlp(os.P_NOWAIT, "ssh-agent", "ssh-agent", "-D", "-a", str(agent_socket))
    try:
        wait_until(agent_socket.exists, what="ssh-agent")
        options = ["-tt", "-A", "-o", "SetEnv=TEXTUAL_DRIVER=evil PYTHONPATH=/evil LD_PRELOAD=/evil.so LANG=../evil",
                   "-o", "SendEnv=*"]
        env = client_env(TERM="xterm-direct", SSH_AUTH_SOCK=str(agent_socket), LD_LIBRARY_PATH="/evil")
        client = PtyClient(ssh_argv(server.port, "alice", *options), env=env)
        try:
            client.wait_for(r"gdtui ready alice")
            facts = read_facts(server.data_dir, "alice")
        finally:
            client.close()
    finally:
        os.kill(agent, signal.SIGTERM)
        os.waitpid(agent, 0)

    env = facts["env"]
    for name in ("TEXTUAL_DRIVER", "LD_PRELOAD", "LD_LIBRARY_PATH", "SSH_AUTH_SOCK", "DISPLAY"):
        assert name not in env
    assert env.get("PYTHONPATH") == child_pythonpath()  # the server's own choice, or absent
    assert "/evil" not in json.dumps(env)
    assert env["TERM"] == "xterm-direct"  # from the client's pty request
    assert env["LANG"] == "C.UTF-8"  # "../evil" is no locale name (test_ssh_locale.py has the rule)
    assert set(env) <= {"TERM", "LANG", "PATH", "HOME", "COLORTERM", "PYTHONPATH", "OPENBLAS_NUM_THREADS",
                        "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MALLOC_ARENA_MAX"}


def test_the_child_leads_its_own_session_on_its_pty_with_limits(start_server):
    server = start_server("--memory-limit", "2048", "--cpu-limit", "120")
    client = PtyClient(ssh_argv(server.port, "bob", "-tt"))
    try:
        client.wait_for(r"gdtui ready bob")
        facts = read_facts(server.data_dir, "bob")
    finally:
        client.close()
    assert facts["isatty"]
    assert facts["pid"] == facts["pgid"] == facts["sid"]  # a session and process group of its own
    assert facts["tty_pgrp"] == facts["pgid"]  # the PTY is its controlling terminal, it the foreground
    assert facts["rlimit_as"][0] == 2048 * 1024 * 1024
    assert facts["rlimit_cpu"][0] == 120
    assert facts["rlimit_core"] == [0, 0]
    assert facts["nice"] >= 5
    assert facts["umask"] == 0o077


def test_host_key_is_created_private_once_and_reused(start_server, tmp_path):
    data = tmp_path / "data"
    first = start_server(data_dir=data)
    key_file = data / "ssh_host_ed25519_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_bytes()
    first.stop()
    second = start_server(data_dir=data)
    assert key_file.read_bytes() == key

    def fingerprint(server):
        return server.log.split("host key ")[1].split()[0]

    assert fingerprint(first) == fingerprint(second)


def test_idle_session_is_ended_with_a_message(start_server):
    server = start_server("--idle-timeout", "1")
    client = PtyClient(ssh_argv(server.port, "carol", "-tt"))
    try:
        # not "ready" first: on a loaded machine the child may take longer than the 1 s to draw its screen
        client.wait_for(r"no input for 1 second; goodbye")
        assert client.wait_exit() == 0
    finally:
        client.close()
    server.wait_no_children()
    server.wait_log(r"disconnect user=carol .*reason=idle")


def test_a_full_classroom_refuses_with_a_message(start_server):
    server = start_server("--max-sessions", "2")
    clients = [PtyClient(ssh_argv(server.port, name, "-tt")) for name in ("ann", "ben")]
    try:
        for client, name in zip(clients, ("ann", "ben")):
            client.wait_for(f"gdtui ready {name}")
        third = PtyClient(ssh_argv(server.port, "cat", "-tt"))
        third.wait_for(r"the classroom is full \(2 sessions\)")
        assert third.wait_exit() == 1
        third.close()
        clients[0].send(b"q")
        assert clients[0].wait_exit() == 0
        server.wait_log(r"disconnect user=ann ")  # her place is given back
        fourth = PtyClient(ssh_argv(server.port, "dan", "-tt"))  # a place is free again
        fourth.wait_for("gdtui ready dan")
        fourth.close()
    finally:
        for client in clients:
            client.close()
    assert "refuse user=cat" in server.log and "reason=server full" in server.log


def test_login_timeout_closes_a_silent_connection(start_server):
    import socket

    server = start_server("--login-timeout", "1")
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(b"SSH-2.0-silent\r\n")
        received = b""
        while True:  # read until the server closes the connection
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
    assert received.startswith(b"SSH-2.0-")
    wait_until(lambda: "reason=login not completed" in server.log, what="the refusal line")


def test_a_session_that_uses_up_its_cpu_time_is_ended_with_a_message(start_server, tmp_path):
    spinner = tmp_path / "spin.py"
    spinner.write_text("print('gdtui ready', flush=True)\nwhile True:\n    pass\n")
    server = start_server("--cpu-limit", "1", child=f"{{python}} {spinner}")
    client = PtyClient(ssh_argv(server.port, "eve", "-tt"))
    try:
        client.wait_for("gdtui ready")
        client.wait_for(r"the session was ended \(its time limit\)")
        assert client.wait_exit() == 128 + signal.SIGXCPU
    finally:
        client.close()
    server.wait_log(r"disconnect user=eve .*reason=child ended \(SIGXCPU\)")
