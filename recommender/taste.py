"""A taste profile: recommendations from your ratings (1 to 10) of shows you have seen.

With r_s your rating of show s, m the mean of your ratings and x_s the show's weighted unit
vector, your taste vector is

    t = sum over rated shows s of (r_s - m) * x_s

so a show rated above your own average pulls and one rated below pushes. A candidate c scores
cos(t, x_c) = sum_s (r_s - m) * (x_s . x_c) / |t|. Each term of that sum is what rated show s
did for c (the terms add up to the score): the shows with the largest terms drove the
recommendation. Rated shows never appear among the results.

Reading a ratings file is `recommender.userfiles.read_ratings`; here ratings are values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from recommender import engine, steering
from recommender.errors import DataError, NotFoundError
from recommender.index import Index
from recommender.vectors import Weighting

MIN_RATING, MAX_RATING = 1.0, 10.0


@dataclass(frozen=True)
class Rating:
    """One rating, and where it was written (for messages: "ratings.csv:3")."""

    title: str
    rating: float
    where: str = ""


def as_ratings(ratings: Sequence[Rating] | Mapping[str, float]) -> list[Rating]:
    """Ratings given as Rating values or as a mapping {title: rating}, each checked to be a number in 1..10."""
    items = [Rating(t, r) for t, r in ratings.items()] if isinstance(ratings, Mapping) else list(ratings)
    for r in items:
        value = r.rating
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or not MIN_RATING <= value <= MAX_RATING
        ):
            shown = (
                f"{value:g}"
                if isinstance(value, (int, float)) and not isinstance(value, bool)
                else str(value)
            )
            raise DataError(
                f'{r.where or r.title}: rating "{shown}" is not a number from {MIN_RATING:g} to {MAX_RATING:g}'
            )
    if not items:
        raise DataError("no ratings given")
    return items


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


def resolve(index: Index, ratings: Sequence[Rating]) -> tuple[list[int], np.ndarray]:
    """Index rows and ratings; every unknown or repeated title is reported at once."""
    rows: dict[int, float] = {}
    problems = []
    for r in ratings:
        try:
            row = index.find_show(r.title)
        except NotFoundError as exc:
            problems.append(f"{r.where + ': ' if r.where else ''}{exc}")
            continue
        if row in rows:
            problems.append(f'{r.where + ": " if r.where else ""}"{index.title(row)}" is rated twice')
        rows[row] = r.rating
    if problems:
        raise DataError("; ".join(problems))
    return list(rows), np.array(list(rows.values()))


def taste_vector(index: Index, rows: Sequence[int], ratings: np.ndarray, weighting: Weighting) -> np.ndarray:
    """t = sum_s (r_s - mean r) * x_s, dense over the trope columns."""
    return (ratings - ratings.mean()) @ steering.dense_rows(index, rows, weighting)


def drivers(
    index: Index, show: int, rows: Sequence[int], ratings: np.ndarray, norm: float, weighting: Weighting
) -> list[Driver]:
    """Each rated show's part in `show`'s score, largest first (shows sharing nothing with it left out)."""
    similarity = engine.scores(index, engine.show_vector(index, show, weighting), weighting)[list(rows)]
    parts = (ratings - ratings.mean()) * similarity / norm
    order = engine.largest_first(parts, np.arange(len(parts)))
    return [
        Driver(index.title(rows[i]), float(ratings[i]), float(parts[i])) for i in order if similarity[i] != 0
    ]


def recommend(
    index: Index, ratings: Sequence[Rating] | Mapping[str, float], options: engine.RankOptions | None = None
) -> TasteRanking:
    """Unrated shows closest to the taste your ratings imply, with the rated shows that drove each."""
    options = options or engine.RankOptions()
    weighting = options.weighting
    rows, values = resolve(index, as_ratings(ratings))
    mean = float(values.mean())
    if np.all(values == values[0]):
        raise DataError(
            f"all {len(values)} ratings are {values[0]:g}: rate some shows above your average and some below "
            "(or use `recommender like` with the shows you liked)"
        )
    t = taste_vector(index, rows, values, weighting)
    norm = float(np.sqrt(t @ t))
    if norm == 0:
        raise DataError(
            "the ratings cancel out: the shows rated above and below your average have the same tropes"
        )
    description = f"for your {len(rows)} ratings, mean {mean:.2f}"
    base = engine.answer(index, engine.QueryVector.from_dense(t), description, options, named=rows)
    matches: list[engine.Match] = [
        TasteMatch(
            **{f.name: getattr(m, f.name) for f in fields(m)},
            drivers=drivers(index, index.find_show(m.title), rows, values, norm, weighting),
        )
        for m in base.matches
    ]
    profile = [Rated(index.title(r), float(v), float(v) - mean) for r, v in zip(rows, values)]
    return TasteRanking(
        base.query,
        base.weighting,
        matches,
        base.notes,
        base.warnings,
        mean_rating=mean,
        taste_length=norm,
        profile=profile,
    )
