"""Nothing one client sends starves the classroom: connection caps, sessionless connections, session caps,
throttled logs. Real OpenSSH clients (and raw TCP sockets for the flood) against a real server.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
import subprocess
import tempfile
from pathlib import Path

from gdtui.serve._logthrottle import Throttle, accept_error_handler
from serve_helpers import (
    WAIT,
    PtyClient,
    Server,
    client_env,
    needs_ssh_client,
    processes_mentioning,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)

needs_ssh = needs_ssh_client()
LEARNER_ADDRESS = "127.0.0.2"  # the flood comes from 127.0.0.1; Linux routes all of 127/8 to loopback


def raw_connections(port: int, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        sockets.append(sock)
    return sockets


def closed_by_server(sock: socket.socket) -> bool:
    """Read what the server sends (its version line, maybe) until it closes; False if it keeps it open."""
    sock.settimeout(0.2)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


def learner_gets_in(port: int, name: str) -> None:
    client = PtyClient(ssh_argv(port, name, "-tt", "-o", f"BindAddress={LEARNER_ADDRESS}"))
    try:
        client.wait_for(f"gdtui ready {name}")
    finally:
        client.close()


@needs_ssh
def test_a_flood_from_one_address_is_turned_away_and_a_learner_still_gets_in(start_server):
    server = start_server("--max-per-address", "5", "--log-interval", "600")
    flood = raw_connections(server.port, 60)
    try:
        turned_away = wait_until(lambda: sum(closed_by_server(sock) for sock in flood) >= 55 or None,
                                 what="the server to close the connections over the cap")
        assert turned_away
        learner_gets_in(server.port, "alice")
        refusals = server.log.count("too many connections from 127.0.0.1")
        assert 1 <= refusals < 10, server.log  # 55 refusals, thinned to one line per interval
    finally:
        for sock in flood:
            sock.close()


@needs_ssh
def test_a_flood_past_the_open_file_limit_writes_no_traceback(tmp_path):
    """With few descriptors the server caps connections below the limit instead of failing in accept()."""
    server = Server(tmp_path / "data", "--max-sessions", "4", "--max-per-address", "1000", "--log-interval", "600",
                    nofile=200)
    flood: list[socket.socket] = []
    try:
        server.wait_log(r"allows only \d+ connections")
        allowed = int(re.search(r"allows only (\d+) connections", server.log).group(1))
        flood = raw_connections(server.port, 250)
        wait_until(lambda: sum(closed_by_server(sock) for sock in flood) >= 250 - allowed or None,
                   what=lambda: f"the connections over the cap to be closed:\n{server.log}")
        assert "Traceback" not in server.log
        # the cap keeps accept() within the limit; should a very busy machine still reach it, that is one
        # throttled line, not one per connection
        assert server.log.count("out of system resource") <= 2, server.log
        for sock in flood:
            sock.close()
        flood = []
        learner_gets_in(server.port, "alice")
        assert server.log.count("too many connections (") < 10
    finally:
        for sock in flood:
            sock.close()
        assert server.stop() == 0, server.log
    wait_until(lambda: not processes_mentioning(str(tmp_path)), what="no process left")


@needs_ssh
def test_a_connection_without_a_session_is_closed(start_server):
    server = start_server("--session-timeout", "1")
    sessionless = subprocess.run(ssh_argv(server.port, "alice", "-N"), capture_output=True, text=True,
                                 timeout=WAIT, stdin=subprocess.DEVNULL, env=client_env())
    assert sessionless.returncode == 255  # the server closed it; ssh -N alone would wait forever
    server.wait_log(r"disconnect user=alice .*reason=no session within 1 s")
    learner_gets_in(server.port, "alice")  # a real session is not affected


@needs_ssh
def test_sessions_are_capped_per_connection(start_server):
    server = start_server("--max-sessions-per-connection", "2", "--session-timeout", "0")
    control = Path(tempfile.mkdtemp(prefix="gdtui-mux-")) / "c"  # a short path: sockets allow ~100 bytes
    master = subprocess.Popen(ssh_argv(server.port, "alice", "-M", "-S", str(control), "-N"),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=client_env())
    clients: list[PtyClient] = []
    try:
        wait_until(control.exists, what="the control socket")
        for _ in range(2):  # two sessions on the one connection
            clients.append(PtyClient(ssh_argv(server.port, "alice", "-tt", "-S", str(control))))
            clients[-1].wait_for("gdtui ready alice")
        clients.append(PtyClient(ssh_argv(server.port, "alice", "-tt", "-S", str(control))))  # and a third
        clients[2].wait_for("at most 2 sessions per connection")
        assert clients[2].wait_exit() == 1
        server.wait_log(r"refuse user=alice .*reason=sessions per connection")
        assert len(server.children()) == 2
    finally:
        for client in clients:
            client.close()
        master.kill()
        master.wait(WAIT)
        control.parent.joinpath("c").unlink(missing_ok=True)
        control.parent.rmdir()


@needs_ssh
def test_sessions_are_capped_per_learner(start_server):
    server = start_server("--max-sessions-per-learner", "2")
    clients = [PtyClient(ssh_argv(server.port, "alice", "-tt")) for _ in range(2)]
    try:
        for client in clients:
            client.wait_for("gdtui ready alice")
        third = PtyClient(ssh_argv(server.port, "alice", "-tt"))
        clients.append(third)
        third.wait_for("alice already has 2 sessions open")
        assert third.wait_exit() == 1
        bob = PtyClient(ssh_argv(server.port, "bob", "-tt"))
        clients.append(bob)
        bob.wait_for("gdtui ready bob")
    finally:
        for client in clients:
            client.close()


# -- the pieces ------------------------------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_repeated_lines_are_written_once_per_interval_with_a_count():
    clock = Clock()
    written: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: written.append(record.getMessage())
    throttle = Throttle(10, clock=clock)
    handler.addFilter(throttle)
    log = logging.getLogger("test.throttle")
    log.propagate = False
    log.addHandler(handler)
    try:
        for n in range(100):
            log.warning("refuse addr=%s", f"10.0.0.1:{n}", extra={"kind": ("refuse", "10.0.0.1")})
        log.warning("refuse addr=%s", "10.0.0.2:1", extra={"kind": ("refuse", "10.0.0.2")})
        assert written == ["refuse addr=10.0.0.1:0", "refuse addr=10.0.0.2:1"]
        throttle.flush(handler)
        assert len(written) == 2  # the interval is not over yet
        clock.now += 10
        throttle.flush(handler)
        assert written[2:] == ["refuse addr=10.0.0.1:99 (and 99 more like it in 10 s)"]
    finally:
        log.removeHandler(handler)


def test_a_failed_accept_is_one_line_without_a_traceback():
    written: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = written.append
    log = logging.getLogger("test.accept")
    log.propagate = False
    log.addHandler(handler)
    try:
        handle = accept_error_handler(log)
        for _ in range(3):
            handle(None, {"message": "socket.accept() out of system resource",
                          "exception": OSError(errno.EMFILE, "Too many open files")})
        assert [record.getMessage() for record in written] == [
            "socket.accept() out of system resource: Too many open files"] * 3
        assert all(record.exc_info is None for record in written)
    finally:
        log.removeHandler(handler)


