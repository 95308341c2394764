"""Stable problem codes for `gdtui check` and the lesson parser: E1xx the file and its YAML, E2xx fields,
E3xx expressions and values, E4xx what only checking every variant finds, W1xx warnings.

The parser writes its messages where it finds a problem and does not know these codes; a code is given to
a message by the first row of `CODES` whose pattern it matches (for its severity; E4xx and E900 rows
first). The rows are the one list of codes: docs/authoring.md lists the same codes and titles (a test
holds them together), and a test parses and checks a corpus of broken lessons and asserts that no message
falls through to E100 or W100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    pattern: str  # searched in the message

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"


CODES: tuple[Code, ...] = (
    # ---- the file, its YAML and its structure
    Code("E101", "bad YAML", r"^bad YAML|^YAML tags|^a key must be a plain word|^unsupported YAML"),
    Code("E102", "duplicate YAML key", r"^duplicate key '"),
    Code("E103", "block too large or nested too deeply", r"^this block is (too large|nested too deeply)"),
    Code("E104", "no front matter, or never closed", r"^a lesson starts with front matter|^the front matter is never closed"),
    Code("E105", "a block is not key: value lines", r"^the front matter holds|block holds 'key: value' lines"),
    Code("E106", "a block is never closed", r"^this \S+ block is never closed"),
    Code("E107", "an empty block", r"^this (plot|exercise) block is empty"),
    Code("E108", "duplicate id", r"^duplicate (plot|exercise|lesson) id"),
    Code("E109", "requires names no lesson", r"^requires: no lesson has the id"),
    Code("E110", "the file or folder cannot be read",
         r"^the file is larger than|^not UTF-8 text|^cannot read the file|^no such (file|folder)|^no lesson files"),
    # ---- fields
    Code("E201", "unknown key", r"unknown key '"),
    Code("E202", "missing or empty field", r"missing '[^']+'|: is empty$"),
    Code("E203", "wrong kind of value", r"expected (text|a list|a mapping|an expression|a number|one number|"
                                        r"\[lo, hi\]|\[x, y\]|true or false|\{|a list of|whole numbers|"
                                        r"a finite number|at least two|the values)|, got (a|text|nothing|true)"),
    Code("E204", "value out of range", r"is out of range|is reversed or empty|must be positive|"
                                       r"the start value .* is outside|is beyond steps|is beyond the walk's last step"),
    Code("E205", "not one of the choices", r"unknown (answer type|verdict|layer|optimizer|data kind|model|loss|"
                                           r"method|schedule|aspect|(?!name |key )\w+ ')|is not one of the (choices|variables)|"
                                           r"is not among the choices"),
    Code("E206", "unusable id or name", r"is not a usable id|cannot be a (param|variable) name|"
                                        r"is both a param and a variable|listed twice|each optimizer once|"
                                        r"same text|is not a plot value"),
    Code("E207", "a layer does not fit the plot", r"^layers: layer '|^f: a regression plot|"
                                                  r"list at least one layer|not both"),
    Code("E208", "a param is not drawn as written", r"give exactly one of|step goes with range|gives more than|"
                                                    r"whole number; use whole-number bounds|step is a factor"),
    Code("E209", "the answer's shape", r"components but the answer has|one value, not a list|"
                                       r"vector answer needs a list|give at least two choices|is one number, not a list|"
                                       r"gives a table of numbers|guess is the learner's answer|one number, not a list"),
    Code("E210", "a chart link without values", r"give the values this exercise sets on the plot"),
    # ---- expressions and values
    Code("E301", "unknown name", r"unknown name '"),
    Code("E302", "an expression that cannot be read", r"column \d+: |^f must give one number|\{= .*\}: "),
    Code("E303", "a template or computed value is not a number",
         r"^template \{|\{= .*\} is |is (nan|inf|-inf|undefined)( |$)|, not a whole number"),
    Code("E304", "f has no derivative or value there", r"cannot take its derivative|has no derivative|is not defined"),
    # ---- what only checking every variant finds
    Code("E401", "a self-test gets another verdict", r"^tests\[\d+\]: '"),
    Code("E402", "the answer is undefined at sample points", r"is defined at only \d+ of"),
    Code("E403", "a descent or regression cannot run", r"path cannot run|cannot build this regression"),
    # ---- a translated lesson against its English twin
    Code("E501", "a translation's maths differs from its English twin", r"English twin"),
    Code("E900", "internal error (please report it)", r"^internal error"),
    Code("E100", "other error", r""),
    # ---- warnings
    Code("W101", "an exercise has no hints", r"has no hints"),
    Code("W102", "an exercise has no solution", r"has no solution"),
    Code("W103", "a feedback rule gives the right answer", r"gives the right answer|'when' is the right choice"),
    Code("W104", "two feedback rules coincide", r"coincides with feedback\["),
    Code("W105", "two exercises drive the same plot", r"also drives plot '"),
    Code("W106", "a value is outside the chart or a control's range", r"outside the (x|y) range|outside the range of"),
    Code("W107", "the right answer falls off the chart", r"off the chart"),
    Code("W108", "a hyperparameter no optimizer uses", r"is not used by"),
    Code("W109", "a control cannot reach a value the prose names", r"cannot be set to it|never gets back to the inputs"),
    Code("W110", "a lesson has no twin in the other language", r"^no \w+ twin"),
    Code("W111", "a number the English twin does not state", r"is not in the English twin's prose; a slip"),
    Code("W112", "emphasis that will show its asterisks", r"will show its asterisks"),
    Code("W100", "other warning", r""),
)

BY_CODE = {c.code: c for c in CODES}
# The checker's own findings (E4xx, E900) quote what went wrong inside them ("the adam path cannot run: lr must be
# positive"), so their rows are tried first; then the table in order, the catch-all rows last.
_COMPILED = [(c, re.compile(c.pattern)) for c in sorted(CODES, key=lambda c: c.code[:2] not in ("E4", "E9"))]


def code_of(message: str, severity: str = "error") -> str:
    """The stable code of a problem's message (E100 or W100 when no row matches)."""
    for entry, pattern in _COMPILED:
        if entry.severity == severity and pattern.search(message):
            return entry.code
    return "W100" if severity == "warning" else "E100"  # pragma: no cover - the empty patterns match first
