"""JSON Schema (draft 2020-12) for a lesson's front matter, `plot` blocks and `exercise` blocks, built from
the tables the parser itself reads (keys, layers, value limits, answer types), so the two cannot drift.

An editor's YAML support (yaml-language-server in VS Code, Neovim, Helix…) uses these files to complete keys
and flag mistakes as the author types. The parser stays the judge: a schema cannot check an expression, a
template or a self-test, and it accepts a number written as text (`1e-4`, `-pi/2`) as the parser does.
The files ship in the package (gdtui/check/schemas/); `gdtui check --schema DIR` writes them out, and a test
holds the shipped files equal to what `schemas()` builds.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from gdtui.course.chart_link import LINK_KEYS
from gdtui.course.model import ANSWER_TYPES, INTEGER_VALUES, LAYERS, NUMBER_VALUES, TEXT_VALUES, VERDICT_KINDS
from gdtui.course.parse import FRONT_KEYS
from gdtui.course.parse_exercise import (
    ANSWER_KEYS, EXERCISE_KEYS, HINT_KEYS, ID_PATTERN, NAME_PATTERN, PARAM_KINDS, RULE_KEYS, TEST_KEYS,
)
from gdtui.course.parse_plot import CONTROL_KEYS, DATA_KEYS, DATA_KINDS, PLOT_KEYS
from gdtui.course.plots import LIMITS, TEXT_CHOICES
from gdtui.engine.regression import METHODS as FIT_METHODS

BASE = "https://gdtui.invalid/schema/"  # an id, not a place to fetch from: the files come with gdtui
NAMES = ("front-matter", "plot", "exercise")

NUMBER = {"type": ["number", "string"], "description": "a number, or a constant such as 1e-4, -pi/2 or 2/3"}
EXPRESSION = {"type": ["string", "number"], "description": "an expression of the safe language (docs/authoring.md)"}
TEXT = {"type": ["string", "number"]}
PAIR = {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2, "description": "[lo, hi] with lo < hi"}
ID = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}


def _strict(properties: dict, required: tuple[str, ...] = (), **more) -> dict:
    out = {"type": "object", "properties": properties, "additionalProperties": False, **more}
    if required:
        out["required"] = list(required)
    return out


def _keyed(keys, shapes: dict) -> dict:
    """The schema of each key the parser accepts, in the parser's order (a KeyError if one has no shape:
    a test builds every schema, so a key added to the parser and not here fails it)."""
    return {key: shapes[key] for key in keys}


def _text_or_list(item: dict) -> dict:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _limited(key: str) -> dict:
    """A plot value with the parser's own limits (which JSON Schema applies to numbers, not to text)."""
    out = dict(NUMBER)
    if key in INTEGER_VALUES:
        out["type"] = ["integer", "string"]
    lo, hi, lo_open, hi_open = LIMITS.get(key, (None, None, False, False))
    if lo is not None:
        out["exclusiveMinimum" if lo_open else "minimum"] = lo
    if hi is not None:
        out["exclusiveMaximum" if hi_open else "maximum"] = hi
    return out


def front_matter() -> dict:
    shapes = {"id": ID, "title": TEXT, "order": {"type": ["integer", "string"]},
              "objectives": _text_or_list(TEXT), "lang": {"type": "string"}, "requires": _text_or_list(ID)}
    return _strict(_keyed(FRONT_KEYS, shapes), ("id", "title"), title="gdtui lesson front matter")


def plot() -> dict:
    layers = sorted({layer for kind in LAYERS.values() for layer in kind})
    text_choices = {key: sorted(set(choices) | (set(FIT_METHODS) if key == "method" else set()))
                    for key, choices in TEXT_CHOICES.items()}
    ranged = _keyed(CONTROL_KEYS, {"range": PAIR, "step": NUMBER, "log": {"type": "boolean"}})
    control = {"anyOf": [PAIR, _strict(ranged, ("range",)),
                         {"type": "array", "items": {"type": "string"}, "description": "choices of a text value"}]}
    data = _strict(_keyed(DATA_KEYS, {key: NUMBER for key in DATA_KEYS} | {
        "kind": {"enum": list(DATA_KINDS)}, "method": {"enum": list(FIT_METHODS)}, "model": {"type": "string"},
        "loss": {"type": "string"}, "coefs": {"type": "array", "items": NUMBER},
        "points": {"type": "array", "items": {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2}},
        "x": {"type": "array", "items": NUMBER}, "y": {"type": "array", "items": NUMBER}}))
    shapes = {
        "id": ID, "title": TEXT, "f": EXPRESSION, "x": PAIR, "y": PAIR,
        "layers": _text_or_list({"enum": layers}),
        "params": {"type": "object", "propertyNames": {"pattern": f"^{NAME_PATTERN.pattern}$"},
                   "additionalProperties": NUMBER},
        "controls": {"type": "object", "additionalProperties": control},
        "data": data,
        "optimizers": _text_or_list({"enum": list(TEXT_CHOICES["optimizer"])}),
        **{key: _limited(key) for key in NUMBER_VALUES},
        **{key: {"enum": text_choices[key]} for key in TEXT_VALUES},
    }
    return _strict(_keyed(PLOT_KEYS, shapes), title="gdtui plot block")


