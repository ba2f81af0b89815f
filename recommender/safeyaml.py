"""The one YAML loader every file we read goes through: catalog files and ratings files.

It is PyYAML's safe loader (libyaml's when installed) with three refusals that plain YAML
does not make: anchors and aliases (`&a` / `*a`: a few hundred bytes of nested aliases
expand to gigabytes, the "billion laughs"), duplicate keys (YAML keeps the last silently)
and keys that are not text (so `1` and `'1'` cannot name two different things or collapse
into one). Each refusal, like a syntax error, is a `YamlError` naming the line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


class YamlError(Exception):
    """A file that is not YAML we accept: what is wrong and, when known, the 1-based line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _StrictLoader(_BASE):
    """Refuses duplicate, non-text and merge keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ConstructorError(None, None, "merge keys (<<) are not allowed", key_node.start_mark)
            if key_node.tag != _STR:
                raise ConstructorError(
                    None, None, f"key {key_node.value!r} is not text: quote it", key_node.start_mark
                )
            if key_node.value in seen:
                raise ConstructorError(
                    None, None, f"duplicate key '{key_node.value}': keep one", key_node.start_mark
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)


class _NoAliasLoader(_StrictLoader):
    """Also refuses anchors and aliases; only needed when the text has an `&` or a `*` at all."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # only an alias reaches a node a second time
            raise ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not allowed", node.start_mark
            )
        return super().construct_object(node, deep)


def load(text: str) -> Any:
    """The document in `text`, or a YamlError (syntax, alias, duplicate or non-text key) with its line."""
    try:
        loader = _NoAliasLoader if "&" in text or "*" in text else _StrictLoader
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(str(what), mark.line + 1 if mark is not None else None) from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
