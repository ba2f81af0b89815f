"""A taste profile: recommendations from your ratings (1 to 10) of shows you have seen.

With r_s your rating of show s, m the centre of the scale and x_s the show's weighted unit
vector, your taste vector is

    t = sum over rated shows s of (r_s - m) * x_s

so a show rated above the centre pulls and one rated below pushes. The centre is the scale's
midpoint, 5.5, so a fan who rates only what they loved (10, 9, 8) is pulled by all of them;
`centre="mean"` centres on your own mean instead (then your lowest-rated show pushes, however
high its rating). A candidate c scores cos(t, x_c) = sum_s (r_s - m) * (x_s . x_c) / |t|. Each
term of that sum is what rated show s did for c (the terms add up to the score): the shows with
the largest terms drove the recommendation. Rated shows never appear among the results.

What your taste is made of (`leanings`): the tropes over-represented among the shows you rated
above the centre, against the whole catalog, with the one-sided hypergeometric p-value of
finding that many by luck.

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
from recommender.stats import hypergeometric_sf
from recommender.vectors import Weighting

MIN_RATING, MAX_RATING = 1.0, 10.0
MIDPOINT = (MIN_RATING + MAX_RATING) / 2
SIGNIFICANT = 0.05  # a leaning is reported when its p-value is below this
MAX_LEANINGS = 5


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
    """A rated show in the profile: `pull` = rating - the centre (above 0 pulls, below pushes)."""

    title: str
    rating: float
    pull: float


@dataclass(frozen=True)
class Driver:
    """A rated show's part in a recommendation's score: (r_s - m) * (x_s . x_c) / |t|, m the centre."""

    title: str
    rating: float
    contribution: float


@dataclass(frozen=True)
class TasteMatch(engine.Match):
    drivers: list[Driver] = field(default_factory=list)


@dataclass(frozen=True)
class Leaning:
    """A trope your high ratings over-represent: in `liked_with` of your `liked` shows, `catalog_with` of `catalog`."""

    trope: str
    name: str
    liked_with: int
    liked: int
    catalog_with: int
    catalog: int
    p_value: float


@dataclass(frozen=True)
class TasteRanking(engine.Ranking):
    """A ranking for a taste: the centre, your mean rating, |t|, each rated show's pull and your leanings."""

    mean_rating: float = 0.0
    taste_length: float = 0.0
    profile: list[Rated] = field(default_factory=list)
    centre: float = MIDPOINT
    leanings: list[Leaning] = field(default_factory=list)


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


def taste_vector(
    index: Index, rows: Sequence[int], ratings: np.ndarray, weighting: Weighting, centre: float
) -> np.ndarray:
    """t = sum_s (r_s - centre) * x_s, dense over the trope columns."""
    return (ratings - centre) @ steering.dense_rows(index, rows, weighting)


def drivers(
    index: Index,
    show: int,
    rows: Sequence[int],
    ratings: np.ndarray,
    norm: float,
    weighting: Weighting,
    centre: float,
) -> list[Driver]:
    """Each rated show's part in `show`'s score, largest first (shows sharing nothing with it left out)."""
    similarity = engine.scores(index, engine.show_vector(index, show, weighting), weighting)[list(rows)]
    parts = (ratings - centre) * similarity / norm
    order = engine.largest_first(parts, np.arange(len(parts)))
    return [
        Driver(index.title(rows[i]), float(ratings[i]), float(parts[i])) for i in order if similarity[i] != 0
    ]


def leanings(index: Index, rows: Sequence[int], ratings: np.ndarray, centre: float) -> list[Leaning]:
    """The tropes most over-represented among the shows rated above `centre` (p below SIGNIFICANT), surest first."""
    liked = [r for r, v in zip(rows, ratings.tolist()) if v > centre]
    counts: dict[int, int] = {}
    for row in liked:
        for col in index.row(row, "none")[0].tolist():
            counts[col] = counts.get(col, 0) + 1
    n, df = index.n_shows, index.trope_df
    found = [
        Leaning(index.trope_id(c), index.trope_name(c), k, len(liked), int(df[c]), n, p)
        for c, k in counts.items()
        if k >= 2 and (p := hypergeometric_sf(k, n, int(df[c]), len(liked))) < SIGNIFICANT
    ]
    found.sort(key=lambda lean: (lean.p_value, lean.trope))
    return found[:MAX_LEANINGS]


def leaning_line(found: Sequence[Leaning]) -> str:
    """Your leanings in words: 'your high ratings lean to slow burn (4 of your 5, 9% of all shows, p = 0.002), ...'."""
    if not found:
        return "your high ratings share no trope beyond what chance would give (rate more shows to see a pattern)"
    parts = [
        f"{lean.name.lower()} ({lean.liked_with} of your {lean.liked}, "
        f"{100 * lean.catalog_with / lean.catalog:.0f}% of all shows, p = {lean.p_value:.2g})"
        for lean in found
    ]
    return "your high ratings lean to " + ", ".join(parts)


def recommend(
    index: Index,
    ratings: Sequence[Rating] | Mapping[str, float],
    options: engine.RankOptions | None = None,
    centre: float | str = MIDPOINT,
) -> TasteRanking:
    """Unrated shows closest to the taste your ratings imply, with the rated shows that drove each.

    `centre` is what a rating is measured from: the scale's midpoint (5.5) by default, or "mean"
    for your own mean rating.
    """
    options = options or engine.RankOptions()
    weighting = options.weighting
    rows, values = resolve(index, as_ratings(ratings))
    mean = float(values.mean())
    if centre == "mean" and np.all(values == values[0]):
        raise DataError(
            f"all {len(values)} ratings are {values[0]:g}: rate some shows above your average and some below "
            "(or use `recommender like` with the shows you liked)"
        )
    if not isinstance(centre, (int, float)) and centre != "mean":
        raise DataError(f'unknown centre "{centre}": use a number from 1 to 10 or "mean"')
    middle = mean if centre == "mean" else float(centre)
    t = taste_vector(index, rows, values, weighting, middle)
    norm = float(np.sqrt(t @ t))
    if norm == 0:
        raise DataError(
            f"the ratings cancel out: every rating is {middle:g}, or the shows rated above and below it have the same tropes"
        )
    description = f"for your {len(rows)} ratings, centred on {middle:.2f}"
    base = engine.answer(index, engine.QueryVector.from_dense(t), description, options, named=rows)
    matches: list[engine.Match] = [
        TasteMatch(
            **{f.name: getattr(m, f.name) for f in fields(m)},
            drivers=drivers(index, index.find_show(m.id), rows, values, norm, weighting, middle),
        )
        for m in base.matches
    ]
    profile = [Rated(index.title(r), float(v), float(v) - middle) for r, v in zip(rows, values)]
    leaning = leanings(index, rows, values, middle)
    return TasteRanking(
        base.query,
        base.weighting,
        matches,
        [leaning_line(leaning), *base.notes],
        base.warnings,
        matched=base.matched,
        mean_rating=mean,
        taste_length=norm,
        profile=profile,
        centre=middle,
        leanings=leaning,
    )
