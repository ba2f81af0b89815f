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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from recommender import creators, steering, vectors
from recommender import diversity as mmr
from recommender import filters as filtering
from recommender.choices import DEFAULT_WEIGHTING
from recommender.errors import UsageError
from recommender.filters import Filters
from recommender.index import Index
from recommender.vectors import Weighting, rounded

if TYPE_CHECKING:
    from recommender import phrases

DEFAULT_TOP = 10
OPTIONAL = {"omit_empty": True}  # field metadata: left out of JSON when None or empty


@dataclass(frozen=True)
class RankOptions:
    """How every ranking command ranks: how many results, the weighting, which shows may appear, and diversity.

    `diversity` is the MMR lambda (see `recommender.diversity`); None keeps the plain cosine order.
    `seasons` lists every season of a franchise as its own result; by default a franchise takes
    one row, its first show's (or, when that one cannot appear, its earliest that can).
    """

    k: int = DEFAULT_TOP
    weighting: Weighting = DEFAULT_WEIGHTING
    filters: Filters = field(default_factory=Filters)
    diversity: float | None = None
    seasons: bool = False
    creators: bool = True

    def __post_init__(self) -> None:
        if self.k < 1:
            raise UsageError(f"the number of results must be at least 1, not {self.k}")
        if self.weighting not in vectors.SHAPES:
            raise UsageError(
                f"unknown weighting '{self.weighting}': use one of {', '.join(vectors.WEIGHTINGS)}"
            )
        if self.diversity is not None and not 0.0 <= self.diversity <= 1.0:
            raise UsageError(f"the MMR lambda must be between 0 and 1, not {self.diversity:g}")


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
    id: str
    title: str
    year: int
    network: str
    score: float
    because: list[Contribution] = field(default_factory=list)
    before: Moved | None = field(default=None, metadata=OPTIONAL)
    diversity: Diversified | None = field(default=None, metadata=OPTIONAL)
    seasons: int | None = field(
        default=None, metadata=OPTIONAL
    )  # shows of its franchise, when it stands for them


@dataclass(frozen=True)
class Ranking:
    """A ranked answer and what it answers (`query` is for people, e.g. 'like Run On').

    `notes` say what narrowed it (filters, diversity); `warnings` what was skipped (they go to stderr).
    """

    query: str
    weighting: Weighting
    matches: list[Match]
    notes: list[str] = field(default_factory=list, metadata=OPTIONAL)
    warnings: list[str] = field(default_factory=list, metadata=OPTIONAL)
    understood: phrases.Understood | None = field(default=None, metadata=OPTIONAL)
    matched: int = 0  # shows that passed the filters and scored above 0


@dataclass(frozen=True)
class QueryVector:
    """A sparse unit vector over the index's trope columns."""

    cols: np.ndarray
    vals: np.ndarray

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> QueryVector:
        cols = np.flatnonzero(dense).astype(np.int32)
        return cls(cols, vectors.normalise_vector(dense[cols]))


def scores(index: Index, q: QueryVector, weighting: Weighting) -> np.ndarray:
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
    key = rounded(score[candidates])
    if k < len(candidates):
        cut = np.partition(key, len(key) - k)[len(key) - k]
        keep = key >= cut
        candidates, key = candidates[keep], key[keep]
    order = np.lexsort((candidates, -key))
    return candidates[order][:k]


