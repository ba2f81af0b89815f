"""Cosine ranking over the index's inverted lists, with the explanation of every score.

Rows of the index are L2-normalised, so the cosine of a unit query vector q with show s is
the dot product sum_t q[t] * x[s, t]; each shared trope's term of that sum is its
contribution, and the contributions of a result add up to its score.

Every ranking command goes through `answer`: keep the shows that pass the filters
(`recommender.filters`) and were not named by the user, then take the k best, or pick k by
maximal marginal relevance (`recommender.diversity`). `like` builds its query with
`recommender.steering`; `recommender.taste` builds one from ratings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from recommender import diversity as mmr
from recommender import filters as filtering
from recommender import steering, vectors
from recommender.filters import Filters
from recommender.index import Index

DEFAULT_TOP = 10
EXPLAIN_TOP = 3
SCORE_DECIMALS = 9  # scores equal to this many decimals are ties, broken by catalog order
OPTIONAL = {"omit_empty": True}  # field metadata: left out of JSON when None or empty


@dataclass(frozen=True)
class Contribution:
    """One shared trope's part of a cosine score."""

    trope: str
    name: str
    contribution: float
    share: float


@dataclass(frozen=True)
class Moved:
    """Where a result stood without the critiques: its rank and score under the uncritiqued query."""

    rank: int
    score: float


@dataclass(frozen=True)
class Diversified:
    """A result picked by MMR: its MMR value, its cosine with the most similar earlier result, and that result."""

    mmr: float
    redundancy: float
    closest: str | None


@dataclass(frozen=True)
class Match:
    rank: int
    title: str
    year: int
    network: str
    score: float
    because: list[Contribution] = field(default_factory=list)
    before: Moved | None = field(default=None, metadata=OPTIONAL)
    diversity: Diversified | None = field(default=None, metadata=OPTIONAL)


@dataclass(frozen=True)
class Ranking:
    """A ranked answer and what it answers (`query` is for people, e.g. 'like Run On').

    `notes` say what narrowed it (filters, diversity); `warnings` what was skipped (they go to stderr).
    """

    query: str
    weighting: str
    matches: list[Match]
    notes: list[str] = field(default_factory=list, metadata=OPTIONAL)
    warnings: list[str] = field(default_factory=list, metadata=OPTIONAL)


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
    columns = [index.column(int(t), weighting) for t in q.cols]
    rows = np.concatenate([r for r, _ in columns])
    terms = np.concatenate([v * w for (_, v), w in zip(columns, q.vals)])
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


