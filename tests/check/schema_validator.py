"""A small JSON Schema validator: the keywords gdtui's schemas use (draft 2020-12 meanings), nothing more.

An unknown keyword is an error here, so a schema cannot silently use something this validator skips."""

from __future__ import annotations

import re

KNOWN = {"$schema", "$id", "title", "description", "type", "properties", "additionalProperties", "required",
         "enum", "const", "anyOf", "oneOf", "items", "minItems", "maxItems", "minimum", "maximum",
         "exclusiveMinimum", "exclusiveMaximum", "pattern", "propertyNames", "minProperties"}


def _is(value, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "integer":
        return number and float(value).is_integer()
    if kind == "number":
        return number
    raise ValueError(f"unknown type {kind}")


def errors(schema: dict, value, where: str = "") -> list[str]:
    """Every place `value` breaks `schema`, as 'path: what'."""
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError(f"keywords this validator does not know: {sorted(unknown)}")
    out: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, k) for k in kinds):
            return [f"{where}: {value!r} is not {' or '.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} is not {schema['const']!r}")
    for key in ("anyOf", "oneOf"):
        if key in schema:
            passing = sum(not errors(s, value, where) for s in schema[key])
            if passing == 0 or (key == "oneOf" and passing > 1):
                out.append(f"{where}: {value!r} matches {passing} of the {key} choices")
    if _is(value, "number"):
        for key, ok in (("minimum", value >= schema.get("minimum", value)),
                        ("maximum", value <= schema.get("maximum", value)),
                        ("exclusiveMinimum", "exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"]),
                        ("exclusiveMaximum", "exclusiveMaximum" not in schema or value < schema["exclusiveMaximum"])):
            if not ok:
                out.append(f"{where}: {value} breaks {key} {schema[key]}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            out.append(f"{where}: {len(value)} items")
        for i, item in enumerate(value):
            if "items" in schema:
                out += errors(schema["items"], item, f"{where}[{i}]")
    if isinstance(value, dict):
        out += [f"{where}: missing {key}" for key in schema.get("required", ()) if key not in value]
        if len(value) < schema.get("minProperties", 0):
            out.append(f"{where}: fewer than {schema['minProperties']} keys")
        for key, item in value.items():
            if "propertyNames" in schema:
                out += errors(schema["propertyNames"], key, f"{where}.{key} (name)")
            if key in schema.get("properties", {}):
                out += errors(schema["properties"][key], item, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                out.append(f"{where}: unknown key {key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += errors(schema["additionalProperties"], item, f"{where}.{key}")
    return out