def largest_first(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Positions of values from largest to smallest; equal values (see `vectors.rounded`) in order of keys."""
    return np.lexsort((keys, -rounded(values)))


def shared(
    cols_a: np.ndarray, vals_a: np.ndarray, cols_b: np.ndarray, vals_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Columns two sparse vectors share and each one's values there, largest product first."""
    cols, in_a, in_b = np.intersect1d(cols_a, cols_b, assume_unique=True, return_indices=True)
    order = largest_first(vals_a[in_a] * vals_b[in_b], cols)
    return cols[order], vals_a[in_a][order], vals_b[in_b][order]


def contributions(index: Index, show: int, q: QueryVector, weighting: Weighting) -> list[Contribution]:
    """Every trope shared by the query and a show, largest contribution first."""
    cols, x, y = shared(*index.row(show, weighting), q.cols, q.vals)
    terms = x * y
    total = float(terms.sum())
    return [
        Contribution(
            index.trope_id(int(c)), index.trope_name(int(c)), float(t), float(t) / total if total else 0.0
        )
        for c, t in zip(cols, terms)
    ]


def standing(score: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Each allowed row's 1-based rank in the plain order of `score` (0 for the others)."""
    order = top(score, int(allowed.sum()), allowed)
    ranks = np.zeros(len(score), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def select(
    index: Index, score: np.ndarray, options: RankOptions, allowed: np.ndarray
) -> tuple[np.ndarray, list[Diversified | None]]:
    """The rows to show: the k best, or k picked by MMR (with how each was picked)."""
    if options.diversity is None:
        rows = top(score, options.k, allowed)
        return rows, [None] * len(rows)
    w = options.weighting
    chosen = mmr.mmr(
        score, allowed, options.k, options.diversity, lambda row: scores(index, show_vector(index, row, w), w)
    )
    picks: list[Diversified | None] = [
        Diversified(float(v), float(r), index.title(int(c)) if c >= 0 else None)
        for v, r, c in zip(chosen.mmr, chosen.redundancy, chosen.closest)
    ]
    return chosen.rows, picks


def moves(
    index: Index, before: QueryVector, weighting: Weighting, allowed: np.ndarray, rows: np.ndarray
) -> list[Moved | None]:
    """Where each row stood under the `before` query: its plain rank among the allowed shows, and its score."""
    old = scores(index, before, weighting)
    old_rank = standing(old, allowed)
    return [Moved(int(old_rank[row]), float(old[row])) for row in rows]


def match(
    index: Index,
    row: int,
    n: int,
    score: float,
    q: QueryVector,
    weighting: Weighting,
    credits: Sequence[creators.Credit] = (),
) -> Match:
    """Result number n: the show at `row` with its score, shared tropes and shared creators (see `creators`)."""
    because = contributions(index, row, q, weighting)
    if credits:
        parts = [(c.trope, c.name, c.contribution) for c in because]
        parts += [
            (f"{c.role}:{'|'.join(c.names)}", f"same {c.role}: {', '.join(c.names)}", c.bonus)
            for c in credits
        ]
        total = sum(p[2] for p in parts)
        because = [Contribution(t, name, v, v / total if total else 0.0) for t, name, v in parts]
        because.sort(key=lambda c: -c.contribution)
    return Match(
        rank=n,
        id=index.show_id(row),
        title=index.title(row),
        year=int(index.years[row]),
        network=index.network(row),
        score=score,
        because=because,
    )


def franchise_faces(index: Index, allowed: np.ndarray) -> np.ndarray:
    """The allowed shows that stand for their franchise: its first show, else its earliest allowed one, else alone."""
    group = index.arrays["franchise_group"]
    rows = np.flatnonzero(allowed)
    g = group[rows]
    order = np.lexsort((rows, index.years[rows], rows != g, g))
    first = np.ones(len(order), dtype=bool)
    first[1:] = g[order][1:] != g[order][:-1]
    return filtering.rows_mask(index.n_shows, rows[order][first].tolist())


def franchise_sizes(index: Index, allowed: np.ndarray) -> np.ndarray:
    """How many allowed shows each show's franchise has (1 for a show on its own)."""
    group = index.arrays["franchise_group"]
    return np.bincount(group[allowed], minlength=index.n_shows)[group]


def answer(
    index: Index,
    q: QueryVector,
    description: str,
    options: RankOptions,
    *,
    named: Sequence[int] = (),
    before: QueryVector | None = None,
    credited: creators.Shared | None = None,
) -> Ranking:
    """The path every ranking command shares: filter, leave out the shows the user named, rank by q.

    With `before`, each result also says where it stood under that query (the uncritiqued one);
    with `credited`, each result's creator bonus is added to its score and explained.
    """
    passing = filtering.apply(index, options.filters)
    allowed = passing.allowed & ~filtering.rows_mask(index.n_shows, list(named))
    sizes = franchise_sizes(index, allowed)
    if not options.seasons and (sizes > 1).any():
        allowed &= franchise_faces(index, allowed)
    score = scores(index, q, options.weighting)
    if credited is not None:
        score = score + credited.bonus
    allowed &= rounded(score) > 0  # a show that shares nothing with the query is no match
    matched = int(allowed.sum())
    rows, picks = select(index, score, options, allowed)
    moved = [None] * len(rows) if before is None else moves(index, before, options.weighting, allowed, rows)
    notes = [matched_note(len(rows), matched), *passing.notes]
    if before is not None:
        notes.append("before: each result's rank and score without the critiques")
    if options.diversity is not None:
        notes.append(f"diverse: maximal marginal relevance, lambda {options.diversity:g}")
    matches = [
        replace(
            match(
                index,
                int(row),
                n,
                float(score[row]),
                q,
                options.weighting,
                credited.credits.get(int(row), []) if credited is not None else [],
            ),
            before=moved[n - 1],
            diversity=picks[n - 1],
            seasons=int(sizes[row]) if sizes[row] > 1 and not options.seasons else None,
        )
        for n, row in enumerate(rows, start=1)
    ]
    return Ranking(description, options.weighting, matches, notes, passing.warnings, matched=matched)


def matched_note(shown: int, matched: int) -> str:
    """'showing 10 of 187 matching shows', or how few matched."""
    if matched == 0:
        return "no show matches (every score is 0)"
    if shown == matched:
        return f"{matched} show{'s' if matched != 1 else ''} match, all shown"
    return f"showing {shown} of {matched} matching shows (score above 0)"


def show_vector(index: Index, show: int, weighting: Weighting) -> QueryVector:
    cols, vals = index.row(show, weighting)
    return QueryVector(cols.astype(np.int32), vals.astype(np.float64))


def trope_vector(index: Index, tropes: list[int], weighting: Weighting) -> QueryVector:
    """Each named trope at weight 1, weighted like a show's row, then normalised."""
    dense = np.zeros(index.n_tropes)
    dense[tropes] = 1.0
    return QueryVector.from_dense(dense * index.idf(weighting))


def like(
    index: Index,
    titles: str | Sequence[str],
    options: RankOptions | None = None,
    *,
    unlike: Sequence[str] = (),
    more: Sequence[str] = (),
    less: Sequence[str] = (),
) -> Ranking:
    """Shows like one or more shows (those excluded), steered as in `recommender.steering`."""
    options = options or RankOptions()
    steer = steering.resolve(index, [titles] if isinstance(titles, str) else titles, unlike, more, less)
    q = QueryVector.from_dense(steering.rocchio(index, steer, options.weighting))
    before = (
        QueryVector.from_dense(steering.rocchio(index, steer.without_critiques(), options.weighting))
        if steer.critiqued
        else None
    )
    credited = creators.shared(index, steer.seeds) if options.creators else None
    return answer(
        index,
        q,
        steering.describe(index, steer),
        options,
        named=steer.named(),
        before=before,
        credited=credited,
    )


def centroid(index: Index, allowed: np.ndarray, weighting: Weighting) -> QueryVector:
    """The normalised sum of the allowed shows' unit rows: what those shows have in common."""
    indptr, indices, raw = index.arrays["indptr"], index.arrays["indices"], index.arrays["raw"]
    rows = vectors.row_ids(indptr)
    keep = allowed[rows]
    cols, owners = indices[keep], rows[keep]
    values = (
        vectors.powered(raw[keep], weighting) * index.idf(weighting)[cols] / index.norms(weighting)[owners]
    )
    return QueryVector.from_dense(np.bincount(cols, weights=values, minlength=index.n_tropes))


def request_filters(filters: Filters, understood: phrases.Understood) -> Filters:
    """The user's filters narrowed by what a request in fans' words named."""
    from recommender import phrases

    fmts = [phrases.FORMATS[f] for f in understood.formats]

    def least(given: int | None, asked: list[int | None]) -> int | None:
        values = [v for v in (given, *asked) if v is not None]
        return min(values) if values else None

    return replace(
        filters,
        without=(*filters.without, *understood.without),
        genres=(*filters.genres, *understood.genres),
        networks=(*filters.networks, *understood.networks),
        max_episodes=least(filters.max_episodes, [f.max_episodes for f in fmts]),
        max_minutes=least(filters.max_minutes, [f.max_minutes for f in fmts]),
    )


def query(index: Index, tropes: Sequence[str], options: RankOptions | None = None) -> Ranking:
    """Shows that best match tropes given by id, name, alias or fans' words, or a request in free text.

    An argument that names no single trope but reads as a request ("rich guy, poor girl, no sad
    ending") is read by `phrases.read_request`: its tropes are wanted, its negated ones filtered
    out, the genres, networks and formats it names become filters, and the ranking says how it
    understood the request (`understood`, and a note). A request that names only filters ("fantasy",
    "short web drama") ranks the shows that pass by how typical they are of them: by cosine with the
    sum of their rows (`centroid`).
    """
    from recommender import phrases

    options = options or RankOptions()
    if not tropes:
        raise UsageError("name at least one trope")
    request, free = phrases.read_arguments(index, tropes)
    if not request.wanted and not request.labels:
        raise phrases.only_without(index, " ".join(tropes), request.unwanted)
    names = ", ".join(dict.fromkeys(index.trope_id(c) for c in request.wanted))
    if not free:
        return answer(
            index, trope_vector(index, request.wanted, options.weighting), f"tropes {names}", options
        )
    understood = request.understood(index)
    filtered = replace(options, filters=request_filters(options.filters, understood))
    if request.wanted:
        q, description = trope_vector(index, request.wanted, options.weighting), f"tropes {names}"
    else:
        allowed = filtering.apply(index, filtered.filters).allowed
        q, description = centroid(index, allowed, options.weighting), "most typical of the filters"
    ranking = answer(index, q, description, filtered)
    return replace(ranking, understood=understood, notes=[understood.line(), *ranking.notes])
