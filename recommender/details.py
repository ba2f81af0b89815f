"""Descriptive answers: one show's facts and vector, the taxonomy, a validation report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from recommender.catalog import Problem, check_catalog, parse_show, raise_problems
from recommender.index import Index


@dataclass(frozen=True)
class TropeWeight:
    trope: str
    name: str
    category: str
    weight: float
    weighted: float


@dataclass(frozen=True)
class ShowDetails:
    title: str
    native_title: str
    aliases: list[str]
    year: int
    network: str
    episodes: int
    genres: list[str]
    lead_cast: list[str]
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
class ValidationReport:
    shows: int
    tropes: int
    problems: list[Problem]


def show_details(index: Index, root: Path, title: str, weighting: str = "idf") -> ShowDetails:
    """Facts from the show's own file, and its vector: written weights and weighted values."""
    row = index.find_show(title)
    ids = set(index["trope_id"].tolist())
    show, problems = parse_show(root / str(index["show_path"][row]), root, ids)
    if problems or show is None:
        raise_problems(problems)
    assert show is not None
    cols, values = index.row(row, weighting)
    weighted = dict(zip(cols.tolist(), values.tolist()))
    categories = index.meta["categories"]
    tropes = [
        TropeWeight(tid, index.trope_name(j), categories.get(str(index["trope_category"][j]), ""), w, weighted[j])
        for tid, w in show.tropes.items()
        for j in [index.find_trope(tid)]
    ]
    tropes.sort(key=lambda t: (-t.weight, -t.weighted, t.trope))
    return ShowDetails(
        show.title,
        show.native_title,
        list(show.aliases),
        show.year,
        show.network,
        show.episodes,
        list(show.genres),
        list(show.lead_cast),
        show.mydramalist,
        show.synopsis,
        show.path,
        tropes,
    )


def trope_listing(index: Index) -> list[TropeInfo]:
    """The taxonomy by category (in tropes.yaml order), with how many shows use each trope."""
    categories = index.meta["categories"]
    order = {c: n for n, c in enumerate(categories)}
    kinds = index["trope_category"].tolist()
    return [
        TropeInfo(
            index.trope_id(j),
            index.trope_name(j),
            categories[kinds[j]],
            int(index["trope_df"][j]),
            str(index["trope_description"][j]),
            index.aliases(j),
        )
        for j in sorted(range(index.n_tropes), key=lambda j: order[kinds[j]])
    ]


def validate(root: Path) -> ValidationReport:
    """Every problem in the catalog at once."""
    catalog, problems = check_catalog(root)
    shows = len(catalog.shows) if catalog else 0
    tropes = len(catalog.taxonomy.tropes) if catalog else 0
    return ValidationReport(shows, tropes, problems)
