"""Who may log in to the classroom server: learner names, the password file, authorized keys.

The SSH user name is the learner's identity, so it must be a plain name. Passwords are compared in constant
time and never logged. Both files are read again at each login, so a teacher can add a student mid-lesson.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path


# Letters, digits, '.', '_' and '-', at most 32, not starting with '-' or '.' (no option look-alikes,
# no hidden-file names).
LEARNER_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,31}")



# A learner key made from another name ends in "--" and 16 hex digits; a plain name that ends so is mapped too.
MAPPED_KEY = re.compile(r".*--[0-9a-f]{16}")
READABLE = 14  # characters of the name kept in front of its digest


def valid_learner(name: str) -> bool:
    return LEARNER_NAME.fullmatch(name) is not None


def learner_key(name: str) -> str | None:
    """The learner a login name (SSH user, a login proxy's user) keeps its progress under; None for no name.

    A plain learner name is its own key. Any other name (``alice@example.com``, ``José``, ``../x``) becomes
    its first letters that are allowed in a name (up to the last ``@``, at most 14) + ``--`` + the first 16
    hex digits of the SHA-256 of the name as given (UTF-8): ``alice--ff8d9819fc0e12bf``. Keys are always
    plain names (no ``/``, not starting with ``.`` or ``-``), so no key can leave a folder it is used in; a
    plain name never ends in ``--`` and 16 hex digits (one that does is mapped like any other), so a made
    key never equals a typed one; and two made keys are equal only if SHA-256 agrees in 64 bits for two
    different names (less than one chance in a billion among 100,000 such learners; nobody can pick a name
    that matches another's key). Nothing is folded: ``Alice@x`` and ``alice@x`` are two learners.
    """
    if not name:
        return None
    if valid_learner(name) and MAPPED_KEY.fullmatch(name) is None:
        return name
    local = name.rpartition("@")[0] or name
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", local).lstrip(".-")[:READABLE] or "learner"
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{readable}--{digest}"


def _email_like(name: str) -> bool:
    """A password file's NAME that is a login name with an ``@`` (and no space): ``alice@example.com``."""
    return "@" in name and not any(c.isspace() for c in name)


def printable(name: str) -> str:
    """A user name as it may appear in a log line: plain names as they are, anything else quoted."""
    return name if valid_learner(name) else repr(name[:64])


class PasswordFileError(ValueError):
    """The password file cannot be used; str() says which line and what to do."""


@dataclass(frozen=True)
class Passwords:
    """A class password (``everyone``) and/or per-learner passwords (``per_learner``).

    File format: blank lines and lines starting with ``#`` are skipped; ``NAME:PASSWORD`` gives learner NAME
    (a plain name, or a login name with an ``@`` such as ``alice@example.com``; kept by its learner key) a
    password; ``*:PASSWORD`` is the class password for every other name; a file with exactly one other
    line holds just the class password (which may then contain ':' only if written as ``*:...``).
    Spaces around a name and around a password are not part of it (``bob:  pw with spaces `` gives bob the
    password ``pw with spaces``): a password is what is between the first ':' and the end of the line, trimmed.
    """

    everyone: str | None = None
    per_learner: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, source: str = "password file") -> "Passwords":
        lines = [
            (number, line.strip())
            for number, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.strip().startswith("#")
        ]
        everyone: str | None = None
        per_learner: dict[str, str] = {}
        for number, line in lines:
            name, sep, secret = line.partition(":")
            name, secret = name.strip(), secret.strip()
            if sep and (name == "*" or valid_learner(name) or _email_like(name)):
                if not secret:
                    raise PasswordFileError(f"{source}:{number}: empty password for {name!r}")
                if name == "*":
                    everyone = secret
                else:
                    per_learner[learner_key(name)] = secret
            elif len(lines) == 1:
                everyone = line
            else:
                raise PasswordFileError(
                    f"{source}:{number}: expected NAME:PASSWORD (or *:PASSWORD for the class password)"
                )
        if everyone is None and not per_learner:
            raise PasswordFileError(f"{source}: no password in the file")
        return cls(everyone, per_learner)

    @classmethod
    def load(cls, path: Path) -> "Passwords":
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PasswordFileError(f"{path}: cannot read the password file ({error})") from None
        return cls.parse(text, str(path))

    def check(self, learner: str, password: str) -> bool:
        """``learner``: the learner key (``learner_key`` of the login name)."""
        expected = self.per_learner.get(learner, self.everyone)
        if expected is None:
            hmac.compare_digest(password.encode(), b"\0" * 16)  # the same work either way
            return False
        return hmac.compare_digest(password.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def authorized_keys_text(path: Path, learner: str) -> str | None:
    """The authorized_keys lines that may log in as ``learner``; None when there are none.

    ``path`` is either one authorized_keys file (any key in it may use any learner name: a closed lab with
    keys the teacher handed out) or a folder holding ``NAME.pub`` (or ``NAME``) per learner, where a key
    logs in only as its own learner: the login ``alice.pub`` reads only ``alice.pub.pub``, never alice's key
    file ``alice.pub`` (which would make her key a second identity).
    """
    if path.is_dir():
        candidates = [path / f"{learner}.pub"]
        if not learner.endswith(".pub"):
            candidates.append(path / learner)
    else:
        candidates = [path]
    texts = []
    for candidate in candidates:
        try:
            texts.append(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    text = "\n".join(texts)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        return None
    return text
