"""Name matching shared by titles and tropes: normalisation and "did you mean"."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w+]+|_+", re.UNICODE)  # "+" tells "Hospital Playlist++" (season 2) apart


def normalise(name: object) -> str:
    """Case- and punctuation-insensitive key: "What's Wrong..." -> "whatswrong..."."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return _NON_WORD.sub("", text)


def slugify(title: str) -> str:
    """File-name slug of a title: accents dropped, lower case, runs of other characters become one hyphen."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def suggest(name: str, candidates: dict[str, str], limit: int = 3) -> list[str]:
    """Display names whose keys are closest to `name`; `candidates` maps key -> display name."""
    import difflib

    key = normalise(name)
    close = difflib.get_close_matches(key, list(candidates), n=limit * 3, cutoff=0.6)
    if len(key) >= 3:
        close += [k for k in candidates if k.startswith(key) or key in k]
    seen: list[str] = []
    for k in close:
        shown = candidates[k]
        if shown not in seen:
            seen.append(shown)
    return seen[:limit]


def did_you_mean(options: list[str]) -> str:
    """' (did you mean "A" or "B"?)' or '' when there is nothing close."""
    if not options:
        return ""
    quoted = [f'"{o}"' for o in options]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {joined}?)"


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NO_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, newlines: bool = True) -> str:
    """`text` safe to print on a terminal: control characters (ESC, BEL, bidi overrides...) shown escaped, as \\x1b."""
    pattern = _CONTROL if newlines else _CONTROL_NO_NEWLINE
    return pattern.sub(lambda m: ascii(m.group())[1:-1], text)


def control_character(text: str) -> str | None:
    """The first control character in `text` (tab and newline included), escaped, or None."""
    found = _CONTROL_NO_NEWLINE.search(text)
    return ascii(found.group())[1:-1] if found else None


def char_width(char: str) -> int:
    """Columns a character takes on a terminal: 2 for wide East Asian characters, 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal (Hangul and other wide characters count two)."""
    return len(text) if text.isascii() else sum(map(char_width, text))


def clip(text: str, limit: int = 80) -> str:
    """`text` cut to `limit` characters for a message (with how long it really was)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"
