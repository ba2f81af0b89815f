"""Filters: which shows may appear in a ranking, as a boolean mask over the index's rows.

Every filter is optional and they combine with AND. A year range keeps shows first broadcast
in it (ends included, either end open); `networks` keeps shows on any of the networks named
(a show listed on "TVING, tvN" is on both); `genres` keeps shows with every genre named;
`writers`, `directors` and `cast` keep shows with any of the people named (lead cast only);
`max_episodes` keeps shows with at most that many, `max_minutes` those whose episodes run
at most that long and `max_hours` those whose episodes add up to at most that many hours (a
show whose file gives no episode length passes neither); `exclude` and `seen` drop the shows named;
`without` drops every show that has one of the tropes named, at any weight. Networks and genres
match case- and punctuation-insensitively. An unknown title, trope, network or genre is an
error, except in `seen` (a list the user keeps), where it is a warning and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from recommender.errors import NotFoundError, UsageError
from recommender.index import Index
from recommender.text import clip, did_you_mean, normalise, suggest

Years = tuple[int | None, int | None]

_YEARS = re.compile(r"^\s*(?:(\d{1,4})|(\d{1,4})?\s*\.\.\s*(\d{1,4})?)\s*$")


@dataclass(frozen=True)
class Filters:
    """Which shows may appear; the defaults filter nothing."""

    years: Years | None = None
    networks: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    max_episodes: int | None = None
    max_minutes: int | None = None
    exclude: tuple[str, ...] = ()
    seen: tuple[Seen | str, ...] = ()
    without: tuple[str, ...] = ()
    seen_from: str = ""  # where the seen titles came from, for the notes ("seen.txt")
    writers: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    max_hours: float | None = None


@dataclass(frozen=True)
class Seen:
    """A title the user has seen, and where they wrote it ("seen.txt:3"), for warnings."""

    title: str
    where: str = ""


@dataclass(frozen=True)
class Passing:
    """The mask of shows that pass, what was applied (`notes`) and what was skipped (`warnings`)."""

    allowed: np.ndarray
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_years(text: str) -> Years:
    """'2015..2020', '2015..', '..2020' or '2016' as (first, last); None is an open end."""
    found = _YEARS.match(text)
    if not found or not any(found.groups()):
        raise UsageError(
            f'invalid year range "{clip(text)}": give a year or a range such as 2015..2020, 2015.. or ..2020'
        )
    single, first, last = found.groups()
    if single:
        return int(single), int(single)
    lo, hi = (int(first) if first else None), (int(last) if last else None)
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f'invalid year range "{text}": it runs backwards (did you mean {hi}..{lo}?)')
    return lo, hi


def format_years(years: Years) -> str:
    lo, hi = years
    return str(lo) if lo == hi else f"{'' if lo is None else lo}..{'' if hi is None else hi}"


def year_mask(year: np.ndarray, years: Years) -> np.ndarray:
    """Shows first broadcast within the range, ends included."""
    lo, hi = years
    keep = np.ones(len(year), dtype=bool)
    if lo is not None:
        keep &= year >= lo
    if hi is not None:
        keep &= year <= hi
    return keep


def rows_mask(n_shows: int, rows: list[int]) -> np.ndarray:
    """True at the given rows."""
    mask = np.zeros(n_shows, dtype=bool)
    mask[rows] = True
    return mask


def label_mask(
    owners: np.ndarray, keys: np.ndarray, wanted: list[str], n_shows: int, require_all: bool
) -> np.ndarray:
    """Shows whose labels (owner row, normalised key) include any, or all, of the wanted keys."""
    has = [rows_mask(n_shows, owners[keys == key].tolist()) for key in wanted]
    return np.logical_and.reduce(has) if require_all else np.logical_or.reduce(has)


def trope_mask(index: Index, tropes: list[int]) -> np.ndarray:
    """Shows that have any of the trope columns, at any weight."""
    return rows_mask(index.n_shows, [int(r) for t in tropes for r in index.shows_with(t)])


def network_labels(index: Index) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """Each show's networks (comma-separated in the file) as (owner rows, keys, key -> display name)."""
    pairs = [
        (row, part.strip())
        for row, text in enumerate(index.text("show_network").tolist())
        for part in text.split(",")
    ]
    return _labels([row for row, _ in pairs], [name for _, name in pairs])


def list_labels(field: str) -> Callable[[Index], tuple[np.ndarray, np.ndarray, dict[str, str]]]:
    """Each show's items of a list field (`genres`, `writer`, `director`, `lead_cast`) as (owner rows, keys, key -> name)."""

    def labels(index: Index) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
        owners, items = index.item_owners(f"show_{field}")
        return _keyed(owners.tolist(), items, index.item_keys(f"show_{field}"))

    return labels


