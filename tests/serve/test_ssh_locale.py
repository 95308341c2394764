"""The student's language and NO_COLOR reach the session (an allow-list of four variables, values checked),
over the real OpenSSH client, in both ways a session starts: forked from the zygote, or as a new process."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

import pytest
from gdtui.serve._child import LANG_DEFAULT, child_env, client_locale
from serve_helpers import PtyClient, client_env, needs_ssh_client, ssh_argv, start_server  # noqa: F401
from serve_helpers import wait_until

COURSE = Path(__file__).resolve().parent / "data" / "course"
SEND = ["-o", "SendEnv=LANG", "-o", "SendEnv=LC_ALL", "-o", "SendEnv=LC_MESSAGES", "-o", "SendEnv=NO_COLOR"]


# -- the rule -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["zh_CN.UTF-8", "zh_TW.utf8", "C", "POSIX", "C.UTF-8", "en_GB", "de_DE.UTF-8@euro",
                                   "sr_RS@latin", "es_419.UTF-8", "zh"])
def test_a_locale_name_is_passed_on(value):
    for name in ("LANG", "LC_ALL", "LC_MESSAGES"):
        assert client_locale({name: value}) == {name: value}


@pytest.mark.parametrize("value", ["", " zh_CN.UTF-8", "zh_CN.UTF-8\n", "zh_CN.UTF-8; rm -rf ~", "../../x",
                                   "$(reboot)", "zh_CN." + "U" * 40, "x" * 300, "zh_CN.UTF-8 x", "/usr/lib/locale",
                                   "zh-CN", "中文", "C.UTF-8\x00"])
def test_anything_else_is_left_out(value):
    env = child_env("xterm", {"LANG": value, "LC_ALL": value, "LC_MESSAGES": value}, Path("/home"))
    assert env["LANG"] == LANG_DEFAULT and "LC_ALL" not in env and "LC_MESSAGES" not in env


def test_only_the_four_variables_and_no_color_as_one():
    sent = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LC_CTYPE": "zh_CN.UTF-8",
            "NO_COLOR": "please", "LANGUAGE": "zh", "LD_PRELOAD": "/evil.so", "PYTHONPATH": "/evil"}
    env = child_env("xterm", sent, Path("/home"))
    assert {name: env[name] for name in ("LANG", "LC_ALL", "LC_MESSAGES")} == {
        "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}
    assert env["NO_COLOR"] == "1"
    assert not {"LC_CTYPE", "LANGUAGE", "LD_PRELOAD"} & set(env) and "/evil" not in json.dumps(env)
    assert "NO_COLOR" not in child_env("xterm", {"NO_COLOR": ""}, Path("/home"))  # no-color.org: empty is unset
    assert child_env("xterm", {}, Path("/home"))["LANG"] == LANG_DEFAULT


# -- over SSH --------------------------------------------------------------------------------------------------
def read_facts(data_dir: Path, learner: str) -> dict:
    def facts():
        found = sorted(data_dir.glob(f"facts-{learner}-*.json"))
        return json.loads(found[-1].read_text()) if found else None

    return wait_until(facts, what=f"the facts of {learner}'s session")


@needs_ssh_client()
def test_send_env_and_set_env_reach_the_session(start_server):
    server = start_server()  # the stand-in app: it writes down the environment it started with
    cases = {
        "ann": (SEND, {"LANG": "zh_CN.UTF-8", "NO_COLOR": "1"}),
        "ben": (["-o", "SetEnv=LC_ALL=zh_TW.UTF-8 LC_MESSAGES=zh_TW.UTF-8 NO_COLOR=yes"], {}),
        "cat": (SEND, {"LANG": "C"}),
        "dan": (SEND, {"LANG": "zh_CN.UTF-8;evil", "NO_COLOR": ""}),
    }
    seen = {}
    for learner, (options, extra) in cases.items():
        client = PtyClient(ssh_argv(server.port, learner, "-tt", *options), env=client_env(**extra))
        try:
            client.wait_for(rf"gdtui ready {learner}")
            seen[learner] = {k: v for k, v in read_facts(server.data_dir, learner)["env"].items()
                             if k in ("LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR")}
        finally:
            client.close()
    assert seen["ann"] == {"LANG": "zh_CN.UTF-8", "NO_COLOR": "1"}
    assert seen["ben"] == {"LANG": LANG_DEFAULT, "LC_ALL": "zh_TW.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8",
                           "NO_COLOR": "1"}
    assert seen["cat"] == {"LANG": "C"}
    assert seen["dan"] == {"LANG": LANG_DEFAULT}


TRUECOLOR = re.compile(rb"\x1b\[[0-9;]*?[34]8;2;(\d+);(\d+);(\d+)")


def colours(data: bytes) -> set[tuple[int, int, int]]:
    return {tuple(map(int, match.groups())) for match in TRUECOLOR.finditer(data)}


def open_map(server, learner: str, extra: dict[str, str]) -> PtyClient:
    """The map, in true colour (so a colour's hue can be read from the output) unless NO_COLOR says otherwise."""
    options = [*SEND, "-o", "SendEnv=COLORTERM"]
    client = PtyClient(ssh_argv(server.port, learner, "-tt", *options), cols=100, rows=30,
                       env=client_env(COLORTERM="truecolor", **extra))
    client.wait_for(r"slope of a square")
    return client


def session_pid(server, learner: str) -> int:
    return int(server.wait_log(rf"connect user={learner} \S+ pid=(\d+)").group(1))


def command_of(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def look(server, how: str) -> dict[str, dict]:
    """Open the real tutor's map as three students would, each with their own environment; what each sees."""
    students = {"mono": {"NO_COLOR": "1"}, "plain": {"LANG": "C"}, "zh": {"LANG": "zh_CN.UTF-8"},
                "colour": {}}
    seen = {}
    for learner, extra in students.items():
        client = open_map(server, f"{learner}-{how}", extra)
        try:
            client.wait_for(r"[Qq]uit|退出")  # the map's footer, in the student's language
            pid = session_pid(server, f"{learner}-{how}")
            seen[learner] = {"output": bytes(client.output), "text": client.text, "command": command_of(pid)}
        finally:
            client.close()
    return seen


def check_what_they_saw(seen: dict[str, dict]) -> None:
    assert any(r != g or g != b for r, g, b in colours(seen["colour"]["output"]))  # a colour session has hues
    greys = colours(seen["mono"]["output"])
    assert greys and all(r == g == b for r, g, b in greys)  # NO_COLOR: monochrome (Textual's own filter)
    plain_text = seen["plain"]["text"]
    assert "slope of a square" in plain_text
    assert all(ord(c) < 128 for c in plain_text), [c for c in plain_text if ord(c) >= 128][:10]  # LANG=C: ascii
    assert any(ord(c) >= 128 for c in seen["zh"]["text"])  # a UTF-8 locale keeps the tutor's own glyphs
    assert "退出" in seen["zh"]["text"] and "Quit" not in seen["zh"]["text"]  # and LANG=zh_CN speaks Chinese
    assert "退出" not in seen["colour"]["text"]  # no LANG sent: English


@needs_ssh_client()
def test_the_forked_tutor_takes_the_students_language_and_no_color(start_server):
    server = start_server("--lessons", str(COURSE), child=None)
    server.wait_zygote_ready()
    seen = look(server, "forked")
    assert all("gdtui.serve.zygote" in student["command"] for student in seen.values())
    check_what_they_saw(seen)


@needs_ssh_client()
def test_the_spawned_tutor_takes_the_students_language_and_no_color(start_server):
    server = start_server("--lessons", str(COURSE), child=None)
    zygote = server.wait_zygote_ready()
    os.kill(zygote, signal.SIGKILL)  # sessions now start as new processes
    server.wait_log(r"the zygote ended")
    seen = look(server, "spawned")
    assert all("gdtui.serve.launch" in student["command"] for student in seen.values())
    check_what_they_saw(seen)
