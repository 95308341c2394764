"""The SSH server's host key: created in the data dir on first start (mode 0600), reused ever after."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import asyncssh

log = logging.getLogger("gdtui.serve.ssh")

HOST_KEY_NAME = "ssh_host_ed25519_key"


def load_or_create_host_key(data_dir: Path) -> asyncssh.SSHKey:
    """The server's ed25519 host key, created (mode 0600) on first start and reused after."""
    path = data_dir / HOST_KEY_NAME
    if not path.exists():
        key = asyncssh.generate_private_key("ssh-ed25519", comment="gdtui host key")
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.export_private_key())
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temp, path)  # atomic; loses cleanly to a server started at the same moment
            except FileExistsError:
                pass
        finally:
            os.unlink(temp)
        pub = path.with_name(path.name + ".pub")
        if not pub.exists():
            pub.write_bytes(key.export_public_key())
    if path.stat().st_mode & 0o077:
        log.warning("host key %s was readable by others; setting its mode to 0600", path)
        os.chmod(path, 0o600)
    return asyncssh.read_private_key(str(path))
