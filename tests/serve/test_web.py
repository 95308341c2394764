"""`gdtui serve web` on loopback: the page over HTTP, and a tutor behind its websocket."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gdtui.serve.config import WebConfig
from gdtui.serve.web import child_command
from serve_helpers import FAKE_COMMAND, WAIT, plain, processes_mentioning, wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def start_web(tmp_path):
    procs = []

    def start(*args: str) -> str:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "gdtui", "--learner", "webby", "serve", "web", "--listen", f"127.0.0.1:{port}",
             "--data-dir", str(tmp_path / "data"), "--child-command", FAKE_COMMAND, *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"

        def up():
            assert proc.poll() is None, "serve web exited"
            try:
                urllib.request.urlopen(url, timeout=5).close()
            except urllib.error.HTTPError:
                return True
            except OSError:
                return False
            return True

        wait_until(up, interval=0.1, what="serve web to answer")
        return url

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    wait_until(lambda: not processes_mentioning(str(tmp_path)), what="no tutor left behind")


def test_the_page_is_served(start_web):
    url = start_web()
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        assert response.status == 200
        html = response.read().decode()
    assert "<html" in html.lower()
    assert "gdtui" in html  # the title
    assert f"ws://{url.removeprefix('http://')}/ws" in html


async def session(url: str, keys: str = "", headers: dict | None = None) -> str:
    """Open the websocket as the page does, wait for the first screen, press keys; return what was drawn."""
    import aiohttp

    seen = b""
    ws_url = url.replace("http://", "ws://") + "/ws?width=90&height=20"
    async with aiohttp.ClientSession(headers=headers) as client:
        async with client.ws_connect(ws_url) as ws:
            deadline = asyncio.get_running_loop().time() + WAIT
            pending = list(keys)
            while asyncio.get_running_loop().time() < deadline:
                try:
                    message = await ws.receive(timeout=1)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
                text = plain(seen)
                if "gdtui ready" in text and pending:
                    await ws.send_str(json.dumps(["stdin", pending.pop(0)]))
                if not pending and f"pressed {len(keys)}" in text:
                    break
    return plain(seen)


def test_a_browser_session_runs_the_tutor_for_the_learner(start_web, tmp_path):
    url = start_web()
    screen = asyncio.run(session(url, keys="aa"))
    assert "gdtui ready webby 90x20" in screen
    assert "pressed 2" in screen
    wait_until(lambda: (tmp_path / "data" / "actions.log").exists())
    assert (tmp_path / "data" / "actions.log").read_text().splitlines() == ["webby 1", "webby 2"]


def test_the_learner_can_come_from_the_login_proxy(start_web):
    url = start_web("--user-header", "X-Forwarded-User")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=WAIT)
    assert refused.value.code == 403
    request = urllib.request.Request(url, headers={"X-Forwarded-User": "alice"})
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        assert response.status == 200
    screen = asyncio.run(session(url, keys="a", headers={"X-Forwarded-User": "alice"}))
    assert "gdtui ready alice" in screen


def test_the_web_command_is_quoted():
    config = WebConfig(data_dir=Path("/data dir/x"), learner="webby",
                       child_argv=("{python}", "app.py", "{learner}", "{data_dir}"))
    command = child_command(config, "alice")
    assert command.startswith("exec ")
    assert "--new-session" in command and f"--parent-pid={os.getpid()}" in command
    assert "'--data-dir=/data dir/x'" in command and "'/data dir/x'" in command
