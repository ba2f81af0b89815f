"""Browsing without a seed: the catalog listed through the ranking commands' filters, the values
the filters accept (genres, networks) with counts, and the taxonomy searched or one trope in full.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from recommender import filters as filtering
from recommender.details import TropeInfo, TropeListing, trope_info
from recommender.errors import NotFoundError, UsageError
from recommender.filters import Filters
from recommender.index import Index
from recommender.text import clip, did_you_mean, normalise, suggest

OPTIONAL = {"omit_empty": True}
SORTS = ("title", "year", "hours")


@dataclass(frozen=True)
class ShowRow:
    id: str
    title: str
    year: int
    network: str
    episodes: int
    hours: float | None
    genres: list[str]


@dataclass(frozen=True)
class ShowListing:
    """The shows that pass the filters (and the search), in the order asked for."""

    shows: list[ShowRow]
    matched: int
    catalog: int
    notes: list[str] = field(default_factory=list, metadata=OPTIONAL)
    warnings: list[str] = field(default_factory=list, metadata=OPTIONAL)


@dataclass(frozen=True)
class Facet:
    name: str
    shows: int


@dataclass(frozen=True)
class FacetListing:
    """The values a filter accepts (`kind` is "genre" or "network"), most shows first."""

    kind: str
    facets: list[Facet]
    catalog: int


@dataclass(frozen=True)
class TropeShow:
    id: str
    title: str
    year: int
    weight: float


@dataclass(frozen=True)
class TropeDetails:
    """One trope in full, with every show that has it (heaviest first)."""

    trope: TropeInfo
    shows: list[TropeShow]


def hours(index: Index, row: int) -> float | None:
    minutes = int(index.minutes[row])
    return round(int(index.episodes[row]) * minutes / 60, 1) if minutes else None


def searchable(index: Index, row: int) -> str:
    """Everything a text search looks in: titles, aliases, synopsis, cast, writer and director."""
    facts = index.facts(row)
    parts = [index.title(row), index.network(row)]
    for value in facts.values():
        parts += value if isinstance(value, list) else [value]
    return " ".join(parts).casefold()


def list_shows(
    index: Index,
    filters: Filters | None = None,
    search: str = "",
    sort: str = "title",
    top: int | None = None,
) -> ShowListing:
    """The catalog's shows that pass `filters` and whose text holds every word of `search`."""
    if sort not in SORTS:
        raise UsageError(f"unknown sort '{sort}': use one of {', '.join(SORTS)}")
    passing = filtering.apply(index, filters or Filters())
    rows = np.flatnonzero(passing.allowed).tolist()
    words = search.casefold().split()
    if words:
        rows = [r for r in rows if all(w in searchable(index, r) for w in words)]
    notes = list(passing.notes)
    if words:
        notes.append(f'search: "{clip(search)}" in titles, aliases, synopsis and credits')
    keys = {
        "title": lambda r: index.title(r).casefold(),
        "year": lambda r: (-int(index.years[r]), index.title(r).casefold()),
        "hours": lambda r: (hours(index, r) or 0.0, index.title(r).casefold()),
    }
    rows.sort(key=keys[sort])
    matched = len(rows)
    shown = rows if top is None else rows[:top]
    notes.append(
        f"{matched} of {index.n_shows} shows" + (f", showing {len(shown)}" if len(shown) < matched else "")
    )
    return ShowListing(
        [
            ShowRow(
                index.show_id(r),
                index.title(r),
                int(index.years[r]),
                index.network(r),
                int(index.episodes[r]),
                hours(index, r),
                index.items("show_genres", r),
            )
            for r in shown
        ],
        matched,
        index.n_shows,
        notes,
        passing.warnings,
    )


def facets(index: Index, kind: str) -> FacetListing:
    """Every genre or network in the catalog with how many shows it has (a show on two networks counts on both)."""
    labels = {"genre": filtering.genre_labels, "network": filtering.network_labels}
    if kind not in labels:
        raise UsageError(f"unknown facet '{kind}': use genre or network")
    owners, keys, display = labels[kind](index)
    counts = Counter(dict.fromkeys(zip(keys.tolist(), owners.tolist())))  # a show once per label
    per_label = Counter(k for k, _ in counts)
    items = sorted(per_label.items(), key=lambda kv: (-kv[1], display[kv[0]].casefold()))
    return FacetListing(kind, [Facet(display[k], n) for k, n in items], index.n_shows)


def search_tropes(index: Index, words: str) -> TropeListing:
    """Tropes whose id, name, aliases or description hold every word of `words`."""
    wanted = words.casefold().split()
    listing = [
        info
        for info in (trope_info(index, j) for j in range(index.n_tropes))
        if all(
            w in " ".join([info.id, info.name, info.description, *info.aliases]).casefold() for w in wanted
        )
    ]
    if not listing:
        close = suggest(words, {k: index.trope_id(j) for j, k in _trope_keys(index)})
        hint = did_you_mean(close) or ": `recommender tropes` lists them all"
        raise NotFoundError(f'no trope mentions "{clip(words)}"{hint}')
    return TropeListing(listing, search=words)


def _trope_keys(index: Index) -> list[tuple[int, str]]:
    return [
        (j, normalise(name))
        for j in range(index.n_tropes)
        for name in (index.trope_id(j), index.trope_name(j))
    ]


def trope_details(index: Index, name: str) -> TropeDetails:
    """One trope by id, name or alias: its description, aliases and every show that has it."""
    column = index.lookup_trope(name)
    if column is None:
        raise NotFoundError(f'no trope called "{clip(name)}"{index.close_tropes(name)}')
    rows = index.shows_with(column).tolist()
    raw = [index.raw_row(r)[column] for r in rows]
    shows = [TropeShow(index.show_id(r), index.title(r), int(index.years[r]), w) for r, w in zip(rows, raw)]
    shows.sort(key=lambda s: (-s.weight, s.title.casefold()))
    return TropeDetails(trope_info(index, column), shows)
