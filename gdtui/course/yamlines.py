"""YAML that remembers where things are: mappings and lists that know the file line of each key and item.

Only PyYAML's safe composer runs on lesson text (`yaml.compose` with `SafeLoader`), then this module builds
plain containers itself, so no tag can construct a Python object. Anchors and aliases are allowed but the
expanded size is capped, so a "billion laughs" file is an error line, not a hang.
"""

from __future__ import annotations

import yaml

MAX_NODES = 5000
MAX_DEPTH = 30
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
}


_CONTAINER_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
# tags the safe resolver gives plain scalars by itself (2024-01-01, <<, =): kept as the text written
_IMPLICIT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}


class YamlProblem(Exception):
    def __init__(self, line: int, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.column = column  # 1-based, where the YAML reader knows it


class YMap(dict):
    """A mapping with `line` (its own), `key_lines`, `value_lines` and `raw` (scalar text as written)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.value_lines: dict[str, int] = {}
        self.raw: dict[str, str | None] = {}


# libyaml's safe loader when PyYAML was built with it (about ten times faster); the same safe rules either way.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YList(list):
    """A list with `line`, `item_lines` and `raw` (scalar text as written, None for containers)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []
        self.raw: list[str | None] = []


class _Builder:
    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def line(self, node) -> int:
        return self.first_line + node.start_mark.line

    def build(self, node, depth: int = 0):
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(self.line(node), f"this block is too large (more than {MAX_NODES} values)")
        if depth > MAX_DEPTH:
            raise YamlProblem(self.line(node), f"this block is nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in _CONTAINER_TAGS and not isinstance(node, yaml.ScalarNode):
            raise YamlProblem(self.line(node), f"YAML tags such as '{_short(node.tag)}' are not allowed")
        if isinstance(node, yaml.SequenceNode):
            out = YList(self.line(node))
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.item_lines.append(self.line(item))
                out.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)
            return out
        if isinstance(node, yaml.MappingNode):
            out = YMap(self.line(node))
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem(self.line(key_node), "a key must be a plain word")
                key = str(key_node.value)
                if key in out:
                    raise YamlProblem(self.line(key_node), f"duplicate key '{key}' (first on line {out.key_lines[key]})")
                out[key] = self.build(value_node, depth + 1)
                out.key_lines[key] = self.line(key_node)
                out.value_lines[key] = self.line(value_node)
                out.raw[key] = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            return out
        raise YamlProblem(self.line(node), "unsupported YAML")  # pragma: no cover - composer makes only these

    def scalar(self, node):
        tag = node.tag
        if tag not in _SCALAR_TAGS:  # outside YAML's core schema: !!python/name:…, !!binary, !foo
            if tag in _IMPLICIT_TAGS:
                return str(node.value)
            raise YamlProblem(self.line(node), f"YAML tags such as '{_short(tag)}' are not allowed")
        return self.constructor.construct_object(node, deep=True)


def load_yaml(text: str, first_line: int):
    """Parse one YAML document; `first_line` is the file line of the text's first line.

    Returns plain values, with `YMap`/`YList` for containers. Raises `YamlProblem` for anything wrong."""
    try:
        try:
            node = yaml.compose(text, Loader=_SAFE_LOADER)
        except yaml.YAMLError:  # read it again with the pure-Python loader: its messages say more
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        problem = exc.problem or exc.context or "cannot read this"
        column = mark.column + 1 if mark is not None else None
        raise YamlProblem(line, f"bad YAML: {problem}{_yaml_hint(problem)}", column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"bad YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(first_line, "bad YAML: nested too deeply") from None
    if node is None:
        return None
    try:
        return _Builder(first_line).build(node)
    except YamlProblem:
        raise
    except RecursionError:
        raise YamlProblem(first_line, "bad YAML: nested too deeply") from None
    except Exception as exc:  # a constructor error on an odd scalar
        raise YamlProblem(first_line, f"bad YAML: {exc}") from None


def _short(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return " (put quotes around text that contains ': ')"
    if "found character '\\t'" in problem:
        return " (indent with spaces, not tabs)"
    return ""
