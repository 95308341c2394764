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


def test_a_login_proxys_e_mail_name_gets_a_learner_key(start_web, tmp_path):
    from gdtui.serve._auth import learner_key

    url = start_web("--user-header", "X-Forwarded-User")
    key = learner_key("alice@example.com")
    for user in ("alice@example.com", "../../etc/passwd"):
        request = urllib.request.Request(url, headers={"X-Forwarded-User": user})
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            assert response.status == 200
    screen = asyncio.run(session(url, keys="a", headers={"X-Forwarded-User": "alice@example.com"}))
    assert f"gdtui ready {key} " in screen
    screen = asyncio.run(session(url, keys="a", headers={"X-Forwarded-User": "../../etc/passwd"}))
    assert f"gdtui ready {learner_key('../../etc/passwd')} " in screen
    assert (tmp_path / "data" / "actions.log").read_text().splitlines() == [
        f"{key} 1", f"{learner_key('../../etc/passwd')} 1"]
    with pytest.raises(urllib.error.HTTPError) as refused:  # a header with no name in it: nobody to be
        urllib.request.urlopen(urllib.request.Request(url, headers={"X-Forwarded-User": "  "}), timeout=WAIT)
    assert refused.value.code == 403


def test_the_web_command_is_quoted():
    config = WebConfig(data_dir=Path("/data dir/x"), learner="webby",
                       child_argv=("{python}", "app.py", "{learner}", "{data_dir}"))
    command = child_command(config, "alice")
    assert command.startswith("exec ")
    assert "--new-session" in command and f"--parent-pid={os.getpid()}" in command
    assert "'--data-dir=/data dir/x'" in command and "'/data dir/x'" in command


# -- hardening: nothing one page sends can starve the server -----------------------------------------------
class Page:
    """One open websocket, as the page opens it: what it was sent, and a way to type."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.seen = b""

    @property
    def text(self) -> str:
        return plain(self.seen)

    async def wait_for(self, pattern: str) -> None:
        import aiohttp

        deadline = asyncio.get_running_loop().time() + WAIT
        while pattern not in self.text:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out waiting for {pattern!r}; page shows {self.text[-300:]!r}")
            try:
                message = await self.ws.receive(timeout=1)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.seen += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                raise AssertionError(f"closed while waiting for {pattern!r}; page shows {self.text[-300:]!r}")

    async def send(self, kind: str, data) -> None:
        await self.ws.send_str(json.dumps([kind, data]))


async def open_pages(url: str, count: int, act, headers: dict | None = None):
    """Open ``count`` websockets at once, then ``await act(pages)`` while they are open."""
    import aiohttp

    ws_url = url.replace("http://", "ws://") + "/ws?width=90&height=20"
    async with aiohttp.ClientSession(headers=headers) as client:
        sockets = [await client.ws_connect(ws_url) for _ in range(count)]
        try:
            return await act([Page(ws) for ws in sockets])
        finally:
            for ws in sockets:
                await ws.close()


def tutors(tmp_path) -> list[tuple[int, str]]:
    """The tutors (and what they started) of the server using tmp_path; not the server itself."""
    return [proc for proc in processes_mentioning(str(tmp_path)) if " serve web " not in proc[1]]


def test_a_huge_resize_is_clamped(start_web):
    url = start_web()

    async def act(pages):
        await pages[0].wait_for("gdtui ready webby 90x20")
        await pages[0].send("resize", {"width": 3000, "height": 2000})
        await pages[0].wait_for("gdtui ready webby 1000x500")
        await pages[0].send("resize", {"width": "wide", "height": -5})  # nonsense is the default size
        await pages[0].wait_for("gdtui ready webby 80x24")

    asyncio.run(open_pages(url, 1, act))


def test_sessions_are_capped(start_web, tmp_path):
    url = start_web("--max-sessions", "2")

    async def act(pages):
        for page in pages[:2]:
            await page.wait_for("gdtui ready webby")
        await pages[2].wait_for("the classroom is full (2 sessions)")
        assert len(tutors(tmp_path)) == 2

    asyncio.run(open_pages(url, 3, act))


def test_a_closed_page_ends_its_hung_tutor_and_its_group(start_web, tmp_path):
    url = start_web()

    async def act(pages):
        page = pages[0]
        await page.wait_for("gdtui ready webby")
        await page.send("stdin", "g")
        await page.wait_for("grandchild started")
        await page.send("stdin", "h")
        await page.wait_for("hanging")
        assert len(tutors(tmp_path)) == 2  # the tutor and what it started

    asyncio.run(open_pages(url, 1, act))  # and the page closes
    wait_until(lambda: not tutors(tmp_path), what=lambda: f"the tutor's group to end: {tutors(tmp_path)}")


def test_tutors_die_with_their_server(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdtui", "--learner", "webby", "serve", "web", "--listen", f"127.0.0.1:{port}",
         "--data-dir", str(tmp_path / "data"), "--child-command", FAKE_COMMAND],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), interval=0.1, what="serve web to answer")

        async def act(pages):
            for page in pages:
                await page.wait_for("gdtui ready webby")
                await page.send("stdin", "h")
                await page.wait_for("hanging")
            proc.kill()  # kill -9: the server cannot end anything itself
            proc.wait(WAIT)

        asyncio.run(open_pages(url, 2, act))
        wait_until(lambda: not tutors(tmp_path), what=lambda: f"the tutors to die with the server: {tutors(tmp_path)}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def test_a_page_from_another_site_cannot_open_a_tutor(start_web, tmp_path):
    import aiohttp

    url = start_web()

    async def refused():
        async with aiohttp.ClientSession(headers={"Origin": "http://evil.example"}) as client:
            with pytest.raises(aiohttp.WSServerHandshakeError) as error:
                await client.ws_connect(url.replace("http://", "ws://") + "/ws")
            return error.value.status

    assert asyncio.run(refused()) == 403
    assert not tutors(tmp_path)
    screen = asyncio.run(session(url, keys="a", headers={"Origin": url}))  # the page's own origin
    assert "pressed 1" in screen


def test_an_unusable_data_dir_is_a_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "gdtui", "--learner", "webby", "serve", "web", "--listen", "127.0.0.1:0",
         "--data-dir", str(blocker / "data")],
        capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert f"cannot use the data dir {blocker / 'data'}" in result.stderr and "Traceback" not in result.stderr
