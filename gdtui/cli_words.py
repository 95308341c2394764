"""argparse's own words ("usage:", "options:", "show this help message and exit", its error lines) from our
catalogue.

argparse translates them with ``gettext.gettext`` under the "argparse" domain, for which gdtui ships no
compiled catalogue. ``argparse_words()`` points argparse's module-level ``_`` / ``ngettext`` at ours for the
length of a ``with`` block, and only for the messages listed here (any other text argparse asks about goes
to gettext as before). The command line wraps both building the parser and parsing in it: argparse looks
some words up while building (the "options" heading, the -h help) and the rest while printing.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from gdtui.i18n import N_, _, ngettext

# argparse's msgids, exactly as Python 3.11–3.13 spells them (%-placeholders: argparse fills them itself)
WORDS = frozenset((
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
))


def translate(message: str) -> str:
    """argparse's word in the current language; text we do not list goes to gettext as argparse would."""
    if message in WORDS:
        return _(message)
    return _GETTEXT(message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":  # argparse's one plural message a learner may meet
        return ngettext("expected %s argument", "expected %s arguments", n)
    return _NGETTEXT(singular, plural, n)


_GETTEXT = argparse._  # type: ignore[attr-defined]
_NGETTEXT = argparse.ngettext  # type: ignore[attr-defined]


@contextmanager
def argparse_words() -> Iterator[None]:
    """argparse speaks the current language inside the block; outside it, as it did before."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
