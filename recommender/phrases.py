"""Fans' words: match a phrase to a trope, a genre, a network or a format when it is not an exact id, name or alias.

The stages, each tried only when the one before finds nothing, and each answering only when
it finds exactly one trope:

1. exact: the normalised id, name or an alias (`Index.lookup_trope`);
2. the same words in any order, plurals and filler words ("a", "the", "show"...) aside:
   "trips to jeju" finds "Jeju trip"; then the same for fans' variants of the words
   (`variants`: "ML" is "male lead", and "genius male lead" may be "genius lead");
3. (in `query` only) a genre, network or format by name: "fantasy", "netflix", "web drama";
4. whole-word containment: every word of the phrase is in one trope's name or alias
   ("cohabitation" finds "Forced cohabitation"). A phrase with words of its own beyond a
   trope's ("jeju iland") is not matched, only suggested: no word the user typed is ignored.

What matches several tropes is not guessed: the error lists them. A phrase that starts with a
negation ("no sad ending") asks to leave a trope out, and the error says so. Suggestions for a
phrase that matches nothing come from shared words first, then close spellings, and never
from a weak resemblance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from recommender.errors import NotFoundError
from recommender.index import MAX_NAME
from recommender.text import clip, did_you_mean, normalise

if TYPE_CHECKING:
    from recommender.index import Index

FILLER = frozenset(
    {"a", "an", "the", "of", "to", "for", "about", "with", "and", "in", "on", "at", "show", "drama", "kdrama"}
    | {"k", "please", "original", "some", "any", "like", "want"}
)
NEGATIONS = ("no", "not", "without", "don't want", "dont want", "anything but", "never", "nothing", "no more")
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


MALE = frozenset({"man", "guy", "boy", "male", "he", "him", "his", "men", "hero", "prince", "king"})
FEMALE = frozenset({"woman", "girl", "female", "she", "her", "lady", "women", "heroine", "princess", "queen"})
Key = frozenset[str] | tuple[str, ...]


def ordered_words(text: str) -> list[str]:
    """The meaningful words of a phrase in order: case-folded, singular, filler words left out."""
    found = (singular(w) for w in _WORD.findall(text.casefold()))
    return [w for w in found if w not in FILLER]


def words(text: str) -> frozenset[str]:
    """The meaningful words of a phrase, in any order."""
    return frozenset(ordered_words(text))


def key(text: str) -> Key:
    """What stage 2 compares: the set of a phrase's words, or their order where it names both a man and a woman.

    Order matters there: "rich man, poor woman" is not "rich woman, poor man".
    """
    found = ordered_words(text)
    both = not MALE.isdisjoint(found) and not FEMALE.isdisjoint(found)
    return tuple(dict.fromkeys(found)) if both else frozenset(found)


def key_text(text: str) -> str:
    """`key` as one string, as the index stores it: sorted words, or "=" and the words in order."""
    found = key(text)
    return "=" + " ".join(found) if isinstance(found, tuple) else " ".join(sorted(found))


def within(wanted: Key, name: Key) -> bool:
    """Whether every word of `wanted` is in `name` (stage 4); in the same order where `wanted` is ordered."""
    if not isinstance(wanted, tuple):
        return wanted <= set(name)
    if not isinstance(name, tuple):
        return False
    rest = iter(name)
    return all(word in rest for word in wanted)


def _table(index: Index) -> list[tuple[int, Key]]:
    """(trope column, key) for every id, name and alias, from the word keys stored in the index (once an index)."""
    cache = "phrases:table"
    if cache not in index._cache:
        keys, owners = index.text("trope_words").tolist(), index.arrays["trope_words_owner"].tolist()
        index._cache[cache] = [
            (col, tuple(k[1:].split()) if k.startswith("=") else frozenset(k.split()))
            for k, col in zip(keys, owners)
        ]
    table: list[tuple[int, Key]] = index._cache[cache]
    return table


def negated(phrase: str) -> str | None:
    """The rest of a phrase that starts with a negation ("no sad ending" -> "sad ending"), else None."""
    text = phrase.strip().casefold()
    for word in NEGATIONS:
        if text.startswith(word + " ") and len(text) > len(word) + 1:
            return phrase.strip()[len(word) + 1 :].strip()
    return None


ABBREVIATIONS = {
    "ml": "male lead",
    "fl": "female lead",
    "sml": "second male lead",
    "sfl": "second female lead",
    "mls": "male leads",
    "fls": "female leads",
    "sls": "second lead syndrome",
    "mc": "lead",
    "bff": "best friend",
    "rom": "romance",
    "&": "and",
}
GENDERED_LEAD = re.compile(
    r"\b(?:male|female) (?:lead|protagonist|character)s?\b|\b(?:heroine|hero|protagonist|main character)s?\b"
)


def variants(phrase: str) -> list[str]:
    """Other ways to read a fan's phrase: abbreviations spelled out, then a gendered lead as any lead.

    "ML falls first" -> "male lead falls first"; "genius male lead" -> "genius lead" (tried only
    after the gendered phrase itself, so "rich female lead" keeps its own meaning).
    """
    text = " ".join(ABBREVIATIONS.get(w, w) for w in re.split(r"[\s/]+", phrase.casefold()) if w)
    found = [text] if text != phrase.casefold() else []
    plain = GENDERED_LEAD.sub("lead", text)
    return found + ([plain] if plain != text else [])


def same_words(index: Index, phrase: str) -> list[int]:
    """Stage 2: the tropes with exactly the phrase's words, or those of its first variant that has any."""
    for text in (phrase, *variants(phrase)):
        found = index.tropes_with_words(key_text(text)) if words(text) else []
        if found:
            return sorted(found)
    return []


