"""The page `gdtui serve web` sends: textual-serve's own with our script, seen in a real browser.

The browser test drives headless Chromium (the system's, through Playwright; no browser is downloaded): the
page loads, nobody clicks, Enter opens the lesson, and the screen's text is in the page for a screen reader.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import jinja2
import pytest
from gdtui.serve._web_page import MARK, SCRIPT, page_with_script, textual_serve_template, write_templates
from serve_helpers import WAIT, processes_mentioning, wait_until

COURSE = Path(__file__).resolve().parent / "data" / "course"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_textual_serves_page_has_the_place_for_our_script():
    page = textual_serve_template().read_text(encoding="utf-8")
    assert page.count(MARK) == 1
    ours = page_with_script(page, SCRIPT.read_text(encoding="utf-8"))
    assert ours.startswith(page[:page.index(MARK)])  # textual-serve's page, untouched up to the end of its body
    assert ours.endswith(page[page.index(MARK):])
    assert ours.count("<script>") == page.count("<script>") + 1


def test_the_script_reaches_the_browser_as_written(tmp_path):
    script = 'var a = {{ not_jinja }}; var b = "{% raw %}"; var c = "</script>";'
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "app_index.html").write_text(page_with_script("<html><body>\n</body></html>", script))
    html = jinja2.Environment(loader=jinja2.FileSystemLoader(folder)).get_template("app_index.html").render()
    assert "var a = {{ not_jinja }};" in html  # Jinja left it alone
    assert html.count("</script>") == 1  # the text "</script>" cannot end the script early
    assert 'var c = "<\\/script>";' in html


def test_the_page_textual_serve_renders_has_our_script(tmp_path):
    folder = write_templates(tmp_path / "web")
    assert folder == tmp_path / "web" and (folder / "app_index.html").is_file()
    assert not [path.name for path in folder.iterdir() if path.name != "app_index.html"]  # no half-written file
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folder))
    html = environment.get_template("app_index.html").render(
        font_size=16, app_websocket_url="ws://h/ws", config={"static": {"url": "http://h/static/"}},
        application={"name": "gdtui"})
    assert "screenReaderMode = true" in html and "xterm-helper-textarea" in html
    assert 'data-session-websocket-url="ws://h/ws"' in html


# -- in a browser ------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web_tutor(tmp_path):
    """`gdtui serve web` with the real tutor on the test course; its URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdtui", "--learner", "webby", "serve", "web", "--listen", f"127.0.0.1:{port}",
         "--data-dir", str(tmp_path / "data"), "--lessons", str(COURSE)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"

    def answers() -> bool:
        assert proc.poll() is None, "serve web exited"
        try:
            urllib.request.urlopen(url, timeout=5).close()
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    try:
        wait_until(answers, interval=0.1, what="serve web to answer")
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        wait_until(lambda: not processes_mentioning(str(tmp_path)), what="no tutor left behind")


def _browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="the browser test needs Playwright")
    if CHROMIUM is None:
        pytest.skip("the browser test needs Chromium (Debian: apt-get install chromium)")
    return playwright


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_in_a_browser_enter_opens_a_lesson_without_a_click_and_a_screen_reader_can_read_it(web_tutor, tmp_path):
    playwright = _browser()
    timeout_ms = WAIT * 1000
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 640})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(web_tutor)
            page.wait_for_function(
                "() => document.activeElement && document.activeElement.matches('.xterm-helper-textarea')",
                timeout=timeout_ms)
            assert page.evaluate("document.body.dataset.screenReader") == "on"
            screen_text = "(document.querySelector('.xterm-accessibility-tree') || {}).innerText || ''"
            page.wait_for_function(f"() => ({screen_text}).includes('The slope of a square')", timeout=timeout_ms)
            page.screenshot(path=str(tmp_path / "map.png"))
            page.keyboard.press("Enter")  # no click first
            page.wait_for_function(f"() => ({screen_text}).includes('exercises solved')", timeout=timeout_ms)
            assert "Choose a lesson" not in page.evaluate(screen_text)
            page.keyboard.press("Tab")  # to the answer box; typing works with the screen-reader mode on
            page.keyboard.type("2*2")
            page.keyboard.press("Enter")
            page.wait_for_function(f"() => ({screen_text}).includes('1/1 exercises solved')", timeout=timeout_ms)
            page.screenshot(path=str(tmp_path / "lesson.png"))
            assert page.evaluate("Object.prototype.hasOwnProperty('terminal')") is False  # the hook is gone
            assert errors == []
        finally:
            browser.close()
