"""Only interactive terminal sessions are served: everything else is refused with a message, and logged."""

from __future__ import annotations

import asyncio
import subprocess
from concurrent.futures import ThreadPoolExecutor

import asyncssh
import pytest
from serve_helpers import (
    SSH,
    WAIT,
    PtyClient,
    client_env,
    needs_ssh_client,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)

pytestmark = needs_ssh_client()


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL,
                          env=client_env(), **kwargs)


def test_everything_but_a_terminal_session_is_refused(start_server, tmp_path):
    server = start_server()
    port = server.port
    cases = {
        "exec": ssh_argv(port, "alice", command=["cat", "/etc/passwd"]),
        "exec with a pty": ssh_argv(port, "alice", "-tt", command=["cat", "/etc/passwd"]),
        "no pty": ssh_argv(port, "alice", "-T"),
        "sftp": ["sftp", "-F", "/dev/null", "-P", str(port), "-o", "StrictHostKeyChecking=no",
                 "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-b", "-", "alice@127.0.0.1"],
        "-W": ssh_argv(port, "alice", "-W", f"127.0.0.1:{port}"),
        "-R": ssh_argv(port, "alice", "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"),
    }
    with ThreadPoolExecutor(len(cases)) as pool:
        results = dict(zip(cases, pool.map(run, cases.values())))

    for name in ("exec", "exec with a pty"):
        assert results[name].returncode == 1, results[name]
        assert "running commands is not allowed here" in results[name].stderr + results[name].stdout
        assert "root:" not in results[name].stdout
    assert results["no pty"].returncode == 1
    assert "gdtui needs a terminal: run ssh with -t" in results["no pty"].stderr
    assert results["sftp"].returncode != 0
    assert "not available here" in results["sftp"].stderr
    assert results["-W"].returncode == 255
    assert "administratively prohibited" in results["-W"].stderr
    assert "port forwarding is not allowed" in results["-W"].stderr
    assert results["-R"].returncode == 255
    assert "remote port forwarding failed" in results["-R"].stderr.lower()

    wait_until(lambda: server.log.count("refuse ") >= len(cases), what="a refusal line for each case")
    log = server.log
    for reason in ("exec request 'cat /etc/passwd'", "no pty", "subsystem 'sftp'", "port forwarding",
                   "remote port forwarding"):
        assert f"reason={reason}" in log
    assert "connect user=" not in log.replace("disconnect user=", "")  # not one session was started
    assert not server.children()


def test_local_port_forwarding_is_refused(start_server):
    server = start_server()

    async def forward():
        async with asyncssh.connect("127.0.0.1", server.port, username="alice", known_hosts=None,
                                    client_keys=None, agent_path=None, config=None) as conn:
            with pytest.raises(asyncssh.ChannelOpenError) as refused:
                await conn.open_connection("127.0.0.1", server.port)
            return refused.value

    error = asyncio.run(forward())
    assert error.code == asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED
    assert "port forwarding is not allowed" in error.reason


def test_x11_forwarding_is_refused_and_the_session_goes_on(start_server, tmp_path):
    server = start_server()
    client = PtyClient(ssh_argv(server.port, "alice", "-tt", "-X", "-o", f"XAuthLocation={tmp_path}/no-xauth"),
                       env=client_env(DISPLAY=":97"))
    try:
        client.wait_for(r"X11 forwarding request failed")
        client.wait_for(r"gdtui ready alice")
        assert "DISPLAY" not in (server.data_dir / next(server.data_dir.glob("facts-alice-*")).name).read_text()
    finally:
        client.close()


def test_ssh_client_binary_is_the_real_one():
    assert subprocess.run([SSH, "-V"], capture_output=True, text=True).stderr.startswith("OpenSSH")