def candidates(index: Index, phrase: str) -> list[int]:
    """The tropes a phrase names by stages 2 and 4 (one: a match; several: ambiguous), in column order."""
    if not words(phrase):
        return []
    wanted = key(phrase)
    return same_words(index, phrase) or sorted({col for col, ws in _table(index) if within(wanted, ws)})


def resolve(index: Index, phrase: str) -> int | None:
    """The one trope a phrase names by stages 2 and 4, or None."""
    found = candidates(index, phrase)
    return found[0] if len(found) == 1 else None


# --- genres, networks and formats -------------------------------------------------


@dataclass(frozen=True)
class Format:
    """A kind of show fans ask for by its shape: "short" (few episodes), "web" (short episodes)."""

    name: str
    label: str
    max_episodes: int | None = None
    max_minutes: int | None = None


FORMATS = {
    "short": Format("short", "at most 12 episodes", max_episodes=12),
    "web": Format("web", "episodes of at most 35 minutes", max_minutes=35),
}
FORMAT_PHRASES = {
    "short": (
        "short",
        "short series",
        "miniseries",
        "mini series",
        "mini",
        "limited series",
        "few episodes",
        "shorts",
        "drama special",
    ),
    "web": ("web", "web series", "webdrama", "webseries", "short episodes", "web drama series"),
}


@dataclass(frozen=True)
class Label:
    """A phrase read as a filter: a genre or a network as the catalog writes it, or a format's name."""

    kind: str  # "genre", "network" or "format"
    name: str


def _labels(index: Index) -> dict[str, Label]:
    """Every genre, network and format phrase, by normalised name and by word set, computed once an index."""
    key = "phrases:labels"
    if key not in index._cache:
        table: dict[str, Label] = {}
        entries = [(name, "format", fmt) for fmt, names in FORMAT_PHRASES.items() for name in names]
        for kind in ("network", "genre"):
            entries += [(shown, kind, shown) for shown in index.text(f"label_{kind}s").tolist()]
        for name, kind, shown in entries:
            spelled = name.replace("+", " plus")
            for k in (
                normalise(name),
                normalise(spelled),
                normalise(name.rstrip("0123456789")),
                " ".join(sorted(words(spelled))),
            ):
                table.setdefault(k, Label(kind, shown))
        index._cache[key] = table
    labels: dict[str, Label] = index._cache[key]
    return labels


def _compounds(index: Index) -> dict[str | Key, list[int]]:
    """The taxonomy's `phrases` (one phrase, several tropes) by normalised text and by key, computed once an index."""
    cache = "phrases:compounds"
    if cache not in index._cache:
        table: dict[str | Key, list[int]] = {}
        for n, phrase in enumerate(index.text("trope_phrases").tolist()):
            cols = [
                c
                for c in (index.lookup_trope(t) for t in index.items("trope_phrase_tropes", n))
                if c is not None
            ]
            table.setdefault(normalise(phrase), cols)
            table.setdefault(key(phrase), cols)
        index._cache[cache] = table
    compounds: dict[str | Key, list[int]] = index._cache[cache]
    return compounds


