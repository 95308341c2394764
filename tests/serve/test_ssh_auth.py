"""Logging in: a class password or per-learner passwords, authorized keys (one file or one per learner)."""

from __future__ import annotations

import asyncio
import os
import subprocess

import asyncssh
import pytest
from gdtui.serve._auth import Passwords, PasswordFileError, authorized_keys_text, valid_learner
from serve_helpers import (
    WAIT,
    PtyClient,
    client_env,
    needs_ssh_client,
    ssh_argv,
    start_server,  # noqa: F401  (a fixture)
    wait_until,
)

# -- the rules, without a server ------------------------------------------------------------------------


def test_learner_names():
    for name in ("alice", "Bob_2", "a.b-c", "_x", "7", "x" * 32):
        assert valid_learner(name)
    for name in ("", "-rf", ".hidden", "a b", "a/b", "é", "x" * 33, "a\nb", "a:b", "root;ls"):
        assert not valid_learner(name)


def test_password_file_formats():
    single = Passwords.parse("  correct horse  \n")
    assert single.check("anyone", "correct horse") and not single.check("anyone", "correct")
    mixed = Passwords.parse("# class 3B\nalice:wonder:land\n*:classpw\n\nbob:builder\n")
    assert mixed.check("alice", "wonder:land") and not mixed.check("alice", "classpw")
    assert mixed.check("bob", "builder") and mixed.check("carol", "classpw")
    only = Passwords.parse("alice:a1\nbob:b2\n")
    assert not only.check("carol", "a1") and not only.check("carol", "")
    for bad in ("", "# nothing\n", "alice:a\nnot a pair\n", "alice:\n"):
        with pytest.raises(PasswordFileError):
            Passwords.parse(bad)


def test_authorized_keys_file_or_folder(tmp_path):
    line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO2ZbWjAUUFxoflCfsZH6hDPBsvb1Jn9V0mtIIg1pBf8 alice\n"
    (tmp_path / "keys").write_text(line)
    assert authorized_keys_text(tmp_path / "keys", "anyone") == line
    folder = tmp_path / "per-learner"
    folder.mkdir()
    (folder / "alice.pub").write_text(line)
    assert authorized_keys_text(folder, "alice") == line
    assert authorized_keys_text(folder, "bob") is None
    (tmp_path / "empty").write_text("# nobody yet\n")
    assert authorized_keys_text(tmp_path / "empty", "alice") is None


# -- against a running server ---------------------------------------------------------------------------

needs_ssh = needs_ssh_client()


async def try_password(port: int, user: str, password: str) -> bool:
    try:
        async with asyncssh.connect("127.0.0.1", port, username=user, password=password, known_hosts=None,
                                    client_keys=None, agent_path=None, config=None, preferred_auth="password"):
            return True
    except asyncssh.PermissionDenied:
        return False


def askpass_env(tmp_path, password: str) -> dict[str, str]:
    script = tmp_path / f"askpass-{abs(hash(password))}.sh"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' '{password}'\n")
    script.chmod(0o700)
    return client_env(SSH_ASKPASS=str(script), SSH_ASKPASS_REQUIRE="force", DISPLAY=":0")


@needs_ssh
def test_password_auth(start_server, tmp_path):
    secrets = tmp_path / "class.txt"
    secrets.write_text("alice:Wonder-1\n*:class-pw\n")
    secrets.chmod(0o600)
    server = start_server("--auth", "password", "--password-file", str(secrets))

    async def attempts():
        return await asyncio.gather(
            try_password(server.port, "alice", "Wonder-1"),
            try_password(server.port, "alice", "class-pw"),  # alice has her own
            try_password(server.port, "bob", "class-pw"),
            try_password(server.port, "bob", "wrong"),
        )

    assert asyncio.run(attempts()) == [True, False, True, False]

    options = ["-tt", "-o", "BatchMode=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
               "-o", "NumberOfPasswordPrompts=1"]
    good = PtyClient(ssh_argv(server.port, "alice", *options), env=askpass_env(tmp_path, "Wonder-1"))
    try:
        good.wait_for(r"gdtui ready alice")
    finally:
        good.close()
    wrong = subprocess.run(ssh_argv(server.port, "alice", *options[1:]), capture_output=True, text=True,
                           timeout=WAIT, stdin=subprocess.DEVNULL, env=askpass_env(tmp_path, "nope"))
    assert wrong.returncode == 255 and "Permission denied" in wrong.stderr

    wait_until(lambda: server.log.count("reason=wrong password") >= 3, what="the refusals")
    for secret in ("Wonder-1", "class-pw", "nope"):
        assert secret not in server.log


def make_key(tmp_path, name: str):
    key = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


