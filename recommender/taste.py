"""A taste profile: recommendations from your ratings (1 to 10) of shows you have seen.

With r_s your rating of show s, m the mean of your ratings and x_s the show's weighted unit
vector, your taste vector is

    t = sum over rated shows s of (r_s - m) * x_s

so a show rated above your own average pulls and one rated below pushes. A candidate c scores
cos(t, x_c) = sum_s (r_s - m) * (x_s . x_c) / |t|. Each term of that sum is what rated show s
did for c (the terms add up to the score): the shows with the largest terms drove the
recommendation. Rated shows never appear among the results.

A ratings file is YAML (a mapping `title: rating`, or a list of `{title: ..., rating: ...}`) or
CSV (`title,rating` rows, the header line optional); `#` starts a comment line in CSV.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from recommender import engine, steering
from recommender.errors import DataError, NotFoundError
from recommender.filters import Filters
from recommender.index import Index
from recommender.userfiles import read_text

MIN_RATING, MAX_RATING = 1.0, 10.0
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Rating:
    """One rating as written, and where (for messages)."""

    title: str
    rating: float
    where: str


@dataclass(frozen=True)
class Rated:
    """A rated show in the profile: `pull` = rating - your mean (above 0 pulls, below pushes)."""

    title: str
    rating: float
    pull: float


@dataclass(frozen=True)
class Driver:
    """A rated show's part in a recommendation's score: (r_s - m) * (x_s . x_c) / |t|."""

    title: str
    rating: float
    contribution: float


@dataclass(frozen=True)
class TasteMatch(engine.Match):
    drivers: list[Driver] = field(default_factory=list)


@dataclass(frozen=True)
class TasteRanking(engine.Ranking):
    """A ranking for a taste: your mean rating, the length |t| of the taste vector, and each rated show's pull."""

    mean_rating: float = 0.0
    taste_length: float = 0.0
    profile: list[Rated] = field(default_factory=list)


def _rating(value: Any, where: str) -> float:
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or not MIN_RATING <= number <= MAX_RATING:
        raise DataError(f'{where}: rating "{value}" is not a number from {MIN_RATING:g} to {MAX_RATING:g}')
    return number


def _yaml_pairs(text: str, path: Path) -> list[tuple[Any, Any, str]]:
    try:
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"{path}{f':{mark.line + 1}' if mark else ''}: not valid YAML") from None
    if isinstance(data, dict):
        return [(title, rating, f'{path}: "{title}"') for title, rating in data.items()]
    if isinstance(data, list) and all(isinstance(e, dict) and set(e) == {"title", "rating"} for e in data):
        return [(e["title"], e["rating"], f"{path}: entry {n}") for n, e in enumerate(data, start=1)]
    raise DataError(f"{path}: expected a mapping of title: rating, or a list of {{title: ..., rating: ...}}")


def _csv_pairs(text: str, path: Path) -> list[tuple[Any, Any, str]]:
    reader = csv.reader(io.StringIO(text))
    pairs = []
    for row in reader:
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        where = f"{path}:{reader.line_num}"
        if len(cells) != 2:
            raise DataError(f"{where}: expected two columns, title,rating (quote a title that has a comma)")
        if not pairs and cells[1].lower() == "rating":
            continue
        pairs.append((cells[0], cells[1], where))
    return pairs


def read_ratings(path: Path) -> list[Rating]:
    """The ratings in a YAML or CSV file (chosen by its extension), each checked to be in 1..10."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise DataError(f"ratings file {path}: use a .yaml, .yml or .csv file")
    text = read_text(path, "ratings file")
    pairs = _csv_pairs(text, path) if suffix == ".csv" else _yaml_pairs(text, path)
    if not pairs:
        raise DataError(f"ratings file {path} has no ratings")
    return [Rating(str(title), _rating(rating, where), where) for title, rating, where in pairs]


def resolve(index: Index, ratings: Sequence[Rating]) -> tuple[list[int], np.ndarray]:
    """Index rows and ratings; every unknown or repeated title is reported at once."""
    rows: dict[int, float] = {}
    problems = []
    for r in ratings:
        try:
            row = index.find_show(r.title)
        except NotFoundError as exc:
            problems.append(f"{r.where}: {exc}")
            continue
        if row in rows:
            problems.append(f'{r.where}: "{index.title(row)}" is rated twice')
        rows[row] = r.rating
    if problems:
        raise DataError("; ".join(problems))
    return list(rows), np.array(list(rows.values()))


def taste_vector(index: Index, rows: Sequence[int], ratings: np.ndarray, weighting: str) -> np.ndarray:
    """t = sum_s (r_s - mean r) * x_s, dense over the trope columns."""
    return (ratings - ratings.mean()) @ steering.dense_rows(index, rows, weighting)


def drivers(index: Index, show: int, rows: Sequence[int], ratings: np.ndarray, norm: float, weighting: str) -> list[Driver]:
    """Each rated show's part in `show`'s score, largest first (shows sharing nothing with it left out)."""
    similarity = engine.scores(index, engine.show_vector(index, show, weighting), weighting)[list(rows)]
    parts = (ratings - ratings.mean()) * similarity / norm
    order = engine.largest_first(parts, np.arange(len(parts)))
    return [Driver(index.title(rows[i]), float(ratings[i]), float(parts[i])) for i in order if similarity[i] != 0]


def recommend(
    index: Index,
    ratings_file: Path,
    k: int = engine.DEFAULT_TOP,
    weighting: str = "idf",
    *,
    filters: Filters | None = None,
    diversity: float | None = None,
) -> TasteRanking:
    """Unrated shows closest to the taste your ratings imply, with the rated shows that drove each."""
    rows, ratings = resolve(index, read_ratings(ratings_file))
    mean = float(ratings.mean())
    if np.all(ratings == ratings[0]):
        raise DataError(
            f"all {len(ratings)} ratings in {ratings_file} are {ratings[0]:g}: rate some shows above your average and some below "
            "(or use `recommender like` with the shows you liked)"
        )
    t = taste_vector(index, rows, ratings, weighting)
    norm = float(np.sqrt(t @ t))
    if norm == 0:
        raise DataError(f"the ratings in {ratings_file} cancel out: the shows rated above and below your average have the same tropes")
    description = f"for your {len(rows)} ratings, mean {mean:.2f}"
    base = engine.answer(index, engine.QueryVector.from_dense(t), description, k, weighting, filters, diversity, named=rows)
    matches: list[engine.Match] = [
        TasteMatch(
            **{f.name: getattr(m, f.name) for f in fields(m)},
            drivers=drivers(index, index.find_show(m.title), rows, ratings, norm, weighting),
        )
        for m in base.matches
    ]
    profile = [Rated(index.title(r), float(v), float(v) - mean) for r, v in zip(rows, ratings)]
    return TasteRanking(base.query, base.weighting, matches, base.notes, base.warnings, mean, norm, profile)
