"""Descriptive answers: one show's facts and vector, the taxonomy, a validation report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from recommender.catalog import Problem
from recommender.choices import DEFAULT_WEIGHTING
from recommender.index import Index
from recommender.vectors import Weighting


@dataclass(frozen=True)
class TropeWeight:
    trope: str
    name: str
    category: str
    weight: float
    weighted: float


@dataclass(frozen=True)
class ShowDetails:
    id: str
    title: str
    native_title: str
    aliases: list[str]
    year: int
    network: str
    episodes: int
    episode_minutes: int | None
    hours: float | None
    genres: list[str]
    lead_cast: list[str]
    writer: list[str]
    director: list[str]
    franchise: str | None
    mydramalist: str
    synopsis: str
    file: str
    tropes: list[TropeWeight] = field(default_factory=list)


@dataclass(frozen=True)
class TropeInfo:
    id: str
    name: str
    category: str
    shows: int
    description: str
    aliases: list[str]


@dataclass(frozen=True)
class TropeListing:
    tropes: list[TropeInfo]
    search: str = field(default="", metadata={"omit_empty": True})  # the words searched for, if any


@dataclass(frozen=True)
class ValidationReport:
    shows: int
    tropes: int
    problems: list[Problem]


def show_details(index: Index, title: str, weighting: Weighting = DEFAULT_WEIGHTING) -> ShowDetails:
    """A show's facts and its vector (written weights and weighted values), all from the index."""
    row = index.find_show(title)
    cols, values = index.row(row, weighting)
    raw = index.raw_row(row)
    tropes = [
        TropeWeight(index.trope_id(j), index.trope_name(j), index.trope_category(j), raw[j], v)
        for j, v in zip(cols.tolist(), values.tolist())
    ]
    tropes.sort(key=lambda t: (-t.weight, -t.weighted, t.trope))
    minutes = int(index.minutes[row])
    episodes = int(index.episodes[row])
    facts = index.facts(row)

    def text(name: str) -> str:
        value = facts[name]
        return value if isinstance(value, str) else ""

    def items(name: str) -> list[str]:
        value = facts[name]
        return value if isinstance(value, list) else []

    return ShowDetails(
        id=Path(index.paths[row]).stem,
        title=index.title(row),
        native_title=text("native_title"),
        aliases=items("aliases"),
        year=int(index.years[row]),
        network=index.network(row),
        episodes=episodes,
        episode_minutes=minutes or None,
        hours=round(episodes * minutes / 60, 1) if minutes else None,
        genres=index.items("show_genres", row),
        lead_cast=items("lead_cast"),
        writer=items("writer"),
        director=items("director"),
        franchise=text("franchise") or None,
        mydramalist=text("mydramalist"),
        synopsis=text("synopsis"),
        file=index.paths[row],
        tropes=tropes,
    )


def trope_listing(index: Index) -> TropeListing:
    """The taxonomy by category (in tropes.yaml order), with how many shows use each trope."""
    order = {c: n for n, c in enumerate(index.categories)}
    kinds = index.text("trope_category").tolist()
    return TropeListing(
        [trope_info(index, j) for j in sorted(range(index.n_tropes), key=lambda j: order[kinds[j]])]
    )


def trope_info(index: Index, j: int) -> TropeInfo:
    """Trope column j as the taxonomy describes it, with how many shows have it."""
    return TropeInfo(
        index.trope_id(j),
        index.trope_name(j),
        index.trope_category(j),
        int(index.trope_df[j]),
        index.trope_description(j),
        index.aliases(j),
    )


def validate(root: Path) -> ValidationReport:
    """Every problem in the catalog at once, skipped files included."""
    from recommender import build

    found = build.collect(root)
    return ValidationReport(found.shows, found.tropes, [*found.problems, *found.skipped])