def largest_first(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of values from largest to smallest; equal values (to SCORE_DECIMALS) in order of keys."""
    return np.lexsort((keys, -np.round(values, SCORE_DECIMALS)))


def shared(cols_a: np.ndarray, vals_a: np.ndarray, cols_b: np.ndarray, vals_b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns two sparse vectors share and each one's values there, largest product first."""
    cols, in_a, in_b = np.intersect1d(cols_a, cols_b, assume_unique=True, return_indices=True)
    order = largest_first(vals_a[in_a] * vals_b[in_b], cols)
    return cols[order], vals_a[in_a][order], vals_b[in_b][order]


def contributions(index: Index, show: int, q: QueryVector, weighting: str) -> list[Contribution]:
    """Every trope shared by the query and a show, largest contribution first."""
    cols, x, y = shared(*index.row(show, weighting), q.cols, q.vals)
    terms = x * y
    total = float(terms.sum())
    return [
        Contribution(index.trope_id(int(c)), index.trope_name(int(c)), float(t), float(t) / total if total else 0.0)
        for c, t in zip(cols, terms)
    ]


def standing(score: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Each allowed row's 1-based rank in the plain order of `score` (0 for the others)."""
    order = top(score, int(allowed.sum()), allowed)
    ranks = np.zeros(len(score), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def select(
    index: Index, score: np.ndarray, k: int, weighting: str, allowed: np.ndarray, diversity: float | None
) -> tuple[np.ndarray, list[Diversified | None]]:
    """The rows to show: the k best, or k picked by MMR with lambda `diversity` (with how each was picked)."""
    if diversity is None:
        rows = top(score, k, allowed)
        return rows, [None] * len(rows)
    chosen = mmr.mmr(score, allowed, k, diversity, lambda row: scores(index, show_vector(index, row, weighting), weighting))
    picks: list[Diversified | None] = [
        Diversified(float(v), float(r), index.title(int(c)) if c >= 0 else None)
        for v, r, c in zip(chosen.mmr, chosen.redundancy, chosen.closest)
    ]
    return chosen.rows, picks


def moves(index: Index, before: QueryVector, weighting: str, allowed: np.ndarray, rows: np.ndarray) -> list[Moved | None]:
    """Where each row stood under the `before` query: its plain rank among the allowed shows, and its score."""
    old = scores(index, before, weighting)
    old_rank = standing(old, allowed)
    return [Moved(int(old_rank[row]), float(old[row])) for row in rows]


def rank(
    index: Index,
    q: QueryVector,
    description: str,
    k: int,
    weighting: str,
    allowed: np.ndarray | None = None,
    *,
    diversity: float | None = None,
    before: QueryVector | None = None,
    notes: Sequence[str] = (),
    warnings: Sequence[str] = (),
) -> Ranking:
    """The k shows closest to q (re-ranked by MMR with lambda `diversity`), each with its shared tropes.

    With `before`, each result also says where it stood under that query (the uncritiqued one).
    """
    score = scores(index, q, weighting)
    allowed = np.ones(index.n_shows, dtype=bool) if allowed is None else allowed
    rows, picks = select(index, score, k, weighting, allowed, diversity)
    moved = [None] * len(rows) if before is None else moves(index, before, weighting, allowed, rows)
    notes = [*notes]
    if before is not None:
        notes.append("before: each result's rank and score without the critiques (--more/--less)")
    if diversity is not None:
        notes.append(f"diverse: maximal marginal relevance, lambda {diversity:g}")
    matches = [
        Match(
            rank=n,
            title=index.title(int(row)),
            year=int(index["show_year"][row]),
            network=str(index["show_network"][row]),
            score=float(score[row]),
            because=contributions(index, int(row), q, weighting),
            before=moved[n - 1],
            diversity=picks[n - 1],
        )
        for n, row in enumerate(rows, start=1)
    ]
    return Ranking(description, weighting, matches, notes, list(warnings))


def answer(
    index: Index,
    q: QueryVector,
    description: str,
    k: int,
    weighting: str,
    filters: Filters | None = None,
    diversity: float | None = None,
    *,
    named: Sequence[int] = (),
    before: QueryVector | None = None,
) -> Ranking:
    """The path every ranking command shares: filter, leave out the shows the user named, rank."""
    passing = filtering.apply(index, filters or Filters())
    allowed = passing.allowed & ~filtering.rows_mask(index.n_shows, list(named))
    return rank(
        index, q, description, k, weighting, allowed, diversity=diversity, before=before, notes=passing.notes, warnings=passing.warnings
    )


def show_vector(index: Index, show: int, weighting: str) -> QueryVector:
    cols, vals = index.row(show, weighting)
    return QueryVector(cols.astype(np.int32), vals.astype(np.float64))


def trope_vector(index: Index, tropes: list[int], weighting: str) -> QueryVector:
    """Each named trope at weight 1, weighted like a show's row, then normalised."""
    dense = np.zeros(index.n_tropes)
    dense[tropes] = 1.0
    multiplier = index.idf(weighting)
    return QueryVector.from_dense(dense * multiplier)


def like(
    index: Index,
    titles: str | Sequence[str],
    k: int = DEFAULT_TOP,
    weighting: str = "idf",
    *,
    unlike: Sequence[str] = (),
    more: Sequence[str] = (),
    less: Sequence[str] = (),
    filters: Filters | None = None,
    diversity: float | None = None,
) -> Ranking:
    """Shows like one or more shows (those excluded), steered as in `recommender.steering`."""
    steer = steering.resolve(index, [titles] if isinstance(titles, str) else titles, unlike, more, less)
    q = QueryVector.from_dense(steering.rocchio(index, steer, weighting))
    before = QueryVector.from_dense(steering.rocchio(index, steer.without_critiques(), weighting)) if steer.critiqued else None
    description = steering.describe(index, steer)
    return answer(index, q, description, k, weighting, filters, diversity, named=steer.named(), before=before)


def query(
    index: Index,
    tropes: list[str],
    k: int = DEFAULT_TOP,
    weighting: str = "idf",
    *,
    filters: Filters | None = None,
    diversity: float | None = None,
) -> Ranking:
    """Shows that best match a list of tropes given by id, name or alias."""
    cols = [index.find_trope(name) for name in tropes]
    names = ", ".join(dict.fromkeys(index.trope_id(c) for c in cols))
    return answer(index, trope_vector(index, cols, weighting), f"tropes {names}", k, weighting, filters, diversity)
