"""Sessions forked from the zygote (gdtui.serve.zygote), over the real OpenSSH client: the first screen, two
learners kept apart, the fall-back when the zygote is killed, nothing left behind, and the zygote ending with
the server. No test here times anything."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from serve_helpers import (
    PtyClient,
    Server,
    needs_ssh_client,
    processes_mentioning,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)
from test_ssh_lifecycle import zombies_of
from test_ssh_real_app import COURSE, report

from gdtui.serve._pty import direct_children

pytestmark = needs_ssh_client()

MARKER = b"271828.18284590452"  # an answer no lesson, file or library holds


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rfind(")") + 2:].split()[1])


def session_pid(server, learner: str) -> int:
    return int(server.wait_log(rf"connect user={learner} \S+ pid=(\d+)").group(1))


def memory_holds(pid: int, needle: bytes) -> bool:
    """Whether ``needle`` is anywhere in the readable memory of process ``pid`` (heap, stacks, mappings)."""
    found = False
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                if needle in mem.read(end - start):
                    found = True
            except (OSError, ValueError, OverflowError):
                continue
    return found


def open_map(server, learner: str) -> PtyClient:
    client = PtyClient(ssh_argv(server.port, learner, "-tt"), cols=100, rows=30)
    client.wait_for(r"The slope of a square")
    return client


def quit_from_map(client: PtyClient) -> None:
    time.sleep(0.3)  # so an escape before cannot merge with the q into alt+q
    client.send(b"q")
    client.wait_for(r"End this session\?")  # a served session asks before a bare q ends it

    def answered_yes() -> bool:  # a y typed before the question takes the keys is lost: say it until it ends
        if client.proc.poll() is not None:
            return True
        try:
            client.send(b"y")
        except OSError:  # the terminal is gone: it ended
            return True
        return False

    wait_until(answered_yes, interval=0.5, what="the session to end after y")
    assert client.wait_exit() == 0


def test_the_first_screen_comes_from_a_session_forked_by_the_zygote(start_server):
    server = start_server("--lessons", str(COURSE), child=None)
    zygote = server.wait_zygote_ready()
    client = open_map(server, "ada")
    try:
        pid = session_pid(server, "ada")
        assert pid != zygote
        assert "gdtui.serve.zygote" in cmdline(pid)  # a copy of the zygote, not a new `gdtui.serve.launch`
        assert parent_of(pid) == server.proc.pid  # re-parented to the gateway, which reaps it
        assert os.getpgid(pid) == pid and os.getsid(pid) == pid  # leads its own session and group
        quit_from_map(client)
    finally:
        client.close()
    server.wait_no_children()
    server.wait_log(r"disconnect user=ada .*reason=quit status=0")
    assert zombies_of(server.proc.pid) == []
    assert direct_children(zygote) == []  # the intermediate processes were reaped by the zygote
    assert "new processes (slower" not in server.log  # no fall-back happened


def test_what_one_learner_typed_is_not_in_the_next_session(start_server):
    server = start_server("--lessons", str(COURSE), child=None)
    zygote = server.wait_zygote_ready()
    alice = open_map(server, "alice")
    bob = None
    try:
        alice.send(b"\r")
        alice.wait_for(r"what is f′\(2\)\?")
        alice.send(b"\t")
        time.sleep(0.3)
        alice.send(MARKER + b"\r")
        alice.wait_for(r"1 attempt")
        alice_pid = session_pid(server, "alice")
        assert memory_holds(alice_pid, MARKER)  # the search finds an answer where it is

        bob = open_map(server, "bob")
        bob.send(b"\r")
        bob.wait_for(r"what is f′\(2\)\?")
        bob_pid = session_pid(server, "bob")
        assert "gdtui.serve.zygote" in cmdline(bob_pid)
        assert not memory_holds(bob_pid, MARKER)
        assert not memory_holds(zygote, MARKER)  # the zygote never sees a terminal
        assert "alice" not in bob.text and "learner bob" in re.sub(r"\s+", " ", bob.text)
    finally:
        alice.close()
        if bob is not None:
            bob.close()
    server.wait_no_children()
    rows = {row["learner"]: row for row in report(server.data_dir)["learners"]}
    assert rows["alice"]["attempts"] == 1
    assert rows.get("bob", {}).get("attempts", 0) == 0


def test_when_the_zygote_is_killed_sessions_start_the_old_way(start_server):
    server = start_server("--lessons", str(COURSE), child=None)
    zygote = server.wait_zygote_ready()
    os.kill(zygote, signal.SIGKILL)
    server.wait_log(r"the zygote ended")
    wait_until(lambda: not Path(f"/proc/{zygote}").exists(), what="the gateway to reap the killed zygote")
    for learner in ("cy", "di"):
        client = open_map(server, learner)
        try:
            assert "gdtui.serve.launch" in cmdline(session_pid(server, learner))
            quit_from_map(client)
        finally:
            client.close()
    server.wait_no_children()
    assert server.log.count("sessions now start as new processes") == 1  # logged once
    assert zombies_of(server.proc.pid) == []


def test_the_zygote_and_its_sessions_end_with_the_server(tmp_path):
    server = Server(tmp_path / "killed", "--lessons", str(COURSE), child=None)  # not the fixture: killed here
    client = None
    try:
        zygote = server.wait_zygote_ready()
        client = open_map(server, "eve")
        pid = session_pid(server, "eve")
        server.proc.send_signal(signal.SIGKILL)  # no clean shutdown: the kernel's parent-death signals end them
        server.proc.wait()
        wait_until(lambda: not processes_mentioning(str(tmp_path / "killed")),
                   what=lambda: f"the zygote {zygote} and session {pid} to end: "
                                f"{processes_mentioning(str(tmp_path / 'killed'))}")
    finally:
        if client is not None:
            client.close()
        server.stop()


def test_a_stopped_server_stops_its_zygote(start_server, tmp_path):
    server = start_server("--lessons", str(COURSE), child=None, data_dir=tmp_path / "stopped")
    zygote = server.wait_zygote_ready()
    assert server.stop() == 0
    wait_until(lambda: not processes_mentioning(str(tmp_path / "stopped")),
               what=f"the zygote {zygote} to end with the server")
    assert "the zygote ended" not in server.log  # a deliberate stop is no fall-back