@needs_ssh
def test_key_auth_with_a_key_per_learner(start_server, tmp_path):
    alice_key, other_key = make_key(tmp_path, "alice_key"), make_key(tmp_path, "other_key")
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "alice.pub").write_text(alice_key.with_suffix(".pub").read_text())
    server = start_server("--auth", "keys", "--authorized-keys", str(folder))

    def login(user, key):
        argv = ssh_argv(server.port, user, "-i", str(key), "-o", "PreferredAuthentications=publickey",
                        command=["true"])
        return subprocess.run(argv, capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL,
                              env=client_env())

    mine = PtyClient(ssh_argv(server.port, "alice", "-tt", "-i", str(alice_key)))
    try:
        mine.wait_for(r"gdtui ready alice")
    finally:
        mine.close()
    for user, key in (("alice", other_key), ("bob", alice_key)):  # a wrong key; alice's key for bob
        result = login(user, key)
        assert result.returncode == 255 and "Permission denied" in result.stderr, result
    wait_until(lambda: server.log.count("reason=no authorized key") >= 2, what="the refusals")


@needs_ssh
def test_key_auth_with_one_shared_file(start_server, tmp_path):
    key, stranger = make_key(tmp_path, "lab_key"), make_key(tmp_path, "stranger")
    shared = tmp_path / "authorized_keys"
    shared.write_text(key.with_suffix(".pub").read_text())
    server = start_server("--auth", "keys", "--authorized-keys", str(shared))
    clients = [PtyClient(ssh_argv(server.port, user, "-tt", "-i", str(key))) for user in ("ann", "ben")]
    try:
        for client, user in zip(clients, ("ann", "ben")):
            client.wait_for(f"gdtui ready {user}")
    finally:
        for client in clients:
            client.close()
    refused = subprocess.run(ssh_argv(server.port, "ann", "-i", str(stranger), command=["true"]),
                             capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL,
                             env=client_env())
    assert refused.returncode == 255 and "Permission denied" in refused.stderr


def test_server_refuses_to_start_without_its_files(tmp_path):
    import sys

    for args, message in (
        (["--auth", "password"], "--password-file"),
        (["--auth", "password", "--password-file", str(tmp_path / "missing")], "cannot read"),
        (["--auth", "keys"], "--authorized-keys"),
    ):
        result = subprocess.run([sys.executable, "-m", "gdtui", "serve", "ssh", "--listen", "127.0.0.1:0",
                                 "--data-dir", str(tmp_path / "data"), *args],
                                capture_output=True, text=True, timeout=WAIT)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not os.path.exists(tmp_path / "data" / "ssh_host_ed25519_key")


def test_spaces_around_a_password_are_not_part_of_it():
    passwords = Passwords.parse("bob:  pw with spaces \n carol : x:y \n")
    assert passwords.per_learner == {"bob": "pw with spaces", "carol": "x:y"}
    assert passwords.check("bob", "pw with spaces") and not passwords.check("bob", " pw with spaces")


@needs_ssh
def test_a_password_with_spaces_logs_in_over_ssh(start_server, tmp_path):
    secrets = tmp_path / "class.txt"
    secrets.write_text("bob: pw with spaces \n")
    secrets.chmod(0o600)
    server = start_server("--auth", "password", "--password-file", str(secrets))
    options = ["-tt", "-o", "BatchMode=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
               "-o", "NumberOfPasswordPrompts=1"]
    client = PtyClient(ssh_argv(server.port, "bob", *options), env=askpass_env(tmp_path, "pw with spaces"))
    try:
        client.wait_for(r"gdtui ready bob")
    finally:
        client.close()


def test_a_key_file_name_is_not_a_second_identity(tmp_path):
    folder = tmp_path / "keys"
    folder.mkdir()
    line = make_key(tmp_path, "alice_key").with_suffix(".pub").read_text()
    (folder / "alice.pub").write_text(line)
    assert authorized_keys_text(folder, "alice") == line
    assert authorized_keys_text(folder, "alice.pub") is None


@needs_ssh
def test_a_learners_key_does_not_log_in_as_her_key_file(start_server, tmp_path):
    alice_key = make_key(tmp_path, "alice_key")
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "alice.pub").write_text(alice_key.with_suffix(".pub").read_text())
    server = start_server("--auth", "keys", "--authorized-keys", str(folder))
    argv = ssh_argv(server.port, "alice.pub", "-tt", "-i", str(alice_key), "-o", "PreferredAuthentications=publickey")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL,
                            env=client_env())
    assert result.returncode == 255 and "Permission denied" in result.stderr, result
    server.wait_log(r"refuse user=alice\.pub .*reason=no authorized key")
    assert not list(server.data_dir.glob("facts-alice.pub-*.json"))
