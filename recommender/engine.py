"""Cosine ranking over the index's inverted lists, with the explanation of every score.

Rows of the index are L2-normalised, so the cosine of a unit query vector q with show s is
the dot product sum_t q[t] * x[s, t]; each shared trope's term of that sum is its
contribution, and the contributions of a result add up to its score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommender import vectors
from recommender.index import Index

DEFAULT_TOP = 10
EXPLAIN_TOP = 3
SCORE_DECIMALS = 9  # scores equal to this many decimals are ties, broken by catalog order


@dataclass(frozen=True)
class Contribution:
    """One shared trope's part of a cosine score."""

    trope: str
    name: str
    contribution: float
    share: float


@dataclass(frozen=True)
class Match:
    rank: int
    title: str
    year: int
    network: str
    score: float
    because: list[Contribution] = field(default_factory=list)


@dataclass(frozen=True)
class Ranking:
    """A ranked answer and what it answers (`query` is for people, e.g. 'like Run On')."""

    query: str
    weighting: str
    matches: list[Match]


@dataclass(frozen=True)
class QueryVector:
    """A sparse unit vector over the index's trope columns."""

    cols: np.ndarray
    vals: np.ndarray

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> QueryVector:
        cols = np.flatnonzero(dense).astype(np.int32)
        return cls(cols, vectors.normalise_vector(dense[cols]))


def scores(index: Index, q: QueryVector, weighting: str) -> np.ndarray:
    """Cosine of q with every show, summed down the inverted list of each query trope."""
    if len(q.cols) == 0:
        return np.zeros(index.n_shows)
    starts, ends = index["col_indptr"][q.cols], index["col_indptr"][q.cols + 1]
    rows = np.concatenate([index["col_rows"][s:e] for s, e in zip(starts, ends)])
    values = index[f"col_values_{weighting}"]
    terms = np.concatenate([values[s:e] * w for s, e, w in zip(starts, ends, q.vals)])
    return np.bincount(rows, weights=terms, minlength=index.n_shows)


def top(score: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """Rows of the k best scores, best first; equal scores keep catalog order."""
    candidates = np.arange(len(score)) if allowed is None else np.flatnonzero(allowed)
    rounded = np.round(score[candidates], SCORE_DECIMALS)
    if k < len(candidates):
        cut = np.partition(rounded, len(rounded) - k)[len(rounded) - k]
        keep = rounded >= cut
        candidates, rounded = candidates[keep], rounded[keep]
    order = np.lexsort((candidates, -rounded))
    return candidates[order][:k]


def contributions(index: Index, show: int, q: QueryVector, weighting: str) -> list[Contribution]:
    """Every trope shared by the query and a show, largest contribution first."""
    cols, vals = index.row(show, weighting)
    shared, in_row, in_query = np.intersect1d(cols, q.cols, assume_unique=True, return_indices=True)
    terms = vals[in_row] * q.vals[in_query]
    total = float(terms.sum())
    order = np.lexsort((shared, -np.round(terms, SCORE_DECIMALS)))
    return [
        Contribution(
            index.trope_id(int(shared[i])), index.trope_name(int(shared[i])), float(terms[i]), float(terms[i]) / total if total else 0.0
        )
        for i in order
    ]


def rank(index: Index, q: QueryVector, description: str, k: int, weighting: str, allowed: np.ndarray | None = None) -> Ranking:
    """The k shows closest to q, each with its shared tropes."""
    score = scores(index, q, weighting)
    matches = [
        Match(
            rank=n,
            title=index.title(int(row)),
            year=int(index["show_year"][row]),
            network=str(index["show_network"][row]),
            score=float(score[row]),
            because=contributions(index, int(row), q, weighting),
        )
        for n, row in enumerate(top(score, k, allowed), start=1)
    ]
    return Ranking(description, weighting, matches)


def show_vector(index: Index, show: int, weighting: str) -> QueryVector:
    cols, vals = index.row(show, weighting)
    return QueryVector(cols.astype(np.int32), vals.astype(np.float64))


def trope_vector(index: Index, tropes: list[int], weighting: str) -> QueryVector:
    """Each named trope at weight 1, weighted like a show's row, then normalised."""
    dense = np.zeros(index.n_tropes)
    dense[tropes] = 1.0
    multiplier = index.idf(weighting)
    return QueryVector.from_dense(dense * multiplier)


def like(index: Index, title: str, k: int = DEFAULT_TOP, weighting: str = "idf") -> Ranking:
    """Shows like one show (itself excluded)."""
    seed = index.find_show(title)
    allowed = np.ones(index.n_shows, dtype=bool)
    allowed[seed] = False
    return rank(index, show_vector(index, seed, weighting), f"like {index.title(seed)}", k, weighting, allowed)


def query(index: Index, tropes: list[str], k: int = DEFAULT_TOP, weighting: str = "idf") -> Ranking:
    """Shows that best match a list of tropes given by id, name or alias."""
    cols = [index.find_trope(name) for name in tropes]
    names = ", ".join(dict.fromkeys(index.trope_id(c) for c in cols))
    return rank(index, trope_vector(index, cols, weighting), f"tropes {names}", k, weighting)
