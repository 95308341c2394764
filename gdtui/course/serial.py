"""A parsed course as JSON and back, for the app's start-up cache.

Only the course model's own frozen dataclasses, tuples, mappings, paths and plain JSON values are written
or read: decoding builds nothing outside that allow-list, so a tampered cache file can at worst fail to
load (and the lessons are then read from their files). No pickle, nothing executable.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from gdtui.course import model

_CLASSES = {cls.__name__: cls for cls in vars(model).values()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__}


class CacheError(ValueError):
    """The text is not a course this module wrote."""


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), separators=(",", ":"), allow_nan=True)


def loads(text: str) -> Any:
    try:
        return _decode(json.loads(text))
    except CacheError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise CacheError(f"not a course cache: {exc}") from None


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if dataclasses.is_dataclass(value) and type(value).__name__ in _CLASSES:
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$": type(value).__name__, "fields": fields}
    if isinstance(value, (tuple, list)):
        return {"$": "tuple" if isinstance(value, tuple) else "list", "items": [_encode(v) for v in value]}
    if isinstance(value, model.FrozenMap) or isinstance(value, dict):
        kind = "frozenmap" if isinstance(value, model.FrozenMap) else "dict"
        return {"$": kind, "items": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return {"$": "path", "value": str(value)}
    raise CacheError(f"cannot store a {type(value).__name__} in the course cache")


def _decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        raise CacheError("a bare list where a tagged value was expected")
    tag = data["$"]
    if tag == "tuple":
        return tuple(_decode(v) for v in data["items"])
    if tag == "list":
        return [_decode(v) for v in data["items"]]
    if tag in ("frozenmap", "dict"):
        pairs = [(_decode(k), _decode(v)) for k, v in data["items"]]
        return model.FrozenMap(dict(pairs)) if tag == "frozenmap" else dict(pairs)
    if tag == "path":
        return Path(data["value"])
    cls = _CLASSES.get(tag)
    if cls is None:
        raise CacheError(f"unknown type {tag!r} in the course cache")
    return cls(**{name: _decode(v) for name, v in data["fields"].items()})