genre_labels = list_labels("genres")


def _labels(owners: list[int], names: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    return _keyed(owners, names, [normalise(name) for name in names])


def _keyed(
    owners: list[int], names: list[str], keys: list[str]
) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    display = dict(zip(keys, names))
    return np.array(owners, dtype=np.int64), np.array(keys, dtype=str), display


MAX_KNOWN = 20  # an unknown label's error lists the known ones only when there are at most this many
LISTED_BY = {"genre": "recommender genres", "network": "recommender networks"}


def _known(names: list[str], kind: str) -> str:
    """What an unknown label's error says is known: the names if few, else how many and where to look."""
    if len(names) <= MAX_KNOWN:
        return f" (known: {', '.join(names) or 'none'})"
    where = f"; `{LISTED_BY[kind]}` lists them" if kind in LISTED_BY else ""
    return f" (nothing close among the catalog's {len(names)} {kind}s{where})"


def _resolve_labels(wanted: tuple[str, ...], display: dict[str, str], kind: str) -> list[str]:
    """The keys of the named labels; an unknown one is a NotFoundError with close names."""
    keys = []
    for name in wanted:
        key = normalise(name)
        if key not in display:
            hint = did_you_mean(suggest(name, display)) or _known(
                sorted(set(display.values()), key=str.lower), kind
            )
            raise NotFoundError(f'no {kind} called "{clip(name)}" in the catalog{hint}')
        keys.append(key)
    return keys


def seen_rows(index: Index, seen: tuple[Seen | str, ...]) -> tuple[list[int], list[str]]:
    """Rows of the seen titles, and a warning per unknown title."""
    rows, warnings = [], []
    for item in seen:
        entry = item if isinstance(item, Seen) else Seen(item)
        try:
            rows.append(index.find_show(entry.title))
        except NotFoundError as exc:
            warnings.append(f"{entry.where + ': ' if entry.where else ''}{exc}; not excluded")
    return rows, warnings


def apply(index: Index, filters: Filters) -> Passing:
    """The shows that pass every filter, with a one-line note of what was applied."""
    n = index.n_shows
    allowed = np.ones(n, dtype=bool)
    applied: list[str] = []
    warnings: list[str] = []
    if filters.years is not None:
        allowed &= year_mask(index.years, filters.years)
        applied.append(f"year {format_years(filters.years)}")
    for wanted, labels, kind, require_all in (
        (filters.networks, network_labels, "network", False),
        (filters.genres, genre_labels, "genre", True),
        (filters.writers, list_labels("writer"), "writer", False),
        (filters.directors, list_labels("director"), "director", False),
        (filters.cast, list_labels("lead_cast"), "cast member", False),
    ):
        if wanted:
            owners, keys, display = labels(index)
            chosen = _resolve_labels(wanted, display, kind)
            allowed &= label_mask(owners, keys, chosen, n, require_all)
            applied.append(
                f"{kind} {(' and ' if require_all else ' or ').join(display[k] for k in dict.fromkeys(chosen))}"
            )
    if filters.max_episodes is not None:
        allowed &= index.episodes <= filters.max_episodes
        applied.append(f"at most {filters.max_episodes} episodes")
    if filters.max_minutes is not None:
        allowed &= (index.minutes > 0) & (index.minutes <= filters.max_minutes)
        applied.append(f"episodes of at most {filters.max_minutes} minutes")
    if filters.max_hours is not None:
        hours = index.episodes * index.minutes / 60.0
        allowed &= (index.minutes > 0) & (hours <= filters.max_hours)
        applied.append(f"at most {filters.max_hours:g} hours in all")
    if filters.without:
        tropes = [index.find_trope(name) for name in filters.without]
        allowed &= ~trope_mask(index, tropes)
        applied.append(f"not {', '.join(dict.fromkeys(index.trope_id(t) for t in tropes))}")
    if filters.exclude:
        rows = [index.find_show(title) for title in filters.exclude]
        allowed &= ~rows_mask(n, rows)
        applied.append(f"excluding {', '.join(dict.fromkeys(index.title(r) for r in rows))}")
    if filters.seen:
        rows, warnings = seen_rows(index, filters.seen)
        allowed &= ~rows_mask(n, rows)
        applied.append(f"{len(set(rows))} seen" + (f" in {filters.seen_from}" if filters.seen_from else ""))
    notes = [f"filters: {'; '.join(applied)} ({int(allowed.sum())} of {n} shows pass)"] if applied else []
    if applied and not allowed.any():
        warnings.append("no show passes the filters")
    return Passing(allowed, notes, warnings)
