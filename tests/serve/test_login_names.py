"""Any login name gets a learner key: plain names as they are, e-mail addresses and the rest made safe.

The rule is ``_auth.learner_key`` (docs/classroom.md says it to teachers): a plain learner name is its own key;
any other name becomes its first allowed letters (up to the last @) + "--" + 16 hex digits of its SHA-256.
"""

from __future__ import annotations

import asyncio
import hashlib
import re

from gdtui.serve._auth import Passwords, learner_key, valid_learner
from hypothesis import given, settings
from hypothesis import strategies as st
from serve_helpers import PtyClient, needs_ssh_client, ssh_argv, start_server  # noqa: F401  (a fixture)
from test_ssh_auth import try_password

HOSTILE = (
    "../../etc/passwd", "..", ".", "/", "a/b", "a\\b", "-rf", "--help", ".hidden", "a b", "a\nb", "a\x00b",
    "\x1b[31mred", "\u202egnp.exe", "é", "José", "李雷", "alice@example.com", "Alice@Example.com",
    "alice@example.org", "alice@", "@example.com", "@", "a@b@c", "x" * 33, "x" * 10_000, "%2e%2e%2f",
    "CON", "a:b", "root;ls", "$(reboot)", "`id`", "alice--0123456789abcdef", "\ud800",
)


def documented_key(name: str) -> str:
    """The rule as docs/classroom.md tells it, written out again here."""
    local = name[:name.rindex("@")] if "@" in name and name.rindex("@") > 0 else name
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", local).lstrip(".-")[:14] or "learner"
    return readable + "--" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def test_plain_names_are_their_own_keys():
    for name in ("alice", "Bob_2", "a.b-c", "_x", "7", "x" * 32, "a--b", "a--0123456789abcdeg"):
        assert learner_key(name) == name


def test_an_e_mail_address_becomes_a_readable_key():
    key = learner_key("alice@example.com")
    assert key == documented_key("alice@example.com")
    assert key.startswith("alice--") and len(key) == len("alice--") + 16
    assert learner_key("alice@example.com") == key  # the same every time, on every server


def test_no_name_is_no_learner():
    assert learner_key("") is None


def test_hostile_names_stay_inside_the_data_dir_and_apart(tmp_path):
    keys = {}
    for name in HOSTILE:
        key = learner_key(name)
        assert key is not None and valid_learner(key), (name, key)
        assert key == (name if valid_learner(name) and not name.endswith("0123456789abcdef")
                       else documented_key(name))
        place = (tmp_path / key).resolve()
        assert place.parent == tmp_path.resolve() and place.name == key  # one plain file name in the folder
        (tmp_path / f"{key}.pub").write_text(name.encode("utf-8", "surrogatepass").hex())
        keys[name] = key
    assert len(set(keys.values())) == len(HOSTILE)  # no two names share a key
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.pub" for k in keys.values())


def test_a_plain_name_cannot_take_a_made_key():
    made = learner_key("alice@example.com")
    assert learner_key(made) != made  # logging in as "alice--ff8d…" is not logging in as alice@example.com
    assert learner_key(made) == documented_key(made)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=2, max_size=30, unique=True))
def test_every_name_has_a_plain_key_and_different_names_have_different_keys(names):
    keys = [learner_key(name) for name in names]
    assert all(key is not None and valid_learner(key) for key in keys)
    assert len(set(keys)) == len(names)


def test_a_password_file_may_name_a_learner_by_e_mail():
    passwords = Passwords.parse("alice@example.com: her-pw\nbob:bobs\n*:class\n")
    assert passwords.check(learner_key("alice@example.com"), "her-pw")
    assert not passwords.check(learner_key("alice@example.com"), "class")
    assert passwords.check("bob", "bobs") and passwords.check("carol", "class")
    assert Passwords.parse("my class:pass word").everyone == "my class:pass word"  # one line: the class password


# -- over SSH ---------------------------------------------------------------------------------------------------
@needs_ssh_client()
def test_an_e_mail_login_over_ssh_keeps_its_progress_under_its_key(start_server):
    server = start_server()
    key = learner_key("alice@example.com")
    client = PtyClient(ssh_argv(server.port, "alice@example.com", "-tt"))
    try:
        client.wait_for(rf"gdtui ready {re.escape(key)} ")
        client.send(b"a")
        client.wait_for("pressed 1")
    finally:
        client.close()
    assert (server.data_dir / "actions.log").read_text().splitlines() == [f"{key} 1"]
    server.wait_log(rf"login user={re.escape(key)} .*name='alice@example\.com'")
    odd = PtyClient(ssh_argv(server.port, "bad$name", "-tt"))  # once refused; now a learner like any other
    try:
        odd.wait_for(rf"gdtui ready {re.escape(documented_key('bad$name'))} ")
    finally:
        odd.close()


@needs_ssh_client()
def test_an_e_mail_login_with_its_own_password(start_server, tmp_path):
    secrets = tmp_path / "class.txt"
    secrets.write_text("alice@example.com:Wonder-1\n*:class-pw\n")
    secrets.chmod(0o600)
    server = start_server("--auth", "password", "--password-file", str(secrets))

    async def attempts():
        return await asyncio.gather(
            asyncio.wait_for(try_password(server.port, "alice@example.com", "Wonder-1"), 60),
            asyncio.wait_for(try_password(server.port, "alice@example.com", "class-pw"), 60),
            asyncio.wait_for(try_password(server.port, learner_key("alice@example.com"), "Wonder-1"), 60),
        )

    # her key typed as a login name is another learner (its own key), with the class password only
    assert asyncio.run(attempts()) == [True, False, False]