def named_tropes(index: Index, phrase: str) -> list[int]:
    """The tropes a phrase names exactly or by the same words (stages 1 and 2): one trope, or a compound phrase's."""
    found = index.lookup_trope(phrase)
    if found is not None:
        return [found]
    compounds = _compounds(index)
    if normalise(phrase) in compounds:
        return compounds[normalise(phrase)]
    same = same_words(index, phrase)
    if len(same) == 1:
        return same
    if not same:
        for text in (phrase, *variants(phrase)):
            if words(text) and key(text) in compounds:
                return compounds[key(text)]
    return []


def read_phrase(index: Index, phrase: str, contained: bool = True) -> list[int] | Label | None:
    """The trope columns, or the genre, network or format, that a whole phrase names by stages 1 to 4, or None.

    `contained=False` skips stage 4, for a request whose words are read clause by clause.
    """
    found = named_tropes(index, phrase)
    if found:
        return found
    if len(same_words(index, phrase)) > 1:
        return None
    named = label(index, phrase)
    if named is not None:
        return named
    single = resolve(index, phrase) if contained else None
    return None if single is None else [single]


def label(index: Index, phrase: str) -> Label | None:
    """The genre, network or format a phrase names ("fantasy", "Netflix", "web series"), or None."""
    table = _labels(index)
    return table.get(normalise(phrase)) or table.get(" ".join(sorted(words(phrase))) or "\0")


def shared_words(index: Index, phrase: str, limit: int = 3) -> list[int]:
    """Tropes sharing the most words with a phrase (at least one), best first."""
    wanted = words(phrase)
    scores: dict[int, int] = {}
    for col, ws in _table(index):
        overlap = len(wanted.intersection(ws))
        if overlap:
            scores[col] = max(scores.get(col, 0), overlap)
    return sorted(scores, key=lambda c: (-scores[c], c))[:limit]


def only_without(index: Index, phrase: str, unwanted: list[int]) -> NotFoundError:
    """The error for a request that only says what to leave out: it needs a trope to rank by, and `--not` does the rest."""
    if not unwanted:
        return not_found(index, phrase)
    flags = " ".join(f"--not {index.trope_id(c)}" for c in dict.fromkeys(unwanted))
    return NotFoundError(
        f'"{clip(phrase)}" only says what to leave out: name what you want as well '
        f'("jeju trip, {clip(phrase, 40)}"), or add {flags} to a query or to `like`'
    )


def not_found(index: Index, phrase: str) -> NotFoundError:
    """The error for a phrase that names no single trope, with the best hint there is."""
    shown = f'"{clip(phrase)}"'
    rest = negated(phrase)
    if rest is not None:
        target = index.lookup_trope(rest)
        target = target if target is not None else resolve(index, rest)
        if target is not None:
            return only_without(index, phrase, [target])
    several = candidates(index, phrase)
    if len(several) > 1:
        ids = [index.trope_id(c) for c in several[:5]]
        return NotFoundError(f"{shown} could be any of several tropes{did_you_mean(ids)}: name one")
    if index.lookup_show(phrase) is not None:
        return NotFoundError(f"no trope called {shown} ({shown} is a show: try `recommender like {shown}`)")
    close = [index.trope_id(c) for c in shared_words(index, phrase)]
    hint = did_you_mean(close) or index.close_tropes(phrase)
    return NotFoundError(f"no trope called {shown}{hint or ': `recommender tropes WORD` searches them'}")


# --- free text ------------------------------------------------------------------

CLAUSE = re.compile(r"[,;.!?]+|\s+(?:and|or|plus)\s+|(?<!anything)\s+but\s+", re.IGNORECASE)
TOKEN = re.compile(r"[\s/]+")
HEAD_NOUNS = frozenset(
    {"drama", "story", "stories", "series", "show", "shows", "trope", "vibe", "vibes", "plot"}
)
MAX_SPAN = 5  # words in the longest trope name looked for inside a clause


@dataclass(frozen=True)
class Understood:
    """How a request in fans' words was read: tropes wanted and left out, the filters it named, the words ignored."""

    tropes: list[str]
    without: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def line(self) -> str:
        """'understood: a, b; not: c; genre: Fantasy; ignored: "on", "please"', for people."""
        parts = [f"understood: {', '.join(self.tropes) or '-'}"]
        for name, values in (
            ("not", self.without),
            ("genre", self.genres),
            ("network", self.networks),
            ("format", [f"{f} ({FORMATS[f].label})" for f in self.formats]),
        ):
            parts += [f"{name}: {', '.join(values)}"] if values else []
        parts += [f"ignored: {', '.join(repr(w) for w in self.ignored)}"] if self.ignored else []
        return "; ".join(parts)