def exercise() -> dict:
    param = _strict(_keyed(PARAM_KINDS + ("step",), {
        "choose": {"type": "array", "items": NUMBER, "minItems": 1}, "int": PAIR, "range": PAIR,
        "value": EXPRESSION, "step": NUMBER}), minProperties=1)
    field_of = {"type": {}, "value": EXPRESSION, "digits": {"type": ["integer", "string"], "minimum": 1, "maximum": 15,
                "description": "significant figures a typed decimal needs (default 3)"},
                "rtol": {**NUMBER, "minimum": 0}, "atol": {**NUMBER, "minimum": 0},
                "variables": _text_or_list({"type": "string"}), "domain": {"type": "object", "additionalProperties": PAIR},
                "choices": {"type": "array", "items": TEXT, "minItems": 2}}
    answers = []
    for kind in ANSWER_TYPES:
        keys = ANSWER_KEYS[kind]
        props = _keyed(keys, field_of) | {"type": {"const": kind}}
        if kind == "vector":
            props["value"] = {"anyOf": [EXPRESSION, {"type": "array", "items": EXPRESSION, "minItems": 1}]}
        if kind == "choice":
            props["value"] = TEXT
        answers.append(_strict(props, ("type", "value") + (("choices",) if kind == "choice" else ())))
    later = _keyed(HINT_KEYS, {"after": {"type": ["integer", "string"], "minimum": 0}, "text": TEXT})
    hint = {"anyOf": [TEXT, _strict(later, ("text",))]}
    rule = _strict(_keyed(RULE_KEYS, {"when": {"anyOf": [EXPRESSION, {"type": "array", "items": EXPRESSION}]},
                                      "say": TEXT}), RULE_KEYS)
    test = _strict(_keyed(TEST_KEYS, {"input": TEXT, "expect": {"enum": list(VERDICT_KINDS)},
                                      "rule": {"type": "integer", "minimum": 1}}), TEST_KEYS[:2])
    values = {"type": "object", "additionalProperties": {"anyOf": [EXPRESSION, {"type": "array", "items": EXPRESSION}]}}
    chart = _strict(_keyed(LINK_KEYS, {"plot": ID, "shown": values, "answered": values, "solved": values}), ("plot",))
    shapes = {
        "id": ID, "title": TEXT, "prompt": TEXT,
        "params": {"type": "object", "propertyNames": {"pattern": f"^{NAME_PATTERN.pattern}$"},
                   "additionalProperties": param},
        "answer": {"oneOf": answers}, "hints": {"type": "array", "items": hint},
        "feedback": {"type": "array", "items": rule}, "solution": TEXT,
        "tests": {"type": "array", "items": test}, "chart": chart, "moved_from": ID,
    }
    return _strict(_keyed(EXERCISE_KEYS, shapes), ("id", "prompt", "answer"), title="gdtui exercise block")


def schemas() -> dict[str, dict]:
    """File name → schema, for each kind of YAML in a lesson."""
    out = {}
    for name, build in zip(NAMES, (front_matter, plot, exercise)):
        out[f"{name}.schema.json"] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                                      "$id": f"{BASE}{name}.schema.json", **build()}
    return out


def schema_text(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def shipped(name: str) -> str:
    """The text of a schema file as shipped in the package."""
    return files("gdtui.check").joinpath("schemas", name).read_text(encoding="utf-8")


def write_schemas(folder: Path, out, err) -> int:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas().items():
            (folder / name).write_text(schema_text(schema), encoding="utf-8")
            print(f"wrote {folder / name}", file=out)
    except OSError as exc:
        print(f"gdtui check --schema: cannot write {exc.filename or folder}: {exc.strerror or exc}", file=err)
        return 1
    return 0
