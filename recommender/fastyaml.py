"""A fast reader for the plain subset of YAML that show files are written in.

PyYAML builds every value in Python: over the bundled show files (about 1 KB each) it takes
about 0.3 ms a file even with libyaml (CSafeLoader), and `load` about 0.14 ms, roughly twice
as fast (timeit over all 303 files in shows/; the figures vary with the machine). Show files
mostly use a tiny subset of YAML: `key: plain or "quoted" scalar`, `key: [plain, list]`, a
folded `key: >-` paragraph and a `tropes:` block of `  trope-id: number` lines. `load` reads
exactly that subset (a `  # comment` after an unquoted value included) and returns None for
anything else (escapes, comments after a quoted value, nested blocks, anchors, duplicate keys,
tabs, CR, control, format, private-use or unassigned characters, any separator but the ASCII
space...), so the caller falls back to PyYAML: the result is always what PyYAML would return,
and where PyYAML raises an error `load` returns None (the tests check it on every bundled show
and on generated tricky documents).
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_TOP = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ENTRY = re.compile(r"  ([A-Za-z0-9][A-Za-z0-9_-]*): +(\S+)")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*|\.[0-9]+")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_RESOLVER = Resolver()
_RESOLVED_FIRST = set(_RESOLVER.yaml_implicit_resolvers)  # first characters of ints, floats, bools, nulls
_STR = "tag:yaml.org,2002:str"
_MAX_KEY = 1000  # libyaml rejects a simple key longer than 1024 characters
_MAX_DIGITS = 4000  # int() refuses more than 4300 digits (sys.get_int_max_str_digits) with a ValueError


class _Fallback(Exception):
    """The text is outside the subset: let PyYAML read it."""


def _scalar(text: str, in_flow: bool = False) -> Any:
    """A plain or simply quoted scalar as PyYAML would resolve it, or _Fallback."""
    quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
    special = '"\\' if text[:1] == '"' else "'"  # an apostrophe is plain inside double quotes
    if quoted and not any(c in text[1:-1] for c in special):
        if in_flow and any(c in text for c in ",[]{}"):
            raise _Fallback
        return text[1:-1]
    if _INT.fullmatch(text):
        return _int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if (
        not text
        or text[0] in _INDICATORS
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\t" in text
        or (in_flow and any(c in text for c in ",[]{}"))
    ):
        raise _Fallback
    if text[0] in _RESOLVED_FIRST and _RESOLVER.resolve(ScalarNode, text, (True, False)) != _STR:
        raise _Fallback
    return text


def _int(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise _Fallback  # PyYAML raises ValueError: let it
    return int(text)


_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}  # YAML 1.1 reads them as a bool or null


def _plain_key(text: str) -> bool:
    """True for a key PyYAML certainly reads as this same string."""
    return bool(_KEY.fullmatch(text)) and text.lower() not in _KEY_WORDS and len(text) <= _MAX_KEY


def _value(text: str) -> Any:
    if text.startswith("["):
        if not text.endswith("]"):
            raise _Fallback
        inner = text[1:-1].strip(" ")
        return [_scalar(item.strip(" "), in_flow=True) for item in inner.split(",")] if inner else []
    return _scalar(text)


def load(text: str) -> dict[str, Any] | None:
    """The mapping a show file holds, or None when it is not in the subset (use PyYAML)."""
    try:
        return _load(text)
    except _Fallback:
        return None


def _load(text: str) -> dict[str, Any]:
    lines = text.split("\n")
    # Only printable characters (and the "\n" split on): str.isprintable() is False for every
    # control character (C0 but for "\n", "\r", DEL, C1 with NEL), format character (BOM, zero-width
    # space, soft hyphen), surrogate, private-use or unassigned code point, and every separator but
    # the ASCII space (U+00A0, U+2000-U+200A, U+3000, U+2028, U+2029). PyYAML rejects some of those and
    # reads others as line breaks or a byte order mark: none is worth matching here.
    if not all(map(str.isprintable, lines)):
        raise _Fallback
    data: dict[str, Any] = {}
    n = 0
    while n < len(lines):
        line = lines[n].rstrip(" ")
        n += 1
        if not line or line.startswith("#"):
            continue
        top = _TOP.fullmatch(line)
        if top is None:
            raise _Fallback
        key, rest = top.group(1), top.group(2)
        if rest is not None and " #" in rest:
            head = rest.partition(" #")[0].rstrip(" ")
            if not head or any(c in head for c in "'\"#"):
                raise _Fallback  # a comment after a quoted value, or a value that is all comment
            rest = head
        if key in data or len(key) > _MAX_KEY or not isinstance(_scalar(key), str):
            raise _Fallback
        if rest in (">-", ">"):
            block = []
            while n < len(lines) and lines[n].startswith("  ") and lines[n].strip(" "):
                block.append(lines[n])
                n += 1
            if not block or any(b[2] == " " or b[-1] == " " for b in block):
                raise _Fallback  # more indented or trailing spaces: folded differently
            after = n
            while after < len(lines) and not lines[after].strip(" "):
                if len(lines[after]) > 2:
                    raise _Fallback  # a blank line more indented than the block is kept as content
                after += 1
            # `>` clips to one final line break, but only if the last line has one
            data[key] = " ".join(b[2:] for b in block) + ("\n" if rest == ">" and n < len(lines) else "")
        elif rest is None:
            entries: dict[str, Any] = {}
            while n < len(lines) and lines[n].startswith(" "):
                entry = _ENTRY.fullmatch(lines[n].rstrip(" "))
                if entry is None or entry.group(1) in entries or not _plain_key(entry.group(1)):
                    raise _Fallback
                number = entry.group(2)
                if _INT.fullmatch(number):
                    entries[entry.group(1)] = _int(number)
                elif _FLOAT.fullmatch(number):
                    entries[entry.group(1)] = float(number)
                else:
                    raise _Fallback
                n += 1
            data[key] = entries or None
        else:
            data[key] = _value(rest)
    if not data:
        raise _Fallback
    return data