@dataclass
class Request:
    """What `read_request` found: trope columns wanted and to leave out, filters, and the words that named nothing."""

    wanted: list[int] = field(default_factory=list)
    unwanted: list[int] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def extend(self, other: Request) -> None:
        self.wanted += other.wanted
        self.unwanted += other.unwanted
        self.labels += other.labels
        self.ignored += other.ignored

    def understood(self, index: Index) -> Understood:
        def of(kind: str) -> list[str]:
            return list(dict.fromkeys(lab.name for lab in self.labels if lab.kind == kind))

        return Understood(
            list(dict.fromkeys(index.trope_id(c) for c in self.wanted)),
            list(dict.fromkeys(index.trope_id(c) for c in self.unwanted)),
            of("genre"),
            of("network"),
            of("format"),
            self.ignored,
        )


def is_free_text(phrase: str) -> bool:
    """Whether a query argument reads as a request rather than one trope's name: a comma, or three words or more."""
    return bool(re.search(r"[,;]", phrase)) or len(TOKEN.split(phrase.strip())) >= 3


def read_request(index: Index, text: str) -> Request:
    """The tropes, filters and ignored words of a request in fans' words.

    The text is cut into clauses (commas, "and", "but"...). A clause that is itself a trope's
    name is that trope ("no romance"); otherwise one that starts with a negation ("no", "not",
    "without", "don't want", "anything but") names tropes to leave out. Inside a clause, the
    longest runs of words that name a trope, a genre, a network or a format are taken first.
    """
    request = Request()
    for clause in CLAUSE.split(text):
        clause = clause.strip()
        if not clause:
            continue
        whole = named_tropes(index, clause)
        if whole:
            request.wanted += whole
            continue
        rest = negated(clause)
        target = request.unwanted if rest is not None else request.wanted
        tokens = [w for w in TOKEN.split(rest if rest is not None else clause) if w]
        start = 0
        while start < len(tokens):
            for end in range(min(len(tokens), start + MAX_SPAN), start, -1):
                span = " ".join(tokens[start:end])
                found = named_tropes(index, span)
                named = label(index, span) if not found and rest is None else None
                if found:
                    target += found
                    end += end < len(tokens) and tokens[end].casefold() in HEAD_NOUNS
                elif named is not None:
                    request.labels.append(named)
                else:
                    continue
                start = end
                break
            else:
                if words(tokens[start]):
                    request.ignored.append(tokens[start])
                start += 1
    request.wanted = list(dict.fromkeys(request.wanted))
    request.unwanted = list(dict.fromkeys(request.unwanted))
    return request


def read_arguments(index: Index, tropes: Sequence[str]) -> tuple[Request, bool]:
    """What the query's arguments ask for, and whether any was read as fans' words rather than a trope.

    Each argument is a trope (by id, name, alias or fans' words), a genre, network or format, or a
    request in free text (`read_request`); two words are read as a request only when both
    name something ("netflix zombies", but not "jeju iland"). An argument that is none of these is
    an error.
    """
    request = Request()
    free = False
    for name in tropes:
        found = read_phrase(index, name, contained=not is_free_text(name)) if len(name) <= MAX_NAME else None
        if isinstance(found, list):
            request.wanted += found
            free = free or len(found) > 1
            continue
        if found is not None:
            request.labels.append(found)
            free = True
            continue
        if len(name) <= MAX_NAME and len(TOKEN.split(name.strip())) > 1:
            part = read_request(index, name)
            if (part.wanted or part.unwanted or part.labels) and (is_free_text(name) or not part.ignored):
                request.extend(part)
                free = True
                continue
        single = resolve(index, name) if len(name) <= MAX_NAME and is_free_text(name) else None
        if single is None:
            raise not_found(index, name)
        request.wanted.append(single)
    return request, free


def understand(index: Index, arguments: str | Sequence[str]) -> Understood:
    """How `query` reads its arguments (a phrase, or several): the tropes, exclusions and filters."""
    request, _ = read_arguments(index, [arguments] if isinstance(arguments, str) else arguments)
    return request.understood(index)
