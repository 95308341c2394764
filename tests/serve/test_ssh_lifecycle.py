"""No session outlives its connection: many cycles, abrupt kills, stubborn children, shutdown, concurrency."""

from __future__ import annotations

import random
import re
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from serve_helpers import (
    PtyClient,
    Server,
    needs_ssh_client,
    processes_mentioning,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)

pytestmark = needs_ssh_client()


def zombies_of(pid: int) -> list[int]:
    from gdtui.serve._pty import direct_children

    found = []
    for child in direct_children(pid):
        try:
            with open(f"/proc/{child}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        if stat[stat.rfind(")") + 2:].split()[0] == "Z":
            found.append(child)
    return found


def one_cycle(port: int, number: int) -> str:
    """Log in, then leave in one of several ways, some of them rude and some before the app is even up."""
    way = ("quit", "kill -9", "kill -9 early", "hang up", "term")[number % 5]
    client = PtyClient(ssh_argv(port, f"cycle{number}", "-tt"))
    try:
        if way == "kill -9 early":
            time.sleep(random.uniform(0, 0.4))  # somewhere in key exchange, login, or the child starting
            client.proc.send_signal(signal.SIGKILL)
        else:
            client.wait_for(f"gdtui ready cycle{number}")
            if way == "quit":
                client.send(b"q")
                assert client.wait_exit() == 0
            elif way == "kill -9":
                client.proc.send_signal(signal.SIGKILL)
            elif way == "hang up":
                client.hang_up()  # the learner closes the terminal window
            else:
                client.proc.send_signal(signal.SIGTERM)
        client.wait_exit()
    finally:
        client.close()
    return way


def test_a_hundred_connect_disconnect_cycles_leave_no_process(start_server):
    server = start_server()
    with ThreadPoolExecutor(8) as pool:
        ways = Counter(pool.map(lambda n: one_cycle(server.port, n), range(100)))
    assert sum(ways.values()) == 100
    server.wait_no_children()
    assert not zombies_of(server.proc.pid)
    assert [pid for pid, _ in processes_mentioning(str(server.data_dir))] == [server.proc.pid]

    def sessions_logged():
        connects = len(re.findall(r"INFO connect user=cycle", server.log))
        disconnects = len(re.findall(r"INFO disconnect user=cycle\d+ addr=\S+ pid=", server.log))
        return connects if connects == disconnects else None

    assert wait_until(sessions_logged, what="a disconnect line for each connect") >= 80  # early kills may not log in
    log = server.log
    assert "Traceback" not in log and "ERROR" not in log


def press_and_quit(port: int, learner: str, presses: int) -> None:
    client = PtyClient(ssh_argv(port, learner, "-tt"))
    try:
        client.wait_for(f"gdtui ready {learner}")
        for count in range(1, presses + 1):
            client.send(b"a")
            client.wait_for(f"pressed {count}\\b")
        client.send(b"q")
        assert client.wait_exit() == 0
    finally:
        client.close()


def test_twenty_simultaneous_sessions_record_every_action_once(start_server):
    server = start_server()
    learners = [f"student{n:02d}" for n in range(20)]
    with ThreadPoolExecutor(len(learners)) as pool:
        list(pool.map(lambda name: press_and_quit(server.port, name, 5), learners))
    lines = (server.data_dir / "actions.log").read_text().splitlines()
    assert Counter(lines) == Counter(f"{name} {n}" for name in learners for n in range(1, 6))
    server.wait_no_children()


STUBBORN = """
import os, signal, sys, time
signal.signal(signal.SIGHUP, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
if os.fork() == 0:           # a grandchild that leaves the group and is orphaned (re-parented)
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        time.sleep(3600)
    os._exit(0)
print('gdtui ready', sys.argv[1], flush=True)
while True:
    time.sleep(1)
"""


def test_children_that_ignore_hangups_and_their_orphans_are_ended(start_server, tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN)
    server = start_server(child=f"{{python}} {script} {{learner}}")
    clients = [PtyClient(ssh_argv(server.port, f"mule{n}", "-tt")) for n in range(3)]
    for n, client in enumerate(clients):
        client.wait_for(f"gdtui ready mule{n}")

    def stubborn():
        return [pid for pid, _ in processes_mentioning(str(script)) if pid != server.proc.pid]

    wait_until(lambda: len(stubborn()) == 6, what="3 children and 3 orphans")
    for client in clients:
        client.proc.send_signal(signal.SIGKILL)
        client.close()
    server.wait_no_children()
    wait_until(lambda: not stubborn(), what="every stubborn process ended")
    wait_until(lambda: server.log.count("status=-9") == 3, what=lambda: f"3 ends by SIGKILL (the only way):\n{server.log}")


def test_shutdown_ends_every_session(start_server):
    server = start_server()
    clients = [PtyClient(ssh_argv(server.port, f"late{n}", "-tt")) for n in range(3)]
    try:
        for n, client in enumerate(clients):
            client.wait_for(f"gdtui ready late{n}")
        assert server.stop() == 0
        for client in clients:
            client.wait_for("the server is shutting down")
            client.wait_exit()
    finally:
        for client in clients:
            client.close()
    assert not processes_mentioning(str(server.data_dir))
    assert server.log.count("reason=server shutdown") == 3


def test_sessions_do_not_outlive_a_killed_server(tmp_path):
    server = Server(tmp_path / "data")
    clients = [PtyClient(ssh_argv(server.port, f"orphan{n}", "-tt")) for n in range(2)]
    try:
        for n, client in enumerate(clients):
            client.wait_for(f"gdtui ready orphan{n}")
        server.proc.send_signal(signal.SIGKILL)  # no goodbye, no clean-up by the server
        server.stop()
        wait_until(lambda: not processes_mentioning(str(tmp_path)), what="the sessions to die with their server")
        for client in clients:
            client.wait_exit()
    finally:
        for client in clients:
            client.close()
