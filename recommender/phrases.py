"""Fans' words for tropes: match a phrase to a trope when it is not an exact id, name or alias.

The stages, each tried only when the one before finds nothing, and each answering only when
it finds exactly one trope:

1. exact: the normalised id, name or an alias (`Index.lookup_trope`);
2. the same words in any order, plurals and filler words ("a", "the", "show"...) aside:
   "trips to jeju" finds "Jeju trip";
3. whole-word containment: every word of the phrase is in one trope's name or alias
   ("cohabitation" finds "Forced cohabitation"). A phrase with words of its own beyond a
   trope's ("jeju iland") is not matched, only suggested: no word the user typed is ignored.

What matches several tropes is not guessed: the error lists them. A phrase that starts with a
negation ("no sad ending") asks to leave a trope out, and the error says so. Suggestions for a
phrase that matches nothing come from shared words first, then close spellings, and never
from a weak resemblance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from recommender.errors import NotFoundError
from recommender.text import clip, did_you_mean

if TYPE_CHECKING:
    from recommender.index import Index

FILLER = frozenset(
    {"a", "an", "the", "of", "to", "for", "about", "with", "and", "in", "on", "at", "show", "drama", "kdrama"}
)
NEGATIONS = ("no", "not", "without", "don't want", "dont want", "anything but", "never")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def singular(word: str) -> str:
    """A word's singular, by the plain English rules fans' plurals follow ("trips", "ladies", "boxes")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> frozenset[str]:
    """The meaningful words of a phrase: case-folded, singular, filler words left out."""
    found = (singular(w) for w in _WORD.findall(text.casefold()))
    return frozenset(w for w in found if w not in FILLER)


def _table(index: Index) -> list[tuple[int, frozenset[str]]]:
    """(trope column, words) for every id, name and alias, computed once an index."""
    key = "phrases:table"
    if key not in index._cache:
        rows = []
        for col in range(index.n_tropes):
            for name in (index.trope_id(col).replace("-", " "), index.trope_name(col), *index.aliases(col)):
                if words(name):
                    rows.append((col, words(name)))
        index._cache[key] = rows
    table: list[tuple[int, frozenset[str]]] = index._cache[key]
    return table


def negated(phrase: str) -> str | None:
    """The rest of a phrase that starts with a negation ("no sad ending" -> "sad ending"), else None."""
    text = phrase.strip().casefold()
    for word in NEGATIONS:
        if text.startswith(word + " ") and len(text) > len(word) + 1:
            return phrase.strip()[len(word) + 1 :].strip()
    return None


def candidates(index: Index, phrase: str) -> list[int]:
    """The tropes a phrase names by stages 2 and 3 (one: a match; several: ambiguous), in column order."""
    wanted = words(phrase)
    if not wanted:
        return []
    table = _table(index)
    same = sorted(_by_words(index).get(wanted, ()))
    return same or sorted({col for col, ws in table if wanted <= ws})


def resolve(index: Index, phrase: str) -> int | None:
    """The one trope a phrase names by stages 2 and 3, or None."""
    found = candidates(index, phrase)
    return found[0] if len(found) == 1 else None


def shared_words(index: Index, phrase: str, limit: int = 3) -> list[int]:
    """Tropes sharing the most words with a phrase (at least one), best first."""
    wanted = words(phrase)
    scores: dict[int, int] = {}
    for col, ws in _table(index):
        overlap = len(wanted & ws)
        if overlap:
            scores[col] = max(scores.get(col, 0), overlap)
    return sorted(scores, key=lambda c: (-scores[c], c))[:limit]


def not_found(index: Index, phrase: str) -> NotFoundError:
    """The error for a phrase that names no single trope, with the best hint there is."""
    shown = f'"{clip(phrase)}"'
    rest = negated(phrase)
    if rest is not None:
        target = index.lookup_trope(rest)
        target = target if target is not None else resolve(index, rest)
        if target is not None:
            return NotFoundError(
                f"{shown} asks to leave a trope out: filter out {index.trope_id(target)} instead of asking for it"
            )
    several = candidates(index, phrase)
    if len(several) > 1:
        ids = [index.trope_id(c) for c in several[:5]]
        return NotFoundError(f"{shown} could be any of several tropes{did_you_mean(ids)}: name one")
    if index.lookup_show(phrase) is not None:
        return NotFoundError(
            f"no trope called {shown} ({shown} is a show: `recommender like` finds shows like it)"
        )
    close = [index.trope_id(c) for c in shared_words(index, phrase)]
    hint = did_you_mean(close) or index.close_tropes(phrase)
    return NotFoundError(f"no trope called {shown}{hint or ': `recommender tropes` lists them'}")


# --- free text ------------------------------------------------------------------

CLAUSE = re.compile(r"[,;.!?]+|\s+(?:and|but|or|plus)\s+", re.IGNORECASE)
MAX_SPAN = 5  # words in the longest trope name looked for inside a clause


@dataclass(frozen=True)
class Understood:
    """How a request in fans' words was read: the tropes wanted, those to leave out, the words ignored."""

    tropes: list[str]
    without: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def line(self) -> str:
        """'understood: a, b; not: c; ignored: "on", "please"', for people."""
        parts = [f"understood: {', '.join(self.tropes) or '-'}"]
        parts += [f"not: {', '.join(self.without)}"] if self.without else []
        parts += [f"ignored: {', '.join(repr(w) for w in self.ignored)}"] if self.ignored else []
        return "; ".join(parts)


def is_free_text(phrase: str) -> bool:
    """Whether a query argument reads as a request rather than one trope's name: a comma, or three words or more."""
    return bool(re.search(r"[,;]", phrase)) or len(phrase.split()) >= 3


def _span_trope(index: Index, span: list[str]) -> int | None:
    text = " ".join(span)
    found = index.lookup_trope(text)
    return found if found is not None else (resolve_same_words(index, text))


def resolve_same_words(index: Index, phrase: str) -> int | None:
    """The one trope whose id, name or an alias has exactly the phrase's words (stage 2 only)."""
    found = _by_words(index).get(words(phrase), ())
    return next(iter(found)) if len(found) == 1 else None


def _by_words(index: Index) -> dict[frozenset[str], set[int]]:
    """Each word set of `_table` and the tropes that have it, computed once an index."""
    key = "phrases:by_words"
    if key not in index._cache:
        table: dict[frozenset[str], set[int]] = {}
        for col, ws in _table(index):
            table.setdefault(ws, set()).add(col)
        index._cache[key] = table
    by_words: dict[frozenset[str], set[int]] = index._cache[key]
    return by_words


def read_request(index: Index, text: str) -> tuple[list[int], list[int], list[str]]:
    """Trope columns wanted, trope columns to leave out, and the words that named nothing, from a request.

    The text is cut into clauses (commas, "and", "but"...); a clause that starts with a negation
    ("no", "not", "without", "don't want", "anything but") names tropes to leave out. Inside a
    clause, the longest runs of words that name a trope are taken first.
    """
    wanted: list[int] = []
    unwanted: list[int] = []
    ignored: list[str] = []
    for clause in CLAUSE.split(text):
        clause = clause.strip()
        if not clause:
            continue
        rest = negated(clause)
        target = unwanted if rest is not None else wanted
        tokens = (rest if rest is not None else clause).split()
        start = 0
        while start < len(tokens):
            for end in range(min(len(tokens), start + MAX_SPAN), start, -1):
                found = _span_trope(index, tokens[start:end])
                if found is not None:
                    target.append(found)
                    start = end
                    break
            else:
                if words(tokens[start]):
                    ignored.append(tokens[start])
                start += 1
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(unwanted)), ignored
